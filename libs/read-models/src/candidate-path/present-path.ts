import { shippedErrata, withErrata } from '@jalon/catalogue';
import {
  ActiveEnrollment,
  blocProgress,
  certificationKindOf,
  indexReferential,
  maySeeSittingConditions,
  owedEpreuves,
  pathProgress,
  Referential,
  ReferentialIndex,
  Viewer,
} from '@jalon/domain';

/** What a candidate's path looks like to its readers: every bloc, competency, sitting and requirement. */
export interface PathView {
  enrollmentId: string;
  candidateId: string;
  organisationId: string;
  certification: {
    referentialId: string;
    version: string;
    kind: string;
    title: string;
    rncpCode?: string;
    rsCode?: string;
    level?: number;
    eqfLevel?: number;
    certifier?: string;
  };
  cohort: string;
  accessRoute: string;
  /** The maître d'apprentissage and the company, for an apprenticeship. */
  apprenticeship?: { masterId: string; company: string };
  trainingStartDate?: string;
  options: { bloc: string; label?: string }[];
  status: string;
  blocs: {
    code: string;
    /** Absent where the référentiel gives the bloc no title: it is shown by its code. */
    title?: string;
    status: string;
    required: boolean;
    optionGroup?: string;
    validatedAt?: string;
    decidedBy?: string;
    competencies: {
      code: string;
      title: string;
      acquired: boolean;
      acquiredAt?: string;
      assessments: {
        assessmentId: string;
        epreuve: string;
        attempt: number;
        observation?: number;
        /** Every criterion of the épreuve met, as last corrected: a failed attempt shows as failed. */
        passed: boolean;
        heldAt?: string;
        capacity?: string;
        criteriaMet: number;
        criteria: number;
        correctedBy?: string;
        voided?: true;
      }[];
    }[];
  }[];
  sittings: {
    sittingId: string;
    epreuve: string;
    bloc: string;
    attempt: number;
    observation?: number;
    status: string;
    scheduledAt: string;
    heldAt?: string;
    assessors: string[];
    /** The capacity in which they assess (the épreuve's assessor kind). */
    assessorKind?: string;
    timedParts: { code: string; baseDurationMinutes: number; effectiveDurationMinutes?: number }[];
  }[];
  extraRequirements: { code: string; title: string; validated: boolean; validatedAt?: string }[];
  missing: {
    blocs: string[];
    optionGroups: { group: string; missing: number }[];
    extraRequirements: string[];
    /** For each bloc not yet validatable, the épreuves still owed (any one of them, where one suffices). */
    epreuves: { bloc: string; epreuves: string[] }[];
  };
  /** Where a transferred path goes on (R13): the new enrollment and its version. */
  transferredTo?: { enrollmentId: string; referentialId: string; version: string };
  /** The final jury's last decision: a refusal or a deferral leaves the path ready for the jury, and says so here. */
  juryDecision?: {
    decision: 'awarded' | 'refused' | 'deferred';
    place: string;
    reason?: string;
    by: string;
    at: string;
    revoked?: { at: string; cause: 'bloc-annulled'; blocCode: string };
  };
  awardedAt?: string;
  /**
   * Attestations (one per bloc validated) and certificates issued, each verifiable by its number;
   * then, once the holder's personal data is erased, each decision whose document will never be issued.
   */
  documents: PathDocumentView[];
}

type PathBloc = PathView['blocs'][number];
/**
 * The path as the read model stores it: its own facts, without what its référentiel says — the
 * certification's identity, the blocs', competencies', options' and requirements' titles — which
 * the question adds from the référentiel (`pathFromRecord`; see presentPathRecord).
 */
export interface PathRecord extends Omit<PathView, 'certification' | 'options' | 'blocs' | 'extraRequirements'> {
  options: { bloc: string }[];
  blocs: (Omit<PathBloc, 'title' | 'competencies'> & { competencies: Omit<PathBloc['competencies'][number], 'title'>[] })[];
  extraRequirements: Omit<PathView['extraRequirements'][number], 'title'>[];
}

export interface IssuedDocumentView {
  number: string;
  kind: 'attestation' | 'certificate';
  blocCode?: string;
  issuedAt: string;
  status: 'valid' | 'revoked';
  revokedAt?: string;
  revocationReason?: string;
}

/**
 * A decision that gets no document: its holder's personal data was erased before it was issued, and
 * a document cannot name an erased holder (R14). It has no number: a number is given on issue.
 */
