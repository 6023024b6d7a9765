// The tax office: the reverse-invoice feed with filters, the monthly withholding declarations and
// CSV exports. Read only, as the tax office writes nothing in this network.
import { useState } from 'react';
import { ProblemView } from '../components/ProblemView';
import { api, asList, download } from '../lib/api';
import { useApp } from '../lib/context';
import { fenToYuan, localDateTime, localMonth } from '../lib/units';
import { useLoad } from '../lib/use-load';

interface InvoiceRow {
  invoiceId?: string;
  invoiceNo?: string;
  number?: string;
  kind?: string;
  status?: string;
  type?: string;
  issuedAt?: string;
  occurredAt?: string;
  enterpriseId?: string;
  issuer?: { enterpriseId?: string; name?: string };
  seller?: { name?: string; nameMasked?: string; idNumberMasked?: string };
  totals?: { amountFen?: number; vatFen?: number; taxFen?: number };
  totalAmountFen?: number;
  totalVatFen?: number;
  amountFen?: number;
  vatFen?: number;
}

interface DeclarationRow {
  declarationId?: string;
  enterpriseId: string;
  month?: string;
  period?: string;
  sellers?: unknown[];
  sellerCount?: number;
  totals?: Record<string, number>;
  totalAmountFen?: number;
  status?: string;
}

const amountOf = (i: InvoiceRow) => i.totals?.amountFen ?? i.totalAmountFen ?? i.amountFen;
const vatOf = (i: InvoiceRow) => i.totals?.vatFen ?? i.totals?.taxFen ?? i.totalVatFen ?? i.vatFen;

export function Tax() {
  const { t, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const [month, setMonth] = useState(localMonth(tz));
  const [enterpriseId, setEnterpriseId] = useState('');
  const [status, setStatus] = useState('');
  const [exportError, setExportError] = useState<unknown>();
  const query = { month, enterpriseId: enterpriseId || undefined, status: status || undefined };

  const invoices = useLoad(
    (signal) =>
      api<unknown>('invoicing', 'invoices', { query, signal }).then((r) => asList<InvoiceRow>(r, 'invoices')),
    [month, enterpriseId, status],
  );
  const declarations = useLoad(
    (signal) =>
      api<unknown>('invoicing', 'declarations', {
        query: { month, enterpriseId: enterpriseId || undefined },
        signal,
      }).then((r) => asList<DeclarationRow>(r, 'declarations')),
    [month, enterpriseId],
  );

  const exportCsv = async (path: string, name: string) => {
    setExportError(undefined);
    try {
      await download('invoicing', path, query, name);
    } catch (err) {
      setExportError(err);
    }
  };

  return (
    <div className="grid one">
      <section className="card">
        <h2>{t('filters')}</h2>
        <div className="row">
          <label className="field">
            <span className="field-label">{t('month')}</span>
            <input
              type="month"
              value={month}
              onChange={(e) => setMonth(e.target.value)}
              data-testid="tax-month"
            />
          </label>
          <label className="field">
            <span className="field-label">{t('enterprise')}</span>
            <input value={enterpriseId} onChange={(e) => setEnterpriseId(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">{t('status')}</span>
            <select value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">{t('all')}</option>
              <option value="issued">issued / 已开具</option>
              <option value="reversed">reversed / 已红冲</option>
              <option value="refused">refused / 已拒绝</option>
            </select>
          </label>
          <button
            type="button"
            onClick={() => void exportCsv('exports/invoices.csv', `invoices-${month}.csv`)}
          >
            {t('export')} {t('invoiceFeed')}
          </button>
          <button
            type="button"
            onClick={() => void exportCsv('exports/declarations.csv', `declarations-${month}.csv`)}
          >
            {t('export')} {t('declarations')}
          </button>
        </div>
        <ProblemView error={exportError} />
      </section>
      <section className="card">
        <h2>{t('invoiceFeed')}</h2>
        <ProblemView error={invoices.error} />
        {invoices.data?.length === 0 ? <p className="muted">{t('empty')}</p> : null}
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
              {(invoices.data ?? []).map((i, n) => {
                const amount = amountOf(i);
                const vat = vatOf(i);
                const when = i.issuedAt ?? i.occurredAt;
                return (
                  <tr key={i.invoiceId ?? i.invoiceNo ?? n}>
                    <td>{i.invoiceNo ?? i.number ?? i.invoiceId}</td>
                    <td>{when ? localDateTime(when, tz) : ''}</td>
                    <td>{i.issuer?.name ?? i.issuer?.enterpriseId ?? i.enterpriseId}</td>
                    <td>{i.seller?.name ?? i.seller?.nameMasked}</td>
                    <td className="num">{amount === undefined ? '' : fenToYuan(amount)}</td>
                    <td className="num">{vat === undefined ? '' : fenToYuan(vat)}</td>
                    <td>{i.status ?? i.kind ?? i.type}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
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
                <th>{t('status')}</th>
              </tr>
            </thead>
            <tbody>
              {(declarations.data ?? []).map((d, n) => {
                const amount = d.totals?.amountFen ?? d.totalAmountFen;
                return (
                  <tr key={d.declarationId ?? n}>
                    <td>{d.enterpriseId}</td>
                    <td>{d.month ?? d.period}</td>
                    <td>{d.sellerCount ?? d.sellers?.length}</td>
                    <td className="num">{amount === undefined ? '' : fenToYuan(amount)}</td>
                    <td>{d.status}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
