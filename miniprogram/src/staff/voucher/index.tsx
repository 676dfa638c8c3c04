import { useCallback, useEffect, useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { Button, Input, Text, Textarea, View } from '@tarojs/components'
import { CATEGORIES } from '@shared/categories'
import type { MonthStatus } from '@shared/schemas/months'
import type { Redaction, StaffVoucher, VoucherPatch } from '@shared/schemas/vouchers'
import { PageFrame } from '../../components/page-frame'
import { ErrorView, LoadingView } from '../../components/status-views'
import { idParam } from '../../lib/links'
import { capitalText } from '../../lib/money-format'
import { monthLabel } from '../../lib/months'
import { goBackOr } from '../../lib/navigation'
import { FLAG_TEXT, MONTH_STATUS_TEXT, openFlags } from '../../lib/staff/month-summary'
import { STAFF_PAGES } from '../../lib/staff/staff-session'
import { staffApi } from '../../lib/staff/taro-staff-api'
import { FORM_LABELS, fieldsFromForm, formOf, type FormField, type VoucherForm } from '../../lib/staff/voucher-form'
import { parseYuanToFen } from '@shared/money'
import { RedactionEditor } from '../components/redaction-editor'
import { StaffNotice } from '../components/staff-notice'
import { useStaffUser } from '../components/use-staff-user'
import '../staff.css'

type Load = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; voucher: StaffVoucher; status: MonthStatus }

const TEXT_FIELDS: FormField[] = ['amount', 'date', 'payee', 'description', 'invoiceCode', 'invoiceNumber']
const TYPE_TEXT: Record<Redaction['type'], string> = { idcard: '身份证号', phone: '电话号码', bankcard: '银行卡号', name: '姓名', manual: '手画' }

