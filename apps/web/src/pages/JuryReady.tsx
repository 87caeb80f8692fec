import { Anchor, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { QueryState } from '../components/Problem';
import { CertificationFilters } from '../components/CertificationFilters';
import { ToneBadge } from '../components/Tone';
import { candidateLabel, EnrollmentItem, useReadyPaths, validatableBlocs } from './jury';
import { useReferentials } from './referentials';

/** Where the deliberation of a certification's cohort opens. */
export const deliberationLink = (referentialId: string, version: string, cohort: string) =>
  `/deliberation?${new URLSearchParams({ referentialId, version, cohort })}`;

/**
 * « Prêts pour le jury »: the paths with a bloc to validate, and those waiting for the final
 * decision, by certification and cohort; each opens on its evidence and decisions, each cohort on
 * its deliberation.
 */
export function JuryReady() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const referentials = useReferentials();
  const filters = {
    ...(params.get('referentialId') && params.get('version') ? { referentialId: params.get('referentialId')!, version: params.get('version')! } : {}),
    ...(params.get('cohort') ? { cohort: params.get('cohort')! } : {}),
  };
  const ready = useReadyPaths(filters, referentials.data);
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  };
  const titleOf = (item: EnrollmentItem) => {
    const summary = referentials.data?.find((r) => r.referential === item.referentialId && r.version === item.version);
    return summary ? `${summary.title} (v${item.version})` : `${item.referentialId} v${item.version}`;
  };
  const date = (iso: string) => new Date(iso).toLocaleDateString(i18n.language === 'fr' ? 'fr-FR' : 'en-GB');
  // One table per certification and cohort: a deliberation is a cohort's.
  const groups = new Map<string, EnrollmentItem[]>();
  for (const item of [...ready.items].sort((a, b) => a.enrolledAt.localeCompare(b.enrolledAt))) {
    const key = `${item.referentialId}@${item.version}@${item.cohort}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }

  return (
    <Stack>
      <Title order={1}>{t('jury.ready.title')}</Title>
      <Text>{t('jury.ready.intro')}</Text>
      <Group align="flex-end" gap="sm" role="search">
        <CertificationFilters
          referentials={referentials.data}
          referentialId={filters.referentialId}
          version={filters.version}
          cohort={filters.cohort}
          set={set}
          widths={{ certification: 360, cohort: 160 }}
        />
      </Group>
      <Text size="sm" aria-live="polite">
        {ready.isLoading ? ' ' : t('jury.ready.total', { count: ready.items.length })}
      </Text>
      {ready.truncated && <Text size="sm">{t('jury.ready.truncated')}</Text>}
      <QueryState isLoading={ready.isLoading} error={ready.error ?? referentials.error} />
      {!ready.isLoading && groups.size === 0 && <Text>{t('jury.ready.none')}</Text>}
      {[...groups.entries()].map(([key, items]) => {
        const [referentialId, version, cohort] = key.split('@');
        const headingId = `ready-${key.replace(/[^a-zA-Z0-9-]/g, '-')}`;
        return (
          <Card withBorder component="section" aria-labelledby={headingId} key={key}>
            <Group justify="space-between" align="flex-start" mb="sm">
              <Stack gap={2}>
                <Title order={2} size="h4" id={headingId}>
                  {titleOf(items[0])} — {t('path.cohort').toLowerCase()} {cohort}
                </Title>
                <Text size="sm" c="dimmed">
                  {t('jury.ready.groupSummary', {
                    blocs: items.filter((i) => validatableBlocs(i).length > 0).length,
                    final: items.filter((i) => i.status === 'eligible').length,
                  })}
                </Text>
              </Stack>
              <Button component={Link} to={deliberationLink(referentialId, version, cohort)} variant="light">
                {t('jury.ready.deliberate', { cohort })}
              </Button>
            </Group>
            <Table striped withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('enrollments.columns.candidate')}</Table.Th>
                  <Table.Th>{t('enrollments.columns.status')}</Table.Th>
                  <Table.Th>{t('jury.ready.waiting')}</Table.Th>
                  <Table.Th>{t('enrollments.columns.lastProgressAt')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => {
                  const blocs = validatableBlocs(item);
                  return (
                    <Table.Tr key={item.enrollmentId}>
                      <Table.Td>
                        <Anchor component={Link} to={`/jury/parcours/${item.enrollmentId}`}>
                          {candidateLabel(item.candidateId)}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <ToneBadge tone={item.status === 'eligible' ? 'teal' : 'blue'}>{t(`status.${item.status}`)}</ToneBadge>
                      </Table.Td>
                      <Table.Td>
                        <Stack gap={2}>
                          {blocs.length > 0 && <Text size="sm">{t('jury.ready.blocsToValidate', { blocs: blocs.join(', ') })}</Text>}
                          {item.status === 'eligible' && <Text size="sm">{t('jury.ready.finalDecision')}</Text>}
                        </Stack>
                      </Table.Td>
                      <Table.Td>{date(item.lastProgressAt)}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Card>
        );
      })}
    </Stack>
  );
}
