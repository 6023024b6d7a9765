// Whose used-car transactions a caller touches: a market (role used-car-market) only its own, the
// market being its token's scope; an administrator names the market it reads.
import { DomainError, type Principal } from '@recycling/contracts';

const noMarket = () =>
  DomainError.forbidden('token-names-no-market', '令牌缺少市场范围 / The token names no market.');

/** The market a transaction is recorded for: the caller's own. */
export function recordingMarketOf(principal: Principal): string {
  if (!principal.scope) throw noMarket();
  return principal.scope;
}

/** The market whose transactions the caller lists: its own, or the one an administrator names. */
export function listedMarketOf(principal: Principal, requested: string | undefined): string {
  if (principal.role === 'used-car-market') {
    if (!principal.scope) throw noMarket();
    if (requested && requested !== principal.scope) {
      throw DomainError.forbidden(
        'other-market',
        '只能查看本市场的交易 / A market sees only its own transactions.',
      );
    }
    return principal.scope;
  }
  if (!requested) {
    throw new DomainError('invalid', 'market-required', '请指定市场 / Name the market.', {
      fields: [{ field: 'query.marketId', message: 'required of administrators', code: 'invalid_type' }],
    });
  }
  return requested;
}
