import { PurchaseEventTypes, type PurchaseRecordedData } from '@recycling/contracts';
import { mintToken } from '@recycling/service-kit';
import { collectMessages, testKafka, uniqueTopicPrefix, waitFor } from '@recycling/testkit';
import request from 'supertest';
import { bearer, personSeller, startSorting, uniqueDbName, type SortingService } from './support';

// A desk that retries POST /stations/:id/intakes after a timeout must not record a second intake, nor
// a second purchase (which would become a second reverse invoice): the Idempotency-Key makes the
// retry get the first answer.

const prefix = uniqueTopicPrefix('sorting-idem');
const stationId = 'st-idem-01';
let service: SortingService;
let collector: Awaited<ReturnType<typeof collectMessages>>;
let operator: string;

beforeAll(async () => {
  service = await startSorting(uniqueDbName('sorting-idem'), prefix);
  collector = await collectMessages(testKafka('sorting-idem-test'), [`${prefix}.recycling.purchases.v1`]);
  operator = await bearer('station-operator', stationId);
  await request(service.app)
    .put(`/stations/${stationId}`)
    .set('Authorization', await bearer('administrator'))
    .send({ name: '回收站 幂等', districtCode: 's-xingfulu', enterpriseId: 'ent-lvyuan' })
    .expect(200);
});

afterAll(async () => {
  await collector.stop();
  await service.connection.dropDatabase().catch(() => undefined);
  await service.stop();
});

/** A walk-in sale told apart from the others by its payment record. */
const walkIn = (paymentRecordId: string, priceFen = 12_000) => ({
  source: { kind: 'walk-in' },
  seller: personSeller,
  paymentRecordId,
  lines: [
    { category: 'refrigerator', units: 1, weightGrams: 52_300, condition: 'for-dismantling', priceFen },
  ],
});

const post = (body: object, key?: string) => {
  const req = request(service.app).post(`/stations/${stationId}/intakes`).set('Authorization', operator);
  return (key ? req.set('Idempotency-Key', key) : req).send(body);
};

const intakesPaidBy = (paymentRecordId: string) =>
  service.connection.collection('intakes').find({ paymentRecordId }).toArray();

const purchasesOf = (intakeId: string) =>
  collector.received.filter(
    (m) =>
      m.headers.ce_type === PurchaseEventTypes.recorded &&
      (JSON.parse(m.value!) as PurchaseRecordedData).purchaseId === `intake:${intakeId}`,
  );

/** Waits for the intake's purchase, then for a later one (same seller, same partition) to be sure no second copy follows. */
async function purchasesAfterSettling(intakeId: string) {
  await waitFor(() => purchasesOf(intakeId)[0], { what: `purchase of ${intakeId}` });
  const marker = await post(walkIn(`pay-marker-${intakeId}`));
  expect(marker.status).toBe(201);
  await waitFor(() => purchasesOf(marker.body.intakeId as string)[0], { what: 'the marker purchase' });
  return purchasesOf(intakeId);
}

describe('Idempotency-Key on recording an intake', () => {
  it('answers a retry with the first answer, and records one intake and one purchase.recorded', async () => {
    const body = walkIn('pay-idem-seq');
    const first = await post(body, 'desk-seq-1');
    const retry = await post(body, 'desk-seq-1');
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.body).toEqual(first.body);
    expect(await intakesPaidBy('pay-idem-seq')).toHaveLength(1);
    expect(await purchasesAfterSettling(first.body.intakeId as string)).toHaveLength(1);
  });

  it('records once when the same request is sent several times at once', async () => {
    const body = walkIn('pay-idem-burst', 15_000);
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(body, 'desk-burst')));
    // Each answer is the intake or "in progress, retry"; never a second intake.
    for (const a of answers) expect([201, 409]).toContain(a.status);
    const ids = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.intakeId as string));
    expect(ids.size).toBe(1);
    const [intakeId] = [...ids];
    const stored = await intakesPaidBy('pay-idem-burst');
    expect(stored.map((d) => d._id)).toEqual([intakeId]);
    const later = await post(body, 'desk-burst');
    expect(later.status).toBe(201);
    expect(later.body.intakeId).toBe(intakeId);
    expect(await purchasesAfterSettling(intakeId!)).toHaveLength(1);
  });

  it('refuses the same key with another body (422) and records nothing for it', async () => {
    const first = await post(walkIn('pay-idem-422'), 'desk-422');
    expect(first.status).toBe(201);
    const changed = await post(walkIn('pay-idem-422', 13_000), 'desk-422');
    expect(changed.status).toBe(422);
    expect(changed.headers['content-type']).toContain('application/problem+json');
    expect(changed.body.title_zh).toBe('幂等键已被另一请求使用');
    expect(await intakesPaidBy('pay-idem-422')).toHaveLength(1);
  });

  it('keeps keys apart per operator: another operator of the station may use the same key', async () => {
    const other = `Bearer ${await mintToken({ sub: 'op-other', role: 'station-operator', scope: stationId })}`;
    const mine = await post(walkIn('pay-idem-op-a'), 'desk-shared');
    const theirs = await request(service.app)
      .post(`/stations/${stationId}/intakes`)
      .set('Authorization', other)
      .set('Idempotency-Key', 'desk-shared')
      .send(walkIn('pay-idem-op-b'));
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.body.intakeId).not.toBe(mine.body.intakeId);
  });

  it('replays a refusal: an unknown pickup already received stays 409 for that key', async () => {
    const body = { ...walkIn('pay-idem-pk'), source: { kind: 'pickup', pickupId: 'pk-idem-0001' } };
    expect((await post(body)).status).toBe(201);
    const again = { ...body, paymentRecordId: 'pay-idem-pk-2' };
    const refused = await post(again, 'desk-refused');
    const retry = await post(again, 'desk-refused');
    expect(refused.status).toBe(409);
    expect(retry.status).toBe(409);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.detail).toBe(refused.body.detail);
    expect(await intakesPaidBy('pay-idem-pk-2')).toHaveLength(0);
  });

  it('after a crash between saving the intake and storing the answer, a later retry finds that intake', async () => {
    const body = walkIn('pay-idem-crash');
    const first = await post(body, 'desk-crash');
    expect(first.status).toBe(201);
    // Make the claim look like the crashed attempt left it: pending, no answer, two minutes old.
    const keys = service.connection.collection<{ _id: string; requestHash: string }>('idempotency_keys');
    const claimed = await keys.findOne({ _id: `${stationId}:station-operator-1#desk-crash` });
    expect(claimed).toMatchObject({ reserved: first.body.intakeId, state: 'done' });
    await keys.deleteOne({ _id: claimed!._id });
    await keys.insertOne({
      _id: claimed!._id,
      requestHash: claimed!.requestHash,
      state: 'pending',
      attempt: 'dead-attempt',
      reserved: first.body.intakeId,
      createdAt: new Date(Date.now() - 120_000),
    } as never);
    const retry = await post(body, 'desk-crash');
    expect(retry.status).toBe(201);
    expect(retry.body.intakeId).toBe(first.body.intakeId);
    expect(await intakesPaidBy('pay-idem-crash')).toHaveLength(1);
    expect(await purchasesAfterSettling(first.body.intakeId as string)).toHaveLength(1);
  });

  it('rejects a malformed key as a bad header field', async () => {
    const res = await post(walkIn('pay-idem-bad'), 'has spaces!');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['headers.idempotency-key']);
    expect(await intakesPaidBy('pay-idem-bad')).toHaveLength(0);
  });
});
