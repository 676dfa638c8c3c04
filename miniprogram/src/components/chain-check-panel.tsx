import { useCallback, useEffect, useRef, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import type { PublicVoucherDetail } from '@shared/schemas/public'
import { fetchChain, fetchManifestBytes, requestBytes } from '../api/client'
import { checkMonthChain, type ChainCheckResult } from '../lib/chain-check'
import { imageSha256, shortDigest } from '../lib/digest-format'

type CheckState = { kind: 'checking' } | { kind: 'done'; result: ChainCheckResult } | { kind: 'unavailable' }

/**
 * The receipt page's 核验: the month's 核对码 (as on the printed sheet) and whether the village's
 * public chain checks out, recomputed on this phone.
 */
export function ChainCheckPanel({ detail, offline }: { detail: PublicVoucherDetail; offline: boolean }) {
  const [state, setState] = useState<CheckState>({ kind: 'checking' })
  const latest = useRef(0)
  const { voucher, village } = detail

  const run = useCallback(() => {
    const attempt = ++latest.current
    setState({ kind: 'checking' })
    fetchChain(village.id)
      .then((chain) =>
        checkMonthChain(
          chain.entries,
          { villageId: village.id, month: voucher.month, digest: detail.digest, publicationDigest: detail.publicationDigest },
          fetchManifestBytes,
          {
            id: voucher.id,
            amountFen: voucher.amountFen,
            payee: voucher.payee,
            date: voucher.date,
            withdrawn: voucher.status === 'withdrawn',
            displaySha256: imageSha256(voucher.imageUrl),
            loadImage: () => requestBytes(voucher.imageUrl),
          },
        ),
      )
      .then(
        (result) => {
          if (attempt === latest.current) setState({ kind: 'done', result })
        },
        () => {
          if (attempt === latest.current) setState({ kind: 'unavailable' })
        },
      )
  }, [detail, voucher, village])

  useEffect(() => {
    if (offline) setState({ kind: 'unavailable' })
    else run()
    return () => {
      latest.current++
    }
  }, [offline, run])

  return (
    <View className='section chain-check'>
      <Text className='t-title section-title'>核验</Text>
      <Text className='t-body chain-explain'>每个月公开时，系统把当月全部收据的内容算成一串“摘要”，一个接一个连成公开链。内容改动一个字，摘要就对不上。</Text>
      <View className='digest-box'>
        <Text className='t-body digest-label'>本月核对码（与村公开栏上的一致）</Text>
        <Text className='t-title digest-short'>{shortDigest(detail.digest)}</Text>
        <Text className='t-note digest-full' userSelect>
          完整摘要：{detail.digest}
        </Text>
      </View>

      {state.kind === 'checking' ? (
        <View className='chain-result is-checking'>
          <Text className='t-strong'>正在核验…</Text>
          <Text className='t-body'>正在手机上重新计算，请稍等。</Text>
        </View>
      ) : null}

      {state.kind === 'unavailable' ? (
        <View className='chain-result is-unavailable'>
          <Text className='t-strong chain-verdict'>暂时无法核验</Text>
          <Text className='t-body'>{offline ? '现在没有网络，联网后才能核验。' : '网络不好，没能取到公开链。'}</Text>
          {!offline ? (
            <Button className='btn btn-secondary t-body' onClick={run}>
              再核验一次
            </Button>
          ) : null}
        </View>
      ) : null}

      {state.kind === 'done' && state.result.ok ? (
        <View className='chain-result is-ok'>
          <Text className='t-title chain-verdict'>✓ 已核验</Text>
          <Text className='t-body'>这张收据和本月的记录都对得上，公开后没有被悄悄改动。</Text>
          {state.result.passed.map((line) => (
            <Text key={line} className='t-body chain-line'>
              · {line}
            </Text>
          ))}
        </View>
      ) : null}

      {state.kind === 'done' && !state.result.ok ? (
        <View className='chain-result is-failed'>
          <Text className='t-title chain-verdict'>✗ 核验失败</Text>
          <Text className='t-body'>下面这些地方对不上，请告诉镇里或村务监督委员会：</Text>
          {state.result.problems.map((line) => (
            <Text key={line} className='t-body chain-line'>
              · {line}
            </Text>
          ))}
        </View>
      ) : null}
    </View>
  )
}
