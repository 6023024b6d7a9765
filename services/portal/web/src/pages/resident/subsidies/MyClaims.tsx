// 我的申请: the money already received, what is in progress, and each claim with its state; the way to a
// new claim. The appliance discount is given at the shop's counter, so it is only mentioned.
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { ProblemView } from '../../../components/ProblemView';
import { api } from '../../../lib/api';
import { useApp } from '../../../lib/context';
import { fenToYuan, localDate } from '../../../lib/units';
import { useLoad } from '../../../lib/use-load';
import { useText } from '../../common/text';
import type { Claim } from '../../trade-in/model';
import { NotOffered, serviceMissing } from './NotOffered';
import { subsidyText } from './text';

export function MyClaims() {
  const tx = useText(subsidyText);
  const { t, l, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const heading = useRef<HTMLHeadingElement>(null);
  const claims = useLoad(
    (signal) => api<{ items: Claim[] }>('subsidies', 'claims/mine', { signal }).then((r) => r.items),
    [],
  );
  useEffect(() => heading.current?.focus(), []);
  if (serviceMissing(claims.error)) return <NotOffered error={claims.error} />;

  const items = claims.data ?? [];
  const paid = items.filter((c) => c.status === 'paid');
  const receivedFen = paid.reduce((sum, c) => sum + c.amountFen, 0);
  const open = items.filter((c) => !['paid', 'closed', 'reversed'].includes(c.status));
  return (
    <section className="screen" data-testid="subsidy-claims">
      <div className="card">
        <h1 ref={heading} tabIndex={-1}>
          {tx('title')}
        </h1>
        <p>{tx('intro')}</p>
        <dl className="figures" data-testid="subsidy-money">
          <div>
            <dt>{tx('received')}</dt>
            <dd data-testid="subsidy-received">{tx('yuan', { amount: fenToYuan(receivedFen) })}</dd>
          </div>
          <div>
            <dt>{tx('inProgress')}</dt>
            <dd>{open.length}</dd>
          </div>
        </dl>
        <Link className="button primary" to="/resident/subsidies/apply" data-testid="subsidy-apply">
          {tx('apply')}
        </Link>
        <p className="muted">{tx('applianceNote')}</p>
      </div>
      <div className="card">
        <div className="card-head">
          <h2>{tx('myClaims')}</h2>
          <button type="button" className="link" onClick={claims.reload} data-testid="claims-refresh">
            {t('refresh')}
          </button>
        </div>
        <ProblemView error={claims.error} />
        {claims.loading && !claims.data ? <p className="muted">{t('loading')}</p> : null}
        {claims.data && items.length === 0 ? <p className="muted">{tx('noClaims')}</p> : null}
        <ul className="pickups">
          {items.map((c) => (
            <li key={c.claimId} className="pickup" data-testid={`claim-${c.claimId}`} data-status={c.status}>
              <div className="pickup-head">
                <strong>{l(c.programmeName)}</strong>
                <span className={`badge claim-${c.status}`}>{tx(`status.${c.status}`)}</span>
              </div>
              <div className="muted">
                {tx('claimNo')} {c.claimId} · {localDate(tz, new Date(c.submittedAt))}
              </div>
              <div>
                {c.status === 'paid' ? tx('received') : tx('amountEstimated')}{' '}
                <b>{tx('yuan', { amount: fenToYuan(c.amountFen) })}</b>
              </div>
              <Link className="button" to={`/resident/subsidies/${encodeURIComponent(c.claimId)}`}>
                {tx('follow')}
              </Link>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