export interface NotIssuedDocumentView {
  kind: 'attestation' | 'certificate';
  blocCode?: string;
  /** When the decision was taken: the bloc validated, the certification awarded. */
  decidedAt: string;
  status: 'not-issued';
  reason: 'holder-erased';
}

export type PathDocumentView = IssuedDocumentView | NotIssuedDocumentView;

/** What a path's readers know beyond its state: whether its holder's personal data was erased (R14). */
export interface PathHolder {
  personalDataErasedAt?: string;
}

/**
 * The documents of a path: those issued, oldest first (a state's maps say nothing by their key order: it is not
 * kept), then, once the holder's personal data is erased, the decisions that will never get theirs.
 * A document is owed for each bloc validated here (a carried bloc's attestation is its source's)
 * and for the certification awarded; with its holder erased, one not issued yet never will be —
 * the issuance job finds no name to print, and the reconciler leaves it alone — so it is listed
 * here as not issued, and why, rather than left silent.
 */
export function pathDocuments(state: ActiveEnrollment, holder: PathHolder = {}): PathDocumentView[] {
  const issued: IssuedDocumentView[] = Object.values(state.documents)
    .sort((a, b) => a.issuedAt.localeCompare(b.issuedAt) || a.number.localeCompare(b.number))
    .map((d) => ({
      number: d.number,
      kind: d.kind,
      ...(d.blocCode ? { blocCode: d.blocCode } : {}),
      issuedAt: d.issuedAt,
      status: d.revokedAt ? 'revoked' : 'valid',
      ...(d.revokedAt ? { revokedAt: d.revokedAt, revocationReason: d.revocationReason } : {}),
    }));
  if (!holder.personalDataErasedAt) return issued;
  // A decision got its document if one was issued since it was taken, revoked or not: a document
  // issued before it proves an earlier decision (annulled since), and one revoked since (the bloc
  // annulled where it was carried to) was issued all the same.
  const documented = (kind: IssuedDocumentView['kind'], decidedAt: string, blocCode?: string) =>
    issued.some((d) => d.kind === kind && d.blocCode === blocCode && Date.parse(d.issuedAt) >= Date.parse(decidedAt));
  const notIssued: NotIssuedDocumentView[] = Object.entries(state.blocs)
    .filter(
      ([code, bloc]) => bloc.status === 'validated' && bloc.decidedBy !== 'transfer' && bloc.validatedAt && !documented('attestation', bloc.validatedAt, code),
    )
    .sort(([a, x], [b, y]) => x.validatedAt!.localeCompare(y.validatedAt!) || a.localeCompare(b))
    .map(([code, bloc]) => ({ kind: 'attestation', blocCode: code, decidedAt: bloc.validatedAt!, status: 'not-issued', reason: 'holder-erased' }));
  if (state.status === 'certified' && !documented('certificate', state.awardedAt)) {
    notIssued.push({ kind: 'certificate', decidedAt: state.awardedAt, status: 'not-issued', reason: 'holder-erased' });
  }
  return [...issued, ...notIssued];
}

/** The competencies each criterion bears on (the index says it the other way round), kept per référentiel index. */
const competenciesOfCriteria = new WeakMap<ReferentialIndex, ReadonlyMap<string, readonly string[]>>();
function competenciesOf(index: ReferentialIndex): ReadonlyMap<string, readonly string[]> {
  let found = competenciesOfCriteria.get(index);
  if (!found) {
    const byCriterion = new Map<string, string[]>();
    for (const [competency, criteria] of index.criteriaBearingOn)
      for (const criterion of new Set(criteria)) byCriterion.set(criterion, [...(byCriterion.get(criterion) ?? []), competency]);
    competenciesOfCriteria.set(index, (found = byCriterion));
  }
  return found;
}

const stated = new WeakMap<Referential, Referential>();

/**
 * The référentiel as it states itself: what the catalogue's errata mark as only assumed (the level
 * of a v1 file) is left out, as on the documents. Kept per référentiel object (the resolver keeps
 * them), so the content hash the errata are checked against is computed once, not per question.
 */
function statedIdentity(referential: Referential): Referential {
  let found = stated.get(referential);
  if (!found) stated.set(referential, (found = withErrata(referential, shippedErrata())));
  return found;
}

