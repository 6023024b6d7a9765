// A remanufacturer's desk (再制造): the month's cores and products; a core received from a lawful
// source only (a dismantler's coded assembly with the vehicle's certificate, or a station's intake line
// sorted to remanufacturing) with its intake check; a product started from accepted cores, checked in
// production and at release against the original new product's specification item by item, released
// only when every result is at or above the original's (with the permanent 再制造 mark and a warranty
// no shorter than the original's), shipped for a use its line allows; traces back to the vehicle or
// intake and forward to the product. The month, core or product looked at is in the address.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, Route, Routes, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { Field } from '../../components/Field';
import { ProblemView } from '../../components/ProblemView';
import { api } from '../../lib/api';
import { useApp, type Label } from '../../lib/context';
import { fieldLabel } from '../../lib/errors';
import { localDateTime, localMonth } from '../../lib/units';
import { useLoad } from '../../lib/use-load';
import { useText } from '../common/text';
import '../common/common.css';
import '../common/desk.css';
import { remanText } from './text';

type Tx = ReturnType<typeof useText<typeof remanText>>;

interface ProductLine {
  code: string;
  name: Label;
  cores: { assemblies?: string[]; intakeCategories?: string[] };
  original: { description: Label; warrantyMonths: number };
  specification: Array<{
    code: string;
    name: Label;
    unit: string;
    better: 'higher' | 'lower';
    original: number;
  }>;
  forbiddenUses: string[];
}
interface Lines {
  mark: { text: string; standard: string };
  productLines: ProductLine[];
}
interface Remanufacturer {
  remanufacturerId: string;
  name: string;
  qualification: { kind: string; number: string; validUntil: string };
  productLines: string[];
  active: boolean;
}
type Source =
  | {
      kind: 'vehicle-assembly';
      remanufacturingCode: string;
      certificateNo: string;
      assembly?: string;
      vin?: string;
    }
  | { kind: 'intake'; intakeId: string; lineId: string; category?: string };
interface Core {
  coreId: string;
  productLine: string;
  serialNo?: string;
  status: 'accepted' | 'rejected' | 'used';
  intakeCheck: { passed: boolean; note?: string };
  source: Source;
  receivedAt: string;
  productId?: string;
}
interface TestResult {
  code: string;
  value: number;
  original: number;
  better: 'higher' | 'lower';
  meets: boolean;
}
interface Product {
  productId: string;
  productLine: string;
  serialNo: string;
  coreIds: string[];
  status: 'in-production' | 'released' | 'shipped';
  checks: Array<{
    checkNo: number;
    stage: 'production' | 'release';
    results: TestResult[];
    passed: boolean;
    note?: string;
    at: string;
  }>;
  release?: {
    mark: { text: string; standard: string; makerName: string; markNo: string };
    warrantyMonths: number;
    forbiddenUses: string[];
    releasedOn: string;
    warrantyUntil: string;
  };
  shipment?: { use: string; buyer: { name: string }; at: string };
  createdAt: string;
}
type Origin =
  | {
      kind: 'vehicle';
      vin: string;
      certificateNo: string;
      dismantlerId: string;
      assembly: string;
      remanufacturingCode: string;
    }
  | { kind: 'intake'; intakeId: string; lineId: string; stationId: string; category: string };
interface ProductTrace {
  product: { productId: string; serialNo: string; status: string; markNo?: string };
  cores: Array<Core & { origin: Origin }>;
}
interface CoreTrace {
  core: Core;
  origin: Origin;
  product: { productId: string; serialNo: string; status: string; markNo?: string } | null;
}

const USES = ['replacement', 'resale', 'new-vehicle-assembly'] as const;
const useName = (use: string, tx: Tx) =>
  (USES as readonly string[]).includes(use) ? tx(`use.${use as (typeof USES)[number]}`) : use;

