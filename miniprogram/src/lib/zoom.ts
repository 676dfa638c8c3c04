/**
 * The H5 image viewer's arithmetic: a scale and an offset (from the viewer's centre, in CSS px),
 * changed by pinching, dragging, double taps and the 放大/缩小 buttons.
 */

export interface ZoomState {
  scale: number
  x: number
  y: number
}

export interface Point {
  x: number
  y: number
}

export const MIN_SCALE = 1
export const MAX_SCALE = 5
export const IDENTITY: ZoomState = { scale: 1, x: 0, y: 0 }

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

/** Keeps the picture from being dragged away: at scale s it may move (s - 1) / 2 of the view each way. */
export function clampOffset(state: ZoomState, viewWidth: number, viewHeight: number): ZoomState {
  const scale = clamp(state.scale, MIN_SCALE, MAX_SCALE)
  const maxX = (viewWidth * (scale - 1)) / 2
  const maxY = (viewHeight * (scale - 1)) / 2
  return { scale, x: clamp(state.x, -maxX, maxX), y: clamp(state.y, -maxY, maxY) }
}

/** Zooms by `factor` keeping the point `focus` (relative to the view's centre) where it is. */
export function zoomAt(state: ZoomState, factor: number, focus: Point): ZoomState {
  const scale = clamp(state.scale * factor, MIN_SCALE, MAX_SCALE)
  if (scale <= MIN_SCALE) return IDENTITY
  const ratio = scale / state.scale
  return { scale, x: focus.x - (focus.x - state.x) * ratio, y: focus.y - (focus.y - state.y) * ratio }
}

function distance(a: Point, b: Point): number {
  return Math.sqrt((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y))
}

function middle(a: Point, b: Point): Point {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }
}

/**
 * Two fingers went from `start` to `now` (points relative to the view's centre): the state they
 * make from `from`. The picture follows the fingers: scaled by their spread, moved with their middle.
 */
export function pinch(from: ZoomState, start: [Point, Point], now: [Point, Point]): ZoomState {
  const before = distance(start[0], start[1])
  const factor = before > 0 ? distance(now[0], now[1]) / before : 1
  const m0 = middle(start[0], start[1])
  const m1 = middle(now[0], now[1])
  const zoomed = zoomAt(from, factor, m0)
  return { scale: zoomed.scale, x: zoomed.x + (m1.x - m0.x), y: zoomed.y + (m1.y - m0.y) }
}

/** One finger (or the mouse) dragged by (dx, dy). At scale 1 there is nothing to move. */
export function pan(from: ZoomState, dx: number, dy: number): ZoomState {
  if (from.scale <= MIN_SCALE) return IDENTITY
  return { scale: from.scale, x: from.x + dx, y: from.y + dy }
}

/** A double tap: zoom in 2.5× at the tapped point, or back to whole when already zoomed. */
export function doubleTap(from: ZoomState, at: Point): ZoomState {
  if (from.scale > MIN_SCALE) return IDENTITY
  return zoomAt(from, 2.5, at)
}

/** The CSS transform for a state. */
export function transformCss(state: ZoomState): string {
  return `translate(${Math.round(state.x)}px, ${Math.round(state.y)}px) scale(${Math.round(state.scale * 1000) / 1000})`
}
