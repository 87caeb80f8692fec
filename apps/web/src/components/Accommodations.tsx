import { Anchor, Card, List, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

type Withheld = { withheld: string };
type Measure = {
  kind: string;
  extraTime?: { numerator: number; denominator: number };
  scope: { all: boolean; epreuves?: string[] };
  validFrom: string;
  validUntil?: string;
  details?: string;
};
type Views =
  | { view: 'none' }
  | {
      view: 'full';
      juryDisclosureConsent: boolean;
      accommodations: { accommodationId: string; terms: Measure | Withheld; grantedAt: string; endedAt?: string }[];
    }
  | { view: 'consented'; accommodations: { accommodationId: string; measure: Measure | Withheld; grantedAt: string; endedAt?: string }[] }
  | {
      view: 'kinds';
      accommodations: { accommodationId: string; kind: string | Withheld; grantedAt: string; endedAt?: string; appliedAt: string[]; notAppliedAt: string[] }[];
    }
  | {
      view: 'to-apply';
      sittings: {
        sittingId: string;
        epreuve: string;
        scheduledAt: string;
        timedParts: { code: string; durationMinutes: number }[];
        measures: ({ kind: string; instruction: string } | Withheld)[];
      }[];
    };

const withheld = (value: unknown): value is Withheld => typeof value === 'object' && value !== null && 'withheld' in value;

/**
 * What this reader may know of the candidate's accommodations, exactly as the api answers them
 * for their role (R10, R14): the referent and the candidate the terms, an assessor what to apply
 * at their sittings, the jury the measures once consent is given, an auditor the kinds and where
 * applied. Everyone else sees nothing, not even that there is something to see.
 */
export function Accommodations({ value }: { value: unknown }) {
  const { t, i18n } = useTranslation();
  const views = value as Views;
  if (!views || views.view === 'none') return null;
  const date = (iso: string) => new Date(iso).toLocaleDateString(i18n.language === 'fr' ? 'fr-FR' : 'en-GB');
  const kind = (k: string | Withheld) => (withheld(k) ? t('accommodations.withheld') : t(`accommodations.kinds.${k}`, { defaultValue: k }));
  const measure = (m: Measure | Withheld) =>
    withheld(m)
      ? t('accommodations.withheld')
      : [
          kind(m.kind),
          m.extraTime ? t('accommodations.extraTime', { n: m.extraTime.numerator, d: m.extraTime.denominator }) : '',
          m.scope.all ? t('accommodations.scopeAll') : t('accommodations.scope', { codes: (m.scope.epreuves ?? []).join(', ') }),
          t('accommodations.validity', { from: date(m.validFrom), until: m.validUntil ? t('accommodations.until', { date: date(m.validUntil) }) : '' }),
          m.details ?? '',
        ]
          .filter(Boolean)
          .join(' · ');
  const period = (a: { grantedAt: string; endedAt?: string }) =>
    [t('accommodations.granted', { date: date(a.grantedAt) }), a.endedAt ? t('accommodations.ended', { date: date(a.endedAt) }) : '']
      .filter(Boolean)
      .join(', ');
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {views.view === 'to-apply' ? t('accommodations.toApply') : t('accommodations.title')}
      </Title>
      {views.view === 'full' && (
        <Text size="sm">{t('accommodations.consent', { value: views.juryDisclosureConsent ? t('accommodations.yes') : t('accommodations.no') })}</Text>
      )}
      {views.view === 'to-apply' ? (
        <List size="sm">
          {views.sittings.map((s) => (
            <List.Item key={s.sittingId}>
              {s.epreuve}, {date(s.scheduledAt)} : {s.measures.map((m) => (withheld(m) ? t('accommodations.withheld') : m.instruction)).join(' ; ')}
              {s.timedParts.length > 0 &&
                ` (${s.timedParts.map((p) => t('accommodations.duration', { code: p.code, minutes: p.durationMinutes })).join(', ')})`}
            </List.Item>
          ))}
        </List>
      ) : views.accommodations.length === 0 ? (
        <Text size="sm">{t('accommodations.none')}</Text>
      ) : (
        <List size="sm">
          {views.view === 'full' &&
            views.accommodations.map((a) => (
              <List.Item key={a.accommodationId}>
                {measure(a.terms)} — {period(a)}
              </List.Item>
            ))}
          {views.view === 'consented' &&
            views.accommodations.map((a) => (
              <List.Item key={a.accommodationId}>
                {measure(a.measure)} — {period(a)}
              </List.Item>
            ))}
          {views.view === 'kinds' &&
            views.accommodations.map((a) => (
              <List.Item key={a.accommodationId}>
                {kind(a.kind)} — {period(a)}
                {a.appliedAt.length > 0 && ` · ${t('accommodations.applied', { sittings: a.appliedAt.map((id) => id.slice(0, 8)).join(', ') })}`}
                {a.notAppliedAt.length > 0 && ` · ${t('accommodations.notApplied', { sittings: a.notAppliedAt.map((id) => id.slice(0, 8)).join(', ') })} `}
                {/* A measure not given is a finding (R11): the auditor's list of them. */}
                {a.notAppliedAt.length > 0 && (
                  <Anchor component={Link} to="/constats" size="sm">
                    {t('accommodations.seeFindings')}
                  </Anchor>
                )}
              </List.Item>
            ))}
        </List>
      )}
    </Card>
  );
}
