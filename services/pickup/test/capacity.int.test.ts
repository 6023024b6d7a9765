import type { PickupViewBody as PickupView } from '../src/http/schemas';
import { requestHashOf } from '@recycling/service-kit';
import { applianceBooking, inDays, registerSites, startHarness, type Harness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('capacity');
  await registerSites(h);
});

afterAll(async () => {
  await h?.stop();
});

const residents = (n: number, tag: string) =>
  Promise.all(Array.from({ length: n }, (_, i) => h.as('resident', `r-${tag}-${i}`)));

describe('slot capacity', () => {
  it('never overbooks: 20 concurrent bookings of a 5-seat slot give exactly 5 pickups, the rest 409 with free slots', async () => {
    const date = inDays(4);
    const slot = { date, window: '10:00-13:00' };
    const admin = await h.as('administrator');
    const set = await h.http
      .put(`/districts/t01/slots/${date}`)
      .set(admin)
      .send({
        windows: [
          { window: '10:00-13:00', capacity: 5 },
          { window: '16:00-19:00', capacity: 2 },
        ],
      });
    expect(set.status).toBe(200);

    const auths = await residents(20, 'cap');
    const answers = await Promise.all(
      auths.map((auth) =>
        h.http
          .post('/pickups')
          .set(auth)
          .send(applianceBooking({ address: { districtCode: 't01', detail: '金银川镇 1 连 8 号' }, slot })),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);

    const full = answers.find((a) => a.status === 409)!;
    expect(full.headers['content-type']).toContain('application/problem+json');
    expect(full.body.title_zh).toBe('该时段已约满');
    // The nearest free slot is the same day's afternoon, which has 2 seats.
    expect(full.body.alternatives[0]).toEqual({ date, window: '16:00-19:00', available: 2 });

    const slots = await h.http
      .get('/slots')
      .query({ districtCode: 't01', from: date, to: date })
      .set(auths[0]!);
    expect(slots.status).toBe(200);
    expect(slots.body.items).toEqual([
      { date, window: '10:00-13:00', capacity: 5, booked: 5, available: 0 },
      { date, window: '16:00-19:00', capacity: 2, booked: 0, available: 2 },
    ]);

    // A cancellation gives its seat back, and the next resident gets it.
    const winner = answers.findIndex((a) => a.status === 201);
    const cancelled = await h.http
      .post(`/pickups/${answers[winner]!.body.pickupId}/cancel`)
      .set(auths[winner]!)
      .send({ reason: '已自行送至回收站' });
    expect(cancelled.status).toBe(200);
    const loser = answers.findIndex((a) => a.status === 409);
    const retry = await h.http
      .post('/pickups')
      .set(auths[loser]!)
      .send(applianceBooking({ address: { districtCode: 't01', detail: '金银川镇 1 连 8 号' }, slot }));
    expect(retry.status).toBe(201);
    const again = await h.http
      .post('/pickups')
      .set(auths[(loser + 1) % 20]!)
      .send(applianceBooking({ address: { districtCode: 't01', detail: '金银川镇 1 连 8 号' }, slot }));
    expect(again.status).toBe(409);
  });

  it('refuses a day outside the booking range and a window the day does not have, naming the field', async () => {
    const auth = await h.as('resident', 'r-range');
    const today = await h.http
      .post('/pickups')
      .set(auth)
      .send(applianceBooking({ slot: { date: inDays(0), window: '10:00-13:00' } }));
    expect(today.status).toBe(400);
    expect(today.body.errors.map((e: { field: string }) => e.field)).toEqual(['slot.date']);
    const odd = await h.http
      .post('/pickups')
      .set(auth)
      .send(applianceBooking({ slot: { date: inDays(2), window: '07:00-08:00' } }));
    expect(odd.status).toBe(400);
    expect(odd.body.errors.map((e: { field: string }) => e.field)).toEqual(['slot.window']);
  });

  it('answers 422 when no site serves the district', async () => {
    const auth = await h.as('resident', 'r-nosite');
    const res = await h.http
      .post('/pickups')
      .set(auth)
      .send(applianceBooking({ address: { districtCode: 'x-tuokayi', detail: '托喀依乡 2 村' } }));
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('address.districtCode');
  });
});

describe('rescheduling', () => {
  it('moves the seat: the new slot loses one, the booked slot gets it back', async () => {
    const resident = await h.as('resident', 'r-move');
    const operator = await h.as('station-operator', 'st-xingfulu-01');
    const booked = { date: inDays(8), window: '10:00-13:00' };
    const moved = { date: inDays(9), window: '16:00-19:00' };
    const p = await h.http
      .post('/pickups')
      .set(resident)
      .send(applianceBooking({ slot: booked }));
    expect(p.status).toBe(201);
    const free = async (slot: { date: string; window: string }) => {
      const res = await h.http
        .get('/slots')
        .query({ districtCode: 's-xingfulu', from: slot.date, to: slot.date })
        .set(resident);
      return res.body.items.find((s: { window: string }) => s.window === slot.window).available;
    };
    expect([await free(booked), await free(moved)]).toEqual([4, 5]);
    const res = await h.http.post(`/pickups/${p.body.pickupId}/schedule`).set(operator).send({ slot: moved });
    expect(res.status).toBe(200);
    expect(res.body.visit).toEqual(moved);
    expect([await free(booked), await free(moved)]).toEqual([5, 4]);
  });
});

describe('Idempotency-Key on booking', () => {
  it('returns the first answer to a retry, and one pickup only', async () => {
    const auth = await h.as('resident', 'r-idem');
    const body = applianceBooking({ slot: { date: inDays(5), window: '16:00-19:00' } });
    const first = await h.http.post('/pickups').set(auth).set('Idempotency-Key', 'book-1').send(body);
    const retry = await h.http.post('/pickups').set(auth).set('Idempotency-Key', 'book-1').send(body);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const mine = await h.http.get('/pickups').set(auth);
    expect(mine.body.items.map((p: PickupView) => p.pickupId)).toEqual([first.body.pickupId]);
  });

  it('refuses the same key with another body (422), and keys are per resident', async () => {
    const auth = await h.as('resident', 'r-idem2');
    const body = applianceBooking({ slot: { date: inDays(5), window: '10:00-13:00' } });
    expect((await h.http.post('/pickups').set(auth).set('Idempotency-Key', 'k').send(body)).status).toBe(201);
    const changed = await h.http
      .post('/pickups')
      .set(auth)
      .set('Idempotency-Key', 'k')
      .send({ ...body, note: '请走侧门' });
    expect(changed.status).toBe(422);
    expect(changed.body.title_zh).toBe('幂等键已被另一请求使用');
    const other = await h.as('resident', 'r-idem3');
    expect((await h.http.post('/pickups').set(other).set('Idempotency-Key', 'k').send(body)).status).toBe(
      201,
    );
  });

  it('books once when the same request is sent several times at once', async () => {
    const auth = await h.as('resident', 'r-idem4');
    const body = applianceBooking({ slot: { date: inDays(6), window: '10:00-13:00' } });
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        h.http.post('/pickups').set(auth).set('Idempotency-Key', 'burst').send(body),
      ),
    );
    // Each answer is the booking or "in progress, retry"; never a second pickup.
    for (const a of answers) expect([201, 409]).toContain(a.status);
    const ids = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.pickupId));
    expect(ids.size).toBe(1);
    const mine = await h.http.get('/pickups').set(auth);
    expect(mine.body.items).toHaveLength(1);
    const retry = await h.http.post('/pickups').set(auth).set('Idempotency-Key', 'burst').send(body);
    expect(retry.status).toBe(201);
    expect(retry.body.pickupId).toBe([...ids][0]);
  });

  it('replays a refusal too: a full slot stays the answer to that key', async () => {
    const date = inDays(7);
    const admin = await h.as('administrator');
    await h.http
      .put(`/districts/s-xingfulu/slots/${date}`)
      .set(admin)
      .send({ windows: [{ window: '10:00-13:00', capacity: 0 }] });
    const auth = await h.as('resident', 'r-idem5');
    const body = applianceBooking({ slot: { date, window: '10:00-13:00' } });
    const first = await h.http.post('/pickups').set(auth).set('Idempotency-Key', 'full').send(body);
    const retry = await h.http.post('/pickups').set(auth).set('Idempotency-Key', 'full').send(body);
    expect(first.status).toBe(409);
    expect(retry.status).toBe(409);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const { requestId: _a, ...firstBody } = first.body;
    const { requestId: _b, ...retryBody } = retry.body;
    expect(retryBody).toEqual(firstBody);
    expect(retryBody.alternatives.length).toBeGreaterThan(0);
  });

  it('takes over a key left pending by a crashed request, and books under the same pickup id once', async () => {
    const auth = await h.as('resident', 'r-crash');
    const slot = { date: inDays(10), window: '10:00-13:00' };
    const body = applianceBooking({ slot });
    // The crashed attempt claimed the key and a seat, then died before saving the pickup.
    await h.service.connection.collection('idempotency_keys').insertOne({
      _id: 'r-crash#crashed' as never,
      requestHash: requestHashOf(body),
      state: 'pending',
      reserved: 'pk-crashed-0001',
      attempt: 'dead-attempt',
      createdAt: new Date(Date.now() - 5 * 60_000),
    });
    await h.service.ctx.seats.claim('s-xingfulu', slot, 5, 'pk-crashed-0001');

    const res = await h.http.post('/pickups').set(auth).set('Idempotency-Key', 'crashed').send(body);
    expect(res.status).toBe(201);
    expect(res.body.pickupId).toBe('pk-crashed-0001');
    const slots = await h.http
      .get('/slots')
      .query({ districtCode: 's-xingfulu', from: slot.date, to: slot.date })
      .set(auth);
    expect(slots.body.items.find((s: { window: string }) => s.window === slot.window).booked).toBe(1);
  });

  it('rejects a malformed key as a bad header field', async () => {
    const auth = await h.as('resident', 'r-idem6');
    const res = await h.http
      .post('/pickups')
      .set(auth)
      .set('Idempotency-Key', 'has spaces!')
      .send(applianceBooking());
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['headers.idempotency-key']);
  });
});
