import { Alert, Anchor, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { answer, api, shouldRetry } from '../api/client';
import { currentSession } from '../auth/session';
import { ActFailureNotice, SubmitButton, useAct, useDraft, useSubmit } from '../components/ActForm';
import { Dates } from '../components/Dates';
import { ErasedNotice } from '../components/ErasedNotice';
import { changesOf, draftOf, Identity, IDENTITY_FIELDS, IdentityFields, identityOf, RecordedIdentity } from '../components/IdentityFields';
import { QueryState } from '../components/Problem';
import { ToneBadge } from '../components/Tone';

/** Where the admin came from (the accrochage's report, a path): the way back. */
export interface IdentityArrival {
  from?: string;
  fromLabel?: 'accrochage' | 'delivery' | 'path';
}

/** The way back to the screen the admin came from. */
const backLabel = (arrived: IdentityArrival) =>
  arrived.fromLabel === 'accrochage' ? 'identity.backToAccrochage' : arrived.fromLabel === 'delivery' ? 'identity.backToDelivery' : 'closure.back';

/**
 * A candidate's identity as their school's admin reads it (a read the api records, R14), birth
 * place codes included, and its completion or correction: the form shows what is recorded, and
 * only the fields changed are sent (POST /candidates/{id}/identity-amendments).
 */
export function CandidateIdentity() {
  const { t, i18n } = useTranslation();
  const { candidateId = '' } = useParams();
  const arrived = (useLocation().state ?? {}) as IdentityArrival;
  const candidate = useQuery({
    queryKey: ['candidate', candidateId],
    retry: shouldRetry,
    queryFn: () => answer(api.GET('/candidates/{candidateId}', { params: { path: { candidateId } } })),
  });
  const [amended, setAmended] = useState<{ fields: string[]; times: number }>();
  const notice = useRef<HTMLDivElement>(null);

  if (currentSession()?.role !== 'admin')
    return (
      <Alert color="red.9" variant="outline" role="alert">
        {t('errors.forbidden', { role: t(`roles.${currentSession()?.role ?? ''}`) })}
      </Alert>
    );
  const back = arrived.from ? (
    <Anchor component={Link} to={arrived.from} size="sm">
      ← {t(backLabel(arrived))}
    </Anchor>
  ) : (
    <Anchor component={Link} to="/inscriptions" size="sm">
      ← {t('path.back')}
    </Anchor>
  );
  if (!candidate.data)
    return (
      <Stack>
        {back}
        <QueryState isLoading={candidate.isLoading} error={candidate.error} />
      </Stack>
    );
  const read = candidate.data.identity as RecordedIdentity | { withheld: string };
  if ('withheld' in read)
    return (
      <Stack maw={980}>
        {back}
        <Title order={1}>{t('identity.title', { name: t('path.erased') })}</Title>
        {candidate.data.erasedAt && <ErasedNotice erasedAt={candidate.data.erasedAt} />}
      </Stack>
    );
  const identity = read;
  const name = `${identity.firstNames.join(' ')} ${identity.usageName ?? identity.birthName}`;
  const date = (iso: string) => new Date(`${iso}T12:00:00Z`).toLocaleDateString(i18n.language === 'fr' ? 'fr-FR' : 'en-GB');
  const codes = identity.birthPlaceCodes ?? {};
  const missing = (
    <ToneBadge tone="orange" tt="none">
      {t('identity.codes.missing')}
    </ToneBadge>
  );
  const rows: [string, ReactNode][] = [
    [t('newEnrollment.birthName'), identity.birthName],
    [t('newEnrollment.usageName'), identity.usageName ?? '—'],
    [t('newEnrollment.firstNames'), identity.firstNames.join(', ')],
    [t('newEnrollment.birthDate'), date(identity.birthDate)],
    [t('newEnrollment.sex'), t(`newEnrollment.sexes.${identity.sex}`)],
    [t('newEnrollment.birthPlace'), identity.birthPlace],
    codes.countryCode || codes.countryName
      ? [t('identity.codes.country'), `${codes.countryName ?? '—'} (${codes.countryCode ?? '—'}), ${t('identity.codes.inseeShort')} ${codes.inseeCode ?? '—'}`]
      : [t('identity.codes.commune'), codes.inseeCode ?? (codes.postalCode ? `${t('identity.codes.postalShort')} ${codes.postalCode}` : missing)],
    [
      t('newEnrollment.email'),
      identity.email || (
        <ToneBadge tone="orange" tt="none">
          {t('identity.emailMissing')}
        </ToneBadge>
      ),
    ],
  ];

  return (
    <Dates>
      <Stack maw={980}>
        {back}
        <Title order={1}>{t('identity.title', { name })}</Title>
        <Text>{t('identity.intro')}</Text>
        {amended && (
          <Alert color="green.9" variant="outline" role="status" ref={notice} key={amended.times}>
            <Stack gap="xs">
              <Text size="sm">
                {amended.fields.length > 0
                  ? t('identity.amended', { fields: amended.fields.map((f) => t(`identity.fields.${f}`)).join(', ') })
                  : t('identity.unchanged')}
              </Text>
              {(arrived.fromLabel === 'accrochage' || arrived.fromLabel === 'delivery') && arrived.from && (
                <Group>
                  <Button component={Link} to={arrived.from} size="sm" variant="light">
                    {t(backLabel(arrived))}
                  </Button>
                </Group>
              )}
            </Stack>
          </Alert>
        )}
        <Card withBorder component="section" aria-labelledby="identity-recorded">
          <Title order={2} size="h4" id="identity-recorded" mb="xs">
            {t('identity.recorded')}
          </Title>
          <Table variant="vertical" layout="fixed" withTableBorder>
            <Table.Tbody>
              {rows.map(([label, value]) => (
                <Table.Tr key={label}>
                  <Table.Th w={280}>{label}</Table.Th>
                  <Table.Td>{value}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
        <AmendIdentity
          key={JSON.stringify(identity)}
          candidateId={candidateId}
          identity={identity}
          onAmended={(fields) => {
            setAmended((previous) => ({ fields, times: (previous?.times ?? 0) + 1 }));
            setTimeout(() => notice.current?.scrollIntoView({ block: 'center' }));
          }}
        />
      </Stack>
    </Dates>
  );
}

/** The form: what is recorded, to complete or correct; only the fields changed are sent. */
function AmendIdentity({ candidateId, identity, onAmended }: { candidateId: string; identity: RecordedIdentity; onAmended: (fields: string[]) => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const recorded = draftOf(identity);
  const [draft, update, clear] = useDraft(`identity-amendment.${candidateId}`, recorded);
  const act = useAct({
    name: `identity-amendment.${candidateId}`,
    fields: IDENTITY_FIELDS,
    send: (body: Partial<Identity>, key: string) =>
      answer(
        api.POST('/candidates/{candidateId}/identity-amendments', {
          params: { path: { candidateId }, header: { 'Idempotency-Key': key } },
          body,
        }),
      ),
  });
  const { onSubmit, pending } = useSubmit(async () => {
    const changes = changesOf(identityOf(recorded), identityOf(draft));
    if (Object.keys(changes).length === 0) {
      onAmended([]);
      return;
    }
    const outcome = await act.run(changes);
    if (!outcome) return;
    clear();
    onAmended(Object.keys(changes));
    // The identity is read again from the candidate's stream: every screen then shows it amended.
    await queries.invalidateQueries({ queryKey: ['candidate', candidateId] });
  });
  return (
    <Card withBorder component="section" aria-labelledby="identity-amend">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4" id="identity-amend">
            {t('identity.amend')}
          </Title>
          <Text size="sm">{t('identity.amendIntro')}</Text>
          <IdentityFields draft={draft} update={update} errorOf={act.errorOf} />
          <ActFailureNotice acts={[act]} />
          <Group>
            <SubmitButton pending={pending}>{t('identity.submit')}</SubmitButton>
            <Button
              variant="subtle"
              color="dark"
              disabled={pending}
              onClick={() => {
                clear();
                act.dismiss();
              }}
            >
              {t('identity.reset')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