function sameBoxes(a: Redaction[], b: Redaction[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** One voucher: the picture (kept in view) with its redaction boxes, and its fields to correct. */
export default function StaffVoucherPage() {
  const router = useRouter()
  const user = useStaffUser()
  const id = idParam(router.params.id)
  const [load, setLoad] = useState<Load>({ kind: 'loading' })
  const [form, setForm] = useState<VoucherForm | null>(null)
  const [boxes, setBoxes] = useState<Redaction[]>([])
  const [selected, setSelected] = useState(-1)
  const [drawing, setDrawing] = useState(false)
  const [errors, setErrors] = useState<Partial<Record<FormField, string>>>({})
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState(false)
  const [confirmDelete, setConfirmDelete] = useState(false)
  const [actionError, setActionError] = useState<unknown>(null)

  const show = (voucher: StaffVoucher, status: MonthStatus) => {
    setLoad({ kind: 'ready', voucher, status })
    setForm(formOf(voucher))
    setBoxes(voucher.redactions)
    setSelected(-1)
    setErrors({})
  }

  const reload = useCallback(() => {
    if (!id) return
    setLoad({ kind: 'loading' })
    setActionError(null)
    staffApi
      .getVoucher(id)
      .then(async (voucher) => show(voucher, await staffApi.monthStatus(voucher.villageId, voucher.month)))
      .catch((error: unknown) => setLoad({ kind: 'error', error }))
  }, [id])
  useEffect(reload, [reload])

  // A processing voucher gets its fields and boxes when reading finishes.
  const processing = load.kind === 'ready' && load.voucher.status === 'processing'
  useEffect(() => {
    if (!processing) return
    const timer = setInterval(reload, 3000)
    return () => clearInterval(timer)
  }, [processing, reload])

  if (!user || load.kind === 'loading' || !form) {
    if (load.kind === 'error') return <PageFrame className='staff-page'><ErrorView message={(load.error as Error).message || '没有加载出来'} onRetry={reload} /></PageFrame>
    return <PageFrame className='staff-page'><LoadingView /></PageFrame>
  }
  if (load.kind !== 'ready') return null
  const { voucher, status } = load
  const reviewer = user.role === 'official' && status.status === 'submitted'
  const accountantMayEdit = user.role === 'accountant' && (status.status === 'draft' || status.status === 'rejected')
  const editable = (reviewer || accountantMayEdit) && voucher.status !== 'processing'
  const backUrl = reviewer
    ? `${STAFF_PAGES.reviewMonth}?villageId=${voucher.villageId}&month=${voucher.month}`
    : `${STAFF_PAGES.months}?villageId=${voucher.villageId}&month=${voucher.month}`
  const flags = openFlags(voucher)
  const natural = { width: voucher.width ?? 3, height: voucher.height ?? 4 }
  const imageUrl = voucher.status === 'failed' ? null : `/api/vouchers/${voucher.id}/image?variant=display&redacted=0&v=${voucher.version}`

  const change = (field: FormField, value: string) => {
    setForm({ ...form, [field]: value })
    setSaved(false)
    if (errors[field]) setErrors({ ...errors, [field]: undefined })
  }

  const save = async () => {
    const { fields, errors: found } = fieldsFromForm(form, voucher, CATEGORIES)
    setErrors(found)
    if (Object.keys(found).length) return
    const patch: VoucherPatch = { version: voucher.version }
    if (Object.keys(fields).length) patch.fields = fields
    if (!sameBoxes(boxes, voucher.redactions)) patch.redactions = boxes
    // Saving after looking at it is the accountant's "checked": open flags are acknowledged.
    if (flags.length) patch.acknowledgeFlags = flags.map((f) => f.type)
    setBusy(true)
    setActionError(null)
    try {
      show(await staffApi.patchVoucher(voucher.id, patch), status)
      setSaved(true)
    } catch (err) {
      setActionError(err)
    } finally {
      setBusy(false)
    }
  }

  const remove = async () => {
    setBusy(true)
    try {
      await staffApi.deleteVoucher(voucher.id)
      goBackOr(backUrl)
    } catch (err) {
      setActionError(err)
      setBusy(false)
    }
  }

  const reprocess = async () => {
    setActionError(null)
    try {
      await staffApi.reprocessVoucher(voucher.id)
      reload()
    } catch (err) {
      setActionError(err)
    }
  }

  const typedFen = parseYuanToFen(form.amount)

  return (
    <PageFrame className='staff-page voucher-page' back={{ label: '返回', onClick: () => goBackOr(backUrl) }}>
      <Text className='t-title page-heading'>凭证 {voucher.id}</Text>
      <Text className='t-body page-subtitle'>
        {monthLabel(voucher.month)}，{MONTH_STATUS_TEXT[status.status]}
        {editable ? '' : '（只能查看）'}
      </Text>
      <View className='voucher-editor'>
        <View className='editor-image-pane'>
          {voucher.status === 'failed' ? (
            <View className='notice-box'>
              <Text className='t-strong'>这张处理失败：{voucher.processingError ?? '图片没有读出来'}</Text>
              {editable || accountantMayEdit ? (
                <Button className='btn btn-secondary t-body' onClick={reprocess}>
                  重新识别
                </Button>
              ) : null}
            </View>
          ) : (
            <RedactionEditor
              imageUrl={imageUrl}
              natural={natural}
              redactions={boxes}
              selected={selected}
              drawing={drawing}
              readOnly={!editable}
              onSelect={setSelected}
              onDraw={(box) => {
                setBoxes([...boxes, { box, type: 'manual', source: 'manual' }])
                setSelected(boxes.length)
                setDrawing(false)
                setSaved(false)
              }}
            />
          )}
          {voucher.status === 'processing' ? <Text className='t-body'>正在识别，请稍等…</Text> : null}
          <Text className='t-note redaction-help'>黑框里的内容不会公开。{editable ? (drawing ? '现在用手指或鼠标在图上拖出一个框。' : '点“画一个遮挡框”后在图上拖动。') : ''}</Text>
          {editable ? (
            <View className='redaction-tools'>
              <Button className={`btn btn-secondary t-body draw-box${drawing ? ' is-on' : ''}`} onClick={() => setDrawing(!drawing)}>
                {drawing ? '不画了' : '画一个遮挡框'}
              </Button>
            </View>
          ) : null}
        </View>
        <View className='editor-form-pane'>
          <View className='redaction-list'>
            {boxes.length === 0 ? <Text className='t-body'>没有遮挡框</Text> : null}
            {boxes.map((r, i) => (
              <View key={i} className={`redaction-item${i === selected ? ' is-selected' : ''}`}>
                <Text className='t-body' onClick={() => setSelected(i)}>
                  框 {i + 1}：{TYPE_TEXT[r.type]}（{r.source === 'auto' ? '自动找到' : '人工画的'}）
                </Text>
                {editable ? (
                  <Button
                    className='btn btn-secondary t-body remove-box'
                    onClick={() => {
                      setBoxes(boxes.filter((_, j) => j !== i))
                      setSelected(-1)
                      setSaved(false)
                    }}
                  >
                    删除框 {i + 1}
                  </Button>
                ) : null}
              </View>
            ))}
          </View>
          {flags.length ? (
            <View className='notice-box voucher-flags'>
              {flags.map((f) => (
                <Text key={f.type} className={`t-body staff-flag is-${f.type}`}>
                  {FLAG_TEXT[f.type]}：{f.message}
                </Text>
              ))}
              {editable ? <Text className='t-note'>核对后点“保存”，就算确认过了。</Text> : null}
            </View>
          ) : null}
          {TEXT_FIELDS.map((field) => (
            <View key={field} className='form-field'>
              <Text className='t-strong form-label'>{FORM_LABELS[field]}</Text>
              {field === 'description' ? (
                <Textarea className='text-input text-area t-body' name={field} value={form[field]} disabled={!editable} maxlength={500} autoHeight onInput={(e) => change(field, e.detail.value)} />
              ) : (
                <Input className='text-input t-body' name={field} value={form[field]} disabled={!editable} type={field === 'amount' ? 'digit' : 'text'} onInput={(e) => change(field, e.detail.value)} />
              )}
              {field === 'amount' && typedFen !== null ? <Text className='t-note'>大写：{capitalText(typedFen)}</Text> : null}
              {errors[field] ? <Text className='t-body field-error'>{errors[field]}</Text> : null}
            </View>
          ))}
          <View className='form-field'>
            <Text className='t-strong form-label'>{FORM_LABELS.category}</Text>
            <View className='chip-row'>
              {CATEGORIES.map((c) => (
                <Button key={c} className={`chip t-body${form.category === c ? ' is-selected' : ''}`} disabled={!editable || undefined} onClick={() => change('category', c)}>
                  {c}
                </Button>
              ))}
            </View>
            {errors.category ? <Text className='t-body field-error'>{errors.category}</Text> : null}
          </View>
          <StaffNotice error={actionError} onReload={reload} />
          {saved ? <Text className='t-strong saved-note'>已保存</Text> : null}
          {editable ? (
            <Button className='btn btn-primary t-strong save-voucher' loading={busy} disabled={busy || undefined} onClick={save}>
              保存
            </Button>
          ) : null}
          {accountantMayEdit ? (
            confirmDelete ? (
              <View className='notice-box'>
                <Text className='t-strong'>确定删除这张凭证吗？删除后要重新上传。</Text>
                <Button className='btn btn-primary t-body confirm-delete' disabled={busy || undefined} onClick={remove}>
                  确定删除
                </Button>
                <Button className='btn btn-secondary t-body' onClick={() => setConfirmDelete(false)}>
                  不删
                </Button>
              </View>
            ) : (
              <Button className='btn btn-secondary t-body delete-voucher' onClick={() => setConfirmDelete(true)}>
                删除这张
              </Button>
            )
          ) : null}
        </View>
      </View>
    </PageFrame>
  )
}
