// The pure rules of public institutions' disposals: minimum service life, receipt differences,
// licensed receivers, when a batch may close, and who sees a batch.
import { alarProfile, DomainError, type Principal } from '@recycling/contracts';
import { viewerOf } from '../src/domain/access';
import {
  assertAction,
  closeBlockers,
  type AssetAtClose,
  type BatchAtClose,
} from '../src/domain/batch-lifecycle';
import { licensedReceivers, receiverRefusal } from '../src/domain/licensing';
import { addYears } from '../src/domain/local-dates';
import { compareReceipt } from '../src/domain/receipt';
import { checkServiceLives, lifeEndsOn, minimumLifeReached } from '../src/domain/service-life';

const rules = alarProfile.publicInstitutions!;
const life = (code: string) => rules.assetCategories.find((c) => c.code === code)!.minimumServiceLife;
const receiver = (code: string) => rules.receivers.find((r) => r.code === code)!;

const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('minimum service life', () => {
  it('counts whole years from acquisition, a leap day ending on 28 February', () => {
    expect(lifeEndsOn('2019-03-15', life('desktop-computer'))).toBe('2025-03-15');
    expect(addYears('2020-02-29', 6)).toBe('2026-02-28');
    expect(
      minimumLifeReached({ acquisitionDate: '2019-03-15' }, life('desktop-computer'), '2025-03-14'),
    ).toBe(false);
    expect(
      minimumLifeReached({ acquisitionDate: '2019-03-15' }, life('desktop-computer'), '2025-03-15'),
    ).toBe(true);
  });

  it('lets a copier past 300,000 pages be scrapped before its six years', () => {
    const copier = life('copier');
    expect(
      minimumLifeReached({ acquisitionDate: '2022-01-10', pageCount: 299_999 }, copier, '2025-06-01'),
    ).toBe(false);
    expect(
      minimumLifeReached({ acquisitionDate: '2022-01-10', pageCount: 300_000 }, copier, '2025-06-01'),
    ).toBe(true);
    // Pages count only where the category says so: a desktop's counter means nothing.
    expect(
      minimumLifeReached(
        { acquisitionDate: '2022-01-10', pageCount: 900_000 },
        life('desktop-computer'),
        '2025-06-01',
      ),
    ).toBe(false);
  });

  it('keeps furniture 15 years', () => {
    expect(
      minimumLifeReached({ acquisitionDate: '2011-05-20' }, life('office-furniture'), '2026-05-19'),
    ).toBe(false);
    expect(
      minimumLifeReached({ acquisitionDate: '2011-05-20' }, life('office-furniture'), '2026-05-20'),
    ).toBe(true);
  });

  const asset = {
    category: 'desktop-computer',
    acquisitionDate: '2022-09-01',
    mode: 'scrapping' as const,
  };

  it('refuses early scrapping without an approval, naming assets.<i>.earlyScrapApproval', () => {
    const e = refusal(() =>
      checkServiceLives(
        [{ ...asset, acquisitionDate: '2015-01-01' }, asset],
        rules.assetCategories,
        '2025-06-01',
      ),
    );
    expect([e.kind, e.code]).toEqual(['invalid', 'minimum-service-life-not-reached']);
    expect(e.fields.map((f) => f.field)).toEqual(['assets.1.earlyScrapApproval']);
    expect(e.fields[0]?.message).toContain('2028-09-01');
  });

  it('accepts early scrapping with its approval, and marks it early', () => {
    const approved = {
      ...asset,
      earlyScrapApproval: { documentNo: '阿财资〔2025〕13号', authority: '财政局' },
    };
    expect(checkServiceLives([approved], rules.assetCategories, '2025-06-01')).toEqual([{ early: true }]);
  });

  it('applies the life to scrapping only: a young asset may be reallocated, sold or donated', () => {
    for (const mode of [
      'reallocation',
      'sale',
      'donation',
      'free-transfer',
      'exchange',
      'write-off',
    ] as const) {
      expect(checkServiceLives([{ ...asset, mode }], rules.assetCategories, '2025-06-01')).toEqual([
        { early: false },
      ]);
    }
  });

  it('refuses an acquisition date in the future', () => {
    const e = refusal(() =>
      checkServiceLives([{ ...asset, acquisitionDate: '2025-06-02' }], rules.assetCategories, '2025-06-01'),
    );
    expect(e.fields[0]?.field).toBe('assets.0.acquisitionDate');
  });
});

describe('receipt asset by asset', () => {
  const expected = [
    { assetCardNo: 'A1', category: 'desktop-computer', serialNo: 'S1', physical: true },
    { assetCardNo: 'A2', category: 'copier', serialNo: 'S2', physical: true },
    { assetCardNo: 'A3', category: 'office-furniture', physical: true },
    { assetCardNo: 'A4', category: 'laptop', physical: false },
  ];

  it('shows missing, extra, a different serial and a different category', () => {
    const outcome = compareReceipt(expected, [
      { assetCardNo: 'A1', category: 'desktop-computer', serialNo: 'S1-X', weightGrams: 9_000 },
      { assetCardNo: 'A2', category: 'printer', serialNo: 'S2', weightGrams: 50_000 },
      { assetCardNo: 'B9', category: 'monitor', weightGrams: 4_000 },
      { category: 'office-furniture', weightGrams: 30_000 },
    ]);
    expect(outcome.received.map((r) => r.assetCardNo)).toEqual(['A1', 'A2']);
    expect(outcome.missing).toEqual(['A3']);
    expect(outcome.extras).toHaveLength(2);
    expect(outcome.differences).toEqual([
      { kind: 'serial-mismatch', assetCardNo: 'A1', expected: 'S1', found: 'S1-X' },
      { kind: 'category-mismatch', assetCardNo: 'A2', expected: 'copier', found: 'printer' },
      { kind: 'extra', assetCardNo: 'B9', found: 'monitor' },
      { kind: 'extra', found: 'office-furniture' },
      { kind: 'missing', assetCardNo: 'A3', expected: 'office-furniture' },
    ]);
  });

  it('does not expect a written-off asset, and refuses a card listed twice', () => {
    const found = compareReceipt(expected.slice(3), []);
    expect(found.differences).toEqual([]);
    const e = refusal(() =>
      compareReceipt(expected, [
        { assetCardNo: 'A1', category: 'desktop-computer', weightGrams: 1 },
        { assetCardNo: 'A1', category: 'desktop-computer', weightGrams: 1 },
      ]),
    );
    expect(e.fields[0]?.field).toBe('items.1.assetCardNo');
  });
});

