/**
 * Chinese full-text search over published receipts: the index (our per-character and pair
 * tokens in FTS5 on SQLite, a FULLTEXT index on MariaDB) against the named baseline measured
 * in the same run on the same rows: the same query without the index, a LIKE scan of every row.
 *
 *   npm run -s bench -- search                 # SQLite; BENCH_RECEIPTS=20000
 *   BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306/test npm run -s bench -- search
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueryTypes, type Sequelize } from 'sequelize';
import { ensureDatabaseExists, openDatabase } from '../server/db/database';
import { migrateUp } from '../server/db/migrate';
import { SearchRepository } from '../server/db/repositories/search-repository';
import { queryTerms, searchEntry } from '../server/domain/search-text';

const RECEIPTS = Number(process.env.BENCH_RECEIPTS ?? 20_000);
const VILLAGES = 50;
const MONTHS = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08'];
// Common characters: random text from them is as varied as receipts' OCR lines, so a word is rare.
const HANZI = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞';
const SHOPS = ['县供电公司', '新华书店', '东方文具', '李家五金', '顺风物流', '镇卫生院', '县自来水公司', '老王小卖部', '惠民超市'];
/** Planted at known rates, so each query's hit count is predictable: common, rare, very rare, absent. */
const PLANTED = [
  { word: '水泥', every: 20 },
  { word: '村道修补', every: 200 },
  { word: '红星建材', every: 2000 },
];
const QUERIES = ['水泥', '村道修补', '红星建材', '电', '不存在的词'];

/** A deterministic pseudo-random walk, so every run indexes the same text. */
function picker(seed: number) {
  let x = seed;
  return <T>(list: T[]): T => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return list[x % list.length];
  };
}

async function seed(sequelize: Sequelize): Promise<void> {
  const now = new Date();
  await sequelize.query("INSERT INTO towns (id, name, created_at, updated_at) VALUES (1, '基准镇', :now, :now)", { replacements: { now } });
  for (let v = 1; v <= VILLAGES; v++) {
    await sequelize.query('INSERT INTO villages (id, town_id, name, created_at, updated_at) VALUES (:v, 1, :name, :now, :now)', { replacements: { v, name: `基准${v}村`, now } });
    for (const month of MONTHS)
      await sequelize.query("INSERT INTO publications (village_id, month, status, version, created_at, updated_at) VALUES (:v, :month, 'published', 1, :now, :now)", { replacements: { v, month, now } });
  }
  const pick = picker(42);
  const chars = [...HANZI];
  const phrase = (n: number) => Array.from({ length: n }, () => pick(chars)).join('');
  const search = new SearchRepository(sequelize);
  const batch = 500;
  for (let start = 1; start <= RECEIPTS; start += batch) {
    const rows: Array<Parameters<typeof searchEntry>[0]> = [];
    for (let id = start; id < Math.min(start + batch, RECEIPTS + 1); id++) {
      const villageId = (id % VILLAGES) + 1;
      const month = MONTHS[id % MONTHS.length];
      const planted = PLANTED.filter((p) => id % p.every === 0).map((p) => p.word).join('');
      const lines = Array.from({ length: 8 }, (_, i) => ({ text: `${phrase(6)}${i === 3 ? planted : ''}${phrase(8)} 数量${i + 1}`, box: [10, 40 * i, 300, 30], confidence: 0.9 }));
      rows.push({ id, villageId, month, payee: pick(SHOPS), description: phrase(10), invoiceCode: null, invoiceNumber: String(10_000_000 + id), ocrLines: lines, redactions: [], date: `${month}-0${(id % 9) + 1}` });
    }
    await sequelize.transaction(async (transaction) => {
      await sequelize.query(
        `INSERT INTO vouchers (id, village_id, month, status, sha256, original_key, flags, redactions, version, created_at, updated_at) VALUES ${rows.map(() => "(?, ?, ?, 'ready', ?, ?, '[]', '[]', 1, ?, ?)").join(', ')}`,
        { replacements: rows.flatMap((r) => [r.id, r.villageId, r.month, String(r.id).padStart(64, '0'), `originals/${r.id}`, now, now]), transaction },
      );
      await search.upsert(rows.map((r) => searchEntry(r, 1, now)), transaction);
    });
  }
}

async function timeEach(runs: number, work: () => Promise<number>): Promise<{ ms: number; total: number }> {
  await work(); // warm the caches
  let total = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) total = await work();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6 / runs, total };
}

async function run(label: string, url: string): Promise<void> {
  await ensureDatabaseExists(url);
  const sequelize = await openDatabase(url);
  try {
    await migrateUp(sequelize);
    const started = Date.now();
    await seed(sequelize);
    console.log(`${label}: ${RECEIPTS} published receipts in ${VILLAGES} villages (each: payee, description, invoice number, 8 OCR lines of varied text), indexed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const search = new SearchRepository(sequelize);
    for (const q of QUERIES) {
      const terms = queryTerms(q)!;
      const indexed = await timeEach(20, async () => (await search.search(terms, {}, { limit: 20, offset: 0 })).total);
      const like = `%${terms.text}%`;
      const scan = await timeEach(5, async () => {
        const [{ n }] = await sequelize.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM public_search WHERE search_text LIKE :like', { replacements: { like }, type: QueryTypes.SELECT });
        await sequelize.query('SELECT voucher_id FROM public_search WHERE search_text LIKE :like ORDER BY month DESC, date DESC, voucher_id DESC LIMIT 20', { replacements: { like }, type: QueryTypes.SELECT });
        return Number(n);
      });
      if (indexed.total !== scan.total) throw new Error(`"${q}": the index found ${indexed.total}, the scan ${scan.total}`);
      console.log(`  q=${q.padEnd(6, '　')} ${String(indexed.total).padStart(6)} hits   baseline LIKE scan ${scan.ms.toFixed(1).padStart(7)} ms   index ${indexed.ms.toFixed(1).padStart(7)} ms   (${(scan.ms / indexed.ms).toFixed(1)}x)`);
    }
  } finally {
    await sequelize.close();
  }
}

export async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-bench-search-'));
  try {
    await run('SQLite (FTS5)', `sqlite:${path.join(dir, 'bench.sqlite')}`);
    if (process.env.BENCH_MYSQL_URL) {
      const url = new URL(process.env.BENCH_MYSQL_URL);
      url.pathname = `/yym_bench_search_${process.pid}`;
      try {
        await run('MariaDB (FULLTEXT)', url.toString());
      } finally {
        const sequelize = await openDatabase(url.toString());
        await sequelize.query(`DROP DATABASE IF EXISTS \`yym_bench_search_${process.pid}\``);
        await sequelize.close();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
