import type { JobHandlers } from './job-handler';

/**
 * The table of job types this server knows. Each capability registers its handlers here
 * (voucher processing arrives with ingestion); an unknown type fails permanently.
 */
export function createJobHandlers(): JobHandlers {
  return {};
}
