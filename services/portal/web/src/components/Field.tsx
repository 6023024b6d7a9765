// A labelled input with its API field errors underneath; the label names the field in both
// languages' current choice, the `field` is the dotted path the API reports.
import type { ReactNode } from 'react';
import { ApiProblem } from '../lib/problem';
import { FieldErrors } from './ProblemView';
import { useApp, type CodeLabel } from '../lib/context';

export function Field({
  label,
  field,
  error,
  children,
}: {
  label: string;
  field?: string;
  error?: unknown;
  children: ReactNode;
}) {
  const invalid = field && error instanceof ApiProblem && error.errorsFor(field).length > 0;
  return (
    <label className={`field${invalid ? ' invalid' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {field ? <FieldErrors error={error} field={field} /> : null}
    </label>
  );
}

export function CodeSelect({
  options,
  value,
  onChange,
  name,
  allowEmpty,
}: {
  options: CodeLabel[] | undefined;
  value: string;
  onChange: (v: string) => void;
  name: string;
  allowEmpty?: boolean;
}) {
  const { l, t } = useApp();
  return (
    <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
      {allowEmpty ? <option value="">{t('all')}</option> : null}
      {(options ?? []).map((o) => (
        <option key={o.code} value={o.code}>
          {l(o.name, o.code)}
        </option>
      ))}
    </select>
  );
}
