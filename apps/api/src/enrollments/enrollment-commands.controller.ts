import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuthenticatedActor, CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiCommandResponses } from '../shared/api-responses';
import { CommandOutcome, CreatedOutcome } from '../shared/command-outcome';
import { UuidParam } from '../shared/uuid-param';
import { AmendAccommodationCommand } from './amend-accommodation/amend-accommodation.command';
import { AmendAccommodationRequest } from './amend-accommodation/amend-accommodation.request.dto';
import { AnnulBlocCommand } from './annul-bloc/annul-bloc.command';
import { AnnulBlocRequest } from './annul-bloc/annul-bloc.request.dto';
import { ChangeApprenticeshipMasterCommand } from './change-apprenticeship-master/change-apprenticeship-master.command';
import { ChangeApprenticeshipMasterRequest } from './change-apprenticeship-master/change-apprenticeship-master.request.dto';
import { ChooseOptionCommand } from './choose-option/choose-option.command';
import { ChooseOptionRequest } from './choose-option/choose-option.request.dto';
import { CorrectAssessmentCommand } from './correct-assessment/correct-assessment.command';
import { CorrectAssessmentRequest } from './correct-assessment/correct-assessment.request.dto';
import { EndAccommodationCommand } from './end-accommodation/end-accommodation.command';
import { enrollCommandOf } from './enroll/enroll.command';
import { EnrollRequest } from './enroll/enroll.request.dto';
import { NoFieldsRequest } from '../shared/no-fields-request.dto';
import { AccommodationTermsRequest, accommodationTermsOf, ConsentRequest, criterionResultsOf, ReasonRequest } from './enrollment.requests.dto';
import { GrantAccommodationCommand } from './grant-accommodation/grant-accommodation.command';
import { RecordAssessmentCommand } from './record-assessment/record-assessment.command';
import { RecordAssessmentRequest } from './record-assessment/record-assessment.request.dto';
import { RecordFinalDecisionCommand } from './record-final-decision/record-final-decision.command';
import { FinalDecisionRequest } from './record-final-decision/record-final-decision.request.dto';
import { RecordJuryConsentCommand } from './record-jury-consent/record-jury-consent.command';
import { RecordSittingHeldCommand } from './record-sitting-held/record-sitting-held.command';
import { RecordSittingHeldRequest } from './record-sitting-held/record-sitting-held.request.dto';
import { ScheduleSittingCommand } from './schedule-sitting/schedule-sitting.command';
import { ScheduleSittingRequest } from './schedule-sitting/schedule-sitting.request.dto';
import { TransferCommand } from './transfer/transfer.command';
import { TransferRequest } from './transfer/transfer.request.dto';
import { ValidateBlocCommand } from './validate-bloc/validate-bloc.command';
import { ValidateExtraRequirementCommand } from './validate-extra-requirement/validate-extra-requirement.command';
import { WithdrawCommand } from './withdraw/withdraw.command';
import { WithdrawJuryConsentCommand } from './withdraw-jury-consent/withdraw-jury-consent.command';

