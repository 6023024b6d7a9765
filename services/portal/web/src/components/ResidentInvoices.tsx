// 我的发票 / My invoices: the reverse invoices issued for the goods of the resident's pickups, red-letter
// reversals and reissues included, as the invoicing service lists them (seller masked). Amounts come
// in fen and are shown in yuan.
import { useState, type MouseEvent } from 'react';
import { api, download } from '../lib/api';
import { useApp } from '../lib/context';
import type { MessageKey } from '../lib/dictionary';
import { fenToYuan, localDate } from '../lib/units';
import { useLoad } from '../lib/use-load';
import { ProblemView } from './ProblemView';

export type ResidentInvoiceStatus = 'issued' | 'reversed' | 'red-letter';

export interface ResidentInvoice {
  invoiceId: string;
  invoiceNo: string;
  status: ResidentInvoiceStatus;
  date: string;
  pickupId: string;
  enterprise: { enterpriseId: string; name: string };
  seller: { nameMasked: string; idNumberMasked: string };
  amountFen: number;
  vatFen: number;
  lines: Array<{ goodsName: string; quantity: string; unit: string }>;
  originalInvoiceNo?: string;
  reversedByInvoiceNo?: string;
}

const STATUS: Record<ResidentInvoiceStatus, MessageKey> = {
  issued: 'invoiceStatus.issued',
  reversed: 'invoiceStatus.reversed',
  'red-letter': 'invoiceStatus.red-letter',
};

/** '*废旧物资*废旧电冰箱' → '废旧电冰箱': the tax category prefix means nothing to a resident. */
const goodsOf = (name: string) => name.replace(/^\*[^*]*\*/, '');

const pdfPath = (i: ResidentInvoice) => `/api/invoicing/invoices/${encodeURIComponent(i.invoiceId)}/pdf`;

export function ResidentInvoices() {
  const { t, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const [pdfError, setPdfError] = useState<unknown>();
  // The link names the file; the download itself goes through the API with the resident's token.
  const downloadPdf = async (e: MouseEvent, i: ResidentInvoice) => {
    e.preventDefault();
    setPdfError(undefined);
    try {
      await download(
        'invoicing',
        `invoices/${encodeURIComponent(i.invoiceId)}/pdf`,
        {},
        `invoice-${i.invoiceNo}.pdf`,
      );
    } catch (err) {
      setPdfError(err);
    }
  };
  const invoices = useLoad(
    (signal) =>
      api<{ items: ResidentInvoice[] }>('invoicing', 'residents/me/invoices', { signal }).then(
        (r) => r.items,
      ),
    [],
  );
  return (
    <section className="card" data-testid="my-invoices">
      <div className="card-head">
        <h2>{t('myInvoices')}</h2>
        <button type="button" className="link" onClick={invoices.reload} data-testid="invoices-refresh">
          {t('refresh')}
        </button>
      </div>
      <p className="muted">{t('myInvoicesHint')}</p>
      <ProblemView error={invoices.error ?? pdfError} />
      {invoices.data?.length === 0 ? <p className="muted">{t('empty')}</p> : null}
      <ul className="pickups invoices" data-testid="invoices-list">
        {(invoices.data ?? []).map((i) => (
          <li
            key={i.invoiceId}
            className="pickup"
            data-testid={`invoice-${i.invoiceNo}`}
            data-pickup={i.pickupId}
            data-status={i.status}
          >
            <div className="pickup-head">
              <strong>{i.invoiceNo}</strong>
              <span className={`badge invoice-${i.status}`} data-testid="invoice-status">
                {t(STATUS[i.status])}
              </span>
            </div>
            <div className="muted">
              {t('date')} {localDate(tz, new Date(i.date))} · {i.enterprise.name}
            </div>
            <dl className="figures">
              <div>
                <dt>{t('amount')}</dt>
                <dd data-testid="invoice-amount">{fenToYuan(i.amountFen)}</dd>
              </div>
              <div>
                <dt>{t('tax')}</dt>
                <dd data-testid="invoice-vat">{fenToYuan(i.vatFen)}</dd>
              </div>
            </dl>
            <div className="muted">
              {i.lines
                .map((l) => `${goodsOf(l.goodsName)} ${l.quantity.replace(/^-/, '')}${l.unit}`)
                .join('，')}{' '}
              · {t('seller')} {i.seller.nameMasked} · {t('pickupId')} {i.pickupId}
              {i.originalInvoiceNo ? ` · ← ${i.originalInvoiceNo}` : ''}
              {i.reversedByInvoiceNo ? ` · → ${i.reversedByInvoiceNo}` : ''}
            </div>
            <a
              className="button"
              href={pdfPath(i)}
              aria-label={`${t('invoicePdf')} · ${t('invoiceNo')} ${i.invoiceNo}`}
              onClick={(e) => void downloadPdf(e, i)}
              data-testid="invoice-pdf"
            >
              {t('invoicePdf')}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
