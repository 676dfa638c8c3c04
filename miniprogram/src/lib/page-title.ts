import Taro from '@tarojs/taro'

/** The page's title in WeChat's navigation bar (text only: WeChat never reads it as markup). */
export function setPageTitle(title: string): void {
  Taro.setNavigationBarTitle({ title })
}
