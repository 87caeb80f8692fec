import { Query } from '@nestjs/cqrs';
import { AuthenticatedActor } from '../../auth/auth.decorators';

/** A recorded flux, ready to be written: the XML the Caisse des Dépôts takes. */
export interface RecordedFlux {
  readonly holders: number;
  write(out: NodeJS.WritableStream): Promise<unknown>;
}

export class GetDeclarationFluxQuery extends Query<RecordedFlux> {
  constructor(
    readonly certifierId: string,
    readonly fluxId: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}
