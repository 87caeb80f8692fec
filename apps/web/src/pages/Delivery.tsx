import { Alert, Anchor, Button, Card, Code, Group, List, SimpleGrid, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { answer, api, shouldRetry } from '../api/client';
import type { components } from '../api/schema';
import { currentSession } from '../auth/session';
import { ActFailureNotice, useAct } from '../components/ActForm';
import { QueryState } from '../components/Problem';
import { formatParis } from '../components/paris-time';
import { Tone, ToneBadge } from '../components/Tone';
import type { IdentityArrival } from './CandidateIdentity';
import { CandidateName } from './path-closure';

type DeliveryView = components['schemas']['DocumentDeliveryView'];
type Undelivered = components['schemas']['UndeliveredDocumentView'];
type Failed = components['schemas']['FailedDeliveryJobView'];
type Unconfirmed = components['schemas']['UnconfirmedDeliveryView'];

export const DELIVERY = '/envois';

const REASON_TONES: Record<string, Tone> = { refused: 'red', rejected: 'red', unavailable: 'orange', other: 'gray' };
const EVENT_TONES: Record<string, Tone> = { DocumentIssued: 'blue', DocumentReissued: 'violet', DocumentRevoked: 'red' };

/** The link to complete a holder's identity (their address), and back here once done. */
function identityLink(candidateId: string): { to: string; state: IdentityArrival } {
  return { to: `/candidats/${candidateId}/identite`, state: { from: DELIVERY, fromLabel: 'delivery' } };
}

/**
 * The e-mail delivery of documents as a school admin follows it (an auditor reads it too): whether
 * it is on and who the e-mails come from, what became of the school's documents, then what is left
 * to do — the holders without an address, each with the way to complete it (their documents go as
 * soon as it is), and the deliveries that failed, with why in French and what to do about it.
 */
export function Delivery() {
  const { t } = useTranslation();
  const role = currentSession()?.role;
  // Said at the page, not in the row: the list read again after a resend no longer holds that row.
  const [resent, setResent] = useState<readonly string[]>([]);
  const delivery = useQuery({
    queryKey: ['delivery'],
    retry: shouldRetry,
    enabled: role === 'admin' || role === 'auditor',
    // Read again when coming back from an identity completed: its documents leave the list a moment later.
    refetchOnMount: 'always',
    // Read again every few seconds while something is on its way or left to do (an address completed elsewhere, a server back).
    refetchInterval: (query) => {
      const view = query.state.data;
      return view && view.outcomes.sendingLate + view.outcomes.pending + view.failed.length + view.undelivered.length > 0 ? 3_000 : 30_000;
    },
    queryFn: () => answer(api.GET('/admin/delivery')),
  });

  if (role !== 'admin' && role !== 'auditor')
    return (
      <Alert color="red.9" variant="outline" role="alert">
        {t('errors.forbidden', { role: t(`roles.${role ?? ''}`) })}
      </Alert>
    );
  const view = delivery.data;
  return (
    <Stack>
      <Title order={1}>{t('delivery.title')}</Title>
      <Text maw={980}>{t('delivery.intro')}</Text>
      <QueryState isLoading={delivery.isLoading} error={delivery.error} />
      {view && (
        <>
          <Switch view={view} />
          <Outcomes view={view} allOrganisations={role === 'auditor'} />
          <WithoutAddress items={view.undelivered} canAmend={role === 'admin'} />
          <FailedDeliveries items={view.failed} canAmend={role === 'admin'} />
          {resent.length > 0 && (
            <Alert role="status" color="green.9" variant="outline" maw={980}>
              {t('delivery.unconfirmed.resent', { count: resent.length })}
            </Alert>
          )}
          {view.unconfirmed.length > 0 && (
            <UnconfirmedDeliveries
              items={view.unconfirmed}
              canResend={role === 'admin'}
              resent={resent}
              onResent={(eventId) => setResent((earlier) => [...earlier, eventId])}
            />
          )}
          <Queue view={view} refetch={() => void delivery.refetch()} fetching={delivery.isFetching} />
        </>
      )}
    </Stack>
  );
}

/** Whether the e-mails go, and from whom; off, what it means and who turns it on. */
function Switch({ view }: { view: DeliveryView }) {
  const { t } = useTranslation();
  const title = { title: { color: 'var(--mantine-color-dark-9)' } };
  if (!view.enabled)
    return (
      <Alert color="orange.9" variant="outline" title={t('delivery.off.title')} styles={title} maw={980}>
        <Stack gap="xs">
          <Text size="sm">{t('delivery.off.text')}</Text>
          <Text size="sm">
            {t('delivery.off.operator')} <Code>SMTP_URL</Code> {t('delivery.off.and')} <Code>MAIL_FROM</Code>.
          </Text>
        </Stack>
      </Alert>
    );
  return (
    <Alert color="green.9" variant="outline" title={t('delivery.on.title')} styles={title} maw={980}>
      <Text size="sm">{view.sender ? t('delivery.on.sender', { sender: view.sender }) : t('delivery.on.text')}</Text>
    </Alert>
  );
}

/** A count and what it counts, named by its label (a group: « Envoyés », 12). */
function Figure({ value, label, help, tone }: { value: number; label: string; help?: ReactNode; tone?: Tone }) {
  const { i18n } = useTranslation();
  const id = useId();
  return (
    <Card
      withBorder
      padding="md"
      role="group"
      aria-labelledby={id}
      style={tone ? { borderLeft: `4px solid var(--mantine-color-${tone}-${tone === 'gray' ? 5 : 8})` } : undefined}
    >
      <Text component="p" fz={28} fw={700} lh={1.1} m={0}>
        {value.toLocaleString(i18n.language === 'fr' ? 'fr-FR' : 'en-GB')}
      </Text>
      <Text component="p" size="sm" fw={600} m={0} id={id}>
        {label}
      </Text>
      {help && (
        <Text component="p" size="xs" c="dimmed" m={0} mt={4}>
          {help}
        </Text>
      )}
    </Card>
  );
}

/** What became of the organisation's document events. */
function Outcomes({ view, allOrganisations }: { view: DeliveryView; allOrganisations: boolean }) {
  const { t } = useTranslation();
  const o = view.outcomes;
  const notSent = [
    o.holderErased > 0 && t('delivery.outcomes.holderErased', { count: o.holderErased }),
    o.deliveryOff > 0 && t('delivery.outcomes.deliveryOff', { count: o.deliveryOff }),
    o.superseded > 0 && t('delivery.outcomes.superseded', { count: o.superseded }),
  ].filter((line): line is string => Boolean(line));
  return (
    <section aria-labelledby="delivery-outcomes">
      <Title order={2} size="h3" id="delivery-outcomes" mb="xs">
        {t(allOrganisations ? 'delivery.outcomes.titleAll' : 'delivery.outcomes.title')}
      </Title>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} maw={1200}>
        <Figure
          value={o.sent + o.sentLate}
          label={t('delivery.outcomes.sent')}
          help={o.sentLate > 0 ? t('delivery.outcomes.sentLate', { count: o.sentLate }) : undefined}
          tone="green"
        />
        <Figure
          value={o.pending + o.sendingLate}
          label={t('delivery.outcomes.pending')}
          help={t('delivery.outcomes.pendingHelp')}
          tone={o.pending + o.sendingLate > 0 ? 'blue' : 'gray'}
        />
        <Figure value={view.failed.length} label={t('delivery.outcomes.failed')} tone={view.failed.length > 0 ? 'red' : 'gray'} />
        <Figure value={view.undelivered.length} label={t('delivery.outcomes.noEmail')} tone={view.undelivered.length > 0 ? 'orange' : 'gray'} />
      </SimpleGrid>
      {notSent.length > 0 && (
        <Text size="sm" mt="xs">
          {t('delivery.outcomes.notSent')} {notSent.join(' ; ')}.
        </Text>
      )}
      {o.unconfirmed > 0 && (
        <Text size="sm" mt={4}>
          <Anchor href="#delivery-unconfirmed" size="sm">
            {t('delivery.outcomes.unconfirmed', { count: o.unconfirmed })}
          </Anchor>
        </Text>
      )}
    </section>
  );
}

