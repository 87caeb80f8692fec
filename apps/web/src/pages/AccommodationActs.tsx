import '@mantine/core/styles/Radio.css';
import '@mantine/core/styles/NumberInput.css';
import '@mantine/core/styles/Pill.css';
import '@mantine/core/styles/PillsInput.css';
import '@mantine/core/styles/Fieldset.css';
import {
  Alert,
  Anchor,
  Button,
  Card,
  Fieldset,
  Group,
  List,
  MultiSelect,
  NumberInput,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { answer, api } from '../api/client';
import type { components } from '../api/schema';
import { currentSession } from '../auth/session';
import { Act, ActFailureNotice, SubmitButton, useAct, useDraft, useSubmit } from '../components/ActForm';
import { DateField, Dates } from '../components/Dates';
import i18n from '../i18n';
import { formatParis, parisWallClock } from '../components/paris-time';
import { QueryState } from '../components/Problem';
import { Tone, ToneBadge } from '../components/Tone';
import { durationsOf, epreuveName, PathView, SittingView, useVersion, Version } from './sittings';
import { pathQuery } from './referentials';

type Terms = components['schemas']['AccommodationTermsRequest'];
type Amendment = components['schemas']['AmendAccommodationRequest'];
type Kind = Terms['kind'];
type Granted = components['schemas']['FullAccommodationView'];
type TermsView = components['schemas']['AccommodationTermsView'];
type Outcome = { position: string | null; id?: string };

/** The kinds the api takes, in the order a referent thinks of them: the timed ones first. */
const KINDS: readonly Kind[] = [
  'tiers-temps',
  'extra-time',
  'third-party-assistance',
  'adapted-supports',
  'adapted-modalities',
  'adapted-admission',
  'adapted-follow-up',
];

/** Help below the input: inputs side by side line up whether or not they have help. */
const HELP_BELOW: { inputWrapperOrder: ('label' | 'input' | 'description' | 'error')[] } = { inputWrapperOrder: ['label', 'input', 'description', 'error'] };

/**
 * The calendar opens beside its field, not below it: the field is focused after a refusal (useSubmit),
 * which opens the calendar, and the refusal's message below the field stays in sight.
 */
const BESIDE = { position: 'right-start' } as const;

/** The fraction's legend reads as the labels around it do. */
const FRACTION_STYLES = { legend: { fontWeight: 500, fontSize: 'var(--mantine-font-size-sm)', padding: 0, marginBottom: 4 } };

/** The fields of the terms, as the api names them in its refusals. */
const TERMS_FIELDS = ['kind', 'extraTime', 'epreuves', 'validFrom', 'validUntil', 'details'] as const;
/** The domain's refusals of terms that name no field, placed on the field they concern. */
const TERMS_CODE_FIELDS = {
  'ACCOMMODATION.UNKNOWN_KIND': 'kind',
  'ACCOMMODATION.EXTRA_TIME_REQUIRED': 'extraTime',
  'ACCOMMODATION.EXTRA_TIME_NOT_APPLICABLE': 'kind',
  'ACCOMMODATION.INVALID_PERIOD': 'validUntil',
  'ACCOMMODATION.EMPTY_SCOPE': 'epreuves',
  'ACCOMMODATION.UNKNOWN_EPREUVE': 'epreuves',
};

/** The terms as the referent types them, kept on this tab until the act is recorded. */
interface TermsDraft {
  kind: Kind | null;
  numerator: number | string;
  denominator: number | string;
  scope: 'all' | 'some';
  epreuves: string[];
  validFrom: string | null;
  validUntil: string | null;
  details: string;
  /** An amendment's reason. */
  reason: string;
}

const today = () => parisWallClock(Date.now()).day;
const newTerms = (): TermsDraft => ({
  kind: null,
  numerator: 1,
  denominator: 4,
  scope: 'all',
  epreuves: [],
  validFrom: today(),
  validUntil: null,
  details: '',
  reason: '',
});

const withheld = (terms: Granted['terms']): terms is components['schemas']['Withheld'] => 'withheld' in terms;

/** A granted measure's terms as the form starts from them, to amend. */
function draftOf(terms: TermsView): TermsDraft {
  return {
    kind: terms.kind as Kind,
    numerator: terms.extraTime?.numerator ?? 1,
    denominator: terms.extraTime?.denominator ?? 4,
    scope: terms.scope.all ? 'all' : 'some',
    epreuves: terms.scope.epreuves ?? [],
    validFrom: terms.validFrom,
    validUntil: terms.validUntil ?? null,
    details: terms.details ?? '',
    reason: '',
  };
}

/** The terms as the api takes them: the fraction only for an extra time, the épreuves only when not all, the details only when written. */
function termsOf(d: TermsDraft): Terms {
  const details = d.details.trim();
  return {
    kind: (d.kind ?? '') as Kind,
    ...(d.kind === 'extra-time' ? { extraTime: { numerator: Number(d.numerator), denominator: Number(d.denominator) } } : {}),
    ...(d.scope === 'some' ? { epreuves: d.epreuves } : {}),
    validFrom: d.validFrom ?? '',
    ...(d.validUntil ? { validUntil: d.validUntil } : {}),
    ...(details ? { details } : {}),
  };
}

/** « 15/06/2026 » from `2026-06-15`: a calendar day, whatever the reader's time zone. */
function day(iso: string, language: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso)
    ? new Date(`${iso}T12:00:00Z`).toLocaleDateString(language === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'UTC' })
    : formatParis(iso, language, { dateStyle: 'short' });
}

