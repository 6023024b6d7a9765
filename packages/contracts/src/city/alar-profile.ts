import alarJson from '../../../../config/cities/alar-659002.json';
import type { CityProfile } from './city-profile';
import { loadCityProfile } from './load-city-profile';

// The first city's profile, validated at import so that a broken config file fails every test run.
// Services of another city load their own file with loadCityProfile.
export const alarProfile = loadCityProfile(alarJson);

/** The profile a service runs with: the file CITY_PROFILE names, or Alar's when it names none. */
export const cityProfileFor = (path: string | undefined): CityProfile =>
  path ? loadCityProfile(path) : alarProfile;
