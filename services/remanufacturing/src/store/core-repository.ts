import { DomainError } from '@recycling/contracts';
import type { PendingEvent } from '@recycling/messaging';
import { AggregateRepository, type RepositoryDeps } from '@recycling/store';
import type { CoreDoc, Models } from './models';

export const coreNotFound = (coreId: string) =>
  DomainError.notFound('core-not-found', `未找到旧件 ${coreId} / Core ${coreId} not found.`);

/** Cores: created by insert with their core-received event; one writer per core (its lock). */
export class CoreRepository extends AggregateRepository<CoreDoc, PendingEvent> {
  constructor(models: Pick<Models, 'Core'>, deps: RepositoryDeps) {
    super(models.Core, deps, { lockPrefix: 'core', notFound: coreNotFound });
  }
}
