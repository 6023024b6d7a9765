import alarJson from '../../../../config/cities/alar-659002.json';
import { loadCityProfile } from './load-city-profile';

// The first city's profile, validated at import so that a broken config file fails every test run.
// Services of another city load their own file with loadCityProfile.
export const alarProfile = loadCityProfile(alarJson);
