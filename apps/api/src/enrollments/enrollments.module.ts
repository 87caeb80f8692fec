import { Module } from '@nestjs/common';
import { EventSourcingModule } from '@jalon/runtime';
import { AmendAccommodationHandler } from './amend-accommodation/amend-accommodation.handler';
import { AnnulBlocHandler } from './annul-bloc/annul-bloc.handler';
import { ChangeApprenticeshipMasterHandler } from './change-apprenticeship-master/change-apprenticeship-master.handler';
import { ChooseOptionHandler } from './choose-option/choose-option.handler';
import { CorrectAssessmentHandler } from './correct-assessment/correct-assessment.handler';
import { EndAccommodationHandler } from './end-accommodation/end-accommodation.handler';
import { EnrollHandler } from './enroll/enroll.handler';
import { EnrollmentCommandsController } from './enrollment-commands.controller';
import { EnrollmentCommands } from './enrollment-commands.service';
import { GrantAccommodationHandler } from './grant-accommodation/grant-accommodation.handler';
import { RecordAssessmentHandler } from './record-assessment/record-assessment.handler';
import { RecordFinalDecisionHandler } from './record-final-decision/record-final-decision.handler';
import { RecordJuryConsentHandler } from './record-jury-consent/record-jury-consent.handler';
import { RecordSittingHeldHandler } from './record-sitting-held/record-sitting-held.handler';
import { ScheduleSittingHandler } from './schedule-sitting/schedule-sitting.handler';
import { TransferHandler } from './transfer/transfer.handler';
import { ValidateBlocHandler } from './validate-bloc/validate-bloc.handler';
import { ValidateExtraRequirementHandler } from './validate-extra-requirement/validate-extra-requirement.handler';
import { WithdrawHandler } from './withdraw/withdraw.handler';
import { WithdrawJuryConsentHandler } from './withdraw-jury-consent/withdraw-jury-consent.handler';

/**
 * The acts on enrollments: one folder per use case (its command, its handler, its request body),
 * the controller that turns each route into its command, and EnrollmentCommands, the one way
 * their handlers decide and write (access, référentiel, which sealed facts are opened).
 */
@Module({
  imports: [EventSourcingModule],
  controllers: [EnrollmentCommandsController],
  providers: [
    EnrollmentCommands,
    EnrollHandler,
    ChooseOptionHandler,
    ChangeApprenticeshipMasterHandler,
    GrantAccommodationHandler,
    AmendAccommodationHandler,
    EndAccommodationHandler,
    RecordJuryConsentHandler,
    WithdrawJuryConsentHandler,
    ScheduleSittingHandler,
    RecordSittingHeldHandler,
    RecordAssessmentHandler,
    CorrectAssessmentHandler,
    ValidateBlocHandler,
    AnnulBlocHandler,
    ValidateExtraRequirementHandler,
    RecordFinalDecisionHandler,
    WithdrawHandler,
    TransferHandler,
  ],
  exports: [EnrollmentCommands],
})
export class EnrollmentsModule {}
