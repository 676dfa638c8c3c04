import { useEffect } from 'react'
import Taro from '@tarojs/taro'

export interface ZoomViewerProps {
  /** Absolute image address. */
  src: string
  /** Text alternative: payee and amount. */
  alt: string
  open: boolean
  onClose: () => void
}

/**
 * WeChat (and every platform without its own file): WeChat's own full-screen viewer, which
 * already pinches and zooms. The H5 build uses zoom-viewer.h5.tsx instead.
 */
export function ZoomViewer({ src, open, onClose }: ZoomViewerProps) {
  useEffect(() => {
    if (!open) return
    Taro.previewImage({ urls: [src], current: src }).then(onClose, onClose)
  }, [open, src, onClose])
  return null
}
