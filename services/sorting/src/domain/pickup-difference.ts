import type { ApplianceCategory, IntakeLine } from '@recycling/contracts';

// What the station received against what the pickup booked (or, once collected, what the crew said
// it took). Goods are recorded as they are; the difference is shown, never forced to match.

export interface CategoryDifference {
  category: ApplianceCategory;
  booked: number;
  received: number;
  difference: number;
}

export const pickupDifference = (
  booked: ReadonlyArray<{ category: ApplianceCategory; count: number }>,
  received: ReadonlyArray<Pick<IntakeLine, 'category' | 'units'>>,
): CategoryDifference[] => {
  const rows = new Map<ApplianceCategory, CategoryDifference>();
  const row = (category: ApplianceCategory) => {
    let r = rows.get(category);
    if (!r) rows.set(category, (r = { category, booked: 0, received: 0, difference: 0 }));
    return r;
  };
  for (const b of booked) row(b.category).booked += b.count;
  for (const l of received) row(l.category).received += l.units;
  for (const r of rows.values()) r.difference = r.received - r.booked;
  return [...rows.values()].filter((r) => r.difference !== 0);
};
