import { Card, List, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { durationsOf, epreuveName, PathView, Version } from '../pages/sittings';
import { formatParis } from './paris-time';

/**
 * The candidate's next sittings, soonest first: each épreuve, its day and time (Paris), and the
 * durations that apply to them — with their own extra time, which the api gives them (R14).
 */
export function UpcomingSittings({ path, version }: { path: PathView; version: Version | undefined }) {
  const { t, i18n } = useTranslation();
  // Still to come (a sitting of this morning too); one past but not yet recorded held stays in the path's table of sittings.
  const since = Date.now() - 12 * 3_600_000;
  const upcoming = path.sittings
    .filter((s) => s.status === 'scheduled' && Date.parse(s.scheduledAt) >= since)
    .sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
  return (
    <Card withBorder component="section" aria-labelledby="upcoming-title">
      <Title order={2} size="h4" mb="xs" id="upcoming-title">
        {t('candidatePath.upcoming')}
      </Title>
      {upcoming.length === 0 ? (
        <Text size="sm">{t('candidatePath.noUpcoming')}</Text>
      ) : (
        <List size="sm" spacing={6}>
          {upcoming.map((s) => (
            <List.Item key={s.sittingId}>
              <Text size="sm" fw={600} span>
                {formatParis(s.scheduledAt, i18n.language)}
              </Text>{' '}
              — {epreuveName(version, s.epreuve)} ({t('path.attempt', { n: s.attempt })})
              {s.timedParts.length > 0 && (
                <Text size="sm">
                  {t('candidatePath.durations')} {durationsOf(s, version).join(' ; ')}
                </Text>
              )}
            </List.Item>
          ))}
        </List>
      )}
    </Card>
  );
}
