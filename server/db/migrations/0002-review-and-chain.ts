import { DataTypes, type QueryInterface } from 'sequelize';
import { id, ref, str, text, time, timestamps } from './columns';

const digest = (allowNull = false) => ({ type: DataTypes.CHAR(64), allowNull });

/**
 * Review and publication: the append-only public chain of manifests, the images it names
 * (never deleted), amendments to published months, and withdrawn vouchers.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('chain_entries', {
    id,
    village_id: ref('villages'),
    // 1, 2, 3 … per village; the unique index makes a second writer of the same link fail.
    seq: { type: DataTypes.INTEGER, allowNull: false },
    kind: str(16, false),
    month: str(7, false),
    digest: digest(),
    prev: digest(true),
    // The canonical JSON exactly as hashed. LONGTEXT spelled out so SQLite reports the same type.
    manifest: { type: 'LONGTEXT', allowNull: false },
    created_at: time(),
  });
  await qi.addIndex('chain_entries', ['village_id', 'seq'], { unique: true, name: 'chain_entries_village_seq_unique' });
  await qi.addIndex('chain_entries', ['digest'], { unique: true, name: 'chain_entries_digest_unique' });
  await qi.addIndex('chain_entries', ['village_id', 'month'], { name: 'chain_entries_village_month' });

  await qi.createTable('published_images', {
    storage_key: { ...str(128, false), primaryKey: true },
    created_at: time(),
  });

  await qi.createTable('amendments', {
    id,
    voucher_id: ref('vouchers'),
    village_id: ref('villages'),
    month: str(7, false),
    status: str(16, false),
    changes: text(false),
    reason: text(false),
    // The voucher's version when requested: approving after another change to it is refused.
    voucher_version: { type: DataTypes.INTEGER, allowNull: false },
    requested_by: ref('users', true, 'SET NULL'),
    requested_at: time(),
    decided_by: ref('users', true, 'SET NULL'),
    decided_at: time(true),
    rejection_reason: text(),
    chain_digest: digest(true),
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
    ...timestamps,
  });
  await qi.addIndex('amendments', ['voucher_id'], { name: 'amendments_voucher_id' });
  await qi.addIndex('amendments', ['village_id', 'month'], { name: 'amendments_village_month' });
  await qi.addIndex('amendments', ['requested_by'], { name: 'amendments_requested_by' });
  await qi.addIndex('amendments', ['decided_by'], { name: 'amendments_decided_by' });

  await qi.addColumn('vouchers', 'withdrawn_at', time(true));
  await qi.addColumn('vouchers', 'withdrawn_reason', text());
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  // Plain DROP COLUMN (SQLite ≥ 3.35): Sequelize's SQLite removeColumn rebuilds the table and loses its indexes.
  for (const column of ['withdrawn_reason', 'withdrawn_at']) await qi.sequelize.query(`ALTER TABLE vouchers DROP COLUMN ${column}`);
  for (const table of ['amendments', 'published_images', 'chain_entries']) await qi.dropTable(table);
}
