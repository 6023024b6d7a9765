// Header with the pages the signed-in role may use, the language switch and sign-out.
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useApp } from '../lib/context';
import type { Role } from '../lib/session';
import type { MessageKey } from '../lib/dictionary';

const PAGES: Array<{ to: string; key: MessageKey; roles: Role[] }> = [
  { to: '/station', key: 'nav.station', roles: ['station-operator'] },
  { to: '/dismantler', key: 'nav.dismantler', roles: ['dismantler-operator'] },
  { to: '/tax', key: 'nav.tax', roles: ['tax-officer', 'administrator'] },
  { to: '/dashboard', key: 'nav.dashboard', roles: ['city-official', 'administrator'] },
  { to: '/retailer', key: 'nav.retailer', roles: ['retailer-operator'] },
  { to: '/review', key: 'nav.review', roles: ['commerce-reviewer'] },
  { to: '/finance', key: 'nav.finance', roles: ['finance-officer', 'city-official', 'administrator'] },
  { to: '/institution', key: 'nav.institution', roles: ['public-institution'] },
  { to: '/remanufacturer', key: 'nav.remanufacturer', roles: ['remanufacturer-operator'] },
];

export function Layout() {
  const { t, td, lang, setLang, session, setSession, reference, l } = useApp();
  const navigate = useNavigate();
  const role = session?.principal.role;
  const pages = PAGES.filter((p) => role && p.roles.includes(role));
  return (
    <div className={`app${role === 'resident' ? ' app-resident' : ''}`}>
      <a className="skip" href="#main">
        {t('skipToContent')}
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-title">{t('appTitle')}</span>
          {reference ? <span className="brand-city">{l(reference.city.name)}</span> : null}
        </div>
        {pages.length > 0 ? (
          <nav className="nav" aria-label={t('nav.label')}>
            {pages.map((p) => (
              <NavLink key={p.to} to={p.to} data-testid={`nav-${p.to.slice(1)}`}>
                {t(p.key)}
              </NavLink>
            ))}
          </nav>
        ) : null}
        <div className="topbar-end">
          <button
            type="button"
            className="link"
            data-testid="lang-switch"
            lang={lang === 'zh' ? 'en' : 'zh-CN'}
            onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
          >
            {t('language')}
          </button>
          {session ? (
            <>
              <span className="who" data-testid="who">
                {session.principal.name ?? session.principal.sub} ·{' '}
                {td(`role.${session.principal.role}`, session.principal.role)}
                {session.principal.scope && session.principal.role !== 'resident'
                  ? ` · ${session.principal.scope}`
                  : ''}
              </span>
              <button
                type="button"
                className="link"
                onClick={() => {
                  setSession(undefined);
                  void navigate('/signin');
                }}
              >
                {t('signOut')}
              </button>
            </>
          ) : null}
        </div>
      </header>
      <main className="content" id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
