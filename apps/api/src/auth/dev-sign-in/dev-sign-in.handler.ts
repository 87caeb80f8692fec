import { ForbiddenException, Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '@jalon/config';
import { APP_CONFIG } from '@jalon/runtime';
import { DevSignInAnswer, SESSION_SECONDS } from '../auth.dto';
import { DevSignInCommand } from './dev-sign-in.command';

@CommandHandler(DevSignInCommand)
export class DevSignInHandler implements ICommandHandler<DevSignInCommand, DevSignInAnswer> {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ asked }: DevSignInCommand): Promise<DevSignInAnswer> {
    if (!this.config.devSignIn)
      throw new ForbiddenException({
        code: 'AUTH.DEV_SIGN_IN_DISABLED',
        message: 'the development sign-in is off on this service: sign in through the identity provider',
      });
    const accessToken = this.jwt.sign({ role: asked.role, org: asked.organisationId }, { subject: asked.subject, expiresIn: SESSION_SECONDS });
    return { accessToken, tokenType: 'Bearer', expiresIn: SESSION_SECONDS };
  }
}
