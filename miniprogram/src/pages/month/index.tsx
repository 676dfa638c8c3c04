import { useEffect, useMemo, useState } from 'react'
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { PublicVoucher, PublishedMonth } from '@shared/schemas/public'
import { fetchMonth } from '../../api/client'
import { PageFrame } from '../../components/page-frame'
import { ReceiptRow } from '../../components/receipt-row'
import { ShareMonth } from '../../components/share-month'
import { EmptyView, ErrorView, LoadingView, OfflineNotice } from '../../components/status-views'
import { useRemote } from '../../hooks/use-remote'
import { shortDigest } from '../../lib/digest-format'
import { idParam, monthPath, receiptPath, villagePath } from '../../lib/links'
import { isMonthText, monthLabel } from '../../lib/months'
import { capitalText, yuanText } from '../../lib/money-format'
import { goBackOr, openPage } from '../../lib/navigation'
import { monthCache, monthCacheId } from '../../lib/offline-stores'
import { ALL_CATEGORIES, amendmentNotes, categoryChoices, filterByCategory, withdrawnReceipts } from '../../lib/receipts'
import { setPageTitle } from '../../lib/page-title'
import './index.css'

/** One published month: the total in figures and 大写, corrections, and every receipt. */
export default function MonthPage() {
  const router = useRouter()
  const villageId = idParam(router.params.villageId)
  const month = isMonthText(router.params.month) ? router.params.month : null
  const valid = villageId !== null && month !== null
  const cacheId = valid ? monthCacheId(villageId, month) : ''
  const [state, retry] = useRemote<PublishedMonth>(
    `month/${cacheId}`,
    () => (valid ? fetchMonth(villageId, month) : Promise.reject(new Error('bad link'))),
    valid ? { load: () => monthCache.load(cacheId), save: (m) => monthCache.save(cacheId, m) } : null,
  )
  const [category, setCategory] = useState(ALL_CATEGORIES)

  const data = state.kind === 'ready' ? state.data : null
  const title = data ? `${data.village.name} ${monthLabel(data.month)}` : month ? monthLabel(month) : '本月收据'
  useEffect(() => {
    if (data) setPageTitle(title)
  }, [data, title])

  useShareAppMessage(() => ({
    title: `${title} 收据公开`,
    path: valid ? monthPath(villageId, month) : '/pages/index/index',
  }))

  const choices = useMemo(() => (data ? categoryChoices(data.vouchers) : []), [data])
  const shown = useMemo(() => (data ? filterByCategory(data.vouchers, category) : []), [data, category])
  const notes = useMemo(() => (data ? amendmentNotes(data) : []), [data])
  const withdrawn = useMemo(() => (data ? withdrawnReceipts(data.vouchers) : []), [data])

  const toVillage = () => (villageId ? goBackOr(villagePath(villageId)) : undefined)
  const openReceipt = (v: PublicVoucher) => openPage(receiptPath(v.id, v.villageId, v.month))

  if (!valid) {
    return (
      <PageFrame className='month-page'>
        <EmptyView title='链接不完整' explanation='没有说明是哪个村、哪个月。请从首页选村再选月份。' action={{ label: '去首页', onClick: () => Taro.reLaunch({ url: '/pages/index/index' }) }} />
      </PageFrame>
    )
  }

  return (
    <PageFrame className='month-page' back={{ label: '本村所有月份', onClick: toVillage }}>
      {state.kind === 'loading' && <LoadingView lines={6} />}
      {state.kind === 'error' && <ErrorView message={state.message} detail={state.detail} onRetry={retry} />}
      {state.kind === 'notFound' && (
        <EmptyView
          title='本月尚未公开'
          explanation={`${monthLabel(month)}的收据还没有经镇里审核通过，通过后才会在这里公开。`}
          action={{ label: '看本村已公开的月份', onClick: () => Taro.redirectTo({ url: villagePath(villageId) }) }}
        />
      )}

      {data && state.kind === 'ready' ? (
        <View className='month-body'>
          {state.offlineSince !== null ? <OfflineNotice savedAt={state.offlineSince} onRetry={retry} /> : null}

          <View className='page-heading'>
            <Text className='t-title month-title'>{title}</Text>
            <Text className='t-body page-subtitle'>{data.village.townName} · 收据公开</Text>
          </View>

          <View className='total-box'>
            <Text className='t-body total-label'>本月合计</Text>
            <Text className='t-huge total-amount'>{yuanText(data.totalFen)}</Text>
            <Text className='t-body total-capital'>大写：{capitalText(data.totalFen)}</Text>
            <Text className='t-body total-count'>
              共 {data.count} 张收据{withdrawn.length > 0 ? `，另有 ${withdrawn.length} 张已撤回（不计入合计）` : ''}
            </Text>
          </View>

          {notes.length > 0 ? (
            <View className='notice-box amend-banner' role='alert'>
              <Text className='t-strong amend-banner-title'>注意：本月公开后有 {notes.length} 处更正</Text>
              {notes.map((note) => (
                <View key={note.digest} className='amend-note' onClick={() => openPage(receiptPath(note.voucherId, data.village.id, data.month))}>
                  <Text className='t-body amend-note-title'>
                    {note.withdrawn ? '撤回' : '更正'} {note.title}
                    {note.approvedOn ? `（${note.approvedOn}）` : ''}
                  </Text>
                  {note.changes.map((line) => (
                    <Text key={line} className='t-body amend-note-line'>
                      · {line}
                    </Text>
                  ))}
                  <Text className='t-body amend-note-line'>原因：{note.reason}</Text>
                </View>
              ))}
            </View>
          ) : null}

          {choices.length > 2 ? (
            <View className='category-filter'>
              <Text className='t-body chips-label'>按用途看：</Text>
              <View className='chip-row'>
                {choices.map((choice) => (
                  <Button key={choice.key} className={`chip category-chip t-body${category === choice.key ? ' is-selected' : ''}`} onClick={() => setCategory(choice.key)}>
                    {choice.label}
                  </Button>
                ))}
              </View>
            </View>
          ) : null}

          {data.vouchers.length === 0 ? (
            <EmptyView title='本月没有收据' explanation='这个月公开时没有任何收据。' />
          ) : (
            <View className='receipt-list'>
              {shown.map((v) => (
                <ReceiptRow key={v.id} voucher={v} caption={`第 ${data.vouchers.indexOf(v) + 1} 张`} onOpen={openReceipt} />
              ))}
            </View>
          )}

          <View className='section'>
            <Text className='t-title section-title'>分享与核对</Text>
            <ShareMonth villageId={data.village.id} month={data.month} />
            <Text className='t-body digest-line'>本月核对码：{shortDigest(data.digest)}</Text>
            <Text className='t-note'>与村公开栏纸上印的核对码一样，就是同一份公开内容。点开任意一张收据，可以在手机上核验。</Text>
          </View>
        </View>
      ) : null}
    </PageFrame>
  )
}
