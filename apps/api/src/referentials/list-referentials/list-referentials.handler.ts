import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { withErrata } from '@jalon/catalogue';
import { accessRoutesOf, AssumedIdentity, certificationKindOf, documentIssuability } from '@jalon/domain';
import { ReferentialResolver, SQL_DB, SqlDb } from '@jalon/runtime';
import { publishedReferentials } from '@jalon/read-models';
import { CatalogueService } from '../catalogue.service';
import { ListReferentialsQuery } from './list-referentials.query';
import { AssumedIdentityView, ReferentialSummaryDto } from './referential-summary.response.dto';

/**
 * Every published version (shipped or imported), from the read model fed by the log; whether each
 * is withdrawn from new enrollments, from its référentiel's stream (as enrolling decides on it).
 * Its identity as stated, and apart what its file only assumes (or the catalogue's errata mark as
 * assumed): never listed as a fact.
 */
@QueryHandler(ListReferentialsQuery)
export class ListReferentialsHandler implements IQueryHandler<ListReferentialsQuery, ReferentialSummaryDto[]> {
  constructor(
    @Inject(SQL_DB) private readonly db: SqlDb,
    private readonly referentials: ReferentialResolver,
    private readonly catalogue: CatalogueService,
  ) {}

  async execute(): Promise<ReferentialSummaryDto[]> {
    const published = await publishedReferentials(this.db);
    const ids = [...new Set(published.map(({ content }) => content.referential))];
    const withdrawals = new Map(await Promise.all(ids.map(async (id) => [id, await this.referentials.withdrawals(id)] as const)));
    return published.map(({ content, contentHash }): ReferentialSummaryDto => {
      const r = withErrata(content, this.catalogue.errata, contentHash);
      const { title, rncpCode, rsCode, level, eqfLevel, certifier, assumed } = r.certification;
      const withdrawn = withdrawals.get(r.referential)?.get(r.version);
      return {
        referential: r.referential,
        version: r.version,
        kind: certificationKindOf(r),
        title,
        ...(rncpCode !== undefined ? { rncpCode } : {}),
        ...(rsCode !== undefined ? { rsCode } : {}),
        ...(level !== undefined ? { level } : {}),
        ...(eqfLevel !== undefined ? { eqfLevel } : {}),
        ...(certifier !== undefined ? { certifier } : {}),
        ...(assumed !== undefined ? { assumed: assumedView(assumed) } : {}),
        accessRoutes: [...accessRoutesOf(r)],
        contentHash,
        documents: documentIssuability(r),
        blocValidation: r.validationPolicy.blocValidation,
        blocs: r.blocs.map((b) => ({
          code: b.code,
          ...(b.title !== undefined ? { title: b.title } : {}),
          ...(b.optionGroup !== undefined ? { optionGroup: b.optionGroup } : {}),
          ...(b.optionLabel !== undefined ? { optionLabel: b.optionLabel } : {}),
          competencies: b.competencies.length,
          criteria:
            b.competencies.reduce((n, c) => n + (c.criteria?.length ?? 0), 0) +
            b.epreuves.reduce((n, e) => n + (e.criteria?.length ?? 0), 0) +
            (b.criteria?.length ?? 0),
          epreuves: b.epreuves.map((e) => e.code),
        })),
        optionGroups: (r.optionGroups ?? []).map((g) => ({ code: g.code, title: g.title, choose: g.choose })),
        extraRequirements: (r.extraRequirements ?? []).map((x) => ({ code: x.code, title: x.title })),
        ...(withdrawn ? { withdrawn: { at: withdrawn.at, reason: withdrawn.reason } } : {}),
      };
    });
  }
}

function assumedView({ nsfCodes, ...assumed }: AssumedIdentity): AssumedIdentityView {
  return { ...assumed, ...(nsfCodes ? { nsfCodes: [...nsfCodes] } : {}) };
}
