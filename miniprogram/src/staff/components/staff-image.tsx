import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import { apiUrl } from '../../lib/config'
import { staffSession } from '../../lib/staff/taro-staff-api'

/**
 * Staff images are not public, and <Image> cannot send the login header, so the picture is
 * fetched with it (Taro.downloadFile: a temp file in WeChat, a blob: URL in H5) and shown from there.
 */
export function useStaffImage(url: string | null): { src: string | null; failed: boolean } {
  const [state, setState] = useState<{ src: string | null; failed: boolean }>({ src: null, failed: false })
  useEffect(() => {
    let live = true
    setState({ src: null, failed: false })
    if (!url) return
    const token = staffSession.token()
    Taro.downloadFile({ url: apiUrl(url), header: token ? { Authorization: `Bearer ${token}` } : {} }).then(
      (res) => {
        if (!live) return
        setState(res.statusCode === 200 ? { src: res.tempFilePath, failed: false } : { src: null, failed: true })
      },
      () => live && setState({ src: null, failed: true }),
    )
    return () => {
      live = false
    }
  }, [url])
  return state
}

interface Props {
  url: string | null
  alt: string
  className?: string
  mode?: 'aspectFit' | 'widthFix' | 'aspectFill'
  onLoad?: (size: { width: number; height: number }) => void
}

export function StaffImage({ url, alt, className, mode = 'aspectFit', onLoad }: Props) {
  const { src, failed } = useStaffImage(url)
  if (!src)
    return (
      <View className={`staff-image-placeholder ${className ?? ''}`} ariaLabel={alt}>
        <Text className='t-note'>{failed ? '图片没有加载出来' : url ? '图片加载中…' : '还没有图片'}</Text>
      </View>
    )
  return (
    <Image
      className={className}
      src={src}
      mode={mode}
      ariaLabel={alt}
      onLoad={(e) => onLoad?.({ width: Number(e.detail.width), height: Number(e.detail.height) })}
    />
  )
}
