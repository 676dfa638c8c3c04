import { useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import { PageFrame } from '../../components/page-frame'
import { HOME_PAGE } from '../../lib/links'
import { staffEntries } from '../../lib/staff/staff-session'
import { staffApi } from '../../lib/staff/taro-staff-api'
import { StaffNotice } from '../components/staff-notice'
import '../staff.css'

/** Only our own pages may be the place to go after logging in. */
function safeNext(next: string | undefined): string | null {
  if (!next) return null
  const url = decodeURIComponent(next)
  return /^\/(staff|pages)\/[a-z-]+\/index(\?[\w=&%.-]*)?$/.test(url) ? url : null
}

/** Username and password for village accountants and town officials. */
export default function StaffLogin() {
  const router = useRouter()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const submit = async () => {
    if (busy) return
    if (!username.trim() || !password) {
      setError(new Error('请填写用户名和密码'))
      return
    }
    setBusy(true)
    setError(null)
    try {
      const login = await staffApi.login({ username: username.trim(), password })
      const home = staffEntries(login.user)[0]?.url ?? HOME_PAGE
      Taro.redirectTo({ url: safeNext(router.params.next) ?? home })
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }

  return (
    <PageFrame className='staff-page login-page' back={{ label: '回首页', onClick: () => Taro.reLaunch({ url: HOME_PAGE }) }}>
      <Text className='t-title page-heading'>工作人员登录</Text>
      <Text className='t-body page-subtitle'>村会计上传凭证，镇里审核公开。村民查看不需要登录。</Text>
      <View className='form-field'>
        <Text className='t-strong form-label'>用户名</Text>
        <Input className='text-input t-body' name='username' value={username} onInput={(e) => setUsername(e.detail.value)} placeholder='请输入用户名' />
      </View>
      <View className='form-field'>
        <Text className='t-strong form-label'>密码</Text>
        <Input
          className='text-input t-body'
          name='password'
          password
          value={password}
          onInput={(e) => setPassword(e.detail.value)}
          onConfirm={submit}
          placeholder='请输入密码'
        />
      </View>
      <StaffNotice error={error} />
      {/* `disabled={false}` would reach Taro H5 as the attribute disabled="false", which its CSS greys out: leave it off instead. */}
      <Button className='btn btn-primary t-strong login-submit' loading={busy} disabled={busy || undefined} onClick={submit}>
        登录
      </Button>
    </PageFrame>
  )
}
