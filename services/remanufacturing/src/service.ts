// The remanufacturing service as the kit runs it: what it keeps, what it consumes, what it serves.
import { defineService } from '@recycling/service-kit';
import type { Model } from 'mongoose';
import type { AppContext } from './app/context';
import { RemanufacturingConfig } from './config';
import { sourceConsumers } from './events/source-consumers';
import { remanufacturingEndpoints } from './http/endpoints';
import { ClaimRepository } from './store/claim-repository';
import { CoreRepository } from './store/core-repository';
import { MarkNumbers } from './store/mark-numbers';
import { registerModels } from './store/models';
import { ProductRepository } from './store/product-repository';
import { RemanufacturerRepository } from './store/remanufacturer-repository';
import { SourceRepository } from './store/source-repository';

export const remanufacturingService = defineService({
  name: 'remanufacturing',
  title: { zh: '再制造服务', en: 'Remanufacturing service' },
  description: {
    zh: '再制造企业、合法来源的旧件、对照原型新品的检测、再制造标识与质保、产品与旧件的双向追溯',
    en: 'Remanufacturers, cores from lawful sources, tests against the original new product, the 再制造 mark and warranty, traces both ways',
  },
  config: RemanufacturingConfig,
  store: async ({ connection, profile }) => {
    if (!profile.remanufacturing) {
      throw new Error(
        `city profile ${profile.code} has no remanufacturing rules: this city runs no remanufacturing service`,
      );
    }
    const models = registerModels(connection);
    await Promise.all(Object.values(models).map((m: Model<never>) => m.init()));
    return { models, markNumbers: new MarkNumbers(connection) };
  },
  outbox: ({ models }) => [models.Core as unknown as Model<never>, models.Product as unknown as Model<never>],
  context: ({ store: { models, markNumbers }, messaging, profile, logger, now }): AppContext => {
    const deps = { locks: messaging.locks, outbox: messaging.relay };
    return {
      remanufacturers: new RemanufacturerRepository(models, messaging.locks),
      sources: new SourceRepository(models, messaging.locks),
      claims: new ClaimRepository(models, messaging.locks, now),
      cores: new CoreRepository(models, deps),
      products: new ProductRepository(models, deps),
      markNumbers,
      events: messaging.events,
      profile,
      rules: profile.remanufacturing!,
      logger,
      now,
    };
  },
  consumers: sourceConsumers,
  endpoints: remanufacturingEndpoints,
});
