import { Alert, Button, Card, Group, List, Stack, Text, Textarea, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { answer, api } from '../api/client';
import { pathQuery } from './referentials';
import type { components } from '../api/schema';
import { currentSession } from '../auth/session';
import { ActFailureNotice, SubmitButton, useAct, useDraft, useSubmit } from '../components/ActForm';
import { formatParis } from '../components/paris-time';
import { QueryState } from '../components/Problem';
import { ClosureArrival, ClosureHeader, isOpenPath } from './path-closure';

type Reason = components['schemas']['ReasonRequest'];

/**
 * An admin records that a candidate withdrew from their path, with the reason (R13): the path is
 * closed, its validated blocs stay acquired. The screen says so before the act, and the path,
 * read as far as the act, says it was recorded.
 */
export function PathWithdrawal() {
  const { t, i18n } = useTranslation();
  const { enrollmentId = '' } = useParams();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const path = useQuery(pathQuery(enrollmentId));
  const [draft, update, clear] = useDraft<{ reason: string }>(`withdraw.${enrollmentId}`, { reason: '' });
  const act = useAct({
    name: `withdraw.${enrollmentId}`,
    fields: ['reason'],
    send: (body: Reason, key: string) =>
      answer(api.POST('/enrollments/{enrollmentId}/withdrawal', { params: { path: { enrollmentId }, header: { 'Idempotency-Key': key } }, body })),
  });
  const { onSubmit, pending } = useSubmit(async () => {
    const reason = draft.reason.trim();
    const outcome = await act.run({ reason });
    if (!outcome) return;
    clear();
    void queries.invalidateQueries({ queryKey: ['path', enrollmentId] });
    void queries.invalidateQueries({ queryKey: ['enrollments'] });
    navigate(`/parcours/${enrollmentId}`, { state: { consistentWith: outcome.position, recorded: 'withdrawn', reason } satisfies ClosureArrival });
  });

  const role = currentSession()?.role ?? '';
  if (role !== 'admin')
    return (
      <Alert color="red.9" variant="outline" role="alert">
        {t('errors.forbidden', { role: t(`roles.${role}`) })}
      </Alert>
    );
  if (!path.data) return <QueryState isLoading={path.isLoading} error={path.error} />;
  const p = path.data;
  const validated = p.blocs.filter((b) => b.status === 'validated');
  const scheduled = p.sittings.filter((s) => s.status === 'scheduled');
  const date = (iso: string) => new Date(iso).toLocaleDateString(i18n.language === 'fr' ? 'fr-FR' : 'en-GB');

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack maw={900}>
        <ClosureHeader path={p} title={t('closure.withdrawal.title')} />
        {isOpenPath(p) && (
          <>
            <Card withBorder component="section" aria-labelledby="withdrawal-effects">
              <Title order={2} size="h4" mb="xs" id="withdrawal-effects">
                {t('closure.withdrawal.effectsTitle')}
              </Title>
              <List size="sm" spacing={4}>
                <List.Item>{t('closure.withdrawal.closes')}</List.Item>
                <List.Item>
                  {validated.length === 0
                    ? t('closure.withdrawal.noneValidated')
                    : t('closure.withdrawal.validatedStay', {
                        blocs: validated.map((b) => `${b.code}${b.validatedAt ? ` (${t('path.validatedAt', { date: date(b.validatedAt) })})` : ''}`).join(', '),
                      })}
                </List.Item>
                {scheduled.length > 0 && (
                  <List.Item>
                    {t('closure.withdrawal.sittings', {
                      count: scheduled.length,
                      list: scheduled
                        .map((s) => `${s.epreuve}, ${formatParis(s.scheduledAt, i18n.language, { dateStyle: 'medium', timeStyle: 'short' })}`)
                        .join(' ; '),
                    })}
                  </List.Item>
                )}
                <List.Item>{t('closure.withdrawal.final')}</List.Item>
              </List>
            </Card>
            <Textarea
              label={t('closure.withdrawal.reason')}
              description={t('closure.withdrawal.reasonHelp')}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              withAsterisk
              autosize
              minRows={3}
              value={draft.reason}
              onChange={(e) => update({ reason: e.currentTarget.value })}
              error={act.errorOf('reason')}
            />
            <ActFailureNotice acts={[act]} />
            <Group>
              <SubmitButton pending={pending} color="red.9">
                {t('closure.withdrawal.submit')}
              </SubmitButton>
              <Button component={Link} to={`/parcours/${enrollmentId}`} variant="default" disabled={pending}>
                {t('closure.cancel')}
              </Button>
            </Group>
            <Text size="sm" c="dimmed">
              {t('closure.draftKept')}
            </Text>
          </>
        )}
      </Stack>
    </form>
  );
}
