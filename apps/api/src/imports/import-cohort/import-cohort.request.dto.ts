import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

/** The multipart form: the file, nothing else. */
export class ImportCohortForm {
  @ApiProperty({ type: 'string', format: 'binary', description: 'The cohort file: CSV (`;`, `,` or tab; UTF-8) or XLSX, its headers those of the template' })
  @IsOptional()
  file?: unknown;
}

export class ImportCohortQuery {
  @ApiPropertyOptional({ type: 'boolean', default: false, description: 'Check every row by the api’s rules and report, writing nothing' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  dryRun?: boolean;
}
