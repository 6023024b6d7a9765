// A public institution's disposal desk (公共机构资产处置): its batches and each asset's fate; a batch
// registered with the approval, the handover and the assets (the minimum service life of each
// category explained, and checked as the assets are entered, so an early scrapping asks for its
// approval before the service refuses it); a batch followed through collection, receipt with its
// differences, handovers, certificates, proceeds to the treasury and its close, with what still
// blocks the close. The batch looked at is in the address; everything lives on the server.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, Route, Routes, useNavigate, useParams } from 'react-router';
import { Field } from '../../components/Field';
import { ProblemView } from '../../components/ProblemView';
import { api, asList } from '../../lib/api';
import { useApp, type Label } from '../../lib/context';
import { fieldLabel } from '../../lib/errors';
import { fenToYuan, gramsToKg, localDate, localDateTime, yuanToFen } from '../../lib/units';
import { useLoad } from '../../lib/use-load';
import { StepTracker, type TrackStep } from '../common/StepTracker';
import { useText } from '../common/text';
import '../common/common.css';
import '../common/desk.css';
import { institutionText } from './text';

type Tx = ReturnType<typeof useText<typeof institutionText>>;

export interface DisposalRules {
  modes: Array<{
    code: string;
    name: Label;
    physicalHandover: boolean;
    proceedsToTreasury: boolean;
    minimumLifeApplies: boolean;
  }>;
  assetCategories: Array<{
    code: string;
    name: Label;
    minimumServiceLife: { years: number; orPages?: number };
    dataBearing: boolean;
  }>;
  receivers: Array<{ code: string; name: Label }>;
  treasury: { name: Label };
}

export interface Asset {
  assetCardNo: string;
  category: string;
  categoryName: Label;
  model?: string;
  serialNo?: string;
  acquisitionDate: string;
  originalValueFen: number;
  mode: string;
  modeName: Label;
  classified: boolean;
  fate: 'registered' | 'received' | 'missing' | 'handed-over' | 'written-off';
  received?: { weightGrams: number; serialFound?: string; categoryFound: string };
  handover?: { receiverCode: string; receiverName: Label; at: string };
  certificate?: { kind: 'wipe' | 'destruction'; certificateNo: string; issuedOn: string };
}

export interface Batch {
  batchId: string;
  institution: { creditCode: string; name: string };
  approval: { documentNo: string; authority: string };
  handover: { method: 'collection' | 'delivery'; stationId: string; date: string; address?: string };
  status: 'registered' | 'collected' | 'received' | 'closed' | 'cancelled';
  assets: Asset[];
  receipt?: {
    at: string;
    differences: Array<{ kind: string; assetCardNo?: string; expected?: string; found?: string }>;
    extras: Array<{ assetCardNo?: string; category: string; serialNo?: string; weightGrams: number }>;
    acknowledged?: { note: string; at: string };
  };
  proceeds: {
    payeeName: Label;
    totalFen: number;
    entries: Array<{ amountFen: number; voucherNo: string; paidOn: string }>;
  };
  history: Array<{ event: string; at: string; by: { role: string; id: string }; note?: string }>;
  closeBlockers: Array<{ code: string; assetCardNos?: string[] }>;
}

const BLOCKERS = [
  'not-received',
  'differences-not-acknowledged',
  'assets-not-handed-over',
  'classified-certificate-missing',
  'proceeds-missing',
] as const;
const DIFFERENCES = ['missing', 'extra', 'serial-mismatch', 'category-mismatch'] as const;
const oneOf = <T extends string>(list: readonly T[], v: string): v is T =>
  (list as readonly string[]).includes(v);

function useScope() {
  const { session } = useApp();
  return session?.principal.scope ?? '';
}

export default function Institution() {
  return (
    <Routes>
      <Route index element={<Batches />} />
      <Route path="new" element={<Register />} />
      <Route path="batches/:batchId" element={<BatchPage />} />
    </Routes>
  );
}

