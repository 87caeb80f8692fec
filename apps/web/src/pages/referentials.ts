import { useQuery } from '@tanstack/react-query';
import { answer, api, shouldRetry } from '../api/client';
import type { components, paths } from '../api/schema';

/** The published référentiel versions, for the selects that pick a certification. */
export function useReferentials(consistentWith?: string) {
  return useQuery({
    queryKey: ['referentials', consistentWith],
    queryFn: () => answer(api.GET('/referentials', { params: { query: consistentWith ? { consistentWith } : {} } })),
    staleTime: 60_000,
    retry: shouldRetry,
  });
}

/**
 * The query of a path as it stands now (or as far as `consistentWith`, the position an act
 * answered): one cache entry per path and position, the key every screen reads and invalidates.
 */
export function pathQuery(enrollmentId: string, consistentWith?: string) {
  return {
    queryKey: ['path', enrollmentId, null, consistentWith] as const,
    retry: shouldRetry,
    queryFn: () => answer(api.GET('/enrollments/{enrollmentId}', { params: { path: { enrollmentId }, query: consistentWith ? { consistentWith } : {} } })),
  };
}

export type EnrollmentsQuery = NonNullable<paths['/enrollments']['get']['parameters']['query']>;
export type EnrollmentListPage = components['schemas']['EnrollmentListPage'];

/** A page of the enrollments list (the same route answers CSV when asked: never here). */
export async function listEnrollments(query: EnrollmentsQuery): Promise<EnrollmentListPage> {
  const page = await answer(api.GET('/enrollments', { params: { query } }));
  if (typeof page === 'string') throw new Error('the list answered CSV where a page was asked for');
  return page;
}

export const PATH_STATUSES = ['in-progress', 'eligible', 'certified', 'withdrawn', 'transferred'] as const;
