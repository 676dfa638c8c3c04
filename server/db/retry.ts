/**
 * InnoDB may pick a claimer and a finisher of two different jobs as deadlock victims (they
 * lock the primary key and the status index in opposite orders). The victim's work was
 * rolled back whole, so running the same unit again is safe and is what MySQL asks for.
 */
export function isTransientLockError(error: unknown): boolean {
  const parent = (error as { parent?: { errno?: number; code?: string } } | null)?.parent;
  if (parent?.errno === 1213 || parent?.errno === 1205) return true; // ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT
  return /SQLITE_BUSY/.test(String((error as Error | null)?.message ?? ''));
}

/** Runs a self-contained unit (one transaction, or one autocommit statement) again after a deadlock. */
export async function retryOnLockConflict<T>(work: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isTransientLockError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
