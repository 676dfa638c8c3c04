/** The caches the pages use, over Taro storage. */
import type { PublicVillage, PublicVoucherDetail, PublishedMonth } from '../../../shared/schemas/public'
import { recentCache } from './offline-cache'

export { monthCacheId } from './offline-cache'
import { taroStore } from './taro-store'

/** The last months opened, readable offline. */
export const monthCache = recentCache<PublishedMonth>(taroStore, 'yym:month', 8)
/** The last village pages opened. */
export const villageCache = recentCache<PublicVillage>(taroStore, 'yym:village', 4)
/** The last receipts opened (those found by search may belong to months never opened). */
export const voucherCache = recentCache<PublicVoucherDetail>(taroStore, 'yym:voucher', 20)
