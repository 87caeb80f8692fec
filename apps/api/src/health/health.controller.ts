import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CatalogueService } from '../referentials/catalogue.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and what the service has loaded' })
  @ApiOkResponse({ schema: { example: { status: 'ok', referentials: 4 } } })
  health(): { status: 'ok'; referentials: number } {
    return { status: 'ok', referentials: this.catalogue.entries.length };
  }
}
