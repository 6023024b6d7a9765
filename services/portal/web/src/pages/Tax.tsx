// The tax office: the feed of reverse invoices (issued, red-letter reversals, refusals) with filters,
// the monthly withholding declarations, and CSV exports. Read only: the tax office writes nothing
// in this network. The feed carries the seller's full identity, as the invoice itself does.
import { useState } from 'react';
import { ProblemView } from '../components/ProblemView';
import { api, download } from '../lib/api';
import { useApp, type Label } from '../lib/context';
import { fenToYuan, localDateTime, localMonth } from '../lib/units';
import { useLoad } from '../lib/use-load';

interface FeedEntry {
  id: string;
  type: string;
  kind: 'issued' | 'reversed' | 'refused';
  recordedAt: string;
  data: {
    invoiceNo?: string;
    originalInvoiceNo?: string;
    issuer?: { enterpriseId: string; name?: string };
    seller?: { name: string; idType: string; idNumber: string };
    sellerKey?: string;
    totals?: { amountFen: number; vatFen: number; totalFen: number; incomeTaxWithheldFen?: number };
    reasonCode?: string;
    message?: Label;
    period?: string;
    occurredAt?: string;
  };
}

interface Declaration {
  declarationId: string;
  enterpriseId: string;
  issuer: { name: string; taxpayerId: string };
  period: string;
  revision: number;
  summary: {
    sellerCount: number;
    salesFen: number;
    exemptSalesFen: number;
    vatFen: number;
    incomeTaxFen: number;
  };
}

const KINDS = ['issued', 'reversed', 'refused'] as const;
const KIND_NAMES: Record<(typeof KINDS)[number], Label> = {
  issued: { zh: '已开具', en: 'Issued' },
  reversed: { zh: '红冲', en: 'Reversed (red-letter)' },
  refused: { zh: '拒绝开具', en: 'Refused' },
};

export function Tax() {
  const { t, l, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const [period, setPeriod] = useState(localMonth(tz));
  const [enterpriseId, setEnterpriseId] = useState('');
  const [kind, setKind] = useState('');
  const [more, setMore] = useState<FeedEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [exportError, setExportError] = useState<unknown>();
  const filter = { period, enterpriseId: enterpriseId || undefined, kind: kind || undefined };

  const feed = useLoad(
    async (signal) => {
      const page = await api<{ items: FeedEntry[]; nextCursor: string | null }>(
        'invoicing',
        'feed/invoices',
        {
          query: filter,
          signal,
        },
      );
      setMore([]);
      setCursor(page.items.length > 0 ? page.nextCursor : null);
      return page.items;
    },
    [period, enterpriseId, kind],
  );
  const declarations = useLoad(
    (signal) =>
      api<{ items: Declaration[] }>('invoicing', 'declarations', {
        query: { period, enterpriseId: enterpriseId || undefined },
        signal,
      }).then((r) => r.items),
    [period, enterpriseId],
  );

  const loadMore = async () => {
    if (!cursor) return;
    const page = await api<{ items: FeedEntry[]; nextCursor: string | null }>('invoicing', 'feed/invoices', {
      query: { ...filter, cursor },
    });
    setMore([...more, ...page.items]);
    setCursor(page.items.length > 0 ? page.nextCursor : null);
  };

  const exportFile = async (path: string, query: Record<string, string | undefined>, name: string) => {
    setExportError(undefined);
    try {
      await download('invoicing', path, { ...query, format: 'csv' }, name);
    } catch (err) {
      setExportError(err);
    }
  };

  const entries = [...(feed.data ?? []), ...more];
  return (
    <div className="grid one">
      <section className="card">
        <h2>{t('filters')}</h2>
        <div className="row">
          <label className="field">
            <span className="field-label">{t('month')}</span>
            <input
              type="month"
              value={period}
              onChange={(e) => setPeriod(e.target.value)}
              data-testid="tax-month"
            />
          </label>
          <label className="field">
            <span className="field-label">{t('enterprise')}</span>
            <input value={enterpriseId} onChange={(e) => setEnterpriseId(e.target.value.trim())} />
          </label>
          <label className="field">
            <span className="field-label">{t('status')}</span>
            <select value={kind} onChange={(e) => setKind(e.target.value)}>
              <option value="">{t('all')}</option>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {l(KIND_NAMES[k])}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            onClick={() => void exportFile('feed/invoices/export', filter, `invoices-${period}.csv`)}
          >
            {t('export')} CSV
          </button>
        </div>
        <ProblemView error={exportError} />
      </section>
      <section className="card">
        <div className="card-head">
          <h2>{t('invoiceFeed')}</h2>
          <button type="button" className="link" onClick={feed.reload} data-testid="tax-refresh">
            {t('refresh')}
          </button>
        </div>
        <ProblemView error={feed.error} />
        {!feed.error && entries.length === 0 ? <p className="muted">{t('empty')}</p> : null}
        <div className="table-wrap">
          <table data-testid="invoices">
            <thead>
              <tr>
                <th>{t('invoiceNo')}</th>
                <th>{t('date')}</th>
                <th>{t('enterprise')}</th>
                <th>{t('seller')}</th>
                <th>{t('amount')}</th>
                <th>{t('tax')}</th>
                <th>{t('status')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-kind={e.kind}>
                  <td>
                    {e.data.invoiceNo ?? '—'}
                    {e.data.originalInvoiceNo ? (
                      <div className="muted">← {e.data.originalInvoiceNo}</div>
                    ) : null}
                  </td>
                  <td>{localDateTime(e.data.occurredAt ?? e.recordedAt, tz)}</td>
                  <td>{e.data.issuer?.name ?? e.data.issuer?.enterpriseId}</td>
                  <td>
                    {e.data.seller?.name ?? <span className="muted">{e.data.sellerKey?.slice(0, 12)}…</span>}
                  </td>
                  <td className="num">{e.data.totals ? fenToYuan(e.data.totals.amountFen) : ''}</td>
                  <td className="num">{e.data.totals ? fenToYuan(e.data.totals.vatFen) : ''}</td>
                  <td>
                    {l(KIND_NAMES[e.kind], e.kind)}
                    {e.data.message ? <div className="muted">{l(e.data.message)}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {cursor ? (
          <button type="button" className="link" onClick={() => void loadMore()}>
            {t('more')}
          </button>
        ) : null}
      </section>
      <section className="card">
        <h2>{t('declarations')}</h2>
        <ProblemView error={declarations.error} />
        {declarations.data?.length === 0 ? <p className="muted">{t('empty')}</p> : null}
        <div className="table-wrap">
          <table data-testid="declarations">
            <thead>
              <tr>
                <th>{t('enterprise')}</th>
                <th>{t('month')}</th>
                <th>{t('seller')}</th>
                <th>{t('amount')}</th>
                <th>{t('tax')}</th>
                <th>{t('incomeTax')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(declarations.data ?? []).map((d) => (
                <tr key={d.declarationId}>
                  <td>
                    {d.issuer.name}
                    <div className="muted">{d.issuer.taxpayerId}</div>
                  </td>
                  <td>
                    {d.period} · r{d.revision}
                  </td>
                  <td className="num">{d.summary.sellerCount}</td>
                  <td className="num">{fenToYuan(d.summary.salesFen)}</td>
                  <td className="num">{fenToYuan(d.summary.vatFen)}</td>
                  <td className="num">{fenToYuan(d.summary.incomeTaxFen)}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() =>
                        void exportFile(
                          `declarations/${encodeURIComponent(d.declarationId)}/export`,
                          {},
                          `${d.declarationId}.csv`,
                        )
                      }
                    >
                      {t('export')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
