import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { formatIssues } from '../validation';
import { CityProfile } from './city-profile';

// Services load their profile once at start-up (path from the environment); a bad profile must stop
// the start with every problem listed, not fail later on the first event that touches it.

export class CityProfileError extends Error {
  constructor(
    message: string,
    readonly issues: readonly z.core.$ZodIssue[] = [],
  ) {
    super(message);
    this.name = 'CityProfileError';
  }
}

/**
 * Accepts a file path, a JSON text (anything starting with `{`), or an already parsed object, and
 * returns the validated profile; throws CityProfileError naming every bad field.
 */
export const loadCityProfile = (pathOrJson: string | object): CityProfile => {
  let json: unknown = pathOrJson;
  let origin = 'city profile';
  if (typeof pathOrJson === 'string') {
    const isText = pathOrJson.trimStart().startsWith('{');
    origin = isText ? 'city profile JSON' : pathOrJson;
    let text = pathOrJson;
    if (!isText) {
      try {
        text = readFileSync(pathOrJson, 'utf8');
      } catch (e) {
        throw new CityProfileError(`cannot read city profile ${pathOrJson}: ${(e as Error).message}`);
      }
    }
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new CityProfileError(`${origin} is not valid JSON: ${(e as Error).message}`);
    }
  }
  const result = CityProfile.safeParse(json);
  if (!result.success) {
    throw new CityProfileError(
      `invalid ${origin}:\n  ${formatIssues(result.error.issues, '\n  ')}`,
      result.error.issues,
    );
  }
  return result.data;
};
