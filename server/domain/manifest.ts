import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json';
import { factsOf, sha256OfImageKey, type VoucherFacts, type VoucherRecord } from './voucher';

/** Names the layout below; a reader meeting another value knows the rules changed. */
export const MANIFEST_FORMAT = 'yiyanming.chain/1';

/** Who approved or asked: the role and the name people know them by. */
export interface Signer {
  role: string;
  name: string;
}

/** What the public may check of one voucher: its facts and the hashes of its redacted images. */
export interface ManifestVoucher extends VoucherFacts {
  id: number;
  /** sha256 of the public (redacted) display copy and thumbnail, as stored. */
  displaySha256: string;
  thumbSha256: string;
}

interface ManifestBase {
  format: typeof MANIFEST_FORMAT;
  village: { id: number; name: string };
  month: string;
  /** The month's total after this entry, withdrawn vouchers not counted. */
  totalFen: number;
  approvedBy: Signer;
  approvedAt: string;
  /** Digest of the previous entry of the village's chain; null for its first. */
  prev: string | null;
}

export interface PublicationManifest extends ManifestBase {
  kind: 'publication';
  vouchers: ManifestVoucher[];
}

export interface AmendmentManifest extends ManifestBase {
  kind: 'amendment';
  /** Digest of the publication entry of the month this corrects. */
  amends: string;
  amendment: { id: number; reason: string; requestedBy: Signer | null; requestedAt: string };
  /** The voucher as it is after the amendment. */
  voucher: ManifestVoucher;
  withdrawn: boolean;
  /** Every value that changed, named by its manifest field. */
  changes: Record<string, { from: unknown; to: unknown }>;
}

export type Manifest = PublicationManifest | AmendmentManifest;
/** A manifest before it is linked into the chain. */
export type UnsealedManifest = Omit<PublicationManifest, 'prev'> | Omit<AmendmentManifest, 'prev'>;

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function manifestVoucher(v: VoucherRecord): ManifestVoucher {
  const displaySha256 = v.publicDisplayKey && sha256OfImageKey(v.publicDisplayKey);
  const thumbSha256 = v.publicThumbKey && sha256OfImageKey(v.publicThumbKey);
  if (!displaySha256 || !thumbSha256) throw new Error(`voucher ${v.id} has no public images to publish`);
  return { id: v.id, displaySha256, thumbSha256, ...factsOf(v) };
}

/** What differs between two states of a published voucher. */
export function voucherChanges(
  before: { voucher: ManifestVoucher; withdrawn: boolean },
  after: { voucher: ManifestVoucher; withdrawn: boolean },
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after.voucher) as Array<keyof ManifestVoucher>)
    if (before.voucher[key] !== after.voucher[key]) changes[key] = { from: before.voucher[key], to: after.voucher[key] };
  if (before.withdrawn !== after.withdrawn) changes.withdrawn = { from: before.withdrawn, to: after.withdrawn };
  return changes;
}

/** Links a manifest to the chain's head and fixes its bytes: the digest is the sha256 of exactly this text. */
export function sealManifest(body: UnsealedManifest, prev: string | null): { text: string; digest: string } {
  const text = canonicalJson({ ...body, prev });
  return { text, digest: sha256Hex(Buffer.from(text, 'utf8')) };
}

/** The next link of a village's chain for this manifest, whatever the head turns out to be. */
export function chainLink(body: UnsealedManifest, createdAt: Date, imageKeys: string[]) {
  return (head: { digest: string } | null) => {
    const { text, digest } = sealManifest(body, head?.digest ?? null);
    return { kind: body.kind, month: body.month, digest, manifest: text, createdAt, imageKeys };
  };
}
