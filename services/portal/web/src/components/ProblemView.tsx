// A refusal as people read it: a plain title, what to do, each field by its name with its hint; the
// status, code and request id only in a collapsed note to quote to support.
import { forwardRef } from 'react';
import { ApiProblem } from '../lib/problem';
import { useApp } from '../lib/context';
import { describeProblem, fieldText } from '../lib/errors';

export const ProblemView = forwardRef<HTMLDivElement, { error: unknown; children?: React.ReactNode }>(
  function ProblemView({ error, children }, ref) {
    const { lang, t } = useApp();
    if (!error) return null;
    const p = describeProblem(error, lang);
    const support = [
      p.support.status ? `HTTP ${p.support.status}` : '',
      p.support.code ?? '',
      p.support.requestId ? `${t('requestId')} ${p.support.requestId}` : '',
    ].filter(Boolean);
    return (
      <div className="problem" role="alert" data-testid="problem" tabIndex={-1} ref={ref}>
        <strong className="problem-title">{p.title}</strong>
        {p.message ? <p data-testid="problem-message">{p.message}</p> : null}
        {p.next ? (
          <p className="problem-next" data-testid="problem-next">
            {p.next}
          </p>
        ) : null}
        {p.fields.length > 0 ? (
          <ul className="problem-fields">
            {p.fields.map((f, i) => (
              <li key={`${f.field}-${i}`} data-field={f.field}>
                <b>{f.label}</b>
                {lang === 'zh' ? '：' : ': '}
                {f.text}
              </li>
            ))}
          </ul>
        ) : null}
        {children}
        {support.length > 0 ? (
          <details className="support">
            <summary>{t('problem.forSupport')}</summary>
            <p>{support.join(' · ')}</p>
          </details>
        ) : null}
      </div>
    );
  },
);

/** The error messages of one field, shown under its input. */
export function FieldErrors({ error, field, id }: { error: unknown; field: string; id?: string }) {
  const { lang } = useApp();
  if (!(error instanceof ApiProblem)) return null;
  const errors = error.errorsFor(field);
  if (errors.length === 0) return null;
  return (
    <span className="field-error" id={id} data-testid={`field-error-${field}`}>
      {errors.map((e) => fieldText(e, lang)).join('；')}
    </span>
  );
}
