import { Command } from '@nestjs/cqrs';
import { DevSignInAnswer, DevSignInRequest } from '../auth.dto';

/** The development sign-in: a token for the role, organisation and person chosen, where DEV_SIGN_IN is on. */
export class DevSignInCommand extends Command<DevSignInAnswer> {
  constructor(readonly asked: DevSignInRequest) {
    super();
  }
}
