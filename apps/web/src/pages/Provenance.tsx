import { Anchor, Card, List, Stack, Text, Timeline, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { answer, api, shouldRetry } from '../api/client';
import { QueryState } from '../components/Problem';
import { ToneBadge } from '../components/Tone';
import { Trace } from '../components/Trace';

/** One fact of the history as the api gives it: its trace, then the members its type has. */
type Item = { eventId: string; position: string; recordedAt: string; type: string } & Record<string, unknown>;
type Actor = { id: string; role: string };

/**
 * How a bloc was granted, as an auditor traces it: the version and rule, then every fact in the
 * log's order — sittings, assessments criterion by criterion, corrections, acquisitions, the
 * decision and who took it, documents — each with its event id and position.
 */
export function Provenance() {
  const { t, i18n } = useTranslation();
  const { enrollmentId = '', blocCode = '' } = useParams();
  const provenance = useQuery({
    queryKey: ['provenance', enrollmentId, blocCode],
    retry: shouldRetry,
    queryFn: () => answer(api.GET('/enrollments/{enrollmentId}/blocs/{blocCode}/provenance', { params: { path: { enrollmentId, blocCode } } })),
  });
  const dateTime = (iso: unknown) =>
    new Date(String(iso)).toLocaleString(i18n.language === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  if (!provenance.data) return <QueryState isLoading={provenance.isLoading} error={provenance.error} />;
  const p = provenance.data;
  const history = p.history as Item[];
  const kinds = kindsById(p.accommodations);
  /** Accommodation ids as the kinds a reader may know of (an id alone where the role knows no more). */
  const asKinds = (ids: unknown) =>
    ((ids ?? []) as string[])
      .map((id) => (kinds.has(id) ? t(`accommodations.kinds.${kinds.get(id)}`, { defaultValue: kinds.get(id) }) : id.slice(0, 8)))
      .join(', ');

  const details = (item: Item) => {
    const actor = (item.by ?? item.assessor) as Actor | undefined;
    const who = actor ? t('provenance.by', { who: `${actor.id} (${t(`roles.${actor.role}`, { defaultValue: actor.role })})` }) : '';
    switch (item.type) {
      case 'AssessmentRecorded':
      case 'AssessmentCorrected': {
        const results = ((item.results ?? []) as { criterion: string; met: boolean; comment?: string }[]).map((r) => [r.criterion, r.met, r.comment] as const);
        const corrected = ((item.correctedBy ?? []) as string[]).map((id) => id.slice(0, 8));
        return (
          <>
            <Text size="sm">
              {item.type === 'AssessmentRecorded'
                ? `${item.epreuve}, ${t('path.attempt', { n: item.attempt })} — ${item.passed ? t('path.passed') : t('path.failed')}`
                : t('provenance.corrects', { id: String(item.corrects).slice(0, 8) })}{' '}
              · {who} · {dateTime(item.at)}
            </Text>
            {item.reason ? <Text size="sm">{t('provenance.reason', { reason: item.reason })}</Text> : null}
            {corrected.length > 0 && <ToneBadge tone="orange">{t('provenance.correctedBy', { ids: corrected.join(', ') })}</ToneBadge>}
            <List size="xs" mt={4}>
              {results.map(([criterion, met, comment]) => (
                <List.Item key={criterion}>
                  {criterion} : {met ? t('provenance.met') : t('provenance.notMet')}
                  {comment ? ` — ${comment}` : ''}
                </List.Item>
              ))}
            </List>
          </>
        );
      }
      case 'CompetencyAcquired':
        return (
          <Text size="sm">
            {String(item.competencyCode)} ·{' '}
            {t('provenance.evidence', {
              items: ((item.evidence ?? []) as { criterion: string; assessmentId: string; correctionId?: string }[])
                .map((e) => `${e.criterion} ← ${e.assessmentId.slice(0, 8)}${e.correctionId ? ` (${t('path.corrected')} ${e.correctionId.slice(0, 8)})` : ''}`)
                .join(', '),
            })}
          </Text>
        );
      case 'CompetencyAcquisitionRevoked':
        // Which competency no longer stands (its bloc annulled, or an assessment corrected).
        return <Text size="sm">{[String(item.competencyCode), who, dateTime(item.at)].join(' · ')}</Text>;
      case 'SittingScheduled':
        return (
          <Text size="sm">{`${item.epreuve}, ${t('path.attempt', { n: item.attempt })} · ${dateTime(item.scheduledAt)} · ${t('path.assessors')} : ${(item.assessors as string[]).join(', ')}`}</Text>
        );
      case 'SittingHeld':
        return (
          <>
            <Text size="sm">{`${dateTime(item.heldAt)} · ${who}`}</Text>
            {((item.accommodationsApplied ?? []) as string[]).length > 0 && (
              <Text size="sm">{t('provenance.applied', { kinds: asKinds(item.accommodationsApplied) })}</Text>
            )}
            {((item.accommodationsNotApplied ?? []) as string[]).length > 0 && (
              <ToneBadge tone="orange">{t('provenance.notApplied', { kinds: asKinds(item.accommodationsNotApplied) })}</ToneBadge>
            )}
          </>
        );
      case 'BlocAnnulled':
        return (
          <>
            <Text size="sm">{[who, dateTime(item.at)].join(' · ')}</Text>
            <Text size="sm">
              {t('provenance.annulment', {
                reason: t(`provenance.annulmentReasons.${item.reason}`, { defaultValue: String(item.reason) }),
                details: String(item.details ?? ''),
              })}
            </Text>
          </>
        );
      case 'ApprenticeshipMasterChanged': {
        // Who assesses the bloc's épreuves of the maître d'apprentissage from then on, and why.
        const named = (a: unknown) => {
          const { masterId, company } = a as { masterId: string; company: string };
          return `${masterId} (${company})`;
        };
        const change = item.previous ? `${named(item.previous)} → ${named(item.apprenticeship)}` : named(item.apprenticeship);
        return <Text size="sm">{[change, String(item.reason ?? ''), who, dateTime(item.at)].filter(Boolean).join(' · ')}</Text>;
      }
      case 'EnrolledByTransfer': {
        const from = item.carriedFrom as { enrollmentId: string; version: string; bloc: string };
        return (
          <Anchor component={Link} size="sm" to={`/parcours/${from.enrollmentId}/blocs/${from.bloc}/provenance`}>
            {t('provenance.carriedFrom', { id: from.enrollmentId.slice(0, 8), version: from.version, bloc: from.bloc })}
          </Anchor>
        );
      }
      case 'DocumentIssued':
      case 'DocumentRevoked':
        return <Text size="sm">{`${item.number} · ${who} · ${dateTime(item.at)}`}</Text>;
      default:
        return <Text size="sm">{[who, item.at ? dateTime(item.at) : ''].filter(Boolean).join(' · ')}</Text>;
    }
  };

  return (
    <Stack>
      <Anchor component={Link} to={`/parcours/${enrollmentId}`} size="sm">
        ← {t('path.title')}
      </Anchor>
      <Title order={1}>{t('provenance.title', { bloc: `${p.bloc.code} — ${p.bloc.title}` })}</Title>
      <Text>
        {t('provenance.referential', { id: p.referential.referentialId, version: p.referential.version, rule: t(`provenance.rules.${p.referential.rule}`) })} ·{' '}
        {t(`provenance.rules.${p.referential.validationPolicy.blocValidation}`)}
      </Text>
      {p.accommodationHistory.length > 0 && (
        <Card withBorder>
          <Title order={2} size="h4">
            {t('provenance.accommodations')}
          </Title>
          <List size="sm">
            {p.accommodationHistory.map((a) => (
              <List.Item key={a.eventId}>
                {t(`provenance.types.${a.type}`, { defaultValue: a.type })}
                {kinds.has(a.accommodationId) ? ` : ${asKinds([a.accommodationId])}` : ''} ·{' '}
                {t('provenance.by', { who: `${a.by.id} (${t(`roles.${a.by.role}`, { defaultValue: a.by.role })})` })} · {dateTime(a.at)}{' '}
                <Trace eventId={a.eventId} position={a.position} />
              </List.Item>
            ))}
          </List>
        </Card>
      )}
      <Title order={2} size="h3">
        {t('provenance.history')}
      </Title>
      <Timeline bulletSize={14} lineWidth={2} active={history.length}>
        {history.map((item) => (
          <Timeline.Item key={item.eventId} title={<Text fw={600}>{t(`provenance.types.${item.type}`, { defaultValue: item.type })}</Text>}>
            {details(item)}
            <Trace eventId={item.eventId} position={item.position} />
          </Timeline.Item>
        ))}
      </Timeline>
    </Stack>
  );
}

/** The kind of each accommodation the reader's view names (the auditor's kinds, the referent's terms, the jury's consented measures). */
function kindsById(view: unknown): Map<string, string> {
  const listed = ((view as { accommodations?: unknown[] } | undefined)?.accommodations ?? []) as {
    accommodationId?: string;
    kind?: unknown;
    terms?: { kind?: unknown };
    measure?: { kind?: unknown };
  }[];
  const kinds = new Map<string, string>();
  for (const a of listed) {
    const kind = a.kind ?? a.terms?.kind ?? a.measure?.kind;
    if (a.accommodationId && typeof kind === 'string') kinds.set(a.accommodationId, kind);
  }
  return kinds;
}
