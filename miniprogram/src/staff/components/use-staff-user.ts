import { useEffect, useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import type { User } from '@shared/schemas/users'
import { STAFF_PAGES } from '../../lib/staff/staff-session'
import { staffSession } from '../../lib/staff/taro-staff-api'

/** The current page's address with its query, to come back to after logging in. */
function currentUrl(): string {
  const router = Taro.getCurrentInstance().router
  if (!router || !router.path) return ''
  const route = router.path.split('?')[0]
  const params = router.params ?? {}
  const query = Object.keys(params)
    .filter((k) => !k.startsWith('$') && k !== 'stamp' && params[k] !== undefined)
    .map((k) => `${k}=${encodeURIComponent(String(params[k]))}`)
    .join('&')
  return `${route.startsWith('/') ? '' : '/'}${route}${query ? `?${query}` : ''}`
}

export function goToLogin(): void {
  const next = currentUrl()
  Taro.redirectTo({ url: `${STAFF_PAGES.login}${next ? `?next=${encodeURIComponent(next)}` : ''}` })
}

/** The logged-in staff member; sends the user to the login page (and back here after) when there is none. */
export function useStaffUser(): User | null {
  const [user, setUser] = useState<User | null>(() => staffSession.user())
  useDidShow(() => setUser(staffSession.user()))
  useEffect(() => {
    if (!user) goToLogin()
  }, [user])
  return user
}
