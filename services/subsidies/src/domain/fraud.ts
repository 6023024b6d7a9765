import { daysBetween } from './calendar';

// Signals for the reviewer, never refusals: what audits found (one unit sold several times, prices
// raised before the discount, bulk deliveries to one address, returns right after the subsidy,
// "zero-mileage used cars"). Thresholds are data of the city profile.

/** The median of some prices (the mean of the middle two for an even count), in fen. */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.floor((sorted[mid - 1]! + sorted[mid]!) / 2);
};

/** At least three earlier prices, and this one above their median by more than `bp` basis points. */
export const priceAboveRecent = (recent: readonly number[], priceFen: number, bp: number): boolean =>
  recent.length >= 3 && BigInt(priceFen) * 10_000n > BigInt(median(recent)) * BigInt(10_000 + bp);

/** More subsidised items to one contact this year than the profile allows without a look. */
export const tooManyItems = (countIncludingThis: number, limit: number): boolean =>
  countIncludingThis > limit;

export const isQuickReturn = (soldOn: string, returnedOn: string, days: number): boolean =>
  daysBetween(soldOn, returnedOn) <= days;

/** A subsidised new car leaving its owner (sold, scrapped) within the window after its registration. */
export const leftSoonAfterRegistration = (
  registrationDate: string,
  eventDate: string,
  days: number,
): boolean => eventDate >= registrationDate && daysBetween(registrationDate, eventDate) <= days;
