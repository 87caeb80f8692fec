import '@mantine/core/styles/Radio.css';
import '@mantine/core/styles/Grid.css';
import { Alert, Anchor, Badge, Button, Card, Grid, Group, List, Radio, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { answer, api, shouldRetry } from '../api/client';
import type { components } from '../api/schema';
import { Accommodations } from '../components/Accommodations';
import { ActFailureNotice, SubmitButton, useAct, useDraft, useSubmit } from '../components/ActForm';
import { formatParis } from '../components/paris-time';
import { QueryState } from '../components/Problem';
import { AssessmentBadges, ToneBadge } from '../components/Tone';
import {
  annulBloc,
  BLOC_TONES,
  candidateLabel,
  fieldError,
  isOpen,
  refusalStands,
  Outcome,
  recordFinalDecision,
  validateBloc,
  validateRequirement,
} from './jury';
import { deliberationLink } from './JuryReady';
import { epreuveName, PathView, useVersion, Version } from './sittings';
import { pathQuery } from './referentials';

type Bloc = PathView['blocs'][number];
type Requirement = PathView['extraRequirements'][number];
type Annulment = components['schemas']['AnnulBlocRequest'];
type FinalDecision = components['schemas']['FinalDecisionRequest'];
/** What an act of this page recorded, said at the top once the path is read as far as it. */
type Recorded = { kind: 'blocValidated' | 'blocAnnulled' | 'requirementValidated' | 'finalDecision'; code?: string };

const ANNULMENT_REASONS = ['fraud', 'plagiarism', 'other'] as const;
const DECISIONS = ['awarded', 'refused', 'deferred'] as const;

/**
 * A path as the jury deliberates on it: each bloc's evidence (competencies, the assessments that
 * acquired them, the sittings; the measures only where the candidate consented, as the api gives
 * them) beside the decisions it allows — validate, annul with a reason —; the extra requirements;
 * the final decision with its place.
 */
export function JuryPath() {
  const { t, i18n } = useTranslation();
  const { enrollmentId = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const arrived = (location.state ?? {}) as { consistentWith?: string | null; recorded?: Recorded };
  const consistentWith = arrived.consistentWith ?? undefined;
  const path = useQuery({
    ...pathQuery(enrollmentId, consistentWith),
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === enrollmentId ? previous : undefined),
  });
  const version = useVersion(path.data?.certification.referentialId, path.data?.certification.version);
  const notice = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (arrived.recorded && path.data && !path.isPlaceholderData) notice.current?.focus();
  }, [arrived.recorded, path.data, path.isPlaceholderData]);

  /** An act of this page recorded: the path read again as far as it, saying what was recorded. */
  const recorded = (kind: Recorded['kind'], code?: string) => (outcome: Outcome) => {
    void queries.invalidateQueries({ queryKey: ['path', enrollmentId] });
    void queries.invalidateQueries({ queryKey: ['enrollments'] });
    void queries.invalidateQueries({ queryKey: ['provenance', enrollmentId] });
    navigate(location.pathname, { replace: true, state: { consistentWith: outcome.position, recorded: { kind, code } satisfies Recorded } });
  };

  if (!path.data) return <QueryState isLoading={path.isLoading} error={path.error} />;
  const p = path.data;
  const open = isOpen(p.status);
  // An annulment answers fraud found late: on a certified path (its certificate is then revoked) or a withdrawn one too.
  const mayAnnul = p.status !== 'transferred';
  const shown = p.blocs.filter((b) => b.required || b.status !== 'not-started');
  const dateTime = (iso: string) => formatParis(iso, i18n.language, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <Stack>
      <Group gap="lg">
        <Anchor component={Link} to="/jury" size="sm">
          ← {t('jury.backToReady')}
        </Anchor>
        <Anchor component={Link} to={deliberationLink(p.certification.referentialId, p.certification.version, p.cohort)} size="sm">
          {t('jury.path.cohortDeliberation', { cohort: p.cohort })}
        </Anchor>
      </Group>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={1}>{t('jury.path.title', { candidate: candidateLabel(p.candidateId) })}</Title>
          <Text c="dimmed">
            {p.certification.title} (v{p.certification.version}) · {t('path.cohort')} {p.cohort} · {t(`accessRoute.${p.accessRoute}`)}
          </Text>
          <Anchor component={Link} to={`/parcours/${p.enrollmentId}`} size="sm">
            {t('jury.path.fullPath')}
          </Anchor>
        </Stack>
        <Badge size="lg" variant="filled">
          {t(`status.${p.status}`)}
        </Badge>
      </Group>

      {arrived.recorded && (
        <Alert color="green.9" variant="outline" role="status" ref={notice} tabIndex={-1}>
          {arrived.recorded.kind === 'finalDecision' && p.juryDecision
            ? t('jury.path.recorded.finalDecisionOf', { decision: t(`path.decision.${p.juryDecision.decision}`), place: p.juryDecision.place })
            : t(`jury.path.recorded.${arrived.recorded.kind}`, { code: arrived.recorded.code })}
        </Alert>
      )}
      {!open && <Text>{t(`jury.path.closed.${p.status}`, { defaultValue: t('jury.path.closed.transferred') })}</Text>}

      <Accommodations value={p.accommodations} />

      <Title order={2} size="h3">
        {t('path.blocs')}
      </Title>
      {shown.map((bloc) => (
        <BlocCard
          key={bloc.code}
          path={p}
          bloc={bloc}
          version={version.data}
          open={open}
          mayAnnul={mayAnnul}
          onValidated={recorded('blocValidated', bloc.code)}
          onAnnulled={recorded('blocAnnulled', bloc.code)}
        />
      ))}

      {p.extraRequirements.length > 0 && (
        <Card withBorder component="section" aria-labelledby="requirements-title">
          <Title order={2} size="h3" id="requirements-title" mb="xs">
            {t('jury.path.requirements')}
          </Title>
          <Stack gap="xs">
            {p.extraRequirements.map((r) => (
              <RequirementRow key={r.code} enrollmentId={p.enrollmentId} requirement={r} open={open} onValidated={recorded('requirementValidated', r.code)} />
            ))}
          </Stack>
        </Card>
      )}

      <Card withBorder component="section" aria-labelledby="final-title">
        <Title order={2} size="h3" id="final-title" mb="xs">
          {t('jury.final.title')}
        </Title>
        {p.juryDecision && (
          <Text mb="sm">
            {t('jury.final.last', {
              decision: t(`path.decision.${p.juryDecision.decision}`),
              place: p.juryDecision.place,
              date: dateTime(p.juryDecision.at),
              by: p.juryDecision.by,
            })}
            {p.juryDecision.reason ? ` — ${p.juryDecision.reason}` : ''}
          </Text>
        )}
        {open ? <FinalDecisionForm path={p} onRecorded={recorded('finalDecision')} /> : !p.juryDecision && <Text>{t('jury.final.closed')}</Text>}
      </Card>
    </Stack>
  );
}

