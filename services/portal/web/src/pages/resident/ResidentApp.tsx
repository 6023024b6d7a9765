// The resident's app, phone first: four tabs at the bottom (book, my bookings, my money and invoices,
// help), each its own screen. Loaded as its own chunk: nothing of the staff desks comes with it.
import { lazy, Suspense } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { Icon } from '../../components/Icons';
import { useApp } from '../../lib/context';
import type { MessageKey } from '../../lib/dictionary';
import { Book } from './Book';

const Bookings = lazy(() => import('./Bookings'));
const Money = lazy(() => import('./Money'));
const Help = lazy(() => import('./Help'));
const Subsidies = lazy(() => import('./Subsidies'));

const TABS: Array<{ to: string; key: MessageKey; icon: string; end?: boolean }> = [
  { to: '/resident', key: 'tab.book', icon: 'calendar', end: true },
  { to: '/resident/bookings', key: 'tab.bookings', icon: 'list' },
  { to: '/resident/money', key: 'tab.money', icon: 'wallet' },
  { to: '/resident/help', key: 'tab.help', icon: 'help' },
];

export default function ResidentApp() {
  const { t } = useApp();
  return (
    <div className="resident">
      <Suspense fallback={<p className="muted">{t('loading')}</p>}>
        <Routes>
          <Route index element={<Book />} />
          <Route path="bookings" element={<Bookings />} />
          <Route path="money" element={<Money />} />
          <Route path="help" element={<Help />} />
          <Route path="subsidies/*" element={<Subsidies />} />
        </Routes>
      </Suspense>
      <nav className="tabbar" aria-label={t('tab.label')}>
        {TABS.map((tab) => (
          <NavLink key={tab.to} to={tab.to} end={tab.end} data-testid={`tab-${tab.key.slice(4)}`}>
            <Icon name={tab.icon} size={24} />
            <span>{t(tab.key)}</span>
          </NavLink>
        ))}
      </nav>
    </div>
  );
}
