// Lists come back from the services as arrays or wrapped ({ items }, { arrivals } …).
/** The array inside a list answer, under the given keys or the usual ones. */
export function asList<T>(value: unknown, ...keys: string[]): T[] {
  if (Array.isArray(value)) return value as T[];
  if (value && typeof value === 'object') {
    for (const key of [...keys, 'items', 'data', 'results']) {
      const v = (value as Record<string, unknown>)[key];
      if (Array.isArray(v)) return v as T[];
    }
  }
  return [];
}
