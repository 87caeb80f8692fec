import { Role } from '../shared/actor';
import { disclosed, ERASED, isWithheld, Protected, Withheld } from '../shared/withheld';
import { AccommodationKind, AccommodationTerms, ExtraTime, extraTimeOf } from './accommodation';
import { ActiveEnrollment, SittingState } from './enrollment.state';

/** Who is reading: their role and, for assessors and candidates, who they are. */
export interface Viewer {
  readonly role: Role;
  readonly id: string;
}

/**
 * What each reader may know of a candidate's accommodations (R14, R10):
 * - `full`: the referent, and the candidate about themselves: every measure with its terms and details;
 * - `to-apply`: an assessor: for each sitting they are assigned to, what to do there, no reasons;
 * - `consented`: the jury, once the candidate consented: the measures without free-text details;
 * - `kinds`: an auditor: that a measure of a kind was granted, and where it was applied or not;
 * - `none`: everyone else (admins see effective durations in the sittings, never measures), and the
 *   jury without consent (it is then not even told whether there is anything to withhold).
 */
export type AccommodationsView =
  | {
      readonly view: 'full';
      readonly juryDisclosureConsent: boolean;
      readonly accommodations: readonly { accommodationId: string; terms: Protected<AccommodationTerms>; grantedAt: string; endedAt?: string }[];
    }
  | {
      readonly view: 'to-apply';
      readonly sittings: readonly {
        sittingId: string;
        epreuve: string;
        scheduledAt: string;
        timedParts: readonly { code: string; durationMinutes: number }[];
        measures: readonly Protected<MeasureToApply>[];
      }[];
    }
  | {
      readonly view: 'consented';
      readonly accommodations: readonly { accommodationId: string; measure: Protected<ConsentedMeasure>; grantedAt: string; endedAt?: string }[];
    }
  | {
      readonly view: 'kinds';
      readonly accommodations: readonly {
        accommodationId: string;
        kind: Protected<AccommodationKind>;
        grantedAt: string;
        endedAt?: string;
        appliedAt: readonly string[];
        notAppliedAt: readonly string[];
      }[];
    }
  | { readonly view: 'none' };

export interface MeasureToApply {
  /** Which measure it is, for the assessor to record it given or not when they record the sitting held. */
  readonly accommodationId: string;
  readonly kind: AccommodationKind;
  /** What the assessor does, in the words of the exam room. */
  readonly instruction: string;
}

export type ConsentedMeasure = Omit<AccommodationTerms, 'details'>;

/** The practical instruction for each kind: what an assessor must do, and nothing about why. */
const INSTRUCTIONS: Record<AccommodationKind, (extraTime?: ExtraTime) => string> = {
  'tiers-temps': () => 'Temps majoré d’un tiers : appliquer les durées indiquées',
  'extra-time': (t) => `Temps majoré${t ? ` de ${t.numerator}/${t.denominator}` : ''} : appliquer les durées indiquées`,
  'third-party-assistance': () => 'Assistant présent pendant l’épreuve',
  'adapted-supports': () => 'Supports et matériel adaptés fournis par l’établissement',
  'adapted-modalities': () => 'Modalités de passation adaptées : voir le référent handicap',
  'adapted-admission': () => 'Sans objet pour la passation',
  'adapted-follow-up': () => 'Sans objet pour la passation',
};

/**
 * Which view of a path's accommodations this reader gets, from who the path is about and whether
 * they consented to tell the jury: what a question may know before reading any accommodation.
 */
export function accommodationsViewOf(viewer: Viewer, path: Pick<ActiveEnrollment, 'candidateId' | 'juryDisclosureConsent'>): AccommodationsView['view'] {
  switch (viewer.role) {
    case 'referent':
      return 'full';
    case 'candidate':
      return viewer.id === path.candidateId ? 'full' : 'none';
    case 'jury':
      return path.juryDisclosureConsent ? 'consented' : 'none';
    case 'assessor':
      return 'to-apply';
    case 'auditor':
      return 'kinds';
    default:
      return 'none';
  }
}

