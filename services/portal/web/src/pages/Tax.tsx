// The tax office: the feed of reverse invoices (issued, red-letter reversals, refusals) with filters,
// the monthly withholding declarations, and CSV exports. Read only: the tax office writes nothing
// in this network (an administrator, who may open this page too, can prepare a declaration on
// demand). The feed carries the seller's full identity, as the invoice itself does.
//
// The filter lives in the address (/tax?period=…&enterpriseName=…&creditCode=…&kind=…): a reload, a
// bookmark or a colleague's link finds the same list. Enterprises are named as people know them, by
// name or unified social credit code; times are Beijing time; totals are those of the whole filter.
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { Field } from '../components/Field';
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
    issuer?: { enterpriseId: string; name?: string; taxpayerId?: string };
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

interface Filter {
  period: string;
  enterpriseName: string;
  creditCode: string;
  kind: string;
}

interface Totals {
  count: number;
  issued: number;
  reversed: number;
  refused: number;
  amountFen: number;
  vatFen: number;
  totalFen: number;
  enterprises: { enterpriseId: string; name: string; taxpayerId: string }[];
}

const FILTER_KEYS = ['period', 'enterpriseName', 'creditCode', 'kind'] as const;

export function Tax() {
  const { t, l, reference, session } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  // What the form shows, and what the lists were asked for: the address's query (kept on reload).
  const [params, setParams] = useSearchParams();
  const applied: Filter = {
    period: params.get('period') ?? localMonth(tz),
    enterpriseName: params.get('enterpriseName') ?? '',
    creditCode: params.get('creditCode') ?? '',
    kind: params.get('kind') ?? '',
  };
  const [draft, setDraft] = useState<Filter>(applied);
  const { period, enterpriseName, creditCode, kind } = applied;
  const [more, setMore] = useState<FeedEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [exportError, setExportError] = useState<unknown>();
  const filter = {
    period,
    enterpriseName: enterpriseName || undefined,
    creditCode: creditCode || undefined,
    kind: kind || undefined,
  };
  const [prepareError, setPrepareError] = useState<unknown>();
  const [prepared, setPrepared] = useState<string>();
  const isAdmin = session?.principal.role === 'administrator';

  const search = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const value = draft[key].trim();
      if (value) next.set(key, value);
    }
    // The same filter again still reloads: the officer expects fresh data after pressing search.
    if (next.toString() === params.toString()) {
      feed.reload();
      totals.reload();
      declarations.reload();
    }
    setParams(next);
  };

  const totals = useLoad(
    (signal) => api<Totals>('invoicing', 'feed/invoices/totals', { query: filter, signal }),
    [period, enterpriseName, creditCode, kind],
  );
  /** The enterprise the name or code names, when it names exactly one (declarations are per enterprise). */
  const named =
    (enterpriseName || creditCode) && totals.data?.enterprises.length === 1
      ? totals.data.enterprises[0]
      : undefined;
  const enterpriseId = named?.enterpriseId;

  const prepare = async (e: FormEvent) => {
    e.preventDefault();
    setPrepareError(undefined);
    setPrepared(undefined);
    if (!enterpriseId) return;
    try {
      const d = await api<Declaration>('invoicing', 'declarations', {
        body: { enterpriseId, period },
      });
      setPrepared(`${d.declarationId} · r${d.revision}`);
      declarations.reload();
    } catch (err) {
      setPrepareError(err);
    }
  };

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
    [period, enterpriseName, creditCode, kind],
  );
  const declarations = useLoad(
    (signal) =>
      (enterpriseName || creditCode) && !enterpriseId
        ? Promise.resolve([])
        : api<{ items: Declaration[] }>('invoicing', 'declarations', {
            query: { period, enterpriseId },
            signal,
          }).then((r) => r.items),
    [period, enterpriseName, creditCode, enterpriseId],
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
        <form className="row" onSubmit={search} data-testid="tax-filters">
          <Field label={t('month')} field="query.period" error={feed.error}>
            <input
              type="month"
              name="period"
              value={draft.period}
              onChange={(e) => setDraft({ ...draft, period: e.target.value })}
              data-testid="tax-month"
            />
          </Field>
          <Field
            label={t('enterpriseName')}
            field="query.enterpriseName"
            error={feed.error}
            hint={t('hint.enterpriseName')}
          >
            <input
              name="enterpriseName"
              value={draft.enterpriseName}
              onChange={(e) => setDraft({ ...draft, enterpriseName: e.target.value })}
              data-testid="tax-enterprise-name"
            />
          </Field>
          <Field
            label={t('creditCode')}
            field="query.creditCode"
            error={feed.error}
            hint={t('hint.creditCode')}
          >
            <input
              name="creditCode"
              value={draft.creditCode}
              autoCapitalize="characters"
              spellCheck={false}
              onChange={(e) => setDraft({ ...draft, creditCode: e.target.value })}
              data-testid="tax-credit-code"
            />
          </Field>
          <Field label={t('status')} field="query.kind" error={feed.error}>
            <select
              name="kind"
              value={draft.kind}
              onChange={(e) => setDraft({ ...draft, kind: e.target.value })}
            >
              <option value="">{t('all')}</option>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {l(KIND_NAMES[k])}
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" className="primary" data-testid="tax-search">
            {t('search')}
          </button>
          <button
            type="button"
            data-testid="tax-export"
            onClick={() => void exportFile('feed/invoices/export', filter, `invoices-${period}.csv`)}
          >
            {t('export')} CSV
          </button>
          {isAdmin ? (
            <button
              type="button"
              data-testid="prepare-declaration"
              disabled={!enterpriseId}
              onClick={(e) => void prepare(e)}
            >
              {t('prepareDeclaration')}
            </button>
          ) : null}
        </form>
        <ProblemView error={exportError ?? prepareError} />
        {prepared ? (
          <div className="notice" data-testid="declaration-notice">
            {t('saved')}: {prepared}
          </div>
        ) : null}
      </section>
      <section className="card">
        <div className="card-head">
          <h2>{t('invoiceFeed')}</h2>
          <button
            type="button"
            className="link"
            onClick={() => {
              feed.reload();
              totals.reload();
            }}
            data-testid="tax-refresh"
          >
            {t('refresh')}
          </button>
        </div>
        <ProblemView error={feed.error} />
        {totals.data && !feed.error ? (
          <div data-testid="tax-totals" aria-live="polite">
            <h3>{t('feedTotals')}</h3>
            {totals.data.enterprises.length > 0 && (enterpriseName || creditCode) ? (
              <p className="muted" data-testid="tax-matched">
                {t('totals.enterprises')}:{' '}
                {totals.data.enterprises.map((e) => `${e.name}（${e.taxpayerId}）`).join('，')}
              </p>
            ) : null}
            {totals.data.enterprises.length === 0 && (enterpriseName || creditCode) ? (
              <p className="muted">{t('totals.noEnterprise')}</p>
            ) : null}
            <dl className="figures">
              {(
                [
                  ['totals.count', String(totals.data.count), 'count'],
                  ['totals.issued', String(totals.data.issued), 'issued'],
                  ['totals.reversed', String(totals.data.reversed), 'reversed'],
                  ['totals.refused', String(totals.data.refused), 'refused'],
                  ['totals.amount', fenToYuan(totals.data.amountFen), 'amount'],
                  ['totals.vat', fenToYuan(totals.data.vatFen), 'vat'],
                  ['totals.total', fenToYuan(totals.data.totalFen), 'total'],
                ] as const
              ).map(([key, value, id]) => (
                <div key={id}>
                  <dt>{t(key)}</dt>
                  <dd data-testid={`total-${id}`}>{value}</dd>
                </div>
              ))}
            </dl>
          </div>
        ) : null}
        {!feed.error && entries.length === 0 ? <p className="muted">{t('empty')}</p> : null}
        <div className="table-wrap">
          <table data-testid="invoices">
            <thead>
              <tr>
                <th>{t('invoiceNo')}</th>
                <th>{t('invoiceTime')}</th>
                <th>{t('enterprise')}</th>
                <th>{t('seller')}</th>
                <th>{t('amount')}</th>
                <th>{t('tax')}</th>
                <th>{t('totalWithTax')}</th>
                <th>{t('status')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-kind={e.kind} data-enterprise={e.data.issuer?.enterpriseId}>
                  <td>
                    {e.data.invoiceNo ?? '—'}
                    {e.data.originalInvoiceNo ? (
                      <div className="muted">← {e.data.originalInvoiceNo}</div>
                    ) : null}
                  </td>
                  <td>{localDateTime(e.data.occurredAt ?? e.recordedAt, tz)}</td>
                  <td>
                    {e.data.issuer?.name ?? e.data.issuer?.enterpriseId}
                    {e.data.issuer?.taxpayerId ? (
                      <div className="muted">{e.data.issuer.taxpayerId}</div>
                    ) : null}
                  </td>
                  <td>
                    {e.data.seller?.name ?? <span className="muted">{e.data.sellerKey?.slice(0, 12)}…</span>}
                  </td>
                  <td className="num">{e.data.totals ? fenToYuan(e.data.totals.amountFen) : ''}</td>
                  <td className="num">{e.data.totals ? fenToYuan(e.data.totals.vatFen) : ''}</td>
                  <td className="num">{e.data.totals ? fenToYuan(e.data.totals.totalFen) : ''}</td>
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
                <tr key={d.declarationId} data-testid={`declaration-${d.declarationId}`}>
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