function useDesk() {
  const { session } = useApp();
  const id = session?.principal.scope ?? '';
  const me = useLoad(
    (signal) =>
      api<Remanufacturer>('remanufacturing', `remanufacturers/${encodeURIComponent(id)}`, { signal }),
    [id],
  );
  const lines = useLoad((signal) => api<Lines>('remanufacturing', 'remanufacturing-lines', { signal }), []);
  const mine = (lines.data?.productLines ?? []).filter((l) => me.data?.productLines.includes(l.code));
  const lineOf = (code: string) => lines.data?.productLines.find((l) => l.code === code);
  return { id, me, lines, mine, lineOf };
}
type Desk = ReturnType<typeof useDesk>;

export default function RemanufacturerDesk() {
  const desk = useDesk();
  const tx = useText(remanText);
  return (
    <section data-testid="reman-desk">
      <h1>
        {tx('title')}
        {desk.me.data ? ` · ${desk.me.data.name}` : ''}
      </h1>
      <ProblemView error={desk.me.error ?? desk.lines.error} />
      {desk.me.data && !desk.me.data.active ? <p className="warning">{tx('inactive')}</p> : null}
      <Routes>
        <Route index element={<Month desk={desk} />} />
        <Route path="cores/new" element={<ReceiveCore desk={desk} />} />
        <Route path="cores/:coreId" element={<CorePage desk={desk} />} />
        <Route path="products/new" element={<StartProduct desk={desk} />} />
        <Route path="products/:productId" element={<ProductPage desk={desk} />} />
      </Routes>
    </section>
  );
}

function useMonth() {
  const { reference } = useApp();
  const [params, setParams] = useSearchParams();
  const month = /^\d{4}-\d{2}$/.test(params.get('month') ?? '')
    ? params.get('month')!
    : localMonth(reference?.city.timezone ?? 'Asia/Shanghai');
  return { month, setMonth: (m: string) => setParams({ month: m }) };
}

function useCores(id: string, month: string) {
  return useLoad(
    (signal) =>
      id
        ? api<{ items: Core[] }>('remanufacturing', `remanufacturers/${encodeURIComponent(id)}/cores`, {
            query: { month },
            signal,
          }).then((r) => r.items)
        : Promise.resolve([] as Core[]),
    [id, month],
  );
}

function sourceText(s: Source, tx: Tx) {
  return s.kind === 'vehicle-assembly'
    ? tx('source.vehicle-assembly', { code: s.remanufacturingCode, certificate: s.certificateNo })
    : tx('source.intake', { intake: s.intakeId, line: s.lineId });
}

