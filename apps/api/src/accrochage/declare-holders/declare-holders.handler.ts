import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AccrochageDeclarations } from '@jalon/accrochage';
import { DeclarationReportView } from '../accrochage.responses.dto';
import { DeclareHoldersCommand } from './declare-holders.command';

@CommandHandler(DeclareHoldersCommand)
export class DeclareHoldersHandler implements ICommandHandler<DeclareHoldersCommand, DeclarationReportView> {
  constructor(private readonly declarations: AccrochageDeclarations) {}

  async execute({ certifierId, period, redeclare, actor }: DeclareHoldersCommand): Promise<DeclarationReportView> {
    // Recorded here; its XML is written when fetched (from the event: the same flux every time).
    const report = await this.declarations.declare({ certifierId, ...period, redeclare, actor });
    return {
      ...report,
      declared: [...report.declared],
      refused: report.refused.map((r) => ({ ...r, problems: [...r.problems] })),
      toCorrect: [...report.toCorrect],
      annulled: [...report.annulled],
      erased: [...report.erased],
      ...(report.fluxId ? { file: `/accrochage/certifiers/${report.certifierId}/declarations/${report.fluxId}` } : {}),
    };
  }
}
