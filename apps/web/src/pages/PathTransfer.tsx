import '@mantine/core/styles/Radio.css';
import { Alert, Button, Card, Checkbox, Group, List, Radio, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { answer, api } from '../api/client';
import type { components } from '../api/schema';
import { currentSession } from '../auth/session';
import { ActFailureNotice, SubmitButton, useAct, useDraft, useSubmit } from '../components/ActForm';
import { QueryState } from '../components/Problem';
import { ToneBadge } from '../components/Tone';
import { BLOC_TONES } from './jury';
import { ClosureArrival, ClosureHeader, isOpenPath } from './path-closure';
import { pathQuery, useReferentials } from './referentials';
import { PathView } from './sittings';

type Transfer = components['schemas']['TransferRequest'];
type Summary = components['schemas']['ReferentialSummary'];
type Bloc = PathView['blocs'][number];

/** A source bloc the admin chose not to carry. */
const NONE = '-';
const LATER = 'later';

/** What the admin chooses, kept on this tab until the transfer is recorded. */
interface Draft {
  /** `referential@version`. */
  target: string | null;
  /** Source bloc → the target bloc it carries to, or NONE; absent: the bloc of the same code, where the target has one. */
  carry: Record<string, string>;
  /** Option group of the target → the blocs chosen in it; absent: the path's own options found there. */
  options: Record<string, string[]>;
}
const EMPTY: Draft = { target: null, carry: {}, options: {} };

const FIELDS_WITHOUT_OPTIONS = ['toVersion', 'carriedBlocs'];

function targetOf(draft: Draft): { toReferentialId: string; toVersion: string } {
  const at = draft.target?.indexOf('@') ?? -1;
  return at < 0 ? { toReferentialId: '', toVersion: '' } : { toReferentialId: draft.target!.slice(0, at), toVersion: draft.target!.slice(at + 1) };
}

const blocName = (bloc: { code: string; title?: string }) => (bloc.title ? `${bloc.code} — ${bloc.title}` : bloc.code);

/**
 * The transfer the admin is about to ask for, as the console works it out from the path and the
 * target version (the api offers no dry run of a transfer): each validated bloc of the path and
 * where it carries; the target's option choice, the blocs carried into an option choosing it (as
 * the api requires).
 */
function planOf(path: PathView, target: Summary | undefined, draft: Draft) {
  const targetBlocs = new Map((target?.blocs ?? []).map((b) => [b.code, b]));
  const carried = path.blocs
    .filter((b) => b.status === 'validated')
    .map((b) => ({ from: b, to: draft.carry[b.code] ?? (targetBlocs.has(b.code) ? b.code : NONE) }))
    .filter((c) => c.to !== NONE && targetBlocs.has(c.to));
  const groups = (target?.optionGroups ?? []).map((group) => {
    const inGroup = (target?.blocs ?? []).filter((b) => b.optionGroup === group.code);
    const codes = new Set(inGroup.map((b) => b.code));
    const forced = carried.map((c) => c.to).filter((code) => codes.has(code));
    const own = draft.options[group.code] ?? path.options.map((o) => o.bloc).filter((code) => codes.has(code));
    const chosen = group.choose === 1 && forced.length > 0 ? forced : [...new Set([...forced, ...own.filter((code) => codes.has(code))])];
    return { group, blocs: inGroup, forced, chosen };
  });
  return {
    carried,
    groups,
    optionBlocs: groups.flatMap((g) => g.chosen),
    carriedBlocs: carried.map((c) => ({ fromBloc: c.from.code, toBloc: c.to })),
  };
}

/**
 * An admin transfers a path to another version of its référentiel (or another certification), R13:
 * the version, then the correspondence of the path's validated blocs bloc by bloc, then a preview
 * of the new path (what is carried, what is left to pass, what is not taken over) before the admin
 * confirms. The new path then opens, read as far as the transfer; the old one stays, transferred.
 */
export function PathTransfer() {
  const { t, i18n } = useTranslation();
  const { enrollmentId = '' } = useParams();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const path = useQuery(pathQuery(enrollmentId));
  const referentials = useReferentials();
  const [draft, update, clear] = useDraft<Draft>(`transfer.${enrollmentId}`, EMPTY);
  const { toReferentialId, toVersion } = targetOf(draft);
  const target = referentials.data?.find((r) => r.referential === toReferentialId && r.version === toVersion);
  const plan = path.data ? planOf(path.data, target, draft) : undefined;
  const act = useAct({
    name: `transfer.${enrollmentId}`,
    // The option's refusals show beside it where the target has options.
    fields: target?.optionGroups.length ? [...FIELDS_WITHOUT_OPTIONS, 'optionBlocs'] : FIELDS_WITHOUT_OPTIONS,
    codeFields: {
      'TRANSFER.SAME_VERSION': 'toVersion',
      'ENROLLMENT.VERSION_WITHDRAWN': 'toVersion',
      'REFERENTIAL.NOT_FOUND': 'toVersion',
      'TRANSFER.UNKNOWN_TARGET_BLOC': 'carriedBlocs',
      'TRANSFER.DUPLICATE_BLOC': 'carriedBlocs',
      'TRANSFER.BLOC_NOT_ACQUIRED': 'carriedBlocs',
      'OPTION.UNKNOWN_BLOC': 'optionBlocs',
      'OPTION.NOT_AN_OPTION_BLOC': 'optionBlocs',
      'OPTION.DUPLICATE_BLOC': 'optionBlocs',
      'OPTION.TOO_MANY_IN_GROUP': 'optionBlocs',
    },
    send: (body: Transfer, key: string) =>
      answer(api.POST('/enrollments/{enrollmentId}/transfer', { params: { path: { enrollmentId }, header: { 'Idempotency-Key': key } }, body })),
  });
  const { onSubmit, pending } = useSubmit(async () => {
    if (!plan) return;
    const outcome = await act.run({ toReferentialId, toVersion, carriedBlocs: plan.carriedBlocs, optionBlocs: plan.optionBlocs });
    if (!outcome) return;
    clear();
    void queries.invalidateQueries({ queryKey: ['path', enrollmentId] });
    void queries.invalidateQueries({ queryKey: ['enrollments'] });
    navigate(`/parcours/${outcome.id}`, {
      state: { consistentWith: outcome.position, recorded: 'transferred', from: enrollmentId, carried: plan.carriedBlocs.length } satisfies ClosureArrival,
    });
  });

  const role = currentSession()?.role ?? '';
  if (role !== 'admin')
    return (
      <Alert color="red.9" variant="outline" role="alert">
        {t('errors.forbidden', { role: t(`roles.${role}`) })}
      </Alert>
    );
  if (!path.data || !plan) return <QueryState isLoading={path.isLoading} error={path.error} />;
  const p = path.data;
  const date = (iso: string) => new Date(iso).toLocaleDateString(i18n.language === 'fr' ? 'fr-FR' : 'en-GB');
  const validated = p.blocs.filter((b) => b.status === 'validated');
  // Every published version taking enrollments, but the path's own; those not open to its route cannot take it.
  const versions = (referentials.data ?? []).filter(
    (r) => !r.withdrawn && !(r.referential === p.certification.referentialId && r.version === p.certification.version),
  );
  const option = (r: Summary) => {
    const open = (r.accessRoutes as string[]).includes(p.accessRoute);
    return {
      value: `${r.referential}@${r.version}`,
      label: open
        ? `${r.title} (v${r.version})`
        : t('closure.transfer.notOpen', { title: r.title, version: r.version, route: t(`accessRoute.${p.accessRoute}`) }),
      disabled: !open,
    };
  };
  const same = versions.filter((r) => r.referential === p.certification.referentialId).map(option);
  const others = versions.filter((r) => r.referential !== p.certification.referentialId).map(option);
  const choose = (value: string | null) => {
    update({ target: value, carry: {}, options: {} });
    act.dismiss();
  };
  const carriedTo = new Map(plan.carried.map((c) => [c.to, c.from]));
  const pendingSittings = p.sittings.filter((s) => s.status === 'scheduled').length;
  const requirements = p.extraRequirements.filter((r) => r.validated).map((r) => r.code);
  // Blocs with assessments but not validated: their assessments stay behind; a validatable one could still be validated first.
  const assessed = p.blocs.filter((b) => b.status === 'in-progress' || b.status === 'validatable').map((b) => b.code);
  const validatable = p.blocs.filter((b) => b.status === 'validatable').map((b) => b.code);

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack maw={1100}>
        <ClosureHeader path={p} title={t('closure.transfer.title')} withRoute />
        {isOpenPath(p) && (
          <>
            <Text maw={900}>{t('closure.transfer.intro')}</Text>
            <QueryState isLoading={referentials.isLoading} error={referentials.error} />
            <Select
              label={t('closure.transfer.target')}
              description={t('closure.transfer.targetHelp')}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              placeholder={t('closure.transfer.targetPlaceholder')}
              nothingFoundMessage={t('closure.transfer.noTarget')}
              withAsterisk
              searchable
              maw={640}
              data={[
                ...(same.length ? [{ group: t('closure.transfer.sameCertification'), items: same }] : []),
                ...(others.length ? [{ group: t('closure.transfer.otherCertifications'), items: others }] : []),
              ]}
              value={target ? draft.target : null}
              onChange={choose}
              error={act.errorOf('toVersion')}
            />
            {versions.length === 0 && !referentials.isLoading && <Text size="sm">{t('closure.transfer.noTarget')}</Text>}

            {target && (
              <>
                <Card withBorder component="section" aria-labelledby="transfer-correspondence">
                  <Title order={2} size="h3" id="transfer-correspondence">
                    {t('closure.transfer.correspondence')}
                  </Title>
                  <Text size="sm" mt={4} mb="sm">
                    {validated.length === 0 ? t('closure.transfer.nothingValidated') : t('closure.transfer.correspondenceHelp')}
                  </Text>
                  {act.errorOf('carriedBlocs') && (
                    <Text size="sm" c="red.9" fw={500} mb="sm">
                      {act.errorOf('carriedBlocs')}
                    </Text>
                  )}
                  <Table withTableBorder layout="fixed">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th w="40%">{t('closure.transfer.sourceBloc', { version: p.certification.version })}</Table.Th>
                        <Table.Th w="20%">{t('path.status')}</Table.Th>
                        <Table.Th>{t('closure.transfer.carryTo', { version: target.version })}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {p.blocs.map((b) => (
                        <SourceRow
                          key={b.code}
                          bloc={b}
                          target={target}
                          value={plan.carried.find((c) => c.from.code === b.code)?.to ?? NONE}
                          taken={carriedTo}
                          date={date}
                          onChange={(to) => update((d) => ({ ...d, carry: { ...d.carry, [b.code]: to } }))}
                        />
                      ))}
                    </Table.Tbody>
                  </Table>
                </Card>

                {plan.groups.length > 0 && (
                  <Card withBorder component="section" aria-labelledby="transfer-options">
                    <Title order={2} size="h3" id="transfer-options" mb="xs">
                      {t('closure.transfer.options')}
                    </Title>
                    <Stack gap="sm">
                      {plan.groups.map(({ group, blocs, forced, chosen }, i) => {
                        const setChosen = (codes: string[]) => update((d) => ({ ...d, options: { ...d.options, [group.code]: codes } }));
                        const common = {
                          label: group.title,
                          description: forced.length ? t('closure.transfer.optionForced', { blocs: forced.join(', ') }) : undefined,
                          error: i === 0 ? act.errorOf('optionBlocs') : undefined,
                        };
                        const label = (b: (typeof blocs)[number]) => `${b.code} — ${b.optionLabel ?? b.title ?? ''}`;
                        return group.choose === 1 ? (
                          <Radio.Group key={group.code} {...common} value={chosen[0] ?? LATER} onChange={(code) => setChosen(code === LATER ? [] : [code])}>
                            <Stack gap={6} mt={6}>
                              {blocs.map((b) => (
                                <Radio key={b.code} value={b.code} label={label(b)} disabled={forced.length > 0} />
                              ))}
                              <Radio value={LATER} label={t('newEnrollment.optionLater')} disabled={forced.length > 0} />
                            </Stack>
                          </Radio.Group>
                        ) : (
                          <Checkbox.Group key={group.code} {...common} value={chosen} onChange={setChosen}>
                            <Stack gap={6} mt={6}>
                              {blocs.map((b) => (
                                <Checkbox key={b.code} value={b.code} label={label(b)} disabled={forced.includes(b.code)} />
                              ))}
                            </Stack>
                          </Checkbox.Group>
                        );
                      })}
                    </Stack>
                  </Card>
                )}

                <Card withBorder component="section" aria-labelledby="transfer-preview" style={{ borderColor: 'var(--mantine-color-blue-9)' }}>
                  <Title order={2} size="h3" id="transfer-preview">
                    {t('closure.transfer.preview')}
                  </Title>
                  <Text size="sm" mt={4} mb="sm">
                    {t('closure.transfer.previewIntro', {
                      title: target.title,
                      version: target.version,
                      cohort: p.cohort,
                      route: t(`accessRoute.${p.accessRoute}`),
                    })}
                  </Text>
                  <Text fw={600} mb="xs">
                    {t('closure.transfer.previewCount', { count: plan.carried.length })}{' '}
                    {t('closure.transfer.previewToPass', {
                      count: target.blocs.filter((b) => !carriedTo.has(b.code) && (!b.optionGroup || plan.optionBlocs.includes(b.code))).length,
                    })}
                  </Text>
                  <Table withTableBorder striped layout="fixed">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th w="50%">{t('closure.transfer.targetBloc', { version: target.version })}</Table.Th>
                        <Table.Th>{t('closure.transfer.inNewPath')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {target.blocs.map((b) => {
                        const from = carriedTo.get(b.code);
                        const outsideOption = b.optionGroup && !plan.optionBlocs.includes(b.code);
                        return (
                          <Table.Tr key={b.code}>
                            <Table.Td>{blocName(b)}</Table.Td>
                            <Table.Td>
                              {from ? (
                                <Group gap="xs">
                                  <ToneBadge tone="green">{t('closure.transfer.carried')}</ToneBadge>
                                  <Text size="sm">
                                    {t('closure.transfer.carriedFrom', { bloc: from.code, date: from.validatedAt ? date(from.validatedAt) : '—' })}
                                  </Text>
                                </Group>
                              ) : outsideOption ? (
                                <ToneBadge tone="gray">{t('path.optional')}</ToneBadge>
                              ) : (
                                <ToneBadge tone="blue">{t('closure.transfer.toPass')}</ToneBadge>
                              )}
                            </Table.Td>
                          </Table.Tr>
                        );
                      })}
                    </Table.Tbody>
                  </Table>
                  <Title order={3} size="h5" mt="md" mb={4}>
                    {t('closure.transfer.notTaken')}
                  </Title>
                  <List size="sm" spacing={2}>
                    {validated.length > plan.carried.length && (
                      <List.Item>
                        {t('closure.transfer.notCarried', {
                          blocs: validated
                            .filter((b) => !plan.carried.some((c) => c.from.code === b.code))
                            .map((b) => b.code)
                            .join(', '),
                        })}
                      </List.Item>
                    )}
                    {assessed.length > 0 && <List.Item>{t('closure.transfer.notTakenAssessments', { blocs: assessed.join(', ') })}</List.Item>}
                    {pendingSittings > 0 && <List.Item>{t('closure.transfer.notTakenSittings', { count: pendingSittings })}</List.Item>}
                    {requirements.length > 0 && <List.Item>{t('closure.transfer.notTakenRequirements', { codes: requirements.join(', ') })}</List.Item>}
                    <List.Item>{t('closure.transfer.notTakenAccommodations')}</List.Item>
                  </List>
                  {validatable.length > 0 && (
                    <Alert color="orange.9" variant="outline" mt="sm" styles={{ message: { color: 'var(--mantine-color-dark-9)' } }}>
                      {t('closure.transfer.validatable', { blocs: validatable.join(', ') })}
                    </Alert>
                  )}
                  <Text size="sm" c="dimmed" mt="sm">
                    {t('closure.transfer.previewNotChecked')}
                  </Text>
                </Card>
              </>
            )}

            <ActFailureNotice acts={[act]} />
            <Group>
              <SubmitButton pending={pending} disabled={!target} aria-describedby={target ? undefined : 'transfer-needs-target'}>
                {t('closure.transfer.submit')}
              </SubmitButton>
              <Button component={Link} to={`/parcours/${enrollmentId}`} variant="default" disabled={pending}>
                {t('closure.cancel')}
              </Button>
            </Group>
            {!target && (
              <Text size="sm" id="transfer-needs-target">
                {t('closure.transfer.needsTarget')}
              </Text>
            )}
            <Text size="sm" c="dimmed">
              {t('closure.draftKept')}
            </Text>
          </>
        )}
      </Stack>
    </form>
  );
}

/** A bloc of the path: its status, and for a validated one, the bloc of the target it carries to (or none). */
function SourceRow({
  bloc,
  target,
  value,
  taken,
  date,
  onChange,
}: {
  bloc: Bloc;
  target: Summary;
  value: string;
  taken: Map<string, Bloc>;
  date: (iso: string) => string;
  onChange: (to: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <Table.Tr>
      <Table.Td>{blocName(bloc)}</Table.Td>
      <Table.Td>
        <Stack gap={2} align="flex-start">
          <ToneBadge tone={BLOC_TONES[bloc.status] ?? 'gray'}>{t(`blocStatus.${bloc.status}`)}</ToneBadge>
          {bloc.validatedAt && <Text size="xs">{t('path.validatedAt', { date: date(bloc.validatedAt) })}</Text>}
        </Stack>
      </Table.Td>
      <Table.Td>
        {bloc.status === 'validated' ? (
          <Select
            aria-label={t('closure.transfer.carryOf', { bloc: bloc.code })}
            allowDeselect={false}
            data={[
              { value: NONE, label: t('closure.transfer.dontCarry') },
              // A target bloc receives one bloc: those another row carries to are not offered again.
              ...target.blocs.map((b) => ({ value: b.code, label: blocName(b), disabled: taken.has(b.code) && taken.get(b.code)!.code !== bloc.code })),
            ]}
            value={value}
            onChange={(to) => onChange(to ?? NONE)}
          />
        ) : (
          <Text size="sm">{t('closure.transfer.notValidated')}</Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
