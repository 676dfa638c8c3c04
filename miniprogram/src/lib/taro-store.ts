/** The app's KeyValueStore over Taro storage (WeChat storage; localStorage in H5). */
import Taro from '@tarojs/taro'
import type { KeyValueStore } from './key-value-store'

export const taroStore: KeyValueStore = {
  get(key) {
    try {
      const value = Taro.getStorageSync(key)
      // Taro answers '' for a key never set.
      return value === '' ? undefined : value
    } catch {
      return undefined
    }
  },
  set(key, value) {
    Taro.setStorageSync(key, value)
  },
  remove(key) {
    try {
      Taro.removeStorageSync(key)
    } catch {
      // ignore
    }
  },
}