/** A bloc: its evidence, and beside it the decisions its status allows. */
function BlocCard({
  path,
  bloc,
  version,
  open,
  mayAnnul,
  onValidated,
  onAnnulled,
}: {
  path: PathView;
  bloc: Bloc;
  version: Version | undefined;
  open: boolean;
  mayAnnul: boolean;
  onValidated: (outcome: Outcome) => void;
  onAnnulled: (outcome: Outcome) => void;
}) {
  const { t, i18n } = useTranslation();
  const titleId = `bloc-${bloc.code}`;
  const date = (iso: string) => formatParis(iso, i18n.language, { dateStyle: 'medium' });
  const sittings = path.sittings.filter((s) => s.bloc === bloc.code);
  const owed = path.missing.epreuves.find((e) => e.bloc === bloc.code)?.epreuves ?? [];
  const notStarted = bloc.status === 'not-started' && sittings.length === 0;
  return (
    <Card withBorder component="section" aria-labelledby={titleId}>
      <Group justify="space-between" align="flex-start" mb="sm" wrap="nowrap">
        <Title order={3} size="h4" id={titleId}>
          {bloc.code}
          {bloc.title ? ` — ${bloc.title}` : ''}
        </Title>
        <ToneBadge tone={BLOC_TONES[bloc.status]} size="lg">
          {t(`blocStatus.${bloc.status}`)}
        </ToneBadge>
      </Group>
      {notStarted ? (
        // Nothing sat yet: nothing to weigh, nothing to decide; what it still needs, in a line.
        <Text size="sm">{t('jury.path.notStarted', { epreuves: owed.join(', ') || '—', count: bloc.competencies.length })}</Text>
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <Stack gap="sm">
              <Table striped withTableBorder fz="sm" aria-label={t('jury.path.competenciesOf', { bloc: bloc.code })}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('path.competency')}</Table.Th>
                    <Table.Th>{t('path.status')}</Table.Th>
                    <Table.Th>{t('jury.path.evidence')}</Table.Th>
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
                      <Table.Td style={{ minWidth: 130 }}>
                        <ToneBadge tone={c.acquired ? 'green' : 'gray'}>{c.acquired ? t('path.acquired') : t('path.notAcquired')}</ToneBadge>
                        {c.acquiredAt && (
                          <Text size="xs" mt={2}>
                            {t('jury.path.acquiredOn', { date: date(c.acquiredAt) })}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {c.assessments.length === 0 ? (
                          <Text size="sm" c="dimmed">
                            {t('path.noAssessment')}
                          </Text>
                        ) : (
                          c.assessments.map((a) => (
                            <Text size="sm" key={a.assessmentId}>
                              {epreuveName(version, a.epreuve)}, {t('path.attempt', { n: a.attempt })}
                              {a.heldAt ? `, ${t('jury.path.heldOn', { date: date(a.heldAt) })}` : ''} :{' '}
                              {t('path.criteria', { met: a.criteriaMet, total: a.criteria })}{' '}
                              {/* Passed for this competency, as on the path: its criteria met in that assessment (the épreuve may have failed on another's). */}
                              <AssessmentBadges passed={a.criteriaMet === a.criteria} corrected={Boolean(a.correctedBy)} voided={a.voided} />
                            </Text>
                          ))
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {sittings.length > 0 && (
                <Stack gap={2}>
                  <Text size="sm" fw={600}>
                    {t('jury.path.sittings')}
                  </Text>
                  <List size="sm">
                    {sittings.map((s) => (
                      <List.Item key={s.sittingId}>
                        {epreuveName(version, s.epreuve)}, {t('path.attempt', { n: s.attempt })} —{' '}
                        {s.heldAt ? t('path.heldOn', { date: date(s.heldAt) }) : t('jury.path.scheduledOn', { date: date(s.scheduledAt) })} ·{' '}
                        {t(`path.sittingStatus.${s.status}`, { defaultValue: s.status })} · {t('jury.path.assessors', { ids: s.assessors.join(', ') })}
                      </List.Item>
                    ))}
                  </List>
                </Stack>
              )}
              <Anchor component={Link} size="sm" to={`/parcours/${path.enrollmentId}/blocs/${bloc.code}/provenance`}>
                {t('jury.path.provenance', { bloc: bloc.code })}
              </Anchor>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <BlocDecisions path={path} bloc={bloc} open={open} mayAnnul={mayAnnul} onValidated={onValidated} onAnnulled={onAnnulled} />
          </Grid.Col>
        </Grid>
      )}
    </Card>
  );
}

/** The decisions a bloc allows now: validate it when validatable; annul it, with a reason, once validated. */
function BlocDecisions({
  path,
  bloc,
  open,
  mayAnnul,
  onValidated,
  onAnnulled,
}: {
  path: PathView;
  bloc: Bloc;
  open: boolean;
  mayAnnul: boolean;
  onValidated: (outcome: Outcome) => void;
  onAnnulled: (outcome: Outcome) => void;
}) {
  const { t, i18n } = useTranslation();
  const [annulling, setAnnulling] = useState(false);
  const validate = useAct({ name: `validate-bloc.${path.enrollmentId}.${bloc.code}`, fields: [], send: validateBloc(path.enrollmentId, bloc.code) });
  const { onSubmit, pending } = useSubmit(async () => {
    const outcome = await validate.run({});
    if (outcome) onValidated(outcome);
  });
  const owed = path.missing.epreuves.find((e) => e.bloc === bloc.code)?.epreuves ?? [];
  const notAcquired = bloc.competencies.filter((c) => !c.acquired).map((c) => c.code);
  const date = (iso: string) => formatParis(iso, i18n.language, { dateStyle: 'medium' });
  return (
    <Card withBorder bg="gray.0" padding="md">
      <Stack gap="sm">
        <Text fw={600}>{t('jury.path.decision')}</Text>
        {bloc.status === 'validatable' && (
          <form onSubmit={onSubmit} noValidate>
            <Stack gap="sm">
              <Text size="sm">{t('jury.path.validatable')}</Text>
              <ActFailureNotice acts={[validate]} />
              {open && (
                <SubmitButton pending={pending} color="teal.9">
                  {t('jury.path.validate', { bloc: bloc.code })}
                </SubmitButton>
              )}
            </Stack>
          </form>
        )}
        {(bloc.status === 'in-progress' || bloc.status === 'not-started') && (
          <Stack gap={4}>
            <Text size="sm">{t('jury.path.notValidatable')}</Text>
            {notAcquired.length > 0 && <Text size="sm">{t('jury.path.notAcquired', { codes: notAcquired.join(', ') })}</Text>}
            {owed.length > 0 && <Text size="sm">{t('jury.path.owed', { codes: owed.join(', ') })}</Text>}
          </Stack>
        )}
        {bloc.status === 'validated' && (
          <>
            <Text size="sm">
              {bloc.validatedAt
                ? t('jury.path.validatedOn', { date: date(bloc.validatedAt), by: t(`jury.deciders.${bloc.decidedBy ?? 'jury'}`) })
                : t('blocStatus.validated')}
            </Text>
            {mayAnnul &&
              (annulling ? (
                <AnnulForm enrollmentId={path.enrollmentId} bloc={bloc.code} onAnnulled={onAnnulled} onCancel={() => setAnnulling(false)} />
              ) : (
                <Group>
                  <Button variant="outline" color="red.9" onClick={() => setAnnulling(true)}>
                    {t('jury.annul.open', { bloc: bloc.code })}
                  </Button>
                </Group>
              ))}
          </>
        )}
        {bloc.status === 'annulled' && <Annulled enrollmentId={path.enrollmentId} bloc={bloc.code} />}
      </Stack>
    </Card>
  );
}

type AnnulledItem = { type: string; reason?: string; details?: string; at?: string; by?: { id: string } };

/** An annulled bloc: when, by whom and why, from its provenance (the path says only that it is annulled). */
function Annulled({ enrollmentId, bloc }: { enrollmentId: string; bloc: string }) {
  const { t, i18n } = useTranslation();
  const provenance = useQuery({
    queryKey: ['provenance', enrollmentId, bloc],
    retry: shouldRetry,
    queryFn: () => answer(api.GET('/enrollments/{enrollmentId}/blocs/{blocCode}/provenance', { params: { path: { enrollmentId, blocCode: bloc } } })),
  });
  const annulment = (provenance.data?.history as AnnulledItem[] | undefined)?.filter((item) => item.type === 'BlocAnnulled').at(-1);
  if (!annulment) return <QueryState isLoading={provenance.isLoading} error={provenance.error} />;
  return (
    <Stack gap={4}>
      <Text size="sm">
        {t('jury.annul.done', {
          date: formatParis(annulment.at ?? '', i18n.language, { dateStyle: 'medium' }),
          by: annulment.by?.id ?? '',
        })}
      </Text>
      <Text size="sm">
        {t('jury.annul.reasonWas', { reason: t(`provenance.annulmentReasons.${annulment.reason}`, { defaultValue: annulment.reason ?? '' }) })}
      </Text>
      {annulment.details && <Text size="sm">« {annulment.details} »</Text>}
    </Stack>
  );
}

interface AnnulDraft {
  reason: string | null;
  details: string;
}

/** Annul a validated bloc: the reason's category and its details; what follows is said before sending. */
function AnnulForm({
  enrollmentId,
  bloc,
  onAnnulled,
  onCancel,
}: {
  enrollmentId: string;
  bloc: string;
  onAnnulled: (o: Outcome) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [draft, update, clear] = useDraft<AnnulDraft>(`annul-bloc.${enrollmentId}.${bloc}`, { reason: null, details: '' });
  const act = useAct({
    name: `annul-bloc.${enrollmentId}.${bloc}`,
    fields: ['reason', 'details'],
    codeFields: { 'BLOC.UNKNOWN_ANNULMENT_REASON': 'reason' },
    send: annulBloc(enrollmentId, bloc),
  });
  const { onSubmit, pending } = useSubmit(async () => {
    const outcome = await act.run({ reason: (draft.reason ?? '') as Annulment['reason'], details: draft.details.trim() });
    if (!outcome) return;
    clear();
    onAnnulled(outcome);
  });
  const heading = useRef<HTMLParagraphElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby={`annul-${bloc}`}>
      <Stack gap="sm">
        <Text fw={600} id={`annul-${bloc}`} ref={heading} tabIndex={-1}>
          {t('jury.annul.title', { bloc })}
        </Text>
        <Text size="sm">{t('jury.annul.consequences')}</Text>
        <Radio.Group
          label={t('jury.annul.reason')}
          withAsterisk
          value={draft.reason}
          onChange={(reason) => update({ reason })}
          error={fieldError(act, 'reason', draft.reason)}
        >
          <Stack gap={6} mt={6}>
            {ANNULMENT_REASONS.map((reason) => (
              <Radio key={reason} value={reason} label={t(`jury.annul.reasons.${reason}`)} />
            ))}
          </Stack>
        </Radio.Group>
        <Textarea
          label={t('jury.annul.details')}
          description={t('jury.annul.detailsHelp')}
          withAsterisk
          autosize
          minRows={3}
          maxLength={2000}
          value={draft.details}
          onChange={(e) => update({ details: e.currentTarget.value })}
          error={fieldError(act, 'details', draft.details)}
        />
        {refusalStands(act, { reason: draft.reason, details: draft.details }) && <ActFailureNotice acts={[act]} />}
        <Group>
          <SubmitButton pending={pending} color="red.9">
            {t('jury.annul.submit', { bloc })}
          </SubmitButton>
          <Button variant="default" onClick={onCancel} disabled={pending}>
            {t('jury.annul.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** An extra requirement of the full certification (projet fil rouge, soutenance finale): validated, or to validate. */
function RequirementRow({
  enrollmentId,
  requirement,
  open,
  onValidated,
}: {
  enrollmentId: string;
  requirement: Requirement;
  open: boolean;
  onValidated: (o: Outcome) => void;
}) {
  const { t, i18n } = useTranslation();
  const act = useAct({
    name: `validate-requirement.${enrollmentId}.${requirement.code}`,
    fields: [],
    send: validateRequirement(enrollmentId, requirement.code),
  });
  const { onSubmit, pending } = useSubmit(async () => {
    const outcome = await act.run({});
    if (outcome) onValidated(outcome);
  });
  return (
    <form onSubmit={onSubmit} noValidate>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">
          <Text span fw={600}>
            {requirement.code}
          </Text>{' '}
          — {requirement.title}
        </Text>
        {requirement.validated ? (
          <ToneBadge tone="green">
            {requirement.validatedAt
              ? t('jury.path.requirementValidatedOn', { date: formatParis(requirement.validatedAt, i18n.language, { dateStyle: 'medium' }) })
              : t('blocStatus.validated')}
          </ToneBadge>
        ) : (
          open && (
            <SubmitButton pending={pending} size="compact-sm" variant="light" aria-label={t('jury.path.validateRequirementOf', { code: requirement.code })}>
              {t('jury.path.validateRequirement')}
            </SubmitButton>
          )
        )}
      </Group>
      <ActFailureNotice acts={[act]} />
    </form>
  );
}

interface FinalDraft {
  decision: string | null;
  place: string;
  reason: string;
}

/** The final decision: awarded (when every requirement is met), refused or deferred (with a reason), and where the jury sat. */
function FinalDecisionForm({ path, onRecorded }: { path: PathView; onRecorded: (o: Outcome) => void }) {
  const { t } = useTranslation();
  const [draft, update, clear] = useDraft<FinalDraft>(`final-decision.${path.enrollmentId}`, { decision: null, place: '', reason: '' });
  const act = useAct({
    name: `final-decision.${path.enrollmentId}`,
    fields: ['decision', 'place', 'reason'],
    codeFields: { 'CERTIFICATION.REQUIREMENTS_NOT_MET': 'decision', 'DECISION.UNKNOWN': 'decision' },
    send: recordFinalDecision(path.enrollmentId),
  });
  const eligible = path.status === 'eligible';
  const { onSubmit, pending } = useSubmit(async () => {
    const reason = draft.reason.trim();
    const outcome = await act.run({
      decision: (draft.decision ?? '') as FinalDecision['decision'],
      place: draft.place.trim(),
      ...(reason && draft.decision !== 'awarded' ? { reason } : {}),
    });
    if (!outcome) return;
    clear();
    onRecorded(outcome);
  });
  const missing = [...path.missing.blocs, ...path.missing.extraRequirements];
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm" maw={640}>
        <Text size="sm">{eligible ? t('jury.final.eligible') : t('jury.final.notEligible', { missing: missing.join(', ') || '—' })}</Text>
        <Radio.Group
          label={t('jury.final.decision')}
          withAsterisk
          value={draft.decision}
          onChange={(decision) => update({ decision })}
          error={fieldError(act, 'decision', draft.decision)}
        >
          <Stack gap={6} mt={6}>
            {DECISIONS.map((decision) => (
              <Radio
                key={decision}
                value={decision}
                disabled={decision === 'awarded' && !eligible}
                label={t(`jury.final.decisions.${decision}`)}
                description={decision === 'awarded' && !eligible ? t('jury.final.awardNotYet') : undefined}
              />
            ))}
          </Stack>
        </Radio.Group>
        <TextInput
          label={t('jury.final.place')}
          description={t('jury.final.placeHelp')}
          withAsterisk
          maxLength={200}
          value={draft.place}
          onChange={(e) => update({ place: e.currentTarget.value })}
          error={fieldError(act, 'place', draft.place)}
        />
        {draft.decision && draft.decision !== 'awarded' && (
          <Textarea
            label={t('jury.final.reason')}
            withAsterisk
            autosize
            minRows={2}
            maxLength={2000}
            value={draft.reason}
            onChange={(e) => update({ reason: e.currentTarget.value })}
            error={fieldError(act, 'reason', draft.reason)}
          />
        )}
        {refusalStands(act, { decision: draft.decision, place: draft.place, reason: draft.reason }) && <ActFailureNotice acts={[act]} />}
        <Group>
          <SubmitButton pending={pending}>{t('jury.final.submit')}</SubmitButton>
        </Group>
      </Stack>
    </form>
  );
}
