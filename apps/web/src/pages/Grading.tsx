import '@mantine/core/styles/Radio.css';
import { Alert, Anchor, Box, Card, Group, List, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { answer, api } from '../api/client';
import type { components } from '../api/schema';
import { currentSession } from '../auth/session';
import { ActFailureNotice, SubmitButton, useAct, useDraft, useSubmit } from '../components/ActForm';
import { formatParis } from '../components/paris-time';
import { QueryState } from '../components/Problem';
import { ToneBadge } from '../components/Tone';
import { CriteriaGroup, criterionIds, epreuveToAssess } from './criteria';
import { assessmentOf, epreuveName, useVersion } from './sittings';
import { pathQuery } from './referentials';

type Results = components['schemas']['RecordAssessmentRequest'];
type Correction = components['schemas']['CorrectAssessmentRequest'];
type Ruling = 'met' | 'not-met';

interface Draft {
  /** Criterion id → met or not; absent until ruled. */
  rulings: Record<string, Ruling>;
  comments: Record<string, string>;
  /** A correction's reason. */
  reason: string;
}
const EMPTY: Draft = { rulings: {}, comments: {}, reason: '' };

/**
 * The grading form: every criterion an assessment of the sitting's épreuve rules on, grouped by
 * competency, each met or not met with an optional comment; nothing is sent until every criterion
 * is ruled. `correction`: the same form corrects the assessment that stands, with its reason (a new
 * fact beside the first, never an overwrite). Radio groups and fields in reading order: Tab goes
 * from one criterion to the next, the arrow keys choose, Space ticks.
 */
export function Grading({ correction = false }: { correction?: boolean }) {
  const { enrollmentId = '', sittingId = '' } = useParams();
  // One form per sitting: its draft and its act are that sitting's.
  return <GradingForm key={`${enrollmentId}/${sittingId}`} enrollmentId={enrollmentId} sittingId={sittingId} correction={correction} />;
}

function GradingForm({ enrollmentId, sittingId, correction }: { enrollmentId: string; sittingId: string; correction: boolean }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const path = useQuery(pathQuery(enrollmentId));
  const version = useVersion(path.data?.certification.referentialId, path.data?.certification.version);
  const [draft, update, clear] = useDraft<Draft>(`${correction ? 'correction' : 'assessment'}.${sittingId}`, EMPTY);
  const record = useAct({
    name: `assessment.${sittingId}`,
    fields: ['results'],
    codeFields: { 'ASSESSMENT.CRITERIA_MISMATCH': 'results' },
    send: (body: Results, key: string) =>
      answer(
        api.POST('/enrollments/{enrollmentId}/sittings/{sittingId}/assessments', {
          params: { path: { enrollmentId, sittingId }, header: { 'Idempotency-Key': key } },
          body,
        }),
      ),
  });
  const correct = useAct({
    name: `correction.${sittingId}`,
    fields: ['results', 'reason'],
    codeFields: { 'ASSESSMENT.CRITERIA_MISMATCH': 'results' },
    send: ({ assessmentId, ...body }: Correction & { assessmentId: string }, key: string) =>
      answer(
        api.POST('/enrollments/{enrollmentId}/assessments/{assessmentId}/corrections', {
          params: { path: { enrollmentId, assessmentId }, header: { 'Idempotency-Key': key } },
          body,
        }),
      ),
  });
  const act = correction ? correct : record;

  const p = path.data;
  const sitting = p?.sittings.find((s) => s.sittingId === sittingId);
  const toAssess = version.data && sitting ? epreuveToAssess(version.data, sitting.epreuve) : undefined;
  const groups = toAssess?.groups ?? [];
  const ids = criterionIds(groups);
  const standing = p && sitting ? assessmentOf(p, sitting) : undefined;

  const { onSubmit, pending } = useSubmit(async () => {
    // Nothing is sent until every criterion is ruled (and a correction says why).
    if (ids.length === 0 || ids.some((id) => !draft.rulings[id]) || (correction && !draft.reason.trim())) return;
    const results = ids.map((criterion) => {
      const comment = draft.comments[criterion]?.trim();
      return { criterion, met: draft.rulings[criterion] === 'met', ...(comment ? { comment } : {}) };
    });
    const outcome = correction
      ? await correct.run({ assessmentId: standing?.assessmentId ?? '', results, reason: draft.reason.trim() })
      : await record.run({ results });
    if (!outcome) return;
    clear();
    // « Mes épreuves » and the path are read again when next shown: the sitting is assessed.
    void queries.invalidateQueries({ queryKey: ['path', enrollmentId] });
    void queries.invalidateQueries({ queryKey: ['enrollments'] });
    navigate(`/parcours/${enrollmentId}`, { state: { consistentWith: outcome.position, recorded: correction ? 'corrected' : 'assessed' } });
  });

  if (!p || !version.data) return <QueryState isLoading={path.isLoading || version.isLoading} error={path.error ?? version.error} />;
  const me = currentSession()?.subject ?? '';
  const back = (
    <Anchor component={Link} to="/mes-epreuves" size="sm">
      ← {t('grading.back')}
    </Anchor>
  );
  // What the api would refuse, said before anything is typed.
  const blocked = !sitting
    ? t('grading.noSitting')
    : !sitting.assessors.includes(me)
      ? t('grading.notYours')
      : correction
        ? sitting.status !== 'assessed' || !standing
          ? t('grading.nothingToCorrect')
          : undefined
        : sitting.status === 'scheduled'
          ? t('grading.notHeld')
          : sitting.status === 'assessed'
            ? t('grading.alreadyAssessed')
            : undefined;
  if (blocked || !sitting || !toAssess)
    return (
      <Stack align="flex-start">
        {back}
        <Alert color="blue.9" variant="outline" role="status">
          {blocked ?? t('grading.unknownEpreuve')}
        </Alert>
        {sitting?.status === 'assessed' && !correction && sitting.assessors.includes(me) && (
          <Anchor component={Link} to={`/mes-epreuves/${enrollmentId}/${sittingId}/correction`}>
            {t('grading.correctInstead')}
          </Anchor>
        )}
      </Stack>
    );

  const ruled = ids.filter((id) => draft.rulings[id]).length;
  const met = ids.filter((id) => draft.rulings[id] === 'met').length;
  const complete = ruled === ids.length && (!correction || draft.reason.trim() !== '');
  const rule = (id: string, ruling: Ruling) => update((d) => ({ ...d, rulings: { ...d.rulings, [id]: ruling } }));
  const comment = (id: string, text: string) => update((d) => ({ ...d, comments: { ...d.comments, [id]: text } }));

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack maw={980}>
        {back}
        <Stack gap={2}>
          <Title order={1}>{t(correction ? 'grading.correctTitle' : 'grading.title', { epreuve: epreuveName(version.data, sitting.epreuve) })}</Title>
          <Text c="dimmed">
            {p.certification.title} · {t('path.cohort')} {p.cohort} · {t('mySittings.candidate', { id: p.candidateId.slice(0, 8) })} ·{' '}
            {t('path.attempt', { n: sitting.attempt })}
            {sitting.heldAt ? ` · ${t('grading.heldAt', { date: formatParis(sitting.heldAt, i18n.language) })}` : ''}
          </Text>
        </Stack>
        {correction && standing ? (
          <Alert color="orange.9" variant="outline" title={t('grading.correctionTitle')} styles={{ title: { color: 'var(--mantine-color-dark-9)' } }}>
            <Stack gap={4}>
              <Text size="sm">
                {t('grading.standing')} <ToneBadge tone={standing.passed ? 'green' : 'red'}>{standing.passed ? t('path.passed') : t('path.failed')}</ToneBadge>
                {standing.correctedBy ? ` (${t('path.corrected')})` : ''}
              </Text>
              <Text size="sm">{t('grading.correctionIntro')}</Text>
            </Stack>
          </Alert>
        ) : (
          <Text>{t('grading.intro', { count: ids.length })}</Text>
        )}
        <Text size="sm" c="dimmed">
          {t('grading.keyboard')}
        </Text>

        {groups.map((group) => (
          <CriteriaGroupCard key={`${group.kind}:${group.code}`} group={group} draft={draft} onRule={rule} onComment={comment} />
        ))}

        {correction && (
          <Textarea
            label={t('grading.reason')}
            description={t('grading.reasonHelp')}
            withAsterisk
            autosize
            minRows={2}
            maxLength={500}
            value={draft.reason}
            onChange={(e) => update({ reason: e.currentTarget.value })}
            error={correct.errorOf('reason')}
          />
        )}

        <Card withBorder bg="gray.0">
          <Stack gap="xs">
            <Text fw={600} aria-live="polite" id="grading-progress">
              {t('grading.progress', { ruled, total: ids.length })}
              {ruled < ids.length
                ? ` — ${t('grading.remaining', { count: ids.length - ruled })}`
                : ` — ${t('grading.outcome', { met, notMet: ids.length - met })} ${met === ids.length ? t('grading.passes') : t('grading.fails')}`}
              {correction && ruled === ids.length && !draft.reason.trim() ? ` ${t('grading.reasonMissing')}` : ''}
            </Text>
            {act.errorOf('results') && (
              <Text size="sm" c="red.9" role="alert">
                {act.errorOf('results')}
              </Text>
            )}
            <ActFailureNotice acts={[act]} />
            <Group>
              <SubmitButton pending={pending} disabled={!complete} aria-describedby="grading-progress">
                {t(correction ? 'grading.submitCorrection' : 'grading.submit')}
              </SubmitButton>
            </Group>
          </Stack>
        </Card>
        <Text size="sm" c="dimmed">
          {t('grading.draftKept')}
        </Text>
      </Stack>
    </form>
  );
}

