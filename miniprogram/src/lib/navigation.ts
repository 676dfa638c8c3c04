/** Moving between pages, the same in WeChat and H5. */
import Taro from '@tarojs/taro'

/** WeChat keeps at most 10 pages; beyond that, replace the current one. */
export function openPage(url: string): void {
  if (Taro.getCurrentPages().length >= 9) Taro.redirectTo({ url })
  else Taro.navigateTo({ url })
}

/** Back to the page before, or, when this page was opened directly (a shared link), to `fallbackUrl`. */
export function goBackOr(fallbackUrl: string): void {
  if (Taro.getCurrentPages().length > 1) Taro.navigateBack()
  else Taro.redirectTo({ url: fallbackUrl })
}

/** Starts over at `url` (e.g. choosing another village). */
export function startOver(url: string): void {
  Taro.reLaunch({ url })
}
