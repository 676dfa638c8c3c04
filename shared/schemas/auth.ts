import { z } from '../zod';
import { userSchema } from './users';

export const loginRequestSchema = z
  .object({
    username: z.string().trim().min(1, { message: '请填写用户名' }).max(64, { message: '用户名太长' }),
    password: z.string().min(1, { message: '请填写密码' }).max(256, { message: '密码太长' }),
  })
  .strict();
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const loginResponseSchema = z.object({
  token: z.string(),
  /** ISO 8601 in UTC; the client asks the user to log in again after this. */
  expiresAt: z.string(),
  user: userSchema,
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const meResponseSchema = z.object({ user: userSchema });
export type MeResponse = z.infer<typeof meResponseSchema>;