/**
 * The holder, by name for an admin of their school (each read recorded, R14); an auditor reads no
 * identity: the path's short id, leading to it.
 */
function Holder({ candidateId, enrollmentId, canReadName }: { candidateId?: string; enrollmentId?: string; canReadName: boolean }) {
  const { t } = useTranslation();
  if (!candidateId) return <>—</>;
  const name = canReadName ? <CandidateName candidateId={candidateId} /> : t('delivery.holderId', { id: candidateId.slice(0, 8) });
  return enrollmentId ? (
    <Anchor component={Link} to={`/parcours/${enrollmentId}`} size="sm">
      {name}
    </Anchor>
  ) : (
    <Text size="sm">{name}</Text>
  );
}

/** « Attestation de réussite n° JAL-A-… » with what its e-mail would have told. */
function DocumentLabel({ kind, number, eventType }: { kind?: string; number?: string; eventType?: string }) {
  const { t } = useTranslation();
  if (!number) return <Text size="sm">{t('delivery.unknownDocument')}</Text>;
  return (
    <Group gap={6}>
      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
        {t(`delivery.kinds.${kind ?? 'attestation'}`)} n° <span style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{number}</span>
      </Text>
      {eventType && (
        <ToneBadge size="sm" tone={EVENT_TONES[eventType] ?? 'gray'} tt="none">
          {t(`delivery.events.${eventType}`, { defaultValue: eventType })}
        </ToneBadge>
      )}
    </Group>
  );
}

