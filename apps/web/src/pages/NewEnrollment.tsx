import '@mantine/core/styles/Radio.css';
import { Alert, Anchor, Button, Card, Checkbox, Group, Radio, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { answer, api, shouldRetry } from '../api/client';
import type { components } from '../api/schema';
import { currentSession } from '../auth/session';
import { ActFailureNotice, HELP_BELOW, SubmitButton, useAct, useDraft, useSubmit } from '../components/ActForm';
import { DateField, Dates } from '../components/Dates';
import { EMPTY_IDENTITY, Identity, IDENTITY_FIELDS, IdentityDraft, IdentityFields, identityOf } from '../components/IdentityFields';
import { QueryState } from '../components/Problem';
import { ToneBadge } from '../components/Tone';
import { useReferentials } from './referentials';

type Enrollment = components['schemas']['EnrollRequest'];
type Summary = components['schemas']['ReferentialSummary'];
type Version = components['schemas']['ReferentialView'];

/** What the admin types, kept on this tab until the enrollment is recorded. */
interface Draft extends IdentityDraft {
  /** Set once the candidate is registered: a retry then only enrolls them. */
  candidateId?: string;
  /** `referential@version`. */
  certification: string | null;
  accessRoute: string | null;
  cohort: string;
  /** Option group → the blocs chosen in it (none: chosen later). */
  options: Record<string, string[]>;
  masterId: string;
  company: string;
  trainingStartDate: string | null;
  /** Who took the initiative of the registration; on the VAE route, its voie (both declared in the accrochage). */
  registrationInitiative: string | null;
  vaeVoie: string | null;
}

const EMPTY: Draft = {
  ...EMPTY_IDENTITY,
  certification: null,
  accessRoute: null,
  cohort: '',
  options: {},
  masterId: '',
  company: '',
  trainingStartDate: null,
  registrationInitiative: null,
  vaeVoie: null,
};

const INITIATIVES = ['candidate', 'training-organisation', 'france-travail', 'employer', 'other'] as const;
const VAE_VOIES = ['conge-vae', 'vae-classique'] as const;
const ENROLLMENT_FIELDS = [
  'candidateId',
  'referentialId',
  'version',
  'accessRoute',
  'cohort',
  'optionBlocs',
  'apprenticeship.masterId',
  'apprenticeship.company',
  'trainingStartDate',
  'registrationInitiative',
  'vaeVoie',
] as const;
const LATER = 'later';

function certificationOf(d: Draft): { referentialId: string; version: string } {
  const at = d.certification?.indexOf('@') ?? -1;
  return at < 0 ? { referentialId: '', version: '' } : { referentialId: d.certification!.slice(0, at), version: d.certification!.slice(at + 1) };
}

/** Whether enrolling on `route` names the maître d'apprentissage: an épreuve owed on it is theirs to assess (as the api decides). */
function needsMaster(version: Version | undefined, route: string | null): boolean {
  if (!version || !route) return false;
  return version.blocs.some((b) => b.epreuves.some((e) => e.assessorKind === 'maitre-apprentissage' && (!e.routes || (e.routes as string[]).includes(route))));
}

/**
 * An admin registers a candidate and enrolls them in a certification version: the identity as the
 * api takes it, then the version (withdrawn ones are not offered), the route it is open to, the
 * option, the maître d'apprentissage where the route has one, the start of the training. One
 * button records both acts; the path then opens, read as far as the enrollment.
 */
export function NewEnrollment() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [draft, update, clear] = useDraft<Draft>('new-enrollment', EMPTY);
  const referentials = useReferentials();
  const { referentialId, version } = certificationOf(draft);
  const summary: Summary | undefined = referentials.data?.find((r) => r.referential === referentialId && r.version === version);
  const detail = useQuery({
    queryKey: ['referential', referentialId, version],
    enabled: Boolean(summary),
    retry: shouldRetry,
    queryFn: () => answer(api.GET('/referentials/{referential}/versions/{version}', { params: { path: { referential: referentialId, version } } })),
  });
  const master = needsMaster(detail.data, draft.accessRoute);

  const register = useAct({
    name: 'register-candidate',
    fields: IDENTITY_FIELDS,
    send: (body: Identity, key: string) => answer(api.POST('/candidates', { body, params: { header: { 'Idempotency-Key': key } } })),
  });
  const enroll = useAct({
    name: 'enroll',
    fields: ENROLLMENT_FIELDS,
    codeFields: {
      'ENROLLMENT.VERSION_WITHDRAWN': 'version',
      'ENROLLMENT.VERSION_MISMATCH': 'version',
      'REFERENTIAL.NOT_FOUND': 'version',
      'OPTION.UNKNOWN_BLOC': 'optionBlocs',
      'OPTION.NOT_AN_OPTION_BLOC': 'optionBlocs',
      'OPTION.DUPLICATE_BLOC': 'optionBlocs',
      'OPTION.TOO_MANY_IN_GROUP': 'optionBlocs',
    },
    send: (body: Enrollment, key: string) => answer(api.POST('/enrollments', { body, params: { header: { 'Idempotency-Key': key } } })),
  });

  const { onSubmit, pending } = useSubmit(async () => {
    enroll.dismiss();
    let candidateId = draft.candidateId;
    if (!candidateId) {
      const registered = await register.run(identityOf(draft));
      if (!registered) return;
      candidateId = registered.id;
      update({ candidateId });
    }
    const groups = summary?.optionGroups.map((g) => g.code) ?? [];
    const outcome = await enroll.run({
      candidateId,
      referentialId,
      version,
      cohort: draft.cohort.trim(),
      accessRoute: (draft.accessRoute ?? '') as Enrollment['accessRoute'],
      optionBlocs: groups.flatMap((group) => draft.options[group] ?? []),
      ...(master && (draft.masterId.trim() || draft.company.trim())
        ? { apprenticeship: { masterId: draft.masterId.trim(), company: draft.company.trim() } }
        : {}),
      ...(draft.trainingStartDate ? { trainingStartDate: draft.trainingStartDate } : {}),
      ...(draft.registrationInitiative ? { registrationInitiative: draft.registrationInitiative as Enrollment['registrationInitiative'] } : {}),
      ...(draft.accessRoute === 'vae' && draft.vaeVoie ? { vaeVoie: draft.vaeVoie as Enrollment['vaeVoie'] } : {}),
    });
    if (!outcome) return;
    clear();
    void queries.invalidateQueries({ queryKey: ['enrollments'] });
    navigate(`/parcours/${outcome.id}`, { state: { consistentWith: outcome.position, recorded: 'enrolled' } });
  });

  if (currentSession()?.role !== 'admin')
    return (
      <Alert color="red.9" variant="outline" role="alert">
        {t('errors.forbidden', { role: t(`roles.${currentSession()?.role ?? ''}`) })}
      </Alert>
    );

  const open = (referentials.data ?? []).filter((r) => !r.withdrawn);
  const identity = identityOf(draft);
  const date = (iso: string) => new Date(`${iso}T12:00:00Z`).toLocaleDateString(i18n.language === 'fr' ? 'fr-FR' : 'en-GB');
  const choose = (certification: string | null) => {
    const chosen = (referentials.data ?? []).find((r) => `${r.referential}@${r.version}` === certification);
    // A route or an option of another version does not carry over.
    update((d) => ({
      ...d,
      certification,
      accessRoute: chosen && d.accessRoute && (chosen.accessRoutes as string[]).includes(d.accessRoute) ? d.accessRoute : null,
      options: {},
    }));
  };

  return (
    <Dates>
      <form onSubmit={onSubmit} noValidate>
        <Stack maw={980}>
          <Anchor component={Link} to="/inscriptions" size="sm">
            ← {t('path.back')}
          </Anchor>
          <Title order={1}>{t('newEnrollment.title')}</Title>
          <Text>{t('newEnrollment.intro')}</Text>

          <Card withBorder>
            <Title order={2} size="h3" mb="sm">
              {t('newEnrollment.candidate')}
            </Title>
            {draft.candidateId ? (
              <Stack gap={4}>
                <Group gap="sm">
                  <Text fw={600}>
                    {identity.firstNames.join(' ')} {identity.usageName ?? identity.birthName}
                    {identity.usageName
                      ? ` (${t(identity.sex === 'F' ? 'newEnrollment.bornNameF' : 'newEnrollment.bornNameM', { name: identity.birthName })})`
                      : ''}
                  </Text>
                  <ToneBadge tone="green">{t('newEnrollment.registered')}</ToneBadge>
                </Group>
                <Text size="sm">
                  {t(identity.sex === 'F' ? 'newEnrollment.bornOnF' : 'newEnrollment.bornOnM', {
                    date: identity.birthDate ? date(identity.birthDate) : '—',
                    place: identity.birthPlace,
                  })}{' '}
                  · {identity.email}
                </Text>
                {enroll.errorOf('candidateId') && (
                  <Text size="sm" c="red.9" role="alert">
                    {enroll.errorOf('candidateId')}
                  </Text>
                )}
                <Group>
                  <Button
                    variant="subtle"
                    size="compact-sm"
                    onClick={() => {
                      update({
                        ...EMPTY,
                        candidateId: undefined,
                        certification: draft.certification,
                        accessRoute: draft.accessRoute,
                        cohort: draft.cohort,
                        options: draft.options,
                      });
                      enroll.dismiss();
                    }}
                  >
                    {t('newEnrollment.another')}
                  </Button>
                </Group>
              </Stack>
            ) : (
              <IdentityFields draft={draft} update={update} errorOf={register.errorOf} />
            )}
          </Card>

          <Card withBorder>
            <Title order={2} size="h3" mb="sm">
              {t('newEnrollment.enrollment')}
            </Title>
            <QueryState isLoading={referentials.isLoading} error={referentials.error} />
            <Stack gap="sm">
              <Select
                label={t('newEnrollment.certification')}
                placeholder={t('newEnrollment.certificationPlaceholder')}
                withAsterisk
                searchable
                data={open.map((r) => ({ value: `${r.referential}@${r.version}`, label: `${r.title} (v${r.version})` }))}
                value={summary ? draft.certification : null}
                onChange={choose}
                error={enroll.errorOf('version') ?? enroll.errorOf('referentialId')}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
                <Select
                  label={t('newEnrollment.accessRoute')}
                  placeholder={summary ? t('newEnrollment.accessRoutePlaceholder') : t('newEnrollment.certificationFirst')}
                  withAsterisk
                  disabled={!summary}
                  data={(summary?.accessRoutes ?? []).map((route) => ({ value: route, label: t(`accessRoute.${route}`) }))}
                  value={draft.accessRoute}
                  onChange={(accessRoute) => update({ accessRoute })}
                  error={enroll.errorOf('accessRoute')}
                />
                <TextInput
                  label={t('newEnrollment.cohort')}
                  placeholder={t('newEnrollment.cohortPlaceholder')}
                  withAsterisk
                  autoComplete="off"
                  value={draft.cohort}
                  onChange={(e) => update({ cohort: e.currentTarget.value })}
                  error={enroll.errorOf('cohort')}
                />
                <Select
                  label={t('newEnrollment.registrationInitiative')}
                  description={t('newEnrollment.registrationInitiativeHelp')}
                  {...HELP_BELOW}
                  placeholder={t('newEnrollment.notSaid')}
                  clearable
                  clearButtonProps={{ 'aria-label': t('newEnrollment.clearInitiative') }}
                  data={INITIATIVES.map((i) => ({ value: i, label: t(`registrationInitiative.${i}`) }))}
                  value={draft.registrationInitiative}
                  onChange={(registrationInitiative) => update({ registrationInitiative })}
                  error={enroll.errorOf('registrationInitiative')}
                />
                {draft.accessRoute === 'vae' && (
                  <Select
                    label={t('newEnrollment.vaeVoie')}
                    description={t('newEnrollment.vaeVoieHelp')}
                    {...HELP_BELOW}
                    placeholder={t('newEnrollment.notSaid')}
                    clearable
                    clearButtonProps={{ 'aria-label': t('newEnrollment.clearVaeVoie') }}
                    data={VAE_VOIES.map((v) => ({ value: v, label: t(`vaeVoie.${v}`) }))}
                    value={draft.vaeVoie}
                    onChange={(vaeVoie) => update({ vaeVoie })}
                    error={enroll.errorOf('vaeVoie')}
                  />
                )}
              </SimpleGrid>
              {summary?.optionGroups.map((group, i) => {
                const blocs = summary.blocs.filter((b) => b.optionGroup === group.code);
                const chosen = draft.options[group.code] ?? [];
                const setChosen = (codes: string[]) => update((d) => ({ ...d, options: { ...d.options, [group.code]: codes } }));
                const common = {
                  label: group.title,
                  description: t('newEnrollment.optionHelp', { count: group.choose }),
                  error: i === 0 ? enroll.errorOf('optionBlocs') : undefined,
                };
                const blocLabel = (b: (typeof blocs)[number]) =>
                  `${b.code} — ${b.optionLabel ?? b.title ?? ''}${b.optionLabel && b.title ? ` : ${b.title}` : ''}`;
                return group.choose === 1 ? (
                  <Radio.Group key={group.code} {...common} value={chosen[0] ?? LATER} onChange={(code) => setChosen(code === LATER ? [] : [code])}>
                    <Stack gap={6} mt={6}>
                      {blocs.map((b) => (
                        <Radio key={b.code} value={b.code} label={blocLabel(b)} />
                      ))}
                      <Radio value={LATER} label={t('newEnrollment.optionLater')} />
                    </Stack>
                  </Radio.Group>
                ) : (
                  <Checkbox.Group key={group.code} {...common} value={chosen} onChange={setChosen}>
                    <Stack gap={6} mt={6}>
                      {blocs.map((b) => (
                        <Checkbox key={b.code} value={b.code} label={blocLabel(b)} />
                      ))}
                    </Stack>
                  </Checkbox.Group>
                );
              })}
              {master && (
                <Card withBorder bg="gray.0" padding="sm">
                  <Text size="sm" fw={600}>
                    {t('newEnrollment.master')}
                  </Text>
                  <Text size="sm" mb="xs">
                    {t('newEnrollment.masterHelp')}
                  </Text>
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                    <TextInput
                      label={t('newEnrollment.masterId')}
                      description={t('newEnrollment.masterIdHelp')}
                      {...HELP_BELOW}
                      withAsterisk
                      autoComplete="off"
                      value={draft.masterId}
                      onChange={(e) => update({ masterId: e.currentTarget.value })}
                      error={enroll.errorOf('apprenticeship.masterId')}
                    />
                    <TextInput
                      label={t('newEnrollment.company')}
                      description={t('newEnrollment.companyHelp')}
                      {...HELP_BELOW}
                      withAsterisk
                      autoComplete="off"
                      value={draft.company}
                      onChange={(e) => update({ company: e.currentTarget.value })}
                      error={enroll.errorOf('apprenticeship.company')}
                    />
                  </SimpleGrid>
                </Card>
              )}
              <DateField
                label={t('newEnrollment.trainingStartDate')}
                description={t('newEnrollment.trainingStartDateHelp')}
                {...HELP_BELOW}
                clearable
                clearButtonProps={{ 'aria-label': t('newEnrollment.clearDate') }}
                w={{ base: '100%', sm: 'calc(50% - var(--mantine-spacing-md) / 2)' }}
                value={draft.trainingStartDate}
                onChange={(trainingStartDate) => update({ trainingStartDate })}
                error={enroll.errorOf('trainingStartDate')}
              />
            </Stack>
          </Card>

          <ActFailureNotice acts={[register, enroll]} />
          <Group justify="space-between">
            <SubmitButton pending={pending}>{draft.candidateId ? t('newEnrollment.submitEnroll') : t('newEnrollment.submit')}</SubmitButton>
            <Button
              variant="subtle"
              color="dark"
              disabled={pending}
              onClick={() => {
                clear();
                register.dismiss();
                enroll.dismiss();
              }}
            >
              {t('newEnrollment.discard')}
            </Button>
          </Group>
          <Text size="sm" c="dimmed">
            {t('newEnrollment.draftKept')}
          </Text>
        </Stack>
      </form>
    </Dates>
  );
}
