import { Alert, Anchor, Button, Card, Checkbox, Code, Group, List, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { ReactNode, Ref, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { answer, api, ApiProblem, download, shouldRetry } from '../api/client';
import type { components, paths } from '../api/schema';
import { currentSession } from '../auth/session';
import { ActFailureNotice, HELP_BELOW, problemMessage, SubmitButton, useAct, useDraft, useSubmit } from '../components/ActForm';
import { DateField, Dates } from '../components/Dates';
import { QueryState } from '../components/Problem';
import { Tone, ToneBadge } from '../components/Tone';
import i18n from '../i18n';
import type { IdentityArrival } from './CandidateIdentity';
import { CandidateName } from './path-closure';
import { useReferentials } from './referentials';

type Certifier = components['schemas']['CertifierView'];
type Holder = components['schemas']['AwardedHolderView'];
type Report = components['schemas']['DeclarationReportView'];
type Declare = components['schemas']['DeclareHoldersRequest'];
type HoldersQuery = NonNullable<paths['/accrochage/certifiers/{certifier}/holders']['get']['parameters']['query']>;

const STATUSES = ['to-declare', 'declared', 'to-correct', 'erased', 'annulled'] as const;
const STATUS_TONES: Record<string, Tone> = { 'to-declare': 'blue', declared: 'green', 'to-correct': 'orange', erased: 'gray', annulled: 'red' };
const PAGE_SIZE = 20;
const ACCROCHAGE = '/accrochage';

/** Today on Paris clocks, as the api writes days (YYYY-MM-DD). */
const parisToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
/** A day (YYYY-MM-DD) or an instant, in the reader's format: 14/03/2026. */
const day = (iso: string) =>
  new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso).toLocaleDateString(i18n.language === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'Europe/Paris' });

/**
 * A problem the declaration found with a holder's identity (the api names the field and says why
 * in English, never the value), as a school admin reads it: « Code INSEE de la commune de
 * naissance : à renseigner ».
 */
export function holderProblem({ field, reason }: { field: string; reason: string }): string {
  const index = /^firstNames\[(\d+)\]$/.exec(field);
  const label = index
    ? i18n.t('accrochage.fields.firstName', { n: Number(index[1]) + 1 })
    : i18n.t(`accrochage.fields.${field.replace(/\./g, '_')}`, { defaultValue: field });
  const longer = /longer than (\d+) characters/.exec(reason);
  const kind = longer
    ? 'tooLong'
    : /^missing: born abroad/.test(reason)
      ? 'missingCountry'
      : /^missing/.test(reason)
        ? field === 'birthPlaceCodes.inseeCode'
          ? 'missingCommune'
          : 'missing'
        : /more than 3 first names/.test(reason)
          ? 'tooManyFirstNames'
          : /not a date/.test(reason)
            ? 'birthDate'
            : /neither M nor F/.test(reason)
              ? 'sex'
              : /not an INSEE code/.test(reason)
                ? 'inseeCode'
                : /not a postal code/.test(reason)
                  ? 'postalCode'
                  : /country code/.test(reason)
                    ? 'countryCode'
                    : /no registered candidate/.test(reason)
                      ? 'noCandidate'
                      : 'other';
  return i18n.t(`accrochage.problems.${kind}`, { field: label, max: longer?.[1], reason });
}

/**
 * The accrochage as a school admin does it (Code du travail L6113-8): each holder of the
 * certifier's RNCP / RS certifications declared to the Caisse des Dépôts within three months of the
 * award. The holders and where each stands (overdue ones first), then the declaration produced:
 * what was declared, who could not be and why (with the way to complete their identity), and the
 * XML file to deposit.
 */