/**
 * Whether a measure is in force at a sitting, as the api decides it (libs/domain accommodation.ts
 * isInForce): the sitting's day in France within the validity period, both days whole; before the
 * measure ended; for its épreuve.
 */
function appliesAt(terms: TermsView, endedAt: string | undefined, sitting: SittingView): boolean {
  const at = Date.parse(sitting.scheduledAt);
  const sittingDay = parisWallClock(sitting.scheduledAt).day;
  const after = (bound: string) => (/^\d{4}-\d{2}-\d{2}$/.test(bound) ? sittingDay >= bound : at >= Date.parse(bound));
  const before = (bound: string) => (/^\d{4}-\d{2}-\d{2}$/.test(bound) ? sittingDay <= bound : at <= Date.parse(bound));
  if (!after(terms.validFrom)) return false;
  if (terms.validUntil && !before(terms.validUntil)) return false;
  if (endedAt !== undefined && at >= Date.parse(endedAt)) return false;
  return terms.scope.all || (terms.scope.epreuves ?? []).includes(sitting.epreuve);
}

/** Where a measure stands today: ended by the referent, not yet in force, past its last day, or in force. */
function standing(a: Granted): { key: string; tone: Tone } {
  if (a.endedAt) return { key: 'ended', tone: 'gray' };
  if (withheld(a.terms)) return { key: 'erased', tone: 'gray' };
  const now = today();
  if (a.terms.validFrom > now) return { key: 'upcoming', tone: 'blue' };
  if (a.terms.validUntil && a.terms.validUntil < now) return { key: 'expired', tone: 'orange' };
  return { key: 'inForce', tone: 'green' };
}

/**
 * The disability referent's screen for one path (R9, R10, R14): the measures granted, each with
 * the sittings it applies to and what the assessors are told; grant, amend (with a reason) and end
 * a measure; record or withdraw the candidate's consent for the jury to be told. The measure,
 * never a diagnosis: the details are read by the referent and the candidate only.
 */
