import { publishedMonthOf } from '../../helpers/published-month';
import {
  ALL_CATEGORIES,
  NO_CATEGORY,
  amendmentNotes,
  categoryChoices,
  describeChange,
  describeChanges,
  filterByCategory,
  receiptImageAlt,
  withdrawnReceipts,
} from '../../../miniprogram/src/lib/receipts';
import { countVillages, filterTowns } from '../../../miniprogram/src/lib/village-picker';

describe('receipts on the month page', () => {
  const month = publishedMonthOf([
    { category: '工程', payee: '红星水泥厂' },
    { category: '办公用品' },
    { category: '工程' },
    { category: null },
    { status: 'withdrawn', withdrawnReason: '重复报销', category: '餐饮' },
  ]);

  test('category chips: 全部 first, then the categories present in the usual order with counts', () => {
    expect(categoryChoices(month.vouchers).map((c) => c.label)).toEqual(['全部（5）', '办公用品（1）', '餐饮（1）', '工程（2）', `${NO_CATEGORY}（1）`]);
  });

  test('filtering by category, 未分类 included', () => {
    expect(filterByCategory(month.vouchers, '工程').map((v) => v.id)).toEqual([1, 3]);
    expect(filterByCategory(month.vouchers, NO_CATEGORY).map((v) => v.id)).toEqual([4]);
    expect(filterByCategory(month.vouchers, ALL_CATEGORIES)).toHaveLength(5);
    expect(withdrawnReceipts(month.vouchers).map((v) => v.id)).toEqual([5]);
  });

  test('every image has a text alternative with payee and amount', () => {
    expect(receiptImageAlt({ payee: '红星水泥厂', amountFen: 123456 })).toBe('收据图片：收款方 红星水泥厂，金额 1,234.56 元');
    expect(receiptImageAlt({ payee: null, amountFen: null }, '缩略图')).toBe('收据缩略图：收款方 未填，金额 金额未填');
  });

  test('corrections in plain words', () => {
    expect(describeChange('amountFen', { from: 10000, to: 12000 })).toBe('金额由 100.00 元 改为 120.00 元');
    expect(describeChange('payee', { from: null, to: '李四' })).toBe('收款方由 空 改为 李四');
    expect(describeChange('date', { from: '2026-10-01', to: '2026-10-02' })).toBe('日期由 2026年10月1日 改为 2026年10月2日');
    expect(describeChange('withdrawn', { from: false, to: true })).toBe('这张收据被撤回');
    expect(describeChanges({ displaySha256: { from: 'a', to: 'b' }, thumbSha256: { from: 'c', to: 'd' }, payee: { from: 'x', to: 'y' } })).toEqual([
      '收款方由 x 改为 y',
      '图片重新处理（遮挡了个人信息）',
    ]);
  });

  test('the amendment banner names each receipt by its place in the month', () => {
    const amended = publishedMonthOf([{ payee: '红星水泥厂' }, { payee: '张记餐馆' }], {
      amendments: [
        { digest: 'd'.repeat(64), voucherId: 2, reason: '金额写错', approvedAt: '2026-11-05T02:00:00.000Z', withdrawn: false, changes: { amountFen: { from: 100, to: 200 } }, totalFen: 300 },
        { digest: 'e'.repeat(64), voucherId: 99, reason: '重复', approvedAt: '2026-11-06T02:00:00.000Z', withdrawn: true, changes: { withdrawn: { from: false, to: true } }, totalFen: 100 },
      ],
    });
    const notes = amendmentNotes(amended);
    expect(notes[0]).toMatchObject({ title: '第 2 张（张记餐馆）', changes: ['金额由 1.00 元 改为 2.00 元'], reason: '金额写错', approvedOn: '2026年11月5日', withdrawn: false });
    expect(notes[1]).toMatchObject({ title: '编号 99 的收据', changes: ['这张收据被撤回'], withdrawn: true });
  });
});

describe('choosing a village', () => {
  const towns = [
    { id: 1, name: '新街镇', villages: [{ id: 11, name: '东岗村' }, { id: 12, name: '石门村' }] },
    { id: 2, name: '张铺镇', villages: [{ id: 21, name: '李集村' }, { id: 22, name: '石桥村' }] },
  ];

  test('all towns with all villages until something is typed or a town chosen', () => {
    expect(filterTowns(towns, '', null)).toEqual(towns);
    expect(countVillages(towns)).toBe(4);
  });

  test('typing narrows to villages whose name contains it, across towns', () => {
    const found = filterTowns(towns, ' 石 ', null);
    expect(found.map((t) => t.villages.map((v) => v.name))).toEqual([['石门村'], ['石桥村']]);
    expect(filterTowns(towns, '没有', null)).toEqual([]);
  });

  test('a town name matches the whole town; choosing a town shows only it', () => {
    expect(filterTowns(towns, '张铺', null)).toEqual([towns[1]]);
    expect(filterTowns(towns, '', 1)).toEqual([towns[0]]);
    expect(filterTowns(towns, '石', 2).map((t) => t.villages.map((v) => v.name))).toEqual([['石桥村']]);
  });
});
