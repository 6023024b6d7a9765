// One claim followed like a parcel: submitted → evidence checked (or what is still awaited, and from
// whom) → review → approved or sent back with the reasons and what to correct → paid, with the
// deadlines of each step; a claim sent back is corrected and resubmitted here.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { CodeSelect, Field } from '../../../components/Field';
import { ProblemView } from '../../../components/ProblemView';
import { api } from '../../../lib/api';
import { useApp } from '../../../lib/context';
import { fieldLabel } from '../../../lib/errors';
import { fenToYuan, localDateTime } from '../../../lib/units';
import { useLoad } from '../../../lib/use-load';
import { StepTracker, type TrackStep } from '../../common/StepTracker';
import { useText } from '../../common/text';
import { evidenceKind, type Claim } from '../../trade-in/model';
import { reasonKey, reasonText } from '../../trade-in/reasons';
import { NotOffered, serviceMissing } from './NotOffered';
import { subsidyText } from './text';

type Tx = ReturnType<typeof useText<typeof subsidyText>>;

const WAITING = ['certificate', 'deregistration', 'vehicle', 'used-car'] as const;

/** What a claim waits for, as a resident reads it. */
function waitingText(key: string, tx: Tx): string {
  const kind = evidenceKind(key);
  const ref = key.slice(kind.length + 1);
  return (WAITING as readonly string[]).includes(kind)
    ? tx(`waiting.${kind as (typeof WAITING)[number]}`, { ref })
    : tx('waiting.other', { ref });
}

export function claimSteps(c: Claim, tx: Tx, time: (iso: string) => string): TrackStep[] {
  const s = c.status;
  const last = (action: string) => c.history.filter((h) => h.action === action).at(-1)?.at;
  const when = (iso?: string) => (iso ? time(iso) : undefined);
  const waiting = s === 'awaiting-evidence';
  const steps: TrackStep[] = [
    { key: 'submitted', label: tx('track.submitted'), state: 'done', time: when(c.submittedAt) },
    {
      key: 'evidence',
      label: waiting ? tx('track.evidenceWaiting') : tx('track.evidence'),
      state: waiting ? 'current' : 'done',
      time: when(last('evidence-matched') ?? last('evidence-flagged') ?? c.acceptedAt),
      note: waiting ? (
        <ul className="plain-list" data-testid="claim-waiting">
          {c.evidence.waitingFor.map((k) => (
            <li key={k}>{waitingText(k, tx)}</li>
          ))}
        </ul>
      ) : undefined,
    },
    {
      key: 'review',
      label: tx('track.review'),
      state: s === 'in-review' ? 'current' : waiting ? 'todo' : 'done',
      time: s === 'in-review' ? undefined : when(c.approvedAt ?? c.lastRejection?.at),
    },
  ];
  if (s === 'rejected' || s === 'closed') {
    steps.push({
      key: s,
      label: tx(s === 'rejected' ? 'track.rejected' : 'track.closed'),
      state: 'closed',
      time: when(c.lastRejection?.at),
    });
    return steps;
  }
  const decided = s === 'approved' || s === 'paid' || s === 'reversed';
  steps.push(
    {
      key: 'approved',
      label: tx('track.approved'),
      state: decided ? 'done' : 'todo',
      time: when(c.approvedAt),
    },
    {
      key: 'paid',
      label: tx('track.paid'),
      state: s === 'paid' || (s === 'reversed' && c.paidAt) ? 'done' : s === 'approved' ? 'current' : 'todo',
      time: when(c.paidAt),
    },
  );
  if (s === 'reversed')
    steps.push({ key: 'reversed', label: tx('track.reversed'), state: 'closed', time: when(c.reversedAt) });
  return steps;
}

