import type { VoucherRecord } from '../../server/domain/voucher';
import { seedReadyVoucher, type StaffServer, type Who } from './review';

type Facts = Parameters<typeof seedReadyVoucher>[3];

/** Who works for each village of the staff fixture. */
function staffOf(t: StaffServer, villageId: number): { accountant: Who; official: Who } {
  if (villageId === t.staff.villageA1) return { accountant: 'accountantA1', official: 'officialA' };
  if (villageId === t.staff.villageA2) return { accountant: 'accountantA2', official: 'officialA' };
  if (villageId === t.staff.villageB1) return { accountant: 'accountantB1', official: 'officialB' };
  throw new Error(`village ${villageId} is not in the staff fixture`);
}

async function expectOk(res: { status: number; text: string }, what: string): Promise<void> {
  if (res.status >= 300) throw new Error(`${what} answered ${res.status}: ${res.text}`);
}

/** Seeds vouchers (no OCR) into a month and takes it through the real submit and approve calls. */
export async function publishMonth(t: StaffServer, villageId: number, month: string, vouchers: Facts[]): Promise<VoucherRecord[]> {
  const seeded = [];
  for (const facts of vouchers) seeded.push(await seedReadyVoucher(t.env, villageId, month, facts));
  await submitMonth(t, villageId, month);
  const { official } = staffOf(t, villageId);
  await expectOk(await t.server.request('POST', `/api/villages/${villageId}/months/${month}/approve`, { token: t.tokens[official] }), 'approve');
  return seeded;
}

/** Seeds vouchers into a month and submits it, leaving it waiting for review. */
export async function submitMonth(t: StaffServer, villageId: number, month: string): Promise<void> {
  const { accountant } = staffOf(t, villageId);
  await expectOk(await t.server.request('POST', `/api/villages/${villageId}/months/${month}/submit`, { token: t.tokens[accountant] }), 'submit');
}

/** Requests an amendment of a published voucher as its accountant and approves it as the town's official. */
export async function amendVoucher(t: StaffServer, voucher: Pick<VoucherRecord, 'id' | 'villageId'>, changes: unknown, reason: string): Promise<string> {
  const { accountant, official } = staffOf(t, voucher.villageId);
  const requested = await t.server.request('POST', `/api/vouchers/${voucher.id}/amendments`, { token: t.tokens[accountant], json: { changes, reason } });
  await expectOk(requested, 'amendment request');
  const approved = await t.server.request('POST', `/api/amendments/${requested.body.amendment.id}/approve`, { token: t.tokens[official], json: {} });
  await expectOk(approved, 'amendment approval');
  return approved.body.amendment.digest;
}
