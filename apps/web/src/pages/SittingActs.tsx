import '@mantine/core/styles/Radio.css';
import '@mantine/core/styles/NumberInput.css';
import { Button, Card, Group, NumberInput, Radio, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { answer, api, shouldRetry } from '../api/client';
import type { components } from '../api/schema';
import { ActFailureNotice, HELP_BELOW, SubmitButton, useAct, useDraft, useSubmit } from '../components/ActForm';
import { DateField, ParisTimeField } from '../components/Dates';
import { parisInstant, parisWallClock } from '../components/paris-time';
import { epreuveName, epreuveOf, partTitle, PathView, SittingView, Version } from './sittings';

type Schedule = components['schemas']['ScheduleSittingRequest'];
type Held = components['schemas']['RecordSittingHeldRequest'];
export type Outcome = { position: string | null; id?: string };

/** Assessor ids as typed: separated by commas (or spaces), each once. */
const idsOf = (typed: string) => [...new Set(typed.split(/[,\s]+/).filter(Boolean))];

interface ScheduleDraft {
  epreuveCode: string | null;
  day: string | null;
  time: string;
  assessors: string;
}
const NO_SCHEDULE: ScheduleDraft = { epreuveCode: null, day: null, time: '', assessors: '' };

/** The épreuves the path still owes that may be scheduled now: one attempt at a time, observations over the training aside (R12). */
function schedulable(path: PathView, version: Version | undefined): { bloc: string; codes: string[] }[] {
  const open = new Set(path.sittings.filter((s) => s.status !== 'assessed').map((s) => s.epreuve));
  return path.missing.epreuves
    .map(({ bloc, epreuves }) => ({ bloc, codes: epreuves.filter((code) => !open.has(code) || epreuveOf(version, code)?.continuous) }))
    .filter((b) => b.codes.length > 0);
}

/**
 * An admin schedules a sitting of an épreuve the path still owes: its day and time (Paris), its
 * assessors. The api computes its effective durations from the accommodations in force that day;
 * the path shows them once it is scheduled.
 */
export function ScheduleSitting({ path, version, onRecorded }: { path: PathView; version: Version | undefined; onRecorded: (outcome: Outcome) => void }) {
  const { t } = useTranslation();
  const [draft, update, clear] = useDraft<ScheduleDraft>(`schedule-sitting.${path.enrollmentId}`, NO_SCHEDULE);
  const act = useAct({
    name: `schedule-sitting.${path.enrollmentId}`,
    fields: ['epreuveCode', 'scheduledAt', 'assessorIds'],
    codeFields: {
      'SITTING.UNKNOWN_EPREUVE': 'epreuveCode',
      'SITTING.OPTION_NOT_CHOSEN': 'epreuveCode',
      'SITTING.BLOC_ALREADY_VALIDATED': 'epreuveCode',
      'SITTING.EPREUVE_NOT_ON_ROUTE': 'epreuveCode',
      'SITTING.ATTEMPT_IN_PROGRESS': 'epreuveCode',
      'SITTING.NO_ASSESSOR': 'assessorIds',
      'SITTING.NO_APPRENTICESHIP_MASTER': 'assessorIds',
      'SITTING.NOT_THE_APPRENTICESHIP_MASTER': 'assessorIds',
    },
    send: (body: Schedule, key: string) =>
      answer(
        api.POST('/enrollments/{enrollmentId}/sittings', { params: { path: { enrollmentId: path.enrollmentId }, header: { 'Idempotency-Key': key } }, body }),
      ),
  });
  const { onSubmit, pending } = useSubmit(async () => {
    const outcome = await act.run({
      epreuveCode: draft.epreuveCode ?? '',
      scheduledAt: parisInstant(draft.day, draft.time) ?? '',
      assessorIds: idsOf(draft.assessors),
    });
    if (!outcome) return;
    clear();
    onRecorded(outcome);
  });
  const owed = schedulable(path, version);
  const chosen = draft.epreuveCode ? epreuveOf(version, draft.epreuveCode) : undefined;
  const master = chosen?.assessorKind === 'maitre-apprentissage' ? path.apprenticeship?.masterId : undefined;
  const parts = chosen?.timedParts ?? [];
  const blocTitle = (code: string) => {
    const title = path.blocs.find((b) => b.code === code)?.title;
    return title ? `${code} — ${title}` : code;
  };
  const when = act.errorOf('scheduledAt');

  return (
    <Card withBorder component="section" aria-labelledby="schedule-title">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4" id="schedule-title">
            {t('sittings.schedule.title')}
          </Title>
          {owed.length === 0 ? (
            <Text size="sm">{t('sittings.schedule.noneOwed')}</Text>
          ) : (
            <>
              <Text size="sm">{t('sittings.schedule.intro')}</Text>
              <Select
                label={t('sittings.schedule.epreuve')}
                placeholder={t('sittings.schedule.epreuvePlaceholder')}
                withAsterisk
                searchable
                data={owed.map(({ bloc, codes }) => ({
                  group: blocTitle(bloc),
                  items: codes.map((code) => ({ value: code, label: epreuveName(version, code) })),
                }))}
                value={draft.epreuveCode}
                onChange={(epreuveCode) => {
                  const epreuve = epreuveCode ? epreuveOf(version, epreuveCode) : undefined;
                  const own = epreuve?.assessorKind === 'maitre-apprentissage' ? path.apprenticeship?.masterId : undefined;
                  update((d) => ({ ...d, epreuveCode, assessors: own && !d.assessors.trim() ? own : d.assessors }));
                }}
                description={
                  chosen
                    ? [
                        t('sittings.schedule.covers', { codes: chosen.covers.join(', ') }),
                        parts.length > 0
                          ? t('sittings.schedule.baseDurations', {
                              durations: parts
                                .map((p) => t('sittings.duration', { title: partTitle(version, chosen.code, p.code), minutes: p.baseDurationMinutes }))
                                .join(', '),
                            })
                          : t('sittings.untimed'),
                      ].join(' · ')
                    : undefined
                }
                {...HELP_BELOW}
                error={act.errorOf('epreuveCode')}
              />
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm">
                <DateField label={t('sittings.schedule.day')} withAsterisk value={draft.day} onChange={(day) => update({ day })} error={when} />
                <ParisTimeField
                  label={t('sittings.schedule.time')}
                  value={draft.time}
                  onChange={(time) => update({ time })}
                  missing={Boolean(when) && !draft.time}
                />
                <TextInput
                  label={t('sittings.schedule.assessors')}
                  description={master ? t('sittings.schedule.masterHelp', { master }) : t('sittings.schedule.assessorsHelp')}
                  {...HELP_BELOW}
                  withAsterisk
                  autoComplete="off"
                  value={draft.assessors}
                  onChange={(e) => update({ assessors: e.currentTarget.value })}
                  error={act.errorOf('assessorIds')}
                />
              </SimpleGrid>
              <ActFailureNotice acts={[act]} />
              <Group>
                <SubmitButton pending={pending}>{t('sittings.schedule.submit')}</SubmitButton>
              </Group>
            </>
          )}
        </Stack>
      </form>
    </Card>
  );
}

interface HeldDraft {
  day: string | null;
  time: string;
  /** Timed part → the minutes it actually lasted. */
  minutes: Record<string, number | string>;
  /** Accommodation id → whether it was given. */
  given: Record<string, 'given' | 'not-given'>;
  /** On site or at a distance (the accrochage declares it); `unsaid` when not said. */
  mode?: string;
}

const MODES = ['on-site', 'distance'] as const;
const UNSAID = 'unsaid';

type ProvenanceItem = { type: string; sittingId?: string; accommodationsApplicable?: string[] };
/** A measure the api tells the sitting's assessor to apply there: its id and the instruction, nothing more (R14). */
export type MeasureToApply = components['schemas']['MeasureToApplyView'];

/** The accommodations due at a sitting (ids only: the admin never reads the measures, R14), from its bloc's provenance. */
function useApplicable(enrollmentId: string, sitting: SittingView, enabled: boolean) {
  return useQuery({
    queryKey: ['provenance', enrollmentId, sitting.bloc],
    enabled,
    retry: shouldRetry,
    queryFn: () => answer(api.GET('/enrollments/{enrollmentId}/blocs/{blocCode}/provenance', { params: { path: { enrollmentId, blocCode: sitting.bloc } } })),
    select: (provenance) =>
      (provenance.history as ProvenanceItem[])
        .filter((item) => item.sittingId === sitting.sittingId && (item.type === 'SittingScheduled' || item.type === 'SittingConditionsRevised'))
        .at(-1)?.accommodationsApplicable ?? [],
  });
}

/**
 * A sitting recorded held, by the school's admin or one of its assessors: when, how long each timed
 * part actually lasted, and each accommodation due there given or not (a measure not given is a
 * finding, R11). The admin knows the measures by their ids only (from the bloc's provenance); the
 * assessor (`toApply`) by the instructions the api gave them, and the durations to apply, never
 * the base ones (R14).
 */
export function RecordHeld({
  enrollmentId,
  sitting,
  version,
  toApply,
  onRecorded,
  onCancel,
}: {
  enrollmentId: string;
  sitting: SittingView;
  version: Version | undefined;
  toApply?: readonly MeasureToApply[];
  onRecorded: (outcome: Outcome) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const scheduled = parisWallClock(sitting.scheduledAt);
  const [draft, update, clear] = useDraft<HeldDraft>(`sitting-held.${sitting.sittingId}`, {
    day: scheduled.day,
    time: scheduled.time,
    minutes: Object.fromEntries(sitting.timedParts.map((p) => [p.code, p.effectiveDurationMinutes ?? p.baseDurationMinutes])),
    given: {},
  });
  const applicable = useApplicable(enrollmentId, sitting, !toApply);
  const measures = toApply ? toApply.map((m) => m.accommodationId) : (applicable.data ?? []);
  const instructionOf = (id: string) => toApply?.find((m) => m.accommodationId === id)?.instruction;
  const [unchosen, setUnchosen] = useState<string[]>([]);
  const act = useAct({
    name: `sitting-held.${sitting.sittingId}`,
    fields: ['heldAt', 'timedParts', 'accommodationsApplied', 'mode'],
    send: (body: Held, key: string) =>
      answer(
        api.POST('/enrollments/{enrollmentId}/sittings/{sittingId}/held', {
          params: { path: { enrollmentId, sittingId: sitting.sittingId }, header: { 'Idempotency-Key': key } },
          body,
        }),
      ),
  });
  const { onSubmit, pending } = useSubmit(async () => {
    // Each measure due is said given or not: a measure left unsaid would be recorded as not given.
    const missing = measures.filter((id) => !draft.given[id]);
    setUnchosen(missing);
    if (missing.length > 0) return;
    const outcome = await act.run({
      heldAt: parisInstant(draft.day, draft.time) ?? '',
      timedParts: sitting.timedParts.map((p) => ({ code: p.code, actualDurationMinutes: Number(draft.minutes[p.code]) })),
      accommodationsApplied: measures.filter((id) => draft.given[id] === 'given'),
      ...(MODES.includes(draft.mode as Held['mode'] & string) ? { mode: draft.mode as Held['mode'] } : {}),
    });
    if (!outcome) return;
    clear();
    onRecorded(outcome);
  });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const when = act.errorOf('heldAt');

  return (
    <Card withBorder component="section" aria-labelledby="held-title">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4" id="held-title" ref={heading} tabIndex={-1}>
            {t('sittings.held.title', { epreuve: epreuveName(version, sitting.epreuve), attempt: sitting.attempt })}
          </Title>
          <Text size="sm">{toApply ? t('sittings.held.introToApply') : t('sittings.held.intro')}</Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm">
            <DateField label={t('sittings.held.day')} withAsterisk maxDate={new Date()} value={draft.day} onChange={(day) => update({ day })} error={when} />
            <ParisTimeField label={t('sittings.held.time')} value={draft.time} onChange={(time) => update({ time })} missing={Boolean(when) && !draft.time} />
            <Radio.Group
              label={t('sittings.held.mode')}
              description={t('sittings.held.modeHelp')}
              {...HELP_BELOW}
              value={draft.mode ?? UNSAID}
              onChange={(mode) => update({ mode })}
              error={act.errorOf('mode')}
            >
              <Group gap="md" mih={36}>
                {[...MODES, UNSAID].map((mode) => (
                  <Radio key={mode} value={mode} label={t(`sittings.held.modes.${mode}`)} />
                ))}
              </Group>
            </Radio.Group>
          </SimpleGrid>
          {sitting.timedParts.length > 0 && (
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm">
              {sitting.timedParts.map((part, i) => (
                <NumberInput
                  key={part.code}
                  label={t('sittings.held.actualDuration', { title: partTitle(version, sitting.epreuve, part.code) })}
                  description={
                    part.effectiveDurationMinutes !== undefined && part.effectiveDurationMinutes !== part.baseDurationMinutes && !toApply
                      ? t('sittings.held.plannedWithBase', { minutes: part.effectiveDurationMinutes, base: part.baseDurationMinutes })
                      : t('sittings.held.planned', { minutes: part.effectiveDurationMinutes ?? part.baseDurationMinutes })
                  }
                  {...HELP_BELOW}
                  withAsterisk
                  min={1}
                  max={1440}
                  allowDecimal={false}
                  rightSection={<Text size="sm">min</Text>}
                  rightSectionPointerEvents="none"
                  value={draft.minutes[part.code] ?? ''}
                  onChange={(value) => update((d) => ({ ...d, minutes: { ...d.minutes, [part.code]: value } }))}
                  error={i === 0 ? act.errorOf('timedParts') : undefined}
                />
              ))}
            </SimpleGrid>
          )}
          {measures.map((id, i) => (
            <Radio.Group
              key={id}
              label={
                toApply
                  ? t('sittings.held.instruction', { n: i + 1, count: measures.length, instruction: instructionOf(id) })
                  : t('sittings.held.measure', { n: i + 1, count: measures.length })
              }
              description={toApply ? t('sittings.held.instructionHelp') : t('sittings.held.measureHelp')}
              withAsterisk
              value={draft.given[id] ?? null}
              onChange={(value) => update((d) => ({ ...d, given: { ...d.given, [id]: value as 'given' | 'not-given' } }))}
              error={unchosen.includes(id) && !draft.given[id] ? t('act.reasons.required') : i === 0 ? act.errorOf('accommodationsApplied') : undefined}
            >
              <Group mt={6}>
                <Radio value="given" label={toApply ? t('sittings.held.applied') : t('sittings.held.given')} />
                <Radio value="not-given" label={toApply ? t('sittings.held.notApplied') : t('sittings.held.notGiven')} />
              </Group>
            </Radio.Group>
          ))}
          <ActFailureNotice acts={[act]} />
          <Group>
            <SubmitButton pending={pending}>{t('sittings.held.submit')}</SubmitButton>
            <Button variant="subtle" color="dark" disabled={pending} onClick={onCancel}>
              {t('sittings.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
