// Trade-in at a retailer's counter on the real broker and store: the subsidy of the rule in force,
// the buyer's seats per category and year (three air conditioners), one subsidy per unit, the old
// appliance's intake at a sorting station naming the sale, a return that restores the quota and the
// budget, fraud signals for the reviewer, and the retailer's reimbursement reviewed and paid.
import { localDateOf } from '../src/domain/calendar';
import {
  auth,
  freshDigits,
  freshIdNumber,
  shortId,
  startHarness,
  waitFor,
  type Harness,
} from './support/harness';

jest.setTimeout(180_000);

let h: Harness;
const retailer = shortId('rt');
// The service's clock runs from 15 June 2026 (Alar time), so the 2026 rule applies whenever this runs.
const CLOCK = '2026-06-15T04:00:00Z';
const year = Number(localDateOf(new Date(CLOCK), 'Asia/Shanghai').slice(0, 4));

beforeAll(async () => {
  h = await startHarness('sub-sale', { clockStartsAt: CLOCK });
  await h.http
    .put(`/retailers/${retailer}`)
    .set(await auth('administrator'))
    .send({
      name: '阿拉尔苏宁易购塔里木大道店',
      districtCode: 's-xingfulu',
      programmeCodes: ['appliance-trade-in', 'furniture-trade-in'],
      active: true,
    })
    .expect(201);
});

afterAll(async () => {
  await h?.close();
});

const operator = () => auth('retailer-operator', retailer, 'op-rt-1');
const GTIN = '6901234567892';

const buyerOf = (idNumber: string, phone = `139${freshDigits(8)}`) => ({
  name: '王建新',
  idType: 'resident-id-card',
  idNumber,
  phone,
  address: { districtCode: 's-xingfulu', detail: `幸福路 ${freshDigits(3)} 号 3 栋 401` },
});

const sale = (buyer: ReturnType<typeof buyerOf>, overrides: Record<string, unknown> = {}) => ({
  programmeCode: 'appliance-trade-in',
  category: 'air-conditioner',
  gtin: GTIN,
  model: 'KFR-35GW/BP3DN8Y-PH400(B1)',
  energyGrade: 1,
  serialNo: `SN${freshDigits(12)}`,
  priceFen: 459_900,
  invoiceNo: freshDigits(20),
  buyer,
  ...overrides,
});

const intakeNaming = (saleId: string) => ({
  intakeId: shortId('in'),
  stationId: 'st-xingfulu-01',
  enterpriseId: 'ent-lvyuan',
  districtCode: 's-xingfulu',
  source: { kind: 'retailer-trade-in', counterSaleId: saleId },
  seller: { kind: 'organisation', organisationName: '阿拉尔苏宁易购塔里木大道店' },
  contents: {
    lines: [
      {
        lineId: 'l1',
        category: 'air-conditioner',
        units: 1,
        weightGrams: 45_000,
        weightEstimated: true,
        condition: 'for-dismantling',
        priceFen: 0,
      },
    ],
    totalFen: 0,
    totalWeightGrams: 45_000,
  },
  revision: 1,
  occurredAt: new Date().toISOString(),
});

