import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';

import { SQL_DB, SqlDb } from '@jalon/runtime';
import { publishedReferentials } from '@jalon/read-models';
import { ListReferentialsQuery } from './list-referentials.query';
import { ReferentialSummaryDto } from './referential-summary.response.dto';

/** Every published version (shipped or imported), from the read model fed by the log. */
@QueryHandler(ListReferentialsQuery)
export class ListReferentialsHandler implements IQueryHandler<ListReferentialsQuery, ReferentialSummaryDto[]> {
  constructor(@Inject(SQL_DB) private readonly db: SqlDb) {}

  async execute(): Promise<ReferentialSummaryDto[]> {
    return (await publishedReferentials(this.db)).map(({ content: r, contentHash }) => ({
      referential: r.referential,
      version: r.version,
      title: r.certification.title,
      rncpCode: r.certification.rncpCode,
      level: r.certification.level,
      certifier: r.certification.certifier,
      contentHash,
      blocValidation: r.validationPolicy.blocValidation,
      blocs: r.blocs.map((b) => ({
        code: b.code,
        title: b.title,
        optionGroup: b.optionGroup,
        optionLabel: b.optionLabel,
        competencies: b.competencies.length,
        criteria: b.competencies.reduce((n, c) => n + (c.criteria?.length ?? 0), 0) + b.epreuves.reduce((n, e) => n + (e.criteria?.length ?? 0), 0),
        epreuves: b.epreuves.map((e) => e.code),
      })),
      optionGroups: (r.optionGroups ?? []).map((g) => ({ code: g.code, title: g.title, choose: g.choose })),
      extraRequirements: (r.extraRequirements ?? []).map((x) => ({ code: x.code, title: x.title })),
    }));
  }
}
