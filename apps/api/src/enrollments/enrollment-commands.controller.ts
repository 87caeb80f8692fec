import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  AccommodationTerms,
  ActiveEnrollment,
  Actor,
  decideEnrollment,
  EnrollmentCommand,
  evolveEnrollment,
  initialEnrollmentState,
  transferInCommand,
} from '@jalon/domain';
import { newId } from '@jalon/event-store';
import { AuthenticatedActor, CurrentActor, Roles } from '../auth/auth.decorators';
import { ReferentialResolver } from '@jalon/runtime';
import { ApiCommandResponses } from '../shared/api-responses';
import { CommandOutcome } from '../shared/command-outcome';
import { EnrollmentCommands } from './enrollment-commands.service';
import {
  AccommodationTermsRequest,
  AmendAccommodationRequest,
  AnnulBlocRequest,
  ChooseOptionRequest,
  CorrectAssessmentRequest,
  EnrollRequest,
  FinalDecisionRequest,
  ConsentRequest,
  NoFieldsRequest,
  ReasonRequest,
  RecordAssessmentRequest,
  RecordSittingHeldRequest,
  ScheduleSittingRequest,
  TransferRequest,
} from './enrollment.requests.dto';
import { UuidParam } from '../shared/uuid-param';

export class CreatedOutcome extends CommandOutcome {
  @ApiProperty({ format: 'uuid', description: 'Id of what the command created (enrollment, sitting, accommodation, assessment, correction)' })
  id!: string;
}

const actorOf = (actor: AuthenticatedActor): Actor => ({ id: actor.id, role: actor.role });
const terms = (body: AccommodationTermsRequest): AccommodationTerms => ({
  kind: body.kind,
  ...(body.extraTime ? { extraTime: { numerator: body.extraTime.numerator, denominator: body.extraTime.denominator } } : {}),
  scope: body.epreuves ? { all: false, epreuves: body.epreuves } : { all: true },
  validFrom: body.validFrom,
  ...(body.validUntil ? { validUntil: body.validUntil } : {}),
  ...(body.details ? { details: body.details } : {}),
});

/**
 * Every act of the enrollment decider over HTTP. Each answers the stream revision and the global
 * position it reached (pass it as `consistentWith` to queries); domain refusals come back as
 * problem+json with their stable code.
 */
@ApiTags('enrollments: acts')
@ApiBearerAuth()
@ApiCommandResponses(
  {
    status: 400,
    description:
      'The act does not fit the référentiel or the path: a code of its own, naming the `field` where there is one; or an id in the path is not a uuid',
  },
  { status: 403, description: 'The act refuses this caller: ASSESSMENT.ASSESSOR_NOT_ASSIGNED, CONSENT.NOT_CANDIDATE' },
  { status: 404, description: 'No such enrollment (or not visible to the caller)' },
  { status: 409, description: 'The path does not allow this now, or a concurrent change' },
)
@Controller('enrollments')
export class EnrollmentCommandsController {
  constructor(
    private readonly commands: EnrollmentCommands,
    private readonly referentials: ReferentialResolver,
  ) {}