describe('licensed receivers', () => {
  const classifiedPc = { category: 'desktop-computer', mode: 'scrapping' as const, classified: true };

  it('sends a classified computer only to the classified-carrier destruction centre', () => {
    expect(licensedReceivers(rules.receivers, classifiedPc, '2025-06-01').map((r) => r.code)).toEqual([
      'classified-destruction',
    ]);
    expect(receiverRefusal(receiver('tahe-weee'), classifiedPc, '2025-06-01')).toBe(
      'classified-not-licensed',
    );
  });

  it('refuses a lapsed licence, another mode and another category', () => {
    expect(receiverRefusal(receiver('classified-destruction'), classifiedPc, '2028-07-01')).toBe(
      'licence-expired',
    );
    expect(receiverRefusal(receiver('alar-charity'), classifiedPc, '2025-06-01')).toBe('mode-not-licensed');
    expect(
      receiverRefusal(receiver('lvyuan-recycling'), { ...classifiedPc, classified: false }, '2025-06-01'),
    ).toBe('category-not-licensed');
  });

  it('sends a desk to be reallocated to the public asset warehouse', () => {
    const desk = { category: 'office-furniture', mode: 'reallocation' as const, classified: false };
    expect(licensedReceivers(rules.receivers, desk, '2025-06-01').map((r) => r.code)).toEqual([
      'public-asset-warehouse',
    ]);
  });
});

describe('closing a batch', () => {
  const pc: AssetAtClose = { assetCardNo: 'A1', mode: 'scrapping', classified: true, fate: 'handed-over' };
  const batch = (assets: AssetAtClose[], extra: Partial<BatchAtClose> = {}): BatchAtClose => ({
    status: 'received',
    assets,
    differences: 0,
    differencesAcknowledged: false,
    proceedsFen: 0,
    proceedsRecorded: false,
    ...extra,
  });

  it('waits for the certificate of a classified asset, then closes', () => {
    expect(closeBlockers(batch([pc]))).toEqual([
      { code: 'classified-certificate-missing', assetCardNos: ['A1'] },
    ]);
    expect(closeBlockers(batch([{ ...pc, certificateNo: 'XH-1' }]))).toEqual([]);
  });

  it('waits for every asset at the station, for the differences and for the proceeds of a sale', () => {
    const sold: AssetAtClose = { assetCardNo: 'A2', mode: 'sale', classified: false, fate: 'handed-over' };
    const waiting: AssetAtClose = {
      assetCardNo: 'A3',
      mode: 'scrapping',
      classified: false,
      fate: 'received',
    };
    expect(closeBlockers(batch([sold, waiting], { differences: 1 })).map((b) => b.code)).toEqual([
      'differences-not-acknowledged',
      'assets-not-handed-over',
      'proceeds-missing',
    ]);
    expect(closeBlockers(batch([sold], { proceedsRecorded: true, proceedsFen: 100 }))).toEqual([]);
  });

  it('closes a batch of write-offs without a receipt, and nothing else before one', () => {
    const written: AssetAtClose = {
      assetCardNo: 'A4',
      mode: 'write-off',
      classified: false,
      fate: 'written-off',
    };
    expect(closeBlockers(batch([written], { status: 'registered' }))).toEqual([]);
    expect(closeBlockers(batch([written, { ...pc, fate: 'registered' }], { status: 'registered' }))).toEqual([
      { code: 'not-received' },
    ]);
  });

  it('receives a collected batch only once the crew collected it', () => {
    expect(refusal(() => assertAction('registered', 'receive', 'collection')).code).toBe('invalid-status');
    expect(() => assertAction('registered', 'receive', 'delivery')).not.toThrow();
    expect(refusal(() => assertAction('received', 'cancel', 'delivery')).code).toBe('invalid-status');
  });
});

describe('who sees a batch', () => {
  const parties = { institutionCreditCode: '11659002MB1357924K', stationId: 'st-1' };
  const p = (role: Principal['role'], scope?: string): Principal => ({
    sub: 'x',
    role,
    scope,
    expiresAt: new Date(),
  });

  it('the institution, its station, and the finance bureau; nobody else', () => {
    expect(viewerOf(p('public-institution', '11659002MB1357924K'), parties)).toBe('institution');
    expect(viewerOf(p('public-institution', '11659002MB0000000X'), parties)).toBeUndefined();
    expect(viewerOf(p('station-operator', 'st-1'), parties)).toBe('station');
    expect(viewerOf(p('station-operator', 'st-2'), parties)).toBeUndefined();
    expect(viewerOf(p('finance-officer'), parties)).toBe('overseer');
    expect(viewerOf(p('resident', 'r-1'), parties)).toBeUndefined();
  });
});
