import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class ImportReferentialRequest {
  @ApiProperty({
    description: 'The référentiel file, YAML, in the format of referentials/schema/referential.schema.json',
    example: 'referential: mon-titre\nversion: "2"\n…',
  })
  @IsString()
  @Length(1, 2_000_000)
  content!: string;
}
