// 我的钱款与发票: the reverse invoices of the goods the resident sold through their pickups, with the
// amounts; and the trade-in subsidy, offered only where the city runs the subsidies service.
import { Link } from 'react-router';
import { ResidentInvoices } from '../../components/ResidentInvoices';
import { useApp } from '../../lib/context';
import { useLoad } from '../../lib/use-load';

/** Whether the portal's proxy knows a subsidies service (its API document answers 200). */
async function subsidiesOffered(signal: AbortSignal): Promise<boolean> {
  try {
    const res = await fetch('/api/subsidies/openapi.json', {
      signal,
      headers: { Accept: 'application/json' },
    });
    return res.status === 200;
  } catch {
    return false;
  }
}

export default function Money() {
  const { t } = useApp();
  const subsidies = useLoad(subsidiesOffered, []);
  return (
    <section className="screen">
      <h1>{t('tab.money')}</h1>
      <ResidentInvoices />
      {subsidies.data ? (
        <div className="card" data-testid="subsidy-link">
          <h2>{t('subsidy.title')}</h2>
          <p>{t('subsidy.what')}</p>
          <Link className="button primary" to="/resident/subsidies">
            {t('subsidy.claim')}
          </Link>
        </div>
      ) : null}
    </section>
  );
}