export function AccommodationActs() {
  const { t, i18n } = useTranslation();
  const { enrollmentId = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const arrived = (location.state ?? {}) as { consistentWith?: string | null; recorded?: string; accommodationId?: string };
  const consistentWith = arrived.consistentWith ?? undefined;
  const path = useQuery({
    ...pathQuery(enrollmentId, consistentWith),
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === enrollmentId ? previous : undefined),
  });
  const version = useVersion(path.data?.certification.referentialId, path.data?.certification.version);
  // The measure being amended or ended: one form open at a time.
  const [open, setOpen] = useState<{ accommodationId: string; act: 'amend' | 'end' }>();
  const recorded = (kind: string) => (outcome: Outcome) => {
    setOpen(undefined);
    void queries.invalidateQueries({ queryKey: ['path', enrollmentId] });
    navigate(location.pathname, { replace: true, state: { consistentWith: outcome.position, recorded: kind, accommodationId: outcome.id } });
  };

  const role = currentSession()?.role ?? '';
  if (role !== 'referent')
    return (
      <Alert color="red.9" variant="outline" role="alert">
        {t('errors.forbidden', { role: t(`roles.${role}`) })}
      </Alert>
    );
  if (!path.data) return <QueryState isLoading={path.isLoading} error={path.error} />;
  const p = path.data;
  const view = p.accommodations;
  if (view.view !== 'full')
    return (
      <Alert color="red.9" variant="outline" role="alert">
        {t('errors.forbidden', { role: t(`roles.${role}`) })}
      </Alert>
    );
  // Withdrawn and transferred paths take no further act (the api refuses them): their measures stay readable.
  const closed = ['withdrawn', 'transferred'].includes(p.status);
  const current = view.accommodations.filter((a) => !a.endedAt);
  const ended = view.accommodations.filter((a) => a.endedAt);
  const grantedNow = view.accommodations.find((a) => a.accommodationId === arrived.accommodationId);
  const notice =
    arrived.recorded === 'granted' && grantedNow && !withheld(grantedNow.terms)
      ? t('referent.recorded.granted', { measure: summaryOf(grantedNow.terms, version.data, i18n.language) })
      : arrived.recorded
        ? t(`referent.recorded.${arrived.recorded}`)
        : undefined;

  return (
    <Dates>
      <Stack>
        <Anchor component={Link} to={`/parcours/${enrollmentId}`} size="sm">
          ← {t('referent.back')}
        </Anchor>
        <Stack gap={2}>
          <Title order={1}>{t('referent.title')}</Title>
          <Text c="dimmed">
            {p.certification.title} · {t('path.cohort')} {p.cohort} · {t('path.candidate')} {p.candidateId.slice(0, 8)}
          </Text>
        </Stack>
        {notice && (
          <Alert color="green.9" variant="outline" role="status">
            {notice}
          </Alert>
        )}
        <Text size="sm" maw={900}>
          {t('referent.intro')}
        </Text>
        {closed && (
          <Alert color="blue.9" variant="outline">
            {t('referent.closed', { status: t(`status.${p.status}`) })}
          </Alert>
        )}

        <Title order={2} size="h3">
          {t('referent.current', { count: current.length })}
        </Title>
        {current.length === 0 && <Text>{t('accommodations.none')}</Text>}
        {current.map((a) => (
          <Measure
            key={a.accommodationId}
            path={p}
            accommodation={a}
            version={version.data}
            closed={closed}
            open={open?.accommodationId === a.accommodationId ? open.act : undefined}
            onOpen={(act) => setOpen(act ? { accommodationId: a.accommodationId, act } : undefined)}
            onRecorded={recorded}
          />
        ))}

        <JuryConsent key={String(view.juryDisclosureConsent)} path={p} consent={view.juryDisclosureConsent} closed={closed} onRecorded={recorded} />

        {!closed && <GrantAccommodation path={p} version={version.data} onRecorded={recorded('granted')} />}

        {ended.length > 0 && (
          <>
            <Title order={2} size="h3">
              {t('referent.endedTitle', { count: ended.length })}
            </Title>
            {ended.map((a) => (
              <Measure key={a.accommodationId} path={p} accommodation={a} version={version.data} closed onOpen={() => undefined} onRecorded={recorded} />
            ))}
          </>
        )}
      </Stack>
    </Dates>
  );
}

