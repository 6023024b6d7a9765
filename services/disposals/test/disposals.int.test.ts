// Public institutions' disposals on the real broker and store: a batch with a classified computer
// that cannot close without its destruction certificate, then closes (with a copier sold for the
// treasury and a desk that never reached the station); an asset scrapped before its minimum life
// refused without an approval reference; an asset disposed of once; bad input answered 400 naming
// the fields; the parties' scopes; and no purchase or invoice event, ever.
import { DisposalEventTypes } from '@recycling/contracts';
import { startHarness, waitFor, type Harness } from './support/harness';

jest.setTimeout(120_000);

const BUREAU = '11659002MB1357924K';
const OTHER = '12659002MB2468013T';
const STATION = 'st-xingfulu-01';

let h: Harness;
let institution: { Authorization: string };
let station: { Authorization: string };
let finance: { Authorization: string };

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const yearsAgo = (n: number) => `${Number(today().slice(0, 4)) - n}${today().slice(4)}`;
let card = 0;
const nextCard = () => `ZC-T-${process.pid}-${++card}`;

const approval = { documentNo: '阿财资〔2025〕12号', authority: '第一师阿拉尔市财政局' };

const register = (assets: object[], by = institution, code = BUREAU, method = 'collection') =>
  h.http
    .post(`/institutions/${code}/disposal-batches`)
    .set(by)
    .send({
      approval,
      handover: { method, stationId: STATION, date: today(), address: '阿拉尔市金银川路 1 号' },
      assets,
    });

beforeAll(async () => {
  h = await startHarness('flow');
  institution = await h.as('public-institution', BUREAU);
  station = await h.as('station-operator', STATION);
  finance = await h.as('finance-officer');
  const admin = await h.as('administrator');
  for (const [code, name] of [
    [BUREAU, '第一师阿拉尔市教育局'],
    [OTHER, '阿拉尔市第一中学'],
  ] as const) {
    const put = await h.http
      .put(`/institutions/${code}`)
      .set(admin)
      .send({ name, districtCode: 's-jinyinchuanlu', supervisor: '第一师阿拉尔市财政局', active: true });
    expect(put.status).toBe(201);
  }
});

afterAll(async () => {
  await h?.stop();
});

