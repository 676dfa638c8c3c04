import type { QueryInterface } from 'sequelize';

/**
 * Public images are looked up by storage key (is this copy shown by a published month now?),
 * and the storage janitor asks which keys vouchers still use: both need these columns indexed.
 */
const INDEXES = [
  { column: 'public_display_key', name: 'vouchers_public_display_key' },
  { column: 'public_thumb_key', name: 'vouchers_public_thumb_key' },
];

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const { column, name } of INDEXES) await qi.addIndex('vouchers', [column], { name });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const { name } of INDEXES) await qi.removeIndex('vouchers', name);
}
