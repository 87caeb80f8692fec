import { createSecretKey } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig, resolveJwtSecret } from '@jalon/config';
import { AuthController } from './auth.controller';
import { DevSignInHandler } from './dev-sign-in/dev-sign-in.handler';
import { GetSignInMethodsHandler } from './get-sign-in-methods/get-sign-in-methods.handler';
import { IdentityProvider } from './identity-provider';

/**
 * Who is calling: the api's own tokens (HS256) and the identity provider's (OIDC), how the console
 * signs people in. Exports what the global AuthGuard verifies tokens with.
 */
@Module({})
export class AuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a
        // public key on every verification (and fails), which cost a fifth of a request's CPU.
        JwtModule.register({
          secret: createSecretKey(Buffer.from(resolveJwtSecret(config), 'utf8')) as unknown as string,
          signOptions: { algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        }),
      ],
      controllers: [AuthController],
      providers: [IdentityProvider, GetSignInMethodsHandler, DevSignInHandler],
      exports: [JwtModule, IdentityProvider],
    };
  }
}
