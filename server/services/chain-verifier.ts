import { canonicalJson } from '../../shared/canonical-json';
import type { AmendmentRepository } from '../db/repositories/amendment-repository';
import type { ChainEntryRow, ChainRepository } from '../db/repositories/chain-repository';
import type { VillageRow } from '../db/repositories/directory-repository';
import type { PublicationRepository } from '../db/repositories/publication-repository';
import type { VoucherRepository } from '../db/repositories/voucher-repository';
import { manifestVoucher, sha256Hex, type Manifest, type ManifestVoucher } from '../domain/manifest';
import { imageKeyFor, type VoucherRecord } from '../domain/voucher';
import { ObjectNotFoundError, type ObjectStorage } from '../storage/object-storage';
import type { DirectoryService } from './directory-service';

export interface VerifyReport {
  /** What was checked, one line each. */
  checked: string[];
  /** Every mismatch found, one line each; empty when all is well. */
  problems: string[];
}

export interface ChainVerifierDeps {
  directory: DirectoryService;
  chain: ChainRepository;
  publications: PublicationRepository;
  vouchers: VoucherRepository;
  amendments: AmendmentRepository;
  storage: ObjectStorage;
}

/** A published voucher as the chain says it is now: its last entry wins. */
interface ChainedVoucher {
  month: string;
  voucher: ManifestVoucher;
  withdrawn: boolean;
}

/** What one village's chain, replayed, says the database and storage must hold. */
interface Replay {
  digests: Set<string>;
  /** Month → digest of its publication entry. */
  publications: Map<string, string>;
  vouchers: Map<number, ChainedVoucher>;
  /** Every public image any entry names: key → the sha256 it must have. */
  images: Map<string, string>;
}

const sumFen = (vouchers: Iterable<{ voucher: ManifestVoucher; withdrawn: boolean }>) =>
  [...vouchers].reduce((sum, v) => sum + (v.withdrawn ? 0 : (v.voucher.amountFen ?? 0)), 0);

/**
 * Recomputes every chain from its stored manifests, every published image's sha256 from its
 * stored bytes, and compares both with what the database says is published now. Names every
 * mismatch; stops at none.
 */
export class ChainVerifier {
  constructor(private readonly deps: ChainVerifierDeps) {}

  async verify(villageId?: number): Promise<VerifyReport> {
    const villages = villageId === undefined ? await this.deps.directory.listVillages() : [await this.deps.directory.getVillage(villageId)];
    const report: VerifyReport = { checked: [], problems: [] };
    const images = new Map<string, string>();
    for (const village of villages) {
      const replay = await this.verifyVillage(village, report);
      for (const [key, sha] of replay.images) images.set(key, sha);
    }
    for (const [key, expected] of images) {
      const actual = await this.hashStored(key);
      if (actual !== expected) report.problems.push(actual === null ? `image ${key}: missing from storage` : `image ${key}: stored bytes hash to ${actual}`);
    }
    report.checked.push(`${villages.length} village(s); ${images.size} published image(s) re-hashed from storage`);
    return report;
  }

  private async verifyVillage(village: VillageRow, report: VerifyReport): Promise<Replay> {
    const problem = (message: string) => report.problems.push(`village ${village.id} ${village.name}: ${message}`);
    const entries = await this.deps.chain.listForVillage(village.id);
    const replay = this.replay(village, entries, problem);
    const published = await this.deps.publications.listByStatus('published', [village.id]);
    let vouchers = 0;
    for (const row of published) {
      if (!replay.publications.has(row.month)) problem(`month ${row.month} is published in the database but has no publication entry`);
      const stored = await this.deps.vouchers.listForMonth(village.id, row.month);
      vouchers += stored.length;
      for (const voucher of stored) this.compareVoucher(voucher, replay.vouchers.get(voucher.id), problem);
      const storedIds = new Set(stored.map((v) => v.id));
      for (const [id, chained] of replay.vouchers)
        if (chained.month === row.month && !storedIds.has(id)) problem(`voucher ${id} of ${row.month} is in the chain but gone from the database`);
    }
    const publishedMonths = new Set(published.map((p) => p.month));
    for (const month of replay.publications.keys())
      if (!publishedMonths.has(month)) problem(`month ${month} has a publication entry but is not published in the database`);
    for (const amendment of await this.deps.amendments.listApproved(village.id))
      if (!amendment.chainDigest || !replay.digests.has(amendment.chainDigest)) problem(`approved amendment ${amendment.id} has no entry in the chain`);
    if (entries.length || published.length) {
      const amendments = entries.filter((e) => e.kind === 'amendment').length;
      report.checked.push(
        `village ${village.id} ${village.name}: ${entries.length} chain entries (${entries.length - amendments} publications, ${amendments} amendments), ` +
          `${published.length} published month(s), ${vouchers} voucher(s) compared with the database`,
      );
    }
    return replay;
  }

