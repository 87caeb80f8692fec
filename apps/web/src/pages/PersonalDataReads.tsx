import { Anchor, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { answer, api, shouldRetry } from '../api/client';
import { currentSession } from '../auth/session';
import { QueryState } from '../components/Problem';
import { EraseCandidate } from './EraseCandidate';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who read a candidate's personal data (R14): the append-only read log, for the DPO answering a
 * request of access (their organisation's candidates) and for auditors (any). Never the values.
 */
export function PersonalDataReads() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const candidateId = params.get('candidat') ?? '';
  const valid = UUID.test(candidateId);
  const readsPaths = currentSession()?.role !== 'dpo';
  const reads = useQuery({
    queryKey: ['personal-data-reads', candidateId],
    enabled: valid,
    retry: shouldRetry,
    queryFn: () => answer(api.GET('/candidates/{candidateId}/personal-data-reads', { params: { path: { candidateId } } })),
  });
  /** `accommodations:kinds`, `as-of:accommodations:full`…: where the data was shown, then how much of it. */
  const viewLabel = (view: string) => {
    const kind = view.match(/:(full|consented|to-apply|kinds)$/)?.[1];
    const where = kind ? view.slice(0, -kind.length - 1) : view;
    // The views' codes hold colons, which i18next would read as a namespace.
    const place = t(`personalData.views.${where}`, { defaultValue: where, nsSeparator: false });
    return kind ? `${place} — ${t(`personalData.viewKinds.${kind}`)}` : place;
  };
  /** A field of the identity, or a measure by its short id: what was shown, never its value. */
  const subjectLabel = (subject: string) => {
    const [kind, id] = subject.split(':');
    return id
      ? `${t(`personalData.subjectKinds.${kind}`, { defaultValue: kind })} ${id.slice(0, 8)}`
      : t(`personalData.fields.${subject}`, { defaultValue: subject });
  };
  const dateTime = (iso: string) => new Date(iso).toLocaleString(i18n.language === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
  return (
    <Stack>
      <Title order={1}>{t('personalData.title')}</Title>
      <Text>{t('personalData.intro')}</Text>
      <Group align="flex-end" role="search">
        <TextInput
          label={t('personalData.candidate')}
          description={t('personalData.candidateHint')}
          w={420}
          defaultValue={candidateId}
          error={candidateId && !valid ? t('personalData.notAnId') : undefined}
          onKeyDown={(e) => e.key === 'Enter' && setParams({ candidat: e.currentTarget.value.trim() })}
        />
      </Group>
      <QueryState isLoading={reads.isLoading} error={reads.error} />
      {reads.data && (
        <>
          <Text>{t('personalData.count', { count: reads.data.length })}</Text>
          {reads.data.length > 0 && (
            <Table striped withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('personalData.readAt')}</Table.Th>
                  <Table.Th>{t('personalData.reader')}</Table.Th>
                  <Table.Th>{t('personalData.view')}</Table.Th>
                  <Table.Th>{t('personalData.through')}</Table.Th>
                  <Table.Th>{t('personalData.subjects')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {reads.data.map((read, i) => (
                  <Table.Tr key={`${read.readAt}-${i}`}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{dateTime(read.readAt)}</Table.Td>
                    <Table.Td>
                      {read.actorId} ({t(`roles.${read.actorRole}`, { defaultValue: read.actorRole })}) · {read.organisationId}
                    </Table.Td>
                    <Table.Td>{viewLabel(read.view)}</Table.Td>
                    <Table.Td>
                      {/* The DPO reads no paths: the enrollment is named, not linked. */}
                      {read.enrollmentId && readsPaths ? (
                        <Anchor component={Link} to={`/parcours/${read.enrollmentId}`} size="sm">
                          {read.enrollmentId.slice(0, 8)}
                        </Anchor>
                      ) : (
                        (read.enrollmentId?.slice(0, 8) ?? '—')
                      )}
                    </Table.Td>
                    <Table.Td>{read.subjects.map(subjectLabel).join(', ')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
      {/* The DPO answers a request of erasure too (GDPR art. 17): for the candidate looked up, once their read log is in sight. */}
      {!readsPaths && valid && reads.data && <EraseCandidate key={candidateId} candidateId={candidateId} />}
    </Stack>
  );
}
