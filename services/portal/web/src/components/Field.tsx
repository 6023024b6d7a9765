// A labelled input with its API field errors underneath, linked to it (aria-describedby) and marked
// (aria-invalid) so a screen reader announces the error with the field. `field` is the dotted path the
// API reports; people see only the label.
import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from 'react';
import { ApiProblem } from '../lib/problem';
import { FieldErrors } from './ProblemView';
import { useApp, type CodeLabel } from '../lib/context';

const FORM_CONTROLS = new Set(['input', 'select', 'textarea']);

export function Field({
  label,
  field,
  error,
  hint,
  children,
}: {
  label: string;
  field?: string;
  error?: unknown;
  /** A short example or rule shown under the label, also linked to the input. */
  hint?: string;
  children: ReactNode;
}) {
  const id = useId();
  const invalid = Boolean(field && error instanceof ApiProblem && error.errorsFor(field).length > 0);
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : '', invalid ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const control =
    isValidElement(children) && typeof children.type === 'string' && FORM_CONTROLS.has(children.type)
      ? cloneElement(children as ReactElement<Record<string, unknown>>, {
          'aria-invalid': invalid || undefined,
          'aria-describedby': describedBy,
        })
      : children;
  return (
    <label className={`field${invalid ? ' invalid' : ''}`}>
      <span className="field-label">{label}</span>
      {hint ? (
        <span className="field-hint" id={hintId}>
          {hint}
        </span>
      ) : null}
      {control}
      {field ? <FieldErrors error={error} field={field} id={errorId} /> : null}
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
