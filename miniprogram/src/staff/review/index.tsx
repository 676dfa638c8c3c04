import { useCallback, useEffect, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { Amendment } from '@shared/schemas/amendments'
import type { ReviewQueueItem } from '@shared/schemas/months'
import { fetchTowns } from '../../api/client'
import { PageFrame } from '../../components/page-frame'
import { EmptyView, ErrorView, LoadingView } from '../../components/status-views'
import { yuanText } from '../../lib/money-format'
import { dayLabel, monthLabel } from '../../lib/months'
import { openPage } from '../../lib/navigation'
import { FLAG_TEXT } from '../../lib/staff/month-summary'
import { STAFF_PAGES } from '../../lib/staff/staff-session'
import { staffApi } from '../../lib/staff/taro-staff-api'
import { AmendmentCard } from '../components/amendment-card'
import { goToLogin, useStaffUser } from '../components/use-staff-user'
import '../staff.css'

type Load = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; months: ReviewQueueItem[]; amendments: Amendment[]; names: Map<number, string> }

/** The town official's queue: submitted months to review, and corrections waiting for a decision. */
export default function StaffReviewQueue() {
  const user = useStaffUser()
  const [load, setLoad] = useState<Load>({ kind: 'loading' })

  const reload = useCallback(() => {
    Promise.all([staffApi.reviewQueue(), staffApi.pendingAmendments(), fetchTowns()]).then(
      ([months, amendments, towns]) => {
        const names = new Map<number, string>()
        for (const town of towns) for (const v of town.villages) names.set(v.id, v.name)
        setLoad({ kind: 'ready', months, amendments, names })
      },
      (error: unknown) => ((error as { status?: number }).status === 401 ? goToLogin() : setLoad({ kind: 'error', error })),
    )
  }, [])
  useEffect(reload, [reload])
  useDidShow(reload)

  const readOnly = user?.role !== 'official'
  const body = () => {
    if (load.kind === 'loading') return <LoadingView />
    if (load.kind === 'error') return <ErrorView message={(load.error as Error).message || '没有加载出来'} onRetry={reload} />
    return (
      <View>
        <Text className='t-title section-title'>等待审核的月份</Text>
        {load.months.length === 0 ? <EmptyView title='现在没有要审核的月份' /> : null}
        {load.months.map((m) => (
          <View
            key={`${m.villageId}-${m.month}`}
            className='queue-item'
            ariaRole='button'
            onClick={() => openPage(`${STAFF_PAGES.reviewMonth}?villageId=${m.villageId}&month=${m.month}`)}
          >
            <Text className='t-strong queue-title'>
              {m.villageName} {monthLabel(m.month)}
            </Text>
            <Text className='t-body'>
              {m.voucherCount} 张，合计 {yuanText(m.totalFen)}
            </Text>
            {m.submittedAt ? <Text className='t-note'>提交于 {dayLabel(m.submittedAt)}</Text> : null}
            {(Object.keys(m.flags) as Array<keyof typeof FLAG_TEXT>).map((k) =>
              m.flags[k] ? (
                <Text key={k} className={`t-note staff-flag is-${k}`}>
                  {FLAG_TEXT[k]} {m.flags[k]} 张
                </Text>
              ) : null,
            )}
            {m.uncoveredPersonalData ? <Text className='t-body staff-flag is-personal_data'>{m.uncoveredPersonalData} 张有个人信息没遮住</Text> : null}
          </View>
        ))}
        <Text className='t-title section-title'>等待审核的更正</Text>
        {load.amendments.length === 0 ? <EmptyView title='现在没有要审核的更正' /> : null}
        {load.amendments.map((a) => (
          <AmendmentCard key={a.id} amendment={a} villageName={load.names.get(a.villageId) ?? ''} readOnly={readOnly} onDecided={reload} />
        ))}
      </View>
    )
  }

  return <PageFrame className='staff-page review-page'>{user ? body() : <LoadingView />}</PageFrame>
}
