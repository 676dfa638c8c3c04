import fs from 'node:fs';
import path from 'node:path';

/** Each upload request streams into its own `upload-XXXXXX` folder under TMP_DIR (routes/vouchers.ts). */
export const UPLOAD_FOLDER_PREFIX = 'upload-';

/**
 * Removes upload folders whose newest entry was written before `before`: a request removes its
 * own folder when it ends, so these are what a killed process left in the middle of a request.
 * Several servers may share TMP_DIR, so only folders idle far longer than any request are taken.
 */
export async function removeStaleUploadFolders(tmpDir: string, before: Date): Promise<number> {
  let removed = 0;
  const entries = await fs.promises.readdir(tmpDir, { withFileTypes: true }).catch(() => [] as fs.Dirent[]);
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith(UPLOAD_FOLDER_PREFIX)) continue;
    const folder = path.join(tmpDir, entry.name);
    const names = await fs.promises.readdir(folder).catch(() => [] as string[]);
    const stats = await Promise.all([folder, ...names.map((n) => path.join(folder, n))].map((p) => fs.promises.stat(p).catch(() => null)));
    if (stats.some((s) => s !== null && s.mtime >= before)) continue;
    await fs.promises.rm(folder, { recursive: true, force: true });
    removed++;
  }
  return removed;
}
