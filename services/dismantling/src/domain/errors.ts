// A rule of the domain was broken. The HTTP layer turns it into problem+json with Chinese and
// English text; consumers would send it to the DLQ. Kept free of HTTP so the rules stay pure.

export type RuleViolationKind = 'conflict' | 'forbidden' | 'invalid' | 'not-found';

export class RuleViolation extends Error {
  constructor(
    readonly kind: RuleViolationKind,
    /** Stable machine code, e.g. `vin-already-taken`. */
    readonly code: string,
    /** Chinese first, English second: shown to operators as is. */
    readonly detail: string,
    /** The input field at fault, when one is. */
    readonly field?: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'RuleViolation';
  }
}
