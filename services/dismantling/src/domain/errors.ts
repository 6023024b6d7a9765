import { DomainError, type DomainErrorKind } from '@recycling/contracts';

// A rule of the domain was broken: a DomainError (service-kit answers it as problem+json in one
// place). The codes are stable; clients branch on them and the portal translates them.

/** A refusal with its code, its `中文 / English.` detail and, where one input is at fault, the field. */
export const refusal = (kind: DomainErrorKind, code: string, detail: string, field?: string): DomainError =>
  new DomainError(kind, code, detail, field ? { fields: [{ field, message: detail, code }] } : {});
