import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

export class FinalDecisionRequest {
  @ApiProperty({ enum: ['awarded', 'refused', 'deferred'] }) @IsIn(['awarded', 'refused', 'deferred']) decision!: 'awarded' | 'refused' | 'deferred';
  @ApiProperty({ example: 'Paris', description: 'Where the jury deliberated (printed on the certificate)' }) @IsString() @Length(1, 200) place!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 2000) reason?: string;
}
