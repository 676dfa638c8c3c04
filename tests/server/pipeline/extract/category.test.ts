import { guessCategory } from '../../../../server/pipeline/extract/category';
import { line } from '../../../helpers/ocr-lines';

describe('guessCategory', () => {
  test.each([
    ['*办公用品*文件柜', '办公用品'],
    ['支付武怀林村部绿化养护劳务费7天', '劳务费'],
    ['4月份防汛值守补助', '劳务费'],
    ['电费 供电公司', '水电'],
    ['工作餐 盒饭', '餐饮'],
    ['村部维修材料 水泥', '工程'],
    ['会场布置', '其他'],
  ])('%s → %s', (text, category) => {
    expect(guessCategory([line(text, 100, 100)], 'receipt').value).toBe(category);
  });

  test('a taxi ticket is transport whatever it says', () => {
    expect(guessCategory([line('金额 10.00元', 100, 100)], 'taxi_ticket')).toEqual({ value: '交通', confidence: 0.9 });
  });
});
