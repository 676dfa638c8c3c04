import { useEffect, useMemo } from 'react'
import { useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { PublicVillage } from '@shared/schemas/public'
import { fetchVillage } from '../../api/client'
import { MonthBars } from '../../components/month-bars'
import { PageFrame } from '../../components/page-frame'
import { EmptyView, ErrorView, LoadingView, OfflineNotice } from '../../components/status-views'
import { useRemote } from '../../hooks/use-remote'
import { chooseVillagePath, idParam, monthPath, searchPath } from '../../lib/links'
import { monthBars } from '../../lib/month-bars'
import { monthLabel, newestFirst } from '../../lib/months'
import { yuanText } from '../../lib/money-format'
import { openPage, startOver } from '../../lib/navigation'
import { villageCache } from '../../lib/offline-stores'
import { saveLastVillage } from '../../lib/settings'
import { taroStore } from '../../lib/taro-store'
import { setPageTitle } from '../../lib/page-title'
import './index.css'

/** A village: its published months, newest first, and a chart of the last twelve months' totals. */
export default function VillagePage() {
  const router = useRouter()
  const villageId = idParam(router.params.villageId)
  const [state, retry] = useRemote<PublicVillage>(
    `village/${villageId}`,
    () => (villageId ? fetchVillage(villageId) : Promise.reject(new Error('bad link'))),
    villageId ? { load: () => villageCache.load(String(villageId)), save: (v) => villageCache.save(String(villageId), v) } : null,
  )

  const data = state.kind === 'ready' ? state.data : null
  useEffect(() => {
    if (!data) return
    saveLastVillage(taroStore, { id: data.village.id, name: data.village.name, townId: data.village.townId, townName: data.village.townName })
    setPageTitle(data.village.name)
  }, [data])

  const months = useMemo(() => (data ? newestFirst(data.months) : []), [data])
  const bars = useMemo(() => monthBars(months), [months])
  const changeVillage = () => startOver(chooseVillagePath())

  if (!villageId) {
    return (
      <PageFrame className='village-page'>
        <EmptyView title='链接不完整' explanation='没有说明是哪个村。请从首页选村。' action={{ label: '去首页选村', onClick: changeVillage }} />
      </PageFrame>
    )
  }

  return (
    <PageFrame className='village-page' back={{ label: '换一个村', onClick: changeVillage }}>
      {state.kind === 'loading' && <LoadingView lines={6} />}
      {state.kind === 'error' && <ErrorView message={state.message} detail={state.detail} onRetry={retry} />}
      {state.kind === 'notFound' && <EmptyView title='没有这个村' explanation='这个村可能已改名或并村。请回首页重新选。' action={{ label: '去首页选村', onClick: changeVillage }} />}

      {data && state.kind === 'ready' ? (
        <View className='village-body'>
          {state.offlineSince !== null ? <OfflineNotice savedAt={state.offlineSince} onRetry={retry} /> : null}
          <View className='page-heading'>
            <Text className='t-huge village-name'>{data.village.name}</Text>
            <Text className='t-body page-subtitle'>{data.village.townName}</Text>
          </View>

          <Button className='btn btn-secondary search-entry t-strong' onClick={() => openPage(searchPath(data.village.id, data.village.townId))}>
            查找收据（收款方、用途）
          </Button>

          <View className='section'>
            <Text className='t-title section-title'>每月公开的收据</Text>
            {months.length === 0 ? (
              <EmptyView title='本村还没有公开的月份' explanation='村里上传收据、镇里审核通过以后，每个月的收据都会列在这里。' />
            ) : (
              <View className='month-list'>
                {months.map((m) => (
                  <View
                    key={m.month}
                    className='month-item'
                    data-month={m.month}
                    role='button'
                    ariaRole='button'
                    ariaLabel={`${monthLabel(m.month)}，${m.count} 张收据，合计 ${yuanText(m.totalFen)}`}
                    onClick={() => openPage(monthPath(data.village.id, m.month))}
                  >
                    <View className='month-item-main'>
                      <Text className='t-title month-item-label'>{monthLabel(m.month)}</Text>
                      <Text className='t-body month-item-count'>
                        {m.count} 张收据{m.amendmentCount > 0 ? ` · 公开后更正 ${m.amendmentCount} 次` : ''}
                      </Text>
                    </View>
                    <View className='month-item-side'>
                      <Text className='t-note'>合计</Text>
                      <Text className='t-strong month-item-total'>{yuanText(m.totalFen)}</Text>
                    </View>
                    <Text className='t-title month-item-arrow'>›</Text>
                  </View>
                ))}
              </View>
            )}
          </View>

          {bars.length > 0 ? (
            <View className='section chart-section'>
              <Text className='t-title section-title'>近 12 个月支出</Text>
              <Text className='t-note chart-note'>条越长，那个月花得越多。点有数字的月份可以查看。</Text>
              <MonthBars bars={bars} onOpen={(month) => openPage(monthPath(data.village.id, month))} />
            </View>
          ) : null}
        </View>
      ) : null}
    </PageFrame>
  )
}
