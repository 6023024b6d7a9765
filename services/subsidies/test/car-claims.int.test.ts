// Car trade-in claims on the real broker and store: a car scrapped at a dismantler (the dismantling
// service runs in-process on the same topics), its certificate and deregistration, a claim that
// waited for the deregistration, approved and paid, with its whole chain; a claim made before any
// of its evidence; the same certificate twice, the same new car in both programmes; rejection and
// resubmission; bad input; an event that fails its schema dead-lettered; no personal data on events.
import { FIXTURE_PEPPER } from '@recycling/contracts/fixtures';
import { createLogger } from '@recycling/observability';
import { loadConfig, startService, type RunningService } from '@recycling/service-kit';
import { testMongoUrl, uniqueName } from '@recycling/testkit';
import request from 'supertest';
import type { AppContext as DismantlingContext } from '../../dismantling/src/app/context';
import { DismantlingConfig } from '../../dismantling/src/config';
import { dismantlingService } from '../../dismantling/src/service';
import {
  auth,
  carClaimBody,
  claimReaches,
  freshDigits,
  freshPerson,
  freshVin,
  publishScrapEvidence,
  shortId,
  startHarness,
  waitFor,
  type Harness,
} from './support/harness';

jest.setTimeout(120_000);

let h: Harness;
let dismantling: RunningService<DismantlingContext>;

beforeAll(async () => {
  h = await startHarness('sub-car');
  dismantling = await startService(dismantlingService, {
    config: loadConfig(DismantlingConfig, {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
      MONGO_URL: testMongoUrl(uniqueName('t-sub-dism').replace(/[^a-zA-Z0-9_-]/g, '_')),
      JWT_SECRET: 'local-dev-secret-change-me',
      SELLER_KEY_SECRET: FIXTURE_PEPPER,
      TOPIC_PREFIX: h.prefix,
      LOG_LEVEL: 'silent',
    }),
    logger: createLogger({ service: 'dismantling', level: 'silent' }),
    partitions: 1,
  });
});

afterAll(async () => {
  await dismantling?.connection.dropDatabase().catch(() => undefined);
  await dismantling?.stop();
  await h?.close();
});

const reviewer = () => auth('commerce-reviewer', undefined, 'cr-0007');
const finance = () => auth('finance-officer', undefined, 'fo-0003');