export function Accrochage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  // The holders a declaration just recorded: the list is read again until it shows them declared.
  const [justDeclared, setJustDeclared] = useState<readonly string[]>([]);
  const certifiers = useQuery({
    queryKey: ['accrochage-certifiers'],
    retry: shouldRetry,
    staleTime: 60_000,
    queryFn: () => answer(api.GET('/accrochage/certifiers')),
  });

  if (currentSession()?.role !== 'admin')
    return (
      <Alert color="red.9" variant="outline" role="alert">
        {t('errors.forbidden', { role: t(`roles.${currentSession()?.role ?? ''}`) })}
      </Alert>
    );
  const list = certifiers.data ?? [];
  const chosen = list.find((c) => c.id === params.get('certificateur')) ?? list[0];

  return (
    <Dates>
      <Stack>
        <Title order={1}>{t('accrochage.title')}</Title>
        <Text maw={980}>{t('accrochage.intro')}</Text>
        <QueryState isLoading={certifiers.isLoading} error={certifiers.error} />
        {certifiers.data && list.length === 0 && (
          <Alert color="orange.9" variant="outline" title={t('accrochage.notConfigured.title')} styles={{ title: { color: 'var(--mantine-color-dark-9)' } }}>
            <Stack gap="xs">
              <Text size="sm">{t('accrochage.notConfigured.text')}</Text>
              <Text size="sm">
                {t('accrochage.notConfigured.operator')} <Code>ACCROCHAGE_CERTIFIERS</Code> {t('accrochage.notConfigured.settings')}
              </Text>
            </Stack>
          </Alert>
        )}
        {chosen && (
          <>
            {list.length > 1 ? (
              <Select
                label={t('accrochage.certifier')}
                w={360}
                allowDeselect={false}
                data={list.map((c) => ({ value: c.id, label: c.id }))}
                value={chosen.id}
                onChange={(id) => id && setParams({ certificateur: id })}
              />
            ) : null}
            <CertifierSummary certifier={chosen} />
            <Declaration key={`declare-${chosen.id}`} certifier={chosen} onDeclared={setJustDeclared} />
            <Holders key={chosen.id} certifier={chosen} justDeclared={justDeclared} />
          </>
        )}
      </Stack>
    </Dates>
  );
}

/** « RNCP37827 — Certification Data / IA… »: the certification as the CDC knows it, and as the school names it. */
function useCertificationName(certifier: Certifier) {
  const referentials = useReferentials();
  return (referentialId: string, version?: string) => {
    const declared = certifier.certifications.find((c) => c.referentialId === referentialId);
    const title = referentials.data?.find((r) => r.referential === referentialId && (!version || r.version === version))?.title;
    return { code: declared?.code ?? referentialId, title: title ?? referentialId };
  };
}

function CertifierSummary({ certifier }: { certifier: Certifier }) {
  const { t } = useTranslation();
  const name = useCertificationName(certifier);
  return (
    <Text size="sm">
      {t('accrochage.certifierSummary', { certifier: certifier.id })}{' '}
      {certifier.certifications.map((c) => `${c.code} (${name(c.referentialId).title})`).join(' ; ')}
    </Text>
  );
}

/** « Léa Marie Durand », read from the candidate's identity (a read the api records, R14); the short id until then. */

/** The link to complete or correct a candidate's identity, and back here once done. */
function identityLink(candidateId: string): { to: string; state: IdentityArrival } {
  return { to: `/candidats/${candidateId}/identite`, state: { from: ACCROCHAGE, fromLabel: 'accrochage' } };
}

