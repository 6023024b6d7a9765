// The retailer's trade-in counter: a sale recorded with the product (category, GTIN-13 with its check
// digit, model, energy grade, serial), the price and the buyer, the subsidy of the rule in force that
// day computed and shown to the customer before it is confirmed; the month's sales with returns; the
// claim for reimbursement of the discounts advanced. The month and the sale being looked at are in the
// address; every sale lives on the server.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, NavLink, Route, Routes, useParams, useSearchParams } from 'react-router';
import { CodeSelect, Field } from '../../components/Field';
import { ProblemView } from '../../components/ProblemView';
import { api } from '../../lib/api';
import { useApp } from '../../lib/context';
import { fieldLabel } from '../../lib/errors';
import { ApiProblem } from '../../lib/problem';
import { fenToYuan, localDate, localDateTime, localMonth, yuanToFen } from '../../lib/units';
import { useLoad } from '../../lib/use-load';
import { useText } from '../common/text';
import '../common/common.css';
import '../common/desk.css';
import { ClaimFacts } from './ClaimFacts';
import {
  gtinProblem,
  percent,
  ruleOn,
  saleQuote,
  yearOn,
  yuanOf,
  type Claim,
  type Programme,
  type Reimbursement,
  type Retailer as RetailerView,
  type SaleCategory,
  type SaleProgramme,
} from './model';
import { deskText } from './text';

function useCounter() {
  const { session } = useApp();
  const retailerId = session?.principal.scope ?? '';
  const retailer = useLoad(
    (signal) => api<RetailerView>('subsidies', `retailers/${encodeURIComponent(retailerId)}`, { signal }),
    [retailerId],
  );
  const programmes = useLoad(
    (signal) =>
      api<{ items: Programme[] }>('subsidies', 'programmes', { signal }).then((r) =>
        r.items.filter((p): p is SaleProgramme => p.kind === 'counter-sale'),
      ),
    [],
  );
  const mine = (programmes.data ?? []).filter((p) => retailer.data?.programmeCodes.includes(p.code));
  return { retailerId, retailer, programmes, mine };
}

export default function RetailerDesk() {
  const tx = useText(deskText);
  const counter = useCounter();
  return (
    <section data-testid="retailer-desk">
      <div className="card-head">
        <h1>
          {tx('retailer.title')}
          {counter.retailer.data ? ` · ${counter.retailer.data.name}` : ''}
        </h1>
      </div>
      <nav className="desk-nav" aria-label={tx('retailer.title')}>
        <NavLink to="/retailer" end data-testid="nav-sale">
          {tx('retailer.sale')}
        </NavLink>
        <NavLink to="/retailer/sales" data-testid="nav-sales">
          {tx('retailer.sales')}
        </NavLink>
        <NavLink to="/retailer/reimbursements" data-testid="nav-reimbursements">
          {tx('retailer.reimbursements')}
        </NavLink>
      </nav>
      <ProblemView error={counter.retailer.error ?? counter.programmes.error} />
      {counter.retailer.data && !counter.retailer.data.active ? (
        <p className="warning">{tx('retailer.notParticipating')}</p>
      ) : null}
      <Routes>
        <Route index element={<SaleForm counter={counter} />} />
        <Route path="sales" element={<Sales counter={counter} />} />
        <Route path="sales/:claimId" element={<Sale counter={counter} />} />
        <Route path="reimbursements" element={<Reimbursements counter={counter} />} />
      </Routes>
    </section>
  );
}

type Counter = ReturnType<typeof useCounter>;

interface SaleFormState {
  programmeCode: string;
  soldOn: string;
  category: string;
  gtin: string;
  model: string;
  energyGrade: string;
  serialNo: string;
  price: string;
  invoiceNo: string;
  buyerName: string;
  idType: string;
  idNumber: string;
  phone: string;
  districtCode: string;
  detail: string;
}

/** A text of the desk in both languages ("中文 / English"), as the services write theirs. */
function bilingual(key: keyof typeof deskText, vars: Record<string, string | number> = {}): string {
  const fill = (text: string) =>
    Object.entries(vars).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, String(v)), text);
  const [zh, en] = deskText[key];
  return `${fill(zh)} / ${fill(en)}`;
}