/** The certification a path leads to, as its référentiel states it (what the errata mark as only assumed left out). */
export function presentCertification(referential: Referential): PathView['certification'] {
  const { certification } = statedIdentity(referential);
  return {
    referentialId: referential.referential,
    version: referential.version,
    kind: certificationKindOf(referential),
    title: certification.title,
    ...(certification.rncpCode ? { rncpCode: certification.rncpCode } : {}),
    ...(certification.rsCode ? { rsCode: certification.rsCode } : {}),
    ...(certification.level !== undefined ? { level: certification.level } : {}),
    ...(certification.eqfLevel !== undefined ? { eqfLevel: certification.eqfLevel } : {}),
    ...(certification.certifier ? { certifier: certification.certifier } : {}),
  };
}

export function presentPath(state: ActiveEnrollment, referential: Referential, holder: PathHolder = {}): PathView {
  return pathFromRecord(presentPathRecord(state, referential, holder), referential);
}

/** A stored path with what its référentiel says: its certification as stated today, and the titles of what it names. */
export function pathFromRecord(record: PathRecord, referential: Referential): PathView {
  const index = indexReferential(referential);
  const { enrollmentId, candidateId, organisationId, ...rest } = record;
  const { options, blocs, extraRequirements } = record;
  const requirementTitles = new Map((referential.extraRequirements ?? []).map((r) => [r.code, r.title]));
  return {
    enrollmentId,
    candidateId,
    organisationId,
    certification: presentCertification(referential),
    // The record's keys in their order; those below take the référentiel's text where they stand.
    ...rest,
    options: options.map(({ bloc }) => ({ bloc, label: index.blocs.get(bloc)?.optionLabel })),
    blocs: blocs.map(({ code, competencies, ...bloc }) => {
      const title = index.blocs.get(code)?.title;
      return {
        code,
        ...(title ? { title } : {}),
        ...bloc,
        competencies: competencies.map(({ code: competency, ...facts }) => ({
          code: competency,
          title: index.competencies.get(competency)?.competency.title ?? competency,
          ...facts,
        })),
      };
    }),
    extraRequirements: extraRequirements.map(({ code, ...facts }) => ({ code, title: requirementTitles.get(code) ?? code, ...facts })),
  };
}

/**
 * The path as the read model stores it (`candidate_paths.path`), folded once per change rather
 * than per question: every bloc, competency, sitting, requirement and document, for every reader.
 * The certification's identity is left to the question (`presentCertification`): it is what the
 * catalogue states today, and its errata may change that without a new fact on the path.
 */
