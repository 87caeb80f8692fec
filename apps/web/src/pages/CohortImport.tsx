import 'mantine-datatable/styles.css';
import { Alert, Anchor, Button, Card, FileInput, Group, List, Progress, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { answer, api, ApiProblem, download } from '../api/client';
import type { components } from '../api/schema';
import { SubmitButton, useSubmit } from '../components/ActForm';
import { QueryState } from '../components/Problem';
import { Tone, ToneBadge } from '../components/Tone';

type ImportView = components['schemas']['CohortImportView'];
type RowReport = components['schemas']['RowReportView'];
type Status = RowReport['status'];

const TONE: Record<Status, Tone> = { imported: 'green', 'already-imported': 'gray', refused: 'red', incomplete: 'orange', 'to-import': 'blue' };
const STATUSES: Status[] = ['to-import', 'imported', 'already-imported', 'incomplete', 'refused'];
const PAGE_SIZE = 50;

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends the file (a dry run or the import); a large file's job is followed until its report is there. */
async function runImport(file: File, dryRun: boolean, onProgress: (view: ImportView) => void): Promise<ImportView> {
  const form = new FormData();
  form.append('file', file, file.name);
  let view = await answer(
    api.POST('/imports/cohort', {
      params: { query: { dryRun } },
      body: form as unknown as components['schemas']['ImportCohortForm'],
      bodySerializer: (body) => body as unknown as FormData,
    }),
  );
  while (view.status === 'running') {
    onProgress(view);
    await wait(1000);
    view = await answer(api.GET('/imports/{importId}', { params: { path: { importId: view.id } } }));
  }
  return view;
}

/**
 * An admin imports a cohort from a spreadsheet: the template to fill, the file checked first
 * (« Vérifier »: every row by the api's rules, nothing written), then imported; the report shows
 * each row with its status and, for a refused one, each reason under its column.
 */
export function CohortImport() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [checked, setChecked] = useState<File | null>(null);
  const [result, setResult] = useState<ImportView>();
  const [progress, setProgress] = useState<ImportView>();
  const [error, setError] = useState<unknown>();
  const [page, setPage] = useState(1);

  const send = (dryRun: boolean) => async () => {
    if (!file) return;
    setError(undefined);
    setResult(undefined);
    setProgress(undefined);
    setPage(1);
    try {
      const view = await runImport(file, dryRun, setProgress);
      setResult(view);
      if (dryRun && view.status === 'done') setChecked(file);
      if (!dryRun) {
        setChecked(null);
        void queries.invalidateQueries();
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setProgress(undefined);
    }
  };
  const check = useSubmit(send(true));
  const importFile = useSubmit(send(false));
  const pending = check.pending || importFile.pending;
  const columns = error instanceof ApiProblem && Array.isArray(error.body.columns) ? (error.body.columns as { column: string; reason: string }[]) : [];
  const report = result?.report;
  const rows = report?.rows ?? [];

  return (
    <Stack>
      <Title order={1}>{t('cohortImport.title')}</Title>
      <Text>{t('cohortImport.intro')}</Text>
      <Group gap="xs">
        <Text size="sm">{t('cohortImport.template')}</Text>
        <Button variant="default" size="xs" onClick={() => void download('/imports/cohort/template.xlsx', 'modele-promotion.xlsx').catch(setError)}>
          {t('cohortImport.templateXlsx')}
        </Button>
        <Button variant="default" size="xs" onClick={() => void download('/imports/cohort/template.csv', 'modele-promotion.csv').catch(setError)}>
          {t('cohortImport.templateCsv')}
        </Button>
      </Group>
      <Card withBorder>
        <form onSubmit={check.onSubmit}>
          <Group align="flex-end">
            <FileInput
              label={t('cohortImport.file')}
              description={t('cohortImport.fileHelp')}
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              w={380}
              clearable
              clearButtonProps={{ 'aria-label': t('cohortImport.clearFile') }}
              value={file}
              onChange={(chosen) => {
                setFile(chosen);
                setChecked(null);
                setResult(undefined);
                setError(undefined);
              }}
            />
            <SubmitButton variant="default" pending={check.pending} disabled={!file || pending}>
              {t('cohortImport.check')}
            </SubmitButton>
            <Button
              disabled={!file || checked !== file || pending}
              aria-describedby="import-needs-check"
              loading={importFile.pending}
              onClick={() => importFile.onSubmit()}
            >
              {t('cohortImport.import')}
            </Button>
          </Group>
          <Text id="import-needs-check" size="xs" c="dimmed" mt={6}>
            {t('cohortImport.checkFirst')}
          </Text>
        </form>
      </Card>
      {progress && (
        <Stack gap={4} aria-live="polite">
          <Text size="sm">{t('cohortImport.running', { processed: progress.processed, total: progress.total })}</Text>
          <Progress value={progress.total > 0 ? (100 * progress.processed) / progress.total : 0} aria-label={t('cohortImport.progress')} />
        </Stack>
      )}
      <QueryState isLoading={false} error={error} />
      {columns.length > 0 && (
        <List size="sm">
          {columns.map((c) => (
            <List.Item key={c.column}>{t('cohortImport.column', { column: c.column, reason: c.reason })}</List.Item>
          ))}
        </List>
      )}
      {result && result.status !== 'done' && (
        <Alert color="red.9" variant="outline" role="alert" title={t('cohortImport.failed')}>
          {result.error}
        </Alert>
      )}
      {report && (
        <Stack>
          <Title order={2} size="h3">
            {t(report.dryRun ? 'cohortImport.checkReport' : 'cohortImport.importReport', { count: report.total })}
          </Title>
          <Group gap="xs" role="status">
            {STATUSES.filter((status) => report.counts[status] > 0).map((status) => (
              <ToneBadge key={status} tone={TONE[status]}>
                {t(`cohortImport.counts.${status}`, { count: report.counts[status] })}
              </ToneBadge>
            ))}
          </Group>
          {report.dryRun && report.counts['to-import'] > 0 && <Text size="sm">{t('cohortImport.nowImport')}</Text>}
          <DataTable<RowReport>
            withTableBorder
            striped
            minHeight={120}
            idAccessor="row"
            records={rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)}
            noRecordsText={t('cohortImport.noRows')}
            totalRecords={rows.length}
            recordsPerPage={PAGE_SIZE}
            page={page}
            onPageChange={setPage}
            columns={[
              { accessor: 'row', title: t('cohortImport.row'), width: 70 },
              { accessor: 'candidateNumber', title: t('cohortImport.candidateNumber') },
              {
                accessor: 'name',
                title: t('cohortImport.name'),
                render: (row) =>
                  row.enrollmentId && row.status !== 'to-import' ? (
                    <Anchor component={Link} to={`/parcours/${row.enrollmentId}`}>
                      {row.name || row.candidateNumber}
                    </Anchor>
                  ) : (
                    (row.name ?? '—')
                  ),
              },
              {
                accessor: 'status',
                title: t('cohortImport.status'),
                width: 230,
                render: (row) => (
                  <ToneBadge tone={TONE[row.status]}>
                    {t(`cohortImport.statuses.${row.status}`)}
                    {row.completed ? ` · ${t('cohortImport.completed')}` : ''}
                  </ToneBadge>
                ),
              },
              {
                accessor: 'reasons',
                title: t('cohortImport.reasons'),
                render: (row) =>
                  row.reasons.length === 0 ? (
                    ''
                  ) : (
                    <List size="sm" spacing={2}>
                      {row.reasons.map((reason, i) => (
                        <List.Item key={i}>
                          <Text span fw={600} size="sm">
                            {reason.column}
                          </Text>{' '}
                          : {reason.message}
                        </List.Item>
                      ))}
                    </List>
                  ),
              },
            ]}
          />
        </Stack>
      )}
    </Stack>
  );
}
