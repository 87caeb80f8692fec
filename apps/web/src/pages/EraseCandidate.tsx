import { Alert, Button, Card, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { answer, api } from '../api/client';
import type { components } from '../api/schema';
import { ActFailureNotice, SubmitButton, useAct, useSubmit } from '../components/ActForm';

type ErasureOutcome = components['schemas']['ErasureOutcome'];

const erase = (candidateId: string) => (_body: object, key: string) =>
  answer(api.POST('/candidates/{candidateId}/erasure', { params: { path: { candidateId }, header: { 'Idempotency-Key': key } }, body: {} }));

/**
 * The DPO erases a candidate's personal data (GDPR art. 17, R14), after a confirmation that says
 * what goes for good — the identity, the documents' files, the measures' details — and what stays:
 * the paths, their decisions, the documents' existence and their verification. One act, under its
 * Idempotency-Key; the api's erasure can be run again, so a retry after a lost answer finishes it.
 */
export function EraseCandidate({ candidateId }: { candidateId: string }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<ErasureOutcome>();
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const doneHeading = useRef<HTMLHeadingElement>(null);
  const act = useAct({ name: `erase-personal-data.${candidateId}`, fields: [], send: erase(candidateId) });
  const { onSubmit, pending } = useSubmit(async () => {
    const erased = await act.run({});
    if (!erased) return;
    setConfirming(false);
    setOutcome(erased);
    // Every screen reads the candidate again: their name, their paths, their documents say the erasure.
    void queries.invalidateQueries();
    setTimeout(() => doneHeading.current?.focus());
  });
  const short = candidateId.slice(0, 8);

  if (outcome)
    return (
      <Card withBorder component="section" aria-labelledby="erasure-done" role="status" style={{ borderWidth: 2, borderColor: 'var(--mantine-color-green-9)' }}>
        <Stack gap="xs">
          <Title order={2} size="h4" id="erasure-done" ref={doneHeading} tabIndex={-1}>
            {t('erasure.done.title', { id: short })}
          </Title>
          <Text size="sm">
            {t('erasure.done.paths', { count: outcome.enrollments.length })} {t('erasure.done.files', { count: outcome.documentFilesRemoved })}
          </Text>
          <Text size="sm">{t('erasure.done.everywhere')}</Text>
        </Stack>
      </Card>
    );

  return (
    <Card withBorder component="section" aria-labelledby="erasure-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="erasure-title">
          {t('erasure.title')}
        </Title>
        <Text size="sm">{t('erasure.intro')}</Text>
        {!confirming ? (
          <Group>
            <Button
              color="red.9"
              variant="outline"
              onClick={() => {
                setConfirming(true);
                setTimeout(() => confirmHeading.current?.focus());
              }}
            >
              {t('erasure.start')}
            </Button>
          </Group>
        ) : (
          <form onSubmit={onSubmit} aria-labelledby="erasure-confirm">
            <Stack gap="sm">
              <Title order={3} size="h5" id="erasure-confirm" ref={confirmHeading} tabIndex={-1}>
                {t('erasure.confirmTitle', { id: short })}
              </Title>
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <Stack gap={4} pl="sm" style={{ borderLeft: '4px solid var(--mantine-color-red-9)' }}>
                  <Text size="sm" fw={600} id="erasure-goes">
                    {t('erasure.goes')}
                  </Text>
                  <List size="sm" aria-labelledby="erasure-goes">
                    {(['identity', 'files', 'measures', 'notIssued'] as const).map((item) => (
                      <List.Item key={item}>{t(`erasure.goesItems.${item}`)}</List.Item>
                    ))}
                  </List>
                </Stack>
                <Stack gap={4} pl="sm" style={{ borderLeft: '4px solid var(--mantine-color-green-8)' }}>
                  <Text size="sm" fw={600} id="erasure-stays">
                    {t('erasure.stays')}
                  </Text>
                  <List size="sm" aria-labelledby="erasure-stays">
                    {(['paths', 'decisions', 'documents'] as const).map((item) => (
                      <List.Item key={item}>{t(`erasure.staysItems.${item}`)}</List.Item>
                    ))}
                  </List>
                </Stack>
              </SimpleGrid>
              <Alert color="red.9" variant="outline" p="xs">
                <Text size="sm" fw={600}>
                  {t('erasure.irreversible')}
                </Text>
              </Alert>
              <Group>
                <SubmitButton pending={pending} color="red.9">
                  {t('erasure.confirm')}
                </SubmitButton>
                <Button variant="default" disabled={pending} onClick={() => setConfirming(false)}>
                  {t('erasure.cancel')}
                </Button>
              </Group>
              <ActFailureNotice acts={[act]} />
            </Stack>
          </form>
        )}
      </Stack>
    </Card>
  );
}
