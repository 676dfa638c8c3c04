import { useEffect, useMemo, useRef, useState } from 'react'
import { useRouter, useUnload } from '@tarojs/taro'
import { Button, Progress, Text, View } from '@tarojs/components'
import { PageFrame } from '../../components/page-frame'
import { EmptyView } from '../../components/status-views'
import { apiUrl } from '../../lib/config'
import { idParam } from '../../lib/links'
import { isMonthText, monthLabel } from '../../lib/months'
import { goBackOr } from '../../lib/navigation'
import { currentMonthInShanghai } from '../../lib/staff/month-summary'
import { STAFF_PAGES } from '../../lib/staff/staff-session'
import { staffApi } from '../../lib/staff/taro-staff-api'
import { createUploadQueue, summarizeUploads, type UploadItem } from '../../lib/staff/upload-queue'
import { pollVoucherStatuses, type VoucherProgress } from '../../lib/staff/voucher-status-poller'
import { FilePicker, sendFile, type PickedFile } from '../components/upload-source'
import { StaffNotice } from '../components/staff-notice'
import { useStaffUser } from '../components/use-staff-user'
import '../staff.css'

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`
}

/** Upload: each photo goes up on its own with its progress, then the server reads it (识别) and says how it went. */
export default function StaffUpload() {
  const router = useRouter()
  const user = useStaffUser()
  const villageId = idParam(router.params.villageId) ?? user?.villageId ?? null
  const month = isMonthText(router.params.month) ? router.params.month : currentMonthInShanghai(Date.now())
  const [items, setItems] = useState<UploadItem<PickedFile>[]>([])
  const [processing, setProcessing] = useState<Map<number, VoucherProgress>>(new Map())
  const [actionError, setActionError] = useState<unknown>(null)

  const queue = useMemo(
    () =>
      createUploadQueue<PickedFile>({
        send: (file, onProgress, signal) => {
          const target = staffApi.uploadTarget(villageId ?? 0, month)
          return sendFile({ url: apiUrl(target.path), header: target.header }, file, onProgress, signal)
        },
        onChange: setItems,
      }),
    [villageId, month],
  )
  useUnload(() => queue.cancelAll())

  // Watch every uploaded voucher until the server has read it (or could not).
  const uploadedIds = items.flatMap((i) => (i.state.status === 'uploaded' ? [i.state.voucherId] : []))
  const unsettled = uploadedIds.filter((id) => {
    const s = processing.get(id)?.status
    return s !== 'ready' && s !== 'failed'
  })
  const watchKey = unsettled.join(',')
  const pollRef = useRef<{ stop(): void } | null>(null)
  useEffect(() => {
    if (!villageId || unsettled.length === 0) return
    const poll = pollVoucherStatuses({
      ids: unsettled,
      fetchStatuses: () => staffApi.listVouchers(villageId, month),
      initialDelayMs: 1500,
      maxDelayMs: 5000,
      onUpdate: (statuses) =>
        setProcessing((prev) => {
          const next = new Map(prev)
          for (const s of statuses) next.set(s.id, s)
          return next
        }),
    })
    pollRef.current = poll
    poll.result.catch((err: unknown) => setActionError(err))
    return () => poll.stop()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [watchKey, villageId, month])

  if (!user) return <PageFrame className='staff-page'><Text className='t-body'>正在打开…</Text></PageFrame>
  if (!villageId || user.role !== 'accountant' || user.villageId !== villageId)
    return (
      <PageFrame className='staff-page'>
        <EmptyView title='只有本村会计可以上传凭证' />
      </PageFrame>
    )

  const summary = summarizeUploads(items)
  const ready = uploadedIds.filter((id) => processing.get(id)?.status === 'ready').length
  const monthUrl = `${STAFF_PAGES.months}?villageId=${villageId}&month=${month}`

  const reprocess = async (id: number) => {
    setActionError(null)
    try {
      const v = await staffApi.reprocessVoucher(id)
      setProcessing((prev) => new Map(prev).set(id, { id, status: v.status, processingError: v.processingError }))
    } catch (err) {
      setActionError(err)
    }
  }

  const stateLine = (item: UploadItem<PickedFile>) => {
    const s = item.state
    switch (s.status) {
      case 'queued':
        return <Text className='t-body upload-state'>等待上传</Text>
      case 'uploading':
        return (
          <View>
            <Text className='t-body upload-state'>正在上传 {Math.round(s.progress * 100)}%</Text>
            <Progress percent={Math.round(s.progress * 100)} strokeWidth={8} activeColor='#0b4f9c' />
          </View>
        )
      case 'cancelled':
        return <Text className='t-body upload-state'>已取消</Text>
      case 'failed':
        return (
          <View>
            <Text className='t-body upload-state is-failed'>没有传上去：{s.message}</Text>
            {s.retryable ? (
              <Button className='btn btn-secondary t-body upload-retry' onClick={() => queue.retry(item.key)}>
                重试
              </Button>
            ) : null}
          </View>
        )
      case 'uploaded': {
        const p = processing.get(s.voucherId)
        if (p?.status === 'ready') return <Text className='t-body upload-state is-ready'>已传好，识别完成</Text>
        if (p?.status === 'failed')
          return (
            <View>
              <Text className='t-body upload-state is-failed'>识别失败：{p.processingError ?? '图片没有读出来'}</Text>
              <Button className='btn btn-secondary t-body upload-reprocess' onClick={() => reprocess(s.voucherId)}>
                重新识别
              </Button>
            </View>
          )
        return <Text className='t-body upload-state is-processing'>已传好，正在识别…</Text>
      }
    }
  }

  return (
    <PageFrame className='staff-page upload-page' back={{ label: '本月账目', onClick: () => goBackOr(monthUrl) }}>
      <Text className='t-title page-heading'>上传凭证</Text>
      <Text className='t-body page-subtitle'>{monthLabel(month)}。每张发票、收据拍一张，拍清楚金额和日期。</Text>
      <FilePicker onFiles={(files) => queue.add(files)} />
      {items.length ? (
        <View className='upload-summary' ariaRole='status'>
          <Text className='t-strong'>
            共 {summary.total} 张：已上传 {summary.uploaded} 张，识别完成 {ready} 张{summary.failed ? `，${summary.failed} 张没传上去` : ''}
          </Text>
          {summary.failed > 1 ? (
            <Button className='btn btn-secondary t-body' onClick={() => queue.retryAllFailed()}>
              全部重试
            </Button>
          ) : null}
        </View>
      ) : null}
      <View className='upload-list'>
        {items.map((item) => (
          <View key={item.key} className={`upload-item is-${item.state.status}`}>
            <Text className='t-body upload-name'>
              {item.file.name}（{sizeText(item.file.size)}）
            </Text>
            {stateLine(item)}
            {item.state.status === 'queued' || item.state.status === 'uploading' ? (
              <Button className='link-button t-body upload-cancel' onClick={() => queue.cancel(item.key)}>
                取消
              </Button>
            ) : null}
          </View>
        ))}
      </View>
      <StaffNotice error={actionError} />
      {items.length ? (
        <Button className='btn btn-secondary t-strong back-to-month' onClick={() => goBackOr(monthUrl)}>
          回到本月账目
        </Button>
      ) : null}
    </PageFrame>
  )
}
