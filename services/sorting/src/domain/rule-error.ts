// Why a use case refused: the HTTP layer turns the kind into a status (400 names the field, 404,
// 409), so the rules stay free of transport concerns.
export type RuleErrorKind = 'invalid' | 'not-found' | 'conflict' | 'forbidden';

export class RuleError extends Error {
  constructor(
    readonly kind: RuleErrorKind,
    /** Chinese first, English second: desk staff read it. */
    readonly detail: string,
    /** Dotted path of the bad input field, for 400s. */
    readonly field?: string,
  ) {
    super(detail);
    this.name = 'RuleError';
  }
}
