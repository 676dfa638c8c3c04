import type { Town } from '../../shared/schemas/directory';
import { placeNameSchema } from '../../shared/schemas/directory';
import type { DirectoryRepository, TownRow, VillageRow } from '../db/repositories/directory-repository';
import { AlreadyExistsError } from '../db/repositories/errors';
import { conflict, invalid, notFound } from '../errors';

export class DirectoryService {
  constructor(private readonly directory: DirectoryRepository) {}

  async addTown(name: string): Promise<TownRow> {
    const clean = this.checkName(name);
    try {
      return await this.directory.createTown(clean);
    } catch (error) {
      if (error instanceof AlreadyExistsError) throw conflict(`已经有一个叫“${clean}”的镇`);
      throw error;
    }
  }

  /** `town` is an id or a town's exact name. */
  async addVillage(town: number | string, name: string): Promise<VillageRow> {
    const clean = this.checkName(name);
    const found = await this.resolveTown(String(town));
    try {
      return await this.directory.createVillage(found.id, clean);
    } catch (error) {
      if (error instanceof AlreadyExistsError) throw conflict(`${found.name}已经有一个叫“${clean}”的村`);
      throw error;
    }
  }

  async getVillage(id: number): Promise<VillageRow> {
    const village = await this.directory.findVillage(id);
    if (!village) throw notFound('找不到这个村');
    return village;
  }

  /** For people typing at a terminal: a town's id or exact name. */
  async resolveTown(ref: string): Promise<TownRow> {
    const found = /^\d+$/.test(ref) ? await this.directory.findTown(Number(ref)) : await this.directory.findTownByName(ref.trim());
    if (!found) throw notFound(`找不到镇“${ref}”`);
    return found;
  }

  /** A village's id, its name when only one village has it, or "镇名/村名". */
  async resolveVillage(ref: string): Promise<VillageRow> {
    if (/^\d+$/.test(ref)) return this.getVillage(Number(ref));
    const [townPart, villagePart] = ref.includes('/') ? ref.split('/', 2) : [null, ref];
    const town = townPart ? await this.resolveTown(townPart) : null;
    const matches = (await this.directory.findVillagesByName(villagePart.trim())).filter((v) => !town || v.townId === town.id);
    if (matches.length === 0) throw notFound(`找不到村“${ref}”`);
    if (matches.length > 1) throw conflict(`有 ${matches.length} 个村叫“${villagePart}”，请写成“镇名/村名”或用编号`);
    return matches[0];
  }

  /** Every village, or a town's. */
  async listVillages(townId?: number): Promise<VillageRow[]> {
    const villages = await this.directory.listVillages();
    return townId === undefined ? villages : villages.filter((v) => v.townId === townId);
  }

  async listTowns(): Promise<Town[]> {
    const [towns, villages] = await Promise.all([this.directory.listTowns(), this.directory.listVillages()]);
    return towns.map((town) => ({
      id: town.id,
      name: town.name,
      villages: villages.filter((v) => v.townId === town.id).map((v) => ({ id: v.id, name: v.name })),
    }));
  }

  private checkName(name: string): string {
    const parsed = placeNameSchema.safeParse(name);
    if (!parsed.success) throw invalid('name', parsed.error.issues[0].message);
    return parsed.data;
  }
}