/** One competency's criteria (or the épreuve's own, or its bloc's shared ones): each a radio group, then its comment. */
function CriteriaGroupCard({
  group,
  draft,
  onRule,
  onComment,
}: {
  group: CriteriaGroup;
  draft: Draft;
  onRule: (id: string, ruling: Ruling) => void;
  onComment: (id: string, text: string) => void;
}) {
  const { t } = useTranslation();
  const headingId = `criteria-${group.kind}-${group.code}`;
  return (
    // A group named by its heading: each radio group inside is read with the competency it belongs to.
    <Card withBorder role="group" aria-labelledby={headingId}>
      <Title order={2} size="h5" id={headingId}>
        {group.kind === 'competency' ? (
          <>
            {group.code}
            <Text span inherit fw={400}>
              {' '}
              — {group.title}
            </Text>
          </>
        ) : group.kind === 'epreuve' ? (
          t('grading.epreuveCriteria', { code: group.code })
        ) : (
          t('grading.blocCriteria', { code: group.code })
        )}
      </Title>
      <Stack gap={0}>
        {group.criteria.map((criterion, i) => (
          <Box key={criterion.id} py="sm" style={i > 0 ? { borderTop: '1px solid var(--mantine-color-gray-3)' } : undefined}>
            <Radio.Group
              label={`${criterion.code} — ${criterion.text}`}
              description={
                criterion.indicators && criterion.indicators.length > 0 ? (
                  <List size="xs" spacing={0}>
                    {criterion.indicators.map((indicator) => (
                      <List.Item key={indicator}>{indicator}</List.Item>
                    ))}
                  </List>
                ) : undefined
              }
              value={draft.rulings[criterion.id] ?? null}
              onChange={(value) => onRule(criterion.id, value as Ruling)}
              styles={{ label: { fontWeight: 600 } }}
            >
              <Group mt={8} gap="xl">
                <Radio value="met" color="green.9" label={t('grading.met')} />
                <Radio value="not-met" color="red.9" label={t('grading.notMet')} />
              </Group>
            </Radio.Group>
            <Textarea
              mt="xs"
              size="sm"
              label={t('grading.comment')}
              aria-label={t('grading.commentOn', { criterion: criterion.id })}
              autosize
              minRows={1}
              maxLength={2000}
              value={draft.comments[criterion.id] ?? ''}
              onChange={(e) => onComment(criterion.id, e.currentTarget.value)}
              styles={{ label: { fontWeight: 400 } }}
            />
          </Box>
        ))}
      </Stack>
    </Card>
  );
}
