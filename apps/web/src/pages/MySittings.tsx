import { Alert, Anchor, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { answer, api, shouldRetry } from '../api/client';
import type { components } from '../api/schema';
import { currentSession } from '../auth/session';
import { Dates } from '../components/Dates';
import { formatParis } from '../components/paris-time';
import { QueryState } from '../components/Problem';
import { ToneBadge } from '../components/Tone';
import { listEnrollments, pathQuery } from './referentials';
import { MeasureToApply, Outcome, RecordHeld } from './SittingActs';
import { assessmentOf, durationsOf, epreuveName, PathView, SittingView, Version } from './sittings';

type ToApply = components['schemas']['ToApplyAccommodationsView'];
type Measure = ToApply['sittings'][number]['measures'][number];

/** Enrollments read at once: an assessor's sittings are rarely spread over more. */
const PAGE_SIZE = 100;

interface Row {
  readonly path: PathView;
  readonly sitting: SittingView;
  readonly measures: readonly Measure[];
}

/** What the api tells an assessor to apply at one of their sittings (R14: instructions, never reasons). */
function measuresAt(path: PathView, sittingId: string): Measure[] {
  const view = path.accommodations as { view: string };
  if (view.view !== 'to-apply') return [];
  return (view as ToApply).sittings.find((s) => s.sittingId === sittingId)?.measures ?? [];
}

/**
 * « Mes épreuves »: the sittings assigned to the signed-in assessor (the api lists them the
 * enrollments where they have one), to assess first, then to hold, then those assessed; at each
 * the durations to apply and the measures as instructions, nothing more (R14). The assessor
 * records a sitting held here, then assesses it.
 */
export function MySittings() {
  const { t } = useTranslation();
  const me = currentSession()?.subject ?? '';
  const queries = useQueryClient();
  // The sitting whose holding is being recorded; each path read as far as the last act on it.
  const [holding, setHolding] = useState<string>();
  const [readAt, setReadAt] = useState<Record<string, string>>({});
  const [held, setHeld] = useState<string>();
  const notice = useRef<HTMLDivElement>(null);
  useEffect(() => notice.current?.focus(), [held]);
  const recordedHeld = (enrollmentId: string, sittingId: string) => (outcome: Outcome) => {
    setHolding(undefined);
    setHeld(sittingId);
    void queries.invalidateQueries({ queryKey: ['path', enrollmentId] });
    if (outcome.position) setReadAt((at) => ({ ...at, [enrollmentId]: outcome.position! }));
  };
  const list = useQuery({
    queryKey: ['enrollments', { pageSize: PAGE_SIZE, mine: me }],
    retry: shouldRetry,
    queryFn: () => listEnrollments({ pageSize: PAGE_SIZE, sort: 'lastProgressAt', order: 'desc' }),
  });
  const items = list.data?.items ?? [];
  const paths = useQueries({
    // Read again at a position, a path keeps showing as it was until the answer comes.
    queries: items.map((item) => ({ ...pathQuery(item.enrollmentId, readAt[item.enrollmentId]), placeholderData: keepPreviousData })),
  });
  const pinned = [...new Set(items.map((i) => `${i.referentialId}@${i.version}`))];
  const versions = useQueries({
    queries: pinned.map((key) => {
      const [referential, version] = key.split('@');
      return {
        queryKey: ['referential', referential, version],
        staleTime: 5 * 60_000,
        retry: shouldRetry,
        queryFn: () => answer(api.GET('/referentials/{referential}/versions/{version}', { params: { path: { referential, version } } })),
      };
    }),
  });
  const versionOf = (p: PathView): Version | undefined => versions[pinned.indexOf(`${p.certification.referentialId}@${p.certification.version}`)]?.data;

  if (!list.data) return <QueryState isLoading={list.isLoading} error={list.error} />;
  const loading = paths.some((q) => q.isLoading);
  const failed = paths.find((q) => q.error)?.error;
  const rows: Row[] = paths
    .flatMap((q) => (q.data ? [q.data] : []))
    .flatMap((path) =>
      path.sittings.filter((s) => s.assessors.includes(me)).map((sitting) => ({ path, sitting, measures: measuresAt(path, sitting.sittingId) })),
    );
  const byDate = (a: Row, b: Row) => (a.sitting.heldAt ?? a.sitting.scheduledAt).localeCompare(b.sitting.heldAt ?? b.sitting.scheduledAt);
  const sections = [
    { key: 'toAssess', rows: rows.filter((r) => r.sitting.status === 'held').sort(byDate) },
    // A path closed by a withdrawal or a transfer holds no more sittings.
    {
      key: 'toHold',
      rows: rows.filter((r) => r.sitting.status === 'scheduled' && ['in-progress', 'eligible'].includes(r.path.status)).sort(byDate),
    },
    { key: 'assessed', rows: rows.filter((r) => r.sitting.status === 'assessed').sort((a, b) => byDate(b, a)) },
  ];

  const heldRow = rows.find((r) => r.sitting.sittingId === held && r.sitting.status !== 'scheduled');

  return (
    <Dates>
      <Stack maw={980}>
        <Title order={1}>{t('mySittings.title')}</Title>
        <Text>{t('mySittings.intro')}</Text>
        {heldRow && (
          <Alert color="green.9" variant="outline" role="status" ref={notice} tabIndex={-1}>
            {t('mySittings.recordedHeld', { epreuve: epreuveName(versionOf(heldRow.path), heldRow.sitting.epreuve), attempt: heldRow.sitting.attempt })}
          </Alert>
        )}
        {list.data.total > items.length && <Text size="sm">{t('mySittings.truncated', { count: items.length })}</Text>}
        <QueryState isLoading={loading} error={failed} />
        {sections.map(({ key, rows: shown }) => (
          <Stack key={key} gap="sm" component="section" aria-labelledby={`section-${key}`}>
            <Title order={2} size="h3" id={`section-${key}`}>
              {t(`mySittings.sections.${key}`, { count: shown.length })}
            </Title>
            {shown.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t(`mySittings.none.${key}`)}
              </Text>
            ) : (
              shown.map((row) => (
                <SittingCard
                  key={row.sitting.sittingId}
                  row={row}
                  version={versionOf(row.path)}
                  holding={holding === row.sitting.sittingId}
                  onHold={() => setHolding(row.sitting.sittingId)}
                  onCancel={() => setHolding(undefined)}
                  onRecorded={recordedHeld(row.path.enrollmentId, row.sitting.sittingId)}
                />
              ))
            )}
          </Stack>
        ))}
      </Stack>
    </Dates>
  );
}

