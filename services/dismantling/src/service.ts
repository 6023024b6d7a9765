// The dismantling service as the kit runs it: what it keeps, what it consumes, what it serves.
import { defineService } from '@recycling/service-kit';
import type { Model } from 'mongoose';
import type { AppContext } from './app/context';
import { DismantlingConfig } from './config';
import { pickupsConsumer } from './events/pickups-consumer';
import { dismantlingEndpoints } from './http/endpoints';
import { CertificateNumbers } from './store/certificate-numbers';
import { DismantlerRepository } from './store/dismantler-repository';
import { EarlyIntakeRepository } from './store/early-intake-repository';
import { ExpectedVehicleRepository } from './store/expected-vehicle-repository';
import { registerModels } from './store/models';
import { VehicleIntakeRepository } from './store/vehicle-intake-repository';
import { VinClaimRepository } from './store/vin-claim-repository';
import { WorkListRepository } from './store/work-list-repository';

export const dismantlingService = defineService({
  name: 'dismantling',
  title: { zh: '报废机动车回收拆解', en: 'Dismantling service' },
  description: {
    zh: '报废机动车的接收、回收证明、注销登记与拆解记录',
    en: 'Scrapped-vehicle intake, recycling certificates, deregistration and dismantling records',
  },
  config: DismantlingConfig,
  store: async ({ connection, logger }) => {
    const models = registerModels(connection);
    await Promise.all(Object.values(models).map((m: Model<never>) => m.syncIndexes()));
    const certificateNumbers = new CertificateNumbers(connection);
    await certificateNumbers.continueAfterLegacyNumbers(logger);
    return { models, certificateNumbers };
  },
  outbox: ({ models }) => [models.VehicleIntake as unknown as Model<never>],
  context: ({
    store: { models, certificateNumbers },
    connection,
    messaging,
    config,
    profile,
    logger,
    now,
  }): AppContext => {
    const locks = messaging.locks;
    return {
      dismantlers: new DismantlerRepository(models, locks),
      expectedVehicles: new ExpectedVehicleRepository(models),
      intakes: new VehicleIntakeRepository(models, { locks, outbox: messaging.relay }),
      earlyIntakes: new EarlyIntakeRepository(models, locks),
      vinClaims: new VinClaimRepository(models, locks),
      workLists: new WorkListRepository(connection, locks),
      certificateNumbers,
      events: messaging.events,
      profile,
      sellerKeySecret: config.SELLER_KEY_SECRET,
      purchaseTerms: { taxCategoryCode: config.VEHICLE_TAX_CATEGORY_CODE },
      logger,
      now,
    };
  },
  consumers: (ctx) => [pickupsConsumer(ctx)],
  endpoints: dismantlingEndpoints,
});
