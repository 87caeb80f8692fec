import 'mantine-datatable/styles.css';
import { Anchor, Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { DataTable, DataTableColumn, DataTableSortStatus } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { download, shouldRetry } from '../api/client';
import { currentSession } from '../auth/session';
import type { components } from '../api/schema';
import { calendarLabels, Dates } from '../components/Dates';
import { QueryState } from '../components/Problem';
import { CertificationFilters } from '../components/CertificationFilters';
import { ToneBadge } from '../components/Tone';
import { EnrollmentsQuery, listEnrollments, PATH_STATUSES, useReferentials } from './referentials';

type Item = components['schemas']['EnrollmentListItem'];

const BLOC_STATUSES = ['not-started', 'in-progress', 'validatable', 'validated', 'annulled'] as const;
const PAGE_SIZE = 25;

/** The list's filters live in the address: a selection can be bookmarked and sent to a colleague. */
function queryOf(params: URLSearchParams): EnrollmentsQuery {
  const query: Record<string, string | number> = {};
  for (const key of ['referentialId', 'version', 'cohort', 'status', 'bloc', 'blocStatus', 'noProgressSince', 'organisationId', 'sort', 'order']) {
    const value = params.get(key);
    if (value) query[key] = value;
  }
  query.page = Number(params.get('page') ?? 1);
  query.pageSize = PAGE_SIZE;
  return query as EnrollmentsQuery;
}

export function Enrollments() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const query = queryOf(params);
  const referentials = useReferentials();
  // An auditor reads every organisation's paths: they may narrow to one.
  const auditor = currentSession()?.role === 'auditor';
  // Registering and enrolling a candidate is the admin's act (POST /candidates, POST /enrollments).
  const admin = currentSession()?.role === 'admin';
  const list = useQuery({
    queryKey: ['enrollments', query],
    queryFn: () => listEnrollments(query),
    placeholderData: keepPreviousData,
    retry: shouldRetry,
  });

  const set = (changes: Record<string, string | null | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };
  const sortStatus: DataTableSortStatus<Item> = { columnAccessor: (query.sort as string) ?? 'enrolledAt', direction: (query.order as 'asc' | 'desc') ?? 'asc' };
  const date = (iso: string) => new Date(iso).toLocaleDateString(i18n.language === 'fr' ? 'fr-FR' : 'en-GB');
  const csvQuery = new URLSearchParams(
    Object.entries(query)
      .filter(([key]) => key !== 'page' && key !== 'pageSize')
      .map(([key, value]) => [key, String(value)]),
  );
  csvQuery.set('format', 'csv');

  return (
    <Dates>
      <Stack>
        <Group justify="space-between">
          <Title order={1}>{t('enrollments.title')}</Title>
          <Group gap="sm">
            {admin && (
              <Button component={Link} to="/inscriptions/nouvelle">
                {t('enrollments.new')}
              </Button>
            )}
            <Button variant="light" onClick={() => void download(`/enrollments?${csvQuery}`, 'inscriptions.csv')}>
              {t('enrollments.csv')}
            </Button>
          </Group>
        </Group>
        <Group align="flex-end" gap="sm" role="search">
          <CertificationFilters
            referentials={referentials.data}
            referentialId={query.referentialId}
            version={query.version}
            cohort={query.cohort}
            set={set}
            widths={{ certification: 320, cohort: 140 }}
          />
          <Select
            label={t('enrollments.status')}
            placeholder={t('enrollments.anyStatus')}
            clearable
            w={200}
            data={PATH_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
            value={query.status ?? null}
            onChange={(status) => set({ status })}
          />
          <TextInput
            label={t('enrollments.bloc')}
            w={100}
            placeholder={t('enrollments.blocPlaceholder')}
            defaultValue={query.bloc ?? ''}
            key={`bloc-${query.bloc ?? ''}`}
            onBlur={(e) => set({ bloc: e.currentTarget.value.trim() || null })}
            onKeyDown={(e) => e.key === 'Enter' && set({ bloc: e.currentTarget.value.trim() || null })}
          />
          <Select
            label={t('enrollments.blocStatus')}
            clearable
            w={170}
            disabled={!query.bloc}
            data={BLOC_STATUSES.map((s) => ({ value: s, label: t(`blocStatus.${s}`) }))}
            value={query.blocStatus ?? null}
            onChange={(blocStatus) => set({ blocStatus })}
          />
          <DateInput
            label={t('enrollments.noProgressSince')}
            clearable
            clearButtonProps={{ 'aria-label': t('enrollments.reset') }}
            w={180}
            valueFormat="DD/MM/YYYY"
            ariaLabels={calendarLabels(t)}
            value={query.noProgressSince ?? null}
            onChange={(value) => set({ noProgressSince: value ? dayjs(value).format('YYYY-MM-DD') : null })}
          />
          {auditor && (
            <TextInput
              label={t('enrollments.organisation')}
              w={160}
              defaultValue={query.organisationId ?? ''}
              key={`org-${query.organisationId ?? ''}`}
              onBlur={(e) => set({ organisationId: e.currentTarget.value.trim() || null })}
              onKeyDown={(e) => e.key === 'Enter' && set({ organisationId: e.currentTarget.value.trim() || null })}
            />
          )}
          <Button variant="subtle" onClick={() => setParams(new URLSearchParams())}>
            {t('enrollments.reset')}
          </Button>
        </Group>
        <Text size="sm" aria-live="polite">
          {list.data ? t('enrollments.total', { count: list.data.total }) : ' '}
        </Text>
        <QueryState isLoading={false} error={list.error} />
        <DataTable<Item>
          withTableBorder
          striped
          highlightOnHover
          minHeight={200}
          idAccessor="enrollmentId"
          records={list.data?.items ?? []}
          fetching={list.isFetching}
          totalRecords={list.data?.total ?? 0}
          recordsPerPage={PAGE_SIZE}
          page={query.page ?? 1}
          onPageChange={(page) => set({ page: String(page) })}
          sortStatus={sortStatus}
          onSortStatusChange={(status) => set({ sort: String(status.columnAccessor), order: status.direction })}
          noRecordsText={t('enrollments.empty')}
          columns={
            [
              {
                accessor: 'candidateId',
                title: t('enrollments.columns.candidate'),
                render: (item) => (
                  <Anchor component={Link} to={`/parcours/${item.enrollmentId}`} aria-label={`${t('enrollments.open')} ${item.candidateId.slice(0, 8)}`}>
                    {item.candidateId.slice(0, 8)}
                  </Anchor>
                ),
              },
              ...(auditor ? [{ accessor: 'organisationId' as const, title: t('enrollments.organisation') }] : []),
              { accessor: 'referentialId', title: t('enrollments.columns.certification'), render: (item) => `${item.referentialId} v${item.version}` },
              { accessor: 'cohort', title: t('enrollments.columns.cohort'), sortable: true },
              { accessor: 'accessRoute', title: t('enrollments.columns.accessRoute'), render: (item) => t(`accessRoute.${item.accessRoute}`) },
              {
                accessor: 'status',
                title: t('enrollments.columns.status'),
                sortable: true,
                render: (item) => <ToneBadge tone="blue">{t(`status.${item.status}`)}</ToneBadge>,
              },
              {
                accessor: 'blocs',
                title: t('enrollments.columns.blocs'),
                render: (item) => `${item.blocs.filter((b) => b.status === 'validated').length} / ${item.blocs.filter((b) => b.required).length}`,
              },
              { accessor: 'missingBlocs', title: t('enrollments.columns.missing'), render: (item) => item.missingBlocs.join(', ') },
              { accessor: 'enrolledAt', title: t('enrollments.columns.enrolledAt'), sortable: true, render: (item) => date(item.enrolledAt) },
              { accessor: 'lastProgressAt', title: t('enrollments.columns.lastProgressAt'), sortable: true, render: (item) => date(item.lastProgressAt) },
            ] satisfies DataTableColumn<Item>[]
          }
        />
      </Stack>
    </Dates>
  );
}
