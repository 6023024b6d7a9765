import {
  DomainError,
  type CityProfile,
  type ProductLine,
  type RemanufacturingRules,
} from '@recycling/contracts';
import type { EventFactory } from '@recycling/messaging';
import type { Logger } from '@recycling/observability';
import { localDateOf, localMonthOf } from '../domain/local-dates';
import type { ClaimRepository } from '../store/claim-repository';
import type { CoreRepository } from '../store/core-repository';
import type { MarkNumbers } from '../store/mark-numbers';
import type { ProductRepository } from '../store/product-repository';
import type { RemanufacturerRepository } from '../store/remanufacturer-repository';
import type { SourceRepository } from '../store/source-repository';

/** What the use cases work with; built once by the service definition. */
export interface AppContext {
  remanufacturers: RemanufacturerRepository;
  sources: SourceRepository;
  claims: ClaimRepository;
  cores: CoreRepository;
  products: ProductRepository;
  markNumbers: MarkNumbers;
  events: EventFactory;
  profile: CityProfile;
  /** The city's remanufacturing rules (the service does not start without them). */
  rules: RemanufacturingRules;
  logger: Logger;
  now: () => Date;
}

export const todayOf = (ctx: Pick<AppContext, 'now' | 'profile'>): string =>
  localDateOf(ctx.now(), ctx.profile.timezone);
export const monthOf = (ctx: Pick<AppContext, 'now' | 'profile'>): string =>
  localMonthOf(ctx.now(), ctx.profile.timezone);

/** The product line of the profile, or a 400 naming `field`. */
export function lineOf(ctx: Pick<AppContext, 'rules'>, code: string, field = 'productLine'): ProductLine {
  const line = ctx.rules.productLines.find((l) => l.code === code);
  if (!line) {
    throw DomainError.invalid('unknown-product-line', field, `没有产品线 ${code} / No product line ${code}.`);
  }
  return line;
}
