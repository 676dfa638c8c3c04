import { UniqueConstraintError } from 'sequelize';
import type { Models } from '../models';

/** Small named values every process must agree on (for example the token secret). */
export class SettingsRepository {
  constructor(private readonly models: Models) {}

  async get(key: string): Promise<string | null> {
    return (await this.models.AppSetting.findByPk(key))?.value ?? null;
  }

  /** The first process to ask stores `make()`; everyone, including racers, reads back the stored value. */
  async getOrCreate(key: string, make: () => string, now: Date): Promise<string> {
    const existing = await this.get(key);
    if (existing !== null) return existing;
    try {
      await this.models.AppSetting.create({ key, value: make(), createdAt: now });
    } catch (error) {
      if (!(error instanceof UniqueConstraintError)) throw error;
    }
    return (await this.get(key))!;
  }
}
