import { monthSchema } from '../month';
import { amendmentListSchema, amendmentRequestSchema, amendmentSchema } from '../schemas/amendments';
import { auditEventSchema, auditListSchema } from '../schemas/audit';
import { loginRequestSchema, loginResponseSchema, meResponseSchema } from '../schemas/auth';
import { CHAIN_ENTRY_KINDS, chainEntrySchema, digestSchema, villageChainSchema } from '../schemas/chain';
import { townListSchema } from '../schemas/directory';
import { errorBodySchema } from '../schemas/errors';
import { healthSchema, readinessSchema } from '../schemas/health';
import { approveRequestSchema, monthStatusSchema, rejectRequestSchema, reviewQueueItemSchema, reviewQueueSchema } from '../schemas/months';
import {
  publicAmendmentSchema,
  publicVillageRefSchema,
  publicVillageSchema,
  publicVoucherDetailSchema,
  publicVoucherSchema,
  publishedMonthSchema,
  publishedMonthSummarySchema,
  searchHitSchema,
  searchResultSchema,
  villageStatsSchema,
} from '../schemas/public';
import { createUserRequestSchema, userListSchema, userSchema } from '../schemas/users';
import { staffVoucherListSchema, staffVoucherSchema, uploadResponseSchema, uploadResultSchema, voucherPatchSchema } from '../schemas/vouchers';
import { z } from '../zod';
import { named } from './schema-names';

/**
 * The schemas that appear under `components/schemas`, by name. Request bodies are described
 * as the client sends them, the rest as the server sends them.
 */

// Requests
export const LoginRequest = named('LoginRequest', loginRequestSchema);
export const CreateUserRequest = named('CreateUserRequest', createUserRequestSchema);
export const VoucherPatch = named('VoucherPatch', voucherPatchSchema);
export const ApproveRequest = named('ApproveRequest', approveRequestSchema);
export const RejectRequest = named('RejectRequest', rejectRequestSchema);
export const AmendmentRequest = named('AmendmentRequest', amendmentRequestSchema);

// Staff-side responses
export const User = named('User', userSchema);
export const LoginResponse = named('LoginResponse', loginResponseSchema);
export const MeResponse = named('MeResponse', meResponseSchema);
export const UserList = named('UserList', userListSchema);
export const UserResponse = named('UserResponse', z.object({ user: userSchema }));
export const TownList = named('TownList', townListSchema);
export const MonthStatus = named('MonthStatus', monthStatusSchema);
export const ReviewQueueItem = named('ReviewQueueItem', reviewQueueItemSchema);
export const ReviewQueue = named('ReviewQueue', reviewQueueSchema);
export const StaffVoucher = named('StaffVoucher', staffVoucherSchema);
export const StaffVoucherList = named('StaffVoucherList', staffVoucherListSchema);
export const VoucherResponse = named('VoucherResponse', z.object({ voucher: staffVoucherSchema }));
export const UploadResult = named('UploadResult', uploadResultSchema);
export const UploadResponse = named('UploadResponse', uploadResponseSchema);
/**
 * A refused upload: the error, and when files were received but none was filed, every file's
 * result (the error is then the first file's problem).
 */
export const UploadRefused = named(
  'UploadRefused',
  z.object({
    error: errorBodySchema.shape.error.extend({ existingVoucherId: z.number().int().optional() }),
    results: z.array(uploadResultSchema).optional(),
  }),
);
export const Amendment = named('Amendment', amendmentSchema);
export const AmendmentList = named('AmendmentList', amendmentListSchema);
export const AmendmentResponse = named('AmendmentResponse', z.object({ amendment: amendmentSchema }));
export const AuditEvent = named('AuditEvent', auditEventSchema);
export const AuditList = named('AuditList', auditListSchema);

// Public responses
export const ChainEntry = named('ChainEntry', chainEntrySchema);
export const VillageChain = named('VillageChain', villageChainSchema);
/**
 * A chain entry's manifest, byte for byte as hashed. Only the fields common to both kinds are
 * spelled out; the rest depend on `kind` and are described in the project's documentation.
 */
export const ChainManifest = named(
  'ChainManifest',
  z.looseObject({
    format: z.literal('yiyanming.chain/1'),
    kind: z.enum(CHAIN_ENTRY_KINDS),
    village: z.object({ id: z.number().int(), name: z.string() }),
    month: monthSchema,
    totalFen: z.number().int(),
    approvedAt: z.string(),
    prev: digestSchema.nullable(),
  }),
);
export const PublicVillageRef = named('PublicVillageRef', publicVillageRefSchema);
export const PublicVoucher = named('PublicVoucher', publicVoucherSchema);
export const PublicAmendment = named('PublicAmendment', publicAmendmentSchema);
export const PublishedMonthSummary = named('PublishedMonthSummary', publishedMonthSummarySchema);
export const PublicVillage = named('PublicVillage', publicVillageSchema);
export const PublishedMonth = named('PublishedMonth', publishedMonthSchema);
export const PublicVoucherDetail = named('PublicVoucherDetail', publicVoucherDetailSchema);
export const SearchHit = named('SearchHit', searchHitSchema);
export const SearchResult = named('SearchResult', searchResultSchema);
export const VillageStats = named('VillageStats', villageStatsSchema);

// Health
export const Health = named('Health', healthSchema);
export const Readiness = named('Readiness', readinessSchema);
