import '@mantine/core/styles/Radio.css';
import { Checkbox, Group, Radio, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { components } from '../api/schema';
import { HELP_BELOW } from './ActForm';
import { DateField } from './Dates';

/**
 * A candidate's identity as an admin types it, once for both acts that take it: the registration
 * (POST /candidates) and its completion or correction (POST /candidates/{id}/identity-amendments),
 * with the birth place codes the accrochage declares to the Caisse des Dépôts.
 */

export type Identity = components['schemas']['RegisterCandidateRequest'];
export type RecordedIdentity = components['schemas']['CandidateIdentityView'];
type Codes = NonNullable<Identity['birthPlaceCodes']>;

/** What the admin types; kept in the form's draft. */
export interface IdentityDraft {
  birthName: string;
  usageName: string;
  /** As typed: first names separated by commas, in civil-status order. */
  firstNames: string;
  birthDate: string | null;
  sex: string | null;
  birthPlace: string;
  email: string;
  bornAbroad: boolean;
  inseeCode: string;
  postalCode: string;
  countryCode: string;
  countryName: string;
}

export const EMPTY_IDENTITY: IdentityDraft = {
  birthName: '',
  usageName: '',
  firstNames: '',
  birthDate: null,
  sex: null,
  birthPlace: '',
  email: '',
  bornAbroad: false,
  inseeCode: '',
  postalCode: '',
  countryCode: '',
  countryName: '',
};

/** The identity's fields as the api names them in its refusals. */
export const IDENTITY_FIELDS = [
  'birthName',
  'usageName',
  'firstNames',
  'birthDate',
  'sex',
  'birthPlace',
  'birthPlaceCodes.inseeCode',
  'birthPlaceCodes.postalCode',
  'birthPlaceCodes.countryCode',
  'birthPlaceCodes.countryName',
  'email',
] as const;

/** The codes typed, without the empty ones (born in France: the commune's; abroad: the country's); none: undefined. */
function codesOf(d: IdentityDraft): Codes | undefined {
  const typed = d.bornAbroad
    ? { inseeCode: d.inseeCode, countryCode: d.countryCode, countryName: d.countryName }
    : { inseeCode: d.inseeCode, postalCode: d.postalCode };
  const codes = Object.fromEntries(
    Object.entries(typed)
      .map(([key, value]) => [key, key === 'countryName' ? value.trim() : value.trim().toUpperCase()])
      .filter(([, value]) => value),
  ) as Codes;
  return Object.keys(codes).length > 0 ? codes : undefined;
}

/** The identity as the api takes it: trimmed, the optional fields only when there are. */
export function identityOf(d: IdentityDraft): Identity {
  const usageName = d.usageName.trim();
  const codes = codesOf(d);
  return {
    birthName: d.birthName.trim(),
    ...(usageName ? { usageName } : {}),
    firstNames: d.firstNames
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    birthDate: d.birthDate ?? '',
    sex: (d.sex ?? '') as Identity['sex'],
    birthPlace: d.birthPlace.trim(),
    ...(codes ? { birthPlaceCodes: codes } : {}),
    email: d.email.trim(),
  };
}

/** The recorded identity, as the form shows it to be completed or corrected. */
export function draftOf(identity: RecordedIdentity): IdentityDraft {
  const codes = identity.birthPlaceCodes ?? {};
  return {
    birthName: identity.birthName,
    usageName: identity.usageName ?? '',
    firstNames: identity.firstNames.join(', '),
    birthDate: identity.birthDate,
    sex: identity.sex,
    birthPlace: identity.birthPlace,
    email: identity.email,
    bornAbroad: Boolean(codes.countryCode || codes.countryName || codes.inseeCode?.startsWith('99')),
    inseeCode: codes.inseeCode ?? '',
    postalCode: codes.postalCode ?? '',
    countryCode: codes.countryCode ?? '',
    countryName: codes.countryName ?? '',
  };
}

/** Only what changed between the recorded identity and the typed one (an amendment replaces just those fields). */
export function changesOf(recorded: Identity, typed: Identity): Partial<Identity> {
  const keys = [...new Set([...Object.keys(recorded), ...Object.keys(typed)])] as (keyof Identity)[];
  return Object.fromEntries(
    keys.filter((key) => typed[key] !== undefined && JSON.stringify(typed[key]) !== JSON.stringify(recorded[key])).map((key) => [key, typed[key]]),
  ) as Partial<Identity>;
}

/** The identity's inputs, each with the api's refusal of it beside it (in French). Inside <Dates>. */
export function IdentityFields({
  draft,
  update,
  errorOf,
}: {
  draft: IdentityDraft;
  update: (change: Partial<IdentityDraft>) => void;
  errorOf: (field: string) => string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
        <TextInput
          label={t('newEnrollment.birthName')}
          withAsterisk
          autoComplete="off"
          value={draft.birthName}
          onChange={(e) => update({ birthName: e.currentTarget.value })}
          error={errorOf('birthName')}
        />
        <TextInput
          label={t('newEnrollment.usageName')}
          description={t('newEnrollment.usageNameHelp')}
          {...HELP_BELOW}
          autoComplete="off"
          value={draft.usageName}
          onChange={(e) => update({ usageName: e.currentTarget.value })}
          error={errorOf('usageName')}
        />
        <TextInput
          label={t('newEnrollment.firstNames')}
          description={t('newEnrollment.firstNamesHelp')}
          {...HELP_BELOW}
          withAsterisk
          autoComplete="off"
          value={draft.firstNames}
          onChange={(e) => update({ firstNames: e.currentTarget.value })}
          error={errorOf('firstNames')}
        />
        <Radio.Group
          label={t('newEnrollment.sex')}
          description={t('newEnrollment.sexHelp')}
          {...HELP_BELOW}
          withAsterisk
          value={draft.sex}
          onChange={(sex) => update({ sex })}
          error={errorOf('sex')}
        >
          <Group h={36}>
            <Radio value="F" label={t('newEnrollment.sexes.F')} />
            <Radio value="M" label={t('newEnrollment.sexes.M')} />
          </Group>
        </Radio.Group>
        <DateField
          label={t('newEnrollment.birthDate')}
          withAsterisk
          defaultLevel={draft.birthDate ? 'month' : 'decade'}
          defaultDate="2000-01-01"
          maxDate={new Date()}
          value={draft.birthDate}
          onChange={(birthDate) => update({ birthDate })}
          error={errorOf('birthDate')}
        />
        <TextInput
          label={t('newEnrollment.birthPlace')}
          placeholder={t('newEnrollment.birthPlacePlaceholder')}
          withAsterisk
          autoComplete="off"
          value={draft.birthPlace}
          onChange={(e) => update({ birthPlace: e.currentTarget.value })}
          error={errorOf('birthPlace')}
        />
        <TextInput
          label={t('newEnrollment.email')}
          type="email"
          withAsterisk
          autoComplete="off"
          value={draft.email}
          onChange={(e) => update({ email: e.currentTarget.value })}
          error={errorOf('email')}
        />
      </SimpleGrid>
      <BirthPlaceCodes draft={draft} update={update} errorOf={errorOf} />
    </Stack>
  );
}

/** The birth place as the Caisse des Dépôts codes it: optional, said to be needed for the accrochage. */
function BirthPlaceCodes({ draft, update, errorOf }: Parameters<typeof IdentityFields>[0]) {
  const { t } = useTranslation();
  const input = (field: 'inseeCode' | 'postalCode' | 'countryCode' | 'countryName', label: string, help: string, maxLength: number) => (
    <TextInput
      label={label}
      description={help}
      {...HELP_BELOW}
      autoComplete="off"
      maxLength={maxLength}
      value={draft[field]}
      onChange={(e) => update({ [field]: e.currentTarget.value })}
      error={errorOf(`birthPlaceCodes.${field}`)}
    />
  );
  return (
    <Stack gap="xs" component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
      <Text component="legend" fw={600} size="sm" p={0}>
        {t('identity.codes.title')}
      </Text>
      <Text size="sm" c="dimmed">
        {t('identity.codes.help')}
      </Text>
      <Checkbox label={t('identity.codes.bornAbroad')} checked={draft.bornAbroad} onChange={(e) => update({ bornAbroad: e.currentTarget.checked })} />
      {draft.bornAbroad ? (
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm">
          {input('countryName', t('identity.codes.countryName'), t('identity.codes.countryNameHelp'), 60)}
          {input('countryCode', t('identity.codes.countryCode'), t('identity.codes.countryCodeHelp'), 3)}
          {input('inseeCode', t('identity.codes.countryInseeCode'), t('identity.codes.countryInseeCodeHelp'), 5)}
        </SimpleGrid>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
          {input('inseeCode', t('identity.codes.inseeCode'), t('identity.codes.inseeCodeHelp'), 5)}
          {input('postalCode', t('identity.codes.postalCode'), t('identity.codes.postalCodeHelp'), 9)}
        </SimpleGrid>
      )}
    </Stack>
  );
}
