import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class ChangeApprenticeshipMasterRequest {
  @ApiProperty({
    example: 'maitre-martin',
    description: "The new maître d'apprentissage's user id: from now on only they are assigned and assess the épreuves of that kind",
  })
  @IsString()
  @Length(1, 200)
  masterId!: string;
  @ApiProperty({ example: 'Globex SA', description: 'The company where the apprenticeship now takes place (the same one if it has not changed)' })
  @IsString()
  @Length(1, 200)
  company!: string;
  @ApiProperty({ example: 'Départ du maître d’apprentissage de l’entreprise' }) @IsString() @Length(1, 500) reason!: string;
}