function SittingCard({
  row,
  version,
  holding,
  onHold,
  onCancel,
  onRecorded,
}: {
  row: Row;
  version: Version | undefined;
  holding: boolean;
  onHold: () => void;
  onCancel: () => void;
  onRecorded: (outcome: Outcome) => void;
}) {
  const { t, i18n } = useTranslation();
  const { path, sitting, measures } = row;
  const titleId = `sitting-${sitting.sittingId}`;
  const standing = sitting.status === 'assessed' ? assessmentOf(path, sitting) : undefined;
  const durations = durationsOf(sitting, version, true);
  const link = `/mes-epreuves/${path.enrollmentId}/${sitting.sittingId}`;
  return (
    <Card withBorder component="section" aria-labelledby={titleId}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={2}>
            <Title order={3} size="h4" id={titleId}>
              {epreuveName(version, sitting.epreuve)}
            </Title>
            <Text size="sm" c="dimmed">
              {path.certification.title} · {t('path.cohort')} {path.cohort} · {t('mySittings.candidate', { id: path.candidateId.slice(0, 8) })} ·{' '}
              {t('path.attempt', { n: sitting.attempt })}
            </Text>
          </Stack>
          {sitting.status === 'held' && <ToneBadge tone="blue">{t('mySittings.status.held')}</ToneBadge>}
          {sitting.status === 'scheduled' && <ToneBadge tone="gray">{t('mySittings.status.scheduled')}</ToneBadge>}
          {standing && (
            <ToneBadge tone={standing.passed ? 'green' : 'red'}>
              {t('mySittings.status.assessed', { outcome: standing.passed ? t('path.passed') : t('path.failed') })}
            </ToneBadge>
          )}
        </Group>
        <Text size="sm">
          {sitting.heldAt
            ? t('mySittings.heldAt', { date: formatParis(sitting.heldAt, i18n.language) })
            : t('mySittings.scheduledAt', { date: formatParis(sitting.scheduledAt, i18n.language) })}
        </Text>
        {sitting.status !== 'assessed' && (
          <Card withBorder padding="xs" bg="gray.0">
            <Text size="sm" fw={600} px={10} pt={4}>
              {t('mySittings.conditions')}
            </Text>
            <Table variant="vertical" layout="fixed" fz="sm" verticalSpacing={4}>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th w={130} bg="transparent">
                    {t('mySittings.durations')}
                  </Table.Th>
                  <Table.Td>{durations.length > 0 ? durations.join(' ; ') : t('mySittings.untimed')}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th bg="transparent">{t('mySittings.measures')}</Table.Th>
                  <Table.Td>
                    {measures.length === 0
                      ? t('mySittings.noMeasure')
                      : measures.map((m, i) => (
                          <Text key={i} size="sm">
                            {'instruction' in m ? m.instruction : t('accommodations.withheld')}
                          </Text>
                        ))}
                  </Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </Card>
        )}
        {sitting.status === 'scheduled' && !holding && <Text size="sm">{t('mySittings.toRecordHeld')}</Text>}
        {holding && (
          <RecordHeld
            enrollmentId={path.enrollmentId}
            sitting={sitting}
            version={version}
            toApply={measures.filter((m): m is MeasureToApply => 'accommodationId' in m)}
            onRecorded={onRecorded}
            onCancel={onCancel}
          />
        )}
        <Group gap="md">
          {sitting.status === 'scheduled' && !holding && (
            <Button onClick={onHold} aria-label={t('path.recordHeldOf', { epreuve: sitting.epreuve, n: sitting.attempt })}>
              {t('path.recordHeld')}
            </Button>
          )}
          {sitting.status === 'held' && (
            <Button component={Link} to={link}>
              {t('mySittings.assess')}
            </Button>
          )}
          {standing && (
            <Button component={Link} to={`${link}/correction`} variant="default">
              {t('mySittings.correct')}
            </Button>
          )}
          <Anchor component={Link} to={`/parcours/${path.enrollmentId}`} size="sm">
            {t('mySittings.openPath')}
          </Anchor>
        </Group>
      </Stack>
    </Card>
  );
}
