import { Accordion, Alert, Anchor, Badge, Button, Card, Code, FileInput, Group, List, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { answer, api, ApiProblem, shouldRetry } from '../api/client';
import { currentSession } from '../auth/session';
import { QueryState } from '../components/Problem';
import { useReferentials } from './referentials';

interface FileProblem {
  path: string;
  code: string;
  message: string;
  line?: number;
  column?: number;
}

/** The published référentiel versions; an admin imports another and sees each problem beside its line. */
export function Referentials() {
  const { t } = useTranslation();
  // After an import, the list is read at least as far as the import: the new version shows.
  const [published, setPublished] = useState<string>();
  const referentials = useReferentials(published);
  const admin = currentSession()?.role === 'admin';
  return (
    <Stack>
      <Title order={1}>{t('referentials.title')}</Title>
      <Text>{t('referentials.intro')}</Text>
      <QueryState isLoading={referentials.isLoading} error={referentials.error} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {(referentials.data ?? []).map((r) => (
          <Card withBorder key={`${r.referential}@${r.version}`}>
            <Text fw={600}>{r.title}</Text>
            <Text size="sm">
              {r.referential} · v{r.version} · {r.rncpCode ? `${r.rncpCode} · ` : ''}
              {t('referentials.level', { level: r.level })} · {t('referentials.blocs', { count: r.blocs.length })}
            </Text>
            <Anchor component={Link} to={`/referentiels/${r.referential}/${r.version}`} size="sm" mt="xs">
              {t('referentials.open')} {r.referential} v{r.version}
            </Anchor>
          </Card>
        ))}
      </SimpleGrid>
      {admin && <ImportReferential onPublished={setPublished} />}
    </Stack>
  );
}

function ImportReferential({ onPublished }: { onPublished: (position: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState<string>();
  const publish = useMutation({
    mutationFn: (content: string) => answer(api.POST('/referentials', { body: { content } })),
    onSuccess: (outcome) => outcome.position && onPublished(outcome.position),
  });
  const problems = publish.error instanceof ApiProblem ? ((publish.error.body.problems ?? []) as FileProblem[]) : [];
  const lines = text?.split('\n') ?? [];
  const problemLines = new Set(problems.map((p) => p.line).filter((l): l is number => l !== undefined));
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb="sm">
        {t('referentials.import')}
      </Title>
      <Group align="flex-end">
        <FileInput
          label={t('referentials.file')}
          accept=".yaml,.yml"
          w={360}
          clearable
          clearButtonProps={{ 'aria-label': t('referentials.clearFile') }}
          onChange={(file) => {
            publish.reset();
            void file?.text().then(setText);
            if (!file) setText(undefined);
          }}
        />
        <Button disabled={!text} loading={publish.isPending} onClick={() => text && publish.mutate(text)}>
          {t('referentials.publish')}
        </Button>
      </Group>
      {publish.data && (
        <Alert color="green.9" variant="outline" mt="md">
          {t('referentials.published', { stream: publish.data.streamId, position: publish.data.position ?? '—' })}
        </Alert>
      )}
      {publish.error && problems.length === 0 && <QueryState isLoading={false} error={publish.error} />}
      {problems.length > 0 && (
        <Stack mt="md">
          <Text fw={600} role="alert">
            {t('referentials.problems', { count: problems.length })}
          </Text>
          <Table withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('referentials.line')}</Table.Th>
                <Table.Th>{t('referentials.path')}</Table.Th>
                <Table.Th>{t('referentials.code')}</Table.Th>
                <Table.Th>{t('referentials.message')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {problems.map((p, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{p.line ?? '—'}</Table.Td>
                  <Table.Td>
                    <Code>{p.path}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Code>{p.code}</Code>
                  </Table.Td>
                  <Table.Td>{p.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {/* The file itself, its problem lines marked, each followed by what is wrong there. */}
          <Code block tabIndex={0} aria-label={t('referentials.fileView')} style={{ maxHeight: 420, overflow: 'auto' }}>
            {lines.map((line, i) => {
              const number = i + 1;
              const here = problems.filter((p) => p.line === number);
              return (
                <div key={number} style={problemLines.has(number) ? { background: 'var(--mantine-color-red-1)' } : undefined}>
                  {String(number).padStart(4)} {line}
                  {here.map((p, k) => (
                    <div key={k} style={{ color: 'var(--mantine-color-red-9)' }}>
                      {'     ↳ '}
                      {p.code}: {p.message}
                    </div>
                  ))}
                </div>
              );
            })}
          </Code>
        </Stack>
      )}
    </Card>
  );
}

/** One version as its file states it: blocs → competencies → criteria, épreuves and their timed parts. */
export function ReferentialVersion() {
  const { t } = useTranslation();
  const { referential = '', version = '' } = useParams();
  const content = useQuery({
    queryKey: ['referential', referential, version],
    retry: shouldRetry,
    queryFn: () => answer(api.GET('/referentials/{referential}/versions/{version}', { params: { path: { referential, version } } })),
  });
  if (!content.data) return <QueryState isLoading={content.isLoading} error={content.error} />;
  const r = content.data;
  return (
    <Stack>
      <Anchor component={Link} to="/referentiels" size="sm">
        ← {t('referentials.title')}
      </Anchor>
      <Title order={1}>{r.certification.title}</Title>
      <Text>
        {r.referential} · v{r.version} · {t('referentials.level', { level: r.certification.level })} · {r.certification.certifier}
      </Text>
      <Accordion multiple variant="separated">
        {r.blocs.map((bloc) => (
          <Accordion.Item key={bloc.code} value={bloc.code}>
            <Accordion.Control>
              <Group gap="xs">
                <Text fw={600}>
                  {bloc.code} — {bloc.title}
                </Text>
                {bloc.optionLabel && (
                  <Badge variant="outline" color="dark">
                    {t('referentials.option', { label: bloc.optionLabel })}
                  </Badge>
                )}
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <Title order={3} size="h5">
                {t('referentials.competencies')}
              </Title>
              <List size="sm" mb="sm">
                {bloc.competencies.map((c) => (
                  <List.Item key={c.code}>
                    <Text size="sm" fw={500}>
                      {c.code} — {c.title}
                    </Text>
                    {c.criteria && (
                      <List size="xs" withPadding>
                        {c.criteria.map((k) => (
                          <List.Item key={k.code}>
                            {k.code} : {k.text}
                          </List.Item>
                        ))}
                      </List>
                    )}
                  </List.Item>
                ))}
              </List>
              <Title order={3} size="h5">
                {t('referentials.epreuves')}
              </Title>
              {bloc.epreuves.map((e) => (
                <Card key={e.code} withBorder mb="xs" padding="sm">
                  <Text size="sm" fw={600}>
                    {e.code} — {e.title}
                  </Text>
                  <Text size="xs">
                    {e.kind} · {t('referentials.covers', { codes: e.covers.join(', ') })}
                  </Text>
                  {e.timedParts && (
                    <Text size="xs">
                      {t('referentials.timedParts')} :{' '}
                      {e.timedParts.map((p) => `${p.title} (${t('referentials.minutes', { minutes: p.baseDurationMinutes })})`).join(', ')}
                    </Text>
                  )}
                  {e.criteria && (
                    <List size="xs" withPadding>
                      {e.criteria.map((k) => (
                        <List.Item key={k.code}>
                          {k.code} : {k.text}
                        </List.Item>
                      ))}
                    </List>
                  )}
                </Card>
              ))}
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
      {r.extraRequirements && r.extraRequirements.length > 0 && (
        <Card withBorder>
          <Title order={2} size="h4">
            {t('referentials.extraRequirements')}
          </Title>
          <List size="sm">
            {r.extraRequirements.map((x) => (
              <List.Item key={x.code}>
                {x.code} — {x.title}
              </List.Item>
            ))}
          </List>
        </Card>
      )}
    </Stack>
  );
}