export function presentPathRecord(state: ActiveEnrollment, referential: Referential, holder: PathHolder = {}): PathRecord {
  const index = indexReferential(referential);
  const progress = pathProgress(state, referential);
  const blocs = blocProgress(state, referential);
  // A state's maps say nothing by their key order (a stored state may come back in another): order explicitly, by attempt (or observation).
  const attemptOf = (sittingId: string) => state.sittings[sittingId]?.attempt ?? 1;
  const rankOf = (sittingId: string) => attemptOf(sittingId) + (state.sittings[sittingId]?.observation ?? 0);
  // Voided ones (their bloc annulled) stay, marked: a person reading the path sees what was assessed and that it no longer counts.
  // Each assessment's results read once; a competency shows those whose criteria bear on it, with their counts.
  const assessments = Object.values(state.assessments)
    .sort((a, b) => a.epreuveCode.localeCompare(b.epreuveCode) || rankOf(a.sittingId) - rankOf(b.sittingId))
    .map((a) => {
      // Per competency its criteria bear on: how many of them the assessment rated, and how many met.
      const counts = new Map<string, { criteria: number; criteriaMet: number }>();
      let passed = true;
      for (const [criterion, met] of Object.entries(a.results)) {
        if (!met) passed = false;
        for (const competency of competenciesOf(index).get(criterion) ?? []) {
          const count = counts.get(competency) ?? { criteria: 0, criteriaMet: 0 };
          count.criteria += 1;
          if (met) count.criteriaMet += 1;
          counts.set(competency, count);
        }
      }
      return { a, sitting: state.sittings[a.sittingId], counts, passed };
    });
  return {
    enrollmentId: state.enrollmentId,
    candidateId: state.candidateId,
    organisationId: state.organisationId,
    cohort: state.cohort,
    accessRoute: state.accessRoute,
    ...(state.apprenticeship ? { apprenticeship: { ...state.apprenticeship } } : {}),
    ...(state.trainingStartDate ? { trainingStartDate: state.trainingStartDate } : {}),
    options: state.optionBlocs.map((bloc) => ({ bloc })),
    status: progress.status,
    blocs: referential.blocs.map((bloc, i) => ({
      code: bloc.code,
      status: blocs[i].status,
      required: blocs[i].required,
      ...(bloc.optionGroup ? { optionGroup: bloc.optionGroup } : {}),
      ...(blocs[i].validatedAt ? { validatedAt: blocs[i].validatedAt, decidedBy: state.blocs[bloc.code]?.decidedBy } : {}),
      competencies: bloc.competencies.map((competency) => {
        const acquiredAt = state.acquiredCompetencies[competency.code];
        return {
          code: competency.code,
          acquired: acquiredAt !== undefined,
          ...(acquiredAt ? { acquiredAt } : {}),
          assessments: assessments.flatMap(({ a, sitting, counts, passed }) => {
            const count = counts.get(competency.code);
            if (!count) return [];
            const { criteria, criteriaMet } = count;
            // The counts are the corrected results: a corrected assessment says so, naming its last correction.
            return [
              {
                assessmentId: a.id,
                epreuve: a.epreuveCode,
                attempt: attemptOf(a.sittingId),
                ...(sitting?.observation !== undefined ? { observation: sitting.observation } : {}),
                passed,
                ...(sitting?.heldAt ? { heldAt: sitting.heldAt } : {}),
                ...(a.capacity ? { capacity: a.capacity } : {}),
                criteriaMet,
                criteria,
                ...(a.correctedBy ? { correctedBy: a.correctedBy } : {}),
                ...(a.voided ? { voided: true as const } : {}),
              },
            ];
          }),
        };
      }),
    })),
    sittings: Object.values(state.sittings)
      .sort((a, b) => a.blocCode.localeCompare(b.blocCode) || a.epreuveCode.localeCompare(b.epreuveCode) || rankOf(a.id) - rankOf(b.id))
      .map((s) => ({
        sittingId: s.id,
        epreuve: s.epreuveCode,
        bloc: s.blocCode,
        attempt: s.attempt,
        ...(s.observation !== undefined ? { observation: s.observation } : {}),
        status: s.status,
        scheduledAt: s.scheduledAt,
        ...(s.heldAt ? { heldAt: s.heldAt } : {}),
        assessors: [...s.assessorIds],
        ...(s.assessorKind ? { assessorKind: s.assessorKind } : {}),
        timedParts: s.timedParts.map((p) => ({ ...p })),
      })),
    extraRequirements: (referential.extraRequirements ?? []).map((r) => ({
      code: r.code,
      validated: state.extraRequirements[r.code] !== undefined,
      ...(state.extraRequirements[r.code] ? { validatedAt: state.extraRequirements[r.code] } : {}),
    })),
    missing: {
      blocs: [...progress.missingBlocs],
      optionGroups: [...progress.optionGroupsToChoose],
      extraRequirements: [...progress.missingExtraRequirements],
      epreuves: owedEpreuves(state, referential),
    },
    ...(state.status === 'transferred'
      ? {
          transferredTo: {
            enrollmentId: state.transferredTo.enrollmentId,
            referentialId: state.transferredTo.referentialId,
            version: state.transferredTo.version,
          },
        }
      : {}),
    ...(state.juryDecision
      ? { juryDecision: { ...state.juryDecision, ...(state.juryDecision.revoked ? { revoked: { ...state.juryDecision.revoked } } : {}) } }
      : {}),
    ...(state.status === 'certified' ? { awardedAt: state.awardedAt } : {}),
    documents: pathDocuments(state, holder),
  };
}

/** Who a path is about, and whether they consented to tell the jury (R10): what a reader's view of its sittings turns on. */
export type PathAccess = Pick<ActiveEnrollment, 'candidateId' | 'juryDisclosureConsent'>;

/**
 * The path as this reader may see it: a sitting's effective durations only where the reader may
 * know of an extra time (R14); elsewhere the base durations alone.
 */
export function pathAsSeenBy<P extends Pick<PathView, 'sittings'>>(viewer: Viewer, path: P, access: PathAccess): P {
  return {
    ...path,
    sittings: path.sittings.map((sitting) =>
      maySeeSittingConditions(viewer, access, { assessorIds: sitting.assessors })
        ? sitting
        : { ...sitting, timedParts: sitting.timedParts.map(({ code, baseDurationMinutes }) => ({ code, baseDurationMinutes })) },
    ),
  };
}

/** A path folded from its events (a past date, say), as this reader may see it. */
export function presentPathFor(viewer: Viewer, state: ActiveEnrollment, referential: Referential, holder: PathHolder = {}): PathView {
  return pathAsSeenBy(viewer, presentPath(state, referential, holder), state);
}