/** Local checks before the customer sees a figure: the barcode, the price and the energy grade. */
function localProblem(f: SaleFormState, category: SaleCategory | undefined): ApiProblem | undefined {
  const errors: Array<{ field: string; code: string; message: string }> = [];
  const gtin = gtinProblem(f.gtin.trim());
  if (gtin)
    errors.push({
      field: 'gtin',
      code: 'custom',
      message: bilingual(gtin === 'digits' ? 'sale.gtinDigits' : 'sale.gtinCheck'),
    });
  const priceFen = yuanToFen(f.price);
  if (!priceFen) errors.push({ field: 'priceFen', code: 'custom', message: bilingual('sale.priceInvalid') });
  if (category) {
    const q = saleQuote(category, f.energyGrade ? Number(f.energyGrade) : undefined, priceFen ?? 0);
    if (!q.ok) {
      const key =
        q.why === 'grade-required'
          ? 'sale.gradeRequired'
          : q.why === 'grade-not-eligible'
            ? 'sale.gradeNotEligible'
            : 'sale.gradeNotApplicable';
      errors.push({
        field: 'energyGrade',
        code: 'custom',
        message: bilingual(key, { grades: (q.grades ?? []).join('/') }),
      });
    }
  }
  return errors.length > 0 ? new ApiProblem(400, { errors }) : undefined;
}

