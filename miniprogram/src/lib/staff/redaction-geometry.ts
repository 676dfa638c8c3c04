/**
 * Drawing redaction boxes on a photo shown at any size: screen points (CSS px, the same frame as
 * touch/mouse clientX/clientY and the element's layout box) to and from image pixels of the
 * upright original, which is what `redactions[].box` holds.
 */
import type { Redaction } from '../../../../shared/schemas/vouchers'
import type { Point, ZoomState } from '../zoom'

/** [x, y, width, height] in pixels of the upright original image. */
export type Box = Redaction['box']

export interface Rect {
  left: number
  top: number
  width: number
  height: number
}

/** Taro <Image> modes that keep the whole picture measurable from the element's box. */
export type FitMode = 'aspectFit' | 'aspectFill' | 'scaleToFill' | 'widthFix' | 'heightFix'

export interface ImageView {
  /** The element's layout box on screen, without the zoom transform. */
  element: Rect
  /**
   * Size of the upright original (the voucher's width/height). A display copy of the same shape
   * may be what is shown: only the aspect ratio of the shown file matters.
   */
  natural: { width: number; height: number }
  fit: FitMode
  /** The viewer's `translate(x, y) scale(s)` around the element's centre (lib/zoom.ts); none = identity. */
  zoom?: ZoomState
}

/** Screen = offset + image × scale, per axis. */
interface Mapping {
  ox: number
  oy: number
  kx: number
  ky: number
}

/** A box drawn smaller than this on screen (CSS px, each side) is a tap or a slip, not a box. */
export const MIN_BOX_SCREEN_PX = 8

function mapping(view: ImageView): Mapping {
  const { element: el, natural, fit } = view
  const nw = natural.width > 0 ? natural.width : 1
  const nh = natural.height > 0 ? natural.height : 1
  let sx: number
  let sy: number
  let left = el.left
  let top = el.top
  if (fit === 'scaleToFill') {
    sx = el.width / nw
    sy = el.height / nh
  } else if (fit === 'widthFix') {
    // The element's height follows the picture; it starts at the top-left corner.
    sx = sy = el.width / nw
  } else if (fit === 'heightFix') {
    sx = sy = el.height / nh
  } else {
    const wide = el.width / nw
    const tall = el.height / nh
    sx = sy = fit === 'aspectFit' ? Math.min(wide, tall) : Math.max(wide, tall)
    // Both centre the picture: aspectFit leaves bars, aspectFill crops the overflow.
    left += (el.width - nw * sx) / 2
    top += (el.height - nh * sy) / 2
  }
  const z = view.zoom ?? { scale: 1, x: 0, y: 0 }
  const cx = el.left + el.width / 2
  const cy = el.top + el.height / 2
  // CSS: screen = centre + translate + scale × (unzoomed − centre).
  return { ox: cx + z.x + z.scale * (left - cx), oy: cy + z.y + z.scale * (top - cy), kx: z.scale * sx, ky: z.scale * sy }
}

/** The image pixel under a screen point (not clamped: may lie outside the picture). */
export function screenToImage(view: ImageView, point: Point): Point {
  const m = mapping(view)
  return { x: (point.x - m.ox) / m.kx, y: (point.y - m.oy) / m.ky }
}

/** Where an image pixel appears on screen. */
export function imageToScreen(view: ImageView, point: Point): Point {
  const m = mapping(view)
  return { x: m.ox + point.x * m.kx, y: m.oy + point.y * m.ky }
}

/** The screen rectangle to draw for a box (for an overlay positioned in the same frame as `element`). */
export function boxToScreenRect(view: ImageView, box: Box): Rect {
  const m = mapping(view)
  return { left: m.ox + box[0] * m.kx, top: m.oy + box[1] * m.ky, width: box[2] * m.kx, height: box[3] * m.ky }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

/** Float noise (99.9999999 for 100) must not grow a box by a pixel when rounding outward. */
function snap(value: number): number {
  const whole = Math.round(value)
  return Math.abs(value - whole) < 1e-6 ? whole : value
}

/**
 * A finger or mouse dragged from `start` to `end` (either way round): the image box it covers,
 * clipped to the picture and rounded outward to whole pixels so it never hides less than drawn.
 * Null when what is left is smaller than `minScreenPx` on screen on either side.
 */
export function dragToBox(view: ImageView, start: Point, end: Point, minScreenPx = MIN_BOX_SCREEN_PX): Box | null {
  const p = screenToImage(view, start)
  const q = screenToImage(view, end)
  const a = { x: snap(p.x), y: snap(p.y) }
  const b = { x: snap(q.x), y: snap(q.y) }
  const { width: nw, height: nh } = view.natural
  const x0 = clamp(Math.floor(Math.min(a.x, b.x)), 0, nw)
  const y0 = clamp(Math.floor(Math.min(a.y, b.y)), 0, nh)
  const x1 = clamp(Math.ceil(Math.max(a.x, b.x)), 0, nw)
  const y1 = clamp(Math.ceil(Math.max(a.y, b.y)), 0, nh)
  const m = mapping(view)
  // Measured after clipping: a drag mostly beside the picture leaves a sliver, not a box.
  if (x1 - x0 < 1 || y1 - y0 < 1) return null
  if ((x1 - x0) * m.kx < minScreenPx || (y1 - y0) * m.ky < minScreenPx) return null
  return [x0, y0, x1 - x0, y1 - y0]
}

/**
 * Which box a screen point falls in: the index of the topmost (last drawn) one, or -1.
 * `slopPx` widens every box on screen so a small box can still be hit with a finger.
 */
export function hitTest(view: ImageView, point: Point, boxes: ReadonlyArray<{ box: Box }>, slopPx = 0): number {
  const p = screenToImage(view, point)
  const m = mapping(view)
  const sx = slopPx / m.kx
  const sy = slopPx / m.ky
  for (let i = boxes.length - 1; i >= 0; i--) {
    const [x, y, w, h] = boxes[i].box
    if (p.x >= x - sx && p.x <= x + w + sx && p.y >= y - sy && p.y <= y + h + sy) return i
  }
  return -1
}
