import { z } from '../zod';

export const villageSchema = z.object({
  id: z.number().int(),
  townId: z.number().int(),
  name: z.string(),
});
export type Village = z.infer<typeof villageSchema>;

export const townSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  villages: z.array(villageSchema.omit({ townId: true })),
});
export type Town = z.infer<typeof townSchema>;

export const townListSchema = z.object({ towns: z.array(townSchema) });
export type TownList = z.infer<typeof townListSchema>;

export const placeNameSchema = z
  .string()
  .trim()
  .min(2, { message: '名称至少 2 个字' })
  .max(40, { message: '名称最多 40 个字' })
  .regex(/^[^\u0000-\u001f\u007f<>]*$/, { message: '名称里有不能用的字符' });