function SaleForm({ counter }: { counter: Counter }) {
  const tx = useText(deskText);
  const { t, l, lang, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const today = localDate(tz);
  const empty = (programmeCode = ''): SaleFormState => ({
    programmeCode,
    soldOn: today,
    category: '',
    gtin: '',
    model: '',
    energyGrade: '',
    serialNo: '',
    price: '',
    invoiceNo: '',
    buyerName: '',
    idType: 'resident-id-card',
    idNumber: '',
    phone: '',
    districtCode: '',
    detail: '',
  });
  const [f, setF] = useState<SaleFormState>(() => empty());
  const [stage, setStage] = useState<'form' | 'check' | 'done'>('form');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [sale, setSale] = useState<Claim>();
  const heading = useRef<HTMLHeadingElement>(null);
  const problem = useRef<HTMLDivElement>(null);
  const set = (patch: Partial<SaleFormState>) => setF((x) => ({ ...x, ...patch }));

  const programme = counter.mine.find((p) => p.code === f.programmeCode) ?? counter.mine[0];
  const year = programme && f.soldOn ? yearOn(programme.years, f.soldOn) : undefined;
  const rule = year && ruleOn(year, f.soldOn);
  const category = rule?.categories.find((c) => c.code === f.category) ?? rule?.categories[0];
  const priceFen = yuanToFen(f.price);
  const quote = useMemo(
    () =>
      category && priceFen
        ? saleQuote(category, f.energyGrade ? Number(f.energyGrade) : undefined, priceFen)
        : undefined,
    [category, f.energyGrade, priceFen],
  );
  useEffect(() => {
    if (stage !== 'form') heading.current?.focus();
  }, [stage]);

  const compute = (e: FormEvent) => {
    e.preventDefault();
    const local = localProblem(f, category);
    setError(local);
    if (local) {
      setTimeout(() => problem.current?.focus(), 0);
      return;
    }
    setStage('check');
  };

  const confirm = async () => {
    if (!programme || !category) return;
    setBusy(true);
    setError(undefined);
    try {
      const body = {
        programmeCode: programme.code,
        category: category.code,
        gtin: f.gtin.trim(),
        model: f.model.trim(),
        ...(f.energyGrade ? { energyGrade: Number(f.energyGrade) } : {}),
        serialNo: f.serialNo.trim(),
        priceFen: yuanToFen(f.price) ?? f.price,
        invoiceNo: f.invoiceNo.trim(),
        soldOn: f.soldOn,
        buyer: {
          ...(f.buyerName.trim() ? { name: f.buyerName.trim() } : {}),
          idType: f.idType,
          idNumber: f.idNumber.trim(),
          phone: f.phone.trim(),
          address: { districtCode: f.districtCode, detail: f.detail.trim() },
        },
      };
      const recorded = await api<Claim>(
        'subsidies',
        `retailers/${encodeURIComponent(counter.retailerId)}/sales`,
        {
          body,
        },
      );
      setSale(recorded);
      setStage('done');
    } catch (err) {
      setError(err);
      setStage('form');
      setTimeout(() => problem.current?.focus(), 0);
    } finally {
      setBusy(false);
    }
  };

  if (stage === 'done' && sale?.sale) {
    return (
      <div className="card" data-testid="sale-recorded" data-claim-id={sale.claimId}>
        <h2 ref={heading} tabIndex={-1}>
          {tx('sale.recorded', { id: sale.claimId })}
        </h2>
        <p className="big">
          {tx('sale.recordedWhat', {
            subsidy: fenToYuan(sale.sale.subsidyFen),
            pays: fenToYuan(sale.sale.buyerPaysFen),
          })}
        </p>
        {sale.sale.requiresOldItemIntake ? <p className="warning">{tx('sale.oldItem')}</p> : null}
        <div className="actions">
          <Link className="button" to={`/retailer/sales/${encodeURIComponent(sale.claimId)}`}>
            {tx('show')}
          </Link>
          <button
            type="button"
            className="primary"
            onClick={() => {
              setF(empty(f.programmeCode));
              setSale(undefined);
              setStage('form');
            }}
          >
            {tx('sale.another')}
          </button>
        </div>
      </div>
    );
  }

  const locked = stage === 'check';
  const input = (key: keyof SaleFormState, name: string, props: Record<string, unknown> = {}) => (
    <input
      name={name}
      value={f[key]}
      disabled={locked}
      autoComplete="off"
      onChange={(e) => set({ [key]: e.target.value } as Partial<SaleFormState>)}
      {...props}
    />
  );
  const label = (field: string) => fieldLabel(field, lang) ?? field;

  return (
    <form className="card" onSubmit={compute} noValidate data-testid="sale-form">
      <h2>{tx('retailer.sale')}</h2>
      {rule ? (
        <div className="rules" data-testid="sale-rules">
          <p>
            <b>{tx('sale.rules')}</b>
          </p>
          {rule.categories.map((c) => (
            <p key={c.code}>
              {c.energyGrades
                ? tx('sale.rulesLine', {
                    category: l(c.name),
                    grades: c.energyGrades.join(lang === 'zh' ? '、' : ' or '),
                    rate: percent(c.rateBp),
                    bonus: c.grade1BonusBp ? tx('sale.bonus', { bonus: percent(c.grade1BonusBp) }) : '',
                    cap: yuanOf(c.capFenPerItem),
                    perPerson: c.perPersonPerYear,
                  })
                : tx('sale.rulesLineNoGrade', {
                    category: l(c.name),
                    rate: percent(c.rateBp),
                    cap: yuanOf(c.capFenPerItem),
                    perPerson: c.perPersonPerYear,
                  })}
            </p>
          ))}
          {rule.requiresOldItemIntake ? <p>{tx('sale.oldItem')}</p> : null}
        </div>
      ) : programme ? (
        <p className="warning">{tx('sale.noRule', { date: f.soldOn })}</p>
      ) : null}
      <fieldset disabled={locked}>
        <legend>{tx('sale.productPart')}</legend>
        <div className="row">
          <Field label={label('programmeCode')} field="programmeCode" error={error}>
            <select
              name="programmeCode"
              value={programme?.code ?? ''}
              onChange={(e) => set({ programmeCode: e.target.value, category: '' })}
            >
              {counter.mine.map((p) => (
                <option key={p.code} value={p.code}>
                  {l(p.name)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={label('soldOn')} field="soldOn" error={error} hint={tx('tip.soldOn')}>
            {input('soldOn', 'soldOn', { type: 'date', max: today })}
          </Field>
          <Field label={label('category')} field="category" error={error}>
            <select
              name="category"
              value={category?.code ?? ''}
              onChange={(e) => set({ category: e.target.value, energyGrade: '' })}
            >
              {(rule?.categories ?? []).map((c) => (
                <option key={c.code} value={c.code}>
                  {l(c.name)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="row">
          <Field label={label('gtin')} field="gtin" error={error} hint={tx('tip.gtin')}>
            {input('gtin', 'gtin', { inputMode: 'numeric', maxLength: 13 })}
          </Field>
          <Field label={label('model')} field="model" error={error}>
            {input('model', 'model')}
          </Field>
          <Field label={label('energyGrade')} field="energyGrade" error={error}>
            <select
              name="energyGrade"
              value={f.energyGrade}
              onChange={(e) => set({ energyGrade: e.target.value })}
            >
              {category?.energyGrades ? (
                <option value="">{t('pickOne')}</option>
              ) : (
                <option value="">{tx('sale.noGrade')}</option>
              )}
              {category?.energyGrades
                ? [1, 2, 3, 4, 5].map((g) => (
                    <option key={g} value={g}>
                      {tx('sale.grade', { n: g })}
                    </option>
                  ))
                : null}
            </select>
          </Field>
        </div>
        <div className="row">
          <Field label={label('serialNo')} field="serialNo" error={error} hint={tx('tip.serialNo')}>
            {input('serialNo', 'serialNo')}
          </Field>
          <Field label={label('priceFen')} field="priceFen" error={error}>
            {input('price', 'priceFen', { inputMode: 'decimal' })}
          </Field>
          <Field label={label('invoiceNo')} field="invoiceNo" error={error} hint={tx('tip.invoiceNo')}>
            {input('invoiceNo', 'invoiceNo', { inputMode: 'numeric' })}
          </Field>
        </div>
      </fieldset>
      <fieldset disabled={locked}>
        <legend>{tx('sale.buyerPart')}</legend>
        <div className="row">
          <Field label={`${label('buyer.name')}${t('optional')}`} field="buyer.name" error={error}>
            {input('buyerName', 'buyer.name')}
          </Field>
          <Field label={label('buyer.idType')} field="buyer.idType" error={error}>
            <CodeSelect
              name="buyer.idType"
              options={reference?.idDocumentTypes}
              value={f.idType}
              onChange={(v) => set({ idType: v })}
            />
          </Field>
          <Field label={label('buyer.idNumber')} field="buyer.idNumber" error={error}>
            {input('idNumber', 'buyer.idNumber')}
          </Field>
          <Field label={label('buyer.phone')} field="buyer.phone" error={error}>
            {input('phone', 'buyer.phone', { type: 'tel', inputMode: 'tel' })}
          </Field>
        </div>
        <div className="row">
          <Field label={label('buyer.address.districtCode')} field="buyer.address.districtCode" error={error}>
            <select
              name="buyer.address.districtCode"
              value={f.districtCode}
              onChange={(e) => set({ districtCode: e.target.value })}
            >
              <option value="">{t('pickOne')}</option>
              {(reference?.districts ?? []).map((d) => (
                <option key={d.code} value={d.code}>
                  {l(d.name)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={label('buyer.address.detail')} field="buyer.address.detail" error={error}>
            {input('detail', 'buyer.address.detail')}
          </Field>
        </div>
      </fieldset>
      <ProblemView error={error} ref={problem} />
      {locked && quote?.ok ? (
        <div className="panel" data-testid="sale-check">
          <h2 ref={heading} tabIndex={-1}>
            {tx('sale.check')}
          </h2>
          <p className="big" data-testid="sale-quote" data-subsidy-fen={quote.subsidyFen}>
            {tx('sale.quote', {
              price: fenToYuan(priceFen ?? 0),
              subsidy: fenToYuan(quote.subsidyFen),
              rate: percent(quote.rateBp),
              pays: fenToYuan(quote.buyerPaysFen),
            })}
          </p>
          <div className="actions">
            <button type="button" onClick={() => setStage('form')}>
              {tx('sale.edit')}
            </button>
            <button
              type="button"
              className="primary"
              disabled={busy}
              data-testid="sale-confirm"
              onClick={() => void confirm()}
            >
              {busy ? t('sending') : tx('sale.confirm')}
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button type="submit" className="primary" disabled={!rule || !category} data-testid="sale-compute">
            {tx('sale.compute')}
          </button>
        </div>
      )}
    </form>
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

function useSales(retailerId: string, month: string) {
  return useLoad(
    (signal) =>
      retailerId
        ? api<{ items: Claim[] }>('subsidies', `retailers/${encodeURIComponent(retailerId)}/sales`, {
            query: { month },
            signal,
          }).then((r) => r.items)
        : Promise.resolve([] as Claim[]),
    [retailerId, month],
  );
}

function Sales({ counter }: { counter: Counter }) {
  const tx = useText(deskText);
  const { t, l } = useApp();
  const { month, setMonth } = useMonth();
  const sales = useSales(counter.retailerId, month);
  const items = sales.data ?? [];
  const counted = items.filter((c) => c.status !== 'reversed' && c.status !== 'closed');
  const sum = (pick: (c: Claim) => number) => counted.reduce((s, c) => s + pick(c), 0);
  return (
    <div className="card" data-testid="sales">
      <h2>{tx('sales.title', { month })}</h2>
      <div className="filters">
        <Field label={tx('month')}>
          <input
            type="month"
            name="month"
            value={month}
            onChange={(e) => e.target.value && setMonth(e.target.value)}
          />
        </Field>
        <button type="button" className="link" onClick={sales.reload}>
          {t('refresh')}
        </button>
      </div>
      <ProblemView error={sales.error} />
      {sales.data && items.length === 0 ? <p className="muted">{tx('none')}</p> : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{tx('saleNo')}</th>
                <th>{tx('product')}</th>
                <th className="num">{tx('price')}</th>
                <th className="num">{tx('subsidy')}</th>
                <th className="num">{tx('buyerPays')}</th>
                <th>{tx('status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.claimId} data-testid={`sale-${c.claimId}`} data-status={c.status}>
                  <td>
                    <Link to={`/retailer/sales/${encodeURIComponent(c.claimId)}?month=${month}`}>
                      {c.claimId}
                    </Link>
                    <div className="muted">{c.sale?.soldOn}</div>
                  </td>
                  <td>
                    {c.sale ? `${l(c.sale.categoryName)} ${c.sale.model}` : ''}
                    <div className="muted">{c.sale?.serialNo}</div>
                  </td>
                  <td className="num">{fenToYuan(c.sale?.priceFen ?? 0)}</td>
                  <td className="num">{fenToYuan(c.amountFen)}</td>
                  <td className="num">{fenToYuan(c.sale?.buyerPaysFen ?? 0)}</td>
                  <td>
                    {tx(`status.${c.status}`)}
                    {c.status === 'awaiting-evidence' ? (
                      <div className="muted">{tx('sales.oldItemWaiting')}</div>
                    ) : null}
                  </td>
                </tr>
              ))}
              <tr className="totals">
                <td>
                  {tx('total')} · {counted.length}
                </td>
                <td />
                <td className="num">{fenToYuan(sum((c) => c.sale?.priceFen ?? 0))}</td>
                <td className="num" data-testid="sales-total-subsidy">
                  {fenToYuan(sum((c) => c.amountFen))}
                </td>
                <td className="num">{fenToYuan(sum((c) => c.sale?.buyerPaysFen ?? 0))}</td>
                <td />
              </tr>
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

function Sale({ counter }: { counter: Counter }) {
  const { claimId = '' } = useParams();
  const [params] = useSearchParams();
  const tx = useText(deskText);
  const { t } = useApp();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);
  const sale = useLoad(
    (signal) => api<Claim>('subsidies', `claims/${encodeURIComponent(claimId)}`, { signal }),
    [claimId],
  );
  useEffect(() => {
    if (sale.data) heading.current?.focus();
  }, [sale.data?.claimId, notice]);
  const c = sale.data;
  const giveBack = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api(
        'subsidies',
        `retailers/${encodeURIComponent(counter.retailerId)}/sales/${encodeURIComponent(claimId)}/return`,
        { body: reason.trim() ? { reason: reason.trim() } : {} },
      );
      setAsking(false);
      setNotice(tx('sales.returned', { id: claimId }));
      sale.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card" data-testid="sale-detail" data-status={c?.status}>
      <Link className="button" to={`/retailer/sales?${params.toString()}`}>
        {tx('back')}
      </Link>
      <ProblemView error={sale.error} />
      {c ? (
        <>
          <h2 ref={heading} tabIndex={-1}>
            {tx('saleNo')} {c.claimId}
          </h2>
          {notice ? (
            <p className="notice" role="status">
              {notice}
            </p>
          ) : null}
          <ClaimFacts claim={c} />
          {c.status !== 'reversed' && c.status !== 'closed' ? (
            asking ? (
              <div className="panel">
                <p>{tx('sales.returnAsk')}</p>
                <Field label={`${tx('sales.returnReason')}${t('optional')}`} field="reason" error={error}>
                  <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
                </Field>
                <ProblemView error={error} />
                <div className="actions">
                  <button type="button" onClick={() => setAsking(false)}>
                    {t('keepIt')}
                  </button>
                  <button type="button" className="danger" disabled={busy} onClick={() => void giveBack()}>
                    {tx('sales.returnConfirm')}
                  </button>
                </div>
              </div>
            ) : (
              <button
                type="button"
                className="danger"
                onClick={() => setAsking(true)}
                data-testid="sale-return"
              >
                {tx('sales.return')}
              </button>
            )
          ) : null}
        </>
      ) : null}
    </div>
  );
}

function Reimbursements({ counter }: { counter: Counter }) {
  const tx = useText(deskText);
  const { t, l, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const { month } = useMonth();
  const [params, setParams] = useSearchParams();
  const programme = counter.mine.find((p) => p.code === params.get('programme')) ?? counter.mine[0];
  const years = programme?.years.map((y) => y.year) ?? [];
  const thisYear = Number(localDate(tz).slice(0, 4));
  const year = years.includes(Number(params.get('year')))
    ? Number(params.get('year'))
    : years.includes(thisYear)
      ? thisYear
      : (years.at(-1) ?? thisYear);
  const sales = useSales(counter.retailerId, month);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [claimed, setClaimed] = useState<Reimbursement>();
  const ids = [
    ...new Set((sales.data ?? []).map((c) => c.sale?.reimbursementId).filter((x): x is string => Boolean(x))),
  ];
  const list = useLoad(
    (signal) =>
      Promise.all(
        ids.map((id) =>
          api<Reimbursement>(
            'subsidies',
            `retailers/${encodeURIComponent(counter.retailerId)}/reimbursements/${encodeURIComponent(id)}`,
            { signal },
          ),
        ),
      ),
    [counter.retailerId, ids.join(',')],
  );
  const ready = (sales.data ?? []).filter(
    (c) => c.status === 'ready' && c.programmeCode === programme?.code && c.programmeYear === year,
  );
  const claim = async () => {
    if (!programme) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<Reimbursement>(
        'subsidies',
        `retailers/${encodeURIComponent(counter.retailerId)}/reimbursements`,
        { body: { programmeCode: programme.code, year } },
      );
      setClaimed(r);
      sales.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card" data-testid="reimbursements">
      <h2>{tx('reimb.title')}</h2>
      <p className="muted">{tx('reimb.what')}</p>
      <div className="filters">
        <Field label={tx('programme')}>
          <select
            name="programme"
            value={programme?.code ?? ''}
            onChange={(e) => setParams({ programme: e.target.value, year: String(year) })}
          >
            {counter.mine.map((p) => (
              <option key={p.code} value={p.code}>
                {l(p.name)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={tx('year')}>
          <select
            name="year"
            value={year}
            onChange={(e) => setParams({ programme: programme?.code ?? '', year: e.target.value })}
          >
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <p data-testid="reimb-ready">
        {ready.length > 0
          ? tx('reimb.ready', {
              n: ready.length,
              yuan: fenToYuan(ready.reduce((s, c) => s + c.amountFen, 0)),
            })
          : tx('reimb.noneReady')}
      </p>
      <button
        type="button"
        className="primary"
        disabled={busy || !programme}
        onClick={() => void claim()}
        data-testid="reimb-claim"
      >
        {tx('reimb.claim')}
      </button>
      <ProblemView error={error ?? sales.error ?? list.error} />
      {claimed ? (
        <p className="notice" role="status" data-testid="reimb-claimed">
          {tx('reimb.claimed', {
            id: claimed.reimbursementId,
            n: claimed.claims.length,
            yuan: fenToYuan(claimed.totalFen),
          })}
          {claimed.refused.length > 0
            ? ` ${tx('reimb.refused', { list: claimed.refused.map((r) => `${r.claimId} (${r.code})`).join('、') })}`
            : ''}
        </p>
      ) : null}
      <h3>{tx('reimb.list')}</h3>
      {list.data && list.data.length === 0 ? <p className="muted">{tx('none')}</p> : null}
      {list.data && list.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{tx('ref')}</th>
                <th>{tx('programme')}</th>
                <th className="num">{tx('count')}</th>
                <th className="num">{tx('subsidy')}</th>
                <th>{tx('when')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((r) => (
                <tr key={r.reimbursementId}>
                  <td>{r.reimbursementId}</td>
                  <td>
                    {r.programmeCode} · {r.programmeYear}
                  </td>
                  <td className="num">{r.claims.length}</td>
                  <td className="num">{fenToYuan(r.totalFen)}</td>
                  <td>{localDateTime(r.claimedAt, tz)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.loading && ids.length > 0 ? <p className="muted">{t('loading')}</p> : null}
    </div>
  );
}
