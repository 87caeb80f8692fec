import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { APPRENTICESHIP_MASTER_KIND, indexReferential, maySeeSittingConditions, NotFoundError } from '@jalon/domain';
import { formatPosition, RecordedEvent } from '@jalon/event-store';
import { PersonalDataVault } from '@jalon/privacy';
import { pathDocuments, pathHolder } from '@jalon/read-models';
import { ReferentialResolver } from '@jalon/runtime';
import { PathReads, toDomain } from '../path-reads.service';
import { GetBlocProvenance } from './get-bloc-provenance.query';

@QueryHandler(GetBlocProvenance)
export class GetBlocProvenanceHandler implements IQueryHandler<GetBlocProvenance, Record<string, unknown>> {
  constructor(
    private readonly paths: PathReads,
    private readonly referentials: ReferentialResolver,
    private readonly vault: PersonalDataVault,
  ) {}

  async execute({ enrollmentId, blocCode, actor }: GetBlocProvenance): Promise<Record<string, unknown>> {
    const { events, state } = await this.paths.history(enrollmentId, actor);
    const referential = await this.referentials.resolve(state.referentialId, state.version);
    const bloc = referential.blocs.find((b) => b.code === blocCode);
    if (!bloc) throw new NotFoundError('BLOC.UNKNOWN', `bloc ${blocCode} does not exist in ${referential.referential}@${referential.version}`);
    const index = indexReferential(referential);
    const epreuves = new Set(bloc.epreuves.map((e) => e.code));
    const competencies = new Set(bloc.competencies.map((c) => c.code));
    const sittings = new Set<string>();
    const assessments = new Set<string>();
    const accommodations = new Set<string>();
    const trace = (e: RecordedEvent) => ({ eventId: e.id, position: formatPosition(e.position), recordedAt: e.recordedAt, type: e.type });
    // Durations longer than the base ones say "extra time", an accommodation id "has a measure":
    // both shown only to readers who may know (R14), the jury only with consent (R10).
    const mayKnow = (assessorIds: readonly string[]) => maySeeSittingConditions(actor, state, { assessorIds });
    const durationsFor = (parts: readonly { code: string; baseDurationMinutes: number; effectiveDurationMinutes: number }[], assessorIds: readonly string[]) =>
      mayKnow(assessorIds) ? parts : parts.map(({ code, baseDurationMinutes }) => ({ code, baseDurationMinutes }));
    const heldDurationsFor = (parts: readonly { code: string; scheduledMinutes: number; actualDurationMinutes: number }[], assessorIds: readonly string[]) =>
      mayKnow(assessorIds) ? parts : parts.map(({ code }) => ({ code }));
    const idsFor = (ids: readonly string[], assessorIds: readonly string[]) => (mayKnow(assessorIds) ? ids : []);
    const items: Record<string, unknown>[] = [];
    const attestations = new Map<string, Record<string, unknown>>();
    for (const event of events) {
      const domain = toDomain(event);
      switch (domain.type) {
        case 'SittingScheduled':
          if (!epreuves.has(domain.data.epreuveCode)) break;
          sittings.add(domain.data.sittingId);
          if (mayKnow(domain.data.assessorIds)) domain.data.applicableAccommodations.forEach((a) => accommodations.add(a.accommodationId));
          // Which measures applied is told in `accommodations`, to the readers who may know (R14): here, ids only.
          items.push({
            ...trace(event),
            sittingId: domain.data.sittingId,
            epreuve: domain.data.epreuveCode,
            attempt: domain.data.attempt,
            ...(domain.data.observation !== undefined ? { observation: domain.data.observation } : {}),
            scheduledAt: domain.data.scheduledAt,
            assessors: domain.data.assessorIds,
            ...(domain.data.assessorKind ? { assessorKind: domain.data.assessorKind } : {}),
            timedParts: durationsFor(domain.data.timedParts, domain.data.assessorIds),
            accommodationsApplicable: idsFor(
              domain.data.applicableAccommodations.map((a) => a.accommodationId),
              domain.data.assessorIds,
            ),
            by: domain.data.by,
            at: domain.data.at,
          });
          break;
        case 'SittingConditionsRevised':
          // An accommodation changed before the sitting was held: what it owed from then on (R11).
          // The revision itself says "has a measure": told only to readers who may know.
          if (!sittings.has(domain.data.sittingId) || !mayKnow(state.sittings[domain.data.sittingId]?.assessorIds ?? [])) break;
          domain.data.applicableAccommodations.forEach((a) => accommodations.add(a.accommodationId));
          items.push({
            ...trace(event),
            sittingId: domain.data.sittingId,
            timedParts: domain.data.timedParts,
            accommodationsApplicable: domain.data.applicableAccommodations.map((a) => a.accommodationId),
            cause: domain.data.cause,
            by: domain.data.by,
            at: domain.data.at,
          });
          break;
        case 'SittingHeld': {
          if (!sittings.has(domain.data.sittingId)) break;
          const assessorIds = state.sittings[domain.data.sittingId]?.assessorIds ?? [];
          items.push({
            ...trace(event),
            sittingId: domain.data.sittingId,
            heldAt: domain.data.heldAt,
            timedParts: heldDurationsFor(domain.data.timedParts, assessorIds),
            accommodationsApplied: idsFor(domain.data.accommodationsApplied, assessorIds),
            accommodationsNotApplied: idsFor(
              domain.data.accommodationsNotApplied.map((a) => a.accommodationId),
              assessorIds,
            ),
            by: domain.data.by,
            at: domain.data.at,
          });
          break;
        }
        case 'AssessmentRecorded':
          if (domain.data.blocCode !== blocCode) break;
          assessments.add(domain.data.assessmentId);
          items.push({
            ...trace(event),
            assessmentId: domain.data.assessmentId,
            sittingId: domain.data.sittingId,
            epreuve: domain.data.epreuveCode,
            attempt: domain.data.attempt,
            results: domain.data.results,
            passed: domain.data.passed,
            assessor: domain.data.by,
            // The capacity in which the assessor acted (maître d'apprentissage, enseignant…), as recorded.
            ...(domain.data.capacity ? { capacity: domain.data.capacity } : {}),
            at: domain.data.at,
          });
          break;
        case 'AssessmentCorrected': {
          if (!assessments.has(domain.data.assessmentId)) break;
          items.push({
            ...trace(event),
            correctionId: domain.data.correctionId,
            corrects: domain.data.assessmentId,
            results: domain.data.results,
            reason: domain.data.reason,
            by: domain.data.by,
            ...(domain.data.capacity ? { capacity: domain.data.capacity } : {}),
            at: domain.data.at,
          });
          // The assessment it corrects is marked: its results are no longer what stands.
          const corrected = items.find((item) => item.type === 'AssessmentRecorded' && item.assessmentId === domain.data.assessmentId)!;
          corrected.correctedBy = [...((corrected.correctedBy as string[] | undefined) ?? []), domain.data.correctionId];
          break;
        }
        case 'CompetencyAcquired':
        case 'CompetencyAcquisitionRevoked':
          if (!competencies.has(domain.data.competencyCode)) break;
          items.push({ ...trace(event), ...domain.data });
          break;
        case 'BlocBecameValidatable':
        case 'BlocNoLongerValidatable':
        case 'BlocValidated':
        case 'BlocAnnulled':
          if (domain.data.blocCode !== blocCode) break;
          items.push({ ...trace(event), ...domain.data });
          break;
        case 'ApprenticeshipMasterChanged':
          // Who assesses the bloc's épreuves of the maître d'apprentissage from then on, and which of its sittings went to them.
          if (!bloc.epreuves.some((e) => e.assessorKind === APPRENTICESHIP_MASTER_KIND)) break;
          items.push({
            ...trace(event),
            apprenticeship: domain.data.apprenticeship,
            ...(domain.data.previous ? { previous: domain.data.previous } : {}),
            reason: domain.data.reason,
            reassignedSittings: domain.data.reassignedSittings.filter((id) => sittings.has(id)),
            by: domain.data.by,
            at: domain.data.at,
          });
          break;
        case 'EnrolledByTransfer': {
          // A bloc carried over from the previous version (R13): its grant is in the source enrollment.
          const carried = domain.data.carriedBlocs.find((c) => c.toBloc === blocCode);
          if (!carried) break;
          items.push({
            ...trace(event),
            carriedFrom: {
              enrollmentId: domain.data.fromEnrollmentId,
              version: domain.data.fromVersion,
              bloc: carried.fromBloc,
              validatedAt: carried.validatedAt,
              provenance: `/enrollments/${domain.data.fromEnrollmentId}/blocs/${carried.fromBloc}/provenance`,
            },
            by: domain.data.by,
            at: domain.data.at,
          });
          break;
        }
        case 'DocumentIssued': {
          const { document } = domain.data;
          if (document.kind !== 'attestation' || document.blocCode !== blocCode) break;
          const issued = {
            ...trace(event),
            number: document.number,
            decisionEventId: document.decisionEventId,
            pdfSha256: document.pdfSha256,
            credentialSha256: document.credentialSha256,
            by: domain.data.by,
            at: domain.data.at,
          };
          items.push(issued);
          attestations.set(document.number, {
            number: document.number,
            status: 'valid',
            issuedAt: domain.data.at,
            decisionEventId: document.decisionEventId,
            eventId: event.id,
            position: formatPosition(event.position),
            verification: `/verifications/${document.number}`,
          });
          break;
        }
        case 'DocumentReissued': {
          const { reissue } = domain.data;
          const attestation = attestations.get(reissue.number);
          if (!attestation) break;
          items.push({ ...trace(event), ...reissue, by: domain.data.by, at: domain.data.at });
          attestations.set(reissue.number, { ...attestation, version: reissue.version, reissuedAt: domain.data.at });
          break;
        }
        case 'DocumentRevoked': {
          const attestation = attestations.get(domain.data.number);
          if (!attestation) break;
          items.push({ ...trace(event), number: domain.data.number, reasonCategory: domain.data.reasonCategory, by: domain.data.by, at: domain.data.at });
          attestations.set(domain.data.number, {
            ...attestation,
            status: 'revoked',
            revokedAt: domain.data.at,
            revocationReason: domain.data.reasonCategory,
            revocationEventId: event.id,
          });
          break;
        }
        default:
          break;
      }
    }
    // The grants, amendments and ends of the measures that applied to the bloc's sittings, as facts
    // (ids, dates, who); what they were is in `accommodations`, as this reader may see it (R14).
    const granted = events
      .map((event) => ({ event, domain: toDomain(event) }))
      .filter(
        ({ domain }) =>
          (domain.type === 'AccommodationGranted' || domain.type === 'AccommodationAmended' || domain.type === 'AccommodationEnded') &&
          accommodations.has(domain.data.accommodationId),
      )
      .map(({ event, domain }) => ({
        ...trace(event),
        accommodationId: (domain.data as { accommodationId: string }).accommodationId,
        by: domain.data.by,
        at: domain.data.at,
      }));
    const measures = await this.paths.accommodationsFor(actor, state, {
      enrollmentId,
      view: 'provenance:accommodations',
      open: () => this.vault.open(events.map(toDomain)),
      only: accommodations,
    });
    // A decision whose attestation will never be issued (its holder's personal data erased) says so.
    const notIssued = pathDocuments(state, await pathHolder(this.paths.db, enrollmentId)).filter(
      (d) => d.status === 'not-issued' && d.kind === 'attestation' && d.blocCode === blocCode,
    );
    return {
      enrollmentId,
      bloc: { code: bloc.code, title: bloc.title, status: state.blocs[blocCode]?.status ?? 'not-validated' },
      referential: {
        referentialId: referential.referential,
        version: referential.version,
        validationPolicy: referential.validationPolicy,
        rule: 'all-competencies-acquired',
        competencies: bloc.competencies.map((c) => ({ code: c.code, criteria: index.criteriaBearingOn.get(c.code) ?? [] })),
      },
      accommodations: measures,
      accommodationHistory: granted,
      history: items,
      // Each attestation issued for the bloc, with the decision it records and whether it still stands.
      attestations: [...attestations.values(), ...notIssued],
    };
  }
}
