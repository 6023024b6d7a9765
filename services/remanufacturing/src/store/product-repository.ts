import { DomainError } from '@recycling/contracts';
import type { PendingEvent } from '@recycling/messaging';
import { AggregateRepository, type RepositoryDeps } from '@recycling/store';
import type { Models, ProductDoc } from './models';

export const productNotFound = (productId: string) =>
  DomainError.notFound(
    'product-not-found',
    `未找到再制造产品 ${productId} / Product ${productId} not found.`,
  );

/** Products: created by insert, changed under their lock with their events in the same write. */
export class ProductRepository extends AggregateRepository<ProductDoc, PendingEvent> {
  constructor(models: Pick<Models, 'Product'>, deps: RepositoryDeps) {
    super(models.Product, deps, { lockPrefix: 'product', notFound: productNotFound });
  }
}
