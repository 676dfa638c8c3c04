import type { PublicAmendment, PublicVillageRef, PublicVoucher, PublishedMonth } from '../../shared/schemas/public';
import type { AmendmentManifest, Manifest, ManifestVoucher, PublicationManifest } from './manifest';

/** A chain entry as the public read side needs it. */
export interface MonthEntry {
  digest: string;
  manifest: string;
}

/** Where the public fetches an image named by its sha256 in a manifest. */
export type ImageUrlOf = (sha256: string, variant: 'display' | 'thumb') => string;

interface VoucherState {
  voucher: ManifestVoucher;
  withdrawn: boolean;
  withdrawnReason: string | null;
  amendmentCount: number;
}

/**
 * A published month exactly as its chain entries say: the publication manifest, then each
 * approved amendment applied in order. The public never sees a value the chain does not hold.
 */
export function publishedMonthFromChain(village: PublicVillageRef, entries: MonthEntry[], imageUrl: ImageUrlOf): PublishedMonth {
  if (entries.length === 0) throw new Error('a published month has at least its publication entry');
  const manifests = entries.map((e) => JSON.parse(e.manifest) as Manifest);
  const publication = manifests[0];
  if (publication.kind !== 'publication') throw new Error(`the first entry of ${publication.month} is not its publication`);

  const states = new Map<number, VoucherState>();
  for (const voucher of (publication as PublicationManifest).vouchers)
    states.set(voucher.id, { voucher, withdrawn: false, withdrawnReason: null, amendmentCount: 0 });

  const amendments: PublicAmendment[] = [];
  manifests.slice(1).forEach((manifest, i) => {
    if (manifest.kind !== 'amendment') throw new Error(`entry ${entries[i + 1].digest} of a published month is not an amendment`);
    const amendment = manifest as AmendmentManifest;
    const state = states.get(amendment.voucher.id);
    if (!state) throw new Error(`amendment ${entries[i + 1].digest} names voucher ${amendment.voucher.id}, which the month does not hold`);
    state.voucher = amendment.voucher;
    state.withdrawn = amendment.withdrawn;
    state.withdrawnReason = amendment.withdrawn ? amendment.amendment.reason : null;
    state.amendmentCount += 1;
    amendments.push({
      digest: entries[i + 1].digest,
      voucherId: amendment.voucher.id,
      reason: amendment.amendment.reason,
      approvedAt: amendment.approvedAt,
      withdrawn: amendment.withdrawn,
      changes: amendment.changes,
      totalFen: amendment.totalFen,
    });
  });

  const vouchers: PublicVoucher[] = [...states.values()].map(({ voucher, withdrawn, withdrawnReason, amendmentCount }) => ({
    id: voucher.id,
    villageId: village.id,
    month: publication.month,
    amountFen: voucher.amountFen,
    date: voucher.date,
    payee: voucher.payee,
    description: voucher.description,
    category: voucher.category,
    invoiceCode: voucher.invoiceCode,
    invoiceNumber: voucher.invoiceNumber,
    thumbUrl: imageUrl(voucher.thumbSha256, 'thumb'),
    imageUrl: imageUrl(voucher.displaySha256, 'display'),
    status: withdrawn ? 'withdrawn' : 'valid',
    withdrawnReason,
    amendmentCount,
  }));

  return {
    village,
    month: publication.month,
    publishedAt: publication.approvedAt,
    count: vouchers.filter((v) => v.status === 'valid').length,
    totalFen: manifests[manifests.length - 1].totalFen,
    digest: entries[entries.length - 1].digest,
    publicationDigest: entries[0].digest,
    vouchers,
    amendments,
  };
}

/** Every image sha256 a month's current state shows. */
export function imageShasOf(entries: MonthEntry[]): string[] {
  const shas = new Set<string>();
  for (const entry of entries) {
    const manifest = JSON.parse(entry.manifest) as Manifest;
    const vouchers = manifest.kind === 'publication' ? manifest.vouchers : [manifest.voucher];
    for (const v of vouchers) shas.add(v.displaySha256).add(v.thumbSha256);
  }
  return [...shas];
}
