import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { ANNULMENT_REASONS } from '@jalon/domain';

export class AnnulBlocRequest {
  @ApiProperty({ enum: ANNULMENT_REASONS }) @IsIn(ANNULMENT_REASONS) reason!: (typeof ANNULMENT_REASONS)[number];
  @ApiProperty() @IsString() @Length(1, 2000) details!: string;
}