/** « Tiers-temps, toutes les épreuves, du 01/09/2026 au 30/06/2027 ». */
function summaryOf(terms: TermsView, version: Version | undefined, language: string): string {
  return [kindName(terms), scopeOf(terms, version), periodOf(terms, language)].join(', ');
}

function kindName(terms: Pick<TermsView, 'kind' | 'extraTime'>): string {
  const name = i18n.t(`accommodations.kinds.${terms.kind}`);
  return terms.kind === 'extra-time' && terms.extraTime
    ? i18n.t('referent.extraTimeName', { name, n: terms.extraTime.numerator, d: terms.extraTime.denominator })
    : name;
}

function scopeOf(terms: TermsView, version: Version | undefined): string {
  return terms.scope.all ? i18n.t('accommodations.scopeAll') : (terms.scope.epreuves ?? []).map((code) => epreuveName(version, code)).join(' ; ');
}

function periodOf(terms: TermsView, language: string): string {
  return terms.validUntil
    ? i18n.t('referent.period', { from: day(terms.validFrom, language), until: day(terms.validUntil, language) })
    : i18n.t('referent.periodOpen', { from: day(terms.validFrom, language) });
}

/** One measure: its terms, the sittings it applies to, what the assessors are told; amend or end it. */
function Measure({
  path,
  accommodation: a,
  version,
  closed,
  open,
  onOpen,
  onRecorded,
}: {
  path: PathView;
  accommodation: Granted;
  version: Version | undefined;
  closed: boolean;
  open?: 'amend' | 'end';
  onOpen: (act?: 'amend' | 'end') => void;
  onRecorded: (kind: string) => (outcome: Outcome) => void;
}) {
  const { t, i18n } = useTranslation();
  const status = standing(a);
  const terms = withheld(a.terms) ? undefined : a.terms;
  const title = terms ? kindName(terms) : t('accommodations.withheld');
  const sittings = terms ? path.sittings.filter((s) => appliesAt(terms, a.endedAt, s)) : [];
  const timed = terms?.kind === 'tiers-temps' || terms?.kind === 'extra-time';
  const headingId = `measure-${a.accommodationId}`;
  return (
    <Card withBorder component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Group gap="sm">
            <Title order={3} size="h4" id={headingId}>
              {title}
            </Title>
            <ToneBadge tone={status.tone}>{t(`referent.standing.${status.key}`)}</ToneBadge>
          </Group>
          {!closed && !a.endedAt && !open && (
            <Group gap="xs">
              {terms && (
                <Button size="compact-sm" variant="light" onClick={() => onOpen('amend')} aria-label={t('referent.amendOf', { measure: title })}>
                  {t('referent.amend')}
                </Button>
              )}
              <Button size="compact-sm" variant="default" onClick={() => onOpen('end')} aria-label={t('referent.endOf', { measure: title })}>
                {t('referent.end')}
              </Button>
            </Group>
          )}
        </Group>
        {terms && (
          <Table variant="vertical" layout="fixed" withTableBorder>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={220}>{t('referent.scope')}</Table.Th>
                <Table.Td>{scopeOf(terms, version)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('referent.validity')}</Table.Th>
                <Table.Td>{periodOf(terms, i18n.language)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('referent.details')}</Table.Th>
                <Table.Td style={{ whiteSpace: 'pre-wrap' }}>
                  {terms.details ?? (
                    <Text span c="dimmed" size="sm">
                      {t('referent.noDetails')}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
              {!a.endedAt && (
                <Table.Tr>
                  <Table.Th>{t('referent.assessorsRead')}</Table.Th>
                  <Table.Td>{t(`referent.instructions.${terms.kind}`, { n: terms.extraTime?.numerator, d: terms.extraTime?.denominator })}</Table.Td>
                </Table.Tr>
              )}
              <Table.Tr>
                <Table.Th>{t('referent.history')}</Table.Th>
                <Table.Td>
                  {[
                    t('accommodations.granted', { date: formatParis(a.grantedAt, i18n.language, { dateStyle: 'short' }) }),
                    a.endedAt ? t('accommodations.ended', { date: formatParis(a.endedAt, i18n.language, { dateStyle: 'short' }) }) : '',
                  ]
                    .filter(Boolean)
                    .join(', ')}
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        )}
        {terms && (
          <Stack gap={4}>
            <Text fw={600} size="sm">
              {t('referent.sittings', { count: sittings.length })}
            </Text>
            {sittings.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t(a.endedAt ? 'referent.noSittingEnded' : 'referent.noSitting')}
              </Text>
            ) : (
              <List size="sm" spacing={2}>
                {sittings.map((s) => (
                  <List.Item key={s.sittingId}>
                    {[
                      `${epreuveName(version, s.epreuve)}, ${t('path.attempt', { n: s.attempt })}`,
                      formatParis(s.scheduledAt, i18n.language, { dateStyle: 'medium', timeStyle: 'short' }),
                      s.heldAt
                        ? t('path.heldOn', { date: formatParis(s.heldAt, i18n.language, { dateStyle: 'medium' }) })
                        : t(`path.sittingStatus.${s.status}`, { defaultValue: s.status }),
                      // The durations where this measure lengthens them: another measure's would say nothing of it.
                      timed && s.timedParts.length > 0 ? durationsOf(s, version).join(' ; ') : '',
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </List.Item>
                ))}
              </List>
            )}
            {sittings.some((s) => s.heldAt) && (
              <Text size="xs" c="dimmed">
                {t('referent.findingsHelp')}
              </Text>
            )}
          </Stack>
        )}
        {open === 'amend' && terms && (
          <AmendAccommodation
            path={path}
            accommodation={a}
            terms={terms}
            version={version}
            onRecorded={onRecorded('amended')}
            onCancel={() => onOpen(undefined)}
          />
        )}
        {open === 'end' && <EndAccommodation path={path} accommodation={a} title={title} onRecorded={onRecorded('ended')} onCancel={() => onOpen(undefined)} />}
      </Stack>
    </Card>
  );
}

/** The épreuves of the version, grouped by bloc, to pick the ones a measure applies to. */
function epreuveChoices(version: Version | undefined) {
  return (version?.blocs ?? []).map((b) => ({
    group: `${b.code} — ${b.title}`,
    items: b.epreuves.map((e) => ({ value: e.code, label: epreuveName(version, e.code) })),
  }));
}

/** The fields of a measure's terms, as the api takes them; shared by granting and amending. */
function TermsFields({
  draft,
  update,
  act,
  version,
}: {
  draft: TermsDraft;
  update: (change: Partial<TermsDraft>) => void;
  act: Act<never, unknown>;
  version: Version | undefined;
}) {
  const { t } = useTranslation();
  const numerator = Number(draft.numerator);
  const denominator = Number(draft.denominator);
  const example = numerator > 0 && denominator > 0 ? Math.ceil((60 * (denominator + numerator)) / denominator) : undefined;
  return (
    <>
      <Select
        label={t('referent.kind')}
        placeholder={t('referent.kindPlaceholder')}
        withAsterisk
        data={KINDS.map((kind) => ({ value: kind, label: t(`accommodations.kinds.${kind}`) }))}
        value={draft.kind}
        onChange={(kind) => update({ kind: kind as Kind | null })}
        description={draft.kind ? t(`referent.kindHelp.${draft.kind}`) : t('referent.kindNone')}
        {...HELP_BELOW}
        error={act.errorOf('kind')}
        maw={560}
      />
      {draft.kind === 'extra-time' && (
        <Fieldset legend={t('referent.fraction')} variant="unstyled" p={0} styles={FRACTION_STYLES}>
          <Group align="flex-start" gap="sm">
            <NumberInput
              label={t('referent.numerator')}
              withAsterisk
              min={1}
              max={100}
              allowDecimal={false}
              w={140}
              value={draft.numerator}
              onChange={(value) => update({ numerator: value })}
              error={act.errorOf('extraTime')}
            />
            <Text pt={30} aria-hidden>
              /
            </Text>
            <NumberInput
              label={t('referent.denominator')}
              withAsterisk
              min={1}
              max={100}
              allowDecimal={false}
              w={140}
              value={draft.denominator}
              onChange={(value) => update({ denominator: value })}
            />
          </Group>
          {example !== undefined && (
            <Text size="sm" mt={4}>
              {t('referent.fractionExample', { n: numerator, d: denominator, minutes: example })}
            </Text>
          )}
        </Fieldset>
      )}
      <Radio.Group
        label={t('referent.scope')}
        withAsterisk
        value={draft.scope}
        onChange={(scope) => update({ scope: scope as 'all' | 'some' })}
        error={draft.scope === 'all' ? act.errorOf('epreuves') : undefined}
      >
        <Group mt={6}>
          <Radio value="all" label={t('referent.scopeAll')} />
          <Radio value="some" label={t('referent.scopeSome')} />
        </Group>
      </Radio.Group>
      {draft.scope === 'some' && (
        <MultiSelect
          label={t('referent.epreuves')}
          placeholder={draft.epreuves.length === 0 ? t('referent.epreuvesPlaceholder') : undefined}
          withAsterisk
          searchable
          data={epreuveChoices(version)}
          value={draft.epreuves}
          onChange={(epreuves) => update({ epreuves })}
          error={act.errorOf('epreuves')}
          maw={760}
        />
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm" maw={560}>
        <DateField
          label={t('referent.validFrom')}
          withAsterisk
          value={draft.validFrom}
          onChange={(validFrom) => update({ validFrom })}
          description={t('referent.validFromHelp')}
          {...HELP_BELOW}
          popoverProps={BESIDE}
          error={act.errorOf('validFrom')}
        />
        <DateField
          label={t('referent.validUntil')}
          clearable
          clearButtonProps={{ 'aria-label': t('referent.clearValidUntil') }}
          value={draft.validUntil}
          onChange={(validUntil) => update({ validUntil })}
          description={t('referent.validUntilHelp')}
          {...HELP_BELOW}
          popoverProps={BESIDE}
          error={act.errorOf('validUntil')}
        />
      </SimpleGrid>
      <Textarea
        label={t('referent.detailsLabel')}
        description={t('referent.detailsHelp')}
        {...HELP_BELOW}
        autosize
        minRows={2}
        maxLength={2000}
        maw={760}
        value={draft.details}
        onChange={(e) => update({ details: e.currentTarget.value })}
        error={act.errorOf('details')}
      />
    </>
  );
}

/** The referent grants a measure: its kind, the épreuves it applies to, its validity, its practical details. */
function GrantAccommodation({ path, version, onRecorded }: { path: PathView; version: Version | undefined; onRecorded: (outcome: Outcome) => void }) {
  const { t } = useTranslation();
  const name = `grant-accommodation.${path.enrollmentId}`;
  const [draft, update, clear] = useDraft<TermsDraft>(name, newTerms());
  const act = useAct({
    name,
    fields: TERMS_FIELDS,
    codeFields: TERMS_CODE_FIELDS,
    send: (body: Terms, key: string) =>
      answer(
        api.POST('/enrollments/{enrollmentId}/accommodations', {
          params: { path: { enrollmentId: path.enrollmentId }, header: { 'Idempotency-Key': key } },
          body,
        }),
      ),
  });
  const { onSubmit, pending } = useSubmit(async () => {
    const outcome = await act.run(termsOf(draft));
    if (!outcome) return;
    clear();
    onRecorded(outcome);
  });
  return (
    <Card withBorder component="section" aria-labelledby="grant-title">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4" id="grant-title">
            {t('referent.grant.title')}
          </Title>
          <Text size="sm">{t('referent.grant.intro')}</Text>
          <TermsFields draft={draft} update={update} act={act} version={version} />
          <ActFailureNotice acts={[act]} />
          <Group>
            <SubmitButton pending={pending}>{t('referent.grant.submit')}</SubmitButton>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** The referent amends a measure: its new terms, and why (the reason stays in the path's history). */
function AmendAccommodation({
  path,
  accommodation,
  terms,
  version,
  onRecorded,
  onCancel,
}: {
  path: PathView;
  accommodation: Granted;
  terms: TermsView;
  version: Version | undefined;
  onRecorded: (outcome: Outcome) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { accommodationId } = accommodation;
  const name = `amend-accommodation.${accommodationId}`;
  const [draft, update, clear] = useDraft<TermsDraft>(name, draftOf(terms));
  const act = useAct({
    name,
    fields: [...TERMS_FIELDS, 'reason'],
    codeFields: TERMS_CODE_FIELDS,
    send: (body: Amendment, key: string) =>
      answer(
        api.POST('/enrollments/{enrollmentId}/accommodations/{accommodationId}/amendment', {
          params: { path: { enrollmentId: path.enrollmentId, accommodationId }, header: { 'Idempotency-Key': key } },
          body,
        }),
      ),
  });
  const { onSubmit, pending } = useSubmit(async () => {
    const outcome = await act.run({ ...termsOf(draft), reason: draft.reason.trim() });
    if (!outcome) return;
    clear();
    onRecorded(outcome);
  });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <Card withBorder bg="gray.0" component="section" aria-labelledby={`amend-${accommodationId}`}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={4} size="h5" id={`amend-${accommodationId}`} ref={heading} tabIndex={-1}>
            {t('referent.amendTitle', { measure: kindName(terms) })}
          </Title>
          <TermsFields draft={draft} update={update} act={act} version={version} />
          <Textarea
            label={t('referent.amendReason')}
            description={t('referent.reasonHelp')}
            {...HELP_BELOW}
            withAsterisk
            autosize
            minRows={2}
            maxLength={500}
            maw={760}
            value={draft.reason}
            onChange={(e) => update({ reason: e.currentTarget.value })}
            error={act.errorOf('reason')}
          />
          <ActFailureNotice acts={[act]} />
          <Group>
            <SubmitButton pending={pending}>{t('referent.amendSubmit')}</SubmitButton>
            <Button
              variant="subtle"
              color="dark"
              disabled={pending}
              onClick={() => {
                clear();
                onCancel();
              }}
            >
              {t('sittings.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** The referent ends a measure, with the reason: it no longer applies to sittings after now. */
function EndAccommodation({
  path,
  accommodation,
  title,
  onRecorded,
  onCancel,
}: {
  path: PathView;
  accommodation: Granted;
  title: string;
  onRecorded: (outcome: Outcome) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { accommodationId } = accommodation;
  const name = `end-accommodation.${accommodationId}`;
  const [draft, update, clear] = useDraft(name, { reason: '' });
  const act = useAct({
    name,
    fields: ['reason'],
    send: (body: components['schemas']['ReasonRequest'], key: string) =>
      answer(
        api.POST('/enrollments/{enrollmentId}/accommodations/{accommodationId}/end', {
          params: { path: { enrollmentId: path.enrollmentId, accommodationId }, header: { 'Idempotency-Key': key } },
          body,
        }),
      ),
  });
  const { onSubmit, pending } = useSubmit(async () => {
    const outcome = await act.run({ reason: draft.reason.trim() });
    if (!outcome) return;
    clear();
    onRecorded(outcome);
  });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <Card withBorder bg="gray.0" component="section" aria-labelledby={`end-${accommodationId}`}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={4} size="h5" id={`end-${accommodationId}`} ref={heading} tabIndex={-1}>
            {t('referent.endTitle', { measure: title })}
          </Title>
          <Text size="sm">{t('referent.endIntro')}</Text>
          <Textarea
            label={t('referent.endReason')}
            description={t('referent.reasonHelp')}
            {...HELP_BELOW}
            withAsterisk
            autosize
            minRows={2}
            maxLength={500}
            maw={760}
            value={draft.reason}
            onChange={(e) => update({ reason: e.currentTarget.value })}
            error={act.errorOf('reason')}
          />
          <ActFailureNotice acts={[act]} />
          <Group>
            <SubmitButton pending={pending} color="red.9">
              {t('referent.endSubmit')}
            </SubmitButton>
            <Button
              variant="subtle"
              color="dark"
              disabled={pending}
              onClick={() => {
                clear();
                onCancel();
              }}
            >
              {t('sittings.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/**
 * The candidate's consent for the jury to be told of their measures (R10): the candidate's own
 * choice, which the referent records or withdraws at their request (the api takes it from either).
 * Without it the jury is not even told there is a measure; with it, the measures without their details.
 */
function JuryConsent({
  path,
  consent,
  closed,
  onRecorded,
}: {
  path: PathView;
  consent: boolean;
  closed: boolean;
  onRecorded: (kind: string) => (outcome: Outcome) => void;
}) {
  const { t } = useTranslation();
  const name = `jury-consent.${path.enrollmentId}`;
  const [draft, update, clear] = useDraft(name, { note: '' });
  const send =
    (route: '/enrollments/{enrollmentId}/jury-consent' | '/enrollments/{enrollmentId}/jury-consent/withdrawal') =>
    (body: components['schemas']['ConsentRequest'], key: string) =>
      answer(api.POST(route, { params: { path: { enrollmentId: path.enrollmentId }, header: { 'Idempotency-Key': key } }, body }));
  const record = useAct({ name: `${name}.record`, fields: ['note'], send: send('/enrollments/{enrollmentId}/jury-consent') });
  const withdraw = useAct({ name: `${name}.withdraw`, fields: ['note'], send: send('/enrollments/{enrollmentId}/jury-consent/withdrawal') });
  const act = consent ? withdraw : record;
  const { onSubmit, pending } = useSubmit(async () => {
    const note = draft.note.trim();
    const outcome = await act.run(note ? { note } : {});
    if (!outcome) return;
    clear();
    onRecorded(consent ? 'consentWithdrawn' : 'consentRecorded')(outcome);
  });
  return (
    <Card withBorder component="section" aria-labelledby="consent-title">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Group gap="sm">
            <Title order={2} size="h4" id="consent-title">
              {t('referent.consent.title')}
            </Title>
            <ToneBadge tone={consent ? 'green' : 'gray'}>{t(consent ? 'referent.consent.given' : 'referent.consent.notGiven')}</ToneBadge>
          </Group>
          <Text size="sm">{t(consent ? 'referent.consent.givenText' : 'referent.consent.notGivenText')}</Text>
          {!closed && (
            <>
              <Text size="sm">{t('referent.consent.whose')}</Text>
              <Textarea
                label={t('referent.consent.note')}
                description={t('referent.consent.noteHelp')}
                {...HELP_BELOW}
                autosize
                minRows={1}
                maxLength={2000}
                maw={760}
                value={draft.note}
                onChange={(e) => update({ note: e.currentTarget.value })}
                error={act.errorOf('note')}
              />
              <ActFailureNotice acts={[act]} />
              <Group>
                <SubmitButton pending={pending} variant={consent ? 'outline' : 'filled'} color={consent ? 'red.9' : undefined}>
                  {t(consent ? 'referent.consent.withdraw' : 'referent.consent.record')}
                </SubmitButton>
              </Group>
            </>
          )}
        </Stack>
      </form>
    </Card>
  );
}
