// The commerce bureau's review desk: a programme year's queue at a stage (to review, awaiting
// evidence, approved), overdue claims first, with the budget left; a claim with its evidence and
// fraud signals, approved (its amount committed from the budget) or sent back with reasons. What the
// desk is looking at is in the address (?programme=&year=&stage=, /review/<claim>), so a reload or the
// next reviewer finds the same queue; the decisions live on the server.
import { useEffect, useRef, useState } from 'react';
import { Link, Route, Routes, useParams, useSearchParams } from 'react-router';
import { Field } from '../../components/Field';
import { ProblemView } from '../../components/ProblemView';
import { api } from '../../lib/api';
import { useApp } from '../../lib/context';
import { fenToYuan, localDate, localDateTime } from '../../lib/units';
import { useLoad } from '../../lib/use-load';
import { useText } from '../common/text';
import '../common/common.css';
import '../common/desk.css';
import { ClaimFacts, flagName } from './ClaimFacts';
import type { Claim, FundRow, Programme } from './model';
import { REJECTION_REASONS, reasonText } from './reasons';
import { deskText } from './text';

const STAGES = ['in-review', 'awaiting-evidence', 'approved'] as const;
type Stage = (typeof STAGES)[number];

/** The queue the desk shows, from the address, with the defaults filled in. */
export function useQueueParams(programmes: Programme[] | undefined) {
  const { reference } = useApp();
  const [params, setParams] = useSearchParams();
  const thisYear = Number(localDate(reference?.city.timezone ?? 'Asia/Shanghai').slice(0, 4));
  const programme = programmes?.find((p) => p.code === params.get('programme')) ?? programmes?.[0];
  const years = programme?.years.map((y) => y.year) ?? [];
  const asked = Number(params.get('year'));
  const year = years.includes(asked)
    ? asked
    : years.includes(thisYear)
      ? thisYear
      : (years.at(-1) ?? thisYear);
  const stage = (STAGES as readonly string[]).includes(params.get('stage') ?? '')
    ? (params.get('stage') as Stage)
    : 'in-review';
  return { programme, year, years, stage, params, setParams };
}

export default function Review() {
  return (
    <Routes>
      <Route index element={<Queue />} />
      <Route path=":claimId" element={<ReviewClaim />} />
    </Routes>
  );
}

