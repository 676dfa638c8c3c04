import type { VillageChain } from '../../shared/schemas/chain';
import type { ChainRepository } from '../db/repositories/chain-repository';
import { notFound } from '../errors';
import type { DirectoryService } from './directory-service';

/** The public face of the chain: anyone may read it, nobody may change it. */
export class ChainService {
  constructor(
    private readonly directory: DirectoryService,
    private readonly chain: ChainRepository,
  ) {}

  async villageChain(villageId: number): Promise<VillageChain> {
    const village = await this.directory.getVillage(villageId);
    const entries = await this.chain.listForVillage(villageId);
    return {
      villageId,
      villageName: village.name,
      entries: entries.map((e) => ({ seq: e.seq, digest: e.digest, prev: e.prev, kind: e.kind, month: e.month, createdAt: e.createdAt.toISOString() })),
    };
  }

  /** The manifest exactly as hashed: its sha256 is the digest asked for. */
  async manifest(digest: string): Promise<Buffer> {
    const entry = await this.chain.findByDigest(digest);
    if (!entry) throw notFound('链上没有这个摘要');
    return Buffer.from(entry.manifest, 'utf8');
  }
}