/** `only`: the accommodations the question bears on (e.g. those that applied to one bloc's sittings). */
export function accommodationsAsSeenBy(viewer: Viewer, state: ActiveEnrollment, only?: ReadonlySet<string>): AccommodationsView {
  const accommodations = Object.values(state.accommodations)
    .filter((a) => !only || only.has(a.id))
    .sort((a, b) => a.grantedAt.localeCompare(b.grantedAt) || a.id.localeCompare(b.id));
  const ended = (endedAt: string | undefined) => (endedAt !== undefined ? { endedAt } : {});
  switch (accommodationsViewOf(viewer, state)) {
    case 'full':
      return {
        view: 'full',
        juryDisclosureConsent: state.juryDisclosureConsent,
        accommodations: accommodations.map((a) => ({ accommodationId: a.id, terms: a.terms, grantedAt: a.grantedAt, ...ended(a.endedAt) })),
      };
    case 'consented':
      return {
        view: 'consented',
        accommodations: accommodations.map((a) => ({ accommodationId: a.id, measure: withoutDetails(a.terms), grantedAt: a.grantedAt, ...ended(a.endedAt) })),
      };
    case 'to-apply':
      return {
        view: 'to-apply',
        sittings: sittingsOf(state)
          // A path closed by a withdrawal or a transfer holds no more sittings: nothing to apply at those still scheduled.
          .filter((s) => s.assessorIds.includes(viewer.id) && (s.status !== 'scheduled' || state.status === 'open'))
          .map((s) => ({
            sittingId: s.id,
            epreuve: s.epreuveCode,
            scheduledAt: s.scheduledAt,
            timedParts: s.timedParts.map((p) => ({ code: p.code, durationMinutes: p.effectiveDurationMinutes })),
            measures: s.applicableAccommodations.map((applicable) =>
              measureToApply(applicable.accommodationId, applicable.kind, state.accommodations[applicable.accommodationId]?.terms),
            ),
          })),
      };
    case 'kinds': {
      const sittings = sittingsOf(state).filter((s) => s.accommodationsApplied !== undefined);
      return {
        view: 'kinds',
        accommodations: accommodations.map((a) => {
          const terms = disclosed(a.terms);
          return {
            accommodationId: a.id,
            kind: terms ? terms.kind : (a.terms as Withheld),
            grantedAt: a.grantedAt,
            ...ended(a.endedAt),
            appliedAt: sittings.filter((s) => s.accommodationsApplied!.includes(a.id)).map((s) => s.id),
            notAppliedAt: sittings
              .filter((s) => s.applicableAccommodations.some((x) => x.accommodationId === a.id) && !s.accommodationsApplied!.includes(a.id))
              .map((s) => s.id),
          };
        }),
      };
    }
    default:
      return { view: 'none' };
  }
}

/**
 * Whether this reader may see a sitting's conditions: its effective durations, and which
 * accommodations applied or were due there (ids only). Either says "has a measure": a duration
 * longer than the base one, "has extra time" (R14). Admins plan rooms and record the conditions
 * given, auditors check them, the referent and the candidate know why; an assessor sees them for
 * their own sittings; the jury only with the candidate's consent (R10).
 */
export function maySeeSittingConditions(
  viewer: Viewer,
  path: Pick<ActiveEnrollment, 'candidateId' | 'juryDisclosureConsent'>,
  sitting: Pick<SittingState, 'assessorIds'>,
): boolean {
  switch (viewer.role) {
    case 'admin':
    case 'auditor':
    case 'referent':
      return true;
    case 'candidate':
      return viewer.id === path.candidateId;
    case 'assessor':
      return sitting.assessorIds.includes(viewer.id);
    case 'jury':
      return path.juryDisclosureConsent;
    default:
      return false;
  }
}

/** Whether answering this reader means opening sealed accommodation facts (and so recording the read). */
export const readsAccommodations = (view: AccommodationsView): boolean =>
  view.view === 'full' || view.view === 'consented' || view.view === 'kinds'
    ? view.accommodations.length > 0
    : view.view === 'to-apply'
      ? view.sittings.some((s) => s.measures.length > 0)
      : false;

function sittingsOf(state: ActiveEnrollment): SittingState[] {
  return Object.values(state.sittings).sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt) || a.id.localeCompare(b.id));
}

function withoutDetails(terms: Protected<AccommodationTerms>): Protected<ConsentedMeasure> {
  if (isWithheld(terms)) return terms;
  const { details: _details, ...measure } = terms;
  return measure;
}

function measureToApply(
  accommodationId: string,
  kind: Protected<AccommodationKind>,
  terms: Protected<AccommodationTerms> | undefined,
): Protected<MeasureToApply> {
  if (isWithheld(kind)) return kind;
  const known = terms === undefined ? undefined : disclosed(terms);
  if (terms !== undefined && isWithheld(terms) && terms.withheld === 'erased') return ERASED;
  return { accommodationId, kind, instruction: INSTRUCTIONS[kind](known ? extraTimeOf(known) : undefined) };
}
