// The subsidies service as the kit runs it: what it keeps, what it consumes, what it serves.
import { defineService } from '@recycling/service-kit';
import { ConfigError } from '@recycling/service-kit';
import type { Model } from 'mongoose';
import type { SubsidyContext } from './app/context';
import { LOCAL_DEV_DATA_KEY, SubsidiesConfig } from './config';
import { parseDataKey } from './domain/protect';
import { evidenceConsumer } from './events/evidence-consumer';
import { subsidyEndpoints } from './http/endpoints';
import { BudgetLedger } from './store/budget-ledger';
import { ClaimRepository, ReimbursementRepository } from './store/claim-repository';
import { EvidenceStore } from './store/evidence-store';
import { WorkLists } from './store/lists';
import { collectionOf, COLLECTIONS, registerModels } from './store/models';
import { PaymentStore } from './store/payment-store';
import { RetailerRepository } from './store/retailer-repository';
import { SignalStore } from './store/signal-store';
import { UniqueKeys } from './store/unique-keys';

export const subsidiesService = defineService({
  name: 'subsidies',
  title: { zh: '以旧换新补贴服务', en: 'Trade-in subsidies service' },
  description: {
    zh: '汽车报废更新、置换更新与家电家具以旧换新补贴：按城市配置的年度规则计算补贴，以回收网络自身的事件为证明，审核、预算控制、拨付与资金全链条监管',
    en: 'Car scrap-and-buy and sell-and-buy, appliance and furniture trade-in subsidies: amounts from the dated rules of the city profile, evidence from the network’s own events, review, budget control, payment and oversight of the fund',
  },
  config: SubsidiesConfig,
  store: async ({ connection, profile, config }) => {
    if (!profile.subsidies.tradeIn) {
      throw new ConfigError([
        {
          variable: 'CITY_PROFILE',
          problem: 'the city profile has no subsidies.tradeIn programmes',
          expected: 'a profile with trade-in programmes (config/cities/*.json)',
        },
      ]);
    }
    if (
      process.env.NODE_ENV === 'production' &&
      config.SUBSIDY_DATA_KEY.toLowerCase() === LOCAL_DEV_DATA_KEY
    ) {
      throw new ConfigError([
        {
          variable: 'SUBSIDY_DATA_KEY',
          problem: 'the local development key in production',
          expected: 'a key of this deployment, 64 hex characters',
        },
      ]);
    }
    const models = registerModels(connection);
    await Promise.all(Object.values(models).map((m: Model<never>) => m.init()));
    return models;
  },
  outbox: (models) => [
    models.Claim as unknown as Model<never>,
    models.Reimbursement as unknown as Model<never>,
  ],
  context: ({ store: models, messaging, config, profile, logger, now, connection }): SubsidyContext => {
    const locks = messaging.locks;
    const deps = { locks, outbox: messaging.relay };
    const claims = new ClaimRepository(models, deps);
    const reimbursements = new ReimbursementRepository(models, deps);
    // A key's holder is a claim, or a reimbursement (`reimbursement:<sale>` keys).
    const holderExists = async (id: string) =>
      (await claims.find(id)) !== null || (await reimbursements.find(id)) !== null;
    return {
      claims,
      reimbursements,
      uniqueKeys: new UniqueKeys(collectionOf(connection, COLLECTIONS.uniqueKeys), holderExists, now),
      evidence: new EvidenceStore(collectionOf(connection, COLLECTIONS.evidence), locks, now),
      lists: new WorkLists(collectionOf(connection, COLLECTIONS.lists), locks, now),
      budgets: new BudgetLedger(
        collectionOf(connection, COLLECTIONS.budgets),
        collectionOf(connection, COLLECTIONS.budgetEntries),
        locks,
        profile.timezone,
        now,
      ),
      payments: new PaymentStore(
        collectionOf(connection, COLLECTIONS.payments),
        collectionOf(connection, COLLECTIONS.paymentBatches),
        locks,
      ),
      retailers: new RetailerRepository(collectionOf(connection, COLLECTIONS.retailers), locks),
      signals: new SignalStore(collectionOf(connection, COLLECTIONS.signals), locks, now),
      events: messaging.events,
      profile,
      tradeIn: profile.subsidies.tradeIn!,
      personKeySecret: config.SELLER_KEY_SECRET,
      dataKey: parseDataKey(config.SUBSIDY_DATA_KEY),
      logger,
      now,
    };
  },
  consumers: (ctx) => [evidenceConsumer(ctx)],
  endpoints: subsidyEndpoints,
});
