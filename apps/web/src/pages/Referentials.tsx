import { Accordion, Alert, Anchor, Badge, Button, Card, Code, FileInput, Group, List, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { answer, api, ApiProblem, shouldRetry } from '../api/client';
import type { components } from '../api/schema';
import { currentSession } from '../auth/session';
import { QueryState } from '../components/Problem';
import { ToneBadge } from '../components/Tone';
import { useReferentials } from './referentials';

interface FileProblem {
  path: string;
  code: string;
  message: string;
  line?: number;
  column?: number;
}

type Summary = components['schemas']['ReferentialSummary'];
type Version = components['schemas']['ReferentialView'];
type Bloc = Version['blocs'][number];
type Epreuve = Bloc['epreuves'][number];
type Criterion = components['schemas']['ReferentialCriterionView'];

/** A date as the reader writes it. */
function useDate() {
  const { i18n } = useTranslation();
  return (iso: string) => new Date(iso).toLocaleDateString(i18n.language === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long' });
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
          <SummaryCard key={`${r.referential}@${r.version}`} summary={r} />
        ))}
      </SimpleGrid>
      {admin && <ImportReferential onPublished={setPublished} />}
    </Stack>
  );
}

/** One version in the catalogue: its kind and identity as stated, and whether it still takes new enrollments. */
function SummaryCard({ summary: r }: { summary: Summary }) {
  const { t } = useTranslation();
  const date = useDate();
  const identity = [
    r.rncpCode,
    r.rsCode,
    r.level !== undefined ? t('referentials.level', { level: r.level }) : undefined,
    r.eqfLevel !== undefined ? t('referentials.eqfLevel', { level: r.eqfLevel }) : undefined,
    t('referentials.blocs', { count: r.blocs.length }),
  ].filter((part): part is string => Boolean(part));
  return (
    <Card withBorder style={r.withdrawn ? { borderColor: 'var(--mantine-color-orange-6)' } : undefined}>
      <Stack gap={6} h="100%">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
          <Text fw={600}>{r.title}</Text>
          <Group gap={4} justify="flex-end" wrap="nowrap" flex="none">
            {!r.documents.issuable && <ToneBadge tone="red">{t('referentials.notIssuable')}</ToneBadge>}
            {r.withdrawn && <ToneBadge tone="orange">{t('referentials.withdrawn')}</ToneBadge>}
          </Group>
        </Group>
        <Group gap="xs">
          <ToneBadge tone="blue">{t(`referentials.kinds.${r.kind}`, { defaultValue: r.kind })}</ToneBadge>
          <Text size="sm">{identity.join(' · ')}</Text>
        </Group>
        {r.certifier && <Text size="sm">{t('referentials.certifiedBy', { certifier: r.certifier })}</Text>}
        <Text size="xs" ff="monospace">
          {r.referential} · v{r.version}
        </Text>
        {r.withdrawn && (
          <Text size="sm" fw={500}>
            {t('referentials.withdrawnOn', { date: date(r.withdrawn.at), reason: r.withdrawn.reason })}
          </Text>
        )}
        <Anchor component={Link} to={`/referentiels/${r.referential}/${r.version}`} size="sm" mt="auto">
          {t('referentials.open')} {r.referential} v{r.version}
        </Anchor>
      </Stack>
    </Card>
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

/** One version as its file states it: its identity, then blocs → activities, competencies, criteria, épreuves. */
export function ReferentialVersion() {
  const { t } = useTranslation();
  const date = useDate();
  const { referential = '', version = '' } = useParams();
  const admin = currentSession()?.role === 'admin';
  const content = useQuery({
    queryKey: ['referential', referential, version],
    retry: shouldRetry,
    queryFn: () => answer(api.GET('/referentials/{referential}/versions/{version}', { params: { path: { referential, version } } })),
  });
  if (!content.data) return <QueryState isLoading={content.isLoading} error={content.error} />;
  const r = content.data;
  const kinds = new Map((r.assessorKinds ?? []).map((k) => [k.code, k.title]));
  const assessorKindTitle = (code: string) => kinds.get(code) ?? t(`referentials.assessorKinds.${code}`, { defaultValue: code });
  return (
    <Stack>
      <Anchor component={Link} to="/referentiels" size="sm">
        ← {t('referentials.title')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>{r.certification.title}</Title>
          <Group gap="xs">
            <ToneBadge tone="blue">
              {t(`referentials.kinds.${r.certification.kind ?? 'certification-professionnelle'}`, { defaultValue: r.certification.kind })}
            </ToneBadge>
            <Text size="sm" ff="monospace">
              {r.referential} · v{r.version}
            </Text>
          </Group>
        </Stack>
        {r.withdrawn && (
          <ToneBadge tone="orange" size="lg">
            {t('referentials.withdrawn')}
          </ToneBadge>
        )}
      </Group>
      {r.withdrawn && (
        <Alert
          color="orange.9"
          variant="outline"
          bg="orange.0"
          // The orange of the frame only: text stays near black, above AA contrast on the tint (RGAA).
          styles={{ title: { color: 'var(--mantine-color-dark-9)' }, message: { color: 'var(--mantine-color-dark-9)' } }}
          title={t('referentials.withdrawnTitle', { date: date(r.withdrawn.at) })}
        >
          <Stack gap={4}>
            <Text size="sm">{t('referentials.withdrawnReason', { reason: r.withdrawn.reason })}</Text>
            <Text size="sm">{t('referentials.withdrawnEffect')}</Text>
          </Stack>
        </Alert>
      )}
      {!r.documents.issuable && (
        <Alert
          color="red.9"
          variant="outline"
          bg="red.0"
          styles={{ title: { color: 'var(--mantine-color-dark-9)' }, message: { color: 'var(--mantine-color-dark-9)' } }}
          title={t('referentials.notIssuableTitle')}
        >
          <Text size="sm">{t('referentials.notIssuableIntro')}</Text>
          <List size="sm" mt={4}>
            {r.documents.missingMentions.map((m) => (
              <List.Item key={m.mention}>
                {t(`referentials.mentions.${m.mention}`, { defaultValue: m.message })} (<Code>{m.path}</Code>)
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Identity version={r} />
      <Accordion multiple variant="separated">
        {r.blocs.map((bloc) => (
          <BlocItem key={bloc.code} bloc={bloc} assessorKindTitle={assessorKindTitle} />
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
      {admin && !r.withdrawn && <WithdrawVersion referential={r.referential} version={r.version} />}
    </Stack>
  );
}

/** The certification's identity: only what the référentiel states, one row each. */
function Identity({ version: r }: { version: Version }) {
  const { t } = useTranslation();
  const date = useDate();
  const c = r.certification;
  const registration = c.registration
    ? [
        c.registration.decisionReference,
        c.registration.decisionDate && t('referentials.registrationDecision', { date: date(c.registration.decisionDate) }),
        c.registration.endDate && t('referentials.registrationEnd', { date: date(c.registration.endDate) }),
      ]
        .filter(Boolean)
        .join(', ')
    : undefined;
  const rows: [string, ReactNode][] = [
    [t('referentials.rncpCode'), c.rncpCode],
    [t('referentials.rsCode'), c.rsCode],
    [t('referentials.levelLabel'), c.level],
    [t('referentials.eqfLabel'), c.eqfLevel],
    [t('referentials.certifier'), c.certifier],
    [t('referentials.registration'), registration],
    [t('referentials.nsfCodes'), c.nsfCodes?.join(', ')],
    [t('referentials.accessRoutes'), r.accessRoutes ? <RouteBadges routes={r.accessRoutes} /> : t('referentials.allRoutes')],
    [t('referentials.blocValidation'), t(`referentials.blocValidationModes.${r.validationPolicy.blocValidation}`)],
  ];
  return (
    <Card withBorder padding="sm">
      <Title order={2} size="h4" mb="xs">
        {t('referentials.identity')}
      </Title>
      <Table variant="vertical" layout="fixed" withTableBorder>
        <Table.Tbody>
          {rows
            .filter(([, value]) => value !== undefined && value !== '')
            .map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th w={240}>{label}</Table.Th>
                <Table.Td>{value}</Table.Td>
              </Table.Tr>
            ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function RouteBadges({ routes }: { routes: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      {routes.map((route) => (
        <ToneBadge key={route} tone="teal">
          {t(`accessRoute.${route}`, { defaultValue: route })}
        </ToneBadge>
      ))}
    </Group>
  );
}

function CriteriaList({ criteria, shared }: { criteria: readonly Criterion[]; shared?: boolean }) {
  const { t } = useTranslation();
  return (
    <List size="xs" withPadding>
      {criteria.map((k) => (
        <List.Item key={k.code}>
          {k.code} : {k.text}
          {shared && k.competencies && <Text span size="xs" fs="italic">{` (${t('referentials.bearsOn', { codes: k.competencies.join(', ') })})`}</Text>}
        </List.Item>
      ))}
    </List>
  );
}

/** A bloc (or a row of the table): shown by its title, or, where the référentiel gives none, by its code and its competencies. */
function BlocItem({ bloc, assessorKindTitle }: { bloc: Bloc; assessorKindTitle: (code: string) => string }) {
  const { t } = useTranslation();
  return (
    <Accordion.Item value={bloc.code}>
      <Accordion.Control>
        <Group gap="xs" wrap="nowrap">
          <Stack gap={0}>
            <Text fw={600}>{bloc.title ? `${bloc.code} — ${bloc.title}` : bloc.code}</Text>
            {!bloc.title && (
              <Text size="sm" lineClamp={2}>
                {bloc.competencies.map((c) => c.title).join(' · ')}
              </Text>
            )}
          </Stack>
          {bloc.optionLabel && (
            <Badge variant="outline" color="dark" style={{ flexShrink: 0 }}>
              {t('referentials.option', { label: bloc.optionLabel })}
            </Badge>
          )}
        </Group>
      </Accordion.Control>
      <Accordion.Panel>
        {bloc.activities && bloc.activities.length > 0 && (
          <>
            <Title order={3} size="h5">
              {t('referentials.activities')}
            </Title>
            <List size="sm" mb="sm">
              {bloc.activities.map((a, i) => (
                <List.Item key={a.code ?? i}>{a.code ? `${a.code} — ${a.title}` : a.title}</List.Item>
              ))}
            </List>
          </>
        )}
        <Title order={3} size="h5">
          {t('referentials.competencies')}
        </Title>
        <List size="sm" mb="sm">
          {bloc.competencies.map((c) => (
            <List.Item key={c.code}>
              <Text size="sm" fw={500}>
                {c.code} — {c.title}
              </Text>
              {c.criteria && <CriteriaList criteria={c.criteria} />}
            </List.Item>
          ))}
        </List>
        {bloc.criteria && bloc.criteria.length > 0 && (
          <Card withBorder padding="sm" mb="sm" bg="gray.0">
            <Title order={3} size="h5">
              {t('referentials.sharedCriteria')}
            </Title>
            <Text size="sm" mb={4}>
              {t(`referentials.criteriaRules.${bloc.criteriaRule ?? 'each-epreuve'}`)}
            </Text>
            <CriteriaList criteria={bloc.criteria} shared />
          </Card>
        )}
        <Title order={3} size="h5">
          {t('referentials.epreuves')}
        </Title>
        {bloc.epreuves.map((e) => (
          <EpreuveCard key={e.code} epreuve={e} assessorKindTitle={assessorKindTitle} />
        ))}
      </Accordion.Panel>
    </Accordion.Item>
  );
}

function EpreuveCard({ epreuve: e, assessorKindTitle }: { epreuve: Epreuve; assessorKindTitle: (code: string) => string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder mb="xs" padding="sm">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Text size="sm" fw={600}>
          {e.code} — {e.title}
        </Text>
        {e.label && (
          <Badge variant="outline" color="dark" style={{ flexShrink: 0 }}>
            {e.label}
          </Badge>
        )}
      </Group>
      <Text size="xs">
        {e.kind} · {t('referentials.covers', { codes: e.covers.join(', ') })}
      </Text>
      <Text size="xs">{t('referentials.assessedBy', { kind: assessorKindTitle(e.assessorKind) })}</Text>
      {e.routes && (
        <Group gap={4} mt={2}>
          <Text size="xs">{t('referentials.owedOn')}</Text>
          <RouteBadges routes={e.routes} />
        </Group>
      )}
      {e.continuous && <Text size="xs">{t(`referentials.continuous.${e.continuous.rule}`)}</Text>}
      {e.timedParts && (
        <Text size="xs">
          {t('referentials.timedParts')} : {e.timedParts.map((p) => `${p.title} (${t('referentials.minutes', { minutes: p.baseDurationMinutes })})`).join(', ')}
        </Text>
      )}
      {e.criteria && <CriteriaList criteria={e.criteria} shared />}
    </Card>
  );
}

/** An admin closes the version to new enrollments, saying why; the paths already on it go on. */
function WithdrawVersion({ referential, version }: { referential: string; version: string }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [reason, setReason] = useState('');
  const withdraw = useMutation({
    mutationFn: () =>
      answer(
        api.POST('/referentials/{referential}/versions/{version}/withdrawal', { params: { path: { referential, version } }, body: { reason: reason.trim() } }),
      ),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ['referential', referential, version] });
      void queries.invalidateQueries({ queryKey: ['referentials'] });
    },
  });
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb={4}>
        {t('referentials.withdrawTitle')}
      </Title>
      <Text size="sm" mb="sm">
        {t('referentials.withdrawIntro')}
      </Text>
      <Group align="flex-end">
        <Textarea
          label={t('referentials.withdrawReason')}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          maxLength={500}
          autosize
          minRows={1}
          w={520}
          required
        />
        <Button color="orange.9" disabled={reason.trim() === ''} loading={withdraw.isPending} onClick={() => withdraw.mutate()}>
          {t('referentials.withdraw')}
        </Button>
      </Group>
      {withdraw.error && (
        <Stack mt="sm">
          <QueryState isLoading={false} error={withdraw.error} />
        </Stack>
      )}
    </Card>
  );
}
