import { useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import { dragToBox, hitTest, type ImageView, type Rect } from '../../lib/staff/redaction-geometry'
import type { Point } from '../../lib/zoom'
import { StaffImage } from './staff-image'
import { RedactionBoxes, type RedactionEditorProps } from './redaction-boxes'

let counter = 0

/** WeChat: the picture with its boxes; a finger drags a new box or taps one to pick it. */
export function RedactionEditor(props: RedactionEditorProps) {
  const { imageUrl, natural, redactions, selected, drawing, readOnly, onSelect, onDraw } = props
  const id = useRef(`redaction-stage-${++counter}`).current
  const rect = useRef<Rect | null>(null)
  const start = useRef<Point | null>(null)
  const last = useRef<Point | null>(null)
  const [preview, setPreview] = useState<Rect | null>(null)

  const measure = () =>
    Taro.createSelectorQuery()
      .select(`#${id}`)
      .boundingClientRect((r) => {
        const box = Array.isArray(r) ? r[0] : r
        if (box) rect.current = { left: box.left, top: box.top, width: box.width, height: box.height }
      })
      .exec()
  const view = (): ImageView | null => (rect.current ? { element: rect.current, natural, fit: 'scaleToFill' } : null)
  const pointOf = (e: { touches?: Array<{ clientX: number; clientY: number }>; changedTouches?: Array<{ clientX: number; clientY: number }> }): Point | null => {
    const t = (e.touches && e.touches[0]) || (e.changedTouches && e.changedTouches[0])
    return t ? { x: t.clientX, y: t.clientY } : null
  }

  return (
    <View
      id={id}
      className={`redaction-stage${drawing && !readOnly ? ' is-drawing' : ''}`}
      style={{ height: 0, paddingBottom: `${((natural.height / (natural.width || 1)) * 100).toFixed(4)}%` }}
      catchMove={drawing && !readOnly}
      onTouchStart={(e) => {
        if (readOnly) return
        measure()
        start.current = pointOf(e as never)
        last.current = start.current
      }}
      onTouchMove={(e) => {
        const p = pointOf(e as never)
        if (!drawing || !start.current || !p || !rect.current) return
        last.current = p
        const r = rect.current
        setPreview({ left: Math.min(p.x, start.current.x) - r.left, top: Math.min(p.y, start.current.y) - r.top, width: Math.abs(p.x - start.current.x), height: Math.abs(p.y - start.current.y) })
      }}
      onTouchEnd={(e) => {
        const from = start.current
        const to = pointOf(e as never) ?? last.current
        start.current = null
        setPreview(null)
        const v = view()
        if (!from || !to || !v || readOnly) return
        if (drawing) {
          const box = dragToBox(v, from, to)
          if (box) onDraw(box)
        } else onSelect(hitTest(v, to, redactions, 8))
      }}
    >
      <StaffImage url={imageUrl} alt='凭证原图（工作人员可见）' className='redaction-image' mode='aspectFit' />
      <RedactionBoxes natural={natural} redactions={redactions} selected={selected} preview={preview} />
    </View>
  )
}
