import { Button, Text, View } from '@tarojs/components'
import { shortTimeLabel } from '../lib/months'

/** Grey placeholder lines while a page loads, with the words too. */
export function LoadingView({ lines = 4 }: { lines?: number }) {
  const rows: number[] = []
  for (let i = 0; i < lines; i++) rows.push(i)
  return (
    <View className='status-view loading-view' ariaLabel='正在加载'>
      <Text className='t-body status-text'>正在加载…</Text>
      {rows.map((i) => (
        <View key={i} className={`skeleton-line${i % 3 === 2 ? ' is-short' : ''}`} />
      ))}
    </View>
  )
}

/** Could not load: says so plainly and offers to try again. */
export function ErrorView({ message, detail, onRetry }: { message: string; detail?: string | null; onRetry: () => void }) {
  return (
    <View className='status-view error-view'>
      <Text className='t-strong error-text'>{message}</Text>
      {detail ? <Text className='t-body status-detail'>{detail}</Text> : null}
      <Text className='t-body status-detail'>请检查手机网络，再点下面的按钮。</Text>
      <Button className='btn btn-primary retry-button t-strong' onClick={onRetry}>
        重试
      </Button>
    </View>
  )
}

/** Nothing to show, and why. */
export function EmptyView({ title, explanation, action }: { title: string; explanation?: string; action?: { label: string; onClick: () => void } }) {
  return (
    <View className='status-view empty-view'>
      <Text className='t-title empty-title'>{title}</Text>
      {explanation ? <Text className='t-body status-detail'>{explanation}</Text> : null}
      {action ? (
        <Button className='btn btn-secondary t-strong' onClick={action.onClick}>
          {action.label}
        </Button>
      ) : null}
    </View>
  )
}

/** Shown above a saved copy used because the network is down. */
export function OfflineNotice({ savedAt, onRetry }: { savedAt: number; onRetry: () => void }) {
  return (
    <View className='notice-box offline-notice' ariaRole='alert'>
      <Text className='t-strong offline-title'>离线</Text>
      <Text className='t-body offline-text'>现在连不上网络，下面是 {shortTimeLabel(savedAt)} 保存在手机上的内容。</Text>
      <Button className='btn btn-secondary offline-retry t-body' onClick={onRetry}>
        重新联网加载
      </Button>
    </View>
  )
}
