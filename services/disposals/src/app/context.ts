import {
  DomainError,
  type CityProfile,
  type LicensedReceiver,
  type PublicAssetCategory,
  type PublicInstitutionDisposals,
} from '@recycling/contracts';
import type { EventFactory } from '@recycling/messaging';
import type { Logger } from '@recycling/observability';
import { localDateOf } from '../domain/local-dates';
import type { BatchRepository } from '../store/batch-repository';
import type { InstitutionRepository } from '../store/institution-repository';

/** What the use cases work with; built once by the service definition. */
export interface AppContext {
  institutions: InstitutionRepository;
  batches: BatchRepository;
  events: EventFactory;
  profile: CityProfile;
  /** The city's disposal rules (the service does not start without them). */
  rules: PublicInstitutionDisposals;
  logger: Logger;
  now: () => Date;
}

export const todayOf = (ctx: Pick<AppContext, 'now' | 'profile'>): string =>
  localDateOf(ctx.now(), ctx.profile.timezone);

export const categoryOf = (ctx: Pick<AppContext, 'rules'>, code: string): PublicAssetCategory | undefined =>
  ctx.rules.assetCategories.find((c) => c.code === code);

/** The licensed receiver of the profile, or a 400 naming `field`. */
export function receiverOf(
  ctx: Pick<AppContext, 'rules'>,
  code: string,
  field = 'receiverCode',
): LicensedReceiver {
  const receiver = ctx.rules.receivers.find((r) => r.code === code);
  if (!receiver) {
    throw DomainError.invalid(
      'unknown-receiver',
      field,
      `没有接收单位 ${code} / No licensed receiver ${code}.`,
    );
  }
  return receiver;
}
