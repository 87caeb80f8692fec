import { Alert, Anchor, Button, Container, Group, Loader, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { answer, api, ApiProblem } from '../api/client';
import { Loading } from '../components/Problem';
import type { ProviderSignIn, ProviderTokens } from '../auth/provider-sign-in';
import { sessionExpired, startSession } from '../auth/session';

const ROLES = ['admin', 'auditor', 'assessor', 'jury', 'referent', 'candidate', 'dpo'] as const;

function useSignInMethods() {
  return useQuery({ queryKey: ['sign-in'], queryFn: () => answer(api.GET('/auth/sign-in')), staleTime: Infinity });
}

function useProblemText() {
  const { t } = useTranslation();
  return (problem: unknown) =>
    problem instanceof ApiProblem
      ? t(`errors.codes.${problem.code}`, { defaultValue: problem.detail })
      : problem instanceof Error
        ? problem.message
        : String(problem);
}

function SignInCard({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Container size={480} py={64}>
      <main id="contenu">
        <Paper withBorder p="xl" radius="md">
          <Stack>
            <Title order={1} size="h2">
              {t('signIn.title')}
            </Title>
            {children}
          </Stack>
        </Paper>
      </main>
    </Container>
  );
}

/** The sign-in page: through the school's identity provider when the api has one, else the development sign-in. */
export function SignIn() {
  const { t } = useTranslation();
  const methods = useSignInMethods();
  const problemText = useProblemText();
  const expired = sessionExpired();
  return (
    <SignInCard>
      {expired && (
        <Alert color="yellow.9" variant="outline">
          {t('signIn.expired')}
        </Alert>
      )}
      {methods.isPending && <Loading />}
      {methods.error && (
        <Alert color="red" role="alert">
          {problemText(methods.error)}
        </Alert>
      )}
      {methods.data?.method === 'provider' && methods.data.provider && <ProviderSignInButton provider={methods.data.provider} />}
      {methods.data?.method === 'development' && <DevelopmentSignIn />}
      {methods.data?.method === 'none' && <Text>{t('signIn.noMethod')}</Text>}
    </SignInCard>
  );
}

function ProviderSignInButton({ provider }: { provider: ProviderSignIn }) {
  const { t } = useTranslation();
  const location = useLocation();
  const [leaving, setLeaving] = useState(false);
  async function leave() {
    setLeaving(true);
    const { leaveForProvider } = await import('../auth/provider-sign-in');
    await leaveForProvider(provider, (location.state as { from?: string } | null)?.from ?? '/');
  }
  return (
    <>
      <Text>{t('signIn.providerNotice')}</Text>
      <Button onClick={() => void leave()} loading={leaving}>
        {t('signIn.withProvider')}
      </Button>
    </>
  );
}

/** The development sign-in: the api refuses it when an identity provider is configured or in production. */
function DevelopmentSignIn() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const problemText = useProblemText();
  const [role, setRole] = useState<string>('admin');
  const [organisationId, setOrganisation] = useState('org-1');
  const [subject, setSubject] = useState('admin-1');
  const [error, setError] = useState<string>();

  async function signIn(event: React.FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      const issued = await answer(api.POST('/auth/dev-sign-in', { body: { role: role as (typeof ROLES)[number], organisationId, subject } }));
      startSession({ token: issued.accessToken, role, organisationId, subject, expiresAt: Date.now() + issued.expiresIn * 1000 });
      navigate((location.state as { from?: string } | null)?.from ?? '/', { replace: true });
    } catch (problem) {
      setError(problemText(problem));
    }
  }

  return (
    <form onSubmit={signIn}>
      <Stack>
        <Alert color="orange.9" variant="outline">
          <Text size="sm">{t('signIn.devNotice')}</Text>
        </Alert>
        <Select
          label={t('signIn.role')}
          data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          value={role}
          onChange={(value) => {
            setRole(value ?? 'admin');
            setSubject(`${value ?? 'admin'}-1`);
          }}
          allowDeselect={false}
        />
        <TextInput label={t('signIn.organisation')} value={organisationId} onChange={(e) => setOrganisation(e.currentTarget.value)} required />
        <TextInput label={t('signIn.subject')} value={subject} onChange={(e) => setSubject(e.currentTarget.value)} required />
        {error && (
          <Alert color="red" role="alert" title={t('signIn.refused')}>
            {error}
          </Alert>
        )}
        <Button type="submit">{t('signIn.submit')}</Button>
      </Stack>
    </form>
  );
}

/** Back from the identity provider: the code exchanged for tokens, the person as the api sees them, then where they were going. */
export function SignInReturn() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const methods = useSignInMethods();
  const problemText = useProblemText();
  const [error, setError] = useState<string>();
  // Signed in at the provider but refused here (no Jalon role): signing out there lets another account in.
  const [providerSignOut, setProviderSignOut] = useState<string>();
  // The code can be exchanged once: StrictMode's second effect run must not try again.
  const started = useRef(false);

  useEffect(() => {
    const provider = methods.data?.provider;
    if (!provider || started.current) return;
    started.current = true;
    void (async () => {
      let tokens: ProviderTokens | undefined;
      try {
        const { completeProviderSignIn } = await import('../auth/provider-sign-in');
        tokens = await completeProviderSignIn(provider, new URL(window.location.href));
        const person = await answer(api.GET('/auth/me', { headers: { authorization: `Bearer ${tokens.accessToken}` } }));
        startSession({
          token: tokens.accessToken,
          role: person.role,
          organisationId: person.organisationId,
          subject: person.subject,
          expiresAt: Date.now() + tokens.expiresIn * 1000,
          signOutUrl: tokens.signOutUrl,
        });
        navigate(tokens.from, { replace: true });
      } catch (problem) {
        setError(problemText(problem));
        setProviderSignOut(tokens?.signOutUrl);
      }
    })();
  }, [methods.data, navigate, problemText]);

  return (
    <SignInCard>
      {error || methods.error ? (
        <>
          <Alert color="red" role="alert" title={t('signIn.refused')}>
            {error ?? problemText(methods.error)}
          </Alert>
          {providerSignOut && (
            <Button component="a" href={providerSignOut} variant="default">
              {t('signIn.providerSignOut')}
            </Button>
          )}
          <Anchor component={Link} to="/connexion">
            {t('signIn.again')}
          </Anchor>
        </>
      ) : (
        <Group>
          <Loader size="sm" aria-hidden />
          <Text>{t('signIn.returning')}</Text>
        </Group>
      )}
    </SignInCard>
  );
}
