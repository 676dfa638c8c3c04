import { DataTypes, Model, type Sequelize } from 'sequelize';

/** A storage key some chain entry names: the storage janitor never deletes these. */
export class PublishedImageModel extends Model {
  declare storageKey: string;
  declare createdAt: Date;
}

export function definePublishedImageModel(sequelize: Sequelize): typeof PublishedImageModel {
  class Bound extends PublishedImageModel {}
  Bound.init(
    { storageKey: { type: DataTypes.STRING(128), primaryKey: true } },
    { sequelize, modelName: 'PublishedImage', tableName: 'published_images', updatedAt: false },
  );
  return Bound;
}
