import { Anchor, Card, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { answer, api, shouldRetry } from '../api/client';
import { Donut, StackedBars } from '../components/Charts';
import { QueryState } from '../components/Problem';
import { listEnrollments, PATH_STATUSES, useReferentials } from './referentials';

const STATUS_COLOURS: Record<string, string> = {
  'in-progress': 'blue.6',
  eligible: 'teal.6',
  certified: 'green.6',
  withdrawn: 'gray.5',
  transferred: 'violet.5',
};
const STALLED_DAYS = 30;

/** Per certification version and cohort: who stands where, bloc by bloc, who is stalled, who is ready for the jury. */
export function Dashboard() {
  const { t } = useTranslation();
  const referentials = useReferentials();
  const [chosen, setChosen] = useState<string | null>(null);
  const [cohort, setCohort] = useState('');
  const certification = chosen ?? (referentials.data?.[0] ? `${referentials.data[0].referential}@${referentials.data[0].version}` : null);
  const [referentialId, version] = certification ? certification.split('@') : ['', ''];
  const scope = { referentialId, version, ...(cohort ? { cohort } : {}) };
  const stalledSince = dayjs().subtract(STALLED_DAYS, 'day').format('YYYY-MM-DD');

  // Totals through the list itself (one row each): the counts a person gets when they click through.
  const counts = useQueries({
    queries: [...PATH_STATUSES.map((status) => ({ status })), { status: 'in-progress' as const, noProgressSince: stalledSince }].map((filter) => ({
      queryKey: ['count', scope, filter],
      enabled: Boolean(certification),
      retry: shouldRetry,
      queryFn: async () => (await listEnrollments({ ...scope, ...filter, pageSize: 1 })).total,
    })),
  });
  const statistics = useQuery({
    queryKey: ['statistics', scope],
    enabled: Boolean(certification),
    retry: shouldRetry,
    queryFn: () => answer(api.GET('/cohorts/statistics', { params: { query: scope } })),
  });
  const listLink = (filter: Record<string, string>) => `/inscriptions?${new URLSearchParams({ ...scope, ...filter })}`;
  const byStatus = PATH_STATUSES.map((status, i) => ({ key: status, name: t(`status.${status}`), value: counts[i].data ?? 0, color: STATUS_COLOURS[status] }));
  const stalled = counts[PATH_STATUSES.length].data;
  const ready = counts[PATH_STATUSES.indexOf('eligible')].data;

  return (
    <Stack>
      <Title order={1}>{t('dashboard.title')}</Title>
      <Group align="flex-end">
        <Select
          label={t('dashboard.version')}
          w={380}
          allowDeselect={false}
          data={(referentials.data ?? []).map((r) => ({ value: `${r.referential}@${r.version}`, label: `${r.title} (v${r.version})` }))}
          value={certification}
          onChange={setChosen}
        />
        <TextInput
          label={t('dashboard.cohort')}
          placeholder={t('dashboard.allCohorts')}
          w={200}
          defaultValue={cohort}
          onBlur={(e) => setCohort(e.currentTarget.value.trim())}
          onKeyDown={(e) => e.key === 'Enter' && setCohort(e.currentTarget.value.trim())}
        />
      </Group>
      <QueryState isLoading={referentials.isLoading} error={referentials.error ?? statistics.error} />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            {t('dashboard.ready')}
          </Text>
          <Text size="xl" fw={700}>
            {ready ?? '…'}
          </Text>
          <Anchor component={Link} to={listLink({ status: 'eligible' })} size="sm">
            {t('dashboard.seeList')}
          </Anchor>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            {t('dashboard.stalled')}
          </Text>
          <Text size="xl" fw={700}>
            {stalled ?? '…'}
          </Text>
          <Anchor component={Link} to={listLink({ status: 'in-progress', noProgressSince: stalledSince })} size="sm">
            {t('dashboard.seeList')}
          </Anchor>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            {t('dashboard.byStatus')}
          </Text>
          <Group gap="lg" wrap="nowrap">
            {/* The figures are the links beside it: the ring is a picture of them. */}
            <Donut parts={byStatus} size={110} thickness={18} description={byStatus.map((s) => `${s.name} ${s.value}`).join(', ')} />
            <Stack gap={2}>
              {PATH_STATUSES.map((status, i) => (
                <Anchor key={status} component={Link} to={listLink({ status })} size="sm">
                  {t(`status.${status}`)} : {counts[i].data ?? '…'}
                </Anchor>
              ))}
            </Stack>
          </Group>
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          {t('dashboard.byBloc')}
        </Title>
        {statistics.data && (
          <>
            <StackedBars
              height={260}
              data={statistics.data.blocs}
              category="bloc"
              description={t('dashboard.byBlocPicture')}
              series={[
                { key: 'validated', label: t('dashboard.validated'), color: 'green.6' },
                { key: 'inProgress', label: t('dashboard.inProgress'), color: 'blue.6' },
                { key: 'notStarted', label: t('dashboard.notStarted'), color: 'gray.4' },
                { key: 'annulled', label: t('dashboard.annulled'), color: 'red.6' },
                { key: 'withdrawn', label: t('dashboard.withdrawn'), color: 'gray.7' },
              ]}
            />
            <Table mt="md" striped withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Bloc</Table.Th>
                  <Table.Th>{t('dashboard.validated')}</Table.Th>
                  <Table.Th>{t('dashboard.inProgress')}</Table.Th>
                  <Table.Th>{t('dashboard.notStarted')}</Table.Th>
                  <Table.Th>{t('dashboard.annulled')}</Table.Th>
                  <Table.Th>{t('dashboard.withdrawn')}</Table.Th>
                  <Table.Th>{t('dashboard.median')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {statistics.data.blocs.map((b) => (
                  <Table.Tr key={b.bloc}>
                    <Table.Td>
                      <Anchor component={Link} to={listLink({ bloc: b.bloc })}>
                        {b.bloc}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{b.validated}</Table.Td>
                    <Table.Td>{b.inProgress}</Table.Td>
                    <Table.Td>{b.notStarted}</Table.Td>
                    <Table.Td>{b.annulled}</Table.Td>
                    <Table.Td>{b.withdrawn}</Table.Td>
                    <Table.Td>{b.medianDaysToValidation === null ? t('dashboard.none') : t('dashboard.days', { days: b.medianDaysToValidation })}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Card>
    </Stack>
  );
}
