// Inserts under a unique key are the one write FerretDB v1 makes atomic (decision 8), so "this key
// is taken" is how the code learns that another writer got there first. MongoDB and FerretDB both
// answer it with code 11000; a bulk write reports it per document.

/** True when `error` says an insert (or upsert) hit a unique key that is already taken. */
export function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: number; writeErrors?: Array<{ code?: number }> } | null;
  if (e?.code === 11000) return true;
  return (
    Array.isArray(e?.writeErrors) && e.writeErrors.length > 0 && e.writeErrors.every((w) => w.code === 11000)
  );
}

/**
 * True when the duplicate is on `_id` (or the store does not say which key): a claim under its
 * `_id` was lost. A duplicate on another unique index is a different conflict and must not be read
 * as "this id is taken" (a claim loop would retry forever).
 */
export function isDuplicateId(error: unknown): boolean {
  if (!isDuplicateKey(error)) return false;
  const pattern = (error as { keyPattern?: Record<string, unknown> }).keyPattern;
  return !pattern || Object.keys(pattern).every((k) => k === '_id');
}
