import type { Category } from '../../../shared/categories';
import type { OcrLine } from '../../ocr/ocr-engine';
import type { FieldReading } from '../findings';
import type { DocumentKind } from './document-kind';
import { compact } from './text';

/** Keywords per category; a guess only, the accountant confirms it. */
const KEYWORDS: [Exclude<Category, '其他'>, RegExp][] = [
  ['办公用品', /办公|文具|纸张|复印纸|打印|墨盒|硒鼓|碳粉|文件柜|文件夹|计算机|电脑|笔记本|档案|书写|印刷|广告|标牌|横幅/g],
  ['劳务费', /(?<!应税)劳务|工资|用工|人工|务工|工费|误工|值守|值班|补助|补贴|报酬|临时工|保洁|清扫|养护|看护|巡逻|巡查/g],
  ['交通', /出租|客运|通行费|收费公路|汽车票|客票|车票|高速|加油|燃油|汽油|柴油|停车|过路|里程|运费/g],
  ['餐饮', /餐|饭|伙食|食堂|酒店|饮|茶水|食品|盒饭/g],
  ['水电', /电费|水费|供电|电力|自来水|水电|燃气|电网/g],
  ['工程', /工程|维修|修缮|修理|建材|施工|材料|五金|水泥|砂石|钢材|管材|安装|铺设|硬化|绿化|改造|垃圾|环卫|清运/g],
];

/** Document kinds that settle the category whatever the text says. */
const BY_KIND: Partial<Record<DocumentKind, Category>> = { taxi_ticket: '交通', toll_ticket: '交通', ticket: '交通' };

export function guessCategory(lines: OcrLine[], kind: DocumentKind): FieldReading<Category> {
  const byKind = BY_KIND[kind];
  if (byKind) return { value: byKind, confidence: 0.9 };
  // Invoice goods lines start with the tax classification ("*办公用品*文件柜"): the surest hint.
  const hits = (re: RegExp) =>
    lines.reduce((sum, l) => sum + (compact(l.text).match(re)?.length ?? 0) * (/^\s*[*＊]/.test(l.text) ? 3 : 1), 0);
  const scores = KEYWORDS.map(([category, re]) => ({ category, hits: hits(re) })).sort((a, b) => b.hits - a.hits);
  const [first, second] = scores;
  if (first.hits === 0) return { value: '其他', confidence: 0.4 };
  const margin = first.hits - second.hits;
  return { value: first.category, confidence: margin >= 2 ? 0.8 : margin === 1 ? 0.65 : 0.45 };
}
