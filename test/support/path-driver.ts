import { indexReferential, Referential } from '@jalon/domain';
import { HttpActor, registerCandidate } from './http-actors';

/** Drives enrollments through the HTTP acts, as a school and its juries would. */
export class PathDriver {
  constructor(
    readonly referential: Referential,
    readonly actors: { admin: HttpActor; assessor: HttpActor; jury: HttpActor; referent: HttpActor },
  ) {}

  criteria(epreuveCode: string): string[] {
    return [...indexReferential(this.referential).epreuves.get(epreuveCode)!.criteria];
  }

  async enroll(body: { optionBlocs?: string[]; cohort?: string; candidateId?: string } = {}): Promise<string> {
    const response = await this.actors.admin
      .post('/enrollments', {
        candidateId: body.candidateId ?? (await registerCandidate(this.actors.admin)),
        referentialId: this.referential.referential,
        version: this.referential.version,
        cohort: body.cohort ?? '2026-A',
        accessRoute: 'formation-continue',
        optionBlocs: body.optionBlocs ?? [],
      })
      .expect(201);
    return response.body.id;
  }

  /** Schedules, holds and assesses one sitting; `met` decides each criterion. Returns the last answer. */
  async sit(
    id: string,
    epreuveCode: string,
    options: { met?: (criterion: string) => boolean; applied?: string[]; extraTime?: boolean; mode?: 'on-site' | 'distance' } = {},
  ) {
    const { admin, assessor } = this.actors;
    const epreuve = indexReferential(this.referential).epreuves.get(epreuveCode)!.epreuve;
    const sittingId = (
      await admin.post(`/enrollments/${id}/sittings`, { epreuveCode, scheduledAt: '2026-06-15T09:00:00Z', assessorIds: [assessor.id] }).expect(201)
    ).body.id;
    const timedParts = (epreuve.timedParts ?? []).map((p) => ({
      code: p.code,
      actualDurationMinutes: options.extraTime ? Math.ceil((p.baseDurationMinutes * 4) / 3) : p.baseDurationMinutes,
    }));
    await admin
      .post(`/enrollments/${id}/sittings/${sittingId}/held`, {
        heldAt: '2026-06-15T09:00:00Z',
        timedParts,
        accommodationsApplied: options.applied ?? [],
        ...(options.mode ? { mode: options.mode } : {}),
      })
      .expect(200);
    const met = options.met ?? (() => true);
    const assessed = await assessor
      .post(`/enrollments/${id}/sittings/${sittingId}/assessments`, {
        results: this.criteria(epreuveCode).map((criterion) => ({ criterion, met: met(criterion) })),
      })
      .expect(201);
    return { sittingId, assessmentId: assessed.body.id as string, outcome: assessed.body };
  }

  async passBloc(id: string, blocCode: string, options: { applied?: string[]; extraTime?: boolean; mode?: 'on-site' | 'distance' } = {}) {
    for (const epreuve of this.referential.blocs.find((b) => b.code === blocCode)!.epreuves) await this.sit(id, epreuve.code, options);
    if (this.referential.validationPolicy.blocValidation === 'jury')
      return (await this.actors.jury.post(`/enrollments/${id}/blocs/${blocCode}/validation`).expect(200)).body;
    return undefined;
  }
}
