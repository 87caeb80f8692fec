import { Alert, Button, Container, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { answer, api, ApiProblem } from '../api/client';
import { startSession } from '../auth/session';

const ROLES = ['admin', 'auditor', 'assessor', 'jury', 'referent', 'candidate', 'dpo'] as const;

/** The development sign-in: the api refuses it when an identity provider is configured or in production. */
export function SignIn() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [role, setRole] = useState<string>('admin');
  const [organisationId, setOrganisation] = useState('org-1');
  const [subject, setSubject] = useState('admin-1');
  const [error, setError] = useState<string>();
  const expired = (location.state as { expired?: boolean } | null)?.expired;

  async function signIn(event: React.FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      const issued = await answer(api.POST('/auth/dev-sign-in', { body: { role: role as (typeof ROLES)[number], organisationId, subject } }));
      startSession({ token: issued.accessToken, role, organisationId, subject, expiresAt: Date.now() + issued.expiresIn * 1000 });
      navigate((location.state as { from?: string } | null)?.from ?? '/', { replace: true });
    } catch (problem) {
      setError(problem instanceof ApiProblem ? t(`errors.codes.${problem.code}`, { defaultValue: problem.detail }) : String(problem));
    }
  }

  return (
    <Container size={480} py={64}>
      <main id="contenu">
        <Paper withBorder p="xl" radius="md">
          <form onSubmit={signIn}>
            <Stack>
              <Title order={1} size="h2">
                {t('signIn.title')}
              </Title>
              {expired && <Alert color="yellow.9" variant="outline">{t('signIn.expired')}</Alert>}
              <Alert color="orange.9" variant="outline">
                <Text size="sm">{t('signIn.devNotice')}</Text>
              </Alert>
              <Select label={t('signIn.role')} data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} value={role} onChange={(value) => {
                setRole(value ?? 'admin');
                setSubject(`${value ?? 'admin'}-1`);
              }} allowDeselect={false} />
              <TextInput label={t('signIn.organisation')} value={organisationId} onChange={(e) => setOrganisation(e.currentTarget.value)} required />
              <TextInput label={t('signIn.subject')} value={subject} onChange={(e) => setSubject(e.currentTarget.value)} required />
              {error && (
                <Alert color="red" role="alert">
                  {t('signIn.refused', { detail: error })}
                </Alert>
              )}
              <Button type="submit">{t('signIn.submit')}</Button>
            </Stack>
          </form>
        </Paper>
      </main>
    </Container>
  );
}