describe('an appliance sold at the counter', () => {
  it('takes the subsidy of the rule in force off the price, and waits for the old appliance’s intake', async () => {
    const idNumber = freshIdNumber();
    const r = await h.http
      .post(`/retailers/${retailer}/sales`)
      .set(await operator())
      .send(sale(buyerOf(idNumber)))
      .expect(201);
    // The 2026 rule: 15% of the price, no grade 1 bonus, at most 1,500 yuan.
    expect(r.body).toMatchObject({
      kind: 'counter-sale',
      programmeYear: year,
      status: 'awaiting-evidence',
      amountFen: 68_985,
      sale: { priceFen: 459_900, subsidyFen: 68_985, buyerPaysFen: 390_915, categoryName: { zh: '空调' } },
      evidence: { waitingFor: [`old-item:${r.body.claimId}`] },
    });
    expect(JSON.stringify(r.body)).not.toContain(idNumber);
    expect(r.body.sale.buyer.phoneMasked).toMatch(/^139\*{4}\d{4}$/);

    const intake = await h.publish('recycling.intake.recorded.v1', intakeNaming(r.body.claimId), 'sorting');
    const ready = await waitFor(
      async () => {
        const c = await h.http.get(`/claims/${r.body.claimId}`).set(await operator());
        return c.body.status === 'ready' && c.body;
      },
      { what: 'the sale ready for reimbursement' },
    );
    expect(ready.evidence).toMatchObject({
      matched: true,
      refs: [{ kind: 'old-item-intake', eventId: intake.id }],
    });

    const recorded = await waitFor(() =>
      h.events('recycling.subsidy.counter-sale-recorded.v1').find((e) => e.key === r.body.claimId),
    );
    expect(recorded.data).toMatchObject({
      retailerId: retailer,
      subsidyFen: 68_985,
      personKey: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(recorded.data)).not.toMatch(/139\d{8}|王建新/);
  });

  it('three air conditioners per person and year; a return restores the seat and the budget', async () => {
    const idNumber = freshIdNumber();
    const op = await operator();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await h.http
        .post(`/retailers/${retailer}/sales`)
        .set(op)
        .send(sale(buyerOf(idNumber)))
        .expect(201);
      ids.push(r.body.claimId);
    }
    const fourth = sale(buyerOf(idNumber));
    const refused = await h.http.post(`/retailers/${retailer}/sales`).set(op).send(fourth).expect(409);
    expect(refused.body).toMatchObject({
      code: 'person-limit-reached',
      limit: 3,
      errors: [{ field: 'buyer.idNumber' }],
    });
    expect(refused.body.earlierClaims).toHaveLength(3);
    expect(refused.text).not.toContain(ids[0]);

    const fundsBefore = await h.http
      .get(`/funds?year=${year}`)
      .set(await auth('finance-officer'))
      .expect(200);
    const before = fundsBefore.body.items.find(
      (f: { programmeCode: string }) => f.programmeCode === 'appliance-trade-in',
    );

    const returned = await h.http
      .post(`/retailers/${retailer}/sales/${ids[2]}/return`)
      .set(op)
      .send({ reason: '顾客七日无理由退货' })
      .expect(200);
    expect(returned.body.status).toBe('reversed');
    await h.http.post(`/retailers/${retailer}/sales/${ids[2]}/return`).set(op).send({}).expect(409);

    // The seat is free again: the fourth (with its own invoice) passes now.
    await h.http
      .post(`/retailers/${retailer}/sales`)
      .set(op)
      .send({ ...fourth, invoiceNo: freshDigits(20) })
      .expect(201);
    const fundsAfter = await h.http
      .get(`/funds?year=${year}`)
      .set(await auth('finance-officer'))
      .expect(200);
    const after = fundsAfter.body.items.find(
      (f: { programmeCode: string }) => f.programmeCode === 'appliance-trade-in',
    );
    expect(after.reversedFen - before.reversedFen).toBe(68_985);
    expect(after.committedFen - before.committedFen).toBe(0); // one returned, one sold

    await waitFor(() => h.events('recycling.subsidy.counter-sale-returned.v1').some((e) => e.key === ids[2]));
    expect(h.events('recycling.subsidy.claim-reversed.v1').find((e) => e.key === ids[2])?.data).toMatchObject(
      {
        reason: 'returned',
        afterPayment: false,
        amountFen: 68_985,
      },
    );
  });

  it('subsidises a unit once; a returned unit sold again is flagged for the reviewer', async () => {
    const op = await operator();
    const serialNo = `SN${freshDigits(12)}`;
    const first = await h.http
      .post(`/retailers/${retailer}/sales`)
      .set(op)
      .send(sale(buyerOf(freshIdNumber()), { serialNo }))
      .expect(201);
    const again = await h.http
      .post(`/retailers/${retailer}/sales`)
      .set(op)
      .send(sale(buyerOf(freshIdNumber()), { serialNo: serialNo.toLowerCase() }))
      .expect(409);
    expect(again.body).toMatchObject({ code: 'serial-already-sold', errors: [{ field: 'serialNo' }] });
    await h.http
      .post(`/retailers/${retailer}/sales/${first.body.claimId}/return`)
      .set(op)
      .send({})
      .expect(200);
    const resold = await h.http
      .post(`/retailers/${retailer}/sales`)
      .set(op)
      .send(sale(buyerOf(freshIdNumber()), { serialNo }))
      .expect(201);
    const seen = await h.http
      .get(`/claims/${resold.body.claimId}`)
      .set(await auth('commerce-reviewer'))
      .expect(200);
    expect(seen.body.flags.map((f: { code: string }) => f.code)).toContain('serial-sold-before');
    // The returned sale itself: a quick return.
    const back = await h.http
      .get(`/claims/${first.body.claimId}`)
      .set(await auth('commerce-reviewer'))
      .expect(200);
    expect(back.body.flags.map((f: { code: string }) => f.code)).toContain('quick-return');
  });

  it('flags a price above the recent price of the GTIN, and many items to one phone', async () => {
    const op = await operator();
    const gtin = '6920112345674';
    const phone = `137${freshDigits(8)}`;
    for (let i = 0; i < 6; i++) {
      await h.http
        .post(`/retailers/${retailer}/sales`)
        .set(op)
        .send(sale(buyerOf(freshIdNumber(), phone), { gtin, category: 'refrigerator', priceFen: 300_000 }))
        .expect(201);
    }
    const dear = await h.http
      .post(`/retailers/${retailer}/sales`)
      .set(op)
      .send(sale(buyerOf(freshIdNumber(), phone), { gtin, category: 'refrigerator', priceFen: 390_000 }))
      .expect(201);
    const seen = await h.http
      .get(`/claims/${dear.body.claimId}`)
      .set(await auth('commerce-reviewer'))
      .expect(200);
    expect(seen.body.flags.map((f: { code: string }) => f.code).sort()).toEqual([
      'many-items-to-phone',
      'price-above-recent',
    ]);
    // A retailer does not see the reviewers' signals.
    const own = await h.http.get(`/claims/${dear.body.claimId}`).set(op).expect(200);
    expect(own.body.flags).toEqual([]);
  });

  it('refuses an energy grade that does not qualify, a category not in the rule, a programme the retailer is not in, another retailer', async () => {
    const op = await operator();
    const grade = await h.http
      .post(`/retailers/${retailer}/sales`)
      .set(op)
      .send(sale(buyerOf(freshIdNumber()), { energyGrade: 3 }))
      .expect(400);
    expect(grade.body).toMatchObject({
      code: 'energy-grade-not-eligible',
      errors: [{ field: 'energyGrade' }],
    });
    const cat = await h.http
      .post(`/retailers/${retailer}/sales`)
      .set(op)
      .send(sale(buyerOf(freshIdNumber()), { category: 'dishwasher' }))
      .expect(400);
    expect(cat.body.code).toBe('category-not-in-programme');
    const hose = await h.http
      .post(`/retailers/${retailer}/sales`)
      .set(op)
      .send(
        sale(buyerOf(freshIdNumber()), {
          programmeCode: 'gas-hose-replacement',
          category: 'metal-gas-hose',
          energyGrade: undefined,
          soldOn: '2025-06-01',
        }),
      )
      .expect(403);
    expect(hose.body.code).toBe('retailer-not-participating');
    await h.http
      .post(`/retailers/rt-other-01/sales`)
      .set(op)
      .send(sale(buyerOf(freshIdNumber())))
      .expect(403);
    const bad = await h.http
      .post(`/retailers/${retailer}/sales`)
      .set(op)
      .send(sale(buyerOf('65900219800101123'), { gtin: '6901234567890', priceFen: 0 }))
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'buyer.idNumber',
      'gtin',
      'priceFen',
    ]);
  });

  it('furniture needs no old item: ready at once, under the rule of its sale date', async () => {
    const r = await h.http
      .post(`/retailers/${retailer}/sales`)
      .set(await operator())
      .send(
        sale(buyerOf(freshIdNumber()), {
          programmeCode: 'furniture-trade-in',
          category: 'sofa',
          energyGrade: undefined,
          priceFen: 600_000,
          soldOn: '2025-06-01',
        }),
      )
      .expect(201);
    expect(r.body).toMatchObject({
      status: 'ready',
      programmeYear: 2025,
      amountFen: 90_000,
      evidence: { waitingFor: [] },
    });
  });
});

