import { UniqueConstraintError, type Transaction } from 'sequelize';
import type { Models } from '../models';
import { AlreadyExistsError } from './errors';

export interface TownRow {
  id: number;
  name: string;
}
export interface VillageRow {
  id: number;
  townId: number;
  name: string;
}

/** Towns and the villages that belong to them. */
export class DirectoryRepository {
  constructor(private readonly models: Models) {}

  async createTown(name: string, transaction?: Transaction): Promise<TownRow> {
    try {
      const town = await this.models.Town.create({ name }, { transaction });
      return { id: town.id, name: town.name };
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new AlreadyExistsError('town', name);
      throw error;
    }
  }

  async createVillage(townId: number, name: string, transaction?: Transaction): Promise<VillageRow> {
    try {
      const village = await this.models.Village.create({ townId, name }, { transaction });
      return { id: village.id, townId: village.townId, name: village.name };
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new AlreadyExistsError('village', name);
      throw error;
    }
  }

  async findTown(id: number): Promise<TownRow | null> {
    const town = await this.models.Town.findByPk(id);
    return town && { id: town.id, name: town.name };
  }

  async findTownByName(name: string): Promise<TownRow | null> {
    const town = await this.models.Town.findOne({ where: { name } });
    return town && { id: town.id, name: town.name };
  }

  async findVillage(id: number): Promise<VillageRow | null> {
    const village = await this.models.Village.findByPk(id);
    return village && { id: village.id, townId: village.townId, name: village.name };
  }

  async findVillagesByName(name: string): Promise<VillageRow[]> {
    const villages = await this.models.Village.findAll({ where: { name }, order: [['id', 'ASC']] });
    return villages.map((v) => ({ id: v.id, townId: v.townId, name: v.name }));
  }

  async listTowns(): Promise<TownRow[]> {
    const towns = await this.models.Town.findAll({ order: [['id', 'ASC']] });
    return towns.map((t) => ({ id: t.id, name: t.name }));
  }

  async listVillages(): Promise<VillageRow[]> {
    const villages = await this.models.Village.findAll({ order: [['townId', 'ASC'], ['id', 'ASC']] });
    return villages.map((v) => ({ id: v.id, townId: v.townId, name: v.name }));
  }

  async countTowns(transaction?: Transaction): Promise<number> {
    return this.models.Town.count({ transaction });
  }
}
