import { useCallback, useEffect, useState } from 'react'
import { useDidShow, useRouter } from '@tarojs/taro'
import { Button, Text, Textarea, View } from '@tarojs/components'
import type { Amendment } from '@shared/schemas/amendments'
import type { MonthStatus } from '@shared/schemas/months'
import type { StaffVoucher } from '@shared/schemas/vouchers'
import { PageFrame } from '../../components/page-frame'
import { EmptyView, ErrorView, LoadingView } from '../../components/status-views'
import { idParam, monthPath } from '../../lib/links'
import { capitalText, yuanText } from '../../lib/money-format'
import { isMonthText, monthLabel } from '../../lib/months'
import { goBackOr, openPage } from '../../lib/navigation'
import { FLAG_TEXT, MONTH_STATUS_TEXT, openFlags, summarizeMonth } from '../../lib/staff/month-summary'
import { STAFF_PAGES } from '../../lib/staff/staff-session'
import { staffApi } from '../../lib/staff/taro-staff-api'
import { AmendmentCard } from '../components/amendment-card'
import { openBoardPdf } from '../components/open-board-pdf'
import { RedactionEditor } from '../components/redaction-editor'
import { StaffNotice } from '../components/staff-notice'
import { goToLogin, useStaffUser } from '../components/use-staff-user'
import '../staff.css'

type Load = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; status: MonthStatus; vouchers: StaffVoucher[]; amendments: Amendment[] }

/** One voucher as the reviewer reads it: the original with its boxes, and the facts. */
function ReviewVoucher({ voucher, position, onEdit }: { voucher: StaffVoucher; position: number; onEdit: () => void }) {
  const flags = openFlags(voucher)
  return (
    <View className='review-voucher'>
      <Text className='t-strong'>
        第 {position} 张 · {yuanText(voucher.amountFen)}
      </Text>
      <RedactionEditor
        imageUrl={`/api/vouchers/${voucher.id}/image?variant=display&redacted=0&v=${voucher.version}`}
        natural={{ width: voucher.width ?? 3, height: voucher.height ?? 4 }}
        redactions={voucher.redactions}
        selected={-1}
        drawing={false}
        readOnly
        onSelect={() => undefined}
        onDraw={() => undefined}
      />
      <Text className='t-body'>收款方：{voucher.payee || '未填'}</Text>
      <Text className='t-body'>日期：{voucher.date || '未填'}</Text>
      {voucher.description ? <Text className='t-body'>说明：{voucher.description}</Text> : null}
      <Text className='t-body'>遮挡框：{voucher.redactions.length} 个</Text>
      {flags.map((f) => (
        <Text key={f.type} className={`t-note staff-flag is-${f.type}`}>
          {FLAG_TEXT[f.type]}：{f.message}
        </Text>
      ))}
      <Button className='btn btn-secondary t-body edit-voucher' onClick={onEdit}>
        查看或修改第 {position} 张
      </Button>
    </View>
  )
}

