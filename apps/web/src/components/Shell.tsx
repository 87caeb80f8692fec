import { Anchor, AppShell, Button, Group, NativeSelect, Text } from '@mantine/core';
import { Loading } from './Problem';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { endSession, Session } from '../auth/session';
import { Language, LANGUAGES, switchLanguage } from '../i18n';

/** Which screens each role has: exactly what the api answers that role. */
export function screensOf(role: string): { to: string; label: string }[] {
  const screens = [];
  // An assessor's work first: the sittings assigned to them.
  if (role === 'assessor') screens.push({ to: '/mes-epreuves', label: 'nav.mySittings' });
  // The jury's work first: the paths waiting for its decisions, and a cohort's deliberation.
  if (role === 'jury') screens.push({ to: '/jury', label: 'nav.juryReady' }, { to: '/deliberation', label: 'nav.deliberation' });
  if (['admin', 'jury', 'auditor'].includes(role)) screens.push({ to: '/tableau-de-bord', label: 'nav.dashboard' });
  // Every role but the DPO reads paths; the DPO answers for personal data only.
  if (role !== 'dpo') screens.push({ to: '/inscriptions', label: 'nav.enrollments' });
  if (['admin', 'auditor', 'referent'].includes(role)) screens.push({ to: '/constats', label: 'nav.findings' });
  // The admin declares the school's holders to the Caisse des Dépôts.
  if (role === 'admin') screens.push({ to: '/accrochage', label: 'nav.accrochage' });
  // The admin imports a cohort from a spreadsheet.
  if (role === 'admin') screens.push({ to: '/import-promotion', label: 'nav.cohortImport' });
  // The admin schedules an épreuve for a group, and records it held.
  if (role === 'admin') screens.push({ to: '/sessions', label: 'nav.examSessions' });
  // The documents e-mailed to their holders: what went, what failed, who has no address (the auditor reads it too).
  if (['admin', 'auditor'].includes(role)) screens.push({ to: '/envois', label: 'nav.delivery' });
  if (['dpo', 'auditor'].includes(role)) screens.push({ to: '/donnees-personnelles', label: 'nav.personalData' });
  screens.push({ to: '/referentiels', label: 'nav.referentials' });
  return screens;
}

export function Shell({ session }: { session: Session }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  return (
    <AppShell header={{ height: 64 }} padding="lg">
      <a href="#contenu" className="skip-link">
        {t('app.skip')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="lg" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap">
            {/* The page's own title is its one h1; the name only leads home. */}
            <Anchor component={Link} to="/" underline="never" c="inherit" fw={700} size="xl">
              {t('app.name')}
            </Anchor>
            <nav aria-label={t('app.name')}>
              {/* One line: the header's height holds one; the person's name and organisation wrap instead. */}
              <Group gap="xs" wrap="nowrap">
                {screensOf(session.role).map((screen) => (
                  <Button
                    key={screen.to}
                    component={Link}
                    to={screen.to}
                    variant={location.pathname.startsWith(screen.to) ? 'filled' : 'subtle'}
                    aria-current={location.pathname.startsWith(screen.to) ? 'page' : undefined}
                    size="sm"
                    // Narrow sides: an admin's nine screens hold on one line beside the person and the sign-out.
                    px="xs"
                  >
                    {t(screen.label)}
                  </Button>
                ))}
              </Group>
            </nav>
          </Group>
          <Group gap="md" wrap="nowrap" miw={0}>
            <Text size="sm" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
              {t('app.signedInAs', { subject: session.subject, role: t(`roles.${session.role}`), organisation: session.organisationId })}
            </Text>
            <NativeSelect
              aria-label={t('app.language')}
              flex="none"
              size="xs"
              value={i18n.language}
              onChange={(e) => void switchLanguage(e.currentTarget.value as Language)}
              data={LANGUAGES.map((l) => ({ value: l, label: l.toUpperCase() }))}
            />
            <Button
              variant="default"
              size="xs"
              flex="none"
              onClick={() => {
                endSession();
                // Signed in at the school's provider: its session ends too, and it sends the person back to /connexion.
                if (session.signOutUrl) window.location.assign(session.signOutUrl);
                else navigate('/connexion');
              }}
            >
              {t('app.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main id="contenu" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
