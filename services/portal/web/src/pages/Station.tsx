// The sorting station desk: the station's day as the server keeps it (collections due and overdue,
// collected ones to receive and pay, upcoming, received today, to sort, to dispatch), a fast intake
// form (category, units, weight, condition, seller with consent, price), corrections, sorting
// outcomes and dispatch. Nothing of the day lives in the browser: a reload or the next shift reads
// the same list, and the intake being entered is named in the address (?receive=<pickup>).
import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { CodeSelect, Field } from '../components/Field';
import { ProblemView } from '../components/ProblemView';
import { api, asList } from '../lib/api';
import { useApp } from '../lib/context';
import { fenToYuan, gramsToKg, kgToGrams, localDateTime, yuanToFen } from '../lib/units';
import { useLoad } from '../lib/use-load';

interface Arrival {
  pickupId: string;
  districtCode: string;
  status: string;
  slot: { date: string; window: string };
  expected: Array<{ category: string; count: number }>;
  units: number;
  overdue: boolean;
}

interface WorkLine {
  lineId: string;
  category: string;
  units: number;
  sorted: number;
  dispatched: number;
}

interface WorkList {
  date: string;
  due: Arrival[];
  toReceive: Arrival[];
  upcoming: Arrival[];
  received: Array<{
    intakeId: string;
    pickupId?: string;
    seller: string;
    receivedAt: string;
    units: number;
    weightGrams: number;
    paidFen: number;
  }>;
  toSort: Array<{ intakeId: string; receivedOn: string; lines: WorkLine[] }>;
  toDispatch: Array<{ intakeId: string; receivedOn: string; lines: WorkLine[] }>;
  totals: Record<string, number>;
}

interface IntakeLine {
  lineId: string;
  category: string;
  units: number;
  weightGrams: number;
  weightEstimated?: boolean;
  condition: string;
  priceFen: number;
}

interface Intake {
  intakeId: string;
  source: { kind: string; pickupId?: string };
  seller: { kind: string; nameMasked?: string; idNumberMasked?: string; organisationName?: string };
  revision: number;
  withdrawn?: boolean;
  contents: { lines: IntakeLine[]; totalFen: number; totalWeightGrams: number };
  sorted?: Array<{ lineId: string; outcome: string; units: number }>;
  receivedAt: string;
}

interface LineRow {
  lineId?: string;
  category: string;
  units: string;
  weightKg: string;
  condition: string;
  priceYuan: string;
}

const CONDITIONS = ['reusable', 'for-dismantling', 'hazardous-parts'] as const;
const SOURCES = ['pickup', 'walk-in', 'retailer-trade-in'] as const;

const emptyLine = (category = 'refrigerator'): LineRow => ({
  category,
  units: '1',
  weightKg: '',
  condition: 'for-dismantling',
  priceYuan: '',
});

/** Form rows → API lines; amounts that do not parse are sent as text so the API names the field. */
function linesOf(rows: LineRow[]) {
  return rows.map((r) => {
    const weightGrams = r.weightKg.trim() ? (kgToGrams(r.weightKg) ?? r.weightKg) : undefined;
    return {
      ...(r.lineId ? { lineId: r.lineId } : {}),
      category: r.category,
      units: Number(r.units),
      ...(weightGrams !== undefined ? { weightGrams } : {}),
      condition: r.condition,
      priceFen: yuanToFen(r.priceYuan) ?? r.priceYuan,
    };
  });
}

