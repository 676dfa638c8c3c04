import { Text, View } from '@tarojs/components'
import type { MonthBar } from '../lib/month-bars'

/** The last twelve months' totals as horizontal bars of plain views: the words stay large and readable. */
export function MonthBars({ bars, onOpen }: { bars: MonthBar[]; onOpen: (month: string) => void }) {
  return (
    <View className='month-bars'>
      {bars.map((bar) => (
        <View
          key={bar.month}
          className={`bar-row${bar.published ? '' : ' is-empty'}`}
          ariaLabel={`${bar.label}：${bar.valueText}`}
          onClick={bar.published ? () => onOpen(bar.month) : undefined}
        >
          <View className='bar-labels'>
            <Text className='t-body bar-month'>{bar.label}</Text>
            <Text className='t-body bar-value'>{bar.valueText}</Text>
          </View>
          <View className='bar-track'>
            <View className='bar-fill' style={{ width: `${bar.percent}%` }} />
          </View>
        </View>
      ))}
    </View>
  )
}