/** The official's review of a submitted month: every voucher, then approve (publish) or reject with a reason. */
export default function StaffReviewMonth() {
  const router = useRouter()
  const user = useStaffUser()
  const villageId = idParam(router.params.villageId)
  const month = isMonthText(router.params.month) ? router.params.month : null
  const [load, setLoad] = useState<Load>({ kind: 'loading' })
  const [rejectReason, setRejectReason] = useState('')
  const [override, setOverride] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [actionError, setActionError] = useState<unknown>(null)

  const reload = useCallback(() => {
    if (!villageId || !month) return
    Promise.all([staffApi.monthStatus(villageId, month), staffApi.listVouchers(villageId, month), staffApi.listAmendments(villageId, month)]).then(
      ([status, vouchers, amendments]) => setLoad({ kind: 'ready', status, vouchers, amendments }),
      (error: unknown) => ((error as { status?: number }).status === 401 ? goToLogin() : setLoad({ kind: 'error', error })),
    )
  }, [villageId, month])
  useEffect(reload, [reload])
  useDidShow(reload)

  if (!villageId || !month) return <PageFrame className='staff-page'><EmptyView title='地址不完整' /></PageFrame>
  const queueUrl = STAFF_PAGES.review

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true)
    setActionError(null)
    try {
      await work()
      setOverride(null)
      reload()
    } catch (err) {
      if ((err as { code?: string }).code === 'personal_data_uncovered') setOverride((o) => o ?? '')
      setActionError(err)
    } finally {
      setBusy(false)
    }
  }

  const body = () => {
    if (!user || load.kind === 'loading') return <LoadingView />
    if (load.kind === 'error') return <ErrorView message={(load.error as Error).message || '没有加载出来'} onRetry={reload} />
    const { status, vouchers, amendments } = load
    const summary = summarizeMonth(vouchers)
    const official = user.role === 'official'
    const pending = amendments.filter((a) => a.status === 'pending')
    return (
      <View>
        <View className={`staff-status is-${status.status}`}>
          <Text className='t-strong staff-status-text'>状态：{MONTH_STATUS_TEXT[status.status]}</Text>
          {status.rejectionReason ? <Text className='t-body staff-rejection'>退回理由：{status.rejectionReason}</Text> : null}
          <Text className='t-body staff-total'>
            共 {summary.count} 张，合计 {yuanText(summary.totalFen)}
          </Text>
          <Text className='t-note'>大写：{capitalText(summary.totalFen)}</Text>
        </View>
        {status.status === 'published' ? (
          <View className='notice-box published-links'>
            <Text className='t-strong'>已经公开，村民现在可以看到。</Text>
            <Button className='btn btn-secondary t-body open-public-month' onClick={() => openPage(monthPath(villageId, month))}>
              看公开页面
            </Button>
            <Button className='btn btn-secondary t-body open-board-pdf' onClick={() => openBoardPdf(villageId, month).catch(setActionError)}>
              打开公示单（PDF，可打印张贴）
            </Button>
          </View>
        ) : null}
        {vouchers.map((v, i) => (
          <ReviewVoucher key={v.id} voucher={v} position={i + 1} onEdit={() => openPage(`${STAFF_PAGES.voucher}?id=${v.id}`)} />
        ))}
        {vouchers.length === 0 ? <EmptyView title='这个月没有凭证' /> : null}
        <StaffNotice error={actionError} onReload={reload} />
        {official && status.status === 'submitted' ? (
          <View className='review-actions'>
            {override !== null ? (
              <View className='form-field'>
                <Text className='t-strong form-label'>仍要公开的理由（会记录在案）</Text>
                <Textarea className='text-input text-area t-body override-reason' value={override} onInput={(e) => setOverride(e.detail.value)} />
              </View>
            ) : null}
            <Button className='btn btn-primary t-strong approve-month' disabled={busy || undefined} onClick={() => act(() => staffApi.approveMonth(villageId, month, override ? override : undefined))}>
              审核通过，公开
            </Button>
            <View className='form-field'>
              <Text className='t-strong form-label'>退回理由</Text>
              <Textarea className='text-input text-area t-body reject-reason' name='rejectReason' value={rejectReason} placeholder='写清楚哪张有什么问题' onInput={(e) => setRejectReason(e.detail.value)} />
            </View>
            <Button className='btn btn-secondary t-strong reject-month' disabled={busy || undefined} onClick={() => act(() => staffApi.rejectMonth(villageId, month, rejectReason))}>
              退回给会计修改
            </Button>
          </View>
        ) : null}
        {pending.length ? <Text className='t-title section-title'>等待审核的更正</Text> : null}
        {pending.map((a) => (
          <AmendmentCard key={a.id} amendment={a} villageName='' readOnly={!official} onDecided={reload} />
        ))}
      </View>
    )
  }

  return (
    <PageFrame className='staff-page review-month-page' back={{ label: '待审核', onClick: () => goBackOr(queueUrl) }}>
      <Text className='t-title page-heading'>审核 {monthLabel(month)}</Text>
      {body()}
    </PageFrame>
  )
}
