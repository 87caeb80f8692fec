/**
 * The api's request pipeline without the command, on Express or on Fastify (`PLATFORM`), in its
 * own process: Nest, a bearer JWT verified as the api verifies its own tokens (HS256, JwtService, the secret as a KeyObject),
 * the api's ValidationPipe options on the very request DTO of the measured command
 * (RecordAssessmentRequest), UUID path parameters, and an answer shaped like a command's. No
 * database, no decision: what is left is what the HTTP platform and Nest cost per request, the
 * only part of a command that choosing Fastify over Express could change.
 *
 * The api chose Fastify on this measure (issue 19) and runs on it; the pipeline is kept on both
 * platforms here so that the choice stays measured, everything else equal, in every bench run
 * (the share of the platform in a command is read from the api's CPU profile, `--cpu-prof`).
 */
import 'reflect-metadata';
import { createSecretKey, randomUUID } from 'node:crypto';
import {
  Body,
  CanActivate,
  Controller,
  ExecutionContext,
  HttpCode,
  Injectable,
  Module,
  Param,
  ParseUUIDPipe,
  Post,
  UnauthorizedException,
  ValidationPipe,
} from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { RecordAssessmentRequest } from '../apps/api/src/enrollments/record-assessment/record-assessment.request.dto';

@Injectable()
class BearerGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; actor?: unknown }>();
    const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
    if (!match) throw new UnauthorizedException();
    const claims = await this.jwt.verifyAsync<{ sub: string; role: string; org: string }>(match[1], { algorithms: ['HS256'] });
    request.actor = { id: claims.sub, role: claims.role, organisationId: claims.org };
    return true;
  }
}

@Controller()
class FloorController {
  @Post('enrollments/:id/sittings/:sittingId/assessments')
  @HttpCode(201)
  record(@Param('id', ParseUUIDPipe) id: string, @Param('sittingId', ParseUUIDPipe) sittingId: string, @Body() body: RecordAssessmentRequest) {
    return {
      id: randomUUID(),
      streamId: `enrollment-${id}`,
      revision: body.results.length,
      position: `${sittingId.length}-1`,
      events: ['AssessmentRecorded', 'CompetencyAcquired'],
    };
  }
}

@Module({
  // A KeyObject, as the api's AuthModule gives it: jsonwebtoken tries a string secret as a PEM public key first, at every verification.
  imports: [JwtModule.register({ secret: createSecretKey(Buffer.from(process.env.JWT_SECRET ?? '', 'utf8')) as unknown as string })],
  controllers: [FloorController],
  providers: [{ provide: APP_GUARD, useClass: BearerGuard }],
})
class FloorModule {}

async function main(): Promise<void> {
  const platform = process.env.PLATFORM;
  let app;
  if (platform === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    app = await NestFactory.create(FloorModule, new FastifyAdapter(), { logger: ['error'] });
  } else if (platform === 'express') {
    app = await NestFactory.create(FloorModule, { logger: ['error'] });
  } else throw new Error(`PLATFORM must be express or fastify, got ${platform}`);
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.once('SIGTERM', () => void app.close().finally(() => process.exit(0)));
  console.log('ready');
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
