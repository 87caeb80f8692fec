import 'mantine-datatable/styles.css';
import '@mantine/core/styles/Checkbox.css';
import { Anchor, Button, Card, Checkbox, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { answer, api, shouldRetry } from '../api/client';
import type { components } from '../api/schema';
import { ActFailureNotice, HELP_BELOW, SubmitButton, useAct, useDraft, useSubmit } from '../components/ActForm';
import { DateField, Dates, ParisTimeField } from '../components/Dates';
import { QueryState } from '../components/Problem';
import { Tone, ToneBadge } from '../components/Tone';
import { formatParis, parisInstant, parisWallClock } from '../components/paris-time';
import { listEnrollments, useReferentials } from './referentials';
import { epreuveName, useVersion } from './sittings';
import { CandidateName } from './path-closure';

type Item = components['schemas']['EnrollmentListItem'];
type Schedule = components['schemas']['ScheduleSessionRequest'];
type Scheduled = components['schemas']['SessionScheduledView'];
type Held = components['schemas']['RecordSessionHeldRequest'];
type HeldAnswer = components['schemas']['SessionHeldView'];
type Session = components['schemas']['SessionView'];

/** Assessor ids as typed: separated by commas (or spaces), each once. */
const idsOf = (typed: string) => [...new Set(typed.split(/[,\s]+/).filter(Boolean))];

/** A refusal's French sentence, from its code (the api's message otherwise). */
function useRefusal() {
  const { t } = useTranslation();
  return (refusal: { code: string; message: string } | undefined) => (refusal ? t(`errors.codes.${refusal.code}`, { defaultValue: refusal.message }) : '');
}

interface SessionDraft {
  certification: string | null;
  epreuveCode: string | null;
  cohort: string;
  day: string | null;
  time: string;
  place: string;
  assessors: string;
}
const NO_SESSION: SessionDraft = { certification: null, epreuveCode: null, cohort: '', day: null, time: '', place: '', assessors: '' };

const SCHEDULED_TONE: Record<'scheduled' | 'refused', Tone> = { scheduled: 'green', refused: 'red' };

/**
 * « Sessions d'examen »: an admin schedules one épreuve of a certification version for candidates
 * picked from the enrollments (narrowed by cohort), at a day, time and place, with its assessors.
 * Each candidate gets their own sitting; the answer says, candidate by candidate, whether it was
 * scheduled or why it was refused.
 */
export function ExamSessions() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const refusalOf = useRefusal();
  const [draft, update, clear] = useDraft<SessionDraft>('exam-session', NO_SESSION);
  const [cohortTyped, setCohortTyped] = useState(draft.cohort);
  const [selected, setSelected] = useState<Item[]>([]);
  const [result, setResult] = useState<{ answer: Scheduled; candidateIds: Record<string, string> }>();
  const referentials = useReferentials();
  const [referentialId, version] = draft.certification ? draft.certification.split('@') : [undefined, undefined];
  const detail = useVersion(referentialId, version);
  const candidates = useQuery({
    queryKey: ['enrollments', 'session', referentialId, version, draft.cohort],
    enabled: Boolean(referentialId && version),
    retry: shouldRetry,
    queryFn: () =>
      listEnrollments({ referentialId, version, status: 'in-progress', pageSize: 500, sort: 'cohort', ...(draft.cohort ? { cohort: draft.cohort } : {}) }),
  });
  const act = useAct({
    name: 'schedule-session',
    fields: ['certification', 'epreuveCode', 'enrollmentIds', 'scheduledAt', 'place', 'assessorIds'],
    codeFields: { 'REFERENTIAL.NOT_PUBLISHED': 'certification' },
    send: (body: Schedule, key: string) => answer(api.POST('/sessions', { params: { header: { 'Idempotency-Key': key } }, body })),
  });
  const { onSubmit, pending } = useSubmit(async () => {
    const outcome = await act.run({
      referentialId: referentialId ?? '',
      version: version ?? '',
      epreuveCode: draft.epreuveCode ?? '',
      place: draft.place,
      scheduledAt: parisInstant(draft.day, draft.time) ?? '',
      assessorIds: idsOf(draft.assessors),
      enrollmentIds: selected.map((s) => s.enrollmentId),
    });
    if (!outcome) return;
    // The candidates as the list named them when they were sent: the form is cleared for the next session.
    setResult({ answer: outcome, candidateIds: Object.fromEntries(selected.map((s) => [s.enrollmentId, s.candidateId])) });
    setSelected([]);
    clear();
    void queries.invalidateQueries({ queryKey: ['enrollments'] });
  });
  const epreuves = (detail.data?.blocs ?? []).map((bloc) => ({
    group: `${bloc.code} — ${bloc.title}`,
    items: bloc.epreuves.map((e) => ({ value: e.code, label: epreuveName(detail.data, e.code) })),
  }));
  const when = act.errorOf('scheduledAt');
  const items = candidates.data?.items ?? [];

  return (
    <Dates>
      <Stack>
        <Title order={1}>{t('sessions.title')}</Title>
        <Text>{t('sessions.intro')}</Text>
        {result && <ScheduledReport result={result.answer} candidateIds={result.candidateIds} refusalOf={refusalOf} />}
        <Card withBorder component="section" aria-labelledby="session-form-title">
          <form onSubmit={onSubmit} noValidate>
            <Stack gap="sm">
              <Title order={2} size="h4" id="session-form-title">
                {t('sessions.new')}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
                <Select
                  label={t('sessions.certification')}
                  placeholder={t('sessions.certificationPlaceholder')}
                  withAsterisk
                  data={(referentials.data ?? [])
                    .filter((r) => !r.withdrawn)
                    .map((r) => ({ value: `${r.referential}@${r.version}`, label: `${r.title} (v${r.version})` }))}
                  value={draft.certification}
                  onChange={(certification) => {
                    update({ certification, epreuveCode: null });
                    setSelected([]);
                  }}
                  error={act.errorOf('certification')}
                />
                <Select
                  label={t('sessions.epreuve')}
                  placeholder={t('sessions.epreuvePlaceholder')}
                  withAsterisk
                  searchable
                  disabled={!detail.data}
                  data={epreuves}
                  value={draft.epreuveCode}
                  onChange={(epreuveCode) => update({ epreuveCode })}
                  error={act.errorOf('epreuveCode')}
                />
              </SimpleGrid>
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
                <DateField label={t('sessions.day')} withAsterisk value={draft.day} onChange={(day) => update({ day })} error={when} />
                <ParisTimeField label={t('sessions.time')} value={draft.time} onChange={(time) => update({ time })} missing={Boolean(when) && !draft.time} />
                <TextInput
                  label={t('sessions.place')}
                  description={t('sessions.placeHelp')}
                  {...HELP_BELOW}
                  withAsterisk
                  value={draft.place}
                  onChange={(e) => update({ place: e.currentTarget.value })}
                  error={act.errorOf('place')}
                />
                <TextInput
                  label={t('sessions.assessors')}
                  description={t('sittings.schedule.assessorsHelp')}
                  {...HELP_BELOW}
                  withAsterisk
                  autoComplete="off"
                  value={draft.assessors}
                  onChange={(e) => update({ assessors: e.currentTarget.value })}
                  error={act.errorOf('assessorIds')}
                />
              </SimpleGrid>
              <Title order={3} size="h5">
                {t('sessions.candidates')}
              </Title>
              {!referentialId ? (
                <Text size="sm">{t('sessions.pickCertification')}</Text>
              ) : (
                <>
                  <Group align="end">
                    <TextInput
                      label={t('sessions.cohort')}
                      description={t('sessions.cohortHelp')}
                      {...HELP_BELOW}
                      w={260}
                      value={cohortTyped}
                      onChange={(e) => setCohortTyped(e.currentTarget.value)}
                      onBlur={() => update({ cohort: cohortTyped.trim() })}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') {
                          e.preventDefault();
                          update({ cohort: cohortTyped.trim() });
                        }
                      }}
                    />
                    <Button variant="default" onClick={() => setSelected(items)} disabled={items.length === 0}>
                      {t('sessions.selectAll', { count: items.length })}
                    </Button>
                    <Button variant="default" onClick={() => setSelected([])} disabled={selected.length === 0}>
                      {t('sessions.selectNone')}
                    </Button>
                  </Group>
                  <QueryState isLoading={candidates.isLoading} error={candidates.error} />
                  <Text size="sm" aria-live="polite">
                    {t('sessions.selected', { count: selected.length, total: items.length })}
                  </Text>
                  <DataTable<Item>
                    withTableBorder
                    striped
                    minHeight={120}
                    maxHeight={360}
                    idAccessor="enrollmentId"
                    records={items}
                    selectedRecords={selected}
                    onSelectedRecordsChange={setSelected}
                    selectionCheckboxProps={{ 'aria-label': t('sessions.selectOne') }}
                    allRecordsSelectionCheckboxProps={{ 'aria-label': t('sessions.selectAllLabel') }}
                    noRecordsText={t('sessions.noCandidate')}
                    columns={[
                      { accessor: 'candidateId', title: t('sessions.candidate'), render: (item) => <NameAndId candidateId={item.candidateId} /> },
                      { accessor: 'cohort', title: t('sessions.cohort') },
                      { accessor: 'accessRoute', title: t('sessions.route'), render: (item) => t(`accessRoute.${item.accessRoute}`) },
                      {
                        accessor: 'enrollmentId',
                        title: t('sessions.path'),
                        render: (item) => (
                          // Darker than the default link blue: it stays readable on a selected row's background.
                          <Anchor component={Link} to={`/parcours/${item.enrollmentId}`} c="blue.9" size="sm">
                            {t('sessions.openPath')}
                          </Anchor>
                        ),
                      },
                    ]}
                  />
                  {act.errorOf('enrollmentIds') && (
                    <Text size="sm" c="red.8" role="alert">
                      {act.errorOf('enrollmentIds')}
                    </Text>
                  )}
                </>
              )}
              <ActFailureNotice acts={[act]} />
              <Group>
                <SubmitButton pending={pending}>{t('sessions.submit', { count: selected.length })}</SubmitButton>
              </Group>
            </Stack>
          </form>
        </Card>
      </Stack>
    </Dates>
  );
}

