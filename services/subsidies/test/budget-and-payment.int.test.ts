// The budget and the money on the real store, across two replicas: twenty concurrent approvals
// against a budget with room for ten (exactly ten pass, one of them the retry of an approval that
// crashed after committing), then payment released by both replicas at once, with one payment left
// half-done by a crash: every approved claim is paid exactly once and the budget says so.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  auth,
  carClaimBody,
  freshDigits,
  freshPerson,
  freshVin,
  publishScrapEvidence,
  startHarness,
  waitFor,
  type Harness,
  type SubsidiesService,
} from './support/harness';

jest.setTimeout(300_000);

const AMOUNT = 2_000_000; // 2025 scrap-and-buy, new-energy car
const ROOM = 10;

let h: Harness;
let replica: SubsidiesService;

beforeAll(async () => {
  h = await startHarness('sub-budget', {
    profile: (p) => {
      const scrap = p.subsidies.tradeIn!.programmes.find((x) => x.code === 'car-scrap')!;
      scrap.years.find((y) => y.year === 2025)!.budgetFen = ROOM * AMOUNT;
    },
  });
  replica = await h.startReplica();
});

afterAll(async () => {
  await h?.close();
});

it('commits exactly the budget under twenty concurrent approvals on two replicas, and pays each claim once', async () => {
  const apps = [request(h.service.app), request(replica.app)];
  const reviewer = await auth('commerce-reviewer', undefined, 'cr-race');
  const finance = await auth('finance-officer', undefined, 'fo-race');

  // Twenty claims of twenty people, their evidence published, all in review.
  const claimIds: string[] = [];
  for (let i = 0; i < 20; i++) {
    const person = freshPerson();
    const oldVin = freshVin();
    const certificateNo = `BF659002${freshDigits(10)}`;
    const r = await apps[i % 2]!.post('/claims')
      .set(await auth('resident', person.resident))
      .send(carClaimBody(person, { oldVin, newVin: freshVin(), certificateNo }))
      .expect(201);
    claimIds.push(r.body.claimId);
    await publishScrapEvidence(h, oldVin, certificateNo);
  }
  await waitFor(
    async () => {
      const q = await apps[0]!.get('/review-queue?programmeCode=car-scrap&year=2025&limit=200').set(reviewer);
      return q.body.total === 20;
    },
    { what: 'twenty claims in review', timeoutMs: 90_000 },
  );

  // A crash after the budget took the first claim's amount, before the claim was saved approved.
  await h.service.ctx.budgets.apply({
    programmeCode: 'car-scrap',
    year: 2025,
    claimId: claimIds[0]!,
    kind: 'reserve',
    amountFen: AMOUNT,
    budget: { budgetFen: ROOM * AMOUNT, name: { zh: '汽车报废更新', en: 'Car scrap-and-buy' } },
  });

  const answers = await Promise.all(
    claimIds.map((id, i) => apps[i % 2]!.post(`/claims/${id}/approve`).set(reviewer).send({})),
  );
  const approved = answers.filter((a) => a.status === 200).map((a) => a.body.claimId as string);
  const refused = answers.filter((a) => a.status !== 200);
  expect(approved).toHaveLength(ROOM);
  expect(approved).toContain(claimIds[0]); // its retry found the amount it had committed
  expect(refused).toHaveLength(20 - ROOM);
  for (const r of refused) {
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'budget-exhausted', remainingFen: 0, amountFen: AMOUNT });
    expect(r.body.detail).toMatch(/^「汽车报废更新」2025 年度预算余额 0\.00 元/);
  }
  const funds = await apps[1]!.get('/funds?year=2025').set(finance).expect(200);
  expect(
    funds.body.items.find((f: { programmeCode: string }) => f.programmeCode === 'car-scrap'),
  ).toMatchObject({
    budgetFen: ROOM * AMOUNT,
    committedFen: ROOM * AMOUNT,
    remainingFen: 0,
  });

  // A crash between approval and payment: the payment of one claim claimed, nothing else done.
  const crashed = approved[3]!;
  await h.service.ctx.payments.claimPayment({
    _id: `pay-${crashed}`,
    claimId: crashed,
    batchId: 'pb-crashed-000001',
    programmeCode: 'car-scrap',
    programmeYear: 2025,
    amountFen: AMOUNT,
    payee: { kind: 'applicant' },
    status: 'initiated',
    releasedBy: 'fo-crashed',
    releasedAt: new Date(Date.now() - 5 * 60_000),
  });

  // A crash later in a release: the claim saved paid (with its event), the budget and the payment not.
  const halfPaid = approved[5]!;
  await h.service.ctx.payments.claimPayment({
    _id: `pay-${halfPaid}`,
    claimId: halfPaid,
    batchId: 'pb-crashed-000002',
    programmeCode: 'car-scrap',
    programmeYear: 2025,
    amountFen: AMOUNT,
    payee: { kind: 'applicant' },
    status: 'initiated',
    releasedBy: 'fo-crashed',
    releasedAt: new Date(Date.now() - 5 * 60_000),
  });
  await h.service.ctx.claims.update(halfPaid, (doc) => {
    const event = h.service.ctx.events(
      'recycling.subsidy.claim-paid.v1',
      {
        claimId: halfPaid,
        programmeCode: 'car-scrap',
        programmeKind: 'car-scrap',
        programmeYear: 2025,
        districtCode: doc.districtCode,
        paymentId: `pay-${halfPaid}`,
        batchId: 'pb-crashed-000002',
        amountFen: AMOUNT,
        payee: { kind: 'applicant' },
        releasedBy: 'fo-crashed',
        occurredAt: new Date().toISOString(),
      },
      { subject: halfPaid },
    );
    doc.status = 'paid';
    doc.payment = { paymentId: `pay-${halfPaid}`, batchId: 'pb-crashed-000002' };
    return { events: [event] };
  });

  // Both replicas release the programme year's payable claims at the same time.
  const batches = await Promise.all(
    apps.map((app) =>
      app
        .post('/payment-batches')
        .set(finance)
        .set('Idempotency-Key', randomUUID())
        .send({ programmeCode: 'car-scrap', year: 2025 }),
    ),
  );
  for (const b of batches) expect(b.status).toBe(201);
  // A second round pays what the first left in progress to the other replica, and nothing twice.
  const second = await apps[0]!
    .post('/payment-batches')
    .set(finance)
    .send({ programmeCode: 'car-scrap', year: 2025 });
  const paidIds = [...batches, second].flatMap((b) =>
    (b.body.paid as Array<{ claimId: string }>).map((p) => p.claimId),
  );
  expect(new Set(paidIds).size).toBe(paidIds.length);
  expect(new Set(paidIds)).toEqual(new Set(approved));
  // Naming them again pays nothing.
  const named = await apps[1]!
    .post('/payment-batches')
    .set(finance)
    .send({ programmeCode: 'car-scrap', year: 2025, claimIds: [halfPaid, crashed] });
  expect(named.body).toMatchObject({
    paid: [],
    skipped: [
      { claimId: halfPaid, code: 'already-paid' },
      { claimId: crashed, code: 'already-paid' },
    ],
  });

  for (const id of approved) {
    const c = await apps[0]!.get(`/claims/${id}`).set(finance).expect(200);
    expect(c.body).toMatchObject({ status: 'paid', payment: { paymentId: `pay-${id}` } });
  }
  const crashedPayment = await apps[1]!.get(`/payments/pay-${crashed}/chain`).set(finance).expect(200);
  expect(crashedPayment.body.payment).toMatchObject({ batchId: 'pb-crashed-000001', status: 'completed' });

  const after = await apps[0]!.get('/funds?year=2025').set(finance).expect(200);
  expect(
    after.body.items.find((f: { programmeCode: string }) => f.programmeCode === 'car-scrap'),
  ).toMatchObject({
    committedFen: ROOM * AMOUNT,
    paidFen: ROOM * AMOUNT,
  });
  await waitFor(() => h.events('recycling.subsidy.claim-paid.v1').length >= ROOM, {
    what: 'the paid events',
  });
  await new Promise((r) => setTimeout(r, 1_000));
  const paidEvents = h.events('recycling.subsidy.claim-paid.v1').map((e) => e.key);
  expect(paidEvents.sort()).toEqual([...approved].sort());
  expect(
    h
      .events('recycling.subsidy.claim-approved.v1')
      .map((e) => e.key)
      .sort(),
  ).toEqual([...approved].sort());
});
