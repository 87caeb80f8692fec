import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { AccommodationTermsRequest } from '../enrollment.requests.dto';

export class AmendAccommodationRequest extends AccommodationTermsRequest {
  @ApiProperty() @IsString() @Length(1, 500) reason!: string;
}
