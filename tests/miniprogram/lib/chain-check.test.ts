import { createHash } from 'node:crypto';
import { sealManifest, type ManifestVoucher, type UnsealedManifest } from '../../../server/domain/manifest';
import { checkLinks, checkMonthChain, type ChainEntryLike, type VoucherClaim } from '../../../miniprogram/src/lib/chain-check';

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const image = Buffer.from('the redacted display copy of receipt 2');
const signer = { role: 'official', name: '王镇长' };

function voucher(id: number, amountFen: number, payee: string): ManifestVoucher {
  return {
    id, amountFen, payee, date: '2026-10-05', description: '修路', category: '工程', invoiceCode: null, invoiceNumber: null,
    displaySha256: id === 2 ? sha(image) : sha(`display ${id}`), thumbSha256: sha(`thumb ${id}`),
  } as ManifestVoucher;
}

const base = { format: 'yiyanming.chain/1' as const, village: { id: 7, name: '甲一村' }, approvedBy: signer, approvedAt: '2026-11-03T02:30:00.000Z' };
const bodies: UnsealedManifest[] = [
  { ...base, kind: 'publication', month: '2026-09', totalFen: 500, vouchers: [voucher(1, 500, '文具店')] },
  { ...base, kind: 'publication', month: '2026-10', totalFen: 3000, vouchers: [voucher(2, 1000, '红星水泥厂'), voucher(3, 2000, '张记餐馆')] },
  {
    ...base, kind: 'amendment', month: '2026-10', totalFen: 3500, amends: '', withdrawn: false,
    amendment: { id: 1, reason: '金额写错', requestedBy: signer, requestedAt: '2026-11-04T00:00:00.000Z' },
    voucher: voucher(2, 1500, '红星水泥厂'), changes: { amountFen: { from: 1000, to: 1500 } },
  },
];

/** A real chain as the server seals it: entries and the manifest bytes behind each digest. */
function buildChain() {
  const entries: ChainEntryLike[] = [];
  const bytes = new Map<string, Uint8Array>();
  let prev: string | null = null;
  bodies.forEach((body, i) => {
    const sealed = sealManifest(body, prev);
    entries.push({ seq: i + 1, digest: sealed.digest, prev, kind: body.kind, month: body.month });
    bytes.set(sealed.digest, new Uint8Array(Buffer.from(sealed.text, 'utf8')));
    prev = sealed.digest;
  });
  const fetch = async (digest: string) => {
    const found = bytes.get(digest);
    if (!found) throw new Error('404');
    return found;
  };
  return { entries, bytes, fetch };
}

const claimFor = (entries: ChainEntryLike[]) => ({ villageId: 7, month: '2026-10', digest: entries[2].digest, publicationDigest: entries[1].digest, totalFen: 3500 });
const receipt = (overrides: Partial<VoucherClaim> = {}): VoucherClaim => ({
  id: 2, amountFen: 1500, payee: '红星水泥厂', date: '2026-10-05', withdrawn: false, displaySha256: sha(image), loadImage: async () => new Uint8Array(image), ...overrides,
});

describe('核验 on the phone against the server\'s real manifest format', () => {
  test('an untouched chain verifies: digests recomputed, links, total, the receipt and its image', async () => {
    const { entries, fetch } = buildChain();
    const result = await checkMonthChain(entries, claimFor(entries), fetch, receipt());
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.passed.join('\n')).toMatch(/公开链共 3 条记录/);
    expect(result.passed.join('\n')).toMatch(/本月 2 条记录.*sha256/);
    expect(result.passed.join('\n')).toMatch(/本月合计 35.00 元 与记录一致/);
    expect(result.passed.join('\n')).toMatch(/图片文件.*一致/);
  });

  test('only the month\'s manifests are fetched', async () => {
    const { entries, fetch } = buildChain();
    const asked: string[] = [];
    await checkMonthChain(entries, claimFor(entries), (d) => (asked.push(d), fetch(d)));
    expect(asked).toEqual([entries[1].digest, entries[2].digest]);
  });

  test('bytes changed behind a digest fail', async () => {
    const { entries, bytes, fetch } = buildChain();
    const text = Buffer.from(bytes.get(entries[1].digest)!).toString('utf8').replace('"amountFen":2000', '"amountFen":200');
    bytes.set(entries[1].digest, new Uint8Array(Buffer.from(text, 'utf8')));
    const result = await checkMonthChain(entries, claimFor(entries), fetch);
    expect(result.ok).toBe(false);
    expect(result.problems).toContain('公开链第 2 条的内容与它的摘要不符');
  });

  test('a broken link in the list fails', async () => {
    const { entries, fetch } = buildChain();
    const broken = entries.map((e, i) => (i === 1 ? { ...e, prev: 'f'.repeat(64) } : e));
    const result = await checkMonthChain(broken, claimFor(entries), fetch);
    expect(result.ok).toBe(false);
    expect(result.problems).toContain('公开链第 2 条没有接上前一条');
    expect(result.problems).toContain('公开链第 2 条里记下的上一条与链不一致');
    expect(checkLinks(entries)).toEqual([]);
    expect(checkLinks([entries[0], entries[2]])).toEqual(['公开链第 2 条的编号不对（写的是第 3 条）', '公开链第 2 条没有接上前一条']);
  });

  test('a page whose digest, total or receipt differs from the chain fails', async () => {
    const { entries, fetch } = buildChain();
    const staleDigest = await checkMonthChain(entries, { ...claimFor(entries), digest: entries[1].digest }, fetch);
    expect(staleDigest.problems).toContain('页面显示的核对码不是本月在链上的最新记录');
    const wrongTotal = await checkMonthChain(entries, { ...claimFor(entries), totalFen: 3000 }, fetch);
    expect(wrongTotal.problems).toContain('本月合计与记录不一致（记录是 35.00 元）');
    const wrongAmount = await checkMonthChain(entries, claimFor(entries), fetch, receipt({ amountFen: 1000 }));
    expect(wrongAmount.problems).toContain('这张收据显示的内容与记录不一致');
    const otherImage = await checkMonthChain(entries, claimFor(entries), fetch, receipt({ displaySha256: sha('another') }));
    expect(otherImage.problems).toContain('这张收据的图片不是记录里的那一张');
    const swappedBytes = await checkMonthChain(entries, claimFor(entries), fetch, receipt({ loadImage: async () => new Uint8Array(Buffer.from('other bytes')) }));
    expect(swappedBytes.problems).toContain('图片文件与记录不符');
    const missing = await checkMonthChain(entries, { ...claimFor(entries), month: '2026-11' }, fetch);
    expect(missing.problems).toContain('公开链里找不到本月的记录');
  });

  test('no network: the check rejects instead of claiming a verdict', async () => {
    const { entries } = buildChain();
    await expect(checkMonthChain(entries, claimFor(entries), () => Promise.reject(new Error('offline')))).rejects.toThrow('offline');
  });
});