/** A part of the screen: its title, and either what it lists (with a sentence on what to do) or that there is nothing. */
function DeliverySection({ id, title, none, intro, children }: { id: string; title: string; none?: string; intro: string; children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Title order={2} size="h3" id={id}>
          {title}
        </Title>
        {none !== undefined ? (
          <Text size="sm">{none}</Text>
        ) : (
          <>
            <Text size="sm" maw={980}>
              {intro}
            </Text>
            {children}
          </>
        )}
      </Stack>
    </Card>
  );
}

/** The holders without an address, each once, with their documents not sent and the way to complete it. */
function WithoutAddress({ items, canAmend }: { items: Undelivered[]; canAmend: boolean }) {
  const { t, i18n } = useTranslation();
  const byHolder = new Map<string, Undelivered[]>();
  for (const item of items) byHolder.set(item.candidateId, [...(byHolder.get(item.candidateId) ?? []), item]);
  return (
    <DeliverySection
      id="delivery-no-email"
      title={t('delivery.noEmail.title')}
      none={byHolder.size === 0 ? t('delivery.noEmail.none') : undefined}
      intro={t(canAmend ? 'delivery.noEmail.intro' : 'delivery.noEmail.introAuditor', { count: byHolder.size })}
    >
      <Table striped withTableBorder aria-labelledby="delivery-no-email" verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('delivery.columns.holder')}</Table.Th>
            <Table.Th>{t('delivery.columns.documents')}</Table.Th>
            <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('delivery.columns.since')}</Table.Th>
            {canAmend && <Table.Th>{t('delivery.columns.action')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...byHolder].map(([candidateId, documents]) => {
            const link = identityLink(candidateId);
            return (
              <Table.Tr key={candidateId}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Holder candidateId={candidateId} enrollmentId={documents[0].enrollmentId} canReadName={canAmend} />
                </Table.Td>
                <Table.Td>
                  <List size="sm" listStyleType="none" spacing={4}>
                    {documents.map((d) => (
                      <List.Item key={d.eventId}>
                        <DocumentLabel kind={d.kind} number={d.number} eventType={d.eventType} />
                      </List.Item>
                    ))}
                  </List>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm">{formatParis(documents[0].at, i18n.language, { dateStyle: 'short', timeStyle: 'short' })}</Text>
                </Table.Td>
                {canAmend && (
                  <Table.Td>
                    <Button component={Link} to={link.to} state={link.state} size="xs" variant="light">
                      {t('delivery.noEmail.complete')}
                      <VisuallyHidden>
                        {' '}
                        {t('delivery.noEmail.of')} <CandidateName candidateId={candidateId} />
                      </VisuallyHidden>
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </DeliverySection>
  );
}

/** The deliveries that failed: whose, which document, why in French, and what to do. */
function FailedDeliveries({ items, canAmend }: { items: Failed[]; canAmend: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <DeliverySection
      id="delivery-failed"
      title={t('delivery.failed.title')}
      none={items.length === 0 ? t('delivery.failed.none') : undefined}
      intro={t('delivery.failed.intro')}
    >
      <Table striped withTableBorder aria-labelledby="delivery-failed" verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('delivery.columns.holder')}</Table.Th>
            <Table.Th>{t('delivery.columns.document')}</Table.Th>
            <Table.Th>{t('delivery.columns.reason')}</Table.Th>
            <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('delivery.columns.failedAt')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((f) => {
            const candidateId = f.candidateId ?? f.data.candidateId;
            const link = candidateId ? identityLink(candidateId) : undefined;
            return (
              <Table.Tr key={f.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Holder candidateId={candidateId} enrollmentId={f.enrollmentId} canReadName={canAmend} />
                </Table.Td>
                <Table.Td>
                  {f.data.candidateId && !f.number ? (
                    <Text size="sm">{t('delivery.failed.addressJob')}</Text>
                  ) : (
                    <DocumentLabel kind={f.kind} number={f.number} eventType={f.eventType} />
                  )}
                </Table.Td>
                <Table.Td>
                  <Stack gap={4}>
                    <Group gap={6}>
                      <ToneBadge size="sm" tone={REASON_TONES[f.reason] ?? 'gray'} tt="none">
                        {t(`delivery.reasons.${f.reason}`, { defaultValue: f.reason })}
                      </ToneBadge>
                    </Group>
                    <Text size="sm">{t(`${canAmend ? 'delivery.reasonHelp' : 'delivery.reasonHelpAuditor'}.${f.reason}`, { defaultValue: '' })}</Text>
                    {f.reason === 'refused' && canAmend && link && (
                      <Anchor component={Link} to={link.to} state={link.state} size="sm">
                        {t('delivery.failed.correct')} <CandidateName candidateId={candidateId!} />
                      </Anchor>
                    )}
                    <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                      {t('delivery.failed.detail', { count: f.attempts })}{' '}
                      <span style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{f.detail}</span>
                    </Text>
                  </Stack>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm">{f.failedAt ? formatParis(f.failedAt, i18n.language, { dateStyle: 'short', timeStyle: 'short' }) : '—'}</Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </DeliverySection>
  );
}

/**
 * The e-mails handed to the mail server by a worker that died before its answer: maybe received,
 * never sent twice unasked. An admin checks with the holder and sends one again (same Message-ID).
 */
function UnconfirmedDeliveries({
  items,
  canResend,
  resent,
  onResent,
}: {
  items: Unconfirmed[];
  canResend: boolean;
  resent: readonly string[];
  onResent: (eventId: string) => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <DeliverySection
      id="delivery-unconfirmed"
      title={t('delivery.unconfirmed.title')}
      intro={canResend ? t('delivery.unconfirmed.intro', { count: items.length }) : t('delivery.unconfirmed.introAuditor')}
    >
      <Table striped withTableBorder aria-labelledby="delivery-unconfirmed" verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('delivery.columns.holder')}</Table.Th>
            <Table.Th>{t('delivery.columns.document')}</Table.Th>
            <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('delivery.columns.handedOverAt')}</Table.Th>
            {canResend && <Table.Th>{t('delivery.columns.action')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((u) => (
            <Table.Tr key={u.eventId}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Holder candidateId={u.candidateId} enrollmentId={u.enrollmentId} canReadName={canResend} />
              </Table.Td>
              <Table.Td>
                <DocumentLabel kind={u.kind} number={u.number} eventType={u.eventType} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Text size="sm">{formatParis(u.handedOverAt, i18n.language, { dateStyle: 'short', timeStyle: 'short' })}</Text>
              </Table.Td>
              {canResend && (
                <Table.Td>
                  <Resend item={u} done={resent.includes(u.eventId)} onResent={onResent} />
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </DeliverySection>
  );
}

/** « Renvoyer »: the admin's decision to send an unconfirmed e-mail again; the list is read again once it is taken. */
function Resend({ item, done, onResent }: { item: Unconfirmed; done: boolean; onResent: (eventId: string) => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const act = useAct({
    name: `delivery-resend-${item.eventId}`,
    fields: [],
    send: ({ eventId }: { eventId: string }) => answer(api.POST('/admin/delivery/unconfirmed/{eventId}/resend', { params: { path: { eventId } } })),
  });
  if (done) return <Text size="sm">{t('delivery.unconfirmed.resentShort')}</Text>;
  return (
    <Stack gap={4}>
      <Button
        size="xs"
        variant="light"
        loading={act.pending}
        onClick={() =>
          void act.run({ eventId: item.eventId }).then((sent) => {
            if (!sent) return;
            onResent(item.eventId);
            void queries.invalidateQueries({ queryKey: ['delivery'] });
          })
        }
      >
        {t('delivery.unconfirmed.resend')}
        <VisuallyHidden>
          {' '}
          ({t(`delivery.kinds.${item.kind}`)} n° {item.number})
        </VisuallyHidden>
      </Button>
      <ActFailureNotice acts={[act]} />
    </Stack>
  );
}

/** The service's queue of e-mails, every organisation's: for whoever wonders whether it is moving. */
function Queue({ view, refetch, fetching }: { view: DeliveryView; refetch: () => void; fetching: boolean }) {
  const { t } = useTranslation();
  const c = view.counts;
  return (
    <Group gap="sm" align="center">
      <Text size="sm" c="dimmed">
        {t('delivery.queue', { waiting: c.waiting + c.delayed, active: c.active, failed: c.failed })}
      </Text>
      <Button size="compact-sm" variant="default" onClick={refetch} loading={fetching}>
        {t('delivery.refresh')}
      </Button>
    </Group>
  );
}
