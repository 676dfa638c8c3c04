import { useCallback, useEffect, useRef, useState } from 'react'
import { useDidShow, useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { MonthStatus } from '@shared/schemas/months'
import type { StaffVoucher } from '@shared/schemas/vouchers'
import { PageFrame } from '../../components/page-frame'
import { EmptyView, ErrorView, LoadingView } from '../../components/status-views'
import { idParam, monthPath } from '../../lib/links'
import { capitalText, yuanText } from '../../lib/money-format'
import { addMonths, isMonthText, monthLabel } from '../../lib/months'
import { openPage } from '../../lib/navigation'
import { FLAG_TEXT, MONTH_STATUS_TEXT, currentMonthInShanghai, isEditableStatus, summarizeMonth } from '../../lib/staff/month-summary'
import { STAFF_PAGES } from '../../lib/staff/staff-session'
import { staffApi } from '../../lib/staff/taro-staff-api'
import { StaffNotice } from '../components/staff-notice'
import { goToLogin, useStaffUser } from '../components/use-staff-user'
import { VoucherCard } from '../components/voucher-card'
import '../staff.css'

type Load = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; status: MonthStatus; vouchers: StaffVoucher[] }

/** The accountant's month: its state, its vouchers, upload and submit. */
export default function StaffMonth() {
  const router = useRouter()
  const user = useStaffUser()
  const villageId = idParam(router.params.villageId) ?? user?.villageId ?? null
  const thisMonth = currentMonthInShanghai(Date.now())
  const [month, setMonth] = useState(isMonthText(router.params.month) ? router.params.month : thisMonth)
  const [load, setLoad] = useState<Load>({ kind: 'loading' })
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [actionError, setActionError] = useState<unknown>(null)
  const latest = useRef(0)

  const reload = useCallback(
    (quiet = false) => {
      if (!villageId) return
      const attempt = ++latest.current
      if (!quiet) setLoad({ kind: 'loading' })
      Promise.all([staffApi.monthStatus(villageId, month), staffApi.listVouchers(villageId, month)]).then(
        ([status, vouchers]) => attempt === latest.current && setLoad({ kind: 'ready', status, vouchers }),
        (error: unknown) => {
          if (attempt !== latest.current) return
          if ((error as { status?: number }).status === 401) return goToLogin()
          setLoad({ kind: 'error', error })
        },
      )
    },
    [villageId, month],
  )

  useEffect(() => {
    setConfirming(false)
    setActionError(null)
    reload()
  }, [reload])
  useDidShow(() => reload(true))

  // While photos are being read, look again every few seconds.
  const processing = load.kind === 'ready' && load.vouchers.some((v) => v.status === 'processing')
  useEffect(() => {
    if (!processing) return
    const timer = setInterval(() => reload(true), 3000)
    return () => clearInterval(timer)
  }, [processing, reload])

  if (!user) return <PageFrame className='staff-page'><LoadingView /></PageFrame>
  if (!villageId) return <PageFrame className='staff-page'><EmptyView title='这个账号没有对应的村' /></PageFrame>

  const submit = async () => {
    setBusy(true)
    setActionError(null)
    try {
      await staffApi.submitMonth(villageId, month)
      setConfirming(false)
      reload(true)
    } catch (err) {
      setActionError(err)
    } finally {
      setBusy(false)
    }
  }

  const body = () => {
    if (load.kind === 'loading') return <LoadingView />
    if (load.kind === 'error') return <ErrorView message={(load.error as Error).message || '没有加载出来'} onRetry={() => reload()} />
    const { status, vouchers } = load
    const summary = summarizeMonth(vouchers)
    const editable = isEditableStatus(status.status)
    return (
      <View>
        <View className={`staff-status is-${status.status}`}>
          <Text className='t-strong staff-status-text'>状态：{MONTH_STATUS_TEXT[status.status]}</Text>
          {status.status === 'rejected' && status.rejectionReason ? (
            <Text className='t-body staff-rejection'>退回理由：{status.rejectionReason}</Text>
          ) : null}
          <Text className='t-body staff-total'>
            共 {summary.count} 张，合计 {yuanText(summary.totalFen)}
          </Text>
        </View>
        {status.status === 'published' ? (
          <Button className='btn btn-secondary t-body' onClick={() => openPage(monthPath(villageId, month))}>
            看村民看到的公开页面
          </Button>
        ) : null}
        {editable && user.role === 'accountant' ? (
          <Button className='btn btn-primary t-strong staff-upload-button' onClick={() => openPage(`${STAFF_PAGES.upload}?villageId=${villageId}&month=${month}`)}>
            上传凭证
          </Button>
        ) : null}
        {vouchers.length === 0 ? (
          <EmptyView title='这个月还没有凭证' explanation={editable ? '点上面的“上传凭证”，拍照或选择照片。' : undefined} />
        ) : (
          <View className='staff-voucher-list'>
            {vouchers.map((v, i) => (
              <VoucherCard key={v.id} voucher={v} position={i + 1} onOpen={() => openPage(`${STAFF_PAGES.voucher}?id=${v.id}`)} />
            ))}
          </View>
        )}
        {editable && user.role === 'accountant' && vouchers.length > 0 ? (
          confirming ? (
            <View className='notice-box staff-confirm' ariaLabel='提交前核对'>
              <Text className='t-strong'>提交前请核对</Text>
              <Text className='t-body confirm-count'>凭证 {summary.count} 张</Text>
              <Text className='t-body confirm-total'>合计 {yuanText(summary.totalFen)}</Text>
              <Text className='t-note'>大写：{capitalText(summary.totalFen)}</Text>
              {summary.missingAmount ? <Text className='t-body'>有 {summary.missingAmount} 张没填金额</Text> : null}
              {(Object.keys(summary.openFlags) as Array<keyof typeof FLAG_TEXT>).map((k) =>
                summary.openFlags[k] ? (
                  <Text key={k} className='t-body'>
                    {FLAG_TEXT[k]}：{summary.openFlags[k]} 张
                  </Text>
                ) : null,
              )}
              {summary.blockers.map((b) => (
                <Text key={b.id} className='t-body staff-blocker'>
                  第 {b.position} 张{b.reason}
                </Text>
              ))}
              <StaffNotice error={actionError} onReload={() => reload()} />
              <Button className='btn btn-primary t-strong confirm-submit' loading={busy} disabled={(busy || summary.blockers.length > 0) || undefined} onClick={submit}>
                确认提交审核
              </Button>
              <Button className='btn btn-secondary t-body' onClick={() => setConfirming(false)}>
                先不提交
              </Button>
            </View>
          ) : (
            <Button className='btn btn-primary t-strong staff-submit' onClick={() => setConfirming(true)}>
              提交审核
            </Button>
          )
        ) : null}
      </View>
    )
  }

  return (
    <PageFrame className='staff-page months-page'>
      <View className='month-switch'>
        <Button className='btn btn-secondary t-body month-prev' onClick={() => setMonth(addMonths(month, -1))}>
          ‹ 上个月
        </Button>
        <Text className='t-title month-current'>{monthLabel(month)}</Text>
        <Button className='btn btn-secondary t-body month-next' disabled={(month >= thisMonth) || undefined} onClick={() => setMonth(addMonths(month, 1))}>
          下个月 ›
        </Button>
      </View>
      {body()}
    </PageFrame>
  )
}