function Month({ desk }: { desk: Desk }) {
  const tx = useText(remanText);
  const { t, l, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const { month, setMonth } = useMonth();
  const cores = useCores(desk.id, month);
  const products = useLoad(
    (signal) =>
      desk.id
        ? api<{ items: Product[] }>(
            'remanufacturing',
            `remanufacturers/${encodeURIComponent(desk.id)}/products`,
            {
              query: { month },
              signal,
            },
          ).then((r) => r.items)
        : Promise.resolve([] as Product[]),
    [desk.id, month],
  );
  const me = desk.me.data;
  const lineName = (code: string) => l(desk.lineOf(code)?.name, code);
  return (
    <>
      {me ? (
        <div className="card">
          <dl className="facts">
            <div>
              <dt>{tx('qualification')}</dt>
              <dd>
                {me.qualification.number} · {tx('validUntil', { date: me.qualification.validUntil })}
              </dd>
            </div>
            <div>
              <dt>{tx('lines')}</dt>
              <dd>{me.productLines.map(lineName).join('、')}</dd>
            </div>
          </dl>
          <div className="actions">
            <Link className="button primary" to="/remanufacturer/cores/new" data-testid="core-new">
              {tx('receive')}
            </Link>
            <Link className="button" to="/remanufacturer/products/new" data-testid="product-new">
              {tx('start')}
            </Link>
          </div>
        </div>
      ) : null}
      <div className="card">
        <div className="filters">
          <Field label={tx('month')}>
            <input
              type="month"
              name="month"
              value={month}
              onChange={(e) => e.target.value && setMonth(e.target.value)}
            />
          </Field>
          <button
            type="button"
            className="link"
            onClick={() => {
              cores.reload();
              products.reload();
            }}
          >
            {t('refresh')}
          </button>
        </div>
        <h2>{tx('cores')}</h2>
        <ProblemView error={cores.error} />
        {cores.data?.length === 0 ? <p className="muted">{tx('none')}</p> : null}
        {cores.data && cores.data.length > 0 ? (
          <div className="table-wrap">
            <table data-testid="cores">
              <thead>
                <tr>
                  <th>{tx('coreNo')}</th>
                  <th>{tx('line')}</th>
                  <th>{tx('source')}</th>
                  <th>{tx('status')}</th>
                  <th>{tx('when')}</th>
                </tr>
              </thead>
              <tbody>
                {cores.data.map((c) => (
                  <tr key={c.coreId} data-testid={`core-${c.coreId}`}>
                    <td>
                      <Link to={`/remanufacturer/cores/${encodeURIComponent(c.coreId)}`}>{c.coreId}</Link>
                    </td>
                    <td>{lineName(c.productLine)}</td>
                    <td>{sourceText(c.source, tx)}</td>
                    <td>
                      <span className={`badge core-${c.status}`}>{tx(`coreStatus.${c.status}`)}</span>
                    </td>
                    <td>{localDateTime(c.receivedAt, tz)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <h2>{tx('products')}</h2>
        <ProblemView error={products.error} />
        {products.data?.length === 0 ? <p className="muted">{tx('none')}</p> : null}
        {products.data && products.data.length > 0 ? (
          <div className="table-wrap">
            <table data-testid="products">
              <thead>
                <tr>
                  <th>{tx('productNo')}</th>
                  <th>{tx('line')}</th>
                  <th>{tx('serial')}</th>
                  <th>{tx('status')}</th>
                </tr>
              </thead>
              <tbody>
                {products.data.map((p) => (
                  <tr key={p.productId}>
                    <td>
                      <Link to={`/remanufacturer/products/${encodeURIComponent(p.productId)}`}>
                        {p.productId}
                      </Link>
                    </td>
                    <td>{lineName(p.productLine)}</td>
                    <td>{p.serialNo}</td>
                    <td>
                      <span className={`badge product-${p.status}`}>{tx(`productStatus.${p.status}`)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
    </>
  );
}

function ReceiveCore({ desk }: { desk: Desk }) {
  const tx = useText(remanText);
  const { t, l, lang } = useApp();
  const navigate = useNavigate();
  const [line, setLine] = useState('');
  const [f, setF] = useState({
    code: '',
    certificateNo: '',
    intakeId: '',
    lineId: '',
    serialNo: '',
    passed: true,
    note: '',
  });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const problem = useRef<HTMLDivElement>(null);
  const chosen = desk.mine.find((x) => x.code === line) ?? desk.mine[0];
  const kind: Source['kind'] = chosen?.cores.assemblies?.length ? 'vehicle-assembly' : 'intake';
  const label = (field: string) => fieldLabel(field, lang) ?? field;
  const set = (patch: Partial<typeof f>) => setF((x) => ({ ...x, ...patch }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) return;
    setBusy(true);
    setError(undefined);
    try {
      const core = await api<Core>(
        'remanufacturing',
        `remanufacturers/${encodeURIComponent(desk.id)}/cores`,
        {
          body: {
            productLine: chosen.code,
            source:
              kind === 'vehicle-assembly'
                ? { kind, remanufacturingCode: f.code.trim(), certificateNo: f.certificateNo.trim() }
                : { kind, intakeId: f.intakeId.trim(), lineId: f.lineId.trim() },
            ...(f.serialNo.trim() ? { serialNo: f.serialNo.trim() } : {}),
            intakeCheck: { passed: f.passed, ...(f.note.trim() ? { note: f.note.trim() } : {}) },
          },
        },
      );
      void navigate(`/remanufacturer/cores/${encodeURIComponent(core.coreId)}`, {
        state: { received: true },
      });
    } catch (err) {
      setError(err);
      setBusy(false);
      setTimeout(() => problem.current?.focus(), 0);
    }
  };
  return (
    <form className="card" onSubmit={submit} noValidate data-testid="core-form">
      <Link className="button" to="/remanufacturer">
        {tx('back')}
      </Link>
      <h2>{tx('core.title')}</h2>
      <p className="muted">{tx('core.lawful')}</p>
      <Field label={label('productLine')} field="productLine" error={error}>
        <select name="productLine" value={chosen?.code ?? ''} onChange={(e) => setLine(e.target.value)}>
          {desk.mine.map((x) => (
            <option key={x.code} value={x.code}>
              {l(x.name)}
            </option>
          ))}
        </select>
      </Field>
      <p>
        <b>{label('source.kind')}：</b>
        {tx(`core.kind.${kind}`)}
      </p>
      {kind === 'vehicle-assembly' ? (
        <div className="row">
          <Field
            label={label('source.remanufacturingCode')}
            field="source.remanufacturingCode"
            error={error}
            hint={tx('tip.code')}
          >
            <input
              name="source.remanufacturingCode"
              value={f.code}
              onChange={(e) => set({ code: e.target.value })}
            />
          </Field>
          <Field label={label('source.certificateNo')} field="source.certificateNo" error={error}>
            <input
              name="source.certificateNo"
              value={f.certificateNo}
              onChange={(e) => set({ certificateNo: e.target.value })}
            />
          </Field>
        </div>
      ) : (
        <div className="row">
          <Field
            label={label('source.intakeId')}
            field="source.intakeId"
            error={error}
            hint={tx('tip.intake')}
          >
            <input
              name="source.intakeId"
              value={f.intakeId}
              onChange={(e) => set({ intakeId: e.target.value })}
            />
          </Field>
          <Field label={label('source.lineId')} field="source.lineId" error={error}>
            <input name="source.lineId" value={f.lineId} onChange={(e) => set({ lineId: e.target.value })} />
          </Field>
        </div>
      )}
      <Field label={`${label('serialNo')}${t('optional')}`} field="serialNo" error={error}>
        <input name="serialNo" value={f.serialNo} onChange={(e) => set({ serialNo: e.target.value })} />
      </Field>
      <fieldset>
        <legend>{tx('core.check')}</legend>
        <div className="segmented" role="group" aria-label={tx('core.check')}>
          <button
            type="button"
            aria-pressed={f.passed}
            data-testid="core-passed"
            onClick={() => set({ passed: true })}
          >
            {tx('core.passed')}
          </button>
          <button type="button" aria-pressed={!f.passed} onClick={() => set({ passed: false })}>
            {tx('core.failed')}
          </button>
        </div>
        <Field label={label('intakeCheck.note')} field="intakeCheck.note" error={error}>
          <input name="intakeCheck.note" value={f.note} onChange={(e) => set({ note: e.target.value })} />
        </Field>
      </fieldset>
      <ProblemView error={error} ref={problem} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !chosen} data-testid="core-submit">
          {busy ? t('sending') : tx('core.submit')}
        </button>
      </div>
    </form>
  );
}

function OriginText({ origin, tx }: { origin: Origin; tx: Tx }) {
  const { codeName } = useApp();
  return (
    <>
      {origin.kind === 'vehicle'
        ? tx('origin.vehicle', {
            vin: origin.vin,
            certificate: origin.certificateNo,
            dismantler: origin.dismantlerId,
            assembly: codeName('majorAssemblies', origin.assembly),
            code: origin.remanufacturingCode,
          })
        : tx('origin.intake', {
            station: origin.stationId,
            intake: origin.intakeId,
            line: origin.lineId,
            category: origin.category,
          })}
    </>
  );
}

function CorePage({ desk }: { desk: Desk }) {
  const { coreId = '' } = useParams();
  const received = (useLocation().state as { received?: boolean } | null)?.received === true;
  const tx = useText(remanText);
  const { l, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const heading = useRef<HTMLHeadingElement>(null);
  const trace = useLoad(
    (signal) => api<CoreTrace>('remanufacturing', `cores/${encodeURIComponent(coreId)}/trace`, { signal }),
    [coreId],
  );
  useEffect(() => {
    if (trace.data) heading.current?.focus();
  }, [trace.data?.core.coreId]);
  const c = trace.data;
  return (
    <div className="card" data-testid="core-page" data-status={c?.core.status}>
      <Link className="button" to="/remanufacturer">
        {tx('back')}
      </Link>
      <ProblemView error={trace.error} />
      {c ? (
        <>
          <h2 ref={heading} tabIndex={-1}>
            {tx('coreNo')} {c.core.coreId}
          </h2>
          {received ? (
            <p className="notice" role="status" data-testid="core-received">
              {tx('core.received', { id: c.core.coreId })}
            </p>
          ) : null}
          <p className={`badge core-${c.core.status}`} data-testid="core-status">
            {tx(`coreStatus.${c.core.status}`)}
          </p>
          <dl className="facts">
            <div>
              <dt>{tx('line')}</dt>
              <dd>{l(desk.lineOf(c.core.productLine)?.name, c.core.productLine)}</dd>
            </div>
            <div>
              <dt>{tx('when')}</dt>
              <dd>{localDateTime(c.core.receivedAt, tz)}</dd>
            </div>
            <div>
              <dt>{tx('core.check')}</dt>
              <dd>
                {c.core.intakeCheck.passed ? tx('check.passed') : tx('check.failed')}
                {c.core.intakeCheck.note ? ` · ${c.core.intakeCheck.note}` : ''}
              </dd>
            </div>
          </dl>
          <h3>{tx('core.trace')}</h3>
          <dl className="facts" data-testid="core-trace">
            <div>
              <dt>{tx('core.origin')}</dt>
              <dd data-testid="core-origin">
                <OriginText origin={c.origin} tx={tx} />
              </dd>
            </div>
            <div>
              <dt>{tx('core.product')}</dt>
              <dd>
                {c.product ? (
                  <Link to={`/remanufacturer/products/${encodeURIComponent(c.product.productId)}`}>
                    {c.product.serialNo} · {c.product.productId}
                    {c.product.markNo ? ` · ${c.product.markNo}` : ''}
                  </Link>
                ) : (
                  tx('core.noProduct')
                )}
              </dd>
            </div>
          </dl>
        </>
      ) : null}
    </div>
  );
}

function StartProduct({ desk }: { desk: Desk }) {
  const tx = useText(remanText);
  const { t, l, lang } = useApp();
  const navigate = useNavigate();
  const { month } = useMonth();
  const [params] = useSearchParams();
  const [line, setLine] = useState(params.get('line') ?? '');
  const [serialNo, setSerialNo] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const problem = useRef<HTMLDivElement>(null);
  const cores = useCores(desk.id, month);
  const chosen = desk.mine.find((x) => x.code === line) ?? desk.mine[0];
  const free = (cores.data ?? []).filter((c) => c.productLine === chosen?.code && c.status === 'accepted');
  const label = (field: string) => fieldLabel(field, lang) ?? field;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) return;
    setBusy(true);
    setError(undefined);
    try {
      const product = await api<Product>(
        'remanufacturing',
        `remanufacturers/${encodeURIComponent(desk.id)}/products`,
        {
          body: { productLine: chosen.code, serialNo: serialNo.trim(), coreIds: picked },
        },
      );
      void navigate(`/remanufacturer/products/${encodeURIComponent(product.productId)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
      setTimeout(() => problem.current?.focus(), 0);
    }
  };
  return (
    <form className="card" onSubmit={submit} noValidate data-testid="product-form">
      <Link className="button" to="/remanufacturer">
        {tx('back')}
      </Link>
      <h2>{tx('product.title')}</h2>
      <div className="row">
        <Field label={label('productLine')} field="productLine" error={error}>
          <select
            name="productLine"
            value={chosen?.code ?? ''}
            onChange={(e) => {
              setLine(e.target.value);
              setPicked([]);
            }}
          >
            {desk.mine.map((x) => (
              <option key={x.code} value={x.code}>
                {l(x.name)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={label('serialNo')} field="serialNo" error={error}>
          <input name="serialNo" value={serialNo} onChange={(e) => setSerialNo(e.target.value)} />
        </Field>
      </div>
      <fieldset data-field-anchor="coreIds">
        <legend>{tx('product.pickCores')}</legend>
        {cores.data && free.length === 0 ? <p className="muted">{tx('product.noCores')}</p> : null}
        {free.map((c) => (
          <label className="check" key={c.coreId}>
            <input
              type="checkbox"
              name="coreIds"
              value={c.coreId}
              checked={picked.includes(c.coreId)}
              onChange={(e) =>
                setPicked(e.target.checked ? [...picked, c.coreId] : picked.filter((x) => x !== c.coreId))
              }
            />
            {c.coreId} · {sourceText(c.source, tx)}
          </label>
        ))}
      </fieldset>
      <ProblemView error={error} ref={problem} />
      <div className="actions">
        <button
          type="submit"
          className="primary"
          disabled={busy || picked.length === 0 || !serialNo.trim()}
          data-testid="product-submit"
        >
          {busy ? t('sending') : tx('product.submit')}
        </button>
      </div>
    </form>
  );
}

/** Why the product cannot be released yet, from its checks; undefined when it may be. */
function releaseBlocker(p: Product, tx: Tx, itemName: (code: string) => string): string | undefined {
  if (!p.checks.some((c) => c.stage === 'production')) return tx('release.needProduction');
  const latest = p.checks.filter((c) => c.stage === 'release').at(-1);
  if (!latest) return tx('release.needRelease');
  if (!latest.passed) {
    const failing = latest.results.filter((r) => !r.meets).map((r) => itemName(r.code));
    return tx('release.failing', { items: failing.join('、') || '—' });
  }
  return undefined;
}

function ProductPage({ desk }: { desk: Desk }) {
  const { productId = '' } = useParams();
  const tx = useText(remanText);
  const { t, l, lang, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const heading = useRef<HTMLHeadingElement>(null);
  const problem = useRef<HTMLDivElement>(null);
  const [stage, setStage] = useState<'production' | 'release'>('production');
  const [values, setValues] = useState<Record<string, string>>({});
  const [warranty, setWarranty] = useState('');
  const [ship, setShip] = useState({ use: 'replacement', name: '', creditCode: '' });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  const product = useLoad(
    (signal) => api<Product>('remanufacturing', `products/${encodeURIComponent(productId)}`, { signal }),
    [productId],
  );
  const trace = useLoad(
    (signal) =>
      api<ProductTrace>('remanufacturing', `products/${encodeURIComponent(productId)}/trace`, { signal }),
    [productId, product.data?.status],
  );
  useEffect(() => {
    if (product.data) heading.current?.focus();
  }, [product.data?.productId, notice]);
  const p = product.data;
  const line = p ? desk.lineOf(p.productLine) : undefined;
  const itemName = (code: string) => l(line?.specification.find((s) => s.code === code)?.name, code);
  const label = (field: string) => fieldLabel(field, lang) ?? field;

  const post = async (path: string, body: object, done: (p: Product) => string) => {
    setBusy(true);
    setError(undefined);
    try {
      const after = await api<Product>(
        'remanufacturing',
        `products/${encodeURIComponent(productId)}/${path}`,
        { body },
      );
      setNotice(done(after));
      product.reload();
    } catch (err) {
      setError(err);
      setTimeout(() => problem.current?.focus(), 0);
    } finally {
      setBusy(false);
    }
  };

  if (!p || !line) {
    return (
      <div className="card">
        <Link className="button" to="/remanufacturer">
          {tx('back')}
        </Link>
        <ProblemView error={product.error} />
        {product.loading ? <p className="muted">{t('loading')}</p> : null}
      </div>
    );
  }
  const measured = line.specification.filter((s) => (values[s.code] ?? '').trim() !== '');
  const meets = (s: ProductLine['specification'][number], v: number) =>
    s.better === 'higher' ? v >= s.original : v <= s.original;
  const blocker = releaseBlocker(p, tx, itemName);
  const target = (s: ProductLine['specification'][number]) =>
    tx(s.better === 'higher' ? 'check.higher' : 'check.lower', { v: s.original, unit: s.unit });

  return (
    <section data-testid="product-page" data-status={p.status}>
      <div className="card">
        <Link className="button" to="/remanufacturer">
          {tx('back')}
        </Link>
        <h2 ref={heading} tabIndex={-1}>
          {tx('product.page', { serial: p.serialNo })}
        </h2>
        <p className={`badge product-${p.status}`} data-testid="product-status">
          {tx(`productStatus.${p.status}`)}
        </p>
        {notice ? (
          <p className="notice" role="status" data-testid="product-notice">
            {notice}
          </p>
        ) : null}
        <p>
          {l(line.name)} ·{' '}
          {tx('product.original', {
            what: l(line.original.description),
            months: line.original.warrantyMonths,
          })}
        </p>
        {p.release ? (
          <p data-testid="product-mark">
            <b>{tx('release.mark')}：</b>
            {p.release.mark.text} · {p.release.mark.standard} · {p.release.mark.makerName} ·{' '}
            {p.release.mark.markNo} · {tx('validUntil', { date: p.release.warrantyUntil })}
          </p>
        ) : null}
        <ProblemView error={error} ref={problem} />
      </div>

      <div className="card">
        <h3>{tx('product.checks')}</h3>
        {p.checks.length === 0 ? <p className="muted">{tx('product.noChecks')}</p> : null}
        {p.checks.map((c) => (
          <div key={c.checkNo} className="table-wrap" data-testid={`check-${c.checkNo}`}>
            <p>
              <b>
                #{c.checkNo} {tx(`stage.${c.stage}`)}
              </b>{' '}
              · {localDateTime(c.at, tz)} ·{' '}
              <span className={`meets ${c.passed ? 'yes' : 'no'}`}>
                {c.passed ? tx('check.passed') : tx('check.failed')}
              </span>
            </p>
            <table>
              <thead>
                <tr>
                  <th>{tx('check.item')}</th>
                  <th>{tx('check.original')}</th>
                  <th className="num">{tx('check.value')}</th>
                  <th>{tx('check.meets')}</th>
                </tr>
              </thead>
              <tbody>
                {c.results.map((r) => {
                  const s = line.specification.find((x) => x.code === r.code);
                  return (
                    <tr key={r.code}>
                      <td>{itemName(r.code)}</td>
                      <td>{s ? target(s) : r.original}</td>
                      <td className="num">{r.value}</td>
                      <td className={`meets ${r.meets ? 'yes' : 'no'}`}>
                        {r.meets ? tx('check.yes') : tx('check.no')}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
      </div>

      {p.status === 'in-production' ? (
        <form
          className="card"
          data-testid="check-form"
          onSubmit={(e) => {
            e.preventDefault();
            void post(
              'checks',
              { stage, results: measured.map((s) => ({ code: s.code, value: Number(values[s.code]) })) },
              (after) => {
                const last = after.checks.at(-1);
                return tx('check.recorded', {
                  n: last?.checkNo ?? '',
                  result: last?.passed ? tx('check.passed') : tx('check.failed'),
                });
              },
            );
            setValues({});
          }}
        >
          <h3>{tx('product.record')}</h3>
          <div className="segmented" role="group" aria-label={label('stage')}>
            {(['production', 'release'] as const).map((s) => (
              <button
                key={s}
                type="button"
                aria-pressed={stage === s}
                data-testid={`check-stage-${s}`}
                onClick={() => setStage(s)}
              >
                {tx(`stage.${s}`)}
              </button>
            ))}
          </div>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{tx('check.item')}</th>
                  <th>{tx('check.original')}</th>
                  <th>{tx('check.value')}</th>
                  <th>{tx('check.meets')}</th>
                </tr>
              </thead>
              <tbody>
                {line.specification.map((s, i) => {
                  const raw = (values[s.code] ?? '').trim();
                  const v = Number(raw);
                  const ok = raw !== '' && Number.isInteger(v) ? meets(s, v) : undefined;
                  return (
                    <tr key={s.code}>
                      <td>
                        <label htmlFor={`spec-${s.code}`}>{l(s.name)}</label>
                      </td>
                      <td>{target(s)}</td>
                      <td>
                        <input
                          id={`spec-${s.code}`}
                          name={`results.${i}.value`}
                          inputMode="numeric"
                          data-testid={`spec-${s.code}`}
                          value={values[s.code] ?? ''}
                          onChange={(e) => setValues({ ...values, [s.code]: e.target.value })}
                        />
                      </td>
                      <td className={`meets ${ok === undefined ? '' : ok ? 'yes' : 'no'}`} aria-live="polite">
                        {ok === undefined ? '' : ok ? tx('check.yes') : tx('check.no')}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <button
            type="submit"
            className="primary"
            disabled={busy || measured.length === 0}
            data-testid="check-submit"
          >
            {tx('check.submit')}
          </button>
        </form>
      ) : null}

      {p.status === 'in-production' ? (
        <form
          className="card"
          data-testid="release-form"
          onSubmit={(e) => {
            e.preventDefault();
            void post(
              'release',
              { warrantyMonths: Number(warranty || line.original.warrantyMonths) },
              (after) =>
                tx('release.done', {
                  mark: after.release?.mark.markNo ?? '',
                  until: after.release?.warrantyUntil ?? '',
                }),
            );
          }}
        >
          <h3>{tx('release.title')}</h3>
          <p className="muted">{tx('release.rule', { standard: desk.lines.data?.mark.standard ?? '' })}</p>
          {blocker ? (
            <p className="warning" data-testid="release-blocker">
              {tx('release.notYet', { why: blocker })}
            </p>
          ) : null}
          <Field
            label={tx('release.warranty', { months: line.original.warrantyMonths })}
            field="warrantyMonths"
            error={error}
          >
            <input
              name="warrantyMonths"
              inputMode="numeric"
              value={warranty || String(line.original.warrantyMonths)}
              onChange={(e) => setWarranty(e.target.value)}
            />
          </Field>
          <button
            type="submit"
            className="primary"
            disabled={busy || Boolean(blocker)}
            data-testid="release-submit"
          >
            {tx('release.submit')}
          </button>
        </form>
      ) : null}

      {p.status === 'released' ? (
        <form
          className="card"
          data-testid="ship-form"
          onSubmit={(e) => {
            e.preventDefault();
            void post(
              'shipments',
              {
                use: ship.use,
                buyer: {
                  name: ship.name.trim(),
                  ...(ship.creditCode.trim() ? { creditCode: ship.creditCode.trim() } : {}),
                },
              },
              () => tx('ship.done'),
            );
          }}
        >
          <h3>{tx('ship.title')}</h3>
          {line.forbiddenUses.length > 0 ? (
            <p className="warning">
              {tx('ship.forbidden', { uses: line.forbiddenUses.map((u) => useName(u, tx)).join('、') })}
            </p>
          ) : null}
          <div className="row">
            <Field label={label('use')} field="use" error={error}>
              <select name="use" value={ship.use} onChange={(e) => setShip({ ...ship, use: e.target.value })}>
                {USES.filter((u) => !line.forbiddenUses.includes(u)).map((u) => (
                  <option key={u} value={u}>
                    {useName(u, tx)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={label('buyer.name')} field="buyer.name" error={error}>
              <input
                name="buyer.name"
                value={ship.name}
                onChange={(e) => setShip({ ...ship, name: e.target.value })}
              />
            </Field>
            <Field label={tx('ship.creditCode')} field="buyer.creditCode" error={error}>
              <input
                name="buyer.creditCode"
                value={ship.creditCode}
                onChange={(e) => setShip({ ...ship, creditCode: e.target.value })}
              />
            </Field>
          </div>
          <button type="submit" className="primary" disabled={busy || !ship.name.trim()}>
            {tx('ship.submit')}
          </button>
        </form>
      ) : null}

      <div className="card" data-testid="product-trace">
        <h3>{tx('trace.title')}</h3>
        <ProblemView error={trace.error} />
        <ul className="plain-list">
          {(trace.data?.cores ?? []).map((c) => (
            <li key={c.coreId} data-testid={`trace-${c.coreId}`}>
              <Link to={`/remanufacturer/cores/${encodeURIComponent(c.coreId)}`}>{c.coreId}</Link>
              {' · '}
              <OriginText origin={c.origin} tx={tx} />
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
