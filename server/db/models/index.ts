import type { Sequelize } from 'sequelize';
import { AppSettingModel, defineAppSettingModel } from './app-setting';
import { AuditEventModel, defineAuditEventModel } from './audit-event';
import { JobModel, defineJobModel } from './job';
import { LoginThrottleModel, defineLoginThrottleModel } from './login-throttle';
import { PublicationModel, definePublicationModel } from './publication';
import { TownModel, defineTownModel } from './town';
import { UserModel, defineUserModel } from './user';
import { VillageModel, defineVillageModel } from './village';
import { VoucherModel, defineVoucherModel } from './voucher';

export type { JobStatus } from './job';
export type { AppSettingModel, AuditEventModel, JobModel, LoginThrottleModel, PublicationModel, TownModel, UserModel, VillageModel, VoucherModel };

export interface Models {
  AppSetting: typeof AppSettingModel;
  AuditEvent: typeof AuditEventModel;
  Job: typeof JobModel;
  LoginThrottle: typeof LoginThrottleModel;
  Publication: typeof PublicationModel;
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
    AppSetting: defineAppSettingModel(sequelize),
    AuditEvent: defineAuditEventModel(sequelize),
    Job: defineJobModel(sequelize),
    LoginThrottle: defineLoginThrottleModel(sequelize),
    Publication: definePublicationModel(sequelize),
    Town: defineTownModel(sequelize),
    User: defineUserModel(sequelize),
    Village: defineVillageModel(sequelize),
    Voucher: defineVoucherModel(sequelize),
  };
}