describe('deadlines', () => {
  it('flags a sale whose old item was not taken in within the acceptance days, first in the queue', async () => {
    const late = await h.http
      .post(`/retailers/${retailer}/sales`)
      .set(await operator())
      .send(sale(buyerOf(freshIdNumber()), { soldOn: '2026-06-01' }))
      .expect(201);
    expect(late.body).toMatchObject({ deadlines: { acceptBy: '2026-06-04' }, overdue: ['overdue-accept'] });
    const queue = await h.http
      .get(`/review-queue?programmeCode=appliance-trade-in&year=${year}&stage=awaiting-evidence&limit=5`)
      .set(await auth('commerce-reviewer'))
      .expect(200);
    expect(queue.body.overdue).toBeGreaterThanOrEqual(1);
    expect(queue.body.items[0]).toMatchObject({ claimId: late.body.claimId, overdue: ['overdue-accept'] });
  });
});

describe('the retailer’s reimbursement', () => {
  it('sends ready sales to review; approved, they are paid to the retailer, once', async () => {
    const op = await operator();
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await h.http
        .post(`/retailers/${retailer}/sales`)
        .set(op)
        .send(sale(buyerOf(freshIdNumber())))
        .expect(201);
      ids.push(r.body.claimId);
      await h.publish('recycling.intake.recorded.v1', intakeNaming(r.body.claimId), 'sorting');
    }
    const waiting = await h.http
      .post(`/retailers/${retailer}/sales`)
      .set(op)
      .send(sale(buyerOf(freshIdNumber())))
      .expect(201);
    for (const id of ids) {
      await waitFor(async () => (await h.http.get(`/claims/${id}`).set(op)).body.status === 'ready', {
        what: `${id} ready`,
      });
    }
    const claimed = await h.http
      .post(`/retailers/${retailer}/reimbursements`)
      .set(op)
      .send({ programmeCode: 'appliance-trade-in', year, claimIds: [...ids, waiting.body.claimId] })
      .expect(201);
    expect(claimed.body.claims.map((c: { claimId: string }) => c.claimId).sort()).toEqual([...ids].sort());
    expect(claimed.body).toMatchObject({
      totalFen: 2 * 68_985,
      refused: [{ claimId: waiting.body.claimId, code: 'sale-not-ready' }],
    });
    const twice = await h.http
      .post(`/retailers/${retailer}/reimbursements`)
      .set(op)
      .send({ programmeCode: 'appliance-trade-in', year, claimIds: ids })
      .expect(409);
    expect(twice.body.code).toBe('nothing-to-reimburse');
    await h.http
      .get(`/retailers/${retailer}/reimbursements/${claimed.body.reimbursementId}`)
      .set(op)
      .expect(200);

    const reviewer = await auth('commerce-reviewer');
    for (const id of ids) await h.http.post(`/claims/${id}/approve`).set(reviewer).send({}).expect(200);
    const batch = await h.http
      .post('/payment-batches')
      .set(await auth('finance-officer'))
      .send({ programmeCode: 'appliance-trade-in', year, claimIds: ids })
      .expect(201);
    expect(batch.body.paid).toHaveLength(2);
    const chain = await h.http
      .get(`/payments/pay-${ids[0]}/chain`)
      .set(await auth('finance-officer'))
      .expect(200);
    expect(chain.body.payment.payee).toEqual({ kind: 'retailer', retailerId: retailer });
    expect(chain.body.decisions.map((d: { action: string }) => d.action)).toEqual([
      'sold',
      'evidence-matched',
      'reimbursement-claimed',
      'approved',
      'paid',
    ]);
    await waitFor(() =>
      h
        .events('recycling.subsidy.reimbursement-claimed.v1')
        .some((e) => e.key === claimed.body.reimbursementId),
    );

    // Returned after payment: the retailer owes it back; the budget records the claw-back.
    const back = await h.http
      .post(`/retailers/${retailer}/sales/${ids[1]}/return`)
      .set(op)
      .send({})
      .expect(200);
    expect(back.body.status).toBe('reversed');
    await waitFor(() => h.events('recycling.subsidy.claim-reversed.v1').find((e) => e.key === ids[1]));
    expect(
      h.events('recycling.subsidy.claim-reversed.v1').find((e) => e.key === ids[1])!.data.afterPayment,
    ).toBe(true);
  });
});
