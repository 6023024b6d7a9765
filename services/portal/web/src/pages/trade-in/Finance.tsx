// The finance bureau's view of the trade-in fund (a city official reads it too): per programme year
// the budget, committed, paid, reversed and remaining; a programme's spending by Asia/Shanghai month;
// for the finance officer the approved claims to pay and the payment batches; any payment's whole
// chain (claim, evidence events with their ids, decisions with who and when, budget entries); a
// month's payments as CSV. The year, programme, batch or payment looked at is in the address.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, Route, Routes, useNavigate, useParams, useSearchParams } from 'react-router';
import { Field } from '../../components/Field';
import { ProblemView } from '../../components/ProblemView';
import { api, download } from '../../lib/api';
import { useApp } from '../../lib/context';
import { fenToYuan, localDate, localDateTime, localMonth } from '../../lib/units';
import { useLoad } from '../../lib/use-load';
import { useText } from '../common/text';
import '../common/common.css';
import '../common/desk.css';
import { ClaimFacts, Facts, HistoryTable } from './ClaimFacts';
import type { Claim, FundRow, PaymentBatch, Programme } from './model';
import { deskText } from './text';

interface MonthlyView {
  programmeCode: string;
  year: number;
  budgetFen: number;
  months: Array<{ month: string; committedFen: number; paidFen: number; reversedFen: number }>;
}

interface PaymentChain {
  payment: {
    paymentId: string;
    claimId: string;
    batchId: string;
    amountFen: number;
    payee: { kind: 'applicant' } | { kind: 'retailer'; retailerId: string };
    status: 'initiated' | 'completed';
    releasedBy: string;
    releasedAt: string;
    completedAt?: string;
  };
  claim: Claim;
  evidence: {
    refs: Array<{ kind: string; eventId: string; ref: string }>;
    records: Array<{ key: string; data: Record<string, unknown> }>;
  };
  decisions: Claim['history'];
  budgetEntries: Array<{ entryId: string; kind: string; amountFen: number; at: string; by?: string }>;
  batch: { batchId: string; releasedBy: string; releasedAt: string } | null;
}

export default function Finance() {
  return (
    <Routes>
      <Route index element={<Overview />} />
      <Route path="batches/:batchId" element={<Batch />} />
      <Route path="payments/:paymentId" element={<Chain />} />
    </Routes>
  );
}

