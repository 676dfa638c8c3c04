import type { Sequelize } from 'sequelize';
import { AmendmentModel, defineAmendmentModel } from './amendment';
import { AppSettingModel, defineAppSettingModel } from './app-setting';
import { AuditEventModel, defineAuditEventModel } from './audit-event';
import { ChainEntryModel, defineChainEntryModel } from './chain-entry';
import { JobModel, defineJobModel } from './job';
import { JobVillageTurnModel, defineJobVillageTurnModel } from './job-village-turn';
import { LoginThrottleModel, defineLoginThrottleModel } from './login-throttle';
import { PublicationModel, definePublicationModel } from './publication';
import { PublishedImageModel, definePublishedImageModel } from './published-image';
import { TownModel, defineTownModel } from './town';
import { UserModel, defineUserModel } from './user';
import { VillageModel, defineVillageModel } from './village';
import { VoucherModel, defineVoucherModel } from './voucher';

export type { JobStatus } from './job';
export type {
  AmendmentModel,
  AppSettingModel,
  AuditEventModel,
  ChainEntryModel,
  JobModel,
  JobVillageTurnModel,
  LoginThrottleModel,
  PublicationModel,
  PublishedImageModel,
  TownModel,
  UserModel,
  VillageModel,
  VoucherModel,
};

export interface Models {
  Amendment: typeof AmendmentModel;
  AppSetting: typeof AppSettingModel;
  AuditEvent: typeof AuditEventModel;
  ChainEntry: typeof ChainEntryModel;
  Job: typeof JobModel;
  JobVillageTurn: typeof JobVillageTurnModel;
  LoginThrottle: typeof LoginThrottleModel;
  Publication: typeof PublicationModel;
  PublishedImage: typeof PublishedImageModel;
  Town: typeof TownModel;
  User: typeof UserModel;
  Village: typeof VillageModel;
  Voucher: typeof VoucherModel;
}

/**
 * Binds a fresh subclass of every model to one connection, so two databases can be
 * open side by side (the tests do). The schema itself comes from migrations.
 */
export function defineModels(sequelize: Sequelize): Models {
  return {
    Amendment: defineAmendmentModel(sequelize),
    AppSetting: defineAppSettingModel(sequelize),
    AuditEvent: defineAuditEventModel(sequelize),
    ChainEntry: defineChainEntryModel(sequelize),
    Job: defineJobModel(sequelize),
    JobVillageTurn: defineJobVillageTurnModel(sequelize),
    LoginThrottle: defineLoginThrottleModel(sequelize),
    Publication: definePublicationModel(sequelize),
    PublishedImage: definePublishedImageModel(sequelize),
    Town: defineTownModel(sequelize),
    User: defineUserModel(sequelize),
    Village: defineVillageModel(sequelize),
    Voucher: defineVoucherModel(sequelize),
  };
}
