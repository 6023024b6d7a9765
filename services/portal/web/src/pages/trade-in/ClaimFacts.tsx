// A claim as officials and the retailer read it: what was claimed (cars or the sale, masked personal
// data), the evidence with the ids of the events that proved it, what is still awaited, the fraud
// signals, the deadlines and what is overdue, and who did what when (Asia/Shanghai times).
import type { ReactNode } from 'react';
import { useApp } from '../../lib/context';
import { fenToYuan, localDateTime } from '../../lib/units';
import { useText } from '../common/text';
import { evidenceKind, type Claim } from './model';
import { deskText } from './text';

type Tx = ReturnType<typeof useText<typeof deskText>>;

const EVIDENCE_KINDS = [
  'recycling-certificate',
  'deregistration',
  'vehicle-intake',
  'used-car-sale',
  'old-item-intake',
] as const;
const WAITING = ['certificate', 'deregistration', 'vehicle', 'used-car', 'old-item'] as const;
const FLAGS = [
  'evidence-mismatch',
  'deregistration-refused',
  'serial-sold-before',
  'price-above-recent',
  'many-items-to-address',
  'many-items-to-phone',
  'quick-return',
  'recent-quick-return',
  'new-car-resold-soon',
  'new-car-deregistered-soon',
  'overdue-accept',
  'overdue-review',
  'overdue-payment',
] as const;
const ACTIONS = [
  'submitted',
  'evidence-matched',
  'evidence-flagged',
  'approved',
  'rejected',
  'rejected-final',
  'resubmitted',
  'paid',
  'sold',
  'returned',
  'reimbursement-claimed',
  'reversed',
  'closed',
] as const;

const oneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

export const evidenceName = (kind: string, tx: Tx) =>
  oneOf(EVIDENCE_KINDS, kind) ? tx(`evidenceKind.${kind}`) : kind;
export const flagName = (code: string, tx: Tx) => (oneOf(FLAGS, code) ? tx(`flag.${code}`) : code);
export const actionName = (action: string, tx: Tx) =>
  oneOf(ACTIONS, action) ? tx(`action.${action}`) : action;
export const waitingName = (key: string, tx: Tx) => {
  const kind = evidenceKind(key);
  const ref = key.slice(kind.length + 1);
  return oneOf(WAITING, kind) ? tx(`waiting.${kind}`, { ref }) : key;
};