function Overview() {
  const tx = useText(deskText);
  const { t, l, session, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const officer = session?.principal.role === 'finance-officer';
  const [params, setParams] = useSearchParams();
  const thisYear = Number(localDate(tz).slice(0, 4));
  const year = Number(params.get('year')) || thisYear;
  const programmes = useLoad(
    (signal) => api<{ items: Programme[] }>('subsidies', 'programmes', { signal }).then((r) => r.items),
    [],
  );
  const years = [...new Set((programmes.data ?? []).flatMap((p) => p.years.map((y) => y.year)))].sort();
  const funds = useLoad(
    (signal) =>
      api<{ items: FundRow[] }>('subsidies', 'funds', { query: { year }, signal }).then((r) => r.items),
    [year],
  );
  const code = params.get('programme') ?? funds.data?.[0]?.programmeCode ?? '';
  const row = funds.data?.find((f) => f.programmeCode === code);
  const pick = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) next.set(k, v);
    setParams(next);
  };
  const totals = (funds.data ?? []).reduce(
    (s, f) => ({
      budgetFen: s.budgetFen + f.budgetFen,
      committedFen: s.committedFen + f.committedFen,
      paidFen: s.paidFen + f.paidFen,
      reversedFen: s.reversedFen + f.reversedFen,
      remainingFen: s.remainingFen + f.remainingFen,
    }),
    { budgetFen: 0, committedFen: 0, paidFen: 0, reversedFen: 0, remainingFen: 0 },
  );
  return (
    <section data-testid="finance">
      <div className="card">
        <h1>{tx('finance.title')}</h1>
        {!officer ? <p className="muted">{tx('finance.readOnly')}</p> : null}
        <div className="filters">
          <Field label={tx('year')}>
            <select name="year" value={year} onChange={(e) => pick({ year: e.target.value })}>
              {(years.length > 0 ? years : [thisYear]).map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </Field>
          <button type="button" className="link" onClick={funds.reload}>
            {t('refresh')}
          </button>
        </div>
        <ProblemView error={funds.error ?? programmes.error} />
        {funds.data ? (
          <div className="table-wrap">
            <table data-testid="funds">
              <caption className="muted">{tx('funds.yuan')}</caption>
              <thead>
                <tr>
                  <th>{tx('programme')}</th>
                  <th className="num">{tx('funds.budget')}</th>
                  <th className="num">{tx('funds.committed')}</th>
                  <th className="num">{tx('funds.paid')}</th>
                  <th className="num">{tx('funds.reversed')}</th>
                  <th className="num">{tx('funds.remaining')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {funds.data.map((f) => (
                  <tr
                    key={f.programmeCode}
                    className={f.programmeCode === code ? 'selected' : undefined}
                    data-testid={`fund-${f.programmeCode}`}
                  >
                    <td>
                      {l(f.programmeName)}
                      {f.budgetAssumed ? <div className="muted">{tx('funds.assumed')}</div> : null}
                    </td>
                    <td className="num">{fenToYuan(f.budgetFen)}</td>
                    <td className="num">{fenToYuan(f.committedFen)}</td>
                    <td className="num" data-testid="fund-paid">
                      {fenToYuan(f.paidFen)}
                    </td>
                    <td className="num">{fenToYuan(f.reversedFen)}</td>
                    <td className="num">{fenToYuan(f.remainingFen)}</td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        aria-pressed={f.programmeCode === code}
                        onClick={() => pick({ programme: f.programmeCode })}
                      >
                        {tx('funds.monthlyShow')}
                      </button>
                    </td>
                  </tr>
                ))}
                <tr className="totals">
                  <td>{tx('total')}</td>
                  <td className="num">{fenToYuan(totals.budgetFen)}</td>
                  <td className="num">{fenToYuan(totals.committedFen)}</td>
                  <td className="num">{fenToYuan(totals.paidFen)}</td>
                  <td className="num">{fenToYuan(totals.reversedFen)}</td>
                  <td className="num">{fenToYuan(totals.remainingFen)}</td>
                  <td />
                </tr>
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
      {row ? <Monthly row={row} /> : null}
      {row && officer ? <ToPay row={row} /> : null}
      {row ? <Batches row={row} /> : null}
      <div className="grid two">
        <ChainLookup />
        <ExportCsv />
      </div>
    </section>
  );
}

function Monthly({ row }: { row: FundRow }) {
  const tx = useText(deskText);
  const { l } = useApp();
  const monthly = useLoad(
    (signal) =>
      api<MonthlyView>('subsidies', `funds/${encodeURIComponent(row.programmeCode)}/${row.year}/monthly`, {
        signal,
      }),
    [row.programmeCode, row.year],
  );
  const most = Math.max(1, ...(monthly.data?.months ?? []).map((m) => Math.max(m.committedFen, m.paidFen)));
  const width = (fen: number) => `${((fen / most) * 8).toFixed(2)}rem`;
  return (
    <div className="card" data-testid="monthly">
      <h2>{tx('funds.monthly', { programme: l(row.programmeName), year: row.year })}</h2>
      <ProblemView error={monthly.error} />
      {monthly.data && monthly.data.months.length === 0 ? <p className="muted">{tx('none')}</p> : null}
      {monthly.data && monthly.data.months.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="muted">{tx('funds.yuan')}</caption>
            <thead>
              <tr>
                <th>{tx('month')}</th>
                <th>{tx('funds.committed')}</th>
                <th>{tx('funds.paid')}</th>
                <th className="num">{tx('funds.reversed')}</th>
              </tr>
            </thead>
            <tbody>
              {monthly.data.months.map((m) => (
                <tr key={m.month}>
                  <td>{m.month}</td>
                  <td>
                    <span className="bar" style={{ width: width(m.committedFen) }} aria-hidden="true" />
                    {fenToYuan(m.committedFen)}
                  </td>
                  <td>
                    <span className="bar" style={{ width: width(m.paidFen) }} aria-hidden="true" />
                    {fenToYuan(m.paidFen)}
                  </td>
                  <td className="num">{fenToYuan(m.reversedFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

/** The finance officer's work: the approved claims of the programme year, paid in a batch. */
function ToPay({ row }: { row: FundRow }) {
  const tx = useText(deskText);
  const { t } = useApp();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const queue = useLoad(
    (signal) =>
      api<{ items: Claim[]; total: number; overdue: number }>('subsidies', 'review-queue', {
        query: { programmeCode: row.programmeCode, year: row.year, stage: 'approved', limit: 200 },
        signal,
      }),
    [row.programmeCode, row.year],
  );
  const items = queue.data?.items ?? [];
  const sum = items.reduce((s, c) => s + c.amountFen, 0);
  const release = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const batch = await api<PaymentBatch>('subsidies', 'payment-batches', {
        body: { programmeCode: row.programmeCode, year: row.year, claimIds: items.map((c) => c.claimId) },
      });
      void navigate(`/finance/batches/${encodeURIComponent(batch.batchId)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <div className="card" data-testid="to-pay">
      <div className="card-head">
        <h2>{tx('pay.title')}</h2>
        <button type="button" className="link" onClick={queue.reload}>
          {t('refresh')}
        </button>
      </div>
      <ProblemView error={queue.error ?? error} />
      {queue.data && items.length === 0 ? <p className="muted">{tx('pay.none')}</p> : null}
      {items.length > 0 ? (
        <>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{tx('claimNo')}</th>
                  <th className="num">{tx('amount')}</th>
                  <th>{tx('due.payBy')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.claimId} className={c.overdue.length > 0 ? 'overdue' : undefined}>
                    <td>{c.claimId}</td>
                    <td className="num">{fenToYuan(c.amountFen)}</td>
                    <td>
                      {c.deadlines.payBy}
                      {c.overdue.length > 0 ? (
                        <span className="mark-overdue"> · {tx('overdueMark')}</span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button
            type="button"
            className="primary"
            disabled={busy}
            data-testid="pay-release"
            onClick={() => void release()}
          >
            {tx('pay.release', { n: items.length, yuan: fenToYuan(sum) })}
          </button>
        </>
      ) : null}
    </div>
  );
}

function Batches({ row }: { row: FundRow }) {
  const tx = useText(deskText);
  const { reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const batches = useLoad(
    (signal) =>
      api<{ items: PaymentBatch[] }>('subsidies', 'payment-batches', {
        query: { programmeCode: row.programmeCode, year: row.year },
        signal,
      }).then((r) => r.items),
    [row.programmeCode, row.year],
  );
  return (
    <div className="card" data-testid="batches">
      <h2>{tx('batches.title')}</h2>
      <ProblemView error={batches.error} />
      {batches.data && batches.data.length === 0 ? <p className="muted">{tx('none')}</p> : null}
      {batches.data && batches.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{tx('ref')}</th>
                <th>{tx('when')}</th>
                <th>{tx('who')}</th>
                <th className="num">{tx('count')}</th>
                <th className="num">{tx('amount')}</th>
              </tr>
            </thead>
            <tbody>
              {batches.data.map((b) => (
                <tr key={b.batchId}>
                  <td>
                    <Link to={`/finance/batches/${encodeURIComponent(b.batchId)}`}>{b.batchId}</Link>
                  </td>
                  <td>{localDateTime(b.releasedAt, tz)}</td>
                  <td>{b.releasedBy}</td>
                  <td className="num">{b.paid.length}</td>
                  <td className="num">{fenToYuan(b.totalFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

function ChainLookup() {
  const tx = useText(deskText);
  const navigate = useNavigate();
  const [id, setId] = useState('');
  const go = (e: FormEvent) => {
    e.preventDefault();
    if (id.trim()) void navigate(`/finance/payments/${encodeURIComponent(id.trim())}`);
  };
  return (
    <form className="card inline-form" onSubmit={go}>
      <h2>{tx('chain.lookup')}</h2>
      <Field label={tx('chain.paymentId')}>
        <input name="paymentId" value={id} onChange={(e) => setId(e.target.value)} placeholder="pay-…" />
      </Field>
      <button type="submit" className="primary">
        {tx('show')}
      </button>
    </form>
  );
}

function ExportCsv() {
  const tx = useText(deskText);
  const { reference } = useApp();
  const [month, setMonth] = useState(localMonth(reference?.city.timezone ?? 'Asia/Shanghai'));
  const [error, setError] = useState<unknown>();
  const get = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await download('subsidies', 'exports/payments.csv', { month }, `subsidy-payments-${month}.csv`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card inline-form" onSubmit={get}>
      <h2>{tx('export.title')}</h2>
      <Field label={tx('month')} field="month" error={error}>
        <input type="month" name="month" value={month} onChange={(e) => setMonth(e.target.value)} />
      </Field>
      <button type="submit" className="primary" data-testid="export-csv">
        {tx('csv')}
      </button>
      <ProblemView error={error} />
    </form>
  );
}

function Batch() {
  const { batchId = '' } = useParams();
  const tx = useText(deskText);
  const { session, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const heading = useRef<HTMLHeadingElement>(null);
  const [error, setError] = useState<unknown>();
  const batch = useLoad(
    (signal) => api<PaymentBatch>('subsidies', `payment-batches/${encodeURIComponent(batchId)}`, { signal }),
    [batchId],
  );
  useEffect(() => {
    if (batch.data) heading.current?.focus();
  }, [batch.data?.batchId]);
  const b = batch.data;
  const bankFile = async () => {
    setError(undefined);
    try {
      await download(
        'subsidies',
        `payment-batches/${encodeURIComponent(batchId)}/bank-file`,
        {},
        `bank-file-${batchId}.csv`,
      );
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="card" data-testid="batch">
      <Link
        className="button"
        to={b ? `/finance?year=${b.programmeYear}&programme=${b.programmeCode}` : '/finance'}
      >
        {tx('back')}
      </Link>
      <ProblemView error={batch.error ?? error} />
      {b ? (
        <>
          <h1 ref={heading} tabIndex={-1}>
            {tx('batch.title', { id: b.batchId })}
          </h1>
          <p className="notice" role="status" data-testid="batch-summary">
            {tx('pay.released', { id: b.batchId, n: b.paid.length, yuan: fenToYuan(b.totalFen) })}
          </p>
          <p className="muted">
            {tx('batch.releasedBy', { who: b.releasedBy, when: localDateTime(b.releasedAt, tz) })}
          </p>
          <h2>{tx('batch.paid')}</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{tx('chain.paymentId')}</th>
                  <th>{tx('claimNo')}</th>
                  <th className="num">{tx('amount')}</th>
                </tr>
              </thead>
              <tbody>
                {b.paid.map((p) => (
                  <tr key={p.paymentId}>
                    <td>
                      <Link
                        to={`/finance/payments/${encodeURIComponent(p.paymentId)}`}
                        data-testid={`chain-${p.paymentId}`}
                      >
                        {p.paymentId}
                      </Link>
                    </td>
                    <td>{p.claimId}</td>
                    <td className="num">{fenToYuan(p.amountFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {b.skipped.length > 0 ? (
            <>
              <h2>{tx('batch.skipped')}</h2>
              <ul className="plain-list">
                {b.skipped.map((s) => (
                  <li key={s.claimId}>
                    {s.claimId} · {s.code}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {session?.principal.role === 'finance-officer' ? (
            <button type="button" onClick={() => void bankFile()}>
              {tx('batch.bankFile')}
            </button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function Chain() {
  const { paymentId = '' } = useParams();
  const tx = useText(deskText);
  const { reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const time = (iso: string) => localDateTime(iso, tz);
  const heading = useRef<HTMLHeadingElement>(null);
  const chain = useLoad(
    (signal) => api<PaymentChain>('subsidies', `payments/${encodeURIComponent(paymentId)}/chain`, { signal }),
    [paymentId],
  );
  useEffect(() => {
    if (chain.data) heading.current?.focus();
  }, [chain.data?.payment.paymentId]);
  const c = chain.data;
  const entry = (kind: string) =>
    kind === 'reserve' || kind === 'pay' || kind === 'release' || kind === 'clawback'
      ? tx(`entry.${kind}`)
      : kind;
  return (
    <section className="card" data-testid="chain">
      <Link
        className="button"
        to={c ? `/finance/batches/${encodeURIComponent(c.payment.batchId)}` : '/finance'}
      >
        {tx('back')}
      </Link>
      <ProblemView error={chain.error} />
      {c ? (
        <>
          <h1 ref={heading} tabIndex={-1}>
            {tx('chain.title', { id: c.payment.paymentId })}
          </h1>
          <Facts
            rows={[
              [tx('chain.paymentId'), c.payment.paymentId],
              [tx('amount'), fenToYuan(c.payment.amountFen)],
              [
                tx('chain.payee'),
                c.payment.payee.kind === 'applicant'
                  ? tx('chain.payee.applicant')
                  : tx('chain.payee.retailer', { id: c.payment.payee.retailerId }),
              ],
              [tx('status'), c.payment.status],
              [
                tx('batch.title', { id: c.payment.batchId }),
                tx('batch.releasedBy', { who: c.payment.releasedBy, when: time(c.payment.releasedAt) }),
              ],
            ]}
          />
          <h2>{tx('claim')}</h2>
          <ClaimFacts claim={c.claim} />
          <h2>{tx('chain.decisions')}</h2>
          <HistoryTable entries={c.decisions} time={time} tx={tx} />
          <h2>{tx('chain.budget')}</h2>
          <div className="table-wrap">
            <table data-testid="chain-budget">
              <thead>
                <tr>
                  <th>{tx('when')}</th>
                  <th>{tx('kind')}</th>
                  <th className="num">{tx('amount')}</th>
                  <th>{tx('who')}</th>
                </tr>
              </thead>
              <tbody>
                {c.budgetEntries.map((e) => (
                  <tr key={e.entryId}>
                    <td>{time(e.at)}</td>
                    <td>{entry(e.kind)}</td>
                    <td className="num">{fenToYuan(e.amountFen)}</td>
                    <td>{e.by ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <details>
            <summary>{tx('chain.records')}</summary>
            {c.evidence.records.map((r) => (
              <div key={r.key}>
                <h3>{r.key}</h3>
                <pre className="record">{JSON.stringify(r.data, null, 2)}</pre>
              </div>
            ))}
          </details>
        </>
      ) : null}
    </section>
  );
}
