// The portal's pages and who may open them; a person who is not signed in lands on the sign-in page.
// Each role's pages are a chunk of their own, loaded when opened: a resident's phone downloads the
// resident's app only, never the dashboard's charts or the staff desks.
import { lazy, StrictMode, Suspense, useEffect, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes, useNavigate } from 'react-router';
import { Layout } from './components/Layout';
import { prefetch, setUnauthorizedHandler } from './lib/api';
import { AppProvider, useApp } from './lib/context';
import { homeOf, loadSession, type Role } from './lib/session';
import './styles.css';

// What the first screen needs starts loading now, in parallel, instead of after the first render:
// the city's reference data, and for a signed-in resident their app and the served-area list.
prefetch('portal', 'reference');
const residentApp = () => import('./pages/resident/ResidentApp');
if (loadSession()?.principal.role === 'resident' && /^\/resident\/?$/.test(location.pathname)) {
  void residentApp();
  prefetch('pickup', 'service-areas');
}

const named = <K extends string>(load: () => Promise<Record<K, React.ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));

const SignIn = named(() => import('./pages/SignIn'), 'SignIn');
const ResidentApp = lazy(residentApp);
const Station = named(() => import('./pages/Station'), 'Station');
const Dismantler = named(() => import('./pages/Dismantler'), 'Dismantler');
const Tax = named(() => import('./pages/Tax'), 'Tax');
const Dashboard = named(() => import('./pages/Dashboard'), 'Dashboard');
const Retailer = lazy(() => import('./pages/trade-in/Retailer'));
const Review = lazy(() => import('./pages/trade-in/Review'));
const Finance = lazy(() => import('./pages/trade-in/Finance'));
const Institution = lazy(() => import('./pages/institution/Institution'));
const Remanufacturer = lazy(() => import('./pages/remanufacturer/Remanufacturer'));

function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { session } = useApp();
  if (!session) return <Navigate to="/signin" replace />;
  if (!roles.includes(session.principal.role))
    return <Navigate to={homeOf(session.principal.role)} replace />;
  return children;
}

function Home() {
  const { session } = useApp();
  return <Navigate to={session ? homeOf(session.principal.role) : '/signin'} replace />;
}

function SessionExpiry() {
  const { setSession } = useApp();
  const navigate = useNavigate();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      setSession(undefined);
      void navigate('/signin');
    });
  }, [setSession, navigate]);
  return null;
}

function Loading() {
  const { t } = useApp();
  return (
    <p className="muted" role="status">
      {t('loading')}
    </p>
  );
}

const page = (roles: Role[] | undefined, element: ReactNode) => (
  <Suspense fallback={<Loading />}>
    {roles ? <RequireRole roles={roles}>{element}</RequireRole> : element}
  </Suspense>
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProvider>
      <BrowserRouter>
        <SessionExpiry />
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<Home />} />
            <Route path="signin" element={page(undefined, <SignIn />)} />
            <Route path="resident/*" element={page(['resident'], <ResidentApp />)} />
            <Route path="station" element={page(['station-operator'], <Station />)} />
            <Route path="dismantler" element={page(['dismantler-operator'], <Dismantler />)} />
            <Route path="tax" element={page(['tax-officer', 'administrator'], <Tax />)} />
            <Route path="dashboard" element={page(['city-official', 'administrator'], <Dashboard />)} />
            <Route path="retailer/*" element={page(['retailer-operator'], <Retailer />)} />
            <Route path="review/*" element={page(['commerce-reviewer'], <Review />)} />
            <Route
              path="finance/*"
              element={page(['finance-officer', 'city-official', 'administrator'], <Finance />)}
            />
            <Route path="institution/*" element={page(['public-institution'], <Institution />)} />
            <Route path="remanufacturer/*" element={page(['remanufacturer-operator'], <Remanufacturer />)} />
            <Route path="*" element={<Home />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </AppProvider>
  </StrictMode>,
);