  private async created(enrollmentId: string, id: string, actor: AuthenticatedActor, build: (now: string) => EnrollmentCommand): Promise<CreatedOutcome> {
    return { id, ...(await this.commands.run(enrollmentId, actor, build)) };
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Enroll a candidate in a certification version (pinned), with cohort, access route and option' })
  @ApiResponse({ status: 201, type: CreatedOutcome })
  async enroll(@Body() body: EnrollRequest, @CurrentActor() actor: AuthenticatedActor): Promise<CreatedOutcome> {
    await this.commands.assertCandidateRegistered(body.candidateId, actor);
    const enrollmentId = newId('enrollment');
    return this.created(enrollmentId, enrollmentId, actor, (now) => ({
      type: 'Enroll',
      data: {
        enrollmentId,
        candidateId: body.candidateId,
        organisationId: actor.organisationId,
        referentialId: body.referentialId,
        version: body.version,
        cohort: body.cohort,
        accessRoute: body.accessRoute,
        optionBlocs: body.optionBlocs ?? [],
        by: actorOf(actor),
        now,
      },
    }));
  }

  @Post(':enrollmentId/option')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the stream and the global log stand after the command' })
  @Roles('admin')
  @ApiOperation({ summary: 'Choose or change the option while nothing of it is validated' })
  chooseOption(@UuidParam('enrollmentId') id: string, @Body() body: ChooseOptionRequest, @CurrentActor() actor: AuthenticatedActor): Promise<CommandOutcome> {
    return this.commands.run(id, actor, (now) => ({ type: 'ChooseOption', data: { optionBlocs: body.optionBlocs, by: actorOf(actor), now } }));
  }

  @Post(':enrollmentId/accommodations')
  @Roles('referent')
  @ApiOperation({ summary: 'Grant an accommodation (the disability referent): kind, scope, validity; the measure, never a diagnosis' })
  @ApiResponse({ status: 201, type: CreatedOutcome })
  grantAccommodation(
    @UuidParam('enrollmentId') id: string,
    @Body() body: AccommodationTermsRequest,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<CreatedOutcome> {
    const accommodationId = newId('accommodation');
    return this.created(id, accommodationId, actor, (now) => ({
      type: 'GrantAccommodation',
      data: { accommodationId, terms: terms(body), by: actorOf(actor), now },
    }));
  }

  @Post(':enrollmentId/accommodations/:accommodationId/amendment')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the stream and the global log stand after the command' })
  @Roles('referent')
  @ApiOperation({ summary: 'Amend an accommodation: its new terms and why' })
  amendAccommodation(
    @UuidParam('enrollmentId') id: string,
    @UuidParam('accommodationId') accommodationId: string,
    @Body() body: AmendAccommodationRequest,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<CommandOutcome> {
    return this.commands.run(id, actor, (now) => ({
      type: 'AmendAccommodation',
      data: { accommodationId, terms: terms(body), reason: body.reason, by: actorOf(actor), now },
    }));
  }

  @Post(':enrollmentId/accommodations/:accommodationId/end')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the stream and the global log stand after the command' })
  @Roles('referent')
  @ApiOperation({ summary: 'End an accommodation' })
  endAccommodation(
    @UuidParam('enrollmentId') id: string,
    @UuidParam('accommodationId') accommodationId: string,
    @Body() body: ReasonRequest,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<CommandOutcome> {
    return this.commands.run(id, actor, (now) => ({ type: 'EndAccommodation', data: { accommodationId, reason: body.reason, by: actorOf(actor), now } }));
  }

  @Post(':enrollmentId/jury-consent')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the stream and the global log stand after the command' })
  @Roles('candidate', 'referent')
  @ApiOperation({ summary: 'Record the candidate’s consent to disclose a situation of disability to the final jury (R10)' })
  recordConsent(@UuidParam('enrollmentId') id: string, @Body() body: ConsentRequest, @CurrentActor() actor: AuthenticatedActor): Promise<CommandOutcome> {
    return this.commands.run(id, actor, (now) => ({
      type: 'RecordJuryDisclosureConsent',
      data: { ...(body.note !== undefined ? { note: body.note } : {}), by: actorOf(actor), now },
    }));
  }

  @Post(':enrollmentId/jury-consent/withdrawal')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the stream and the global log stand after the command' })
  @Roles('candidate', 'referent')
  @ApiOperation({ summary: 'Withdraw that consent' })
  withdrawConsent(@UuidParam('enrollmentId') id: string, @Body() body: ConsentRequest, @CurrentActor() actor: AuthenticatedActor): Promise<CommandOutcome> {
    return this.commands.run(id, actor, (now) => ({
      type: 'WithdrawJuryDisclosureConsent',
      data: { ...(body.note !== undefined ? { note: body.note } : {}), by: actorOf(actor), now },
    }));
  }

  @Post(':enrollmentId/sittings')
  @Roles('admin')
  @ApiOperation({ summary: 'Schedule a sitting of an épreuve with its assessors; effective durations follow the accommodations in force' })
  @ApiResponse({ status: 201, type: CreatedOutcome })
  scheduleSitting(
    @UuidParam('enrollmentId') id: string,
    @Body() body: ScheduleSittingRequest,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<CreatedOutcome> {
    const sittingId = newId('sitting');
    return this.created(id, sittingId, actor, (now) => ({
      type: 'ScheduleSitting',
      data: { sittingId, epreuveCode: body.epreuveCode, scheduledAt: body.scheduledAt, assessorIds: body.assessorIds, by: actorOf(actor), now },
    }));
  }

  @Post(':enrollmentId/sittings/:sittingId/held')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the stream and the global log stand after the command' })
  @Roles('admin')
  @ApiOperation({ summary: 'Record the sitting as held, with the conditions actually given (durations, accommodations applied)' })
  recordHeld(
    @UuidParam('enrollmentId') id: string,
    @UuidParam('sittingId') sittingId: string,
    @Body() body: RecordSittingHeldRequest,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<CommandOutcome> {
    return this.commands.run(id, actor, (now) => ({
      type: 'RecordSittingHeld',
      data: {
        sittingId,
        heldAt: body.heldAt,
        timedParts: body.timedParts.map((p) => ({ code: p.code, actualDurationMinutes: p.actualDurationMinutes })),
        accommodationsApplied: body.accommodationsApplied,
        by: actorOf(actor),
        now,
      },
    }));
  }

  @Post(':enrollmentId/sittings/:sittingId/assessments')
  @Roles('assessor')
  @ApiOperation({ summary: 'Record the assessment of a held sitting: each criterion met or not (an assigned assessor)' })
  @ApiResponse({ status: 201, type: CreatedOutcome })
  recordAssessment(
    @UuidParam('enrollmentId') id: string,
    @UuidParam('sittingId') sittingId: string,
    @Body() body: RecordAssessmentRequest,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<CreatedOutcome> {
    const assessmentId = newId('assessment');
    return this.created(id, assessmentId, actor, (now) => ({
      type: 'RecordAssessment',
      data: {
        assessmentId,
        sittingId,
        results: body.results.map((r) => ({ criterion: r.criterion, met: r.met, ...(r.comment ? { comment: r.comment } : {}) })),
        by: actorOf(actor),
        now,
      },
    }));
  }

  @Post(':enrollmentId/assessments/:assessmentId/corrections')
  @Roles('assessor', 'jury')
  @ApiOperation({ summary: 'Correct an assessment: a new fact pointing at it, with the reason (never an overwrite)' })
  @ApiResponse({ status: 201, type: CreatedOutcome })
  correctAssessment(
    @UuidParam('enrollmentId') id: string,
    @UuidParam('assessmentId') assessmentId: string,
    @Body() body: CorrectAssessmentRequest,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<CreatedOutcome> {
    const correctionId = newId('correction');
    return this.created(id, correctionId, actor, (now) => ({
      type: 'CorrectAssessment',
      data: {
        correctionId,
        assessmentId,
        results: body.results.map((r) => ({ criterion: r.criterion, met: r.met, ...(r.comment ? { comment: r.comment } : {}) })),
        reason: body.reason,
        by: actorOf(actor),
        now,
      },
    }));
  }

  @Post(':enrollmentId/blocs/:blocCode/validation')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the stream and the global log stand after the command' })
  @Roles('jury')
  @ApiOperation({ summary: 'Validate a bloc whose competencies are all acquired (jury decision)' })
  @ApiBody({ type: NoFieldsRequest, required: false, description: 'No fields: the bloc is in the path, the jury member in the token' })
  validateBloc(
    @UuidParam('enrollmentId') id: string,
    @Param('blocCode') blocCode: string,
    @Body() _body: NoFieldsRequest,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<CommandOutcome> {
    return this.commands.run(id, actor, (now) => ({ type: 'ValidateBloc', data: { blocCode, by: actorOf(actor), now } }));
  }

  @Post(':enrollmentId/blocs/:blocCode/annulment')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the stream and the global log stand after the command' })
  @Roles('jury')
  @ApiOperation({ summary: 'Annul a validated bloc (fraud, plagiarism) with a reason; revokes a certificate resting on it' })
  annulBloc(
    @UuidParam('enrollmentId') id: string,
    @Param('blocCode') blocCode: string,
    @Body() body: AnnulBlocRequest,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<CommandOutcome> {
    return this.commands.run(id, actor, (now) => ({
      type: 'AnnulBloc',
      data: { blocCode, reason: body.reason, details: body.details, by: actorOf(actor), now },
    }));
  }

  @Post(':enrollmentId/requirements/:requirementCode/validation')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the stream and the global log stand after the command' })
  @Roles('jury')
  @ApiOperation({ summary: 'Validate an extra requirement of the full certification (projet fil rouge, soutenance finale)' })
  @ApiBody({ type: NoFieldsRequest, required: false, description: 'No fields: the requirement is in the path, the jury member in the token' })
  validateRequirement(
    @UuidParam('enrollmentId') id: string,
    @Param('requirementCode') requirementCode: string,
    @Body() _body: NoFieldsRequest,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<CommandOutcome> {
    return this.commands.run(id, actor, (now) => ({ type: 'ValidateExtraRequirement', data: { requirementCode, by: actorOf(actor), now } }));
  }

  @Post(':enrollmentId/final-decision')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the stream and the global log stand after the command' })
  @Roles('jury')
  @ApiOperation({ summary: 'Record the final jury decision; "awarded" awards the certification when every requirement is met' })
  finalDecision(@UuidParam('enrollmentId') id: string, @Body() body: FinalDecisionRequest, @CurrentActor() actor: AuthenticatedActor): Promise<CommandOutcome> {
    return this.commands.run(id, actor, (now) => ({
      type: 'RecordFinalJuryDecision',
      data: { decision: body.decision, place: body.place, ...(body.reason ? { reason: body.reason } : {}), by: actorOf(actor), now },
    }));
  }

  @Post(':enrollmentId/withdrawal')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the stream and the global log stand after the command' })
  @Roles('admin')
  @ApiOperation({ summary: 'Record the candidate’s withdrawal; acquired blocs remain acquired' })
  withdraw(@UuidParam('enrollmentId') id: string, @Body() body: ReasonRequest, @CurrentActor() actor: AuthenticatedActor): Promise<CommandOutcome> {
    return this.commands.run(id, actor, (now) => ({ type: 'Withdraw', data: { reason: body.reason, by: actorOf(actor), now } }));
  }

  @Post(':enrollmentId/transfer')
  @Roles('admin')
  @ApiOperation({ summary: 'Transfer to another version, saying which acquired blocs carry over; answers the new enrollment' })
  @ApiResponse({ status: 201, type: CreatedOutcome })
  async transfer(@UuidParam('enrollmentId') id: string, @Body() body: TransferRequest, @CurrentActor() actor: AuthenticatedActor): Promise<CreatedOutcome> {
    const source = await this.commands.load(id, actor);
    // The two streams are written one after the other: if the new enrollment could not be written,
    // the source says transferred to an enrollment that does not exist. The same request completes
    // it (and the worker does, if nobody retries: TransferCompletion).
    // A retry of this very request (same Idempotency-Key) finds the transfer it recorded, under the
    // id it derives: it completes it, or answers it from the new stream if that was written too.
    const recorded = source.transferredTo && sameTransfer(source.transferredTo, body) ? source.transferredTo : undefined;
    const unfinished = recorded && (recorded.enrollmentId === newId('transfer-target') || !(await this.commands.exists(recorded.enrollmentId)));
    let transferred: ActiveEnrollment = source;
    if (!unfinished) {
      const transferOut: EnrollmentCommand = {
        type: 'TransferOut',
        data: {
          toEnrollmentId: newId('transfer-target'),
          toReferentialId: body.toReferentialId,
          toVersion: body.toVersion,
          carriedBlocs: body.carriedBlocs,
          optionBlocs: body.optionBlocs ?? [],
          by: actorOf(actor),
          now: new Date().toISOString(),
        },
      };
      // Both decisions are taken before either stream is written, so a refused transfer changes nothing.
      const out = decideEnrollment(transferOut, source, { referential: await this.referentials.resolve(source.referentialId, source.version) });
      transferred = out.reduce(evolveEnrollment, source) as ActiveEnrollment;
      decideEnrollment(transferInCommand(id, transferred), initialEnrollmentState(), {
        referential: await this.referentials.resolve(body.toReferentialId, body.toVersion),
      });
      await this.commands.run(id, actor, () => transferOut);
    }
    const transferIn = transferInCommand(id, transferred);
    return this.created(transferIn.data.enrollmentId, transferIn.data.enrollmentId, actor, () => transferIn);
  }
}

/** Whether a request asks for the transfer the source recorded: same version, same blocs carried. */
function sameTransfer(recorded: NonNullable<ActiveEnrollment['transferredTo']>, asked: TransferRequest): boolean {
  const pairs = (blocs: readonly { fromBloc: string; toBloc: string }[]) =>
    blocs
      .map((c) => `${c.fromBloc}>${c.toBloc}`)
      .sort()
      .join(',');
  return recorded.referentialId === asked.toReferentialId && recorded.version === asked.toVersion && pairs(recorded.carriedBlocs) === pairs(asked.carriedBlocs);
}
