import { Alert, Anchor, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { answer, api, shouldRetry } from '../api/client';
import i18n from '../i18n';
import { PathView, useVersion } from './sittings';

/**
 * How a path ends or moves on (R13), as the path's screen shows it: the admin's two acts (a
 * withdrawal, a transfer to another version: pages/PathWithdrawal, pages/PathTransfer), what each
 * recorded once the path is read as far as it, and a transferred path's link to where it goes on.
 */

/** What the withdrawal and transfer screens leave in the navigation state of the path they land on. */
export interface ClosureArrival {
  consistentWith?: string | null;
  recorded?: string;
  /** A withdrawal's reason, as recorded. */
  reason?: string;
  /** A transfer: the path it came from, and how many blocs it carried. */
  from?: string;
  carried?: number;
}

/** Green's darkest shade is under AA contrast for a bold title on white: the title is written near black. */
const DARK_TITLE = { title: { color: 'var(--mantine-color-dark-9)' } };

/** The acts whose notice PathClosure says (the path's screen says the others). */
export const isClosureAct = (recorded: string | undefined) => recorded === 'withdrawn' || recorded === 'transferred';

/** Whether the path still takes acts (the api refuses them on a certified, withdrawn or transferred one). */
export const isOpenPath = (path: Pick<PathView, 'status'>) => ['in-progress', 'eligible'].includes(path.status);

/** « Léa Martin » (the name in use); « (données personnelles effacées) »; undefined until read. Each read is recorded by the api (R14). */
export function useCandidateName(candidateId: string | undefined): string | undefined {
  const identity = useQuery({
    queryKey: ['candidate', candidateId],
    enabled: Boolean(candidateId),
    retry: shouldRetry,
    queryFn: () => answer(api.GET('/candidates/{candidateId}', { params: { path: { candidateId: candidateId! } } })),
  });
  const read = identity.data?.identity as unknown;
  if (!read || typeof read !== 'object') return undefined;
  if ('withheld' in read) return i18n.t('path.erased');
  const { firstNames, birthName, usageName } = read as { firstNames: string[]; birthName: string; usageName?: string };
  return `${firstNames.join(' ')} ${usageName ?? birthName}`;
}

/** A candidate's name where the reader may read it (each read recorded, R14), their id's start until then. */
export function CandidateName({ candidateId }: { candidateId: string }) {
  return <>{useCandidateName(candidateId) ?? candidateId.slice(0, 8)}</>;
}

/**
 * The head of a withdrawal's or a transfer's screen: back to the path, the act, the path it acts on
 * (its route where the act turns on it), and, on a path that takes no more acts, why the form is not there.
 */
export function ClosureHeader({ path, title, withRoute = false }: { path: PathView; title: string; withRoute?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Anchor component={Link} to={`/parcours/${path.enrollmentId}`} size="sm">
        ← {t('closure.back')}
      </Anchor>
      <Stack gap={2}>
        <Title order={1}>{title}</Title>
        <Text c="dimmed">
          {path.certification.title} (v{path.certification.version}) · {t('path.cohort')} {path.cohort} ·{' '}
          {withRoute && <>{t(`accessRoute.${path.accessRoute}`)} · </>}
          {t('path.candidate')} <CandidateName candidateId={path.candidateId} />
        </Text>
      </Stack>
      {!isOpenPath(path) && (
        <Alert color="blue.9" variant="outline">
          {t('closure.closedPath', { status: t(`status.${path.status}`) })}
        </Alert>
      )}
    </>
  );
}

/** The admin's acts that close or move a path on, from the path's screen. */
export function PathClosureActs({ enrollmentId }: { enrollmentId: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs">
      <Button component={Link} to={`/parcours/${enrollmentId}/transfert`} variant="light" size="sm">
        {t('closure.transferAct')}
      </Button>
      <Button component={Link} to={`/parcours/${enrollmentId}/abandon`} variant="default" size="sm">
        {t('closure.withdrawAct')}
      </Button>
    </Group>
  );
}

/**
 * What a closed path, or one just transferred to, says at its top: the withdrawal or the transfer
 * just recorded; a transferred path's link to the new one; a withdrawn path closed.
 */
export function PathClosure({ path }: { path: PathView }) {
  const { t } = useTranslation();
  const location = useLocation();
  const arrived = (location.state ?? {}) as ClosureArrival;
  const to = path.transferredTo;
  const target = useVersion(to?.referentialId, to?.version);
  const justRecorded = arrived.recorded === 'transferred' || (arrived.recorded === 'withdrawn' && path.status === 'withdrawn');
  if (!justRecorded && !to && path.status !== 'withdrawn') return null;

  return (
    <Stack gap="sm">
      {arrived.recorded === 'withdrawn' && path.status === 'withdrawn' && (
        <Alert color="green.9" variant="outline" role="status" title={t('closure.withdrawn.recorded')} styles={DARK_TITLE}>
          <Text size="sm">{t('closure.withdrawn.effect')}</Text>
          {arrived.reason && <Text size="sm">{t('closure.withdrawn.reason', { reason: arrived.reason })}</Text>}
        </Alert>
      )}
      {arrived.recorded === 'transferred' && (
        <Alert color="green.9" variant="outline" role="status" title={t('closure.transferred.recorded')} styles={DARK_TITLE}>
          <Stack gap={4}>
            <Text size="sm">
              {t('closure.transferred.carried', { count: arrived.carried ?? 0, title: path.certification.title, version: path.certification.version })}
            </Text>
            {arrived.from && (
              <Anchor component={Link} to={`/parcours/${arrived.from}`} state={{ consistentWith: arrived.consistentWith }} size="sm">
                {t('closure.transferred.previous')}
              </Anchor>
            )}
          </Stack>
        </Alert>
      )}
      {to && (
        <Alert color="blue.9" variant="outline" title={t('closure.transferredTo.title')}>
          <Stack gap={6}>
            <Text size="sm">{t('closure.transferredTo.text', { title: target.data?.certification.title ?? to.referentialId, version: to.version })}</Text>
            <Group>
              <Button component={Link} to={`/parcours/${to.enrollmentId}`} state={{ consistentWith: arrived.consistentWith }} size="xs" variant="light">
                {t('closure.transferredTo.open')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {path.status === 'withdrawn' && arrived.recorded !== 'withdrawn' && (
        <Alert color="blue.9" variant="outline">
          {t('closure.withdrawn.closed')}
        </Alert>
      )}
    </Stack>
  );
}