export function Facts({ rows }: { rows: Array<[string, ReactNode] | false | undefined | '' | null> }) {
  return (
    <dl className="facts">
      {rows
        .filter((r): r is [string, ReactNode] => Boolean(r))
        .map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
    </dl>
  );
}

export function ClaimFacts({ claim: c }: { claim: Claim }) {
  const tx = useText(deskText);
  const { l, codeName, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const time = (iso: string) => localDateTime(iso, tz);
  return (
    <div className="claim-facts" data-testid="claim-facts">
      <Facts
        rows={[
          [tx('claimNo'), c.claimId],
          [tx('programme'), `${l(c.programmeName)} · ${c.programmeYear}`],
          [tx('status'), tx(`status.${c.status}`)],
          [tx('amount'), <b key="a">{fenToYuan(c.amountFen)}</b>],
          c.applicant && [
            tx('applicant'),
            `${c.applicant.nameMasked} · ${c.applicant.idNumberMasked} · ${c.applicant.phoneMasked}`,
          ],
          c.applicant && [tx('bankCard'), `${c.applicant.bankName} ${c.applicant.bankCardMasked}`],
          c.car && [
            tx('oldCar'),
            [
              c.car.oldCar.vin,
              codeName('vehicleTypes', c.car.oldCar.vehicleType),
              codeName('fuelTypes', c.car.oldCar.fuelType),
              codeName('emissionStandards', c.car.oldCar.emissionStandard),
              `${c.car.oldCar.registrationDate} / ${c.car.oldCar.ownedSince}`,
              c.car.oldCar.certificateNo ?? c.car.oldCar.usedCarTransactionId ?? '',
            ]
              .filter(Boolean)
              .join(' · '),
          ],
          c.car && [
            tx('newCar'),
            [
              c.car.newCar.vin,
              codeName('fuelTypes', c.car.newCar.fuelType),
              `${fenToYuan(c.car.newCar.priceFen)}`,
              c.car.newCar.invoiceNo,
              c.car.newCar.purchaseDate,
              c.car.newCar.registrationCertificateNo,
              c.car.newCar.dealer.name,
            ].join(' · '),
          ],
          c.sale && [
            tx('product'),
            [
              l(c.sale.categoryName),
              c.sale.model,
              c.sale.gtin,
              c.sale.serialNo,
              c.sale.energyGrade !== undefined ? tx('sale.grade', { n: c.sale.energyGrade }) : '',
            ]
              .filter(Boolean)
              .join(' · '),
          ],
          c.sale && [
            tx('price'),
            `${fenToYuan(c.sale.priceFen)} − ${fenToYuan(c.sale.subsidyFen)} = ${fenToYuan(c.sale.buyerPaysFen)}`,
          ],
          c.sale && [
            tx('buyer'),
            [c.sale.buyer.nameMasked, c.sale.buyer.phoneMasked, c.sale.buyer.addressMasked]
              .filter(Boolean)
              .join(' · '),
          ],
        ]}
      />
      <h3>{tx('evidence')}</h3>
      {c.evidence.refs.length > 0 ? (
        <div className="table-wrap">
          <table data-testid="claim-evidence">
            <thead>
              <tr>
                <th>{tx('kind')}</th>
                <th>{tx('ref')}</th>
                <th>{tx('eventId')}</th>
              </tr>
            </thead>
            <tbody>
              {c.evidence.refs.map((r) => (
                <tr key={`${r.kind}-${r.eventId}`} data-kind={r.kind}>
                  <td>{evidenceName(r.kind, tx)}</td>
                  <td>{r.ref}</td>
                  <td>
                    <code>{r.eventId}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {c.evidence.waitingFor.length > 0 ? (
        <p>
          {tx('evidenceWaiting')}：{c.evidence.waitingFor.map((k) => waitingName(k, tx)).join('；')}
        </p>
      ) : null}
      {c.evidence.matched !== undefined ? (
        <p className={c.evidence.matched ? 'muted' : 'warning'}>
          {c.evidence.matched ? tx('evidenceMatched') : tx('evidenceMismatch')}
        </p>
      ) : null}
      <h3>{tx('flags')}</h3>
      {c.flags.length === 0 ? <p className="muted">{tx('noFlags')}</p> : null}
      <ul className="flags" data-testid="claim-flags">
        {c.flags.map((f, i) => (
          <li key={`${f.code}-${i}`} data-flag={f.code}>
            <b>{flagName(f.code, tx)}</b>
            <NoteText text={f.note} />
          </li>
        ))}
      </ul>
      <h3>{tx('deadlines')}</h3>
      <Facts
        rows={[
          c.deadlines.acceptBy && [tx('due.acceptBy'), c.deadlines.acceptBy],
          c.deadlines.reviewBy && [tx('due.reviewBy'), c.deadlines.reviewBy],
          c.deadlines.payBy && [tx('due.payBy'), c.deadlines.payBy],
        ]}
      />
      {c.overdue.map((o) => (
        <p key={o} className="mark-overdue" data-testid="claim-overdue">
          {tx(`overdue.${o}`)}
        </p>
      ))}
      <h3>{tx('history')}</h3>
      <HistoryTable entries={c.history} time={time} tx={tx} />
    </div>
  );
}

/** A service's note "中文 / English" in the language picked. */
export function NoteText({ text }: { text: string }) {
  const { lang } = useApp();
  const at = text.indexOf(' / ');
  if (at < 0) return <>{text}</>;
  return <>{lang === 'zh' ? text.slice(0, at) : text.slice(at + 3)}</>;
}

export function HistoryTable({
  entries,
  time,
  tx,
}: {
  entries: Claim['history'];
  time: (iso: string) => string;
  tx: Tx;
}) {
  const { td } = useApp();
  return (
    <div className="table-wrap">
      <table data-testid="claim-history">
        <thead>
          <tr>
            <th>{tx('when')}</th>
            <th>{tx('what')}</th>
            <th>{tx('who')}</th>
            <th>{tx('note')}</th>
            <th>{tx('eventId')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((h, i) => (
            <tr key={i} data-action={h.action}>
              <td>{time(h.at)}</td>
              <td>{actionName(h.action, tx)}</td>
              <td>
                {td(`role.${h.by.role}`, h.by.role)}
                {h.by.id ? ` ${h.by.id}` : ''}
              </td>
              <td>{h.note ?? ''}</td>
              <td>{h.eventId ? <code>{h.eventId}</code> : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