function ScheduledReport({
  result,
  candidateIds,
  refusalOf,
}: {
  result: Scheduled;
  candidateIds: Record<string, string>;
  refusalOf: ReturnType<typeof useRefusal>;
}) {
  const { t } = useTranslation();
  const candidateOf = (enrollmentId: string) => candidateIds[enrollmentId] ?? enrollmentId;
  const scheduled = result.candidates.filter((c) => c.status === 'scheduled').length;
  return (
    <Card withBorder component="section" aria-labelledby="session-result-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="session-result-title">
          {t('sessions.result', { scheduled, total: result.candidates.length })}
        </Title>
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sessions.candidate')}</Table.Th>
              <Table.Th>{t('sessions.outcome')}</Table.Th>
              <Table.Th>{t('sessions.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.candidates.map((c) => (
              <Table.Tr key={c.enrollmentId}>
                <Table.Td>
                  <NameAndId candidateId={candidateOf(c.enrollmentId)} />
                </Table.Td>
                <Table.Td>
                  <ToneBadge tone={SCHEDULED_TONE[c.status]}>{t(`sessions.scheduledStatus.${c.status}`)}</ToneBadge>
                </Table.Td>
                <Table.Td>{refusalOf(c.refusal)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group>
          <Button component={Link} to={`/sessions/${result.id}`}>
            {t('sessions.open')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

const SITTING_TONE: Record<Session['candidates'][number]['sittingStatus'], Tone> = {
  'not-scheduled': 'red',
  scheduled: 'blue',
  held: 'green',
  assessed: 'green',
};
const HELD_TONE: Record<HeldAnswer['candidates'][number]['status'], Tone> = { held: 'green', absent: 'gray', refused: 'red' };

export function sessionQuery(sessionId: string) {
  return {
    queryKey: ['session', sessionId] as const,
    retry: shouldRetry,
    queryFn: () => answer(api.GET('/sessions/{sessionId}', { params: { path: { sessionId } } })),
  };
}

/**
 * A session's page: its épreuve, place and timetable (the start, the base duration and the latest
 * end — whose it is, never said), each candidate's sitting, and « Enregistrer la tenue de la
 * session »: a row per candidate, present (as scheduled unless durations are typed) or absent.
 */
export function ExamSession() {
  const { t, i18n } = useTranslation();
  const { sessionId = '' } = useParams();
  const session = useQuery(sessionQuery(sessionId));
  if (!session.data) return <QueryState isLoading={session.isLoading} error={session.error} />;
  const s = session.data;
  const when = (iso: string, options?: Intl.DateTimeFormatOptions) => formatParis(iso, i18n.language, options);
  return (
    <Stack>
      <Title order={1}>{t('sessions.sessionTitle', { epreuve: `${s.epreuveCode} — ${s.epreuveTitle}` })}</Title>
      <Card withBorder component="section" aria-labelledby="timetable-title">
        <Stack gap="xs">
          <Title order={2} size="h4" id="timetable-title">
            {t('sessions.timetable')}
          </Title>
          <Table variant="vertical" withTableBorder layout="fixed">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={260}>{t('sessions.place')}</Table.Th>
                <Table.Td>{s.place}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('sessions.startsAt')}</Table.Th>
                <Table.Td>{when(s.timetable.startsAt)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('sessions.baseDuration')}</Table.Th>
                <Table.Td>
                  {s.timetable.baseDurationMinutes === null ? t('sittings.untimed') : t('sessions.minutes', { minutes: s.timetable.baseDurationMinutes })}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('sessions.latestEnd')}</Table.Th>
                <Table.Td>{s.timetable.latestEndAt ? when(s.timetable.latestEndAt, { timeStyle: 'short' }) : '—'}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('sessions.assessors')}</Table.Th>
                <Table.Td>{s.assessorIds.join(', ')}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('sessions.certification')}</Table.Th>
                <Table.Td>
                  {s.referentialId} (v{s.version})
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          <Text size="sm">{t('sessions.latestEndHelp')}</Text>
        </Stack>
      </Card>
      <RecordSessionHeld session={s} onRecorded={() => void session.refetch()} />
    </Stack>
  );
}

interface RowDraft {
  present: boolean;
  mode: string | null;
  /** Timed part → minutes typed; empty: as scheduled. */
  minutes: Record<string, string>;
}

function RecordSessionHeld({ session, onRecorded }: { session: Session; onRecorded: () => void }) {
  const { t } = useTranslation();
  const refusalOf = useRefusal();
  const open = session.candidates.filter((c) => c.sittingStatus === 'scheduled');
  const start = parisWallClock(session.timetable.startsAt);
  const [day, setDay] = useState<string | null>(start.day);
  const [time, setTime] = useState(start.time);
  const [rows, setRows] = useState<Record<string, RowDraft>>({});
  const [result, setResult] = useState<HeldAnswer>();
  const rowOf = (id: string): RowDraft => rows[id] ?? { present: true, mode: null, minutes: {} };
  const setRow = (id: string, change: Partial<RowDraft>) => setRows((all) => ({ ...all, [id]: { ...rowOf(id), ...all[id], ...change } }));
  const act = useAct({
    name: `session-held.${session.id}`,
    fields: ['heldAt', 'candidates'],
    send: (body: Held, key: string) =>
      answer(api.POST('/sessions/{sessionId}/held', { params: { path: { sessionId: session.id }, header: { 'Idempotency-Key': key } }, body })),
  });
  const { onSubmit, pending } = useSubmit(async () => {
    const outcome = await act.run({
      heldAt: parisInstant(day, time) ?? '',
      candidates: open.map((c) => {
        const row = rowOf(c.enrollmentId);
        const typed = session.timedParts.filter((p) => (row.minutes[p.code] ?? '').trim() !== '');
        return {
          enrollmentId: c.enrollmentId,
          absent: !row.present,
          ...(row.present && typed.length === session.timedParts.length && typed.length > 0
            ? { timedParts: typed.map((p) => ({ code: p.code, actualDurationMinutes: Number(row.minutes[p.code]) })) }
            : {}),
          ...(row.present && row.mode ? { mode: row.mode as 'on-site' | 'distance' } : {}),
        };
      }),
    });
    if (!outcome) return;
    setResult(outcome);
    setRows({});
    onRecorded();
  });
  const outcomeOf = (enrollmentId: string) => result?.candidates.find((c) => c.enrollmentId === enrollmentId);

  return (
    <Dates>
      <Card withBorder component="section" aria-labelledby="held-title">
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="sm">
            <Title order={2} size="h4" id="held-title">
              {t('sessions.candidatesTitle')}
            </Title>
            <Table striped withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('sessions.candidate')}</Table.Th>
                  <Table.Th>{t('sessions.cohort')}</Table.Th>
                  <Table.Th>{t('sessions.sitting')}</Table.Th>
                  <Table.Th>{t('sessions.lastRecord')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {session.candidates.map((c) => {
                  const answered = outcomeOf(c.enrollmentId);
                  return (
                    <Table.Tr key={c.enrollmentId}>
                      <Table.Td>
                        <Anchor component={Link} to={`/parcours/${c.enrollmentId}`} size="sm">
                          <NameAndId candidateId={c.candidateId} />
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{c.cohort}</Table.Td>
                      <Table.Td>
                        <ToneBadge tone={SITTING_TONE[c.sittingStatus]}>{t(`sessions.sittingStatus.${c.sittingStatus}`)}</ToneBadge>
                      </Table.Td>
                      <Table.Td>
                        {answered ? (
                          <Group gap="xs">
                            <ToneBadge tone={HELD_TONE[answered.status]}>{t(`sessions.heldStatus.${answered.status}`)}</ToneBadge>
                            <Text size="sm">{refusalOf(answered.refusal)}</Text>
                          </Group>
                        ) : c.recorded ? (
                          <Group gap="xs">
                            <ToneBadge tone={HELD_TONE[c.recorded]}>{t(`sessions.heldStatus.${c.recorded}`)}</ToneBadge>
                            {c.refusalCode && <Text size="sm">{t(`errors.codes.${c.refusalCode}`, { defaultValue: c.refusalCode })}</Text>}
                          </Group>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
            <Title order={3} size="h5">
              {t('sessions.record')}
            </Title>
            {open.length === 0 ? (
              <Text size="sm">{t('sessions.nothingToRecord')}</Text>
            ) : (
              <>
                <Text size="sm">{t('sessions.recordIntro')}</Text>
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
                  <DateField label={t('sessions.heldDay')} withAsterisk value={day} onChange={setDay} error={act.errorOf('heldAt')} />
                  <ParisTimeField label={t('sessions.heldTime')} value={time} onChange={setTime} />
                </SimpleGrid>
                <Table withTableBorder>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('sessions.candidate')}</Table.Th>
                      <Table.Th>{t('sessions.present')}</Table.Th>
                      {session.timedParts.map((p) => (
                        <Table.Th key={p.code}>{t('sessions.partMinutes', { title: p.title })}</Table.Th>
                      ))}
                      <Table.Th>{t('sessions.mode')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {open.map((c) => {
                      const row = rowOf(c.enrollmentId);
                      return (
                        <Table.Tr key={c.enrollmentId}>
                          <Table.Td>
                            <NameAndId candidateId={c.candidateId} />
                          </Table.Td>
                          <Table.Td>
                            <Checkbox
                              label={t('sessions.presentLabel')}
                              aria-label={t('sessions.presentOf', { candidate: c.candidateId })}
                              checked={row.present}
                              onChange={(e) => setRow(c.enrollmentId, { present: e.currentTarget.checked })}
                            />
                          </Table.Td>
                          {session.timedParts.map((p) => (
                            <Table.Td key={p.code}>
                              <TextInput
                                aria-label={t('sessions.partMinutesOf', { title: p.title, candidate: c.candidateId })}
                                placeholder={t('sessions.asScheduled')}
                                inputMode="numeric"
                                w={140}
                                disabled={!row.present}
                                value={row.minutes[p.code] ?? ''}
                                onChange={(e) => setRow(c.enrollmentId, { minutes: { ...row.minutes, [p.code]: e.currentTarget.value } })}
                              />
                            </Table.Td>
                          ))}
                          <Table.Td>
                            <Select
                              aria-label={t('sessions.modeOf', { candidate: c.candidateId })}
                              placeholder={t('sessions.modeUnsaid')}
                              clearable
                              w={160}
                              disabled={!row.present}
                              data={[
                                { value: 'on-site', label: t('sessions.modes.on-site') },
                                { value: 'distance', label: t('sessions.modes.distance') },
                              ]}
                              value={row.mode}
                              onChange={(mode) => setRow(c.enrollmentId, { mode })}
                            />
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
                <ActFailureNotice acts={[act]} />
                <Group>
                  <SubmitButton pending={pending}>{t('sessions.recordSubmit')}</SubmitButton>
                </Group>
              </>
            )}
          </Stack>
        </form>
      </Card>
    </Dates>
  );
}

/** The candidate as an admin knows them (their name, a recorded read), with their id beneath to tell namesakes apart. */
function NameAndId({ candidateId }: { candidateId: string }) {
  return (
    <Stack gap={0}>
      <Text size="sm" fw={500}>
        <CandidateName candidateId={candidateId} />
      </Text>
      <Text size="xs" c="dimmed">
        {candidateId}
      </Text>
    </Stack>
  );
}
