// The portal's pages and who may open them; a person who is not signed in lands on the sign-in page.
import { StrictMode, useEffect, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes, useNavigate } from 'react-router';
import { Layout } from './components/Layout';
import { setUnauthorizedHandler } from './lib/api';
import { AppProvider, useApp } from './lib/context';
import { homeOf, type Role } from './lib/session';
import { Dashboard } from './pages/Dashboard';
import { Dismantler } from './pages/Dismantler';
import { Resident } from './pages/Resident';
import { SignIn } from './pages/SignIn';
import { Station } from './pages/Station';
import { Tax } from './pages/Tax';
import './styles.css';

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

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProvider>
      <BrowserRouter>
        <SessionExpiry />
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<Home />} />
            <Route path="signin" element={<SignIn />} />
            <Route
              path="resident"
              element={
                <RequireRole roles={['resident']}>
                  <Resident />
                </RequireRole>
              }
            />
            <Route
              path="station"
              element={
                <RequireRole roles={['station-operator']}>
                  <Station />
                </RequireRole>
              }
            />
            <Route
              path="dismantler"
              element={
                <RequireRole roles={['dismantler-operator']}>
                  <Dismantler />
                </RequireRole>
              }
            />
            <Route
              path="tax"
              element={
                <RequireRole roles={['tax-officer', 'administrator']}>
                  <Tax />
                </RequireRole>
              }
            />
            <Route
              path="dashboard"
              element={
                <RequireRole roles={['city-official', 'administrator']}>
                  <Dashboard />
                </RequireRole>
              }
            />
            <Route path="*" element={<Home />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </AppProvider>
  </StrictMode>,
);
