// Local sign-in: pick a role and an id; the portal server mints a development token (refused in
// production, where the identity provider signs people in).
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { Field } from '../components/Field';
import { ProblemView } from '../components/ProblemView';
import { api } from '../lib/api';
import { useApp } from '../lib/context';
import { homeOf, ROLES, type Role, type Session } from '../lib/session';

const DEFAULT_IDS: Record<Role, { sub: string; scope: string }> = {
  resident: { sub: 'r-1001', scope: '' },
  'station-operator': { sub: 'op-1', scope: 'st-01' },
  'dismantler-operator': { sub: 'op-2', scope: 'dm-01' },
  'used-car-market': { sub: 'mk-op-1', scope: 'mk-01' },
  'tax-officer': { sub: 'tax-1', scope: '' },
  'city-official': { sub: 'city-1', scope: '' },
  administrator: { sub: 'admin-1', scope: '' },
  // The demo data's retailer (scripts/demo/subsidies.ts); the institution and the remanufacturer of
  // the contracts' fixtures, which the services' own documents use as examples.
  'retailer-operator': { sub: 'op-rt-demo-01', scope: 'rt-demo-01' },
  'commerce-reviewer': { sub: 'cr-1', scope: '' },
  'finance-officer': { sub: 'fo-1', scope: '' },
  'public-institution': { sub: 'pi-op-1', scope: '11659002MB1357924K' },
  'remanufacturer-operator': { sub: 'rm-op-1', scope: 'rm-alar-power' },
};

const SITED: Role[] = [
  'station-operator',
  'dismantler-operator',
  'used-car-market',
  'retailer-operator',
  'public-institution',
  'remanufacturer-operator',
];

export function SignIn() {
  const { t, td, setSession } = useApp();
  const navigate = useNavigate();
  const [role, setRole] = useState<Role>('resident');
  const [sub, setSub] = useState(DEFAULT_IDS.resident.sub);
  const [scope, setScope] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const pickRole = (next: Role) => {
    setRole(next);
    setSub(DEFAULT_IDS[next].sub);
    setScope(DEFAULT_IDS[next].scope);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await api<Session>('portal', 'dev-token', {
        body: { role, sub, ...(SITED.includes(role) && scope ? { scope } : {}), ...(name ? { name } : {}) },
      });
      setSession(session);
      void navigate(homeOf(session.principal.role));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card narrow">
      <h1>{t('signInTitle')}</h1>
      <p className="muted">{t('signInHint')}</p>
      <form onSubmit={submit} data-testid="signin-form">
        <Field label={t('role')} field="role" error={error}>
          <select name="role" value={role} onChange={(e) => pickRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {td(`role.${r}`, r)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('subject')} field="sub" error={error}>
          <input name="sub" value={sub} onChange={(e) => setSub(e.target.value)} autoComplete="username" />
        </Field>
        {SITED.includes(role) ? (
          <Field label={t('scope')} field="scope" error={error} hint={td(`scopeOf.${role}`, '') || undefined}>
            <input name="scope" value={scope} onChange={(e) => setScope(e.target.value)} />
          </Field>
        ) : null}
        <Field label={t('displayName')} field="name" error={error}>
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <ProblemView error={error} />
        <button type="submit" className="primary" disabled={busy} data-testid="signin-submit">
          {t('signIn')}
        </button>
      </form>
    </section>
  );
}
