import { Text, View } from '@tarojs/components'
import type { StaffVoucher } from '@shared/schemas/vouchers'
import { yuanText } from '../../lib/money-format'
import { FLAG_TEXT, openFlags } from '../../lib/staff/month-summary'
import { StaffImage } from './staff-image'

const STATUS_TEXT = { processing: '正在识别…', failed: '处理失败', ready: '' } as const

/** One voucher in a staff list: thumbnail, amount, payee, and what still needs a look. */
export function VoucherCard({ voucher, position, onOpen }: { voucher: StaffVoucher; position: number; onOpen: () => void }) {
  const flags = openFlags(voucher)
  const payee = voucher.payee || '收款方未填'
  return (
    <View className={`staff-voucher${voucher.withdrawn ? ' is-withdrawn' : ''}`} onClick={onOpen} ariaRole='button' ariaLabel={`第 ${position} 张，${payee}，${yuanText(voucher.amountFen)}`}>
      <StaffImage url={voucher.thumbUrl} alt={`第 ${position} 张凭证：${payee}`} className='staff-voucher-thumb' mode='aspectFill' />
      <View className='staff-voucher-main'>
        <Text className='t-strong staff-voucher-amount'>
          {position}. {yuanText(voucher.amountFen)}
        </Text>
        <Text className='t-body staff-voucher-payee'>{payee}</Text>
        {voucher.status !== 'ready' ? (
          <Text className={`t-body staff-voucher-status is-${voucher.status}`}>
            {STATUS_TEXT[voucher.status]}
            {voucher.status === 'failed' && voucher.processingError ? `：${voucher.processingError}` : ''}
          </Text>
        ) : null}
        {voucher.withdrawn ? <Text className='t-body staff-flag is-withdrawn'>已撤回：{voucher.withdrawn.reason}</Text> : null}
        {flags.length ? (
          <View className='staff-flags'>
            {flags.map((f) => (
              <Text key={f.type} className={`t-note staff-flag is-${f.type}`}>
                {FLAG_TEXT[f.type]}
              </Text>
            ))}
          </View>
        ) : null}
      </View>
    </View>
  )
}
