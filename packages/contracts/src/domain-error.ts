// The one error a rule or a use case throws when it refuses: what kind of refusal it is, a stable
// code that clients branch on and translate (the portal keeps a Chinese and an English text per
// code), and a message for the person in front of the screen, Chinese first. It names no HTTP
// status: service-kit maps the kind to one in a single place (400, 403, 404, 409, 422), so
// `domain/` and `app/` stay free of transport (eslint holds the layers).

export const DOMAIN_ERROR_KINDS = [
  /** The input breaks a rule (a field's value); answered 400 naming the field. */
  'invalid',
  /** The caller may not do this (another site's record, a role's limit); 403. */
  'forbidden',
  /** Nothing of that id visible to the caller; 404. */
  'not-found',
  /** Not in the current state (already done, a slot full, a budget spent); 409. */
  'conflict',
  /** Well-formed and allowed, but cannot be processed as asked (no site serves the district); 422. */
  'unprocessable',
] as const;
export type DomainErrorKind = (typeof DOMAIN_ERROR_KINDS)[number];

/** One bad input field: dotted path, message for a person, and the rule's code. */
export interface DomainFieldError {
  field: string;
  message: string;
  code: string;
}

export interface DomainErrorOptions {
  /** A title for this kind of refusal, where the kind's general one says too little (`该时段已约满`). */
  title?: { zh: string; en: string };
  /** The input fields at fault (400s name them). */
  fields?: DomainFieldError[];
  /** Facts a client can act on (the nearest free slots, the earlier claim's masked reference). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class DomainError extends Error {
  readonly fields: readonly DomainFieldError[];
  readonly details: Readonly<Record<string, unknown>>;
  readonly title?: { zh: string; en: string };

  constructor(
    readonly kind: DomainErrorKind,
    /** Stable, kebab-case, e.g. `slot-full`, `vin-already-taken`: never reworded once published. */
    readonly code: string,
    /** For people: `中文 / English.` */
    readonly detail: string,
    options: DomainErrorOptions = {},
  ) {
    super(`${code}: ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.fields = options.fields ?? [];
    this.details = options.details ?? {};
    this.title = options.title;
  }

  /** A refusal of one input field: 400 naming `field`, the message being `detail`. */
  static invalid(code: string, field: string, detail: string, options: DomainErrorOptions = {}): DomainError {
    return new DomainError('invalid', code, detail, {
      ...options,
      fields: [{ field, message: detail, code }, ...(options.fields ?? [])],
    });
  }

  static notFound(code: string, detail: string, options?: DomainErrorOptions): DomainError {
    return new DomainError('not-found', code, detail, options);
  }

  /** A conflict with the current state; `options.fields` names the input at fault, if one is. */
  static conflict(code: string, detail: string, options?: DomainErrorOptions): DomainError {
    return new DomainError('conflict', code, detail, options);
  }

  static forbidden(code: string, detail: string, options?: DomainErrorOptions): DomainError {
    return new DomainError('forbidden', code, detail, options);
  }

  static unprocessable(code: string, detail: string, options?: DomainErrorOptions): DomainError {
    return new DomainError('unprocessable', code, detail, options);
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
