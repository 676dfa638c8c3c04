import { View } from '@tarojs/components'
import type { Redaction } from '@shared/schemas/vouchers'
import type { Rect } from '../../lib/staff/redaction-geometry'

/** What the editor needs from the page. Boxes are in pixels of the upright original. */
export interface RedactionEditorProps {
  /** The unredacted display copy (staff only), so the editor sees what each box hides. */
  imageUrl: string | null
  natural: { width: number; height: number }
  redactions: Redaction[]
  selected: number
  /** Dragging draws a new box (otherwise a tap picks a box). */
  drawing: boolean
  readOnly?: boolean
  onSelect: (index: number) => void
  onDraw: (box: Redaction['box']) => void
}

const pct = (part: number, whole: number) => `${((part / (whole || 1)) * 100).toFixed(4)}%`

/** The boxes over the picture, placed in percent of the picture so they follow any shown size. */
export function RedactionBoxes({ natural, redactions, selected, preview }: { natural: RedactionEditorProps['natural']; redactions: Redaction[]; selected: number; preview: Rect | null }) {
  return (
    <View className='redaction-layer'>
      {redactions.map((r, i) => (
        <View
          key={i}
          className={`redaction-box is-${r.source}${i === selected ? ' is-selected' : ''}`}
          ariaLabel={`遮挡框 ${i + 1}`}
          style={{ left: pct(r.box[0], natural.width), top: pct(r.box[1], natural.height), width: pct(r.box[2], natural.width), height: pct(r.box[3], natural.height) }}
        />
      ))}
      {preview ? (
        <View className='redaction-box is-preview' style={{ left: `${preview.left}px`, top: `${preview.top}px`, width: `${preview.width}px`, height: `${preview.height}px` }} />
      ) : null}
    </View>
  )
}
