import { Anchor, Button, Card, Checkbox, Group, List, Loader, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { shouldRetry } from '../api/client';
import { ActFailure, isTransient, problemMessage, sendAct } from '../components/ActForm';
import { QueryState } from '../components/Problem';
import { ToneBadge } from '../components/Tone';
import { BLOC_TONES, candidateLabel, EnrollmentItem, isOpen, JURY_PAGE, validateBloc, validatableBlocs } from './jury';
import { listEnrollments, useReferentials } from './referentials';

/** One decision of the deliberation: a bloc of a candidate's path to validate. */
interface Target {
  readonly enrollmentId: string;
  readonly candidateId: string;
  readonly bloc: string;
}

type Result = Target & ({ state: 'recorded'; position: string | null } | { state: 'failed'; message: string; code?: string });

/** Why a validation is not recorded, in the reader's language. */
function failureMessage(failure: ActFailure, t: (key: string) => string): { message: string; code?: string } {
  if (failure.kind === 'lost') return { message: t('jury.deliberation.lost') };
  const { problem } = failure;
  return { message: isTransient(problem) ? `${problemMessage(problem)} ${t('act.retryLater')}` : problemMessage(problem), code: problem.code };
}

/**
 * The deliberation of a cohort: its open paths bloc by bloc; the jury selects candidates and
 * validates each one's validatable blocs in one go. Each validation is still its own act (its own
 * Idempotency-Key, its own decision and event): one refused does not undo the others, and the
 * screen says which were recorded and which were not, and why.
 */
export function Deliberation() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const referentials = useReferentials();
  const queries = useQueryClient();
  const referentialId = params.get('referentialId');
  const version = params.get('version');
  const cohort = params.get('cohort') ?? '';
  const chosen = referentialId && version ? `${referentialId}@${version}` : null;
  const summary = referentials.data?.find((r) => r.referential === referentialId && r.version === version);
  // After the deliberation: the list read as far as its last decision.
  const [consistentWith, setConsistentWith] = useState<string>();
  const list = useQuery({
    queryKey: ['enrollments', { referentialId, version, cohort, pageSize: JURY_PAGE, consistentWith }],
    enabled: Boolean(chosen && cohort),
    placeholderData: keepPreviousData,
    retry: shouldRetry,
    queryFn: () =>
      listEnrollments({ referentialId: referentialId!, version: version!, cohort, pageSize: JURY_PAGE, ...(consistentWith ? { consistentWith } : {}) }),
  });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState<Target[]>();
  const [progress, setProgress] = useState<{ done: number; of: number }>();
  const [results, setResults] = useState<Result[]>();
  const running = useRef(false);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const resultsHeading = useRef<HTMLHeadingElement>(null);

  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
    setSelected(new Set());
    setConfirming(undefined);
    setResults(undefined);
  };

  const items = list.data?.items ?? [];
  const open = items.filter((item) => isOpen(item.status));
  const ready = open.filter((item) => validatableBlocs(item).length > 0);
  const chosenItems = ready.filter((item) => selected.has(item.enrollmentId));
  const targets: Target[] = chosenItems.flatMap((item) =>
    validatableBlocs(item).map((bloc) => ({ enrollmentId: item.enrollmentId, candidateId: item.candidateId, bloc })),
  );
  const blocs = summary?.blocs ?? [];
  const toggle = (id: string, on: boolean) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const confirm = () => {
    setResults(undefined);
    setConfirming(targets);
    setTimeout(() => confirmHeading.current?.focus());
  };

  /** Each validation in turn, each its own act; a refusal is noted and the next one is sent. */
  const deliberate = async (chosenTargets: Target[]) => {
    if (running.current) return;
    running.current = true;
    setConfirming(undefined);
    const done: Result[] = [];
    setProgress({ done: 0, of: chosenTargets.length });
    for (const target of chosenTargets) {
      const sent = await sendAct(`validate-bloc.${target.enrollmentId}.${target.bloc}`, {}, validateBloc(target.enrollmentId, target.bloc));
      done.push(
        'result' in sent
          ? { ...target, state: 'recorded', position: sent.result.position }
          : { ...target, state: 'failed', ...failureMessage(sent.failure, t) },
      );
      setProgress({ done: done.length, of: chosenTargets.length });
    }
    running.current = false;
    setProgress(undefined);
    setResults(done);
    setSelected(new Set());
    // The paths and the lists are read again, as far as the last decision recorded.
    const last = [...done].reverse().find((r) => r.state === 'recorded' && r.position);
    void queries.invalidateQueries({ queryKey: ['path'] });
    void queries.invalidateQueries({ queryKey: ['enrollments'] });
    if (last?.state === 'recorded' && last.position) setConsistentWith(last.position);
    setTimeout(() => resultsHeading.current?.focus());
  };

  const recorded = results?.filter((r) => r.state === 'recorded') ?? [];
  const failed = results?.filter((r): r is Extract<Result, { state: 'failed' }> => r.state === 'failed') ?? [];
  const resultsOf = (id: string) => results?.filter((r) => r.enrollmentId === id) ?? [];

  return (
    <Stack>
      <Anchor component={Link} to="/jury" size="sm">
        ← {t('jury.backToReady')}
      </Anchor>
      <Title order={1}>{cohort ? t('jury.deliberation.titleOf', { cohort }) : t('jury.deliberation.title')}</Title>
      {summary && <Text c="dimmed">{`${summary.title} (v${summary.version})`}</Text>}
      <Text>{t('jury.deliberation.intro')}</Text>
      <Group align="flex-end" gap="sm" role="search">
        <Select
          label={t('enrollments.certification')}
          placeholder={t('jury.deliberation.chooseCertification')}
          w={360}
          data={(referentials.data ?? []).map((r) => ({ value: `${r.referential}@${r.version}`, label: `${r.title} (v${r.version})` }))}
          value={chosen}
          onChange={(value) => {
            const [r, v] = value ? value.split('@') : [null, null];
            set({ referentialId: r, version: v });
          }}
        />
        <TextInput
          label={t('enrollments.cohort')}
          w={160}
          defaultValue={cohort}
          key={`cohort-${cohort}`}
          onBlur={(e) => e.currentTarget.value.trim() !== cohort && set({ cohort: e.currentTarget.value.trim() || null })}
          onKeyDown={(e) => e.key === 'Enter' && set({ cohort: e.currentTarget.value.trim() || null })}
        />
      </Group>
      {!(chosen && cohort) && <Text>{t('jury.deliberation.choose')}</Text>}
      <QueryState isLoading={list.isLoading} error={list.error ?? referentials.error} />

      {results && (
        <Card
          withBorder
          component="section"
          role={failed.length > 0 ? 'alert' : 'status'}
          aria-labelledby="results-title"
          style={{ borderWidth: 2, borderColor: `var(--mantine-color-${failed.length > 0 ? 'red' : 'green'}-9)` }}
        >
          <Stack gap="sm">
            <Title order={2} size="h4" id="results-title" ref={resultsHeading} tabIndex={-1}>
              {failed.length > 0
                ? t('jury.deliberation.resultsSome', {
                    recorded: t('jury.deliberation.recordedCount', { count: recorded.length }),
                    failed: t('jury.deliberation.failedCount', { count: failed.length }),
                  })
                : t('jury.deliberation.resultsAll', { count: recorded.length })}
            </Title>
            {recorded.length > 0 && (
              <Stack gap={2} pl="sm" style={{ borderLeft: '4px solid var(--mantine-color-green-8)' }}>
                <Text size="sm" fw={600}>
                  {t('jury.deliberation.recordedHeading', { count: recorded.length })}
                </Text>
                <Text size="sm">{recorded.map((r) => `${candidateLabel(r.candidateId)} — ${r.bloc}`).join(' ; ')}</Text>
              </Stack>
            )}
            {failed.length > 0 && (
              <Stack gap={2} pl="sm" style={{ borderLeft: '4px solid var(--mantine-color-red-9)' }}>
                <Text size="sm" fw={600}>
                  {t('jury.deliberation.failedHeading', { count: failed.length })}
                </Text>
                <List size="sm">
                  {failed.map((r) => (
                    <List.Item key={`${r.enrollmentId}-${r.bloc}`}>
                      <Text span size="sm" fw={600}>
                        {candidateLabel(r.candidateId)} — {r.bloc}
                      </Text>{' '}
                      : {r.message}
                      {r.code && (
                        <Text span size="xs" ff="monospace">
                          {' '}
                          ({r.code})
                        </Text>
                      )}
                    </List.Item>
                  ))}
                </List>
                <Text size="sm">{t('jury.deliberation.othersStand')}</Text>
              </Stack>
            )}
          </Stack>
        </Card>
      )}

      {chosen && cohort && list.data && (
        <>
          <Text size="sm" aria-live="polite">
            {t('jury.deliberation.counts', { open: open.length, ready: ready.length })}
            {items.length > open.length ? ` ${t('jury.deliberation.closed', { count: items.length - open.length })}` : ''}
          </Text>
          {open.length === 0 ? (
            <Text>{t('jury.deliberation.noOpen')}</Text>
          ) : (
            <Table striped withTableBorder aria-label={t('jury.deliberation.tableLabel', { cohort })}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={48}>
                    <Checkbox
                      aria-label={t('jury.deliberation.selectAll', { count: ready.length })}
                      disabled={ready.length === 0 || Boolean(progress)}
                      checked={ready.length > 0 && chosenItems.length === ready.length}
                      indeterminate={chosenItems.length > 0 && chosenItems.length < ready.length}
                      onChange={(e) => setSelected(new Set(e.currentTarget.checked ? ready.map((i) => i.enrollmentId) : []))}
                    />
                  </Table.Th>
                  <Table.Th>{t('enrollments.columns.candidate')}</Table.Th>
                  <Table.Th>{t('enrollments.columns.status')}</Table.Th>
                  {blocs.map((b) => (
                    <Table.Th key={b.code} title={b.title}>
                      {b.code}
                    </Table.Th>
                  ))}
                  <Table.Th>{t('jury.deliberation.result')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {open.map((item) => (
                  <CandidateRow
                    key={item.enrollmentId}
                    item={item}
                    blocs={blocs.map((b) => b.code)}
                    selected={selected.has(item.enrollmentId)}
                    disabled={Boolean(progress)}
                    onToggle={(on) => toggle(item.enrollmentId, on)}
                    results={resultsOf(item.enrollmentId)}
                  />
                ))}
              </Table.Tbody>
            </Table>
          )}

          {confirming ? (
            <Card withBorder component="section" aria-labelledby="confirm-title">
              <Stack gap="sm">
                <Title order={2} size="h4" id="confirm-title" ref={confirmHeading} tabIndex={-1}>
                  {t('jury.deliberation.confirmTitle', { count: confirming.length })}
                </Title>
                <List size="sm">
                  {confirming.map((target) => (
                    <List.Item key={`${target.enrollmentId}-${target.bloc}`}>
                      {candidateLabel(target.candidateId)} — {target.bloc}
                      {blocs.find((b) => b.code === target.bloc)?.title ? ` (${blocs.find((b) => b.code === target.bloc)?.title})` : ''}
                    </List.Item>
                  ))}
                </List>
                <Text size="sm">{t('jury.deliberation.confirmText')}</Text>
                <Group>
                  <Button onClick={() => void deliberate(confirming)}>{t('jury.deliberation.confirm', { count: confirming.length })}</Button>
                  <Button variant="default" onClick={() => setConfirming(undefined)}>
                    {t('jury.deliberation.back')}
                  </Button>
                </Group>
              </Stack>
            </Card>
          ) : progress ? (
            <Group gap="sm" role="status">
              <Loader size={16} aria-hidden />
              <Text size="sm">{t('jury.deliberation.progress', progress)}</Text>
            </Group>
          ) : (
            <Group>
              <Button disabled={targets.length === 0} onClick={confirm} aria-describedby="selection-summary">
                {t('jury.deliberation.validate')}
              </Button>
              <Text size="sm" id="selection-summary">
                {targets.length === 0
                  ? t('jury.deliberation.selectFirst')
                  : t('jury.deliberation.selection', { candidates: chosenItems.length, count: targets.length })}
              </Text>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}

function CandidateRow({
  item,
  blocs,
  selected,
  disabled,
  onToggle,
  results,
}: {
  item: EnrollmentItem;
  blocs: string[];
  selected: boolean;
  disabled: boolean;
  onToggle: (on: boolean) => void;
  results: Result[];
}) {
  const { t } = useTranslation();
  const validatable = validatableBlocs(item);
  const label = candidateLabel(item.candidateId);
  return (
    <Table.Tr>
      <Table.Td>
        <Checkbox
          aria-label={
            validatable.length > 0
              ? t('jury.deliberation.select', { candidate: label, blocs: validatable.join(', ') })
              : t('jury.deliberation.nothingToValidate', { candidate: label })
          }
          disabled={disabled || validatable.length === 0}
          checked={selected && validatable.length > 0}
          onChange={(e) => onToggle(e.currentTarget.checked)}
        />
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Anchor component={Link} to={`/jury/parcours/${item.enrollmentId}`}>
          {label}
        </Anchor>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{t(`status.${item.status}`)}</Table.Td>
      {blocs.map((code) => {
        const bloc = item.blocs.find((b) => b.code === code);
        return (
          <Table.Td key={code} style={{ minWidth: 130 }}>
            {bloc && (bloc.required || bloc.status !== 'not-started') ? (
              <ToneBadge tone={BLOC_TONES[bloc.status]} size="sm">
                {t(`blocStatus.${bloc.status}`)}
              </ToneBadge>
            ) : (
              <Text size="xs" c="dimmed">
                {t('jury.deliberation.notRequired')}
              </Text>
            )}
          </Table.Td>
        );
      })}
      <Table.Td>
        <Stack gap={4}>
          {validatable.length === 0 && results.length === 0 && (
            <Text size="xs" c="dimmed">
              {t('jury.deliberation.nothing')}
            </Text>
          )}
          {results.map((r) =>
            r.state === 'recorded' ? (
              <ToneBadge key={r.bloc} tone="green" size="sm">
                {t('jury.deliberation.blocRecorded', { bloc: r.bloc })}
              </ToneBadge>
            ) : (
              <Stack key={r.bloc} gap={2}>
                <ToneBadge tone="red" size="sm">
                  {t('jury.deliberation.blocRefused', { bloc: r.bloc })}
                </ToneBadge>
                <Text size="xs">{r.message}</Text>
              </Stack>
            ),
          )}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}
