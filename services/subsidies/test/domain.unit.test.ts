// The pure parts around the rules: working-day deadlines, evidence matching, the budget's arithmetic,
// fraud signals, protection of personal data, masked references, and the programme data's own checks.
import type { DomainError } from '@recycling/contracts';
import { alarProfile, CityProfile, type TradeInSubsidies } from '@recycling/contracts';
import { applyEntry, assertRoom, ZERO_TOTALS } from '../src/domain/budget';
import { localDateTime } from '@recycling/contracts';
import { addWorkingDays, localMonthOf } from '../src/domain/calendar';
import { overdueSteps, rejectionOutcome, assertMayResubmit } from '../src/domain/claim-lifecycle';
import { matchOldItem, matchReplaceClaim, matchScrapClaim } from '../src/domain/evidence';
import { isQuickReturn, leftSoonAfterRegistration, median, priceAboveRecent } from '../src/domain/fraud';
import { contactKey, open, parseDataKey, seal } from '../src/domain/protect';
import { luhnValid, maskBankCard, maskReference } from '../src/domain/references';
import { alreadyClaimed } from '../src/domain/uniqueness';

const tradeIn = alarProfile.subsidies.tradeIn as TradeInSubsidies;
const calendar = { nonWorkingDays: tradeIn.nonWorkingDays, workingWeekendDays: tradeIn.workingWeekendDays };

describe('deadlines', () => {
  it('counts review deadlines in working days, over weekends, holidays and make-up days', () => {
    expect(addWorkingDays('2025-03-07', 1, calendar)).toBe('2025-03-10'); // Friday -> Monday
    expect(addWorkingDays('2025-09-30', 1, calendar)).toBe('2025-10-09'); // National Day week off
    expect(addWorkingDays('2025-10-10', 1, calendar)).toBe('2025-10-11'); // a Saturday worked in lieu
    expect(addWorkingDays('2025-03-03', 15, calendar)).toBe('2025-03-24');
  });

  it('flags the step past its deadline, the deadline day itself included in time', () => {
    expect(overdueSteps('awaiting-evidence', { acceptBy: '2025-03-08' }, '2025-03-08')).toEqual([]);
    expect(overdueSteps('awaiting-evidence', { acceptBy: '2025-03-08' }, '2025-03-09')).toEqual([
      'overdue-accept',
    ]);
    expect(overdueSteps('in-review', { reviewBy: '2025-03-24' }, '2025-03-25')).toEqual(['overdue-review']);
    expect(overdueSteps('approved', { payBy: '2025-04-24' }, '2025-04-25')).toEqual(['overdue-payment']);
    expect(overdueSteps('paid', { payBy: '2025-04-24' }, '2026-01-01')).toEqual([]);
  });

  it('reads months and times in the city zone, with the offset written', () => {
    expect(localMonthOf(new Date('2025-03-31T16:30:00Z'), 'Asia/Shanghai')).toBe('2025-04');
    expect(localDateTime(new Date('2025-03-31T16:30:00Z'), 'Asia/Shanghai')).toBe(
      '2025-04-01T00:30:00+08:00',
    );
  });
});

describe('resubmissions', () => {
  const claim = {
    _id: 'tc-20250301-aaaa1111',
    kind: 'car-scrap' as const,
    status: 'rejected' as const,
    resubmissions: 5,
  };
  it('allow up to the cap, then the claim is closed', () => {
    expect(rejectionOutcome({ ...claim, status: 'in-review' }, 6)).toEqual({
      resubmissionsLeft: 1,
      final: false,
    });
    expect(() => assertMayResubmit(claim, 6)).not.toThrow();
    expect(rejectionOutcome({ ...claim, resubmissions: 6, status: 'in-review' }, 6)).toEqual({
      resubmissionsLeft: 0,
      final: true,
    });
    expect(() => assertMayResubmit({ ...claim, resubmissions: 6 }, 6)).toThrow(/resubmission-cap-reached/);
    expect(rejectionOutcome({ ...claim, kind: 'counter-sale', status: 'in-review' }, 6).final).toBe(true);
  });
});

