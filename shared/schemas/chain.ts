import { z } from '../zod';
import { monthSchema } from '../month';

/** sha256 hex of a manifest's canonical JSON bytes. */
export const digestSchema = z.string().regex(/^[0-9a-f]{64}$/, { message: '摘要应为 64 位小写十六进制（sha256）' });

export const CHAIN_ENTRY_KINDS = ['publication', 'amendment'] as const;
export type ChainEntryKind = (typeof CHAIN_ENTRY_KINDS)[number];

/** One link of a village's public chain; its manifest is at /api/chain/:digest. */
export const chainEntrySchema = z.object({
  seq: z.number().int(),
  digest: digestSchema,
  prev: digestSchema.nullable(),
  kind: z.enum(CHAIN_ENTRY_KINDS),
  month: monthSchema,
  createdAt: z.string(),
});
export type ChainEntry = z.infer<typeof chainEntrySchema>;

export const villageChainSchema = z.object({
  villageId: z.number().int(),
  villageName: z.string(),
  entries: z.array(chainEntrySchema),
});
export type VillageChain = z.infer<typeof villageChainSchema>;
