import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { HOME_PAGE } from '../lib/links'
import { staffEntries } from '../lib/staff/staff-session'
import { staffSession } from '../lib/staff/taro-staff-api'

const ROLE_TEXT = { accountant: '村会计', official: '镇审核', admin: '管理员' } as const

/**
 * The staff member's entries (by role) and 退出登录, on every page while someone is logged in.
 * Villagers never log in, so they never see it.
 */
export function StaffBar() {
  const [user, setUser] = useState(() => staffSession.user())
  useDidShow(() => setUser(staffSession.user()))
  if (!user) return null
  const logout = () => {
    staffSession.clear()
    setUser(null)
    Taro.reLaunch({ url: HOME_PAGE })
  }
  return (
    <View className='staff-bar' ariaLabel='工作人员'>
      <Text className='t-note staff-bar-who'>
        {user.displayName}（{ROLE_TEXT[user.role]}）
      </Text>
      <View className='staff-bar-links'>
        {staffEntries(user).map((entry) => (
          <Button key={entry.key} className='link-button t-body staff-bar-link' onClick={() => Taro.redirectTo({ url: entry.url })}>
            {entry.title}
          </Button>
        ))}
        <Button className='link-button t-body staff-bar-link staff-logout' onClick={logout}>
          退出登录
        </Button>
      </View>
    </View>
  )
}
