import { useCallback, useEffect, useRef, useState } from 'react'
import { IDENTITY, clampOffset, doubleTap, pan, pinch, transformCss, zoomAt, type Point, type ZoomState } from '../lib/zoom'
import type { ZoomViewerProps } from './zoom-viewer'
import './zoom-viewer.css'

/** Two taps closer than this (ms, px) are a double tap. */
const DOUBLE_TAP_MS = 320
const DOUBLE_TAP_PX = 30
const STEP = 1.5

/**
 * H5: a full-screen viewer that pinches, drags and double-taps with plain pointer events (no
 * library), plus 放大 / 缩小 / 还原 / 关闭 buttons for anyone who finds pinching hard.
 */
export function ZoomViewer({ src, alt, open, onClose }: ZoomViewerProps) {
  const [state, setState] = useState<ZoomState>(IDENTITY)
  const stateRef = useRef(state)
  const stageRef = useRef<HTMLDivElement | null>(null)

  const apply = useCallback((next: ZoomState) => {
    const stage = stageRef.current
    const clamped = stage ? clampOffset(next, stage.clientWidth, stage.clientHeight) : next
    stateRef.current = clamped
    setState(clamped)
  }, [])

  useEffect(() => {
    if (open) apply(IDENTITY)
  }, [open, apply])

  useEffect(() => {
    const stage = stageRef.current
    if (!open || !stage) return
    const pointers = new Map<number, Point>()
    let pinchStart: { from: ZoomState; points: [Point, Point] } | null = null
    let last: Point | null = null
    let lastTap: { at: number; point: Point } | null = null
    let moved = false

    const local = (e: { clientX: number; clientY: number }): Point => {
      const rect = stage.getBoundingClientRect()
      return { x: e.clientX - rect.left - rect.width / 2, y: e.clientY - rect.top - rect.height / 2 }
    }
    const two = (): [Point, Point] => {
      const values = Array.from(pointers.values())
      return [values[0], values[1]]
    }

    const down = (e: PointerEvent) => {
      stage.setPointerCapture(e.pointerId)
      pointers.set(e.pointerId, local(e))
      if (pointers.size === 2) {
        pinchStart = { from: stateRef.current, points: two() }
        last = null
      } else if (pointers.size === 1) {
        last = local(e)
        moved = false
      }
    }
    const move = (e: PointerEvent) => {
      if (!pointers.has(e.pointerId)) return
      const point = local(e)
      pointers.set(e.pointerId, point)
      if (pointers.size >= 2 && pinchStart) {
        moved = true
        apply(pinch(pinchStart.from, pinchStart.points, two()))
      } else if (pointers.size === 1 && last) {
        if (Math.abs(point.x - last.x) + Math.abs(point.y - last.y) > 3) moved = true
        apply(pan(stateRef.current, point.x - last.x, point.y - last.y))
        last = point
      }
    }
    const up = (e: PointerEvent) => {
      if (!pointers.has(e.pointerId)) return
      const point = local(e)
      pointers.delete(e.pointerId)
      if (pointers.size < 2) pinchStart = null
      if (pointers.size === 1) {
        last = Array.from(pointers.values())[0]
        return
      }
      last = null
      if (moved) return
      const now = Date.now()
      if (lastTap && now - lastTap.at < DOUBLE_TAP_MS && Math.abs(point.x - lastTap.point.x) + Math.abs(point.y - lastTap.point.y) < DOUBLE_TAP_PX) {
        apply(doubleTap(stateRef.current, point))
        lastTap = null
      } else {
        lastTap = { at: now, point }
      }
    }
    const wheel = (e: WheelEvent) => {
      e.preventDefault()
      apply(zoomAt(stateRef.current, e.deltaY < 0 ? 1.2 : 1 / 1.2, local(e)))
    }
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose()
    }
    stage.addEventListener('pointerdown', down)
    stage.addEventListener('pointermove', move)
    stage.addEventListener('pointerup', up)
    stage.addEventListener('pointercancel', up)
    stage.addEventListener('wheel', wheel, { passive: false })
    document.addEventListener('keydown', key)
    return () => {
      stage.removeEventListener('pointerdown', down)
      stage.removeEventListener('pointermove', move)
      stage.removeEventListener('pointerup', up)
      stage.removeEventListener('pointercancel', up)
      stage.removeEventListener('wheel', wheel)
      document.removeEventListener('keydown', key)
    }
  }, [open, apply, onClose])

  if (!open || typeof document === 'undefined') return null
  const percent = Math.round(state.scale * 100)
  // Fixed over the whole window: once a Taro page has slid in it has no transform, so `fixed` is the window.
  return (
    <div className='zoom-viewer' role='dialog' aria-modal='true' aria-label={`放大查看：${alt}`}>
      <div className='zoom-stage' ref={stageRef}>
        <img className='zoom-image' src={src} alt={alt} aria-label={alt} draggable={false} style={{ transform: transformCss(state) }} />
      </div>
      <div className='zoom-hint'>两指张开可放大，拖动可移动，点两下放大或还原（现在 {percent}%）</div>
      <div className='zoom-controls'>
        <button type='button' className='zoom-button zoom-in' onClick={() => apply(zoomAt(stateRef.current, STEP, { x: 0, y: 0 }))}>
          放大
        </button>
        <button type='button' className='zoom-button zoom-out' onClick={() => apply(zoomAt(stateRef.current, 1 / STEP, { x: 0, y: 0 }))}>
          缩小
        </button>
        <button type='button' className='zoom-button zoom-reset' onClick={() => apply(IDENTITY)}>
          还原
        </button>
        <button type='button' className='zoom-button zoom-close' onClick={onClose}>
          关闭
        </button>
      </div>
    </div>
  )
}
