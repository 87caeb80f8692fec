import 'mantine-datatable/styles.css';
import { Anchor, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { answer, api, shouldRetry } from '../api/client';
import type { components } from '../api/schema';
import { QueryState } from '../components/Problem';

type Finding = components['schemas']['UnappliedAccommodationFinding'];
const PAGE_SIZE = 50;

/** A spreadsheet of the rows, for the auditor's report: the same columns as the table. */
function toCsv(rows: Finding[]): string {
  const columns = [
    'enrollmentId',
    'organisationId',
    'referentialId',
    'version',
    'cohort',
    'epreuve',
    'sittingId',
    'heldAt',
    'accommodationId',
    'eventId',
    'position',
  ] as const;
  const cell = (value: string) => (/[",\n;]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return [columns.join(','), ...rows.map((row) => columns.map((c) => cell(String(row[c]))).join(','))].join('\r\n');
}

/** R11 findings: accommodations granted but not applied at a sitting (kinds only), filtered, paged, as CSV. */
export function Findings() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? 1);
  const organisationId = params.get('organisationId') ?? undefined;
  const query = { page, pageSize: PAGE_SIZE, ...(organisationId ? { organisationId } : {}) };
  const findings = useQuery({
    queryKey: ['findings', query],
    placeholderData: keepPreviousData,
    retry: shouldRetry,
    queryFn: () => answer(api.GET('/findings/unapplied-accommodations', { params: { query } })),
  });
  const rows = findings.data ?? [];
  const saveCsv = () => {
    const url = URL.createObjectURL(new Blob([toCsv(rows)], { type: 'text/csv' }));
    Object.assign(document.createElement('a'), { href: url, download: 'constats-amenagements.csv' }).click();
    URL.revokeObjectURL(url);
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('findings.title')}</Title>
        <Button variant="light" onClick={saveCsv} disabled={rows.length === 0}>
          {t('enrollments.csv')}
        </Button>
      </Group>
      <Text>{t('findings.intro')}</Text>
      <Group align="flex-end" role="search">
        <TextInput
          label={t('enrollments.organisation')}
          w={220}
          defaultValue={organisationId ?? ''}
          onKeyDown={(e) => e.key === 'Enter' && setParams(e.currentTarget.value.trim() ? { organisationId: e.currentTarget.value.trim() } : {})}
        />
      </Group>
      <QueryState isLoading={false} error={findings.error} />
      <DataTable<Finding>
        withTableBorder
        striped
        minHeight={160}
        idAccessor="eventId"
        records={rows}
        fetching={findings.isFetching}
        noRecordsText={t('findings.none')}
        // The api pages without a total: a full page means there may be a next one.
        totalRecords={(page - 1) * PAGE_SIZE + rows.length + (rows.length === PAGE_SIZE ? 1 : 0)}
        recordsPerPage={PAGE_SIZE}
        page={page}
        onPageChange={(next) => setParams({ ...(organisationId ? { organisationId } : {}), page: String(next) })}
        columns={[
          {
            accessor: 'heldAt',
            title: t('findings.heldAt'),
            render: (f) => new Date(f.heldAt).toLocaleString(i18n.language === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }),
          },
          { accessor: 'organisationId', title: t('enrollments.organisation') },
          { accessor: 'referentialId', title: t('enrollments.columns.certification'), render: (f) => `${f.referentialId} v${f.version}` },
          { accessor: 'cohort', title: t('enrollments.columns.cohort') },
          { accessor: 'epreuve', title: t('findings.epreuve') },
          {
            accessor: 'enrollmentId',
            title: t('findings.enrollment'),
            render: (f) => (
              <Anchor component={Link} to={`/parcours/${f.enrollmentId}`}>
                {f.enrollmentId.slice(0, 8)}
              </Anchor>
            ),
          },
          {
            accessor: 'position',
            title: t('provenance.position'),
            render: (f) => (
              <Text size="xs" ff="monospace">
                {f.position}
              </Text>
            ),
          },
        ]}
      />
    </Stack>
  );
}
