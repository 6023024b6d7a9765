// Personal data never reaches a log line. Log records are scrubbed by key name at any depth (in pino's
// `formatters.log`, before serialization), and pino's own `redact` covers the fixed paths of the
// serialized request and response (headers). Key names are compared without case, '-' or '_', so
// `idNumber`, `id_number` and `ID-Number` are one key.
//
// Why not only pino's `redact` with wildcard paths (`*.phone`, `*.*.phone`, ...): a wildcard path
// matches one level each, so every depth needs its own path, and with the ~20 keys below the cost
// measured 40 µs (top level only) to 560 µs (six levels) per line, against ~1.5 µs for one walk.

/** The censor written in place of a personal value. */
export const REDACTED = '[redacted]';

/** Keys whose value is personal data wherever they appear, compared normalized (see `normalizeKey`). */
export const PERSONAL_DATA_KEYS: readonly string[] = [
  'name',
  'fullName',
  'realName',
  'contactName',
  'ownerName',
  'sellerName',
  'residentName',
  'holderName',
  'contact',
  'owner',
  'phone',
  'mobile',
  'telephone',
  'idNumber',
  'idCard',
  'idDocument',
  'idDocumentNumber',
  'address',
  'email',
  'licensePlate',
  'plateNumber',
  'bankAccount',
  'authorization',
  'cookie',
  'set-cookie',
];

/**
 * Key endings that mark personal data or secrets: `residentPhone`, `sellerIdNumber`,
 * `pickupAddress`, `accessToken`, `sellerKeySecret`. Names are not matched by ending (`fileName`,
 * `topicName` and `serviceName` are not personal), only by the exact keys above.
 */
export const PERSONAL_DATA_KEY_SUFFIXES: readonly string[] = [
  'phone',
  'phonenumber',
  'phoneno',
  'mobile',
  'mobilenumber',
  'idnumber',
  'idno',
  'idcardnumber',
  'address',
  'email',
  'password',
  'secret',
  'token',
];

/** Fixed paths of serialized values (pino-http's `req` and `res`) handled by pino's `redact`. */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

export function normalizeKey(key: string): string {
  return key.replace(/[-_]/g, '').toLowerCase();
}

export interface ScrubOptions {
  /** Extra keys to treat as personal data (exact, normalized). */
  keys?: readonly string[];
  /** Deeper values are replaced by '[truncated]'. Default 12. */
  maxDepth?: number;
}

export type Scrubber = (value: unknown) => unknown;

/**
 * Returns a function that copies a value with every personal key's value replaced by `REDACTED`.
 * Plain objects, arrays, class instances (their own enumerable keys, as JSON would show them),
 * `toJSON()` results (mongoose documents) and nested errors are walked; the input is not changed.
 */
export function createScrubber(options: ScrubOptions = {}): Scrubber {
  const exact = new Set([...PERSONAL_DATA_KEYS, ...(options.keys ?? [])].map(normalizeKey));
  const maxDepth = options.maxDepth ?? 12;
  const isPersonal = (key: string): boolean => {
    const k = normalizeKey(key);
    return exact.has(k) || PERSONAL_DATA_KEY_SUFFIXES.some((s) => k.endsWith(s));
  };

  const walk = (value: unknown, depth: number, ancestors: WeakSet<object>): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (value instanceof Date || Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return value;
    if (ancestors.has(value)) return '[circular]';
    if (depth > maxDepth) return '[truncated]';
    ancestors.add(value);
    try {
      if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1, ancestors));
      if (value instanceof Error) return walk(errorToObject(value), depth, ancestors);
      if (value instanceof Map) return walk(Object.fromEntries(value), depth, ancestors);
      if (value instanceof Set) return walk([...value], depth, ancestors);
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') {
        const json: unknown = toJSON.call(value);
        return json === value ? scrubKeys(value, depth, ancestors) : walk(json, depth, ancestors);
      }
      return scrubKeys(value, depth, ancestors);
    } finally {
      ancestors.delete(value);
    }
  };

  const scrubKeys = (value: object, depth: number, ancestors: WeakSet<object>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = isPersonal(key) && v !== undefined && v !== null ? REDACTED : walk(v, depth + 1, ancestors);
    }
    return out;
  };

  return (value) => walk(value, 0, new WeakSet());
}

/** An error as a plain object: type, a message without personal values, stack, own fields. */
export function errorToObject(err: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...(err as unknown as Record<string, unknown>) };
  // Store errors repeat the offending values: a duplicate key (`keyValue`), a failed cast (`value`).
  delete fields.keyValue;
  delete fields.value;
  delete fields.reason;
  const out: Record<string, unknown> = {
    type: err.constructor?.name ?? 'Error',
    message: safeErrorMessage(err),
    stack: err.stack === undefined ? undefined : err.stack.replace(err.message, safeErrorMessage(err)),
    ...fields,
  };
  if (err.cause !== undefined) out.cause = err.cause;
  return out;
}

/**
 * Messages of some store errors quote the values they failed on. These are rewritten to name the
 * field only: MongoDB's duplicate key (E11000), mongoose's CastError and ValidatorError.
 */
export function safeErrorMessage(err: Error): string {
  const e = err as Error & { code?: unknown; path?: unknown; kind?: unknown; errors?: unknown };
  if (e.code === 11000 || e.code === 11001) {
    return e.message.replace(/dup key:.*$/s, 'dup key: [redacted]');
  }
  if (e.name === 'CastError') return `Cast to ${String(e.kind)} failed at path "${String(e.path)}"`;
  if (e.name === 'ValidatorError') return `Validation failed at path "${String(e.path)}" (${String(e.kind)})`;
  if (e.name === 'ValidationError' && e.errors && typeof e.errors === 'object') {
    return `Validation failed at ${Object.keys(e.errors).join(', ')}`;
  }
  return e.message;
}
