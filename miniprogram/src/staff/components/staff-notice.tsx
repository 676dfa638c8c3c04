import { Button, Text, View } from '@tarojs/components'
import { isReloadError } from '../../lib/staff/staff-api'

/** A failed action in the server's own words; a 409 "someone changed it" offers to reload. */
export function StaffNotice({ error, onReload }: { error: unknown; onReload?: () => void }) {
  if (!error) return null
  const message = error instanceof Error && error.message ? error.message : '出了点问题，请再试一次'
  const reload = isReloadError(error)
  return (
    <View className='notice-box staff-error' ariaRole='alert'>
      <Text className='t-strong staff-error-text'>{message}</Text>
      {reload && onReload ? (
        <Button className='btn btn-secondary t-body staff-reload' onClick={onReload}>
          重新加载
        </Button>
      ) : null}
    </View>
  )
}