export function ClaimPage() {
  const { claimId = '' } = useParams();
  const tx = useText(subsidyText);
  const rx = useText(reasonText);
  const { t, l, codeName, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const heading = useRef<HTMLHeadingElement>(null);
  const [correcting, setCorrecting] = useState(false);
  const [notice, setNotice] = useState<string>();
  const claim = useLoad(
    (signal) => api<Claim>('subsidies', `claims/${encodeURIComponent(claimId)}`, { signal }),
    [claimId],
  );
  useEffect(() => {
    if (claim.data) heading.current?.focus();
  }, [claim.data?.claimId, notice]);

  if (serviceMissing(claim.error)) return <NotOffered error={claim.error} />;
  const c = claim.data;
  const time = (iso: string) => localDateTime(iso, tz);
  return (
    <section className="screen" data-testid="claim-page" data-status={c?.status}>
      <div className="card">
        <div className="card-head">
          <Link className="button" to="/resident/subsidies">
            {tx('back')}
          </Link>
          <button type="button" className="link" onClick={claim.reload} data-testid="claim-refresh">
            {t('refresh')}
          </button>
        </div>
        <ProblemView error={claim.error} />
        {claim.loading && !c ? <p className="muted">{t('loading')}</p> : null}
        {c ? (
          <>
            <h1 ref={heading} tabIndex={-1}>
              {l(c.programmeName)}
            </h1>
            <p className={`badge claim-${c.status}`} data-testid="claim-status">
              {tx(`status.${c.status}`)}
            </p>
            <p className="big">
              {c.status === 'paid' ? tx('received') : tx('amount')}{' '}
              <span data-testid="claim-amount">{tx('yuan', { amount: fenToYuan(c.amountFen) })}</span>
            </p>
            {notice ? (
              <p className="notice" role="status">
                {notice}
              </p>
            ) : null}
            <StepTracker steps={claimSteps(c, tx, time)} />
            {c.status === 'awaiting-evidence' ? <p className="muted">{tx('waiting.what')}</p> : null}
            {c.evidence.matched === false && c.status !== 'awaiting-evidence' ? (
              <p className="muted">{tx('evidence.flagged')}</p>
            ) : null}
            <Deadlines claim={c} />
            {c.status === 'paid' && c.applicant ? (
              <p data-testid="claim-paid-to">
                {tx('paid.to', { bank: c.applicant.bankName, last4: c.applicant.bankCardMasked.slice(-4) })}
              </p>
            ) : null}
            {(c.status === 'rejected' || c.status === 'closed') && c.lastRejection ? (
              <div className="panel" data-testid="claim-rejection">
                <h2>{tx('rejected.why')}</h2>
                <ul className="plain-list">
                  {c.lastRejection.reasons.map((r, i) => (
                    <li key={`${r.code}-${i}`} data-reason={r.code}>
                      <b>{rx(`reason.${reasonKey(r.code)}`)}</b>
                      <div>{rx(`reason.${reasonKey(r.code)}.fix`)}</div>
                      {r.note ? <div className="muted">{tx('rejected.note', { note: r.note })}</div> : null}
                    </li>
                  ))}
                </ul>
                <p>
                  {c.status === 'rejected' && c.resubmissionsLeft > 0
                    ? tx('rejected.left', { n: c.resubmissionsLeft })
                    : tx('rejected.none')}
                </p>
                {c.status === 'rejected' && c.resubmissionsLeft > 0 && !correcting ? (
                  <button
                    type="button"
                    className="primary"
                    data-testid="claim-correct"
                    onClick={() => setCorrecting(true)}
                  >
                    {tx('resubmit')}
                  </button>
                ) : null}
              </div>
            ) : null}
            {correcting ? (
              <Resubmit
                claim={c}
                onCancel={() => setCorrecting(false)}
                onDone={() => {
                  setCorrecting(false);
                  setNotice(tx('resubmit.done'));
                  claim.reload();
                }}
              />
            ) : null}
          </>
        ) : null}
      </div>
      {c ? (
        <details className="card">
          <summary>{tx('details')}</summary>
          <dl className="facts">
            <div>
              <dt>{tx('claimNo')}</dt>
              <dd>{c.claimId}</dd>
            </div>
            {c.car ? (
              <>
                <div>
                  <dt>{tx('old.title')}</dt>
                  <dd>
                    {c.car.oldCar.vin} · {codeName('fuelTypes', c.car.oldCar.fuelType)}
                    {c.car.oldCar.certificateNo ? ` · ${c.car.oldCar.certificateNo}` : ''}
                  </dd>
                </div>
                <div>
                  <dt>{tx('new.title')}</dt>
                  <dd>
                    {c.car.newCar.vin} · {codeName('fuelTypes', c.car.newCar.fuelType)} ·{' '}
                    {tx('yuan', { amount: fenToYuan(c.car.newCar.priceFen) })} · {c.car.newCar.purchaseDate}
                  </dd>
                </div>
              </>
            ) : null}
            {c.applicant ? (
              <div>
                <dt>{tx('card.title')}</dt>
                <dd>
                  {c.applicant.bankName} {c.applicant.bankCardMasked}
                </dd>
              </div>
            ) : null}
          </dl>
          <h2>{tx('historyTitle')}</h2>
          <ul className="history">
            {c.history.map((h, i) => (
              <li key={i}>
                {time(h.at)} · {historyText(h.action, tx)}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

const HISTORY = [
  'submitted',
  'evidence-matched',
  'evidence-flagged',
  'approved',
  'rejected',
  'rejected-final',
  'resubmitted',
  'paid',
  'reversed',
  'closed',
] as const;
const historyText = (action: string, tx: Tx) =>
  (HISTORY as readonly string[]).includes(action)
    ? tx(`history.${action as (typeof HISTORY)[number]}`)
    : action;

function Deadlines({ claim: c }: { claim: Claim }) {
  const tx = useText(subsidyText);
  const lines: string[] = [];
  if (c.status === 'awaiting-evidence' && c.deadlines.acceptBy)
    lines.push(tx('due.accept', { date: c.deadlines.acceptBy }));
  if (c.status === 'in-review' && c.deadlines.reviewBy)
    lines.push(tx('due.review', { date: c.deadlines.reviewBy }));
  if (c.status === 'approved' && c.deadlines.payBy) lines.push(tx('due.pay', { date: c.deadlines.payBy }));
  if (lines.length === 0 && c.overdue.length === 0) return null;
  return (
    <div data-testid="claim-deadlines">
      {lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
      {c.overdue.length > 0 ? <p className="warning">{tx('overdue')}</p> : null}
    </div>
  );
}

/** Corrections after a rejection: only what changed is sent. */
function Resubmit({
  claim: c,
  onCancel,
  onDone,
}: {
  claim: Claim;
  onCancel: () => void;
  onDone: () => void;
}) {
  const tx = useText(subsidyText);
  const { t, lang, reference } = useApp();
  const old = c.car?.oldCar;
  const neu = c.car?.newCar;
  const [f, setF] = useState({
    registrationDate: old?.registrationDate ?? '',
    ownedSince: old?.ownedSince ?? '',
    fuelType: old?.fuelType ?? 'gasoline',
    emissionStandard: old?.emissionStandard ?? 'china-3',
    newRegistrationDate: neu?.registrationDate ?? '',
    registrationCertificateNo: neu?.registrationCertificateNo ?? '',
    newCard: false,
    cardNo: '',
    bankName: '',
    holderName: '',
    note: '',
  });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const title = useRef<HTMLHeadingElement>(null);
  const problem = useRef<HTMLDivElement>(null);
  useEffect(() => title.current?.focus(), []);
  const set = (patch: Partial<typeof f>) => setF((x) => ({ ...x, ...patch }));
  const label = (field: string) => fieldLabel(field, lang) ?? field;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const changed = <T,>(now: T, before: T | undefined) => (now !== before && now !== '' ? now : undefined);
    const oldCar = {
      registrationDate: changed(f.registrationDate, old?.registrationDate),
      ownedSince: changed(f.ownedSince, old?.ownedSince),
      fuelType: changed(f.fuelType, old?.fuelType),
      emissionStandard: changed(f.emissionStandard, old?.emissionStandard),
    };
    const newCar = {
      registrationDate: changed(f.newRegistrationDate, neu?.registrationDate),
      registrationCertificateNo: changed(f.registrationCertificateNo.trim(), neu?.registrationCertificateNo),
    };
    const some = (o: Record<string, unknown>) => Object.values(o).some((v) => v !== undefined);
    const body = {
      ...(some(oldCar) ? { oldCar } : {}),
      ...(some(newCar) ? { newCar } : {}),
      ...(f.newCard
        ? {
            bankCard: {
              cardNo: f.cardNo.replace(/\s+/g, ''),
              bankName: f.bankName.trim(),
              holderName: f.holderName.trim(),
            },
          }
        : {}),
      ...(f.note.trim() ? { note: f.note.trim() } : {}),
    };
    setBusy(true);
    setError(undefined);
    try {
      await api('subsidies', `claims/${encodeURIComponent(c.claimId)}/resubmit`, { body });
      onDone();
    } catch (err) {
      setError(err);
      setTimeout(() => problem.current?.focus(), 0);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel" onSubmit={submit} noValidate data-testid="resubmit-form">
      <h2 ref={title} tabIndex={-1}>
        {tx('resubmit.title')}
      </h2>
      <p className="muted">{tx('resubmit.hint')}</p>
      {old ? (
        <fieldset>
          <legend>{tx('old.title')}</legend>
          <Field label={label('oldCar.registrationDate')} field="oldCar.registrationDate" error={error}>
            <input
              type="date"
              name="oldCar.registrationDate"
              value={f.registrationDate}
              onChange={(e) => set({ registrationDate: e.target.value })}
            />
          </Field>
          <Field label={label('oldCar.ownedSince')} field="oldCar.ownedSince" error={error}>
            <input
              type="date"
              name="oldCar.ownedSince"
              value={f.ownedSince}
              onChange={(e) => set({ ownedSince: e.target.value })}
            />
          </Field>
          <Field label={label('oldCar.fuelType')} field="oldCar.fuelType" error={error}>
            <CodeSelect
              name="oldCar.fuelType"
              options={reference?.fuelTypes}
              value={f.fuelType}
              onChange={(v) => set({ fuelType: v })}
            />
          </Field>
          <Field label={label('oldCar.emissionStandard')} field="oldCar.emissionStandard" error={error}>
            <CodeSelect
              name="oldCar.emissionStandard"
              options={reference?.emissionStandards}
              value={f.emissionStandard}
              onChange={(v) => set({ emissionStandard: v })}
            />
          </Field>
        </fieldset>
      ) : null}
      {neu ? (
        <fieldset>
          <legend>{tx('new.title')}</legend>
          <Field label={label('newCar.registrationDate')} field="newCar.registrationDate" error={error}>
            <input
              type="date"
              name="newCar.registrationDate"
              value={f.newRegistrationDate}
              onChange={(e) => set({ newRegistrationDate: e.target.value })}
            />
          </Field>
          <Field
            label={label('newCar.registration.certificateNo')}
            field="newCar.registrationCertificateNo"
            error={error}
          >
            <input
              name="newCar.registrationCertificateNo"
              value={f.registrationCertificateNo}
              autoComplete="off"
              onChange={(e) => set({ registrationCertificateNo: e.target.value })}
            />
          </Field>
        </fieldset>
      ) : null}
      <label className="check">
        <input type="checkbox" checked={f.newCard} onChange={(e) => set({ newCard: e.target.checked })} />
        {tx('resubmit.newCard')}
      </label>
      {f.newCard ? (
        <fieldset>
          <legend>{tx('card.title')}</legend>
          <Field
            label={label('bankCard.cardNo')}
            field="bankCard.cardNo"
            error={error}
            hint={tx('tip.cardNo')}
          >
            <input
              name="bankCard.cardNo"
              inputMode="numeric"
              autoComplete="off"
              value={f.cardNo}
              onChange={(e) => set({ cardNo: e.target.value })}
            />
          </Field>
          <Field label={label('bankCard.bankName')} field="bankCard.bankName" error={error}>
            <input
              name="bankCard.bankName"
              value={f.bankName}
              onChange={(e) => set({ bankName: e.target.value })}
            />
          </Field>
          <Field label={label('bankCard.holderName')} field="bankCard.holderName" error={error}>
            <input
              name="bankCard.holderName"
              value={f.holderName}
              onChange={(e) => set({ holderName: e.target.value })}
            />
          </Field>
        </fieldset>
      ) : null}
      <Field label={`${label('note')}${t('optional')}`} field="note" error={error}>
        <input name="note" value={f.note} onChange={(e) => set({ note: e.target.value })} />
      </Field>
      <ProblemView error={error} ref={problem} />
      <div className="actions">
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
        <button type="submit" className="primary" disabled={busy} data-testid="resubmit-send">
          {busy ? t('sending') : tx('resubmit.send')}
        </button>
      </div>
    </form>
  );
}
