import { Image, Text, View } from '@tarojs/components'
import type { PublicVoucher } from '@shared/schemas/public'
import { imageSrc } from '../lib/config'
import { yuanText } from '../lib/money-format'
import { payeeText, receiptDateText, receiptImageAlt } from '../lib/receipts'

interface Props {
  voucher: PublicVoucher
  /** e.g. "第 3 张" or "甲一村 · 2026年10月". */
  caption?: string
  onOpen: (voucher: PublicVoucher) => void
}

/** One receipt in a list: its thumbnail, payee, description, date and amount; the whole row opens it. */
export function ReceiptRow({ voucher, caption, onOpen }: Props) {
  const withdrawn = voucher.status === 'withdrawn'
  const alt = receiptImageAlt(voucher, '缩略图')
  return (
    <View
      className={`receipt-row${withdrawn ? ' is-withdrawn' : ''}`}
      data-voucher-id={voucher.id}
      ariaRole='button'
      ariaLabel={`${payeeText(voucher)}，${yuanText(voucher.amountFen)}，${receiptDateText(voucher)}${withdrawn ? '，已撤回' : ''}`}
      onClick={() => onOpen(voucher)}
    >
      <Image
        className='receipt-thumb'
        src={imageSrc(voucher.thumbUrl)}
        mode='aspectFill'
        lazyLoad
        ariaLabel={alt}
        nativeProps={process.env.TARO_ENV === 'h5' ? { alt, 'aria-label': alt } : undefined}
      />
      <View className='receipt-main'>
        {caption ? <Text className='t-note receipt-caption'>{caption}</Text> : null}
        <Text className='t-strong receipt-payee'>{payeeText(voucher)}</Text>
        <Text className={`t-strong receipt-amount${withdrawn ? ' is-struck' : ''}`}>{yuanText(voucher.amountFen)}</Text>
        {voucher.description ? <Text className='t-body receipt-description'>{voucher.description}</Text> : null}
        <Text className='t-note receipt-date'>{receiptDateText(voucher)}</Text>
        {withdrawn ? <Text className='t-body receipt-withdrawn'>已撤回{voucher.withdrawnReason ? `：${voucher.withdrawnReason}` : ''}</Text> : null}
        {!withdrawn && voucher.amendmentCount > 0 ? <Text className='t-note receipt-amended'>公开后更正过 {voucher.amendmentCount} 次</Text> : null}
      </View>
    </View>
  )
}
