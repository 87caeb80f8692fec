import { PartialType } from '@nestjs/swagger';
import { RegisterCandidateRequest } from '../register-candidate/register-candidate.request.dto';

/** Any identity field, as registration takes it: the fields given replace the recorded ones. */
export class AmendCandidateIdentityRequest extends PartialType(RegisterCandidateRequest) {}
