import { DataTypes } from 'sequelize';

// Column shapes shared by the migrations. Shipped migrations use these, so what they produce
// must never change: a new shape gets a new helper. Times are DATETIME(3) in UTC.
export const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
export const time = (allowNull = false) => ({ type: DataTypes.DATE(3), allowNull });
export const timestamps = { created_at: time(), updated_at: time() };
export const ref = (table: string, allowNull = false, onDelete = 'RESTRICT') => ({
  type: DataTypes.INTEGER,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete,
  onUpdate: 'CASCADE',
});
export const text = (allowNull = true) => ({ type: DataTypes.TEXT, allowNull });
export const str = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });
