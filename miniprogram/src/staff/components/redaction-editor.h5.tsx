import { useEffect, useRef, useState } from 'react'
import { dragToBox, hitTest, type ImageView, type Rect } from '../../lib/staff/redaction-geometry'
import type { Point } from '../../lib/zoom'
import { StaffImage } from './staff-image'
import { RedactionBoxes, type RedactionEditorProps } from './redaction-boxes'

/** How much of the screen height the picture may take, so the form stays in reach below it. */
const MAX_HEIGHT_VH = 46

/**
 * H5: the picture with its boxes; pointer events (mouse or finger) draw a box or pick one.
 * Listeners are attached to the element directly, as in the zoom viewer.
 */
export function RedactionEditor(props: RedactionEditorProps) {
  const { imageUrl, natural, redactions } = props
  const stage = useRef<HTMLDivElement | null>(null)
  const [preview, setPreview] = useState<Rect | null>(null)
  // The listeners live as long as the element; they read the latest props from here.
  const latest = useRef(props)
  latest.current = props

  useEffect(() => {
    const el = stage.current
    if (!el) return
    let start: Point | null = null
    const view = (): ImageView => {
      const r = el.getBoundingClientRect()
      return { element: { left: r.left, top: r.top, width: r.width, height: r.height }, natural: latest.current.natural, fit: 'scaleToFill' }
    }
    const down = (e: PointerEvent) => {
      if (latest.current.readOnly) return
      el.setPointerCapture(e.pointerId)
      start = { x: e.clientX, y: e.clientY }
      if (latest.current.drawing) e.preventDefault()
    }
    const move = (e: PointerEvent) => {
      if (!start || !latest.current.drawing) return
      const r = el.getBoundingClientRect()
      setPreview({ left: Math.min(start.x, e.clientX) - r.left, top: Math.min(start.y, e.clientY) - r.top, width: Math.abs(start.x - e.clientX), height: Math.abs(start.y - e.clientY) })
    }
    const up = (e: PointerEvent) => {
      const from = start
      start = null
      setPreview(null)
      const p = latest.current
      if (!from || p.readOnly) return
      const to = { x: e.clientX, y: e.clientY }
      if (p.drawing) {
        const box = dragToBox(view(), from, to)
        if (box) p.onDraw(box)
      } else p.onSelect(hitTest(view(), to, p.redactions, 8))
    }
    const cancel = () => {
      start = null
      setPreview(null)
    }
    el.addEventListener('pointerdown', down)
    el.addEventListener('pointermove', move)
    el.addEventListener('pointerup', up)
    el.addEventListener('pointercancel', cancel)
    return () => {
      el.removeEventListener('pointerdown', down)
      el.removeEventListener('pointermove', move)
      el.removeEventListener('pointerup', up)
      el.removeEventListener('pointercancel', cancel)
    }
  }, [])

  const ratio = natural.width / (natural.height || 1)
  return (
    <div
      ref={stage}
      className={`redaction-stage${props.drawing && !props.readOnly ? ' is-drawing' : ''}`}
      style={{ aspectRatio: `${natural.width} / ${natural.height}`, width: `min(100%, ${(MAX_HEIGHT_VH * ratio).toFixed(3)}vh)` }}
    >
      <StaffImage url={imageUrl} alt='凭证原图（工作人员可见）' className='redaction-image' mode='aspectFit' />
      <RedactionBoxes natural={natural} redactions={redactions} selected={props.selected} preview={preview} />
    </div>
  )
}