function Queue() {
  const tx = useText(deskText);
  const { t, l, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const programmes = useLoad(
    (signal) => api<{ items: Programme[] }>('subsidies', 'programmes', { signal }).then((r) => r.items),
    [],
  );
  const { programme, year, years, stage, params, setParams } = useQueueParams(programmes.data);
  const queue = useLoad(
    (signal) =>
      programme
        ? api<{ items: Claim[]; total: number; overdue: number }>('subsidies', 'review-queue', {
            query: { programmeCode: programme.code, year, stage },
            signal,
          })
        : Promise.resolve(undefined),
    [programme?.code, year, stage],
  );
  const funds = useLoad(
    (signal) =>
      api<{ items: FundRow[] }>('subsidies', 'funds', { query: { year }, signal }).then((r) =>
        r.items.find((f) => f.programmeCode === programme?.code),
      ),
    [programme?.code, year],
  );
  const pick = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) next.set(k, v);
    setParams(next);
  };
  const due = (c: Claim) =>
    stage === 'awaiting-evidence'
      ? c.deadlines.acceptBy
      : stage === 'approved'
        ? c.deadlines.payBy
        : c.deadlines.reviewBy;
  const fund = funds.data;

  return (
    <section className="card" data-testid="review-queue">
      <h1>{tx('review.title')}</h1>
      <div className="filters">
        <Field label={tx('programme')}>
          <select
            name="programme"
            value={programme?.code ?? ''}
            onChange={(e) => pick({ programme: e.target.value })}
          >
            {(programmes.data ?? []).map((p) => (
              <option key={p.code} value={p.code}>
                {l(p.name)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={tx('year')}>
          <select name="year" value={year} onChange={(e) => pick({ year: e.target.value })}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </Field>
        <div className="segmented" role="group" aria-label={tx('review.stage')}>
          {STAGES.map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={stage === s}
              data-testid={`stage-${s}`}
              onClick={() => pick({ stage: s })}
            >
              {tx(`stage.${s}`)}
            </button>
          ))}
        </div>
        <button type="button" className="link" onClick={queue.reload} data-testid="queue-refresh">
          {t('refresh')}
        </button>
      </div>
      {fund && programme ? (
        <p className="muted" data-testid="review-budget">
          {tx('review.budget', {
            programme: l(programme.name),
            year,
            budget: fenToYuan(fund.budgetFen),
            committed: fenToYuan(fund.committedFen),
            remaining: fenToYuan(fund.remainingFen),
          })}
        </p>
      ) : null}
      <ProblemView error={programmes.error ?? queue.error} />
      {queue.loading && !queue.data ? <p className="muted">{t('loading')}</p> : null}
      {queue.data ? (
        <p data-testid="queue-summary">
          {tx('review.summary', { total: queue.data.total, overdue: queue.data.overdue })}
        </p>
      ) : null}
      {queue.data?.items.length === 0 ? <p className="muted">{tx('none')}</p> : null}
      {queue.data && queue.data.items.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{tx('claimNo')}</th>
                <th>{tx('applicant')}</th>
                <th className="num">{tx('amount')}</th>
                <th>{tx('submitted')}</th>
                <th>{tx('deadline')}</th>
                <th>{tx('flags')}</th>
              </tr>
            </thead>
            <tbody>
              {queue.data.items.map((c) => (
                <tr
                  key={c.claimId}
                  className={c.overdue.length > 0 ? 'overdue' : undefined}
                  data-testid={`queue-${c.claimId}`}
                >
                  <td>
                    <Link to={`/review/${encodeURIComponent(c.claimId)}?${params.toString()}`}>
                      {c.claimId}
                    </Link>
                  </td>
                  <td>{c.applicant?.nameMasked ?? c.sale?.retailerId ?? ''}</td>
                  <td className="num">{fenToYuan(c.amountFen)}</td>
                  <td>{localDateTime(c.submittedAt, tz)}</td>
                  <td>
                    {due(c) ?? ''}
                    {c.overdue.length > 0 ? (
                      <span className="mark-overdue"> · {tx('overdueMark')}</span>
                    ) : null}
                  </td>
                  <td>{c.flags.map((f) => flagName(f.code, tx)).join('、')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function ReviewClaim() {
  const { claimId = '' } = useParams();
  const [params] = useSearchParams();
  const tx = useText(deskText);
  const rx = useText(reasonText);
  const { t } = useApp();
  const heading = useRef<HTMLHeadingElement>(null);
  const problem = useRef<HTMLDivElement>(null);
  const [note, setNote] = useState('');
  const [reasons, setReasons] = useState<string[]>([]);
  const [rejectNote, setRejectNote] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  const claim = useLoad(
    (signal) => api<Claim>('subsidies', `claims/${encodeURIComponent(claimId)}`, { signal }),
    [claimId],
  );
  useEffect(() => {
    if (claim.data) heading.current?.focus();
  }, [claim.data?.claimId, notice]);
  const c = claim.data;
  const back = `/review?${params.toString()}`;

  const decide = async (action: 'approve' | 'reject') => {
    if (!c) return;
    setBusy(true);
    setError(undefined);
    try {
      const body =
        action === 'approve'
          ? { ...(note.trim() ? { note: note.trim() } : {}) }
          : {
              reasons: reasons.map((code, i) => ({
                code,
                ...(i === 0 && rejectNote.trim() ? { note: rejectNote.trim() } : {}),
              })),
            };
      await api<Claim>('subsidies', `claims/${encodeURIComponent(c.claimId)}/${action}`, { body });
      setNotice(
        action === 'approve'
          ? tx('review.approved', { id: c.claimId, yuan: fenToYuan(c.amountFen) })
          : tx('review.rejected', { id: c.claimId }),
      );
      claim.reload();
    } catch (err) {
      setError(err);
      setTimeout(() => problem.current?.focus(), 0);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" data-testid="review-claim" data-status={c?.status}>
      <Link className="button" to={back} data-testid="review-back">
        {tx('back')}
      </Link>
      <ProblemView error={claim.error} />
      {claim.loading && !c ? <p className="muted">{t('loading')}</p> : null}
      {c ? (
        <>
          <h1 ref={heading} tabIndex={-1}>
            {tx('claim')} {c.claimId}
          </h1>
          {notice ? (
            <p className="notice" role="status" data-testid="review-notice">
              {notice}
            </p>
          ) : null}
          <ClaimFacts claim={c} />
          <h2>{tx('review.decide')}</h2>
          <ProblemView error={error} ref={problem} />
          {c.status !== 'in-review' ? (
            <p className="muted">{tx('review.notInReview')}</p>
          ) : (
            <div className="decision">
              <div className="panel">
                <h3>{tx('review.approve')}</h3>
                <p>{tx('review.approveWhat', { yuan: fenToYuan(c.amountFen), year: c.programmeYear })}</p>
                <Field label={tx('review.approveNote')} field="note" error={error}>
                  <input name="note" value={note} onChange={(e) => setNote(e.target.value)} />
                </Field>
                <button
                  type="button"
                  className="primary"
                  disabled={busy}
                  data-testid="review-approve"
                  onClick={() => void decide('approve')}
                >
                  {tx('review.approve')}
                </button>
              </div>
              <div className="panel">
                <h3>{tx('review.reject')}</h3>
                <p>{tx('review.rejectWhat', { n: Math.max(c.resubmissionsLeft, 0) })}</p>
                <fieldset className="reasons">
                  <legend>{tx('review.reasons')}</legend>
                  {REJECTION_REASONS.map((r) => (
                    <label key={r}>
                      <input
                        type="checkbox"
                        name="reasons"
                        value={r}
                        data-testid={`reason-${r}`}
                        checked={reasons.includes(r)}
                        onChange={(e) =>
                          setReasons(e.target.checked ? [...reasons, r] : reasons.filter((x) => x !== r))
                        }
                      />
                      {rx(`reason.${r}`)}
                    </label>
                  ))}
                </fieldset>
                <Field label={tx('review.rejectNote')} field="reasons.0.note" error={error}>
                  <input
                    name="reasons.0.note"
                    value={rejectNote}
                    onChange={(e) => setRejectNote(e.target.value)}
                  />
                </Field>
                <button
                  type="button"
                  className="danger"
                  disabled={busy || reasons.length === 0}
                  data-testid="review-reject"
                  onClick={() => void decide('reject')}
                >
                  {tx('review.reject')}
                </button>
              </div>
            </div>
          )}
        </>
      ) : null}
    </section>
  );
}
