import { useQuery } from '@tanstack/react-query';
import { answer, api, shouldRetry } from '../api/client';
import type { components } from '../api/schema';
import i18n from '../i18n';

export type PathView = components['schemas']['PathView'];
export type SittingView = components['schemas']['SittingView'];
export type Version = components['schemas']['ReferentialView'];
export type Epreuve = components['schemas']['ReferentialEpreuveView'];

/** A published référentiel version as its file states it (public: every role reads it). */
export function useVersion(referentialId: string | undefined, version: string | undefined) {
  return useQuery({
    queryKey: ['referential', referentialId, version],
    enabled: Boolean(referentialId && version),
    staleTime: 5 * 60_000,
    retry: shouldRetry,
    queryFn: () => answer(api.GET('/referentials/{referential}/versions/{version}', { params: { path: { referential: referentialId!, version: version! } } })),
  });
}

export function epreuveOf(version: Version | undefined, code: string): Epreuve | undefined {
  return version?.blocs.flatMap((b) => b.epreuves).find((e) => e.code === code);
}

/** « BC02-E3 — Projet professionnalisant (…) »: the code alone until the version is read. */
export function epreuveName(version: Version | undefined, code: string): string {
  const epreuve = epreuveOf(version, code);
  return epreuve ? `${code} — ${epreuve.label ?? epreuve.title}` : code;
}

/** A timed part by its title where the référentiel gives one. */
export function partTitle(version: Version | undefined, epreuveCode: string, partCode: string): string {
  return epreuveOf(version, epreuveCode)?.timedParts?.find((p) => p.code === partCode)?.title ?? partCode;
}

/**
 * A sitting's durations as its reader may know them: « Soutenance distancielle : 40 min (30 min de
 * base) » where the api gives the effective duration (R14: readers who may know of an extra time),
 * the base one otherwise; `effectiveOnly`: the duration to apply, nothing more (the assessor).
 */
export function durationsOf(sitting: SittingView, version: Version | undefined, effectiveOnly = false): string[] {
  return sitting.timedParts.map((part) => {
    const title = partTitle(version, sitting.epreuve, part.code);
    const effective = part.effectiveDurationMinutes ?? part.baseDurationMinutes;
    if (effectiveOnly || effective === part.baseDurationMinutes) return i18n.t('sittings.duration', { title, minutes: effective });
    return i18n.t('sittings.durationWithBase', { title, minutes: effective, base: part.baseDurationMinutes });
  });
}

/** The assessment of a sitting that stands (the path lists it under each competency it bears on). */
export function assessmentOf(path: PathView, sitting: SittingView) {
  return path.blocs
    .flatMap((b) => b.competencies.flatMap((c) => c.assessments))
    .find((a) => a.epreuve === sitting.epreuve && a.attempt === sitting.attempt && a.observation === sitting.observation && !a.voided);
}
