import { z } from '../zod';

export const ROLES = ['accountant', 'official', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const usernameSchema = z
  .string()
  .trim()
  .min(3, { message: '用户名至少 3 个字符' })
  .max(32, { message: '用户名最多 32 个字符' })
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, { message: '用户名只能用小写字母、数字、点、横线和下划线' });

export const passwordSchema = z
  .string()
  .min(8, { message: '密码至少 8 个字符' })
  .max(128, { message: '密码最多 128 个字符' });

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, { message: '请填写姓名' })
  .max(40, { message: '姓名最多 40 个字' })
  .regex(/^[^\u0000-\u001f\u007f<>]*$/, { message: '姓名里有不能用的字符' });

/** A staff member as the API shows it: accountants belong to a village, officials to a town. */
export const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  villageId: z.number().int().nullable(),
  townId: z.number().int().nullable(),
});
export type User = z.infer<typeof userSchema>;

const idSchema = z.number().int().positive();

export const createUserRequestSchema = z
  .object({
    username: usernameSchema,
    password: passwordSchema,
    displayName: displayNameSchema,
    role: roleSchema,
    villageId: idSchema.optional(),
    townId: idSchema.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.role === 'accountant' && value.villageId === undefined)
      ctx.addIssue({ code: 'custom', path: ['villageId'], message: '会计必须属于一个村' });
    if (value.role === 'official' && value.townId === undefined)
      ctx.addIssue({ code: 'custom', path: ['townId'], message: '镇干部必须属于一个镇' });
    if (value.role !== 'accountant' && value.villageId !== undefined)
      ctx.addIssue({ code: 'custom', path: ['villageId'], message: '只有会计才属于某个村' });
    if (value.role !== 'official' && value.townId !== undefined)
      ctx.addIssue({ code: 'custom', path: ['townId'], message: '只有镇干部才属于某个镇' });
  });
export type CreateUserRequest = z.infer<typeof createUserRequestSchema>;

export const userListSchema = z.object({ users: z.array(userSchema) });