/**
 * Every act on an enrollment over HTTP: each route only translates the request into its command
 * (one folder per use case: the command, its handler, its request body) and sends it on the
 * command bus. Each answers the stream revision and the global
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
  {
    status: 403,
    description:
      'The act refuses this caller: ASSESSMENT.ASSESSOR_NOT_ASSIGNED, ASSESSMENT.FORMER_APPRENTICESHIP_MASTER, SITTING.ASSESSOR_NOT_ASSIGNED, CONSENT.NOT_CANDIDATE',
  },
  { status: 404, description: 'No such enrollment (or not visible to the caller)' },
  { status: 409, description: 'The path does not allow this now, or a concurrent change' },
)
@Controller('enrollments')
export class EnrollmentCommandsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary: 'Enroll a candidate in a certification version (pinned), with cohort, access route and option',
    description:
      'Refused with 400 ENROLLMENT.ROUTE_NOT_OPEN (`accessRoute`: the version is not open to it; `openRoutes` lists those it is) or ENROLLMENT.APPRENTICESHIP_MASTER_REQUIRED (`apprenticeship`: the route owes épreuves the maître d’apprentissage assesses) or OPTION.INCOMPLETABLE_ON_ROUTE (`optionBlocs`: an option bloc no épreuve owed on the route can complete; `bloc`, `route`, `competencies`); 409 ENROLLMENT.VERSION_WITHDRAWN (`withdrawnAt`: the version takes no new enrollment).',
  })
  @ApiResponse({ status: 201, type: CreatedOutcome })
  enroll(@Body() body: EnrollRequest, @CurrentActor() actor: AuthenticatedActor): Promise<CreatedOutcome> {
    return this.commands.execute(enrollCommandOf(actor, body));
  }

  @Post(':enrollmentId/option')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the stream and the global log stand after the command' })
  @Roles('admin')
  @ApiOperation({
    summary: 'Choose or change the option while nothing of it is validated',
    description:
      'Refused with 400 OPTION.INCOMPLETABLE_ON_ROUTE (`bloc`, `route`, `competencies`) for a newly chosen option bloc no épreuve owed on the path’s route can complete.',
  })
  chooseOption(@UuidParam('enrollmentId') id: string, @Body() body: ChooseOptionRequest, @CurrentActor() actor: AuthenticatedActor): Promise<CommandOutcome> {
    return this.commands.execute(new ChooseOptionCommand(id, actor, body.optionBlocs));
  }

  @Post(':enrollmentId/apprenticeship-master')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the stream and the global log stand after the command' })
  @Roles('admin')
  @ApiOperation({
    summary: "Change the maître d'apprentissage (and company) of an apprenticeship, saying why",
    description:
      "From then on the épreuves the maître d'apprentissage assesses are assigned to and assessed by the new one alone: the sittings of those épreuves not yet assessed are reassigned to them; what the former one assessed stays recorded and counts as before (the jury corrects it if need be: 403 ASSESSMENT.FORMER_APPRENTICESHIP_MASTER to the former one). Naming the master and company already named records nothing. Refused with 409 APPRENTICESHIP.NOT_AN_APPRENTICESHIP (the enrollment names none and its route has none), ENROLLMENT.WITHDRAWN, ENROLLMENT.TRANSFERRED or ENROLLMENT.CERTIFIED.",
  })
  changeApprenticeshipMaster(
    @UuidParam('enrollmentId') id: string,
    @Body() body: ChangeApprenticeshipMasterRequest,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<CommandOutcome> {
    return this.commands.execute(new ChangeApprenticeshipMasterCommand(id, actor, body.masterId, body.company, body.reason));
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
    return this.commands.execute(new GrantAccommodationCommand(id, actor, accommodationTermsOf(body)));
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
    return this.commands.execute(new AmendAccommodationCommand(id, actor, accommodationId, accommodationTermsOf(body), body.reason));
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
    return this.commands.execute(new EndAccommodationCommand(id, actor, accommodationId, body.reason));
  }

  @Post(':enrollmentId/jury-consent')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the stream and the global log stand after the command' })
  @Roles('candidate', 'referent')
  @ApiOperation({ summary: 'Record the candidate’s consent to disclose a situation of disability to the final jury (R10)' })
  recordConsent(@UuidParam('enrollmentId') id: string, @Body() body: ConsentRequest, @CurrentActor() actor: AuthenticatedActor): Promise<CommandOutcome> {
    return this.commands.execute(new RecordJuryConsentCommand(id, actor, body.note));
  }

  @Post(':enrollmentId/jury-consent/withdrawal')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the stream and the global log stand after the command' })
  @Roles('candidate', 'referent')
  @ApiOperation({ summary: 'Withdraw that consent' })
  withdrawConsent(@UuidParam('enrollmentId') id: string, @Body() body: ConsentRequest, @CurrentActor() actor: AuthenticatedActor): Promise<CommandOutcome> {
    return this.commands.execute(new WithdrawJuryConsentCommand(id, actor, body.note));
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
    return this.commands.execute(new ScheduleSittingCommand(id, actor, body.epreuveCode, body.scheduledAt, body.assessorIds));
  }

  @Post(':enrollmentId/sittings/:sittingId/held')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the stream and the global log stand after the command' })
  @Roles('admin', 'assessor')
  @ApiOperation({
    summary: 'Record the sitting as held, with the conditions actually given (durations, accommodations applied): the admin, or an assessor of the sitting',
  })
  recordHeld(
    @UuidParam('enrollmentId') id: string,
    @UuidParam('sittingId') sittingId: string,
    @Body() body: RecordSittingHeldRequest,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<CommandOutcome> {
    const timedParts = body.timedParts.map((p) => ({ code: p.code, actualDurationMinutes: p.actualDurationMinutes }));
    return this.commands.execute(new RecordSittingHeldCommand(id, actor, sittingId, body.heldAt, timedParts, body.accommodationsApplied, body.mode));
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
    return this.commands.execute(new RecordAssessmentCommand(id, actor, sittingId, criterionResultsOf(body.results)));
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
    return this.commands.execute(new CorrectAssessmentCommand(id, actor, assessmentId, criterionResultsOf(body.results), body.reason));
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
    return this.commands.execute(new ValidateBlocCommand(id, actor, blocCode));
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
    return this.commands.execute(new AnnulBlocCommand(id, actor, blocCode, body.reason, body.details));
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
    return this.commands.execute(new ValidateExtraRequirementCommand(id, actor, requirementCode));
  }

  @Post(':enrollmentId/final-decision')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the stream and the global log stand after the command' })
  @Roles('jury')
  @ApiOperation({ summary: 'Record the final jury decision; "awarded" awards the certification when every requirement is met' })
  finalDecision(@UuidParam('enrollmentId') id: string, @Body() body: FinalDecisionRequest, @CurrentActor() actor: AuthenticatedActor): Promise<CommandOutcome> {
    return this.commands.execute(new RecordFinalDecisionCommand(id, actor, body.decision, body.place, body.reason));
  }

  @Post(':enrollmentId/withdrawal')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the stream and the global log stand after the command' })
  @Roles('admin')
  @ApiOperation({ summary: 'Record the candidate’s withdrawal; acquired blocs remain acquired' })
  withdraw(@UuidParam('enrollmentId') id: string, @Body() body: ReasonRequest, @CurrentActor() actor: AuthenticatedActor): Promise<CommandOutcome> {
    return this.commands.execute(new WithdrawCommand(id, actor, body.reason));
  }

  @Post(':enrollmentId/transfer')
  @Roles('admin')
  @ApiOperation({ summary: 'Transfer to another version, saying which acquired blocs carry over; answers the new enrollment' })
  @ApiResponse({ status: 201, type: CreatedOutcome })
  transfer(@UuidParam('enrollmentId') id: string, @Body() body: TransferRequest, @CurrentActor() actor: AuthenticatedActor): Promise<CreatedOutcome> {
    return this.commands.execute(new TransferCommand(id, actor, body.toReferentialId, body.toVersion, body.carriedBlocs, body.optionBlocs ?? []));
  }
}
