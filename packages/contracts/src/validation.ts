import type { z } from 'zod';

// Refinement helpers for rules JSON Schema cannot state (sums, uniqueness), and one way to print zod
// issues, so that city profiles, events and DLQ reasons all read the same.

type Ctx = z.core.$RefinementCtx;

/** Adds an issue at `path` unless `actual` equals the sum of `parts`. */
export const checkSum = (ctx: Ctx, path: PropertyKey[], actual: number, parts: readonly number[]): void => {
  const expected = parts.reduce((a, b) => a + b, 0);
  if (actual !== expected) {
    ctx.addIssue({
      code: 'custom',
      path,
      message: `must equal the sum of its parts (${expected}), got ${actual}`,
    });
  }
};

/** Adds an issue on each element whose `key` repeats an earlier one (at its `field`, if given). */
export const checkUnique = <T>(
  ctx: Ctx,
  path: PropertyKey[],
  items: readonly T[],
  key: (item: T) => string,
  field?: PropertyKey,
): void => {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) {
      const at = field === undefined ? [...path, i] : [...path, i, field];
      ctx.addIssue({ code: 'custom', path: at, message: `duplicate ${k}` });
    }
    seen.add(k);
  });
};

/** Issues as `path: message`, for DLQ reasons, start-up errors and HTTP problem details. */
export const formatIssues = (issues: readonly z.core.$ZodIssue[], separator = '; '): string =>
  issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`).join(separator);