describe('a car scrapped at the dismantler, then the trade-in claim', () => {
  it('waits for the deregistration, is decided when it arrives, approved, paid once, and traced end to end', async () => {
    const site = shortId('dm');
    const op = await auth('dismantler-operator', site);
    const admin = await auth('administrator');
    const d = request(dismantling.app);
    await d
      .put(`/dismantlers/${site}`)
      .set(admin)
      .send({
        name: '阿拉尔市报废机动车回收拆解有限公司',
        enterpriseId: 'ent-alar-dismantling',
        qualificationCertificateNo: '新BF-659002-001',
        districtCode: 't10',
        status: 'active',
      })
      .expect(201);
    const person = freshPerson();
    const oldVin = freshVin();
    // Taken in at the gate (no pickup), the certificate issued, deregistration requested.
    const intake = await d
      .post('/vehicle-intakes')
      .set(op)
      .send({
        dismantlerId: site,
        vin: oldVin,
        plate: '新N12323',
        vehicleType: 'passenger-car',
        fuelType: 'gasoline',
        emissionStandard: 'china-3',
        registrationDate: '2009-06-18',
        documentsReceived: { registrationCertificate: true, drivingLicence: true, plates: 2 },
        priceFen: 0,
        owner: { kind: 'person', name: person.name, idType: 'resident-id-card', idNumber: person.idNumber },
      })
      .expect(201);
    const intakeId = intake.body.vehicleIntakeId as string;
    const certified = await d.post(`/vehicle-intakes/${intakeId}/certificate`).set(op).send({}).expect(200);
    const certificateNo = certified.body.certificate.certificateNo as string;
    await d.post(`/vehicle-intakes/${intakeId}/deregistration`).set(op).send({}).expect(200);

    // The resident claims with the certificate while the deregistration is pending.
    const resident = await auth('resident', person.resident);
    const newVin = freshVin();
    const submitted = await h.http
      .post('/claims')
      .set(resident)
      .send(carClaimBody(person, { oldVin, newVin, certificateNo }))
      .expect(201);
    const claimId = submitted.body.claimId as string;
    expect(submitted.body).toMatchObject({
      kind: 'car-scrap',
      programmeYear: 2025,
      amountFen: 2_000_000,
      applicant: {
        nameMasked: '阿***·***',
        bankCardMasked: expect.stringMatching(/^6228 \*{4} \*{4} \d{4}$/),
      },
    });
    expect(JSON.stringify(submitted.body)).not.toContain(person.idNumber);
    const waiting = await waitFor(
      async () => {
        const r = await h.http.get(`/claims/${claimId}`).set(resident);
        return (
          r.body.status === 'awaiting-evidence' &&
          r.body.evidence.waitingFor.length === 1 &&
          r.body.evidence.waitingFor[0] === `deregistration:${oldVin}` &&
          r.body
        );
      },
      { what: 'the certificate matched, the deregistration awaited' },
    );
    expect(waiting.deadlines.acceptBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // The traffic police deregister the car; the dismantler records it; the claim is decided.
    await d
      .put(`/vehicle-intakes/${intakeId}/deregistration/outcome`)
      .set(op)
      .send({ state: 'completed', deregistrationCertificateNo: 'ZX-2025-0042' })
      .expect(200);
    const inReview = await claimReaches(h, claimId, 'in-review', await reviewer());
    expect(inReview.evidence).toMatchObject({
      matched: true,
      refs: [
        { kind: 'recycling-certificate', ref: certificateNo },
        { kind: 'deregistration', ref: 'ZX-2025-0042' },
        { kind: 'vehicle-intake', ref: oldVin },
      ],
    });
    expect(inReview.flags).toEqual([]);
    expect(inReview.deadlines.reviewBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const queue = await h.http
      .get('/review-queue?programmeCode=car-scrap&year=2025')
      .set(await reviewer())
      .expect(200);
    expect(queue.body.items.map((c: { claimId: string }) => c.claimId)).toContain(claimId);

    const approved = await h.http
      .post(`/claims/${claimId}/approve`)
      .set(await reviewer())
      .send({ note: '材料齐全' })
      .expect(200);
    expect(approved.body).toMatchObject({ status: 'approved', deadlines: { payBy: expect.any(String) } });

    const batch = await h.http
      .post('/payment-batches')
      .set(await finance())
      .send({ programmeCode: 'car-scrap', year: 2025, claimIds: [claimId] })
      .expect(201);
    expect(batch.body).toMatchObject({
      paid: [{ claimId, paymentId: `pay-${claimId}`, amountFen: 2_000_000 }],
      skipped: [],
    });
    // The same batch again pays nothing: the claim is paid.
    const again = await h.http
      .post('/payment-batches')
      .set(await finance())
      .send({ programmeCode: 'car-scrap', year: 2025, claimIds: [claimId] })
      .expect(201);
    expect(again.body).toMatchObject({ paid: [], skipped: [{ claimId, code: 'already-paid' }] });
    // The programme year's batches, newest first, for the finance bureau's desk.
    const batches = await h.http
      .get('/payment-batches?programmeCode=car-scrap&year=2025')
      .set(await auth('city-official'))
      .expect(200);
    expect(batches.body.items.map((b: { batchId: string }) => b.batchId)).toEqual([
      again.body.batchId,
      batch.body.batchId,
    ]);
    await h.http
      .get('/payment-batches?programmeCode=car-scrap&year=2025')
      .set(await reviewer())
      .expect(403);
    const paid = await h.http.get(`/claims/${claimId}`).set(resident).expect(200);
    expect(paid.body).toMatchObject({ status: 'paid', payment: { paymentId: `pay-${claimId}` } });

    // From the payment, one call shows the whole chain.
    const chain = await h.http
      .get(`/payments/pay-${claimId}/chain`)
      .set(await auth('city-official'))
      .expect(200);
    const evidenceEvents = (chain.body.evidence.refs as Array<{ eventId: string }>).map((r) => r.eventId);
    expect(evidenceEvents.every((id) => /^[0-9a-f-]{36}$/.test(id))).toBe(true);
    expect(chain.body.decisions.map((x: { action: string }) => x.action)).toEqual([
      'submitted',
      'evidence-matched',
      'approved',
      'paid',
    ]);
    expect(chain.body.decisions[2].by).toEqual({ role: 'commerce-reviewer', id: 'cr-0007' });
    expect(chain.body.budgetEntries.map((e: { kind: string }) => e.kind).sort()).toEqual(['pay', 'reserve']);
    expect(chain.body.evidence.records.map((r: { key: string }) => r.key)).toEqual([
      `certificate:${certificateNo}`,
      `deregistration:${oldVin}`,
      `vehicle:${oldVin}`,
    ]);

    // The events of the claim, in order, keyed by the claim, without personal data.
    await waitFor(() => h.events().filter((e) => e.key === claimId).length >= 4, {
      what: 'the claim events',
    });
    const mine = h.events().filter((e) => e.key === claimId);
    expect(mine.map((e) => e.type)).toEqual([
      'recycling.subsidy.claim-submitted.v1',
      'recycling.subsidy.evidence-matched.v1',
      'recycling.subsidy.claim-approved.v1',
      'recycling.subsidy.claim-paid.v1',
    ]);
    const text = JSON.stringify(mine);
    for (const secret of [person.name, person.idNumber, person.phone]) expect(text).not.toContain(secret);

    // The fund: committed and paid, month by month, and the CSV with local times.
    const funds = await h.http
      .get('/funds?year=2025')
      .set(await finance())
      .expect(200);
    const scrap = funds.body.items.find((r: { programmeCode: string }) => r.programmeCode === 'car-scrap');
    expect(scrap).toMatchObject({
      committedFen: 2_000_000,
      paidFen: 2_000_000,
      reversedFen: 0,
      remainingFen: 600_000_000 - 2_000_000,
    });
    const monthly = await h.http
      .get('/funds/car-scrap/2025/monthly')
      .set(await finance())
      .expect(200);
    expect(monthly.body.months).toEqual([
      expect.objectContaining({
        month: expect.stringMatching(/^\d{4}-\d{2}$/),
        committedFen: 2_000_000,
        paidFen: 2_000_000,
      }),
    ]);
    const month = monthly.body.months[0].month as string;
    const csv = await h.http
      .get(`/exports/payments.csv?month=${month}`)
      .set(await finance())
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toContain(`pay-${claimId}`);
    expect(csv.text).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00/);
    const bank = await h.http
      .get(`/payment-batches/${batch.body.batchId}/bank-file`)
      .set(await finance())
      .expect(200);
    expect(bank.headers['cache-control']).toBe('no-store');
    expect(bank.text).toContain(person.name);
  });
});

describe('evidence and claims in either order', () => {
  it('a claim made before any of its evidence waits, and is decided when it arrives', async () => {
    const person = freshPerson('王建新');
    const resident = await auth('resident', person.resident);
    const oldVin = freshVin();
    const certificateNo = `BF659002${freshDigits(10)}`;
    const submitted = await h.http
      .post('/claims')
      .set(resident)
      .send(carClaimBody(person, { oldVin, newVin: freshVin(), certificateNo }))
      .expect(201);
    expect(submitted.body).toMatchObject({
      status: 'awaiting-evidence',
      evidence: { waitingFor: [`certificate:${certificateNo}`, `deregistration:${oldVin}`] },
    });
    await publishScrapEvidence(h, oldVin, certificateNo);
    const decided = await claimReaches(h, submitted.body.claimId, 'in-review', resident);
    expect(decided.evidence.matched).toBe(true);
  });

  it('evidence that arrived first is kept until a claim names it', async () => {
    const person = freshPerson('李秀兰');
    const oldVin = freshVin();
    const certificateNo = `BF659002${freshDigits(10)}`;
    const { deregistration } = await publishScrapEvidence(h, oldVin, certificateNo);
    // Let the consumer store it before the claim comes.
    await new Promise((r) => setTimeout(r, 1_500));
    const resident = await auth('resident', person.resident);
    const submitted = await h.http
      .post('/claims')
      .set(resident)
      .send(carClaimBody(person, { oldVin, newVin: freshVin(), certificateNo }))
      .expect(201);
    const decided = await claimReaches(h, submitted.body.claimId, 'in-review', await reviewer());
    expect(decided.evidence.refs).toContainEqual(
      expect.objectContaining({ kind: 'deregistration', eventId: deregistration!.id }),
    );
  });

  it('a refused deregistration decides the claim as not matched, flagged for the reviewer', async () => {
    const person = freshPerson();
    const oldVin = freshVin();
    const certificateNo = `BF659002${freshDigits(10)}`;
    const { certificate } = await publishScrapEvidence(h, oldVin, certificateNo, { deregistered: false });
    await h.publish('recycling.vehicle.deregistration-refused.v1', {
      vin: oldVin,
      vehicleIntakeId: shortId('vi'),
      dismantlerId: 'dm-alar-01',
      certificateNo,
      reason: '车辆存在未处理的交通违法记录',
      occurredAt: '2025-03-02T06:00:00Z',
    });
    expect(certificate.id).toBeTruthy();
    const submitted = await h.http
      .post('/claims')
      .set(await auth('resident', person.resident))
      .send(carClaimBody(person, { oldVin, newVin: freshVin(), certificateNo }))
      .expect(201);
    const decided = await claimReaches(h, submitted.body.claimId, 'in-review', await reviewer());
    expect(decided.evidence.matched).toBe(false);
    expect(decided.flags.map((f: { code: string }) => f.code)).toEqual(['deregistration-refused']);
  });

  it('sell-and-buy is proved by the used-car sale of the old car', async () => {
    const person = freshPerson();
    const oldVin = freshVin();
    const resident = await auth('resident', person.resident);
    const submitted = await h.http
      .post('/claims')
      .set(resident)
      .send(carClaimBody(person, { oldVin, newVin: freshVin() }, { programmeCode: 'car-replace' }))
      .expect(201);
    expect(submitted.body).toMatchObject({
      kind: 'car-replace',
      amountFen: 1_500_000,
      status: 'awaiting-evidence',
    });
    const sale = await h.publish(
      'recycling.used-car.transaction-recorded.v1',
      {
        transactionId: shortId('uc'),
        vin: oldVin,
        plateMasked: '新N·***23',
        marketId: 'mkt-alar-ucm',
        districtCode: 's-nankou',
        vehicleType: 'passenger-car',
        fuelType: 'gasoline',
        priceFen: 2_500_000,
        invoiceNo: freshDigits(20),
        transactedOn: '2025-02-20',
        occurredAt: '2025-02-20T04:00:00Z',
      },
      'statistics',
    );
    const decided = await claimReaches(h, submitted.body.claimId, 'in-review', resident);
    expect(decided.evidence.refs).toEqual([
      expect.objectContaining({ kind: 'used-car-sale', eventId: sale.id }),
    ]);
  });
});

describe('signals for the reviewer', () => {
  it('flags a subsidised new car sold as a used car soon after its registration', async () => {
    const person = freshPerson();
    const newVin = freshVin();
    const oldVin = freshVin();
    const certificateNo = `BF659002${freshDigits(10)}`;
    await publishScrapEvidence(h, oldVin, certificateNo);
    const submitted = await h.http
      .post('/claims')
      .set(await auth('resident', person.resident))
      .send(carClaimBody(person, { oldVin, newVin, certificateNo }))
      .expect(201);
    await claimReaches(h, submitted.body.claimId, 'in-review', await reviewer());
    const resale = await h.publish(
      'recycling.used-car.transaction-recorded.v1',
      {
        transactionId: shortId('uc'),
        vin: newVin,
        plateMasked: '新N·***88',
        marketId: 'mkt-alar-ucm',
        districtCode: 's-nankou',
        vehicleType: 'passenger-car',
        fuelType: 'bev',
        priceFen: 14_000_000,
        invoiceNo: freshDigits(20),
        transactedOn: '2025-04-20',
        occurredAt: '2025-04-20T04:00:00Z',
      },
      'statistics',
    );
    const flagged = await waitFor(
      async () => {
        const r = await h.http.get(`/claims/${submitted.body.claimId}`).set(await reviewer());
        return r.body.flags.length > 0 && r.body;
      },
      { what: 'the resale flag' },
    );
    expect(flagged.flags).toEqual([expect.objectContaining({ code: 'new-car-resold-soon' })]);
    expect(flagged.status).toBe('in-review'); // a signal, not a refusal
    expect(resale.id).toBeTruthy();
  });
});

describe('what can be subsidised once', () => {
  it('refuses the same certificate twice and the same new car in both programmes, naming the earlier claim masked', async () => {
    const first = freshPerson();
    const oldVin = freshVin();
    const newVin = freshVin();
    const certificateNo = `BF659002${freshDigits(10)}`;
    const ok = await h.http
      .post('/claims')
      .set(await auth('resident', first.resident))
      .send(carClaimBody(first, { oldVin, newVin, certificateNo }))
      .expect(201);
    const earlier = ok.body.claimId as string;
    const masked = `${earlier.slice(0, earlier.lastIndexOf('-') + 1)}****${earlier.slice(-4)}`;

    const second = freshPerson();
    const twice = await h.http
      .post('/claims')
      .set(await auth('resident', second.resident))
      .send(carClaimBody(second, { oldVin: freshVin(), newVin: freshVin(), certificateNo }))
      .expect(409);
    expect(twice.body).toMatchObject({
      code: 'certificate-already-claimed',
      rule: 'certificate',
      earlierClaim: masked,
      errors: [{ field: 'oldCar.certificateNo' }],
    });
    expect(twice.text).not.toContain(earlier);

    const both = await h.http
      .post('/claims')
      .set(await auth('resident', first.resident))
      .send(carClaimBody(first, { oldVin: freshVin(), newVin }, { programmeCode: 'car-replace' }))
      .expect(409);
    expect(both.body).toMatchObject({
      code: 'new-car-already-claimed',
      rule: 'new-vin',
      earlierClaim: masked,
    });

    // Nothing the refused claims took is left behind: another person's claim of fresh cars passes.
    const third = freshPerson();
    await h.http
      .post('/claims')
      .set(await auth('resident', third.resident))
      .send(
        carClaimBody(third, {
          oldVin: freshVin(),
          newVin: freshVin(),
          certificateNo: `BF659002${freshDigits(10)}`,
        }),
      )
      .expect(201);
  });

  it('one scrap-and-buy claim per person and year', async () => {
    const person = freshPerson();
    const resident = await auth('resident', person.resident);
    const body = () =>
      carClaimBody(person, {
        oldVin: freshVin(),
        newVin: freshVin(),
        certificateNo: `BF659002${freshDigits(10)}`,
      });
    await h.http.post('/claims').set(resident).send(body()).expect(201);
    const second = await h.http.post('/claims').set(resident).send(body()).expect(409);
    expect(second.body).toMatchObject({
      code: 'person-limit-reached',
      errors: [{ field: 'applicant.idNumber' }],
    });
  });

  it('a retried submission (same Idempotency-Key) answers the same claim', async () => {
    const person = freshPerson();
    const resident = await auth('resident', person.resident);
    const body = carClaimBody(person, {
      oldVin: freshVin(),
      newVin: freshVin(),
      certificateNo: `BF659002${freshDigits(10)}`,
    });
    const key = shortId('key');
    const a = await h.http.post('/claims').set(resident).set('Idempotency-Key', key).send(body).expect(201);
    const b = await h.http.post('/claims').set(resident).set('Idempotency-Key', key).send(body).expect(201);
    expect(b.body.claimId).toBe(a.body.claimId);
    const mine = await h.http.get('/claims/mine').set(resident).expect(200);
    expect(mine.body.items.map((c: { claimId: string }) => c.claimId)).toEqual([a.body.claimId]);
  });
});

describe('review', () => {
  it('rejects with reasons, takes a corrected resubmission, and hides a claim from other residents', async () => {
    const person = freshPerson();
    const resident = await auth('resident', person.resident);
    const oldVin = freshVin();
    const certificateNo = `BF659002${freshDigits(10)}`;
    await publishScrapEvidence(h, oldVin, certificateNo);
    const submitted = await h.http
      .post('/claims')
      .set(resident)
      .send(carClaimBody(person, { oldVin, newVin: freshVin(), certificateNo }))
      .expect(201);
    const claimId = submitted.body.claimId as string;
    await claimReaches(h, claimId, 'in-review', resident);
    await h.http
      .get(`/claims/${claimId}`)
      .set(await auth('resident', 'r-someone-else'))
      .expect(404);
    await h.http.post(`/claims/${claimId}/approve`).set(resident).send({}).expect(403);

    const rejected = await h.http
      .post(`/claims/${claimId}/reject`)
      .set(await reviewer())
      .send({ reasons: [{ code: 'new-car-not-registered-to-applicant', note: '登记证书车主与申请人不符' }] })
      .expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', resubmissionsLeft: 6 });
    const seen = await h.http.get(`/claims/${claimId}`).set(resident).expect(200);
    expect(seen.body.lastRejection.reasons).toEqual([
      { code: 'new-car-not-registered-to-applicant', note: '登记证书车主与申请人不符' },
    ]);
    expect(seen.body.history.find((x: { action: string }) => x.action === 'rejected').by).toEqual({
      role: 'commerce-reviewer',
    });

    const resubmitted = await h.http
      .post(`/claims/${claimId}/resubmit`)
      .set(resident)
      .send({ newCar: { registrationCertificateNo: 'DJ6590020001' }, note: '已补正登记证书' })
      .expect(200);
    expect(resubmitted.body.resubmissions).toBe(1);
    await claimReaches(h, claimId, 'in-review', resident);
    const early = await h.http.post(`/claims/${claimId}/resubmit`).set(resident).send({}).expect(409);
    expect(early.body).toMatchObject({ code: 'invalid-claim-status', claimStatus: 'in-review' });
  });
});

describe('bad input and bad events', () => {
  it('answers 400 problem+json naming every bad field', async () => {
    const person = freshPerson();
    const body = carClaimBody(person, { oldVin: freshVin(), newVin: freshVin(), certificateNo: 'BF1' });
    const r = await h.http
      .post('/claims')
      .set(await auth('resident', person.resident))
      .send({
        ...body,
        applicant: { ...body.applicant, idNumber: '659002198001011234', districtCode: 'x-nowhere' },
        bankCard: { ...body.bankCard, cardNo: '6228480402564890017' },
        newCar: { ...body.newCar, vin: 'LSVAG218092512345', priceFen: -1 },
      })
      .expect(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const fields = (r.body.errors as Array<{ field: string }>).map((e) => e.field).sort();
    expect(fields).toEqual(
      expect.arrayContaining([
        'applicant.idNumber',
        'applicant.districtCode',
        'bankCard.cardNo',
        'newCar.vin',
        'newCar.priceFen',
      ]),
    );
    const rule = await h.http
      .post('/claims')
      .set(await auth('resident', person.resident))
      .send({ ...body, oldCar: { ...body.oldCar, registrationDate: '2013-01-01', ownedSince: '2025-02-01' } })
      .expect(400);
    expect(rule.body.errors.map((e: { code: string }) => e.code)).toEqual([
      'old-car-registered-too-late',
      'old-car-owned-too-recently',
    ]);
  });

  it('sends an event that fails its schema to the DLQ and keeps consuming', async () => {
    await h.publishRaw(
      'recycling.vehicle.certificate-issued.v1',
      'recycling.vehicles.v1',
      'LSVAG218892512345',
      {
        vin: 'not-a-vin',
        certificateNo: '',
      },
    );
    const dead = await waitFor(
      () => h.received.find((m) => m.topic === `${h.prefix}.recycling.vehicles.v1.dlq`),
      { what: 'the dead letter', timeoutMs: 60_000 },
    );
    expect(dead.headers['dlq-error-kind']).toBe('invalid-data');
    expect(dead.headers['dlq-reason']).toMatch(/vin/);
    // The partition moved on: a good event after it is still applied.
    const person = freshPerson();
    const oldVin = freshVin();
    const certificateNo = `BF659002${freshDigits(10)}`;
    const submitted = await h.http
      .post('/claims')
      .set(await auth('resident', person.resident))
      .send(carClaimBody(person, { oldVin, newVin: freshVin(), certificateNo }))
      .expect(201);
    await publishScrapEvidence(h, oldVin, certificateNo);
    await claimReaches(h, submitted.body.claimId, 'in-review', await reviewer());
  });
});
