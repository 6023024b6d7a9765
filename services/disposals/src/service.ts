// The disposals service as the kit runs it: what it keeps and what it serves. It consumes nothing:
// a batch starts at the institution's desk and every later step is a person's act at the station or
// the institution (decision 17 in docs/decisions/README.md says why it is a service of its own).
import { defineService } from '@recycling/service-kit';
import type { Model } from 'mongoose';
import type { AppContext } from './app/context';
import { DisposalsConfig } from './config';
import { disposalEndpoints } from './http/endpoints';
import { BatchRepository } from './store/batch-repository';
import { InstitutionRepository } from './store/institution-repository';
import { registerModels } from './store/models';

export const disposalsService = defineService({
  name: 'disposals',
  title: { zh: '公共机构办公设备处置服务', en: 'Public institutions’ disposals service' },
  description: {
    zh: '公共机构国有资产处置批次：审批与最低使用年限、站点逐件接收与差异、持证接收单位、涉密资产数据清除或销毁证明、处置收入上缴国库',
    en: 'Public institutions’ state-asset disposal batches: approvals and minimum service lives, receipt asset by asset with differences, licensed receivers, wipe or destruction certificates for classified assets, proceeds to the treasury',
  },
  config: DisposalsConfig,
  store: async ({ connection, profile }) => {
    if (!profile.publicInstitutions) {
      throw new Error(
        `city profile ${profile.code} has no publicInstitutions rules: this city runs no disposals service`,
      );
    }
    const models = registerModels(connection);
    await Promise.all(Object.values(models).map((m: Model<never>) => m.init()));
    return models;
  },
  outbox: (models) => [models.Batch as unknown as Model<never>],
  context: ({ store: models, messaging, profile, logger, now }): AppContext => ({
    institutions: new InstitutionRepository(models, messaging.locks),
    batches: new BatchRepository(models, { locks: messaging.locks, outbox: messaging.relay }, now),
    events: messaging.events,
    profile,
    rules: profile.publicInstitutions!,
    logger,
    now,
  }),
  endpoints: disposalEndpoints,
});
