import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Referential } from '@jalon/domain';
import { Public } from '../auth/auth.decorators';
import { GetReferentialQuery } from './get-referential/get-referential.query';
import { ListReferentialsQuery } from './list-referentials/list-referentials.query';
import { ReferentialSummaryDto } from './list-referentials/referential-summary.response.dto';

@ApiTags('référentiels')
@Public()
@Controller('referentials')
export class ReferentialsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'The catalogue: every shipped référentiel version with its blocs, option groups and extra requirements' })
  @ApiOkResponse({ type: [ReferentialSummaryDto] })
  list(): Promise<ReferentialSummaryDto[]> {
    return this.queries.execute(new ListReferentialsQuery());
  }

  @Get(':referential/versions/:version')
  @ApiOperation({ summary: 'One référentiel version in full: blocs, competencies, criteria, épreuves' })
  @ApiOkResponse({ description: 'The référentiel as its file states it (see referentials/schema/referential.schema.json)' })
  @ApiNotFoundResponse({ description: 'No such référentiel version in the catalogue' })
  get(@Param('referential') referential: string, @Param('version') version: string): Promise<Referential> {
    return this.queries.execute(new GetReferentialQuery(referential, version));
  }
}
