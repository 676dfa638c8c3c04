/** The staff API and session as the pages use them: Taro storage and api/client.ts's request. */
import { ApiError, request } from '../../api/client'
import { taroStore } from '../taro-store'
import { createStaffApi } from './staff-api'
import { createStaffSession } from './staff-session'

export const staffSession = createStaffSession(taroStore)
export const staffApi = createStaffApi({ request, ApiError, session: staffSession })
