// 我的发票 / My invoices: the reverse invoices issued for the goods of the resident's pickups, red-letter
// reversals and reissues included, as the invoicing service lists them (seller masked). Amounts come
// in fen and are shown in yuan.
import { api } from '../lib/api';
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

export function ResidentInvoices() {
  const { t, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
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
      <ProblemView error={invoices.error} />
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
            {/* The invoice's PDF (with the fields of an electronic invoice) comes with invoicing's download
                endpoint in the second half of issue 16: its link goes here, and is not offered before. */}
            <div className="muted">
              {i.lines
                .map((l) => `${goodsOf(l.goodsName)} ${l.quantity.replace(/^-/, '')}${l.unit}`)
                .join('，')}{' '}
              · {t('seller')} {i.seller.nameMasked} · {t('pickupId')} {i.pickupId}
              {i.originalInvoiceNo ? ` · ← ${i.originalInvoiceNo}` : ''}
              {i.reversedByInvoiceNo ? ` · → ${i.reversedByInvoiceNo}` : ''}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
