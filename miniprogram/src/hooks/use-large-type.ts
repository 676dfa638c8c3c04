import { useCallback, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { loadLargeType, saveLargeType } from '../lib/settings'
import { taroStore } from '../lib/taro-store'

/** The 大字 switch, remembered in storage; read again whenever a page shows (another page may have changed it). */
export function useLargeType(): [boolean, () => void] {
  const [on, setOn] = useState(() => loadLargeType(taroStore))
  useDidShow(() => setOn(loadLargeType(taroStore)))
  const toggle = useCallback(() => {
    setOn((previous) => {
      const next = !previous
      saveLargeType(taroStore, next)
      return next
    })
  }, [])
  return [on, toggle]
}
