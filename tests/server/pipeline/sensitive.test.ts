import { idCardCheckChar, isIdCard, luhnValid } from '../../../server/pipeline/extract/checksums';
import { detectSensitive } from '../../../server/pipeline/sensitive';
import { CHAR, line, page } from '../../helpers/ocr-lines';

/** A valid ID number: region, birth date, sequence, and its GB 11643 check character. */
const ID = '34110219960620475';
const VALID_ID = ID + idCardCheckChar(ID);
const RECEIPT_TITLE = line('收据', 680, 60);

describe('checksums', () => {
  test('GB 11643 check character, including X', () => {
    expect(isIdCard(VALID_ID)).toBe(true);
    expect(isIdCard('11010519491231002X')).toBe(true);
    expect(isIdCard(VALID_ID.slice(0, 17) + ((Number(VALID_ID[17]) + 1) % 10))).toBe(false);
  });

  test('Luhn', () => {
    expect(luhnValid('6228480402564890018')).toBe(true);
    expect(luhnValid('6228480402564890019')).toBe(false);
  });
});

describe('detectSensitive', () => {
  test('an ID number and a mobile number in a remark line, boxed by character position', () => {
    const text = `身份证：${VALID_ID} 13680713371`;
    const found = detectSensitive(page(RECEIPT_TITLE, line(text, 100, 600)));
    expect(found.map((f) => [f.type, f.text])).toEqual([
      ['idcard', VALID_ID],
      ['phone', '13680713371'],
    ]);
    // "身份证：" is 4 Chinese characters (2 units each), so the ID starts 8 half-ems (8 × CHAR/2) in.
    const [x, y, w, h] = found[0].box;
    const start = 100 + 8 * (CHAR / 2);
    expect(x).toBeLessThan(start);
    expect(x).toBeGreaterThan(start - CHAR);
    expect(x + w).toBeGreaterThan(start + 18 * (CHAR / 2));
    expect(y).toBeLessThan(600);
    expect(y + h).toBeGreaterThan(600 + CHAR);
  });

  test.each(['1368071337', '136807337'])('an ID and a phone (%s, digits lost) glued together by OCR are split, both covered', (phone) => {
    const found = detectSensitive(page(RECEIPT_TITLE, line(`备注身份证：${VALID_ID}${phone}`, 100, 600)));
    expect(found.map((f) => [f.type, f.text])).toEqual([
      ['idcard', VALID_ID],
      ['phone', phone],
    ]);
  });

  test('look-alike letters are read as digits only when the check character then validates', () => {
    const withO = VALID_ID.replace(/0/, 'O');
    expect(detectSensitive(page(line(`号码 ${withO}`, 100, 100)))).toEqual([expect.objectContaining({ type: 'idcard', text: withO })]);
    const broken = VALID_ID.slice(0, 16) + 'O' + ((Number(VALID_ID[17]) + 1) % 10);
    expect(detectSensitive(page(line(`号码 ${broken}`, 100, 100)))).toEqual([]);
  });

  test('a misread ID beside 身份证 is still redacted; without the label it is not', () => {
    // A wrong check digit that does not happen to pass Luhn (it would then read as a bank card).
    const wrongCheck = [...'0123456789'].map((d) => ID + d).find((n) => n !== VALID_ID && !luhnValid(n))!;
    expect(detectSensitive(page(line(`身份证号：${wrongCheck}`, 100, 100)))).toHaveLength(1);
    expect(detectSensitive(page(line(`编号 ${wrongCheck}`, 100, 100)))).toEqual([]);
  });

  test('mobile numbers with spaces; landlines are not personal', () => {
    const found = detectSensitive(page(line('电话：138 1234 5678', 100, 100), line('电话 0550-7701934', 100, 200)));
    expect(found.map((f) => [f.type, f.text])).toEqual([['phone', '138 1234 5678']]);
  });

  test('bank cards pass Luhn; a company account on an invoice is not personal', () => {
    expect(detectSensitive(page(RECEIPT_TITLE, line('卡号：6228480402564890018', 100, 300))).map((f) => f.type)).toEqual(['bankcard']);
    const invoice = page(
      line('增值税普通发票', 500, 40),
      line('发票代码：034002032304', 900, 80),
      line('价税合计', 100, 500),
      line('开户行及账号：', 100, 800),
      line('中国农业银行天长支行6228480402564890018', 400, 800),
    );
    expect(detectSensitive(invoice)).toEqual([]);
  });

  test('digit groups of odd lengths are not joined into a bank card; fours are', () => {
    expect(detectSensitive(page(RECEIPT_TITLE, line('卡号：6228 4804 0256 4890 018', 100, 300))).map((f) => f.type)).toEqual(['bankcard']);
    expect(detectSensitive(page(RECEIPT_TITLE, line('622848040 2 56489001 8', 100, 300)))).toEqual([]);
    expect(detectSensitive(page(RECEIPT_TITLE, line('卡号: 6228 2786 7074 463', 100, 300))).map((f) => f.type)).toEqual(['bankcard']);
  });

  test('numbers in tax numbers, check codes and the cipher block are left alone', () => {
    const invoice = page(line('校验码：54252 88562 05279 28443', 900, 100), line('纳税人识别号：12120000777323722X', 100, 200), line('03335861<+-0>2<79879>5830*2', 700, 300));
    expect(detectSensitive(invoice)).toEqual([]);
  });

  test('a receipt payee\'s name beside 收款人 and everywhere else it occurs', () => {
    const found = detectSensitive(
      page(
        RECEIPT_TITLE,
        line('支付武怀林村部绿化养护劳务费7天', 290, 490),
        line('收款单位（盖章）', 156, 790),
        line('收款人', 671, 810),
        line('武怀林', 760, 800),
        line('交款人钱军', 1085, 820),
      ),
    );
    expect(found.map((f) => [f.type, f.text])).toEqual([
      ['name', '武怀林'],
      ['name', '武怀林'],
    ]);
    // In "支付武怀林…" the name is characters 2–5: its box starts two characters in.
    expect(found[0].box[0]).toBeGreaterThan(290 + CHAR);
    expect(found[0].box[0]).toBeLessThan(290 + 2 * CHAR);
    expect(found[0].box[2]).toBeGreaterThanOrEqual(3 * CHAR);
    expect(found[0].box[2]).toBeLessThan(4 * CHAR);
  });

  test('a name read with spaces between the characters (Tesseract) is found and boxed whole', () => {
    const found = detectSensitive(page(RECEIPT_TITLE, line('收 款 人 武 怀 林', 600, 800), line('事 由 支 付 武 怀 林 劳 务 费', 100, 500)));
    expect(found.map((f) => [f.type, f.text])).toEqual([
      ['name', '武 怀 林'],
      ['name', '武 怀 林'],
    ]);
  });

  test('names of staff on invoices and of companies are not personal data', () => {
    const invoice = page(line('增值税普通发票', 500, 40), line('发票号码：95941563', 900, 80), line('收款人：', 104, 908), line('杨德华', 270, 908));
    expect(detectSensitive(invoice)).toEqual([]);
    const voucher = page(line('支出凭证', 600, 60), line('收款单位（人）：', 330, 880), line('滁州市金诚广告传媒有限公司', 660, 880), line('审批人：', 300, 960), line('朱峰', 480, 960));
    expect(detectSensitive(voucher)).toEqual([]);
  });

  test('every name in a 姓名 column of a wage list', () => {
    const list = page(line('劳务费发放表', 600, 40), line('姓名', 100, 100), line('张三丰', 100, 160), line('李四', 100, 220), line('合计', 100, 280));
    expect(detectSensitive(list).map((f) => f.text)).toEqual(['张三丰', '李四']);
  });

  test('boxes never leave the image', () => {
    const [found] = detectSensitive(page(line(`身份证${VALID_ID}`, 1600 - 22 * CHAR, 1200 - CHAR)));
    const [x, y, w, h] = found.box;
    expect(x + w).toBeLessThanOrEqual(1600);
    expect(y + h).toBeLessThanOrEqual(1200);
  });
});
