import { createTheme, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useSyncExternalStore } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { currentSession, endSession, onSessionChange } from './auth/session';
import { Loading } from './components/Problem';
import { screensOf, Shell } from './components/Shell';
import { NotFound } from './pages/NotFound';
import { SignIn, SignInReturn } from './pages/SignIn';

// Each screen is loaded when first visited: the first screen downloads only what it shows.
const Dashboard = lazy(() => import('./pages/Dashboard').then((m) => ({ default: m.Dashboard })));
const Enrollments = lazy(() => import('./pages/Enrollments').then((m) => ({ default: m.Enrollments })));
const NewEnrollment = lazy(() => import('./pages/NewEnrollment').then((m) => ({ default: m.NewEnrollment })));
const Path = lazy(() => import('./pages/Path').then((m) => ({ default: m.Path })));
const MySittings = lazy(() => import('./pages/MySittings').then((m) => ({ default: m.MySittings })));
const Grading = lazy(() => import('./pages/Grading').then((m) => ({ default: m.Grading })));
const JuryReady = lazy(() => import('./pages/JuryReady').then((m) => ({ default: m.JuryReady })));
const JuryPath = lazy(() => import('./pages/JuryPath').then((m) => ({ default: m.JuryPath })));
const Deliberation = lazy(() => import('./pages/Deliberation').then((m) => ({ default: m.Deliberation })));
const AccommodationActs = lazy(() => import('./pages/AccommodationActs').then((m) => ({ default: m.AccommodationActs })));
const PathWithdrawal = lazy(() => import('./pages/PathWithdrawal').then((m) => ({ default: m.PathWithdrawal })));
const PathTransfer = lazy(() => import('./pages/PathTransfer').then((m) => ({ default: m.PathTransfer })));
const Provenance = lazy(() => import('./pages/Provenance').then((m) => ({ default: m.Provenance })));
const PersonalDataReads = lazy(() => import('./pages/PersonalDataReads').then((m) => ({ default: m.PersonalDataReads })));
const Findings = lazy(() => import('./pages/Findings').then((m) => ({ default: m.Findings })));
const Referentials = lazy(() => import('./pages/Referentials').then((m) => ({ default: m.Referentials })));
const ReferentialVersion = lazy(() => import('./pages/Referentials').then((m) => ({ default: m.ReferentialVersion })));
const Accrochage = lazy(() => import('./pages/Accrochage').then((m) => ({ default: m.Accrochage })));
const CohortImport = lazy(() => import('./pages/CohortImport').then((m) => ({ default: m.CohortImport })));
const ExamSessions = lazy(() => import('./pages/ExamSessions').then((m) => ({ default: m.ExamSessions })));
const ExamSession = lazy(() => import('./pages/ExamSessions').then((m) => ({ default: m.ExamSession })));
const Delivery = lazy(() => import('./pages/Delivery').then((m) => ({ default: m.Delivery })));
const CandidateIdentity = lazy(() => import('./pages/CandidateIdentity').then((m) => ({ default: m.CandidateIdentity })));

/** Darker shades than Mantine's defaults: text on coloured surfaces meets WCAG AA contrast (RGAA). */
const theme = createTheme({ primaryShade: { light: 8, dark: 8 }, autoContrast: true, luminanceThreshold: 0.4 });

/**
 * Mantine's dimmed text (gray 6) and placeholders (gray 5) are below AA contrast on white: gray 7
 * instead; so is its error red (red 6, 3.3:1) for a field's message and border: red 9.
 */
const contrastVariables = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {},
});

const queries = new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, refetchOnWindowFocus: false } } });
// What one person was shown is never shown to the next one signing in on this tab.
onSessionChange(() => queries.clear());

function useSession() {
  const token = useSyncExternalStore(onSessionChange, () => currentSession()?.token);
  return token ? currentSession() : undefined;
}

/** Signed-in screens: without a session (or once it expired), the sign-in page, then back here. */
function SignedIn() {
  const session = useSession();
  const location = useLocation();
  // The screen leaves for the sign-in page when the session lapses, not at the next click.
  const expiresAt = session?.expiresAt;
  useEffect(() => {
    if (expiresAt === undefined) return;
    const timer = setTimeout(() => endSession('expired'), Math.max(0, expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [expiresAt]);
  if (!session) return <Navigate to="/connexion" replace state={{ from: location.pathname + location.search }} />;
  return (
    <Suspense fallback={<Loading m="xl" />}>
      <Shell session={session} />
    </Suspense>
  );
}

function Home() {
  const session = useSession();
  return <Navigate to={session ? screensOf(session.role)[0].to : '/connexion'} replace />;
}

/**
 * The console's own paths are French words, apart from the api's (English) paths it shares the
 * origin with. The declarative router: the console loads its data with TanStack Query, so the data
 * router's loaders and actions (twice its weight on the first load) would go unused.
 */
export function App() {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={contrastVariables}>
      <QueryClientProvider client={queries}>
        <BrowserRouter>
          <Routes>
            <Route path="/connexion" element={<SignIn />} />
            <Route path="/connexion/retour" element={<SignInReturn />} />
            <Route element={<SignedIn />}>
              <Route index element={<Home />} />
              <Route path="/tableau-de-bord" element={<Dashboard />} />
              <Route path="/inscriptions" element={<Enrollments />} />
              <Route path="/inscriptions/nouvelle" element={<NewEnrollment />} />
              <Route path="/parcours/:enrollmentId" element={<Path />} />
              <Route path="/parcours/:enrollmentId/amenagements" element={<AccommodationActs />} />
              <Route path="/parcours/:enrollmentId/abandon" element={<PathWithdrawal />} />
              <Route path="/parcours/:enrollmentId/transfert" element={<PathTransfer />} />
              <Route path="/mes-epreuves" element={<MySittings />} />
              <Route path="/mes-epreuves/:enrollmentId/:sittingId" element={<Grading key="assessment" />} />
              <Route path="/mes-epreuves/:enrollmentId/:sittingId/correction" element={<Grading key="correction" correction />} />
              <Route path="/jury" element={<JuryReady />} />
              <Route path="/jury/parcours/:enrollmentId" element={<JuryPath />} />
              <Route path="/deliberation" element={<Deliberation />} />
              <Route path="/parcours/:enrollmentId/blocs/:blocCode/provenance" element={<Provenance />} />
              <Route path="/constats" element={<Findings />} />
              <Route path="/donnees-personnelles" element={<PersonalDataReads />} />
              <Route path="/referentiels" element={<Referentials />} />
              <Route path="/referentiels/:referential/:version" element={<ReferentialVersion />} />
              <Route path="/accrochage" element={<Accrochage />} />
              <Route path="/import-promotion" element={<CohortImport />} />
              <Route path="/sessions" element={<ExamSessions />} />
              <Route path="/sessions/:sessionId" element={<ExamSession />} />
              <Route path="/candidats/:candidateId/identite" element={<CandidateIdentity />} />
              <Route path="/envois" element={<Delivery />} />
              <Route path="*" element={<NotFound />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
