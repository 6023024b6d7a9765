import {
  disposalModes,
  DomainError,
  type DisposalMode,
  type DomainFieldError,
  type MinimumServiceLife,
  type PublicAssetCategory,
} from '@recycling/contracts';
import { addYears } from './local-dates';

// State assets may be scrapped only once they have served their minimum service life (最低使用年限,
// domain.md section 10: computers 6 years, copiers 6 years or 300,000 pages, furniture 15 years,
// reported and kept as data), unless an approval allows the early scrapping. The lives are the city
// profile's; the rule is here.

export interface LifeFacts {
  acquisitionDate: string;
  /** Pages printed or copied so far (copiers), when the counter was read. */
  pageCount?: number;
}

/** The day the asset has served its years (it may be scrapped from that day). */
export const lifeEndsOn = (acquisitionDate: string, life: MinimumServiceLife): string =>
  addYears(acquisitionDate, life.years);

/** Whether the asset has served its minimum life on `today`: its years, or its pages where counted. */
export function minimumLifeReached(asset: LifeFacts, life: MinimumServiceLife, today: string): boolean {
  if (lifeEndsOn(asset.acquisitionDate, life) <= today) return true;
  return life.orPages !== undefined && asset.pageCount !== undefined && asset.pageCount >= life.orPages;
}

export interface AssetToCheck extends LifeFacts {
  category: string;
  mode: DisposalMode;
  earlyScrapApproval?: { documentNo: string; authority: string };
}

export interface LifeDecision {
  /** Scrapped before its minimum life, on its own approval. */
  early: boolean;
}

/**
 * Checks every asset of a registration; refuses (400) naming each asset scrapped before its minimum
 * life without an early-scrapping approval (`assets.<i>.earlyScrapApproval`) and each acquired in
 * the future (`assets.<i>.acquisitionDate`).
 */
export function checkServiceLives(
  assets: readonly AssetToCheck[],
  categories: readonly PublicAssetCategory[],
  today: string,
): LifeDecision[] {
  const byCode = new Map(categories.map((c) => [c.code, c]));
  const bad: DomainFieldError[] = [];
  const decisions = assets.map((asset, i): LifeDecision => {
    const category = byCode.get(asset.category);
    if (!category) {
      bad.push({
        field: `assets.${i}.category`,
        message: `no asset category ${asset.category}`,
        code: 'unknown-asset-category',
      });
      return { early: false };
    }
    if (asset.acquisitionDate > today) {
      bad.push({
        field: `assets.${i}.acquisitionDate`,
        message: 'in the future',
        code: 'acquired-in-the-future',
      });
      return { early: false };
    }
    if (!disposalModes[asset.mode].minimumLifeApplies) return { early: false };
    const life = category.minimumServiceLife;
    if (minimumLifeReached(asset, life, today)) return { early: false };
    if (asset.earlyScrapApproval) return { early: true };
    const until = lifeEndsOn(asset.acquisitionDate, life);
    const pages = life.orPages !== undefined ? `或 ${life.orPages} 页 / or ${life.orPages} pages` : '';
    bad.push({
      field: `assets.${i}.earlyScrapApproval`,
      message: `未达最低使用年限 ${life.years} 年（至 ${until}）${pages}，提前报废须附审批文号 / Below its minimum service life of ${life.years} years (until ${until}); scrapping it earlier needs an approval reference`,
      code: 'minimum-service-life-not-reached',
    });
    return { early: false };
  });
  if (bad.length > 0) {
    const first = bad[0]!;
    throw new DomainError(
      'invalid',
      first.code,
      first.code === 'minimum-service-life-not-reached'
        ? `未达最低使用年限的资产不得报废，除非附提前报废审批 / An asset below its minimum service life may not be scrapped without an approval for early scrapping.`
        : `资产信息有误 / Some assets are invalid.`,
      { fields: bad },
    );
  }
  return decisions;
}
