import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { monthShortLink } from '../lib/links'

/**
 * Sharing this month: WeChat's own share (the page also answers useShareAppMessage); in a
 * browser, a link to copy, the same short link as the printed QR code.
 */
export function ShareMonth({ villageId, month }: { villageId: number; month: string }) {
  const [shown, setShown] = useState(false)
  if (process.env.TARO_ENV === 'weapp') {
    return (
      <View className='share-box'>
        <Button className='btn btn-secondary share-button t-strong' openType='share'>
          转发给乡亲
        </Button>
      </View>
    )
  }
  const origin = typeof window !== 'undefined' && window.location ? window.location.origin : ''
  const link = monthShortLink(origin, villageId, month)
  const copy = () => {
    setShown(true)
    Taro.setClipboardData({ data: link }).then(
      () => Taro.showToast({ title: '链接已复制', icon: 'success' }),
      () => Taro.showToast({ title: '请长按链接复制', icon: 'none' }),
    )
  }
  return (
    <View className='share-box'>
      <Button className='btn btn-secondary share-button t-strong' onClick={copy}>
        复制本月链接，发给乡亲
      </Button>
      {shown ? (
        <View className='share-link-box'>
          <Text className='t-body'>链接（可长按复制）：</Text>
          <Text className='t-body share-link' userSelect>
            {link}
          </Text>
        </View>
      ) : null}
    </View>
  )
}
