import { useCallback, useEffect, useRef, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { ApiError, NETWORK_ERROR_MESSAGE, fetchTowns, type TownWithVillages } from '../../api/client'
import './index.css'

type LoadState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string; detail: string | null }
  | { kind: 'ready'; towns: TownWithVillages[] }

export default function Index() {
  const [state, setState] = useState<LoadState>({ kind: 'loading' })
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
    load()
    return () => {
      latest.current++
    }
  }, [load])

  return (
    <View className='home-page'>
      <View className='home-header'>
        <Text className='home-title'>一眼明</Text>
        <Text className='home-tagline'>村里的每一张发票，一眼看明白</Text>
      </View>

      {state.kind === 'loading' && (
        <View className='home-status home-loading'>
          <Text>正在加载…</Text>
        </View>
      )}

      {state.kind === 'error' && (
        <View className='home-status home-error'>
          <Text className='home-error-text'>{state.message}</Text>
          {state.detail && <Text className='home-error-detail'>{state.detail}</Text>}
          <Button className='retry-button' onClick={load}>
            重试
          </Button>
        </View>
      )}

      {state.kind === 'ready' && state.towns.length === 0 && (
        <View className='home-status home-empty'>
          <Text>还没有镇村数据</Text>
        </View>
      )}

      {state.kind === 'ready' && state.towns.length > 0 && (
        <View className='town-list'>
          {state.towns.map((town) => (
            <View className='town-item' key={town.id}>
              <Text className='town-name'>{town.name}</Text>
              {town.villages.length === 0 ? (
                <Text className='town-no-village'>这个镇还没有村</Text>
              ) : (
                <View className='village-list'>
                  {town.villages.map((village) => (
                    <Button className='village-button' key={village.id} data-village-id={village.id}>
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
  )
}
