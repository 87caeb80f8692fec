import { Command } from '@nestjs/cqrs';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { DeclarationReportView } from '../accrochage.responses.dto';

/** Declare a certifier's holders not declared yet (or again, with `redeclare`), as one recorded flux. */
export class DeclareHoldersCommand extends Command<DeclarationReportView> {
  constructor(
    readonly certifierId: string,
    readonly period: { readonly from?: string; readonly to?: string },
    readonly redeclare: boolean,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}