describe('a batch with a classified computer', () => {
  it('cannot close without its destruction certificate, then closes; proceeds go to the treasury', async () => {
    const events = await h.collect(['recycling.disposals.v1']);
    const money = await h.collect(['recycling.purchases.v1', 'recycling.invoices.v1']);
    const [pc, copier, desk] = [nextCard(), nextCard(), nextCard()];
    const registered = await register([
      {
        assetCardNo: pc,
        category: 'desktop-computer',
        model: '联想 启天 M4650',
        serialNo: 'PC0K2X1A',
        acquisitionDate: yearsAgo(8),
        originalValueFen: 498_000,
        mode: 'scrapping',
        classified: true,
      },
      {
        assetCardNo: copier,
        category: 'copier',
        serialNo: 'E175M930112',
        acquisitionDate: yearsAgo(3),
        originalValueFen: 2_150_000,
        mode: 'sale',
        classified: false,
      },
      {
        assetCardNo: desk,
        category: 'office-furniture',
        acquisitionDate: yearsAgo(20),
        originalValueFen: 120_000,
        mode: 'reallocation',
        classified: false,
      },
    ]);
    expect(registered.status).toBe(201);
    const batchId = registered.body.batchId as string;
    expect(registered.body.assets.map((a: { applianceCategory?: string }) => a.applianceCategory)).toEqual([
      'microcomputer',
      'copier',
      undefined,
    ]);
    const act = (step: string, by: { Authorization: string }, body: object = {}) =>
      h.http.post(`/disposal-batches/${batchId}/${step}`).set(by).send(body);

    // Collected by the station's crew; received asset by asset: the desk never came, the copier's
    // serial differs from the register.
    const tooEarly = await act('receipt', station, { items: [] });
    expect([tooEarly.status, tooEarly.body.code, tooEarly.text]).toEqual([
      409,
      'invalid-status',
      tooEarly.text,
    ]);
    expect((await act('collect', station)).status).toBe(200);
    const received = await act('receipt', station, {
      items: [
        { assetCardNo: pc, category: 'desktop-computer', serialNo: 'PC0K2X1A', weightGrams: 9_800 },
        { assetCardNo: copier, category: 'copier', serialNo: 'E175M930199', weightGrams: 58_500 },
      ],
    });
    expect(received.status).toBe(200);
    expect(received.body.receipt.differences).toEqual([
      { kind: 'serial-mismatch', assetCardNo: copier, expected: 'E175M930112', found: 'E175M930199' },
      { kind: 'missing', assetCardNo: desk, expected: 'office-furniture' },
    ]);

    // Nothing leaves before the institution accounts for the differences.
    const early = await act('handovers', station, {
      receiverCode: 'classified-destruction',
      assetCardNos: [pc],
    });
    expect([early.status, early.body.code]).toEqual([409, 'differences-not-acknowledged']);
    expect(
      (
        await act('differences/acknowledge', institution, {
          note: '办公桌已直接调剂至第二小学；复印机铭牌号抄录有误',
        })
      ).status,
    ).toBe(200);

    // Only to a receiver licensed for it: the WEEE processor may not take a classified computer.
    const unlicensed = await act('handovers', station, { receiverCode: 'tahe-weee', assetCardNos: [pc] });
    expect(unlicensed.status).toBe(422);
    expect(unlicensed.body.code).toBe('receiver-not-licensed');
    expect(unlicensed.body.errors).toEqual([
      expect.objectContaining({ field: 'assetCardNos.0', code: 'classified-not-licensed' }),
    ]);
    expect(
      (await act('handovers', station, { receiverCode: 'classified-destruction', assetCardNos: [pc] }))
        .status,
    ).toBe(200);
    expect(
      (await act('handovers', station, { receiverCode: 'tahe-weee', assetCardNos: [copier] })).status,
    ).toBe(200);

    // Cannot close: no certificate for the classified computer, no proceeds for the sale.
    const blocked = await act('close', institution);
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('classified-certificate-missing');
    expect(blocked.body.blockers).toEqual([
      { code: 'classified-certificate-missing', assetCardNos: [pc] },
      { code: 'proceeds-missing', assetCardNos: [copier] },
    ]);
    // The batch shows the same blockers before anyone tries to close it.
    const beforeClose = await h.http.get(`/disposal-batches/${batchId}`).set(institution);
    expect(beforeClose.body.closeBlockers).toEqual(blocked.body.blockers);
    const paid = await act('proceeds', institution, {
      amountFen: 35_000,
      voucherNo: 'FS65900225000123',
      paidOn: today(),
    });
    expect(paid.body.proceeds).toMatchObject({ payee: 'treasury', totalFen: 35_000 });
    expect(paid.body.proceeds.payeeName.zh).toContain('国库');
    const stillBlocked = await act('close', institution);
    expect([stillBlocked.status, stillBlocked.body.code]).toEqual([409, 'classified-certificate-missing']);

    // The destruction centre's certificate, recorded by the station; then the batch closes.
    const certified = await act('certificates', station, {
      kind: 'destruction',
      certificateNo: `XH-${batchId}`,
      issuedOn: today(),
      assetCardNos: [pc],
    });
    expect(certified.status).toBe(200);
    const closed = await act('close', institution);
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.closeBlockers).toEqual([]);

    // The institution and its finance bureau see each asset's fate.
    for (const who of [institution, finance]) {
      const fate = await h.http.get(`/institutions/${BUREAU}/assets/${pc}`).set(who);
      expect(fate.status).toBe(200);
      expect(fate.body.asset).toMatchObject({
        fate: 'handed-over',
        handover: { receiverCode: 'classified-destruction' },
        certificate: { kind: 'destruction', certificateNo: `XH-${batchId}` },
      });
    }
    const seen = (await h.http.get(`/disposal-batches/${batchId}`).set(finance)).body;
    expect(seen.assets.map((a: { fate: string }) => a.fate)).toEqual([
      'handed-over',
      'handed-over',
      'missing',
    ]);
    const listed = await h.http.get(`/institutions/${BUREAU}/disposal-batches`).set(finance);
    expect(listed.body.items.map((b: { batchId: string }) => b.batchId)).toContain(batchId);

    // Every step on recycling.disposals.v1, keyed by the batch; no purchase, no invoice.
    const types = await waitFor(
      () => {
        const mine = events.received.filter((m) => m.key === batchId);
        return mine.length >= 9 && mine.map((m) => m.headers.ce_type);
      },
      { what: 'the batch events' },
    );
    expect(types).toEqual([
      DisposalEventTypes.batchRegistered,
      DisposalEventTypes.batchCollected,
      DisposalEventTypes.batchReceived,
      DisposalEventTypes.differencesAcknowledged,
      DisposalEventTypes.assetsHandedOver,
      DisposalEventTypes.assetsHandedOver,
      DisposalEventTypes.proceedsPaid,
      DisposalEventTypes.sanitisationCertified,
      DisposalEventTypes.batchClosed,
    ]);
    const closedEvent = JSON.parse(
      events.received.find((m) => m.headers.ce_type === DisposalEventTypes.batchClosed)!.value!,
    );
    expect(closedEvent.proceedsFen).toBe(35_000);
    expect(money.received).toEqual([]);
  });
});