  /** Walks the chain in order: digests, links, canonical form, totals; builds what it says is published. */
  private replay(village: VillageRow, entries: ChainEntryRow[], problem: (message: string) => void): Replay {
    const replay: Replay = { digests: new Set(), publications: new Map(), vouchers: new Map(), images: new Map() };
    let prev: string | null = null;
    entries.forEach((entry, index) => {
      const at = `entry #${entry.seq} ${entry.digest}`;
      if (entry.seq !== index + 1) problem(`entry #${index + 1} is missing (the next one stored is #${entry.seq})`);
      const actual = sha256Hex(Buffer.from(entry.manifest, 'utf8'));
      if (actual !== entry.digest) problem(`${at}: its manifest hashes to ${actual}`);
      if (entry.prev !== prev) problem(`${at}: prev is ${entry.prev ?? 'null'}, but the entry before it is ${prev ?? 'none'}`);
      replay.digests.add(entry.digest);
      prev = entry.digest;
      let manifest: Manifest;
      try {
        manifest = JSON.parse(entry.manifest) as Manifest;
      } catch {
        problem(`${at}: the manifest is not JSON`);
        return;
      }
      if (canonicalJson(manifest) !== entry.manifest) problem(`${at}: the manifest is not in canonical form`);
      if (manifest.prev !== entry.prev) problem(`${at}: the manifest's prev differs from the entry's`);
      if (manifest.village?.id !== village.id || manifest.month !== entry.month || manifest.kind !== entry.kind)
        problem(`${at}: village, month or kind differ between the manifest and the entry`);
      this.apply(manifest, entry.digest, replay, (message) => problem(`${at}: ${message}`));
    });
    return replay;
  }

  private apply(manifest: Manifest, digest: string, replay: Replay, problem: (message: string) => void): void {
    const remember = (v: ManifestVoucher, withdrawn: boolean) => {
      replay.vouchers.set(v.id, { month: manifest.month, voucher: v, withdrawn });
      replay.images.set(imageKeyFor(v.displaySha256, 'jpg'), v.displaySha256);
      replay.images.set(imageKeyFor(v.thumbSha256, 'webp'), v.thumbSha256);
    };
    if (manifest.kind === 'publication') {
      if (replay.publications.has(manifest.month)) problem(`month ${manifest.month} is published a second time`);
      replay.publications.set(manifest.month, digest);
      for (const v of manifest.vouchers ?? []) remember(v, false);
    } else {
      if (!replay.vouchers.has(manifest.voucher?.id)) problem(`amends voucher ${manifest.voucher?.id}, which no earlier entry published`);
      if (manifest.amends !== replay.publications.get(manifest.month)) problem(`amends ${manifest.amends}, which is not the publication entry of ${manifest.month}`);
      remember(manifest.voucher, manifest.withdrawn);
    }
    const total = sumFen([...replay.vouchers.values()].filter((v) => v.month === manifest.month));
    if (manifest.totalFen !== total) problem(`totalFen is ${manifest.totalFen}, the vouchers add up to ${total}`);
  }

  private compareVoucher(stored: VoucherRecord, chained: ChainedVoucher | undefined, problem: (message: string) => void): void {
    if (!chained) return problem(`voucher ${stored.id} is in published month ${stored.month} but in no chain entry`);
    let now: ManifestVoucher;
    try {
      now = manifestVoucher(stored);
    } catch {
      return problem(`voucher ${stored.id} has lost its public images in the database`);
    }
    for (const key of Object.keys(chained.voucher) as Array<keyof ManifestVoucher>)
      if (now[key] !== chained.voucher[key]) problem(`voucher ${stored.id} ${key}: the database has ${JSON.stringify(now[key])}, the chain ${JSON.stringify(chained.voucher[key])}`);
    if (Boolean(stored.withdrawnAt) !== chained.withdrawn)
      problem(`voucher ${stored.id}: the database says ${stored.withdrawnAt ? 'withdrawn' : 'not withdrawn'}, the chain the opposite`);
  }

  private async hashStored(key: string): Promise<string | null> {
    try {
      return sha256Hex(await this.deps.storage.get(key));
    } catch (error) {
      if (error instanceof ObjectNotFoundError) return null;
      throw error;
    }
  }
}