function Batches() {
  const tx = useText(institutionText);
  const { t, l } = useApp();
  const code = useScope();
  const institution = useLoad(
    (signal) => api<{ name: string }>('disposals', `institutions/${encodeURIComponent(code)}`, { signal }),
    [code],
  );
  const batches = useLoad(
    (signal) =>
      api<{ items: Batch[] }>('disposals', `institutions/${encodeURIComponent(code)}/disposal-batches`, {
        signal,
      }).then((r) => r.items),
    [code],
  );
  return (
    <section data-testid="institution">
      <div className="card">
        <h1>
          {tx('title')}
          {institution.data ? ` · ${institution.data.name}` : ''}
        </h1>
        <ProblemView error={institution.error} />
        <Link className="button primary" to="/institution/new" data-testid="batch-register">
          {tx('register')}
        </Link>
      </div>
      <div className="card">
        <div className="card-head">
          <h2>{tx('batches')}</h2>
          <button type="button" className="link" onClick={batches.reload}>
            {t('refresh')}
          </button>
        </div>
        <ProblemView error={batches.error} />
        {batches.data?.length === 0 ? <p className="muted">{tx('none')}</p> : null}
        {batches.data && batches.data.length > 0 ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{tx('batchNo')}</th>
                  <th>{tx('approval')}</th>
                  <th>{tx('handover')}</th>
                  <th>{tx('assets')}</th>
                  <th>{tx('status')}</th>
                </tr>
              </thead>
              <tbody>
                {batches.data.map((b) => (
                  <tr key={b.batchId} data-testid={`batch-${b.batchId}`}>
                    <td>
                      <Link to={`/institution/batches/${encodeURIComponent(b.batchId)}`}>{b.batchId}</Link>
                    </td>
                    <td>{b.approval.documentNo}</td>
                    <td>
                      {tx(`method.${b.handover.method}`)} · {b.handover.date}
                    </td>
                    <td>
                      {tx('assetCount', { n: b.assets.length })}
                      <div className="muted">
                        {[...new Set(b.assets.map((a) => l(a.categoryName)))].join('、')}
                      </div>
                    </td>
                    <td>
                      <span className={`badge batch-${b.status}`}>{tx(`status.${b.status}`)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
      <AssetLookup />
    </section>
  );
}

function AssetLookup() {
  const tx = useText(institutionText);
  const code = useScope();
  const [card, setCard] = useState('');
  const [error, setError] = useState<unknown>();
  const [found, setFound] = useState<{ batchId: string; asset: Asset }>();
  const find = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setFound(undefined);
    try {
      setFound(
        await api(
          'disposals',
          `institutions/${encodeURIComponent(code)}/assets/${encodeURIComponent(card.trim())}`,
        ),
      );
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card" onSubmit={find}>
      <h2>{tx('lookup.title')}</h2>
      <div className="inline-form">
        <Field label={tx('lookup.card')}>
          <input name="assetCardNo" value={card} onChange={(e) => setCard(e.target.value)} />
        </Field>
        <button type="submit" className="primary" disabled={!card.trim()}>
          {tx('lookup.find')}
        </button>
      </div>
      <ProblemView error={error} />
      {found ? (
        <p role="status">
          <Link to={`/institution/batches/${encodeURIComponent(found.batchId)}`}>
            {tx('lookup.result', { batch: found.batchId, fate: tx(`fate.${found.asset.fate}`) })}
          </Link>
        </p>
      ) : null}
    </form>
  );
}

/** The same date arithmetic as the service: the anniversary, the last day of a shorter month. */
function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const lastDay = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

interface AssetRow {
  assetCardNo: string;
  category: string;
  model: string;
  serialNo: string;
  acquisitionDate: string;
  value: string;
  mode: string;
  classified: boolean;
  pageCount: string;
  earlyNo: string;
  earlyBy: string;
}

const emptyAsset = (category = '', mode = 'scrapping'): AssetRow => ({
  assetCardNo: '',
  category,
  model: '',
  serialNo: '',
  acquisitionDate: '',
  value: '',
  mode,
  classified: false,
  pageCount: '',
  earlyNo: '',
  earlyBy: '',
});

/** Whether scrapping this asset today needs an early-scrapping approval, in words. */
function lifeCheck(
  a: AssetRow,
  rules: DisposalRules,
  today: string,
  tx: Tx,
): { early: boolean; text: string } | undefined {
  const mode = rules.modes.find((m) => m.code === a.mode);
  const category = rules.assetCategories.find((c) => c.code === a.category);
  if (!mode || !category || !/^\d{4}-\d{2}-\d{2}$/.test(a.acquisitionDate)) return undefined;
  if (!mode.minimumLifeApplies) return { early: false, text: tx('life.notApplies') };
  const life = category.minimumServiceLife;
  const until = addYears(a.acquisitionDate, life.years);
  if (until <= today) return { early: false, text: tx('life.ok', { years: life.years }) };
  const pages = Number(a.pageCount);
  if (life.orPages !== undefined && a.pageCount.trim() && pages >= life.orPages)
    return { early: false, text: tx('life.pagesOk', { pages }) };
  return { early: true, text: tx('life.early', { date: a.acquisitionDate, until, years: life.years }) };
}

function Register() {
  const tx = useText(institutionText);
  const { t, l, lang, reference } = useApp();
  const code = useScope();
  const navigate = useNavigate();
  const today = localDate(reference?.city.timezone ?? 'Asia/Shanghai');
  const rules = useLoad((signal) => api<DisposalRules>('disposals', 'disposal-rules', { signal }), []);
  const stations = useLoad(
    (signal) =>
      api<unknown>('pickup', 'sites', { query: { kind: 'station' }, signal })
        .then((r) =>
          asList<{ siteId: string; name: Label; active: boolean }>(r, 'items').filter((s) => s.active),
        )
        .catch(() => []),
    [],
  );
  const [approval, setApproval] = useState({ documentNo: '', authority: '' });
  const [handover, setHandover] = useState({ method: 'collection', stationId: '', date: today, address: '' });
  const [assets, setAssets] = useState<AssetRow[]>([emptyAsset()]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const problem = useRef<HTMLDivElement>(null);
  const r = rules.data;
  const label = (field: string) => fieldLabel(field, lang) ?? field;
  const setAsset = (i: number, patch: Partial<AssetRow>) =>
    setAssets((rows) => rows.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  const firstCategory = r?.assetCategories[0]?.code ?? '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = {
        approval: { documentNo: approval.documentNo.trim(), authority: approval.authority.trim() },
        handover: {
          method: handover.method,
          stationId: handover.stationId.trim(),
          date: handover.date,
          ...(handover.method === 'collection' && handover.address.trim()
            ? { address: handover.address.trim() }
            : {}),
        },
        assets: assets.map((a) => ({
          assetCardNo: a.assetCardNo.trim(),
          category: a.category || firstCategory,
          ...(a.model.trim() ? { model: a.model.trim() } : {}),
          ...(a.serialNo.trim() ? { serialNo: a.serialNo.trim() } : {}),
          acquisitionDate: a.acquisitionDate,
          originalValueFen: yuanToFen(a.value) ?? a.value,
          mode: a.mode,
          classified: a.classified,
          ...(a.pageCount.trim() ? { pageCount: Number(a.pageCount) } : {}),
          ...(a.earlyNo.trim() || a.earlyBy.trim()
            ? { earlyScrapApproval: { documentNo: a.earlyNo.trim(), authority: a.earlyBy.trim() } }
            : {}),
        })),
      };
      const batch = await api<Batch>(
        'disposals',
        `institutions/${encodeURIComponent(code)}/disposal-batches`,
        {
          body,
        },
      );
      void navigate(`/institution/batches/${encodeURIComponent(batch.batchId)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
      setTimeout(() => problem.current?.focus(), 0);
    }
  };

  return (
    <section data-testid="batch-new">
      <Link className="button" to="/institution">
        {tx('back')}
      </Link>
      <h1>{tx('register')}</h1>
      <ProblemView error={rules.error} />
      {r ? (
        <details className="card" open data-testid="disposal-rules">
          <summary>{tx('rules.title')}</summary>
          <p>{tx('rules.life')}</p>
          <div className="table-wrap">
            <table>
              <caption className="muted">{tx('rules.lifeTable')}</caption>
              <tbody>
                {r.assetCategories.map((c) => (
                  <tr key={c.code}>
                    <td>{l(c.name)}</td>
                    <td>
                      {c.minimumServiceLife.orPages
                        ? tx('rules.orPages', {
                            n: c.minimumServiceLife.years,
                            pages: c.minimumServiceLife.orPages,
                          })
                        : tx('rules.years', { n: c.minimumServiceLife.years })}
                    </td>
                    <td className="muted">{c.dataBearing ? tx('rules.dataBearing') : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>{tx('rules.classified')}</p>
          <p>{tx('rules.treasury', { treasury: l(r.treasury.name) })}</p>
          <p>
            <b>{tx('rules.modes')}：</b>
            {r.modes
              .map(
                (m) =>
                  `${l(m.name)}（${[
                    m.physicalHandover ? tx('mode.physical') : '',
                    m.proceedsToTreasury ? tx('mode.proceeds') : '',
                    m.minimumLifeApplies ? tx('mode.lifeApplies') : '',
                  ]
                    .filter(Boolean)
                    .join('，')}）`,
              )
              .join('；')}
          </p>
        </details>
      ) : null}
      <form className="card" onSubmit={submit} noValidate data-testid="batch-form">
        <fieldset>
          <legend>{tx('form.approval')}</legend>
          <div className="row">
            <Field
              label={label('approval.documentNo')}
              field="approval.documentNo"
              error={error}
              hint={tx('tip.documentNo')}
            >
              <input
                name="approval.documentNo"
                value={approval.documentNo}
                onChange={(e) => setApproval({ ...approval, documentNo: e.target.value })}
              />
            </Field>
            <Field label={label('approval.authority')} field="approval.authority" error={error}>
              <input
                name="approval.authority"
                value={approval.authority}
                onChange={(e) => setApproval({ ...approval, authority: e.target.value })}
              />
            </Field>
          </div>
        </fieldset>
        <fieldset>
          <legend>{tx('form.handover')}</legend>
          <div className="row">
            <Field label={label('handover.method')} field="handover.method" error={error}>
              <select
                name="handover.method"
                value={handover.method}
                onChange={(e) => setHandover({ ...handover, method: e.target.value })}
              >
                <option value="collection">{tx('method.collection')}</option>
                <option value="delivery">{tx('method.delivery')}</option>
              </select>
            </Field>
            <Field label={label('handover.stationId')} field="handover.stationId" error={error}>
              {stations.data && stations.data.length > 0 ? (
                <select
                  name="handover.stationId"
                  value={handover.stationId}
                  onChange={(e) => setHandover({ ...handover, stationId: e.target.value })}
                >
                  <option value="">{t('pickOne')}</option>
                  {stations.data.map((s) => (
                    <option key={s.siteId} value={s.siteId}>
                      {l(s.name)}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  name="handover.stationId"
                  value={handover.stationId}
                  placeholder={tx('tip.stationId')}
                  onChange={(e) => setHandover({ ...handover, stationId: e.target.value })}
                />
              )}
            </Field>
            <Field
              label={label('handover.date')}
              field="handover.date"
              error={error}
              hint={tx('tip.station')}
            >
              <input
                type="date"
                name="handover.date"
                value={handover.date}
                min={today}
                onChange={(e) => setHandover({ ...handover, date: e.target.value })}
              />
            </Field>
          </div>
          {handover.method === 'collection' ? (
            <Field label={label('handover.address')} field="handover.address" error={error}>
              <input
                name="handover.address"
                value={handover.address}
                onChange={(e) => setHandover({ ...handover, address: e.target.value })}
              />
            </Field>
          ) : null}
        </fieldset>
        <fieldset>
          <legend>{tx('form.assets')}</legend>
          {assets.map((a, i) => {
            const check = r
              ? lifeCheck({ ...a, category: a.category || firstCategory }, r, today, tx)
              : undefined;
            const category = r?.assetCategories.find((c) => c.code === (a.category || firstCategory));
            const at = (name: string) => `assets.${i}.${name}`;
            return (
              <div className="asset-row" key={i} data-testid={`asset-${i}`}>
                <div className="card-head">
                  <h3>{tx('form.asset', { n: i + 1 })}</h3>
                  {assets.length > 1 ? (
                    <button
                      type="button"
                      className="link"
                      onClick={() => setAssets(assets.filter((_, j) => j !== i))}
                    >
                      {tx('form.removeAsset')}
                    </button>
                  ) : null}
                </div>
                <div className="row">
                  <Field label={label('assets.0.assetCardNo')} field={at('assetCardNo')} error={error}>
                    <input
                      name={at('assetCardNo')}
                      value={a.assetCardNo}
                      onChange={(e) => setAsset(i, { assetCardNo: e.target.value })}
                    />
                  </Field>
                  <Field label={label('assets.0.category')} field={at('category')} error={error}>
                    <select
                      name={at('category')}
                      value={a.category || firstCategory}
                      onChange={(e) => setAsset(i, { category: e.target.value })}
                    >
                      {(r?.assetCategories ?? []).map((c) => (
                        <option key={c.code} value={c.code}>
                          {l(c.name)}
                        </option>
                      ))}
                    </select>
                  </Field>
                  <Field label={label('assets.0.mode')} field={at('mode')} error={error}>
                    <select
                      name={at('mode')}
                      value={a.mode}
                      onChange={(e) => setAsset(i, { mode: e.target.value })}
                    >
                      {(r?.modes ?? []).map((m) => (
                        <option key={m.code} value={m.code}>
                          {l(m.name)}
                        </option>
                      ))}
                    </select>
                  </Field>
                </div>
                <div className="row">
                  <Field
                    label={`${label('assets.0.model')}${t('optional')}`}
                    field={at('model')}
                    error={error}
                  >
                    <input
                      name={at('model')}
                      value={a.model}
                      onChange={(e) => setAsset(i, { model: e.target.value })}
                    />
                  </Field>
                  <Field
                    label={`${label('assets.0.serialNo')}${t('optional')}`}
                    field={at('serialNo')}
                    error={error}
                  >
                    <input
                      name={at('serialNo')}
                      value={a.serialNo}
                      onChange={(e) => setAsset(i, { serialNo: e.target.value })}
                    />
                  </Field>
                  <Field
                    label={label('assets.0.acquisitionDate')}
                    field={at('acquisitionDate')}
                    error={error}
                  >
                    <input
                      type="date"
                      name={at('acquisitionDate')}
                      value={a.acquisitionDate}
                      max={today}
                      onChange={(e) => setAsset(i, { acquisitionDate: e.target.value })}
                    />
                  </Field>
                  <Field
                    label={label('assets.0.originalValueFen')}
                    field={at('originalValueFen')}
                    error={error}
                    hint={tx('tip.value')}
                  >
                    <input
                      name={at('originalValueFen')}
                      inputMode="decimal"
                      value={a.value}
                      onChange={(e) => setAsset(i, { value: e.target.value })}
                    />
                  </Field>
                  {category?.minimumServiceLife.orPages ? (
                    <Field
                      label={`${label('assets.0.pageCount')}${t('optional')}`}
                      field={at('pageCount')}
                      error={error}
                    >
                      <input
                        name={at('pageCount')}
                        inputMode="numeric"
                        value={a.pageCount}
                        onChange={(e) => setAsset(i, { pageCount: e.target.value })}
                      />
                    </Field>
                  ) : null}
                </div>
                <label className="check">
                  <input
                    type="checkbox"
                    name={at('classified')}
                    checked={a.classified}
                    onChange={(e) => setAsset(i, { classified: e.target.checked })}
                  />
                  {label('assets.0.classified')}
                </label>
                {check ? (
                  <p
                    className={`life-check ${check.early ? 'warning' : 'muted'}`}
                    data-testid={`life-${i}`}
                    role="status"
                  >
                    {check.text}
                  </p>
                ) : null}
                {check?.early || a.earlyNo || a.earlyBy ? (
                  <div className="row" data-field-anchor={at('earlyScrapApproval')}>
                    <Field
                      label={label('assets.0.earlyScrapApproval.documentNo')}
                      field={at('earlyScrapApproval')}
                      error={error}
                      hint={tx('tip.documentNo')}
                    >
                      <input
                        name={at('earlyScrapApproval.documentNo')}
                        value={a.earlyNo}
                        onChange={(e) => setAsset(i, { earlyNo: e.target.value })}
                      />
                    </Field>
                    <Field
                      label={label('assets.0.earlyScrapApproval.authority')}
                      field={at('earlyScrapApproval.authority')}
                      error={error}
                    >
                      <input
                        name={at('earlyScrapApproval.authority')}
                        value={a.earlyBy}
                        onChange={(e) => setAsset(i, { earlyBy: e.target.value })}
                      />
                    </Field>
                  </div>
                ) : null}
              </div>
            );
          })}
          <button
            type="button"
            onClick={() => setAssets([...assets, emptyAsset(firstCategory, assets.at(-1)?.mode)])}
          >
            {tx('form.addAsset')}
          </button>
        </fieldset>
        <ProblemView error={error} ref={problem} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !r} data-testid="batch-submit">
            {busy ? t('sending') : tx('form.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

const STEP_EVENT = {
  registered: 'registered',
  collected: 'collect',
  received: 'receive',
  closed: 'close',
} as const;
type BatchStep = keyof typeof STEP_EVENT;
const EVENTS = [
  'registered',
  'collect',
  'receive',
  'cancel',
  'hand-over',
  'certify',
  'pay',
  'acknowledge',
  'close',
] as const;

function batchSteps(b: Batch, tx: Tx, time: (iso: string) => string): TrackStep[] {
  const at = (event: string) => {
    const found = b.history.find((h) => h.event === event)?.at;
    return found ? time(found) : undefined;
  };
  const order: BatchStep[] = [
    'registered',
    ...(b.handover.method === 'collection' ? (['collected'] as const) : []),
    'received',
    'closed',
  ];
  if (b.status === 'cancelled') {
    return [
      { key: 'registered', label: tx('track.registered'), state: 'done', time: at('registered') },
      { key: 'cancelled', label: tx('track.cancelled'), state: 'closed', time: at('cancel') },
    ];
  }
  const reached = order.indexOf(b.status as BatchStep);
  return order.map((s, i) => ({
    key: s,
    label: tx(`track.${s}`),
    state: i < reached || (i === reached && s === 'closed') ? 'done' : i === reached ? 'current' : 'todo',
    time: i <= reached ? at(STEP_EVENT[s]) : undefined,
  }));
}

function BatchPage() {
  const { batchId = '' } = useParams();
  const tx = useText(institutionText);
  const { t, l, td, lang, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const time = (iso: string) => (iso ? localDateTime(iso, tz) : '');
  const today = localDate(tz);
  const heading = useRef<HTMLHeadingElement>(null);
  const problem = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [note, setNote] = useState('');
  const [proceeds, setProceeds] = useState({ amount: '', voucherNo: '', paidOn: today });
  const [cert, setCert] = useState({
    kind: 'destruction',
    certificateNo: '',
    issuedOn: today,
    assets: [] as string[],
  });
  const [reason, setReason] = useState('');
  const batch = useLoad(
    (signal) => api<Batch>('disposals', `disposal-batches/${encodeURIComponent(batchId)}`, { signal }),
    [batchId],
  );
  const rules = useLoad((signal) => api<DisposalRules>('disposals', 'disposal-rules', { signal }), []);
  useEffect(() => {
    if (batch.data) heading.current?.focus();
  }, [batch.data?.batchId, notice]);
  const b = batch.data;
  const label = (field: string) => fieldLabel(field, lang) ?? field;

  const act = async (step: string, body: object, done: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await api<Batch>('disposals', `disposal-batches/${encodeURIComponent(batchId)}/${step}`, { body });
      setNotice(done);
      batch.reload();
    } catch (err) {
      setError(err);
      setTimeout(() => problem.current?.focus(), 0);
    } finally {
      setBusy(false);
    }
  };

  if (!b) {
    return (
      <section className="card">
        <Link className="button" to="/institution">
          {tx('back')}
        </Link>
        <ProblemView error={batch.error} />
        {batch.loading ? <p className="muted">{t('loading')}</p> : null}
      </section>
    );
  }
  const open = b.status !== 'closed' && b.status !== 'cancelled';
  const needsCert = b.assets.filter((a) => a.classified && a.fate === 'handed-over' && !a.certificate);
  const withProceeds = rules.data
    ? b.assets.some((a) => rules.data!.modes.find((m) => m.code === a.mode)?.proceedsToTreasury)
    : false;
  const blockerText = (code: string, assets?: string[]) =>
    oneOf(BLOCKERS, code) ? tx(`blocker.${code}`, { assets: (assets ?? []).join('、') }) : code;

  return (
    <section data-testid="batch-page" data-status={b.status}>
      <div className="card">
        <Link className="button" to="/institution">
          {tx('back')}
        </Link>
        <h1 ref={heading} tabIndex={-1}>
          {tx('batch.title', { id: b.batchId })}
        </h1>
        <p className={`badge batch-${b.status}`} data-testid="batch-status">
          {tx(`status.${b.status}`)}
        </p>
        {notice ? (
          <p className="notice" role="status" data-testid="batch-notice">
            {notice}
          </p>
        ) : null}
        <StepTracker steps={batchSteps(b, tx, time)} />
        <dl className="facts">
          <div>
            <dt>{tx('approval')}</dt>
            <dd>
              {b.approval.documentNo} · {b.approval.authority}
            </dd>
          </div>
          <div>
            <dt>{tx('handover')}</dt>
            <dd>
              {tx(`method.${b.handover.method}`)} · {b.handover.stationId} · {b.handover.date}
              {b.handover.address ? ` · ${b.handover.address}` : ''}
            </dd>
          </div>
        </dl>
        <ProblemView error={error} ref={problem} />
        {open ? (
          b.closeBlockers.length > 0 ? (
            <div className="warning" data-testid="close-blockers">
              <b>{tx('batch.cannotClose')}</b>
              <ul className="plain-list">
                {b.closeBlockers.map((x) => (
                  <li key={x.code} data-blocker={x.code}>
                    {blockerText(x.code, x.assetCardNos)}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <div className="panel">
              <p>{tx('batch.canClose')}</p>
              <button
                type="button"
                className="primary"
                disabled={busy}
                data-testid="batch-close"
                onClick={() => void act('close', {}, tx('closed'))}
              >
                {tx('close')}
              </button>
            </div>
          )
        ) : null}
      </div>

      <div className="card">
        <h2>{tx('assets.title')}</h2>
        <div className="table-wrap">
          <table data-testid="batch-assets">
            <thead>
              <tr>
                <th>{tx('asset.card')}</th>
                <th>{tx('asset.what')}</th>
                <th>{tx('asset.mode')}</th>
                <th>{tx('asset.fate')}</th>
                <th>{tx('asset.receiver')}</th>
                <th>{tx('asset.certificate')}</th>
              </tr>
            </thead>
            <tbody>
              {b.assets.map((a) => (
                <tr key={a.assetCardNo} data-testid={`asset-${a.assetCardNo}`} data-fate={a.fate}>
                  <td>{a.assetCardNo}</td>
                  <td>
                    {l(a.categoryName)} {a.model ?? ''}
                    <div className="muted">
                      {[a.serialNo, a.acquisitionDate, `${fenToYuan(a.originalValueFen)}`]
                        .filter(Boolean)
                        .join(' · ')}
                      {a.classified ? ` · ${tx('asset.classified')}` : ''}
                    </div>
                  </td>
                  <td>{l(a.modeName)}</td>
                  <td>
                    {tx(`fate.${a.fate}`)}
                    {a.received ? (
                      <div className="muted">
                        {tx('asset.received', { kg: gramsToKg(a.received.weightGrams) })}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    {a.handover ? (
                      <>
                        {l(a.handover.receiverName)}
                        <div className="muted">{time(a.handover.at)}</div>
                      </>
                    ) : (
                      ''
                    )}
                  </td>
                  <td>
                    {a.certificate
                      ? `${tx(`cert.kind.${a.certificate.kind}`)} ${a.certificate.certificateNo}`
                      : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>

      {b.receipt ? (
        <div className="card" data-testid="batch-differences">
          <h2>{tx('diff.title')}</h2>
          {b.receipt.differences.length === 0 ? <p className="muted">{tx('diff.none')}</p> : null}
          {b.receipt.differences.length > 0 ? (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{tx('asset.card')}</th>
                    <th>{tx('status')}</th>
                    <th>{tx('diff.expected')}</th>
                    <th>{tx('diff.found')}</th>
                  </tr>
                </thead>
                <tbody>
                  {b.receipt.differences.map((d, i) => (
                    <tr key={i}>
                      <td>{d.assetCardNo ?? ''}</td>
                      <td>{oneOf(DIFFERENCES, d.kind) ? tx(`diff.${d.kind}`) : d.kind}</td>
                      <td>{d.expected ?? ''}</td>
                      <td>{d.found ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {b.receipt.acknowledged ? (
            <p>{tx('diff.acknowledged', { note: b.receipt.acknowledged.note })}</p>
          ) : null}
          {b.receipt.differences.length > 0 && !b.receipt.acknowledged && open ? (
            <form
              className="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                void act('differences/acknowledge', { note: note.trim() }, tx('saved'));
              }}
            >
              <Field label={tx('diff.explain')} field="note" error={error} hint={tx('diff.explainHint')}>
                <input name="note" value={note} onChange={(e) => setNote(e.target.value)} />
              </Field>
              <button type="submit" className="primary" disabled={busy || !note.trim()}>
                {tx('diff.explain')}
              </button>
            </form>
          ) : null}
        </div>
      ) : null}

      {needsCert.length > 0 && open ? (
        <form
          className="card"
          data-testid="batch-certificate"
          onSubmit={(e) => {
            e.preventDefault();
            void act(
              'certificates',
              {
                kind: cert.kind,
                certificateNo: cert.certificateNo.trim(),
                issuedOn: cert.issuedOn,
                assetCardNos: cert.assets.length > 0 ? cert.assets : needsCert.map((a) => a.assetCardNo),
              },
              tx('saved'),
            );
          }}
        >
          <h2>{tx('cert.title')}</h2>
          <p className="muted">{tx('cert.what')}</p>
          <div className="row">
            <Field label={label('kind')} field="kind" error={error}>
              <select
                name="kind"
                value={cert.kind}
                onChange={(e) => setCert({ ...cert, kind: e.target.value })}
              >
                <option value="destruction">{tx('cert.kind.destruction')}</option>
                <option value="wipe">{tx('cert.kind.wipe')}</option>
              </select>
            </Field>
            <Field label={label('certificateNo')} field="certificateNo" error={error}>
              <input
                name="certificateNo"
                value={cert.certificateNo}
                onChange={(e) => setCert({ ...cert, certificateNo: e.target.value })}
              />
            </Field>
            <Field label={label('issuedOn')} field="issuedOn" error={error}>
              <input
                type="date"
                name="issuedOn"
                value={cert.issuedOn}
                max={today}
                onChange={(e) => setCert({ ...cert, issuedOn: e.target.value })}
              />
            </Field>
          </div>
          <fieldset>
            <legend>{label('assetCardNos')}</legend>
            {needsCert.map((a) => (
              <label className="check" key={a.assetCardNo}>
                <input
                  type="checkbox"
                  checked={cert.assets.length === 0 || cert.assets.includes(a.assetCardNo)}
                  onChange={(e) => {
                    const all = cert.assets.length === 0 ? needsCert.map((x) => x.assetCardNo) : cert.assets;
                    setCert({
                      ...cert,
                      assets: e.target.checked
                        ? [...all, a.assetCardNo]
                        : all.filter((x) => x !== a.assetCardNo),
                    });
                  }}
                />
                {a.assetCardNo} {l(a.categoryName)}
              </label>
            ))}
          </fieldset>
          <button type="submit" className="primary" disabled={busy || !cert.certificateNo.trim()}>
            {tx('cert.record')}
          </button>
        </form>
      ) : null}

      {withProceeds ? (
        <div className="card" data-testid="batch-proceeds">
          <h2>{tx('proceeds.title')}</h2>
          <p>
            {tx('proceeds.what', {
              treasury: l(b.proceeds.payeeName),
              total: fenToYuan(b.proceeds.totalFen),
            })}
          </p>
          {b.proceeds.entries.length > 0 ? (
            <ul className="plain-list">
              {b.proceeds.entries.map((p) => (
                <li key={p.voucherNo}>
                  {p.paidOn} · {p.voucherNo} · {fenToYuan(p.amountFen)}
                </li>
              ))}
            </ul>
          ) : null}
          {b.status === 'received' ? (
            <form
              className="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                void act(
                  'proceeds',
                  {
                    amountFen: yuanToFen(proceeds.amount) ?? proceeds.amount,
                    voucherNo: proceeds.voucherNo.trim(),
                    paidOn: proceeds.paidOn,
                  },
                  tx('saved'),
                );
              }}
            >
              <Field label={label('amountFen')} field="amountFen" error={error}>
                <input
                  name="amountFen"
                  inputMode="decimal"
                  value={proceeds.amount}
                  onChange={(e) => setProceeds({ ...proceeds, amount: e.target.value })}
                />
              </Field>
              <Field label={label('voucherNo')} field="voucherNo" error={error}>
                <input
                  name="voucherNo"
                  value={proceeds.voucherNo}
                  onChange={(e) => setProceeds({ ...proceeds, voucherNo: e.target.value })}
                />
              </Field>
              <Field label={label('paidOn')} field="paidOn" error={error}>
                <input
                  type="date"
                  name="paidOn"
                  value={proceeds.paidOn}
                  max={today}
                  onChange={(e) => setProceeds({ ...proceeds, paidOn: e.target.value })}
                />
              </Field>
              <button
                type="submit"
                className="primary"
                disabled={busy || !proceeds.amount.trim() || !proceeds.voucherNo.trim()}
              >
                {tx('proceeds.record')}
              </button>
            </form>
          ) : null}
        </div>
      ) : null}

      {b.status === 'registered' || b.status === 'collected' ? (
        <form
          className="card inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act('cancel', { reason: reason.trim() }, tx('track.cancelled'));
          }}
        >
          <h2>{tx('cancel')}</h2>
          <p className="muted">{tx('cancel.what')}</p>
          <Field label={label('reason')} field="reason" error={error}>
            <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <button type="submit" className="danger" disabled={busy || !reason.trim()}>
            {tx('cancel.confirm')}
          </button>
        </form>
      ) : null}

      <details className="card">
        <summary>{tx('history')}</summary>
        <ul className="history">
          {b.history.map((h, i) => (
            <li key={i}>
              {time(h.at)} · {oneOf(EVENTS, h.event) ? tx(`event.${h.event}`) : h.event} ·{' '}
              {td(`role.${h.by.role}`, h.by.role)} {h.by.id}
              {h.note ? ` · ${h.note}` : ''}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