/** Every award of the certifier's certifications and where it stands with the Caisse des Dépôts; page by page, by status. */
function Holders({ certifier, justDeclared }: { certifier: Certifier; justDeclared: readonly string[] }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = params.get('statut') as HoldersQuery['status'] | null;
  const page = Number(params.get('page') ?? 1);
  const query: HoldersQuery = { page, pageSize: PAGE_SIZE, ...(status ? { status } : {}) };
  const holders = useQuery({
    queryKey: ['accrochage-holders', certifier.id, query],
    retry: shouldRetry,
    placeholderData: keepPreviousData,
    // The read model follows the declaration's event a moment later: until then, read again.
    refetchInterval: (current) => (current.state.data?.some((h) => h.status === 'to-declare' && justDeclared.includes(h.enrollmentId)) ? 500 : false),
    queryFn: () => answer(api.GET('/accrochage/certifiers/{certifier}/holders', { params: { path: { certifier: certifier.id }, query } })),
  });
  const name = useCertificationName(certifier);
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };
  const today = parisToday();
  const rows = holders.data ?? [];

  return (
    <Card withBorder component="section" aria-labelledby="holders-title">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <Title order={2} size="h3" id="holders-title">
            {t('accrochage.holders.title')}
          </Title>
          <Select
            label={t('accrochage.holders.status')}
            placeholder={t('accrochage.holders.anyStatus')}
            clearable
            clearButtonProps={{ 'aria-label': t('accrochage.holders.anyStatus') }}
            w={220}
            data={STATUSES.map((s) => ({ value: s, label: t(`accrochage.status.${s}`) }))}
            value={status}
            onChange={(value) => set({ statut: value, page: null })}
          />
        </Group>
        <Text size="sm">{t('accrochage.holders.intro')}</Text>
        <QueryState isLoading={holders.isLoading} error={holders.error} />
        {holders.data && rows.length === 0 ? (
          <Text>{page > 1 ? t('accrochage.holders.noMore') : t('accrochage.holders.none')}</Text>
        ) : (
          rows.length > 0 && (
            <Table striped withTableBorder highlightOnHover aria-labelledby="holders-title">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('accrochage.holders.candidate')}</Table.Th>
                  <Table.Th>{t('accrochage.holders.certification')}</Table.Th>
                  <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('accrochage.holders.awardedAt')}</Table.Th>
                  <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('accrochage.holders.dueDate')}</Table.Th>
                  <Table.Th>{t('accrochage.holders.statusColumn')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((h: Holder) => {
                  const late = h.status === 'to-declare' && h.dueDate < today;
                  const certification = name(h.referentialId, h.version);
                  return (
                    <Table.Tr key={h.enrollmentId}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Anchor component={Link} to={`/parcours/${h.enrollmentId}`}>
                          <CandidateName candidateId={h.candidateId} />
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {certification.code}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {certification.title} · v{h.version} · {t(`accessRoute.${h.accessRoute}`)}
                        </Text>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{day(h.awardedAt)}</Table.Td>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Text size="sm" fw={late ? 700 : undefined} c={late ? 'red.9' : undefined}>
                            {day(h.dueDate)}
                          </Text>
                          {late && <ToneBadge tone="red">{t('accrochage.holders.late')}</ToneBadge>}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <ToneBadge tone={STATUS_TONES[h.status] ?? 'gray'}>{t(`accrochage.status.${h.status}`, { defaultValue: h.status })}</ToneBadge>
                        {h.declaredAt && h.declaredFluxId && (
                          <Group gap={6} mt={4} wrap="nowrap">
                            <Text size="xs">{t('accrochage.holders.declaredOn', { date: day(h.declaredAt) })}</Text>
                            <FluxButton certifier={certifier} fluxId={h.declaredFluxId} declaredOn={day(h.declaredAt)} />
                          </Group>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )
        )}
        {(page > 1 || rows.length === PAGE_SIZE) && (
          <Group gap="xs">
            <Button variant="default" size="xs" disabled={page <= 1} onClick={() => set({ page: page > 2 ? String(page - 1) : null })}>
              {t('accrochage.holders.previous')}
            </Button>
            <Text size="sm">{t('accrochage.holders.page', { page })}</Text>
            <Button variant="default" size="xs" disabled={rows.length < PAGE_SIZE} onClick={() => set({ page: String(page + 1) })}>
              {t('accrochage.holders.next')}
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

/** A declared holder's file, fetched again (the same flux every time: from its recorded event). */
function FluxButton({ certifier, fluxId, declaredOn }: { certifier: Certifier; fluxId: string; declaredOn: string }) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState<string>();
  return (
    <>
      <Button
        size="compact-xs"
        variant="subtle"
        title={fluxId}
        aria-label={t('accrochage.holders.fileOf', { flux: fluxId, date: declaredOn })}
        onClick={() => {
          setFailed(undefined);
          download(`/accrochage/certifiers/${certifier.id}/declarations/${fluxId}`, `${fluxId}.xml`).catch((error: unknown) =>
            setFailed(error instanceof ApiProblem ? problemMessage(error) : t('documents.downloadFailed')),
          );
        }}
      >
        {t('accrochage.holders.file')}
      </Button>
      {failed && (
        <Text size="xs" c="red.9" role="alert">
          {failed}
        </Text>
      )}
    </>
  );
}

interface DeclareDraft {
  from: string | null;
  to: string | null;
  redeclare: boolean;
}

/** « Produire la déclaration »: the holders not declared yet (of the period), as one flux recorded once; then its report. */
function Declaration({ certifier, onDeclared }: { certifier: Certifier; onDeclared: (enrollmentIds: string[]) => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [draft, update, clear] = useDraft<DeclareDraft>(`accrochage-declare.${certifier.id}`, { from: null, to: null, redeclare: false });
  const [report, setReport] = useState<Report>();
  const reportHeading = useRef<HTMLHeadingElement>(null);
  const act = useAct({
    name: `accrochage-declare.${certifier.id}`,
    fields: ['from', 'to', 'redeclare'],
    send: (body: Declare, key: string) =>
      answer(
        api.POST('/accrochage/certifiers/{certifier}/declarations', {
          params: { path: { certifier: certifier.id }, header: { 'Idempotency-Key': key } },
          body,
        }),
      ),
  });
  const { onSubmit, pending } = useSubmit(async () => {
    setReport(undefined);
    const produced = await act.run({
      ...(draft.from ? { from: draft.from } : {}),
      ...(draft.to ? { to: draft.to } : {}),
      ...(draft.redeclare ? { redeclare: true } : {}),
    });
    if (!produced) return;
    clear();
    setReport(produced);
    // The list says who is now declared once the read model has it.
    onDeclared(produced.declared.map((h) => h.enrollmentId));
    void queries.invalidateQueries({ queryKey: ['accrochage-holders', certifier.id] });
    setTimeout(() => reportHeading.current?.focus());
  });

  return (
    <Card withBorder component="section" aria-labelledby="declare-title">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h3" id="declare-title">
            {t('accrochage.declare.title')}
          </Title>
          <Text size="sm">{t('accrochage.declare.intro')}</Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm" maw={980}>
            <DateField
              label={t('accrochage.declare.from')}
              description={t('accrochage.declare.periodHelp')}
              {...HELP_BELOW}
              clearable
              clearButtonProps={{ 'aria-label': t('accrochage.declare.clearFrom') }}
              value={draft.from}
              onChange={(from) => update({ from })}
              error={act.errorOf('from')}
            />
            <DateField
              label={t('accrochage.declare.to')}
              description={t('accrochage.declare.periodHelp')}
              {...HELP_BELOW}
              clearable
              clearButtonProps={{ 'aria-label': t('accrochage.declare.clearTo') }}
              value={draft.to}
              onChange={(to) => update({ to })}
              error={act.errorOf('to')}
            />
          </SimpleGrid>
          <Checkbox
            label={t('accrochage.declare.redeclare')}
            description={t('accrochage.declare.redeclareHelp')}
            checked={draft.redeclare}
            onChange={(e) => update({ redeclare: e.currentTarget.checked })}
          />
          {draft.redeclare && (
            <Alert
              color="orange.9"
              variant="outline"
              title={t('accrochage.declare.redeclareWarningTitle')}
              styles={{ title: { color: 'var(--mantine-color-dark-9)' } }}
            >
              <Text size="sm">{t('accrochage.declare.redeclareWarning')}</Text>
            </Alert>
          )}
          <ActFailureNotice acts={[act]} />
          <Group>
            <SubmitButton pending={pending}>{t('accrochage.declare.submit')}</SubmitButton>
          </Group>
          {report && <DeclarationReport report={report} headingRef={reportHeading} />}
        </Stack>
      </form>
    </Card>
  );
}

/** What a declaration did, holder by holder: declared, left out, and who needs the admin. */
function DeclarationReport({ report, headingRef }: { report: Report; headingRef: Ref<HTMLHeadingElement> }) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState<string>();
  const file = report.file;
  const fluxId = report.fluxId;
  const save = () => {
    if (!file || !fluxId) return;
    setFailed(undefined);
    download(file, `${fluxId}.xml`).catch((error: unknown) => setFailed(error instanceof ApiProblem ? problemMessage(error) : t('documents.downloadFailed')));
  };
  return (
    <Stack gap="sm" role="status" mt="sm" pt="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-4)' }}>
      <Title order={3} size="h4" ref={headingRef} tabIndex={-1}>
        {fluxId ? t('accrochage.report.produced', { count: report.declared.length }) : t('accrochage.report.nothing')}
      </Title>
      {fluxId && (
        <Stack gap="xs">
          <Text size="sm">{t('accrochage.report.file', { flux: fluxId })}</Text>
          <Group>
            <Button onClick={save}>{t('accrochage.report.download')}</Button>
          </Group>
          {failed && (
            <Text size="sm" c="red.9" role="alert">
              {failed}
            </Text>
          )}
        </Stack>
      )}
      {report.alreadyDeclared > 0 && <Text size="sm">{t('accrochage.report.alreadyDeclared', { count: report.alreadyDeclared })}</Text>}
      {report.declared.length > 0 && (
        <ReportGroup title={t('accrochage.report.declared', { count: report.declared.length })} tone="green">
          {report.declared.map((h) => (
            <List.Item key={h.enrollmentId}>
              <CandidateName candidateId={h.candidateId} />
              {h.redeclared ? ` — ${t('accrochage.report.redeclared')}` : ''}
            </List.Item>
          ))}
        </ReportGroup>
      )}
      {report.refused.length > 0 && (
        <ReportGroup title={t('accrochage.report.refused', { count: report.refused.length })} tone="red" help={t('accrochage.report.refusedHelp')}>
          {report.refused.map((h) => {
            const link = identityLink(h.candidateId);
            return (
              <List.Item key={h.enrollmentId}>
                <Text size="sm" fw={600} span>
                  <CandidateName candidateId={h.candidateId} />
                </Text>
                <List size="sm" withPadding>
                  {h.problems.map((p) => (
                    <List.Item key={`${p.field}:${p.reason}`}>{holderProblem(p)}</List.Item>
                  ))}
                </List>
                <Anchor component={Link} to={link.to} state={link.state} size="sm">
                  {t('accrochage.report.complete')} <CandidateName candidateId={h.candidateId} />
                </Anchor>
              </List.Item>
            );
          })}
        </ReportGroup>
      )}
      {report.toCorrect.length > 0 && (
        <ReportGroup title={t('accrochage.report.toCorrect', { count: report.toCorrect.length })} tone="orange" help={t('accrochage.report.toCorrectHelp')}>
          {report.toCorrect.map((h) => (
            <List.Item key={h.enrollmentId}>
              <Anchor component={Link} to={`/parcours/${h.enrollmentId}`} size="sm">
                <CandidateName candidateId={h.candidateId} />
              </Anchor>{' '}
              — {t('accrochage.report.declaredAs', { id: h.idTechnique, flux: h.declaredFluxId ?? '—' })}
            </List.Item>
          ))}
        </ReportGroup>
      )}
      {report.erased.length > 0 && (
        <ReportGroup title={t('accrochage.report.erased', { count: report.erased.length })} tone="gray" help={t('accrochage.report.erasedHelp')}>
          {report.erased.map((h) => (
            <List.Item key={h.enrollmentId}>
              <Anchor component={Link} to={`/parcours/${h.enrollmentId}`} size="sm">
                {t('accrochage.report.path', { id: h.candidateId.slice(0, 8) })}
              </Anchor>
            </List.Item>
          ))}
        </ReportGroup>
      )}
      {report.annulled.length > 0 && (
        <ReportGroup title={t('accrochage.report.annulled', { count: report.annulled.length })} tone="gray" help={t('accrochage.report.annulledHelp')}>
          {report.annulled.map((h) => (
            <List.Item key={h.enrollmentId}>
              <Anchor component={Link} to={`/parcours/${h.enrollmentId}`} size="sm">
                <CandidateName candidateId={h.candidateId} />
              </Anchor>
            </List.Item>
          ))}
        </ReportGroup>
      )}
    </Stack>
  );
}

function ReportGroup({ title, tone, help, children }: { title: string; tone: Tone; help?: string; children: ReactNode }) {
  return (
    <Stack gap={4} pl="sm" style={{ borderLeft: `4px solid var(--mantine-color-${tone}-${tone === 'gray' ? 6 : 8})` }}>
      <Text size="sm" fw={700}>
        {title}
      </Text>
      {help && <Text size="sm">{help}</Text>}
      <List size="sm" spacing={6}>
        {children}
      </List>
    </Stack>
  );
}
