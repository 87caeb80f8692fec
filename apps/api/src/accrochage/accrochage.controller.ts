import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';
import { AuthenticatedActor, CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiCommandResponses, ApiProblemResponses, Problems } from '../shared/api-responses';
import { DeclareHoldersRequest, HoldersQuery } from './accrochage.requests.dto';
import { AwardedHolderView, CertifierView, DeclarationReportView } from './accrochage.responses.dto';
import { DeclareHoldersCommand } from './declare-holders/declare-holders.command';
import { GetDeclarationFluxQuery } from './get-declaration-flux/get-declaration-flux.query';
import { ListCertifiersQuery } from './list-certifiers/list-certifiers.query';
import { ListHoldersToDeclareQuery } from './list-holders-to-declare/list-holders-to-declare.query';

const UNKNOWN_CERTIFIER = {
  status: 404,
  description: 'ACCROCHAGE.UNKNOWN_CERTIFIER: no such certifier configured for the caller’s organisation',
} as const;
const NOT_CONFIGURED = { status: 409, description: 'ACCROCHAGE.NOT_CONFIGURED: no certifier is configured (ACCROCHAGE_CERTIFIERS)' } as const;

/**
 * The accrochage (Code du travail L6113-8): each holder declared to the Caisse des Dépôts within
 * three months of the award, as the CDC's XML flux, from the log, exactly once. Admins only.
 */
@ApiTags('accrochage')
@ApiBearerAuth()
@Controller('accrochage/certifiers')
export class AccrochageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'The certifiers the caller’s organisation declares for, with the certifications (RNCP / RS codes) each declares' })
  @ApiOkResponse({ type: [CertifierView] })
  @ApiProblemResponses(401, 403, 429)
  certifiers(@CurrentActor() actor: AuthenticatedActor): Promise<CertifierView[]> {
    return this.queries.execute(new ListCertifiersQuery(actor));
  }

  @Get(':certifier/holders')
  @Roles('admin')
  @ApiOperation({
    summary:
      'Holders to declare: every award of the certifier’s certifications with its due date (award + 3 months) and where it stands; those to declare first, the most overdue first, then those to correct, erased, annulled, declared',
  })
  @ApiOkResponse({ type: [AwardedHolderView] })
  @ApiProblemResponses(Problems.invalidQuery, 401, 403, UNKNOWN_CERTIFIER, NOT_CONFIGURED, 429)
  holders(@Param('certifier') certifierId: string, @Query() query: HoldersQuery, @CurrentActor() actor: AuthenticatedActor): Promise<AwardedHolderView[]> {
    return this.queries.execute(new ListHoldersToDeclareQuery(certifierId, query, actor));
  }

  @Post(':certifier/declarations')
  @Roles('admin')
  @ApiOperation({
    summary:
      'Declare the holders not declared yet (of the period asked): one flux recorded as an event, each holder under the stable id of their award; `redeclare` declares the declared ones again under the same id. Holders with a missing or invalid field, annulled or erased ones are listed, not declared. Each identity opened is a recorded read (R14). The flux’s XML is at `file`.',
  })
  @ApiResponse({ status: 201, type: DeclarationReportView })
  @ApiCommandResponses(UNKNOWN_CERTIFIER, NOT_CONFIGURED, Problems.readNotRecorded)
  declare(
    @Param('certifier') certifierId: string,
    @Body() body: DeclareHoldersRequest,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<DeclarationReportView> {
    return this.commands.execute(
      new DeclareHoldersCommand(
        certifierId,
        { ...(body.from ? { from: body.from } : {}), ...(body.to ? { to: body.to } : {}) },
        body.redeclare ?? false,
        actor,
      ),
    );
  }

  @Get(':certifier/declarations/:fluxId')
  @Roles('admin')
  @ApiProduces('application/xml')
  @ApiOperation({
    summary:
      'A recorded flux as the Caisse des Dépôts takes it (XSD v2.0.0): the same id, timestamp and holders every time; each identity opened is a recorded read (R14)',
  })
  @ApiOkResponse({ description: 'The XML flux', content: { 'application/xml': { schema: { type: 'string' } } } })
  @ApiProblemResponses(401, 403, UNKNOWN_CERTIFIER, { status: 404, description: 'ACCROCHAGE.UNKNOWN_FLUX: no such flux recorded' }, NOT_CONFIGURED, 429)
  async flux(
    @Param('certifier') certifierId: string,
    @Param('fluxId') fluxId: string,
    @CurrentActor() actor: AuthenticatedActor,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const flux = await this.queries.execute(new GetDeclarationFluxQuery(certifierId, fluxId, actor));
    // Streamed as it is written, a page of holders at a time: the flux's back-pressure is the client's.
    const body = new PassThrough();
    response.status(200).type('application/xml').header('Content-Disposition', `attachment; filename="${fluxId}.xml"`).send(body);
    // A failure is Fastify's to answer from there: a problem if nothing was sent yet, else a cut answer.
    await flux.write(body).then(
      () => body.end(),
      (error: Error) => body.destroy(error),
    );
  }
}