describe('evidence matching', () => {
  const claim = {
    oldVin: 'LSVAG218892512345',
    certificateNo: 'BF001',
    declared: { registrationDate: '2009-06-18', fuelType: 'gasoline' as const },
  };
  const certificate = {
    vin: claim.oldVin,
    certificateNo: 'BF001',
    dismantlerId: 'dm',
    enterpriseId: 'ent',
    eventId: 'e1',
    issuedOn: '2025-03-01',
  };
  const completed = {
    state: 'completed' as const,
    certificateNo: 'BF001',
    deregistrationCertificateNo: 'ZX1',
    deregisteredOn: '2025-03-03',
    eventId: 'e2',
    occurredAt: '2025-03-03T02:00:00Z',
  };

  it('waits for the certificate and the deregistration, in any order', () => {
    expect(matchScrapClaim(claim, {})).toEqual({
      complete: false,
      waitingFor: ['certificate:BF001', `deregistration:${claim.oldVin}`],
    });
    expect(matchScrapClaim(claim, { certificate })).toEqual({
      complete: false,
      waitingFor: [`deregistration:${claim.oldVin}`],
    });
  });

  it('matches when both agree with the claim, and names the events', () => {
    const outcome = matchScrapClaim(claim, {
      certificate,
      deregistration: { vin: claim.oldVin, outcomes: [completed] },
    });
    expect(outcome).toMatchObject({
      complete: true,
      matched: true,
      flags: [],
      evidence: [
        { kind: 'recycling-certificate', eventId: 'e1', ref: 'BF001' },
        { kind: 'deregistration', eventId: 'e2', ref: 'ZX1' },
      ],
    });
  });

  it('decides contradicting evidence as not matched, with flags (never a refusal)', () => {
    const other = matchScrapClaim(claim, {
      certificate: { ...certificate, vin: 'LFNA4LAA57AC12345' },
      deregistration: { vin: claim.oldVin, outcomes: [{ ...completed, deregisteredOn: '2025-02-27' }] },
      vehicle: {
        vin: claim.oldVin,
        registrationDate: '2011-01-01',
        fuelType: 'gasoline',
        emissionStandard: 'china-3',
        vehicleType: 'passenger-car',
        dismantlerId: 'dm',
        voided: false,
        eventId: 'e0',
        receivedOn: '2025-02-27',
      },
    });
    expect(other).toMatchObject({ complete: true, matched: false });
    expect(other.complete && other.flags.map((f) => f.code)).toEqual([
      'evidence-mismatch',
      'evidence-mismatch',
      'evidence-mismatch',
    ]);
    const refused = matchScrapClaim(claim, {
      certificate,
      deregistration: {
        vin: claim.oldVin,
        outcomes: [
          {
            state: 'refused',
            certificateNo: 'BF001',
            reason: '违法未处理',
            eventId: 'e3',
            occurredAt: '2025-03-03T02:00:00Z',
          },
        ],
      },
    });
    expect(refused.complete && refused.flags.map((f) => f.code)).toEqual(['deregistration-refused']);
  });

  it('sell-and-buy: the named used-car sale of the VIN; a counter sale: the intake naming it', () => {
    const sale = {
      transactionId: 'uc-1',
      transactedOn: '2025-03-02',
      priceFen: 1,
      invoiceNo: '1',
      marketId: 'm',
      eventId: 'e9',
    };
    expect(
      matchReplaceClaim(
        { oldVin: 'V', usedCarTransactionId: 'uc-2', ownedSince: '2020-01-01' },
        { vin: 'V', sales: [sale] },
      ).complete,
    ).toBe(false);
    expect(
      matchReplaceClaim({ oldVin: 'V', ownedSince: '2020-01-01' }, { vin: 'V', sales: [sale] }),
    ).toMatchObject({ complete: true, matched: true });
    expect(matchOldItem('cs-1', null)).toEqual({ complete: false, waitingFor: ['old-item:cs-1'] });
    expect(
      matchOldItem('cs-1', {
        saleId: 'cs-1',
        intakes: [{ intakeId: 'in-1', stationId: 'st', eventId: 'e7', occurredAt: 'x' }],
      }),
    ).toMatchObject({ complete: true, matched: true });
  });
});

describe('the budget', () => {
  const name = { zh: '汽车报废更新', en: 'Car scrap-and-buy' };
  it('admits a reservation that fits exactly, refuses one fen more with what is left', () => {
    const totals = applyEntry(ZERO_TOTALS, 'reserve', 9_000);
    expect(() => assertRoom(10_000, totals, 1_000, name, 2025)).not.toThrow();
    const refused = (() => {
      try {
        assertRoom(10_000, totals, 1_001, name, 2025);
      } catch (e) {
        return e as DomainError;
      }
      return undefined;
    })();
    expect(refused).toMatchObject({
      kind: 'conflict',
      code: 'budget-exhausted',
      details: { remainingFen: 1_000, amountFen: 1_001 },
    });
  });

  it('pays, releases and claws back', () => {
    let t = applyEntry(ZERO_TOTALS, 'reserve', 500);
    t = applyEntry(t, 'pay', 500);
    expect(t).toEqual({ committedFen: 500, paidFen: 500, reversedFen: 0 });
    expect(applyEntry(t, 'clawback', 500)).toEqual({ committedFen: 500, paidFen: 500, reversedFen: 500 });
    expect(applyEntry(applyEntry(ZERO_TOTALS, 'reserve', 300), 'release', 300)).toEqual({
      committedFen: 0,
      paidFen: 0,
      reversedFen: 300,
    });
  });
});