describe('an asset scrapped before its minimum service life', () => {
  it('is refused without an approval reference, naming the field, and accepted with one', async () => {
    const young = {
      assetCardNo: nextCard(),
      category: 'laptop',
      acquisitionDate: yearsAgo(2),
      originalValueFen: 650_000,
      mode: 'scrapping',
      classified: false,
    };
    const refused = await register([young]);
    expect(refused.status).toBe(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.code).toBe('minimum-service-life-not-reached');
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'assets.0.earlyScrapApproval',
    ]);
    expect(refused.body.errors[0].message).toMatch(/^未达最低使用年限 6 年/);

    const approved = await register([
      {
        ...young,
        earlyScrapApproval: { documentNo: '阿财资〔2025〕13号', authority: '第一师阿拉尔市财政局' },
      },
    ]);
    expect(approved.status).toBe(201);
    expect(approved.body.assets[0].earlyScrapApproval.documentNo).toBe('阿财资〔2025〕13号');
  });
});

describe('an asset', () => {
  it('is disposed of once: registered again it is a conflict, until its batch is withdrawn', async () => {
    const asset = {
      assetCardNo: nextCard(),
      category: 'monitor',
      acquisitionDate: yearsAgo(9),
      originalValueFen: 120_000,
      mode: 'scrapping',
      classified: false,
    };
    const first = await register([asset], institution, BUREAU, 'delivery');
    expect(first.status).toBe(201);
    const again = await register([asset]);
    expect([again.status, again.body.code]).toEqual([409, 'asset-already-in-disposal']);
    expect(again.body.errors[0].field).toBe('assets.0.assetCardNo');
    const cancelled = await h.http
      .post(`/disposal-batches/${first.body.batchId}/cancel`)
      .set(institution)
      .send({ reason: '批复文号填写错误' });
    expect(cancelled.body.status).toBe('cancelled');
    expect((await register([asset])).status).toBe(201);
  });

  it('classified, with no receiver licensed for its mode, is refused at registration', async () => {
    const r = await register([
      {
        assetCardNo: nextCard(),
        category: 'desktop-computer',
        acquisitionDate: yearsAgo(9),
        originalValueFen: 400_000,
        mode: 'donation',
        classified: true,
      },
    ]);
    expect([r.status, r.body.code]).toEqual([422, 'no-licensed-receiver']);
    expect(r.body.errors[0].field).toBe('assets.0.mode');
  });
});

describe('the parties', () => {
  it('another institution and another station see nothing of a batch; the kit checks the credit code', async () => {
    const r = await register([
      {
        assetCardNo: nextCard(),
        category: 'printer',
        acquisitionDate: yearsAgo(7),
        originalValueFen: 90_000,
        mode: 'scrapping',
        classified: false,
      },
    ]);
    const batchId = r.body.batchId as string;
    const other = await h.as('public-institution', OTHER);
    const otherStation = await h.as('station-operator', 'st-qingsong-02');
    expect((await h.http.get(`/disposal-batches/${batchId}`).set(other)).status).toBe(403);
    expect((await h.http.get(`/disposal-batches/${batchId}`).set(otherStation)).status).toBe(403);
    expect(
      (await h.http.post(`/disposal-batches/${batchId}/collect`).set(otherStation).send({})).status,
    ).toBe(403);
    expect((await h.http.get(`/institutions/${BUREAU}/disposal-batches`).set(other)).status).toBe(403);
    expect((await register([], other, BUREAU)).status).toBe(400); // validated first…
    const forged = await h.http
      .post(`/institutions/${BUREAU}/disposal-batches`)
      .set(other)
      .send({
        approval,
        handover: { method: 'delivery', stationId: STATION, date: today() },
        assets: [
          {
            assetCardNo: nextCard(),
            category: 'printer',
            acquisitionDate: yearsAgo(7),
            originalValueFen: 1,
            mode: 'scrapping',
            classified: false,
          },
        ],
      });
    expect(forged.status).toBe(403); // …then the scope
    const stationList = await h.http.get(`/stations/${STATION}/disposal-batches`).set(station);
    expect(stationList.body.items.map((b: { batchId: string }) => b.batchId)).toContain(batchId);
  });
});

describe('bad input', () => {
  it('is a 400 problem naming every bad field', async () => {
    const r = await h.http
      .post(`/institutions/${BUREAU}/disposal-batches`)
      .set(institution)
      .send({
        approval: { documentNo: '' },
        handover: { method: 'teleport', stationId: STATION, date: '2025-13-01' },
        assets: [
          {
            assetCardNo: 'ZC 1',
            category: 'spaceship',
            acquisitionDate: '2020-01-01',
            originalValueFen: -1,
            mode: 'scrapping',
            classified: 'yes',
          },
        ],
      });
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining([
        'approval.documentNo',
        'approval.authority',
        'handover.method',
        'handover.date',
        'assets.0.assetCardNo',
        'assets.0.category',
        'assets.0.originalValueFen',
        'assets.0.classified',
      ]),
    );
  });
});