function LineEditor({
  rows,
  setRows,
  error,
  prefix = 'lines',
}: {
  rows: LineRow[];
  setRows: (rows: LineRow[]) => void;
  error: unknown;
  prefix?: string;
}) {
  const { t, reference } = useApp();
  const set = (i: number, patch: Partial<LineRow>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset>
      <legend>{t('lines')}</legend>
      {rows.map((row, i) => (
        <div className="row line" key={i}>
          <Field label={t('category')} field={`${prefix}.${i}.category`} error={error}>
            <CodeSelect
              name={`${prefix}.${i}.category`}
              options={reference?.applianceCategories}
              value={row.category}
              onChange={(v) => set(i, { category: v })}
            />
          </Field>
          <Field label={t('units')} field={`${prefix}.${i}.units`} error={error}>
            <input
              name={`${prefix}.${i}.units`}
              inputMode="numeric"
              value={row.units}
              onChange={(e) => set(i, { units: e.target.value })}
            />
          </Field>
          <Field label={t('weightKg')} field={`${prefix}.${i}.weightGrams`} error={error}>
            <input
              name={`${prefix}.${i}.weightKg`}
              inputMode="decimal"
              value={row.weightKg}
              placeholder={gramsToKg(
                (reference?.applianceCategories.find((c) => c.code === row.category)?.defaultWeightGrams ??
                  0) * (Number(row.units) || 1),
              )}
              onChange={(e) => set(i, { weightKg: e.target.value })}
            />
          </Field>
          <Field label={t('condition')} field={`${prefix}.${i}.condition`} error={error}>
            <select
              name={`${prefix}.${i}.condition`}
              value={row.condition}
              onChange={(e) => set(i, { condition: e.target.value })}
            >
              {CONDITIONS.map((c) => (
                <option key={c} value={c}>
                  {t(`condition.${c}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('priceYuan')} field={`${prefix}.${i}.priceFen`} error={error}>
            <input
              name={`${prefix}.${i}.priceYuan`}
              inputMode="decimal"
              value={row.priceYuan}
              onChange={(e) => set(i, { priceYuan: e.target.value })}
            />
          </Field>
          {rows.length > 1 ? (
            <button type="button" className="link" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
              {t('remove')}
            </button>
          ) : null}
        </div>
      ))}
      <button type="button" className="link" onClick={() => setRows([...rows, emptyLine()])}>
        + {t('add')}
      </button>
    </fieldset>
  );
}

export function Station() {
  const { t, session, reference } = useApp();
  const stationId = session?.principal.scope ?? '';
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const work = useLoad(
    (signal) => api<WorkList>('sorting', `stations/${encodeURIComponent(stationId)}/work-list`, { signal }),
    [stationId],
  );
  const [search, setSearch] = useSearchParams();
  const receiving = search.get('receive') ?? '';
  const intakes = useLoad(
    (signal) =>
      api<unknown>('sorting', `stations/${encodeURIComponent(stationId)}/intakes`, { signal }).then((r) =>
        asList<Intake>(r, 'intakes'),
      ),
    [stationId],
  );

  const [sourceKind, setSourceKind] = useState<(typeof SOURCES)[number]>('walk-in');
  const [pickupId, setPickupId] = useState('');
  const [rows, setRows] = useState<LineRow[]>([emptyLine()]);
  const [seller, setSeller] = useState({ name: '', idType: 'resident-id-card', idNumber: '' });
  const [consent, setConsent] = useState(false);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  const fillFrom = (a: Arrival) => {
    setSourceKind('pickup');
    setPickupId(a.pickupId);
    setRows(a.expected.map((e) => ({ ...emptyLine(e.category), units: String(e.count) })));
    setNotice(undefined);
    setError(undefined);
  };
  const startFromArrival = (a: Arrival) => {
    fillFrom(a);
    setSearch({ receive: a.pickupId }, { replace: true });
    setTimeout(() => document.querySelector<HTMLElement>('[name="lines.0.weightKg"]')?.focus(), 0);
  };
  // After a reload the address still names the pickup being received: fill the form from the list.
  useEffect(() => {
    if (!receiving || pickupId === receiving || !work.data) return;
    const a = [...work.data.due, ...work.data.toReceive, ...work.data.upcoming].find(
      (x) => x.pickupId === receiving,
    );
    if (a) fillFrom(a);
  }, [receiving, work.data]);

  const refresh = () => {
    work.reload();
    intakes.reload();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const body = {
        source: { kind: sourceKind, ...(sourceKind === 'pickup' ? { pickupId } : {}) },
        seller: {
          kind: 'person',
          name: seller.name,
          idType: seller.idType,
          idNumber: seller.idNumber.replace(/\s+/g, '').toUpperCase(),
          // Sent as given: the API names the field when consent is missing.
          consentToReverseInvoicing: consent,
        },
        lines: linesOf(rows),
      };
      const created = await api<{ intakeId?: string; _id?: string }>(
        'sorting',
        `stations/${encodeURIComponent(stationId)}/intakes`,
        { body },
      );
      setNotice(`${t('saved')}: ${created.intakeId ?? created._id ?? ''}`);
      setRows([emptyLine()]);
      setSeller({ name: '', idType: seller.idType, idNumber: '' });
      setConsent(false);
      setPickupId('');
      setSourceKind('walk-in');
      setSearch({}, { replace: true });
      refresh();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="grid two">
      <WorkListCard
        work={work.data}
        error={work.error}
        onRefresh={refresh}
        onReceive={startFromArrival}
        onEdit={(intakeId, mode) => {
          setSearch({ edit: intakeId, mode }, { replace: true });
          setTimeout(
            () => document.querySelector<HTMLElement>(`[data-testid=editor-${mode}]`)?.scrollIntoView(),
            0,
          );
        }}
      />

      <section className="card">
        <h2>{t('intakeFast')}</h2>
        <form onSubmit={submit} data-testid="intake-form">
          <div className="row">
            <Field label={t('source')} field="source.kind" error={error}>
              <select
                name="source.kind"
                value={sourceKind}
                onChange={(e) => setSourceKind(e.target.value as (typeof SOURCES)[number])}
              >
                {SOURCES.map((s) => (
                  <option key={s} value={s}>
                    {t(`source.${s}`)}
                  </option>
                ))}
              </select>
            </Field>
            {sourceKind === 'pickup' ? (
              <Field label={t('pickupId')} field="source.pickupId" error={error}>
                <input
                  name="source.pickupId"
                  value={pickupId}
                  onChange={(e) => setPickupId(e.target.value)}
                />
              </Field>
            ) : null}
          </div>
          <LineEditor rows={rows} setRows={setRows} error={error} />
          <fieldset>
            <legend>{t('seller')}</legend>
            <div className="row">
              <Field label={t('sellerName')} field="seller.name" error={error}>
                <input
                  name="seller.name"
                  value={seller.name}
                  autoComplete="off"
                  onChange={(e) => setSeller({ ...seller, name: e.target.value })}
                />
              </Field>
              <Field label={t('idType')} field="seller.idType" error={error}>
                <CodeSelect
                  name="seller.idType"
                  options={reference?.idDocumentTypes}
                  value={seller.idType}
                  onChange={(v) => setSeller({ ...seller, idType: v })}
                />
              </Field>
              <Field label={t('idNumber')} field="seller.idNumber" error={error}>
                <input
                  name="seller.idNumber"
                  value={seller.idNumber}
                  autoComplete="off"
                  onChange={(e) => setSeller({ ...seller, idNumber: e.target.value })}
                />
              </Field>
            </div>
            <Field label="" field="seller.consentToReverseInvoicing" error={error}>
              <span className="check">
                <input
                  type="checkbox"
                  name="seller.consentToReverseInvoicing"
                  checked={consent}
                  onChange={(e) => setConsent(e.target.checked)}
                />
                {t('consent')}
              </span>
            </Field>
          </fieldset>
          <ProblemView error={error} />
          {notice ? (
            <div className="notice" data-testid="intake-notice">
              {notice}
            </div>
          ) : null}
          <button type="submit" className="primary" disabled={busy} data-testid="intake-submit">
            {t('submit')}
          </button>
        </form>
      </section>

      <Intakes
        intakes={intakes.data ?? []}
        error={intakes.error}
        tz={tz}
        stationId={stationId}
        onChange={refresh}
      />
    </div>
  );
}

function Intakes({
  intakes,
  error,
  tz,
  stationId,
  onChange,
}: {
  intakes: Intake[];
  error: unknown;
  tz: string;
  stationId: string;
  onChange: () => void;
}) {
  const { t, codeName, reference } = useApp();
  // The intake being corrected or sorted is named in the address, so a reload keeps it open.
  const [search, setSearch] = useSearchParams();
  const editId = search.get('edit');
  const editMode = search.get('mode');
  const editing =
    editId && (editMode === 'correct' || editMode === 'sort')
      ? { intakeId: editId, mode: editMode as 'correct' | 'sort' }
      : undefined;
  const setEditing = (e: { intakeId: string; mode: 'correct' | 'sort' } | undefined) =>
    setSearch(e ? { edit: e.intakeId, mode: e.mode } : {}, { replace: true });
  const [batch, setBatch] = useState<Record<string, { intakeId: string; lineId: string; units: number }>>({});
  const [processor, setProcessor] = useState({ name: '', licenceNo: '' });
  const [dispatchError, setDispatchError] = useState<unknown>();
  const [dispatched, setDispatched] = useState<string>();

  const dispatch = async (e: FormEvent) => {
    e.preventDefault();
    setDispatchError(undefined);
    try {
      const created = await api<{ batchId: string }>(
        'sorting',
        `stations/${encodeURIComponent(stationId)}/batches`,
        {
          body: { processor, items: Object.values(batch) },
        },
      );
      setDispatched(created.batchId);
      setBatch({});
      onChange();
    } catch (err) {
      setDispatchError(err);
    }
  };

  return (
    <section className="card wide">
      <h2>{t('intakes')}</h2>
      <ProblemView error={error} />
      {intakes.length === 0 ? <p className="muted">{t('empty')}</p> : null}
      <div className="table-wrap">
        <table data-testid="intakes">
          <thead>
            <tr>
              <th>{t('intake')}</th>
              <th>{t('source')}</th>
              <th>{t('seller')}</th>
              <th>{t('lines')}</th>
              <th>{t('total')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {intakes.map((i) => (
              <tr
                key={i.intakeId}
                data-testid={`intake-${i.intakeId}`}
                className={i.withdrawn ? 'withdrawn' : ''}
              >
                <td>
                  {i.intakeId}
                  <div className="muted">
                    {localDateTime(i.receivedAt, tz)} · r{i.revision}
                  </div>
                </td>
                <td>
                  {t(`source.${i.source.kind}` as 'source.pickup')}
                  {i.source.pickupId ? <div className="muted">{i.source.pickupId}</div> : null}
                </td>
                <td>{i.seller.nameMasked ?? i.seller.organisationName}</td>
                <td>
                  {i.contents.lines.map((l) => {
                    const key = `${i.intakeId}/${l.lineId}`;
                    const sorted = (i.sorted ?? []).filter((s) => s.lineId === l.lineId);
                    return (
                      <div key={l.lineId} className="line-cell">
                        <label className="check">
                          <input
                            type="checkbox"
                            checked={key in batch}
                            aria-label={t('selectForBatch')}
                            onChange={(e) => {
                              const next = { ...batch };
                              if (e.target.checked)
                                next[key] = { intakeId: i.intakeId, lineId: l.lineId, units: l.units };
                              else delete next[key];
                              setBatch(next);
                            }}
                          />
                          {codeName('applianceCategories', l.category)} × {l.units} ·{' '}
                          {gramsToKg(l.weightGrams)} kg
                          {l.weightEstimated ? '*' : ''} · ¥{fenToYuan(l.priceFen)}
                        </label>
                        {sorted.length > 0 ? (
                          <div className="muted">
                            {sorted
                              .map((s) => `${codeName('sortingOutcomes', s.outcome)} × ${s.units}`)
                              .join('，')}
                          </div>
                        ) : null}
                      </div>
                    );
                  })}
                </td>
                <td>
                  ¥{fenToYuan(i.contents.totalFen)}
                  <div className="muted">{gramsToKg(i.contents.totalWeightGrams)} kg</div>
                </td>
                <td className="actions">
                  <button type="button" onClick={() => setEditing({ intakeId: i.intakeId, mode: 'correct' })}>
                    {t('correct')}
                  </button>
                  <button type="button" onClick={() => setEditing({ intakeId: i.intakeId, mode: 'sort' })}>
                    {t('sorting')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {/* Opened once its intake is loaded (after a reload the address names it before the list comes). */}
      {editing && intakes.some((i) => i.intakeId === editing.intakeId) ? (
        <IntakeEditor
          key={`${editing.intakeId}-${editing.mode}`}
          intake={intakes.find((i) => i.intakeId === editing.intakeId)}
          mode={editing.mode}
          onDone={() => {
            setEditing(undefined);
            onChange();
          }}
          outcomes={reference?.sortingOutcomes ?? []}
        />
      ) : null}
      <form onSubmit={dispatch} className="dispatch" data-testid="dispatch-form">
        <h3>
          {t('dispatch')} ({Object.keys(batch).length})
        </h3>
        <div className="row">
          <Field label={t('processorName')} field="processor.name" error={dispatchError}>
            <input
              value={processor.name}
              onChange={(e) => setProcessor({ ...processor, name: e.target.value })}
            />
          </Field>
          <Field label={t('licenceNo')} field="processor.licenceNo" error={dispatchError}>
            <input
              value={processor.licenceNo}
              onChange={(e) => setProcessor({ ...processor, licenceNo: e.target.value })}
            />
          </Field>
        </div>
        <ProblemView error={dispatchError} />
        {dispatched ? <div className="notice">{`${t('saved')}: ${dispatched}`}</div> : null}
        <button type="submit" className="primary">
          {t('dispatch')}
        </button>
      </form>
    </section>
  );
}

function IntakeEditor({
  intake,
  mode,
  onDone,
  outcomes,
}: {
  intake: Intake | undefined;
  mode: 'correct' | 'sort';
  onDone: () => void;
  outcomes: Array<{ code: string; name: { zh: string; en: string } }>;
}) {
  const { t, codeName } = useApp();
  const [rows, setRows] = useState<LineRow[]>(
    (intake?.contents.lines ?? []).map((l) => ({
      lineId: l.lineId,
      category: l.category,
      units: String(l.units),
      weightKg: String(l.weightGrams / 1000),
      condition: l.condition,
      priceYuan: fenToYuan(l.priceFen).replace(/,/g, ''),
    })),
  );
  const [reason, setReason] = useState('');
  const [sorting, setSorting] = useState<Record<string, { outcome: string; units: string }>>(
    Object.fromEntries(
      (intake?.contents.lines ?? []).map((l) => [
        l.lineId,
        { outcome: 'dismantling', units: String(l.units) },
      ]),
    ),
  );
  const [error, setError] = useState<unknown>();
  if (!intake) return null;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      if (mode === 'correct') {
        await api('sorting', `intakes/${encodeURIComponent(intake.intakeId)}/corrections`, {
          body: { reason, lines: linesOf(rows) },
        });
      } else {
        await api('sorting', `intakes/${encodeURIComponent(intake.intakeId)}/sorting`, {
          body: {
            outcomes: Object.entries(sorting).map(([lineId, s]) => ({
              lineId,
              outcome: s.outcome,
              units: Number(s.units),
            })),
          },
        });
      }
      onDone();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <form className="editor" onSubmit={save} data-testid={`editor-${mode}`}>
      <h3>
        {mode === 'correct' ? t('correction') : t('sorting')} · {intake.intakeId}
      </h3>
      {mode === 'correct' ? (
        <>
          <LineEditor rows={rows} setRows={setRows} error={error} />
          <Field label={t('reason')} field="reason" error={error}>
            <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
        </>
      ) : (
        intake.contents.lines.map((l, i) => (
          <div className="row" key={l.lineId}>
            <span className="line-name">
              {codeName('applianceCategories', l.category)} × {l.units}
            </span>
            <Field label={t('outcome')} field={`outcomes.${i}.outcome`} error={error}>
              <CodeSelect
                name={`outcomes.${i}.outcome`}
                options={outcomes}
                value={sorting[l.lineId]?.outcome ?? 'dismantling'}
                onChange={(v) =>
                  setSorting({
                    ...sorting,
                    [l.lineId]: { units: String(l.units), ...sorting[l.lineId], outcome: v },
                  })
                }
              />
            </Field>
            <Field label={t('units')} field={`outcomes.${i}.units`} error={error}>
              <input
                value={sorting[l.lineId]?.units ?? ''}
                onChange={(e) =>
                  setSorting({
                    ...sorting,
                    [l.lineId]: { outcome: 'dismantling', ...sorting[l.lineId], units: e.target.value },
                  })
                }
              />
            </Field>
          </div>
        ))
      )}
      <ProblemView error={error} />
      <div className="row">
        <button type="submit" className="primary">
          {t('submit')}
        </button>
        <button type="button" onClick={onDone}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

/** The station's day: what to do next, from the list the server keeps. */
function WorkListCard({
  work,
  error,
  onRefresh,
  onReceive,
  onEdit,
}: {
  work: WorkList | undefined;
  error: unknown;
  onRefresh: () => void;
  onReceive: (a: Arrival) => void;
  onEdit: (intakeId: string, mode: 'sort') => void;
}) {
  const { t, codeName } = useApp();
  const row = (a: Arrival) => (
    <li key={a.pickupId} data-testid={`arrival-${a.pickupId}`} className={a.overdue ? 'overdue' : ''}>
      <div>
        <strong>{a.slot.date}</strong> {a.slot.window} · {codeName('districts', a.districtCode)}
        {a.overdue ? <span className="badge status-failed"> {t('work.overdue')}</span> : null}
      </div>
      <div className="muted">
        {a.expected.map((x) => `${codeName('applianceCategories', x.category)} × ${x.count}`).join('，')} ·{' '}
        {a.pickupId}
      </div>
      <button type="button" onClick={() => onReceive(a)} data-testid={`receive-${a.pickupId}`}>
        {t('work.receive')}
      </button>
    </li>
  );
  const section = (key: 'due' | 'toReceive' | 'upcoming', items: Arrival[]) => (
    <section className="work-section" data-testid={`work-${key}`}>
      <h3>
        {t(`work.${key}`)} ({items.length})
      </h3>
      {items.length === 0 ? (
        <p className="muted">{t('empty')}</p>
      ) : (
        <ul className="arrivals">{items.map(row)}</ul>
      )}
    </section>
  );
  return (
    <section className="card" data-testid="work-list">
      <div className="card-head">
        <h2>
          {t('work.title')} {work ? `· ${work.date}` : ''}
        </h2>
        <button type="button" className="link" onClick={onRefresh} data-testid="arrivals-refresh">
          {t('refresh')}
        </button>
      </div>
      <ProblemView error={error} />
      {work ? (
        <>
          <dl className="figures" data-testid="work-totals">
            <div>
              <dt>{t('work.received')}</dt>
              <dd>
                {work.totals.received} · {work.totals.receivedUnits} {t('unitTai')} · ¥
                {fenToYuan(work.totals.paidFen ?? 0)}
              </dd>
            </div>
            <div>
              <dt>{t('work.toSort')}</dt>
              <dd data-testid="work-to-sort">
                {work.totals.unitsToSort} {t('unitTai')}
              </dd>
            </div>
            <div>
              <dt>{t('work.toDispatch')}</dt>
              <dd data-testid="work-to-dispatch">
                {work.totals.unitsToDispatch} {t('unitTai')}
              </dd>
            </div>
          </dl>
          {section('toReceive', work.toReceive)}
          {section('due', work.due)}
          {section('upcoming', work.upcoming)}
          <section className="work-section" data-testid="work-to-sort-list">
            <h3>
              {t('work.toSort')} ({work.toSort.length})
            </h3>
            <ul className="arrivals">
              {work.toSort.map((w) => (
                <li key={w.intakeId}>
                  {w.intakeId} · {w.receivedOn}
                  <div className="muted">
                    {w.lines
                      .map(
                        (l) =>
                          `${codeName('applianceCategories', l.category)} ${l.units - l.sorted}/${l.units}`,
                      )
                      .join('，')}
                  </div>
                  <button
                    type="button"
                    onClick={() => onEdit(w.intakeId, 'sort')}
                    data-testid={`sort-${w.intakeId}`}
                  >
                    {t('sorting')}
                  </button>
                </li>
              ))}
            </ul>
          </section>
          <section className="work-section" data-testid="work-to-dispatch-list">
            <h3>
              {t('work.toDispatch')} ({work.toDispatch.length})
            </h3>
            <ul className="arrivals">
              {work.toDispatch.map((w) => (
                <li key={w.intakeId}>
                  {w.intakeId} · {w.receivedOn}
                  <div className="muted">
                    {w.lines
                      .map(
                        (l) =>
                          `${codeName('applianceCategories', l.category)} ${l.sorted - l.dispatched} ${t('unitTai')}`,
                      )
                      .join('，')}
                  </div>
                </li>
              ))}
            </ul>
            {work.toDispatch.length > 0 ? <p className="muted">{t('work.dispatchBelow')}</p> : null}
          </section>
          <section className="work-section" data-testid="work-received">
            <h3>
              {t('work.received')} ({work.received.length})
            </h3>
            <ul className="arrivals">
              {work.received.map((r) => (
                <li key={r.intakeId} data-testid={`received-${r.intakeId}`}>
                  {r.intakeId} · {r.seller} · {r.units} {t('unitTai')} · {gramsToKg(r.weightGrams)} kg · ¥
                  {fenToYuan(r.paidFen)}
                  {r.pickupId ? <div className="muted">{r.pickupId}</div> : null}
                </li>
              ))}
            </ul>
          </section>
        </>
      ) : null}
    </section>
  );
}
