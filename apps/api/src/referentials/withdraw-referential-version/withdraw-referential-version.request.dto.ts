import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class WithdrawReferentialVersionRequest {
  @ApiProperty({
    description: 'Why no new enrollment may be made on this version (shown beside it in the catalogue)',
    example: 'Remplacée par la version 2 (nouvel arrêté d’enregistrement)',
    minLength: 1,
    maxLength: 500,
  })
  @IsString()
  @Length(1, 500)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}
