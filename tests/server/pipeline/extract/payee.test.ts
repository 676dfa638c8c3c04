import { detectKind } from '../../../../server/pipeline/extract/document-kind';
import { cleanName, extractPayee } from '../../../../server/pipeline/extract/payee';
import type { OcrLine } from '../../../../server/ocr/ocr-engine';
import { line } from '../../../helpers/ocr-lines';

const payee = (lines: OcrLine[]) => extractPayee(lines, detectKind(lines), 1600).reading.value;

describe('extractPayee', () => {
  test('VAT invoice: the seller\'s 名称, not the buyer\'s nor the goods column, label in two boxes', () => {
    const lines = [
      line('增值税普通发票', 500, 60),
      line('发票代码：034002032304', 950, 100),
      line('名', 107, 415),
      line('称：', 176, 411),
      line('天长市新街镇前进村民委员会', 232, 410),
      line('货物或应税劳务、服务名称', 139, 517),
      line('规格型号', 412, 517),
      line('价税合计（大写）', 87, 748),
      line('名', 121, 791),
      line('称：', 192, 787),
      line('天长市华成办公用品经营部', 246, 785),
      line('收款人：', 104, 908),
      line('杨德华', 173, 908),
    ];
    expect(payee(lines)).toBe('天长市华成办公用品经营部');
  });

  test('代开 invoice: the company in 备注, wrapped onto the next line, up to its company ending', () => {
    const lines = [
      line('增值税专用发票', 1500, 60),
      line('价税合计（大写）', 444, 2107),
      line('代开企业名称：成', 3092, 2190),
      line('都网证互联网信息服务有限公司公', 2800, 2240),
    ];
    expect(payee(lines)).toBe('成都网证互联网信息服务有限公司');
  });

  test('receipt of a labour payment: the person beside 收款人', () => {
    const lines = [line('收据', 680, 240), line('今收到', 188, 413), line('铜城镇团结村民委员会', 295, 405), line('收款单位（盖章）', 156, 788), line('收款人', 671, 810), line('武怀林', 745, 800), line('交款人钱军', 1085, 821)];
    expect(payee(lines)).toBe('武怀林');
  });

  test('expense voucher: 收款单位(人) names a company or a person', () => {
    const voucher = (value: string) => [line('支出凭证', 700, 250), line('单位：', 275, 360), line('大通镇沂湖村民委员会', 330, 360), line('收款单位（人）：', 330, 880), line(value, 660, 880)];
    expect(payee(voucher('滁州市金诚广告传媒有限公司'))).toBe('滁州市金诚广告传媒有限公司');
    expect(payee(voucher('贺伟'))).toBe('贺伟');
  });

  test('toll ticket: 收款单位 with the name on the line below', () => {
    const lines = [line('通行费专用发票', 370, 270), line('收款单位：', 295, 1200), line('安徽皖东高速公路有限公司', 303, 1258)];
    expect(payee(lines)).toBe('安徽皖东高速公路有限公司');
  });

  test('taxi ticket: the short name after 单位', () => {
    const lines = [line('安徽省出租汽车', 350, 200), line('专用发票', 400, 260), line('单位', 280, 500), line('金桥出租车', 420, 500)];
    expect(payee(lines)).toBe('金桥出租车');
  });

  test('nothing readable: null and a request to fill it in', () => {
    expect(extractPayee([line('收据', 600, 100)], 'receipt', 1600)).toEqual({ reading: { value: null, confidence: 0 }, checks: ['没有读到收款方，请人工填写'] });
  });
});

describe('cleanName', () => {
  test('cuts glued labels and stamp marks, refuses dates and numbers', () => {
    expect(cleanName('：天长市华成办公用品经营部 纳税人识别号')).toBe('天长市华成办公用品经营部');
    expect(cleanName('滁州市金诚广告传媒有限公司（盖章）')).toBe('滁州市金诚广告传媒有限公司');
    expect(cleanName('天津瑞佳讯贸易有限公司订单号:94859303935')).toBe('天津瑞佳讯贸易有限公司');
    expect(cleanName('天长市中心小学')).toBe('天长市中心小学');
    expect(cleanName('2022年4月1日')).toBeNull();
    expect(cleanName('0550-7701934')).toBeNull();
  });
});
