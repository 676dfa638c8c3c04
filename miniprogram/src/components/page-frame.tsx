import type { ReactNode } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { useLargeType } from '../hooks/use-large-type'
import { StaffBar } from './staff-bar'

interface Props {
  /** Extra class on the page's root, e.g. 'month-page'. */
  className: string
  /** A "‹ …" link back to the page above, shown at the top left. */
  back?: { label: string; onClick: () => void }
  children: ReactNode
}

/** Every page's frame: the back link, the 大字 switch, and the larger type when it is on. */
export function PageFrame({ className, back, children }: Props) {
  const [large, toggleLarge] = useLargeType()
  return (
    <View className={`screen ${className}${large ? ' big-type' : ''}`}>
      <View className='top-bar'>
        {back ? (
          <Button className='link-button back-link t-body' onClick={back.onClick}>
            ‹ {back.label}
          </Button>
        ) : (
          <View className='top-bar-spacer' />
        )}
        <Button className={`large-type-switch t-body${large ? ' is-on' : ''}`} ariaLabel={large ? '大字已打开，点一下关闭' : '大字已关闭，点一下打开'} onClick={toggleLarge}>
          <Text>{large ? '大字：开' : '大字：关'}</Text>
        </Button>
      </View>
      <StaffBar />
      {children}
    </View>
  )
}
