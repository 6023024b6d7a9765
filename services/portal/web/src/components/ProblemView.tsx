// An API error as people read it: the Chinese (or English) title, the detail, the request id to
// quote to support, and for a 400 the list of fields (each is also marked next to its input).
import { ApiProblem } from '../lib/problem';
import { useApp } from '../lib/context';

export function ProblemView({ error }: { error: unknown }) {
  const { lang, t, td } = useApp();
  if (!error) return null;
  const p = error instanceof ApiProblem ? error.body : { title: String(error) };
  const title = lang === 'zh' ? (p.title_zh ?? p.title) : (p.title ?? p.title_zh);
  return (
    <div className="problem" role="alert" data-testid="problem">
      <strong>{title}</strong>
      {p.status ? <span className="problem-status"> ({p.status})</span> : null}
      {p.detail ? <div>{p.detail}</div> : null}
      {p.errors && p.errors.length > 0 ? (
        <ul>
          {p.errors.map((e) => (
            <li key={e.field + e.code}>
              <code>{e.field}</code>: {td(`zod.${e.code}`, e.message)}
            </li>
          ))}
        </ul>
      ) : null}
      {p.requestId ? (
        <div className="muted">
          {t('requestId')}: {p.requestId}
        </div>
      ) : null}
    </div>
  );
}

/** The error messages of one field, shown under its input. */
export function FieldErrors({ error, field }: { error: unknown; field: string }) {
  const { td } = useApp();
  if (!(error instanceof ApiProblem)) return null;
  const errors = error.errorsFor(field);
  if (errors.length === 0) return null;
  return (
    <div className="field-error" data-testid={`field-error-${field}`}>
      {errors.map((e) => td(`zod.${e.code}`, e.message)).join('；')}
    </div>
  );
}
