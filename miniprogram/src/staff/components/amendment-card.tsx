import { useState } from 'react'
import { Button, Text, Textarea, View } from '@tarojs/components'
import type { Amendment } from '@shared/schemas/amendments'
import { yuanText } from '../../lib/money-format'
import { monthLabel } from '../../lib/months'
import { staffApi } from '../../lib/staff/taro-staff-api'
import { StaffNotice } from './staff-notice'

const FIELD_TEXT: Record<string, string> = { amountFen: '金额', date: '日期', invoiceCode: '发票代码', invoiceNumber: '发票号码', payee: '收款方', description: '说明', category: '类别' }

/** What an amendment would change, in words. */
export function changesText(a: Amendment): string[] {
  if (a.changes.withdraw) return ['撤回这张凭证']
  const lines: string[] = []
  for (const [key, value] of Object.entries(a.changes.fields ?? {})) {
    const shown = key === 'amountFen' ? yuanText(value as number | null) : value === null ? '（清空）' : String(value)
    lines.push(`${FIELD_TEXT[key] ?? key}改为 ${shown}`)
  }
  if (a.changes.redactions) lines.push(`遮挡框改为 ${a.changes.redactions.length} 个`)
  return lines
}

/** A pending correction with 通过 / 退回 for the town official. */
export function AmendmentCard({ amendment, villageName, readOnly, onDecided }: { amendment: Amendment; villageName: string; readOnly: boolean; onDecided: () => void }) {
  const [reason, setReason] = useState('')
  const [override, setOverride] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true)
    setError(null)
    try {
      await work()
      onDecided()
    } catch (err) {
      if ((err as { code?: string }).code === 'personal_data_uncovered') setOverride('')
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='amendment-card'>
      <Text className='t-strong'>
        {villageName} {monthLabel(amendment.month)} · 凭证 {amendment.voucherId}
      </Text>
      {changesText(amendment).map((line) => (
        <Text key={line} className='t-body'>
          {line}
        </Text>
      ))}
      <Text className='t-body'>理由：{amendment.reason}</Text>
      <StaffNotice error={error} onReload={onDecided} />
      {readOnly ? null : (
        <View>
          {override !== null ? (
            <Textarea className='text-input text-area t-body' value={override} placeholder='仍要通过的理由（会记录在案）' onInput={(e) => setOverride(e.detail.value)} />
          ) : null}
          <Button className='btn btn-primary t-body approve-amendment' disabled={busy || undefined} onClick={() => act(() => staffApi.approveAmendment(amendment.id, override ? override : undefined))}>
            通过这条更正
          </Button>
          <Textarea className='text-input text-area t-body' value={reason} placeholder='退回理由' onInput={(e) => setReason(e.detail.value)} />
          <Button className='btn btn-secondary t-body reject-amendment' disabled={busy || undefined} onClick={() => act(() => staffApi.rejectAmendment(amendment.id, reason))}>
            退回这条更正
          </Button>
        </View>
      )}
    </View>
  )
}
