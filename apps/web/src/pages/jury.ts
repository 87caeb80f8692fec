import { useQueries } from '@tanstack/react-query';
import { answer, api, shouldRetry } from '../api/client';
import type { components } from '../api/schema';
import type { Act } from '../components/ActForm';
import type { Tone } from '../components/Tone';
import i18n from '../i18n';
import { EnrollmentsQuery, listEnrollments } from './referentials';

export type EnrollmentItem = components['schemas']['EnrollmentListItem'];
export type Summary = components['schemas']['ReferentialSummary'];
export type Outcome = components['schemas']['CommandOutcome'];
type Annulment = components['schemas']['AnnulBlocRequest'];
type FinalDecision = components['schemas']['FinalDecisionRequest'];

export const BLOC_TONES: Record<string, Tone> = { validated: 'green', validatable: 'teal', 'in-progress': 'blue', 'not-started': 'gray', annulled: 'red' };
/** Paths read at once by the jury's lists: the api's largest page. */
export const JURY_PAGE = 500;
/** A path still open to the jury's decisions. */
export const isOpen = (status: string) => status === 'in-progress' || status === 'eligible';

/** The candidate as the jury knows them: the api gives the jury ids, never identities (R14). */
export const candidateLabel = (candidateId: string) => i18n.t('jury.candidateId', { id: candidateId.slice(0, 8) });

/** The blocs of a path the read model says the jury may validate now. */
export const validatableBlocs = (item: Pick<EnrollmentItem, 'blocs'>) => item.blocs.filter((b) => b.status === 'validatable').map((b) => b.code);

/**
 * Paths waiting for the jury: those with a bloc the read model says is validatable (the list
 * filters by one bloc's status at a time: one read per bloc code of the certifications in view),
 * and those with every requirement met, waiting for the final decision (« eligible »).
 */
export function useReadyPaths(filters: Pick<EnrollmentsQuery, 'referentialId' | 'version' | 'cohort'>, catalogue: Summary[] | undefined) {
  const versions = (catalogue ?? []).filter((v) => !filters.referentialId || (v.referential === filters.referentialId && v.version === filters.version));
  const codes = [...new Set(versions.flatMap((v) => v.blocs.map((b) => b.code)))].sort();
  const reads: EnrollmentsQuery[] = [
    ...codes.map((bloc) => ({ ...filters, bloc, blocStatus: 'validatable' as const, pageSize: JURY_PAGE })),
    { ...filters, status: 'eligible' as const, pageSize: JURY_PAGE },
  ];
  const pages = useQueries({
    queries: catalogue ? reads.map((query) => ({ queryKey: ['enrollments', query], retry: shouldRetry, queryFn: () => listEnrollments(query) })) : [],
  });
  const items = new Map<string, EnrollmentItem>();
  for (const page of pages) for (const item of page.data?.items ?? []) items.set(item.enrollmentId, item);
  return {
    items: [...items.values()],
    isLoading: !catalogue || pages.some((p) => p.isLoading),
    error: pages.find((p) => p.error)?.error,
    /** A read filled its page: some paths may not be shown. */
    truncated: pages.some((p) => (p.data?.total ?? 0) > JURY_PAGE),
  };
}

/** A refusal's message beside its field while the field still holds the value refused: corrected, the message goes. */
export function fieldError(act: Pick<Act<never, unknown>, 'failure' | 'errorOf'>, field: string, value: string | null): string | undefined {
  const sent = act.failure?.kind === 'refused' ? (act.failure.body as Record<string, unknown> | undefined)?.[field] : undefined;
  return String(sent ?? '').trim() === (value ?? '').trim() ? act.errorOf(field) : undefined;
}

/** A refusal still stands while one of its fields holds the value refused, or when it concerns no field: its notice shows till then. */
export function refusalStands(act: Pick<Act<never, unknown>, 'failure' | 'errorOf' | 'unplaced'>, values: Record<string, string | null>): boolean {
  if (act.failure?.kind !== 'refused') return true;
  return act.unplaced.length > 0 || Object.entries(values).some(([field, value]) => fieldError(act, field, value));
}

// ---- The jury's acts: each sent with its Idempotency-Key (components/ActForm: sendAct, useAct) ----

export const validateBloc = (enrollmentId: string, blocCode: string) => (_body: object, key: string) =>
  answer(
    api.POST('/enrollments/{enrollmentId}/blocs/{blocCode}/validation', {
      params: { path: { enrollmentId, blocCode }, header: { 'Idempotency-Key': key } },
      body: {},
    }),
  );

export const annulBloc = (enrollmentId: string, blocCode: string) => (body: Annulment, key: string) =>
  answer(
    api.POST('/enrollments/{enrollmentId}/blocs/{blocCode}/annulment', {
      params: { path: { enrollmentId, blocCode }, header: { 'Idempotency-Key': key } },
      body,
    }),
  );

export const validateRequirement = (enrollmentId: string, requirementCode: string) => (_body: object, key: string) =>
  answer(
    api.POST('/enrollments/{enrollmentId}/requirements/{requirementCode}/validation', {
      params: { path: { enrollmentId, requirementCode }, header: { 'Idempotency-Key': key } },
      body: {},
    }),
  );

export const recordFinalDecision = (enrollmentId: string) => (body: FinalDecision, key: string) =>
  answer(api.POST('/enrollments/{enrollmentId}/final-decision', { params: { path: { enrollmentId }, header: { 'Idempotency-Key': key } }, body }));
