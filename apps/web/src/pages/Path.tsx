import { Accordion, Alert, Anchor, Badge, Button, Card, Group, List, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../i18n';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { answer, api, shouldRetry } from '../api/client';
import { currentSession } from '../auth/session';
import { Accommodations } from '../components/Accommodations';
import { ErasedNotice } from '../components/ErasedNotice';
import { PathDocuments } from '../components/PathDocuments';
import { UpcomingSittings } from '../components/UpcomingSittings';
import { calendarLabels, Dates } from '../components/Dates';
import { formatParis } from '../components/paris-time';
import { QueryState } from '../components/Problem';
import { AssessmentBadges, Tone, ToneBadge } from '../components/Tone';
import { Outcome, RecordHeld, ScheduleSitting } from './SittingActs';
import { isClosureAct, PathClosure, PathClosureActs } from './path-closure';
import { durationsOf, epreuveName, useVersion } from './sittings';

const BLOC_TONES: Record<string, Tone> = { validated: 'green', validatable: 'teal', 'in-progress': 'blue', 'not-started': 'gray', annulled: 'red' };

/** A candidate's path: blocs → competencies → the assessments bearing on them; sittings; what is missing; documents. */
export function Path() {
  const { t, i18n } = useTranslation();
  const { enrollmentId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  // "As of": the path as it stood at an instant, replayed from the log by the api.
  const asOf = params.get('asOf');
  // Arriving from an act of the console: the path is read as far as its position, so it shows the act.
  const location = useLocation();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const arrived = (location.state ?? {}) as { consistentWith?: string | null; recorded?: string; sittingId?: string };
  const consistentWith = arrived.consistentWith ?? undefined;
  const path = useQuery({
    queryKey: ['path', enrollmentId, asOf, consistentWith],
    retry: shouldRetry,
    // After an act on this page, the path read as far as it replaces the one shown, without a blank in between (another path: a blank).
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === enrollmentId ? previous : undefined),
    queryFn: () =>
      asOf
        ? answer(api.GET('/enrollments/{enrollmentId}/as-of', { params: { path: { enrollmentId }, query: { at: asOf } } }))
        : answer(api.GET('/enrollments/{enrollmentId}', { params: { path: { enrollmentId }, query: consistentWith ? { consistentWith } : {} } })),
  });
  // Provenance and "as of" are the api's for these roles only: the others are not offered them.
  const role = currentSession()?.role ?? '';
  const mayTrace = ['auditor', 'admin', 'jury'].includes(role);
  // The candidate's name, for their school's admins and themselves: each such read is recorded by the api (R14).
  const candidateId = path.data?.candidateId ?? '';
  const identity = useQuery({
    queryKey: ['candidate', candidateId],
    enabled: Boolean(candidateId) && ['admin', 'candidate'].includes(role),
    retry: shouldRetry,
    queryFn: () => answer(api.GET('/candidates/{candidateId}', { params: { path: { candidateId } } })),
  });
  const version = useVersion(path.data?.certification.referentialId, path.data?.certification.version);
  // The sitting whose holding the admin is recording.
  const [holding, setHolding] = useState<string>();
  /** An act of this page recorded: the path read again as far as it, saying what was recorded. */
  const recorded = (kind: string) => (outcome: Outcome) => {
    setHolding(undefined);
    // Every other reading of this path (« Mes épreuves », the lists) is read again when next shown.
    void queries.invalidateQueries({ queryKey: ['path', enrollmentId] });
    void queries.invalidateQueries({ queryKey: ['enrollments'] });
    navigate(location.pathname, { replace: true, state: { consistentWith: outcome.position, recorded: kind, sittingId: outcome.id } });
  };
  const locale = i18n.language === 'fr' ? 'fr-FR' : 'en-GB';
  const date = (iso: string) => new Date(iso).toLocaleDateString(locale);
  const dateTime = (iso: string) => new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });

  if (!path.data) return <QueryState isLoading={path.isLoading} error={path.error} />;
  const p = path.data;
  const stoodAt = 'asOf' in p ? (p as unknown as { asOf: string; position: string | null }) : undefined;
  const nothingMissing = p.missing.blocs.length === 0 && p.missing.optionGroups.length === 0 && p.missing.extraRequirements.length === 0;
  // Sittings are scheduled and recorded held on an open path, by its school's admin (the api's acts for that role).
  const open = !stoodAt && ['in-progress', 'eligible'].includes(p.status);
  const admin = role === 'admin' && open;
  const me = currentSession()?.subject ?? '';
  const heldSitting = p.sittings.find((s) => s.sittingId === holding && s.status === 'scheduled');
  const recordedSitting = p.sittings.find((s) => s.sittingId === arrived.sittingId);
  const notice =
    arrived.recorded === 'sittingScheduled' && recordedSitting
      ? t('path.recorded.sittingScheduled', {
          epreuve: epreuveName(version.data, recordedSitting.epreuve),
          date: formatParis(recordedSitting.scheduledAt, i18n.language),
          durations: durationsOf(recordedSitting, version.data).join(' ; ') || t('sittings.untimed'),
        })
      : arrived.recorded && !isClosureAct(arrived.recorded)
        ? t(`path.recorded.${arrived.recorded}`)
        : undefined;
  return (
    <Dates>
      <Stack>
        <Anchor component={Link} to="/inscriptions" size="sm">
          ← {t('path.back')}
        </Anchor>
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Title order={1}>{p.certification.title}</Title>
            <Text c="dimmed">
              {p.certification.rncpCode ? `${p.certification.rncpCode} · ` : ''}
              {t('closure.version', { version: p.certification.version })} · {t('path.cohort')} {p.cohort} · {t(`accessRoute.${p.accessRoute}`)} ·{' '}
              {t('path.candidate')} {nameOf(identity.data?.identity) ?? p.candidateId.slice(0, 8)}
            </Text>
            {role === 'admin' && (
              <Anchor component={Link} to={`/candidats/${p.candidateId}/identite`} state={{ from: location.pathname, fromLabel: 'path' }} size="sm">
                {t('identity.open')}
              </Anchor>
            )}
            {role === 'auditor' && (
              <Anchor component={Link} to={`/donnees-personnelles?candidat=${p.candidateId}`} size="sm">
                {t('path.personalDataReads')}
              </Anchor>
            )}
            {role === 'jury' && !stoodAt && (
              <Anchor component={Link} to={`/jury/parcours/${enrollmentId}`} size="sm">
                {t('jury.path.deliberate')}
              </Anchor>
            )}
          </Stack>
          <Badge size="lg" variant="filled">
            {t(`status.${p.status}`)}
          </Badge>
        </Group>

        {notice && !asOf && (
          <Alert color="green.9" variant="outline" role="status">
            {notice}
          </Alert>
        )}
        {p.personalDataErasedAt && <ErasedNotice erasedAt={p.personalDataErasedAt} />}
        {!stoodAt && <PathClosure path={p} />}
        {admin && <PathClosureActs enrollmentId={enrollmentId} />}

        {mayTrace && (
          <Group align="flex-end">
            <DateTimePicker
              label={t('path.asOf')}
              placeholder={t('path.asOfPlaceholder')}
              w={260}
              clearable
              valueFormat="DD/MM/YYYY HH:mm"
              ariaLabels={calendarLabels(t)}
              clearButtonProps={{ 'aria-label': t('path.clearAsOf') }}
              value={asOf ? new Date(asOf) : null}
              onChange={(value) => setParams(value ? { asOf: new Date(value).toISOString() } : {})}
            />
            {asOf && (
              <Button variant="subtle" onClick={() => setParams({})}>
                {t('path.now')}
              </Button>
            )}
          </Group>
        )}
        {stoodAt && (
          <Alert color="blue.9" variant="outline">
            {t('path.asOfNotice', { date: dateTime(stoodAt.asOf), position: stoodAt.position ?? '—' })}
          </Alert>
        )}

        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Card withBorder>
            <Title order={2} size="h4" mb="xs">
              {t('path.missing')}
            </Title>
            {nothingMissing ? (
              <Text>{t('path.nothingMissing')}</Text>
            ) : (
              <List size="sm">
                {p.missing.blocs.length > 0 && (
                  <List.Item>
                    {t('path.missingBlocs')} : {p.missing.blocs.join(', ')}
                  </List.Item>
                )}
                {p.missing.optionGroups.map((g) => (
                  <List.Item key={g.group}>
                    {t('path.missingGroups')} : {g.group} ({g.missing})
                  </List.Item>
                ))}
                {p.missing.extraRequirements.length > 0 && (
                  <List.Item>
                    {t('path.missingRequirements')} : {p.missing.extraRequirements.join(', ')}
                  </List.Item>
                )}
              </List>
            )}
          </Card>
          {/* The candidate's next sittings beside what is missing; their documents, with what they can do with them, below. */}
          {role === 'candidate' ? <UpcomingSittings path={p} version={version.data} /> : <PathDocuments path={p} />}
        </SimpleGrid>
        {role === 'candidate' && <PathDocuments path={p} />}

        <Accommodations value={p.accommodations} />
        {role === 'referent' && !stoodAt && (
          <Group>
            <Button component={Link} to={`/parcours/${enrollmentId}/amenagements`} variant="light">
              {t('referent.manage')}
            </Button>
          </Group>
        )}

        {p.juryDecision && (
          <Card withBorder>
            <Title order={2} size="h4">
              {t('path.juryDecision')}
            </Title>
            <Text>
              {t(`path.decision.${p.juryDecision.decision}`)} — {p.juryDecision.place}, {dateTime(p.juryDecision.at)} ({p.juryDecision.by})
            </Text>
          </Card>
        )}

        <Title order={2} size="h3">
          {t('path.blocs')}
        </Title>
        <Accordion multiple variant="separated" defaultValue={p.blocs.filter((b) => b.status !== 'not-started').map((b) => b.code)}>
          {p.blocs.map((bloc) => (
            <Accordion.Item key={bloc.code} value={bloc.code}>
              <Accordion.Control>
                <Group justify="space-between" wrap="nowrap" pr="md">
                  <Text fw={600}>
                    {bloc.code} — {bloc.title}
                  </Text>
                  {/* The bloc's status is never cut to an ellipsis: its title wraps instead. */}
                  <Group gap="xs" wrap="nowrap" flex="none">
                    {!bloc.required && (
                      <Text size="xs" c="dimmed">
                        {t('path.optional')}
                      </Text>
                    )}
                    {bloc.validatedAt && (
                      <Text size="xs">
                        {t('path.validatedAt', { date: date(bloc.validatedAt) })}
                        {bloc.decidedBy === 'transfer' && ` ${t('jury.deciders.transfer')}`}
                      </Text>
                    )}

                    <ToneBadge tone={BLOC_TONES[bloc.status]}>{t(`blocStatus.${bloc.status}`)}</ToneBadge>
                  </Group>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                {bloc.decidedBy === 'transfer' && (
                  <Text size="sm" mb="xs">
                    {t('closure.carriedBloc')}
                  </Text>
                )}
                {mayTrace && bloc.status !== 'not-started' && (
                  <Anchor component={Link} size="sm" to={`/parcours/${enrollmentId}/blocs/${bloc.code}/provenance`}>
                    {t('path.provenance')} {bloc.code}
                  </Anchor>
                )}
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('path.competency')}</Table.Th>
                      <Table.Th>{t('path.status')}</Table.Th>
                      <Table.Th>{t('path.assessments')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {bloc.competencies.map((c) => (
                      <Table.Tr key={c.code}>
                        <Table.Td>
                          <Text size="sm" fw={500}>
                            {c.code}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {c.title}
                          </Text>
                        </Table.Td>
                        {/* The competency's title wraps; its status never shrinks to an ellipsis. */}
                        <Table.Td style={{ minWidth: 130 }}>
                          <ToneBadge tone={c.acquired ? 'green' : 'gray'}>{c.acquired ? t('path.acquired') : t('path.notAcquired')}</ToneBadge>
                        </Table.Td>
                        <Table.Td>
                          {c.assessments.length === 0 ? (
                            <Text size="sm" c="dimmed">
                              {t('path.noAssessment')}
                            </Text>
                          ) : (
                            c.assessments.map((a) => (
                              <Text size="sm" key={a.assessmentId}>
                                {a.epreuve}, {t('path.attempt', { n: a.attempt })} : {t('path.criteria', { met: a.criteriaMet, total: a.criteria })}{' '}
                                {/* Passed for this competency: its criteria met in that assessment. */}
                                <AssessmentBadges passed={a.criteriaMet === a.criteria} corrected={Boolean(a.correctedBy)} voided={a.voided} />
                              </Text>
                            ))
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>

        <Title order={2} size="h3">
          {t('path.sittings')}
        </Title>
        {p.sittings.length === 0 ? (
          <Text>{t('path.noSitting')}</Text>
        ) : (
          <Table withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('path.epreuve')}</Table.Th>
                <Table.Th>{t('path.scheduledAt')}</Table.Th>
                <Table.Th>{t('path.durations')}</Table.Th>
                <Table.Th>{t('path.status')}</Table.Th>
                <Table.Th>{t('path.assessors')}</Table.Th>
                {(admin || role === 'assessor') && <Table.Th>{t('path.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {p.sittings.map((s) => (
                <Table.Tr key={s.sittingId}>
                  <Table.Td>
                    {s.epreuve} ({s.bloc}), {t('path.attempt', { n: s.attempt })}
                  </Table.Td>
                  <Table.Td>{formatParis(s.scheduledAt, i18n.language, { dateStyle: 'medium', timeStyle: 'short' })}</Table.Td>
                  {/* An assessor is told the durations to apply, nothing more (R14). */}
                  <Table.Td>{durationsOf(s, version.data, role === 'assessor').join(' ; ') || '—'}</Table.Td>
                  <Table.Td>
                    {s.heldAt
                      ? t(s.status === 'held' ? 'path.heldOn' : 'path.assessedHeldOn', {
                          date: formatParis(s.heldAt, i18n.language, { dateStyle: 'medium', timeStyle: 'short' }),
                        })
                      : t(`path.sittingStatus.${s.status}`, { defaultValue: s.status })}
                  </Table.Td>
                  <Table.Td>{s.assessors.join(', ')}</Table.Td>
                  {(admin || role === 'assessor') && (
                    <Table.Td>
                      {admin && s.status === 'scheduled' && (
                        <Button
                          size="compact-sm"
                          variant="light"
                          onClick={() => setHolding(s.sittingId)}
                          aria-label={t('path.recordHeldOf', { epreuve: s.epreuve, n: s.attempt })}
                        >
                          {t('path.recordHeld')}
                        </Button>
                      )}
                      {role === 'assessor' && s.status === 'held' && s.assessors.includes(me) && (
                        <Anchor component={Link} size="sm" to={`/mes-epreuves/${enrollmentId}/${s.sittingId}`}>
                          {t('path.assess', { epreuve: s.epreuve })}
                        </Anchor>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {admin && heldSitting && (
          <RecordHeld
            key={heldSitting.sittingId}
            enrollmentId={enrollmentId}
            sitting={heldSitting}
            version={version.data}
            onRecorded={recorded('sittingHeld')}
            onCancel={() => setHolding(undefined)}
          />
        )}
        {admin && <ScheduleSitting key={p.enrollmentId} path={p} version={version.data} onRecorded={recorded('sittingScheduled')} />}
      </Stack>
    </Dates>
  );
}

/** "Léa Martin" (the name in use when there is one); "données effacées" once erased; nothing until read. */
function nameOf(identity: unknown): string | undefined {
  if (!identity || typeof identity !== 'object') return undefined;
  if ('withheld' in identity) return i18n.t('path.erased');
  const { firstNames, birthName, usageName } = identity as { firstNames: string[]; birthName: string; usageName?: string };
  return `${firstNames.join(' ')} ${usageName ?? birthName}`;
}
