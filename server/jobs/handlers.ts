import type { VoucherProcessor } from '../services/voucher-processor';
import { PROCESS_VOUCHER_JOB } from '../services/voucher-service';
import { PermanentJobError, type JobHandlers } from './job-handler';

function voucherIdOf(payload: unknown): number {
  const id = (payload as { voucherId?: unknown } | null)?.voucherId;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new PermanentJobError(`bad payload: ${JSON.stringify(payload)}`);
  return id;
}

/** The table of job types this server knows; an unknown type fails permanently. */
export function createJobHandlers(processor: VoucherProcessor): JobHandlers {
  return {
    [PROCESS_VOUCHER_JOB]: {
      run: (payload, { signal }) => processor.process(voucherIdOf(payload), signal),
      onGiveUp: (payload, reason) => processor.markFailed(voucherIdOf(payload), reason),
    },
  };
}
