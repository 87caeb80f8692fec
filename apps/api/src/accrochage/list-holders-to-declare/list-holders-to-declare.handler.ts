import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AccrochageDeclarations } from '@jalon/accrochage';
import { holdersStanding } from '@jalon/read-models';
import { SQL_DB, SqlDb } from '@jalon/runtime';
import { AwardedHolderView } from '../accrochage.responses.dto';
import { ListHoldersToDeclareQuery } from './list-holders-to-declare.query';

@QueryHandler(ListHoldersToDeclareQuery)
export class ListHoldersToDeclareHandler implements IQueryHandler<ListHoldersToDeclareQuery, AwardedHolderView[]> {
  constructor(
    private readonly declarations: AccrochageDeclarations,
    @Inject(SQL_DB) private readonly db: SqlDb,
  ) {}

  async execute({ certifierId, filters, actor }: ListHoldersToDeclareQuery): Promise<AwardedHolderView[]> {
    const certifier = this.declarations.certifier(certifierId, actor);
    const holders = await holdersStanding(this.db, {
      organisationId: certifier.organisationId,
      referentialIds: certifier.certifications.map((c) => c.referentialId),
      ...filters,
    });
    return holders.map((h) => ({
      enrollmentId: h.enrollmentId,
      candidateId: h.candidateId,
      referentialId: h.referentialId,
      version: h.version,
      accessRoute: h.accessRoute,
      idTechnique: h.idTechnique,
      awardedAt: h.awardedAt,
      dueDate: h.dueDate,
      status: h.status,
      ...(h.certificateNumber ? { certificateNumber: h.certificateNumber } : {}),
      ...(h.declaredAt ? { declaredAt: h.declaredAt, declaredFluxId: h.declaredFluxId } : {}),
      ...(h.revokedAt ? { revokedAt: h.revokedAt } : {}),
      ...(h.erasedAt ? { erasedAt: h.erasedAt } : {}),
    }));
  }
}
