import { useCallback, useEffect, useMemo, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import type { PublicVoucherDetail } from '@shared/schemas/public'
import { fetchVoucher } from '../../api/client'
import { ChainCheckPanel } from '../../components/chain-check-panel'
import { PageFrame } from '../../components/page-frame'
import { EmptyView, ErrorView, LoadingView, OfflineNotice } from '../../components/status-views'
import { ZoomViewer } from '../../components/zoom-viewer'
import { useRemote } from '../../hooks/use-remote'
import { imageSrc } from '../../lib/config'
import { idParam, monthPath } from '../../lib/links'
import { dayLabel, isMonthText, monthLabel } from '../../lib/months'
import { capitalText, yuanText } from '../../lib/money-format'
import { goBackOr } from '../../lib/navigation'
import { monthCache, monthCacheId, voucherCache } from '../../lib/offline-stores'
import { describeChanges, payeeText, receiptDateText, receiptImageAlt } from '../../lib/receipts'
import { setPageTitle } from '../../lib/page-title'
import './index.css'

/** A receipt saved on the phone (itself, or within its saved month, whichever is newer), when the network is down. */
function savedDetail(voucherId: number, villageId: number | null, month: string | null): { value: PublicVoucherDetail; savedAt: number } | null {
  const own = voucherCache.load(String(voucherId))
  const fromMonth = villageId && month ? fromSavedMonth(voucherId, villageId, month) : null
  if (own && fromMonth) return own.savedAt >= fromMonth.savedAt ? own : fromMonth
  return own || fromMonth
}

function fromSavedMonth(voucherId: number, villageId: number, month: string): { value: PublicVoucherDetail; savedAt: number } | null {
  const saved = monthCache.load(monthCacheId(villageId, month))
  if (!saved) return null
  const m = saved.value
  const voucher = m.vouchers.filter((v) => v.id === voucherId)[0]
  if (!voucher) return null
  return {
    value: { village: m.village, voucher, amendments: m.amendments.filter((a) => a.voucherId === voucherId), digest: m.digest, publicationDigest: m.publicationDigest },
    savedAt: saved.savedAt,
  }
}

/** One receipt: the redacted image large (tap to zoom), its facts, its corrections, and the 核验. */
export default function ReceiptPage() {
  const router = useRouter()
  const voucherId = idParam(router.params.id)
  const villageId = idParam(router.params.villageId)
  const month = isMonthText(router.params.month) ? router.params.month : null
  const [state, retry] = useRemote<PublicVoucherDetail>(
    `voucher/${voucherId}`,
    () => (voucherId ? fetchVoucher(voucherId) : Promise.reject(new Error('bad link'))),
    voucherId ? { load: () => savedDetail(voucherId, villageId, month), save: (d) => voucherCache.save(String(voucherId), d) } : null,
  )
  const [zoomOpen, setZoomOpen] = useState(false)
  const closeZoom = useCallback(() => setZoomOpen(false), [])

  const data = state.kind === 'ready' ? state.data : null
  useEffect(() => {
    if (data) setPageTitle(payeeText(data.voucher))
  }, [data])

  const back = () => {
    const v = data ? data.voucher : null
    const fallback = v ? monthPath(v.villageId, v.month) : villageId && month ? monthPath(villageId, month) : '/pages/index/index'
    goBackOr(fallback)
  }
  const alt = useMemo(() => (data ? receiptImageAlt(data.voucher) : ''), [data])

  if (!voucherId) {
    return (
      <PageFrame className='receipt-page'>
        <EmptyView title='链接不完整' explanation='没有说明是哪一张收据。' action={{ label: '去首页', onClick: () => Taro.reLaunch({ url: '/pages/index/index' }) }} />
      </PageFrame>
    )
  }

  return (
    <PageFrame className='receipt-page' back={{ label: month ? `${monthLabel(month)}的收据` : '返回', onClick: back }}>
      {state.kind === 'loading' && <LoadingView lines={6} />}
      {state.kind === 'error' && <ErrorView message={state.message} detail={state.detail} onRetry={retry} />}
      {state.kind === 'notFound' && <EmptyView title='找不到这张收据' explanation='它所在的月份可能还没有公开。' action={{ label: '返回', onClick: back }} />}

      {data && state.kind === 'ready' ? (
        <View className='receipt-body'>
          {state.offlineSince !== null ? <OfflineNotice savedAt={state.offlineSince} onRetry={retry} /> : null}

          <View className='page-heading'>
            <Text className='t-title receipt-title'>{payeeText(data.voucher)}</Text>
            <Text className='t-body page-subtitle'>
              {data.village.townName} {data.village.name} · {monthLabel(data.voucher.month)}
            </Text>
          </View>

          {data.voucher.status === 'withdrawn' ? (
            <View className='withdrawn-banner' role='alert'>
              <Text className='t-strong withdrawn-title'>这张收据已撤回，不计入本月合计</Text>
              {data.voucher.withdrawnReason ? <Text className='t-body'>原因：{data.voucher.withdrawnReason}</Text> : null}
            </View>
          ) : null}
          {data.voucher.status !== 'withdrawn' && data.amendments.length > 0 ? (
            <View className='amended-banner' role='alert'>
              <Text className='t-strong'>这张收据公开后更正过 {data.amendments.length} 次</Text>
              <Text className='t-body'>下面显示的是更正后的内容，更正记录在页面下方。</Text>
            </View>
          ) : null}

          <View className='receipt-amount-box'>
            <Text className='t-body'>金额</Text>
            <Text className={`t-huge receipt-big-amount${data.voucher.status === 'withdrawn' ? ' is-struck' : ''}`}>{yuanText(data.voucher.amountFen)}</Text>
            {data.voucher.amountFen !== null ? <Text className='t-body'>大写：{capitalText(data.voucher.amountFen)}</Text> : null}
          </View>

          <View className='receipt-image-box' onClick={() => setZoomOpen(true)}>
            <Image
              className='receipt-image'
              src={imageSrc(data.voucher.imageUrl)}
              mode='widthFix'
              ariaLabel={alt}
              nativeProps={process.env.TARO_ENV === 'h5' ? { alt, 'aria-label': alt } : undefined}
            />
            <Text className='t-body zoom-tip'>点图片可以放大看（个人信息已遮挡）</Text>
          </View>
          <ZoomViewer src={imageSrc(data.voucher.imageUrl)} alt={alt} open={zoomOpen} onClose={closeZoom} />

          <View className='section fields'>
            <Text className='t-title section-title'>收据内容</Text>
            <Field label='收款方' value={payeeText(data.voucher)} />
            <Field label='用途说明' value={data.voucher.description || '未填'} />
            <Field label='日期' value={receiptDateText(data.voucher)} />
            <Field label='类别' value={data.voucher.category || '未分类'} />
            <Field label='金额' value={yuanText(data.voucher.amountFen)} />
            <Field label='发票代码' value={data.voucher.invoiceCode || '无'} />
            <Field label='发票号码' value={data.voucher.invoiceNumber || '无'} />
            <Field label='公开月份' value={monthLabel(data.voucher.month)} />
          </View>

          <View className='section history'>
            <Text className='t-title section-title'>更正记录</Text>
            {data.amendments.length === 0 ? (
              <Text className='t-body'>公开后没有更正过。</Text>
            ) : (
              data.amendments.map((a, index) => (
                <View key={a.digest} className='history-item'>
                  <Text className='t-strong'>
                    第 {index + 1} 次{a.withdrawn ? '（撤回）' : '更正'} · {dayLabel(a.approvedAt)}
                  </Text>
                  {describeChanges(a.changes).map((line) => (
                    <Text key={line} className='t-body history-line'>
                      · {line}
                    </Text>
                  ))}
                  <Text className='t-body history-line'>原因：{a.reason}</Text>
                </View>
              ))
            )}
          </View>

          <ChainCheckPanel detail={data} offline={state.offlineSince !== null} />
        </View>
      ) : null}
    </PageFrame>
  )
}

function Field({ label, value }: { label: string; value: string }) {
  return (
    <View className='field-row'>
      <Text className='t-body field-label'>{label}</Text>
      <Text className='t-body field-value'>{value}</Text>
    </View>
  )
}
