import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import { ApiError, NETWORK_ERROR_MESSAGE, fetchTowns, type TownWithVillages } from '../../api/client'
import { PageFrame } from '../../components/page-frame'
import { EmptyView, ErrorView, LoadingView } from '../../components/status-views'
import { villagePath } from '../../lib/links'
import { openPage } from '../../lib/navigation'
import { loadLastVillage } from '../../lib/settings'
import { taroStore } from '../../lib/taro-store'
import { countVillages, filterTowns } from '../../lib/village-picker'
import './index.css'

type LoadState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string; detail: string | null }
  | { kind: 'ready'; towns: TownWithVillages[] }

/**
 * Home: choose the town, then the village (or type part of its name). The last village is
 * remembered and opened directly next time; its page has a button to come back here.
 */
export default function Index() {
  const router = useRouter()
  const choosing = router.params.choose === '1'
  const remembered = useMemo(() => loadLastVillage(taroStore), [])
  const opensRemembered = !choosing && remembered !== null

  const [state, setState] = useState<LoadState>({ kind: 'loading' })
  const [query, setQuery] = useState('')
  const [townId, setTownId] = useState<number | null>(null)
  const latest = useRef(0)

  const load = useCallback(() => {
    const attempt = ++latest.current
    setState({ kind: 'loading' })
    fetchTowns().then(
      (towns) => {
        if (attempt === latest.current) setState({ kind: 'ready', towns })
      },
      (err: unknown) => {
        if (attempt !== latest.current) return
        // A Chinese message from the server (e.g. "服务暂时不可用") is shown under the friendly line.
        const detail = err instanceof ApiError && err.message !== NETWORK_ERROR_MESSAGE ? err.message : null
        setState({ kind: 'error', message: NETWORK_ERROR_MESSAGE, detail })
      },
    )
  }, [])

  useEffect(() => {
    if (opensRemembered && remembered) {
      Taro.redirectTo({ url: villagePath(remembered.id) })
      return
    }
    load()
    return () => {
      latest.current++
    }
  }, [load, opensRemembered, remembered])

  const shown = useMemo(() => (state.kind === 'ready' ? filterTowns(state.towns, query, townId) : []), [state, query, townId])
  const openVillage = (id: number) => openPage(villagePath(id))

  if (opensRemembered && remembered) {
    return (
      <PageFrame className='home-page'>
        <View className='status-view'>
          <Text className='t-strong'>正在打开{remembered.name}…</Text>
        </View>
      </PageFrame>
    )
  }

  return (
    <PageFrame className='home-page'>
      <View className='home-header'>
        <Text className='t-huge home-title'>一眼明</Text>
        <Text className='t-body home-tagline'>村里的每一张发票，一眼看明白</Text>
      </View>

      {remembered ? (
        <View className='remembered-box'>
          <Text className='t-body'>上次看的是：</Text>
          <Button className='btn btn-primary remembered-button t-strong' onClick={() => openVillage(remembered.id)}>
            {remembered.townName ? `${remembered.townName} ${remembered.name}` : remembered.name}
          </Button>
        </View>
      ) : null}

      {state.kind === 'loading' && <LoadingView />}

      {state.kind === 'error' && <ErrorView message={state.message} detail={state.detail} onRetry={load} />}

      {state.kind === 'ready' && state.towns.length === 0 && <EmptyView title='还没有镇村数据' explanation='镇里录入村子以后，这里就能选了。' />}

      {state.kind === 'ready' && state.towns.length > 0 && (
        <View className='picker'>
          <Text className='t-title picker-step'>找到您的村</Text>
          <Input
            className='text-input village-search t-body'
            type='text'
            value={query}
            placeholder='输入村名里的一个字，比如“石”'
            placeholderClass='search-placeholder'
            confirmType='search'
            ariaLabel='输入村名查找'
            onInput={(e) => setQuery(e.detail.value)}
          />

          {state.towns.length > 1 ? (
            <View className='town-chips'>
              <Text className='t-body chips-label'>先选镇：</Text>
              <View className='chip-row'>
                <Button className={`chip t-body${townId === null ? ' is-selected' : ''}`} onClick={() => setTownId(null)}>
                  全部镇
                </Button>
                {state.towns.map((town) => (
                  <Button key={town.id} className={`chip town-chip t-body${townId === town.id ? ' is-selected' : ''}`} onClick={() => setTownId(town.id)}>
                    {town.name}
                  </Button>
                ))}
              </View>
            </View>
          ) : null}

          {shown.length === 0 ? (
            <EmptyView title={`没有找到“${query.trim()}”`} explanation='请换一个字试试，或者先选镇再找村。' />
          ) : (
            <View className='town-list'>
              <Text className='t-body chips-label'>再选村（共 {countVillages(shown)} 个）：</Text>
              {shown.map((town) => (
                <View className='town-item' key={town.id}>
                  <Text className='t-title town-name'>{town.name}</Text>
                  {town.villages.length === 0 ? (
                    <Text className='t-body town-no-village'>这个镇还没有村</Text>
                  ) : (
                    <View className='village-list'>
                      {town.villages.map((village) => (
                        <Button className='village-button t-strong' key={village.id} data-village-id={village.id} onClick={() => openVillage(village.id)}>
                          {village.name}
                        </Button>
                      ))}
                    </View>
                  )}
                </View>
              ))}
            </View>
          )}
        </View>
      )}
    </PageFrame>
  )
}
