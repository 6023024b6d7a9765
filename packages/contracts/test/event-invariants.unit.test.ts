import type { EventType } from '../src';
import { amountMatches, parseEvent, taxOf } from '../src';
import { fixtures, people } from '../src/fixtures';

// The rules JSON Schema cannot carry: sums, check characters, masking, tax rounding.

// Patches reach into nested fixture data freely; typing each one would hide what the test changes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const invalid = <T extends EventType>(type: T, patch: (data: Loose) => void): string[] => {
  const data = structuredClone(fixtures[type]);
  patch(data);
  const result = parseEvent(type, data);
  if (result.ok) return [];
  return result.issues.map((i) => i.path.join('.'));
};

describe('money and quantities', () => {
  it('compares quantity x unit price with the amount in integers, within 1 fen', () => {
    expect(amountMatches('12.5', 35, 438)).toBe(true);
    expect(amountMatches('12.5', 35, 437)).toBe(true);
    expect(amountMatches('12.5', 35, 436)).toBe(false);
    expect(amountMatches('0.000001', 100_000_000, 100)).toBe(true);
  });

  it('rounds tax half away from zero so a reversal mirrors its original', () => {
    expect(taxOf(12_345, 100)).toBe(123);
    expect(taxOf(12_350, 100)).toBe(124);
    expect(taxOf(-12_350, 100)).toBe(-124);
    expect(taxOf(20_000, 50)).toBe(100);
  });
});

describe('event invariants', () => {
  it('an intake total must be the sum of its lines', () => {
    expect(invalid('recycling.intake.recorded.v1', (d) => (d.contents.totalFen += 1))).toEqual([
      'contents.totalFen',
    ]);
    expect(invalid('recycling.intake.corrected.v1', (d) => (d.after.totalWeightGrams = 1))).toEqual([
      'after.totalWeightGrams',
    ]);
  });

  it('intake line ids are unique and a pickup intake names its pickup', () => {
    expect(invalid('recycling.intake.recorded.v1', (d) => (d.contents.lines[1].lineId = 'l1'))).toEqual([
      'contents.lines.1',
    ]);
    expect(invalid('recycling.intake.recorded.v1', (d) => delete d.source.pickupId)).toEqual([
      'source.pickupId',
    ]);
  });

  it('a batch total must be the sum of its items', () => {
    expect(invalid('recycling.intake.batch-dispatched.v1', (d) => (d.totalWeightGrams = 1))).toEqual([
      'totalWeightGrams',
    ]);
  });

  it('vehicle events need a valid VIN and a masked plate', () => {
    expect(invalid('recycling.vehicle.received.v1', (d) => (d.vin = 'LSVAG218092512345'))).toEqual(['vin']);
    expect(invalid('recycling.vehicle.received.v1', (d) => (d.plateMasked = '新N12323'))).toEqual([
      'plateMasked',
    ]);
  });

  it('an assembly sent to remanufacturing carries its code, one sent to scrap does not', () => {
    expect(
      invalid('recycling.vehicle.dismantled.v1', (d) => delete d.assemblies[0].remanufacturingCode),
    ).toEqual(['assemblies.0.remanufacturingCode']);
    expect(
      invalid('recycling.vehicle.dismantled.v1', (d) => (d.assemblies[1].remanufacturingCode = 'ZZ-1')),
    ).toEqual(['assemblies.1.remanufacturingCode']);
  });

  it('a pickup goes to the kind of site its kind needs', () => {
    expect(invalid('recycling.pickup.requested.v1', (d) => (d.assignedSite.kind = 'dismantler'))).toEqual([
      'assignedSite.kind',
    ]);
    expect(invalid('recycling.pickup.requested.v1', (d) => (d.slot.window = '12:00-09:00'))).toEqual([
      'slot.window',
    ]);
  });

  it('a seller resident id must have its check character', () => {
    expect(
      invalid('recycling.purchase.recorded.v1', (d) => (d.seller.idNumber = '659002197803124512')),
    ).toEqual(['seller.idNumber']);
    expect(
      invalid('recycling.purchase.recorded.v1', (d) => (d.seller.idNumber = '65900219900517234x')),
    ).toEqual(['seller.idNumber']);
  });

  it('purchase lines multiply out and sum to the total', () => {
    expect(invalid('recycling.purchase.recorded.v1', (d) => (d.lines[0].amountFen = 11_000))).toEqual([
      'lines.0.amountFen',
      'totalFen',
    ]);
    expect(invalid('recycling.purchase.recorded.v1', (d) => (d.lines[0].quantity = '1.0000001'))).toEqual([
      'lines.0.quantity',
    ]);
  });

  it('a withdrawn purchase has no lines and a zero total', () => {
    const withdrawn = { ...fixtures['recycling.purchase.corrected.v1'], lines: [], totalFen: 0 };
    expect(parseEvent('recycling.purchase.corrected.v1', withdrawn).ok).toBe(true);
    expect(invalid('recycling.purchase.corrected.v1', (d) => (d.lines = []))).toEqual(['totalFen', 'lines']);
  });

  it('invoice tax follows the rate, the treatment and the totals', () => {
    expect(invalid('recycling.invoice.issued.v1', (d) => (d.totals.incomeTaxWithheldFen = 99))).toEqual([
      'totals.incomeTaxWithheldFen',
    ]);
    expect(
      invalid('recycling.invoice.issued.v1', (d) => {
        d.vatTreatment = 'reduced';
      }),
    ).toEqual(['lines.0.vatRateBp', 'lines.1.vatRateBp']);
    expect(
      invalid('recycling.invoice.issued.v1', (d) => {
        d.vatTreatment = 'reduced';
        for (const l of d.lines) [l.vatRateBp, l.vatFen] = [100, l.amountFen / 100];
        d.totals.vatFen = 200;
        d.totals.totalFen = 20_200;
      }),
    ).toEqual([]);
  });

  it('special invoices need a general-method issuer', () => {
    expect(
      invalid('recycling.invoice.issued.v1', (d) => {
        d.kind = 'special';
        d.issuer.vatMethod = 'simplified';
      }),
    ).toEqual(['kind']);
  });

  it('a reversal is negative throughout', () => {
    expect(invalid('recycling.invoice.reversed.v1', (d) => (d.lines[0].quantity = '1'))).toContain(
      'lines.0.quantity',
    );
    expect(invalid('recycling.invoice.reversed.v1', (d) => (d.totals.amountFen = 20_000))).toContain(
      'totals.amountFen',
    );
  });

  it('a cap refusal says where the cap stands, other refusals do not', () => {
    expect(invalid('recycling.invoice.refused.v1', (d) => delete d.cap)).toEqual(['cap']);
    expect(invalid('recycling.invoice.refused.v1', (d) => (d.reasonCode = 'issuer-suspended'))).toEqual([
      'cap',
    ]);
  });

  it('a declaration summary is the sum of its details, one per seller', () => {
    expect(invalid('recycling.declaration.prepared.v1', (d) => (d.summary.vatFen = 0))).toEqual([
      'summary.vatFen',
    ]);
    expect(
      invalid('recycling.declaration.prepared.v1', (d) => (d.details[1].seller = people.wangJianxin)),
    ).toEqual(['details.1']);
  });
});
