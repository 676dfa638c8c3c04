import type { OcrLine } from '../../ocr/ocr-engine';
import { below, findLabels, spaced, valuesAfter } from './layout';
import { joinSpacedHan } from './text';

// The commonest Chinese surnames (about 99 % of people); a name must start with one.
const SURNAMES = new Set(
  [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由操'],
);
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '令狐', '端木', '澹台'];

/** Words that end up after a person label but are not names. */
const NOT_NAMES = /盖章|签字|签名|签章|经办|现金|微信|转账|支付|村委|委员|合计|金额|人民币|大写|小写|收款|交款|付款|领款|单位|日期|备注|事由|联系|电话|身份|复核|开票|审批|出纳|会计|证明|经手|本人|同上|代领|代收/;

/** Organisations: companies, shops, offices, committees. Never a private individual. */
export const ORGANISATION = /公司|商行|经营部|门市|店|厂|中心|委员会|村委|政府|医院|学校|银行|超市|集团|合作社|工作室|事务所|加油站|服务站|营业部|分局|税务局|车队|市场|酒家|饭庄|宾馆|酒店|农场|有限|研究所|协会/;

/** The paying side (a village committee or township government), never the payee. */
export const PAYER = /村民委员会|村委会|居民委员会|居委会|人民政府|村委|村民委|镇政府|财政所/;

/** Is `text` (already trimmed) plausibly a Chinese personal name: 2–4 characters with a common surname? */
export function isPersonName(text: string): boolean {
  if (!/^\p{Script=Han}{2,4}$/u.test(text)) return false;
  if (NOT_NAMES.test(text) || ORGANISATION.test(text)) return false;
  const compound = COMPOUND_SURNAMES.some((s) => text.startsWith(s));
  if (compound) return text.length >= 3;
  return SURNAMES.has(text[0]);
}

export interface PersonName {
  text: string;
  line: OcrLine;
  /** How sure: a label right beside it, a name-shaped text. */
  confidence: number;
}

/** Labels before the name of the person paid. 交款人, 经手人, 审批人… are the village's own staff. */
const PERSON_LABELS = [
  '收款人', '领款人', '领取人', '收款单位\\s*[(（]\\s*人\\s*[)）]', '收款方', '户名', '开户名', '持卡人', '签收人', '姓名',
].map((l) => (l.includes('\\') ? l : spaced(l)));
const PERSON_LABEL = `(?:${PERSON_LABELS.join('|')})`;

const NEXT_LABEL = /审批人|证明人|经手人|出纳|交款人|收款人|领款人|会计|复核|开票人|电话|手机|身份证|卡号|签字|盖章/;

/** The name at the start of a value text ("武怀林", "贺伟 (签字)"), trimmed of punctuation. */
function leadingName(value: string): string | null {
  // OCR may glue the next label on: "贺伟审批人:" is 贺伟 then a label.
  const text = joinSpacedHan(value).text.split(NEXT_LABEL)[0];
  const m = /^[\s:：(（)）.·、]*(\p{Script=Han}{2,4})/u.exec(text);
  if (!m) return null;
  const offset = m[0].length - m[1].length;
  // Longest plausible name first: "武怀林收" → "武怀林".
  for (let len = m[1].length; len >= 2; len--) {
    const name = m[1].slice(0, len);
    if (isPersonName(name)) {
      // A longer Han run after the name means it is a phrase or a company, not a name.
      if (len === m[1].length && /^\p{Script=Han}/u.test(text.slice(offset + len))) return null;
      return name;
    }
  }
  return null;
}

/**
 * Names of the people paid, found beside person labels (收款人, 领款人, 收款单位(人), 姓名…):
 * on the same line, to the right, or, for column headers such as 姓名, in the column below.
 */
export function labelledPersonNames(lines: OcrLine[]): PersonName[] {
  const found: PersonName[] = [];
  for (const hit of findLabels(lines, PERSON_LABEL)) {
    // Only the first value (a lone character is noise, e.g. a fingerprint read as "度"): anything
    // further belongs to the next label (审批人 below 收款单位(人)).
    const span = valuesAfter(lines, hit, { below: true, rows: 1.5 }).find((s) => /\p{Script=Han}.*\p{Script=Han}/u.test(s.text));
    const name = span && leadingName(span.text);
    if (span && name) found.push({ text: name, line: span.line, confidence: span.line === hit.line ? 0.9 : 0.8 });
    // A 姓名 column: every name-shaped cell below the header.
    if (/姓\s*名/.test(hit.line.text.slice(hit.start, hit.end)))
      for (const line of below(lines, hit.line, 30)) {
        const name = leadingName(line.text);
        if (name && joinSpacedHan(line.text).text.trim() === name) found.push({ text: name, line, confidence: 0.75 });
      }
  }
  return found;
}