describe('fraud signals', () => {
  it('a price above the recent median of its GTIN, once there is a history', () => {
    expect(median([300, 100, 200])).toBe(200);
    expect(median([100, 200, 300, 400])).toBe(250);
    expect(priceAboveRecent([100_000, 100_000], 200_000, 2_000)).toBe(false);
    expect(priceAboveRecent([100_000, 100_000, 100_000], 120_000, 2_000)).toBe(false);
    expect(priceAboveRecent([100_000, 100_000, 100_000], 120_001, 2_000)).toBe(true);
  });
  it('returns and resales soon after', () => {
    expect(isQuickReturn('2025-03-01', '2025-03-08', 7)).toBe(true);
    expect(isQuickReturn('2025-03-01', '2025-03-09', 7)).toBe(false);
    expect(leftSoonAfterRegistration('2025-03-01', '2025-08-28', 180)).toBe(true);
    expect(leftSoonAfterRegistration('2025-03-01', '2025-08-29', 180)).toBe(false);
  });
});

describe('personal data', () => {
  const key = parseDataKey('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
  it('is sealed with AES-256-GCM bound to its record, and opens only there', () => {
    const sealed = seal(key, 'tc-1', { bankCardNo: '6228480402564890018' });
    expect(JSON.stringify(sealed)).not.toContain('6228480402564890018');
    expect(open(key, 'tc-1', sealed)).toEqual({ bankCardNo: '6228480402564890018' });
    expect(() => open(key, 'tc-2', sealed)).toThrow();
    expect(() => open(parseDataKey('ff'.repeat(32)), 'tc-1', sealed)).toThrow();
  });
  it('is shown masked; references of other claims too', () => {
    expect(maskBankCard('6228480402564890018')).toBe('6228 **** **** 0018');
    expect(luhnValid('6228480402564890018')).toBe(true);
    expect(luhnValid('6228480402564890017')).toBe(false);
    expect(maskReference('tc-20250305-1a2b3c4d')).toBe('tc-20250305-****3c4d');
    const refusal = alreadyClaimed('new-vin', 'newCar.vin', ['tc-20250305-1a2b3c4d']);
    expect(refusal).toMatchObject({
      kind: 'conflict',
      code: 'new-car-already-claimed',
      details: { rule: 'new-vin', earlierClaim: 'tc-20250305-****3c4d' },
      fields: [{ field: 'newCar.vin' }],
    });
    expect(refusal.detail).not.toContain('1a2b3c4d');
  });
  it('counts contacts by keyed hashes of their normalised forms', () => {
    expect(contactKey('s'.repeat(16), 'phone', '+86 139-1234-5678')).toBe(
      contactKey('s'.repeat(16), 'phone', '13912345678'),
    );
    expect(contactKey('s'.repeat(16), 'phone', '13912345678')).not.toBe(
      contactKey('t'.repeat(16), 'phone', '13912345678'),
    );
  });
});

describe('the programme data checks itself', () => {
  const withTradeIn = (change: (t: TradeInSubsidies) => void) => {
    const profile = structuredClone(alarProfile) as CityProfile;
    change(profile.subsidies.tradeIn!);
    const r = CityProfile.safeParse(profile);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  it('refuses overlapping years, a first rule not on validFrom, rules out of order and a bonus without grade 1', () => {
    expect(withTradeIn(() => undefined)).toEqual([]);
    expect(withTradeIn((t) => (t.programmes[0]!.years[1]!.validFrom = '2024-12-31'))).toEqual([
      expect.stringMatching(/^subsidies\.tradeIn\.programmes\.0\.years\.1\.validFrom: overlaps year 2024/),
      expect.stringMatching(/rules\.0\.effectiveFrom: the first rule must take effect on validFrom/),
    ]);
    expect(
      withTradeIn((t) => {
        const y = t.programmes[0]!.years[1]!;
        (y.rules as object[]).push({ ...(y.rules[0] as object), effectiveFrom: '2024-06-01' });
      }),
    ).toEqual([expect.stringMatching(/rules\.1\.effectiveFrom: rules are in order/)]);
    expect(
      withTradeIn((t) => {
        const rule = t.programmes[3]!.years[0]!.rules[0] as { categories: Array<{ grade1BonusBp: number }> };
        rule.categories[0]!.grade1BonusBp = 500;
      }),
    ).toEqual([expect.stringMatching(/grade1BonusBp: a grade 1 bonus needs energy grade 1/)]);
  });
});
