import { DataTypes, type QueryInterface } from 'sequelize';
import { id, ref, str, text, time, timestamps } from './columns';

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('app_settings', {
    key: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
    value: text(false),
    created_at: time(),
  });

  await qi.createTable('towns', { id, name: str(40, false), ...timestamps });
  await qi.addIndex('towns', ['name'], { unique: true, name: 'towns_name_unique' });

  await qi.createTable('villages', { id, town_id: ref('towns'), name: str(40, false), ...timestamps });
  await qi.addIndex('villages', ['town_id', 'name'], { unique: true, name: 'villages_town_name_unique' });

  await qi.createTable('users', {
    id,
    username: str(32, false),
    display_name: str(40, false),
    password_hash: str(255, false),
    role: str(16, false),
    village_id: ref('villages', true),
    town_id: ref('towns', true),
    // Bumped on password change so tokens issued before it stop working.
    token_version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    disabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    ...timestamps,
  });
  await qi.addIndex('users', ['username'], { unique: true, name: 'users_username_unique' });
  // Foreign-key columns get named indexes: MySQL would add unnamed ones itself, SQLite none.
  await qi.addIndex('users', ['village_id'], { name: 'users_village_id' });
  await qi.addIndex('users', ['town_id'], { name: 'users_town_id' });

  // Keyed by the username tried (existing or not), so lock-out reveals nothing about who exists.
  await qi.createTable('login_throttles', {
    key: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
    failures: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    window_started_at: time(),
    locked_until: time(true),
    updated_at: time(),
  });

  await qi.createTable('vouchers', {
    id,
    village_id: ref('villages'),
    month: str(7, false),
    status: str(16, false),
    sha256: { type: DataTypes.CHAR(64), allowNull: false },
    original_key: str(128, false),
    original_name: str(255),
    original_mime: str(64),
    original_bytes: { type: DataTypes.INTEGER, allowNull: true },
    width: { type: DataTypes.INTEGER, allowNull: true },
    height: { type: DataTypes.INTEGER, allowNull: true },
    display_key: str(128),
    thumb_key: str(128),
    public_display_key: str(128),
    public_thumb_key: str(128),
    ocr_engine: str(32),
    ocr_text: text(),
    ocr_lines: text(),
    amount_fen: { type: DataTypes.BIGINT, allowNull: true },
    date: str(10),
    invoice_code: str(32),
    invoice_number: str(32),
    payee: str(200),
    description: str(500),
    category: str(32),
    flags: text(false),
    redactions: text(false),
    processing_error: text(),
    uploaded_by: ref('users', true, 'SET NULL'),
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
    ...timestamps,
  });
  await qi.addIndex('vouchers', ['village_id', 'month'], { name: 'vouchers_village_month' });
  await qi.addIndex('vouchers', ['village_id', 'sha256'], { unique: true, name: 'vouchers_village_sha256_unique' });
  await qi.addIndex('vouchers', ['uploaded_by'], { name: 'vouchers_uploaded_by' });

  await qi.createTable('publications', {
    id,
    village_id: ref('villages'),
    month: str(7, false),
    status: str(16, false),
    rejection_reason: text(),
    submitted_at: time(true),
    submitted_by: ref('users', true, 'SET NULL'),
    published_at: time(true),
    published_by: ref('users', true, 'SET NULL'),
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
    ...timestamps,
  });
  await qi.addIndex('publications', ['village_id', 'month'], { unique: true, name: 'publications_village_month_unique' });
  await qi.addIndex('publications', ['submitted_by'], { name: 'publications_submitted_by' });
  await qi.addIndex('publications', ['published_by'], { name: 'publications_published_by' });

  await qi.createTable('jobs', {
    id,
    type: str(64, false),
    payload: text(false),
    status: str(16, false),
    attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    max_attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 5 },
    run_after: time(),
    lease_owner: str(64),
    lease_expires_at: time(true),
    last_error: text(),
    // Lets a claimer share work fairly between villages.
    village_id: { type: DataTypes.INTEGER, allowNull: true },
    finished_at: time(true),
    ...timestamps,
  });
  await qi.addIndex('jobs', ['status', 'run_after'], { name: 'jobs_status_run_after' });
  await qi.addIndex('jobs', ['status', 'lease_expires_at'], { name: 'jobs_status_lease' });

  await qi.createTable('audit_events', {
    id,
    at: time(),
    actor_user_id: { type: DataTypes.INTEGER, allowNull: true },
    actor_role: str(16),
    action: str(64, false),
    subject_type: str(32, false),
    subject_id: str(64, false),
    village_id: { type: DataTypes.INTEGER, allowNull: true },
    details: text(false),
    request_id: str(64),
  });
  await qi.addIndex('audit_events', ['subject_type', 'subject_id'], { name: 'audit_events_subject' });
  await qi.addIndex('audit_events', ['village_id', 'at'], { name: 'audit_events_village_at' });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const table of ['audit_events', 'jobs', 'publications', 'vouchers', 'login_throttles', 'users', 'villages', 'towns', 'app_settings'])
    await qi.dropTable(table);
}
