import { useCallback, useRef, useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import type { SearchHit } from '@shared/schemas/public'
import { ApiError, NETWORK_ERROR_MESSAGE, searchReceipts } from '../../api/client'
import { PageFrame } from '../../components/page-frame'
import { ReceiptRow } from '../../components/receipt-row'
import { EmptyView, ErrorView, LoadingView } from '../../components/status-views'
import { idParam, receiptPath, villagePath } from '../../lib/links'
import { monthLabel } from '../../lib/months'
import { goBackOr, openPage } from '../../lib/navigation'
import './index.css'

const PAGE_SIZE = 20

type Scope = 'village' | 'town'

type SearchState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'error'; message: string; detail: string | null }
  | { kind: 'ready'; q: string; scope: Scope; hits: SearchHit[]; total: number; page: number; loadingMore: boolean }

/** Search the published receipts of this village, or of its whole town. */
export default function SearchPage() {
  const router = useRouter()
  const villageId = idParam(router.params.villageId)
  const townId = idParam(router.params.townId)
  const [text, setText] = useState('')
  const [scope, setScope] = useState<Scope>('village')
  const [state, setState] = useState<SearchState>({ kind: 'idle' })
  const latest = useRef(0)

  const run = useCallback(
    (q: string, where: Scope, page: number, previous: SearchHit[]) => {
      const query = q.trim()
      if (!query) return
      const attempt = ++latest.current
      if (page === 1) setState({ kind: 'loading' })
      else setState((s) => (s.kind === 'ready' ? { ...s, loadingMore: true } : s))
      const filter = where === 'town' && townId ? { townId } : { villageId: villageId || undefined }
      searchReceipts({ q: query, page, pageSize: PAGE_SIZE, ...filter }).then(
        (result) => {
          if (attempt !== latest.current) return
          setState({ kind: 'ready', q: query, scope: where, hits: previous.concat(result.hits), total: result.total, page, loadingMore: false })
        },
        (err: unknown) => {
          if (attempt !== latest.current) return
          const detail = err instanceof ApiError && err.status >= 400 && err.status < 500 ? err.message : null
          setState({ kind: 'error', message: detail ? '没法这样查找' : NETWORK_ERROR_MESSAGE, detail })
        },
      )
    },
    [villageId, townId],
  )

  const submit = () => run(text, scope, 1, [])
  const changeScope = (next: Scope) => {
    setScope(next)
    if (text.trim()) run(text, next, 1, [])
  }

  return (
    <PageFrame className='search-page' back={{ label: '返回本村', onClick: () => goBackOr(villageId ? villagePath(villageId) : '/pages/index/index') }}>
      <View className='page-heading'>
        <Text className='t-title'>查找收据</Text>
        <Text className='t-body page-subtitle'>输入收款方、用途或发票号码里的字，比如“水泥”“五金”。</Text>
      </View>

      <View className='search-form'>
        <Input
          className='text-input search-input t-body'
          type='text'
          value={text}
          maxlength={100}
          placeholder='要找什么？'
          placeholderClass='search-placeholder'
          confirmType='search'
          onInput={(e) => setText(e.detail.value)}
          onConfirm={submit}
        />
        <Button className='btn btn-primary search-button t-strong' onClick={submit}>
          查找
        </Button>
      </View>

      {townId ? (
        <View className='scope-row'>
          <Text className='t-body chips-label'>查找范围：</Text>
          <View className='chip-row'>
            <Button className={`chip scope-chip t-body${scope === 'village' ? ' is-selected' : ''}`} onClick={() => changeScope('village')}>
              只找本村
            </Button>
            <Button className={`chip scope-chip t-body${scope === 'town' ? ' is-selected' : ''}`} onClick={() => changeScope('town')}>
              全镇各村
            </Button>
          </View>
        </View>
      ) : null}

      {state.kind === 'idle' && <Text className='t-body search-hint'>只会找到已经公开的收据。</Text>}
      {state.kind === 'loading' && <LoadingView lines={4} />}
      {state.kind === 'error' && <ErrorView message={state.message} detail={state.detail} onRetry={submit} />}
      {state.kind === 'ready' && state.hits.length === 0 && (
        <EmptyView title={`没有找到含“${state.q}”的收据`} explanation={state.scope === 'village' && townId ? '可以换个字，或者改成“全镇各村”再找。' : '可以换个字再找。'} />
      )}
      {state.kind === 'ready' && state.hits.length > 0 && (
        <View className='search-results'>
          <Text className='t-strong search-count'>找到 {state.total} 张收据</Text>
          <View className='receipt-list'>
            {state.hits.map((hit) => (
              <ReceiptRow
                key={hit.id}
                voucher={hit}
                caption={`${hit.villageName} · ${monthLabel(hit.month)}`}
                onOpen={(v) => openPage(receiptPath(v.id, v.villageId, v.month))}
              />
            ))}
          </View>
          {state.hits.length < state.total ? (
            <Button className='btn btn-secondary t-strong' disabled={state.loadingMore} onClick={() => run(state.q, state.scope, state.page + 1, state.hits)}>
              {state.loadingMore ? '正在加载…' : `再看 ${Math.min(PAGE_SIZE, state.total - state.hits.length)} 张`}
            </Button>
          ) : null}
        </View>
      )}
    </PageFrame>
  )
}
