import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AccrochageDeclarations } from '@jalon/accrochage';
import { GetDeclarationFluxQuery, RecordedFlux } from './get-declaration-flux.query';

@QueryHandler(GetDeclarationFluxQuery)
export class GetDeclarationFluxHandler implements IQueryHandler<GetDeclarationFluxQuery, RecordedFlux> {
  constructor(private readonly declarations: AccrochageDeclarations) {}

  execute({ certifierId, fluxId, actor }: GetDeclarationFluxQuery): Promise<RecordedFlux> {
    return this.declarations.recordedFlux(certifierId, fluxId, actor);
  }
}
