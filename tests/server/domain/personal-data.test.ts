import { isCovered, uncoveredPersonalData } from '../../../server/domain/personal-data';
import { ID_BOX, idCardLine } from '../../helpers/review';

const voucher = (redactions: Array<{ box: [number, number, number, number] }>, lines = [idCardLine(), { text: '联系电话 13912345678', box: [20, 160, 300, 30] as [number, number, number, number], confidence: 0.95 }]) => ({
  ocrLines: lines,
  ocrEngine: 'paddle',
  width: 640,
  height: 480,
  redactions: redactions.map((r) => ({ ...r, type: 'manual' as const, source: 'manual' as const })),
});

describe('personal data outside the redaction boxes', () => {
  test('a box covering at least 90 % of a finding hides it; less does not', () => {
    expect(isCovered([100, 100, 100, 20], [[95, 95, 110, 30]])).toBe(true);
    expect(isCovered([100, 100, 100, 20], [[100, 100, 90, 20]])).toBe(true);
    expect(isCovered([100, 100, 100, 20], [[100, 100, 89, 20]])).toBe(false);
    // Two boxes each covering half do not count: one box must hide the number.
    expect(isCovered([100, 100, 100, 20], [[100, 100, 50, 20], [150, 100, 50, 20]])).toBe(false);
  });

  test('an ID card and a phone number with no boxes are both reported, by position', () => {
    const found = uncoveredPersonalData(voucher([]));
    expect(found.map((f) => f.type).sort()).toEqual(['idcard', 'phone']);
  });

  test('boxed numbers are not reported; names are left to the reviewer', () => {
    expect(uncoveredPersonalData(voucher([ID_BOX, { box: [130, 150, 220, 50] }]))).toEqual([]);
    expect(uncoveredPersonalData(voucher([ID_BOX])).map((f) => f.type)).toEqual(['phone']);
  });

  test('a voucher without OCR lines has nothing to report', () => {
    expect(uncoveredPersonalData({ ...voucher([]), ocrLines: null })).toEqual([]);
  });
});
