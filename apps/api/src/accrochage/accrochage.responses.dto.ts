import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACCESS_ROUTES } from '@jalon/domain';

class DeclaredCertificationView {
  @ApiProperty({ example: 'expert-ingenierie-science-donnees' }) referentialId!: string;
  @ApiProperty({ enum: ['RNCP', 'RS'] }) type!: string;
  @ApiProperty({ example: 'RNCP35288' }) code!: string;
}

/** A certifier this admin declares for (ACCROCHAGE_CERTIFIERS), without its CDC ids. */
export class CertifierView {
  @ApiProperty({ example: 'ecole-data' }) id!: string;
  @ApiProperty({ type: [DeclaredCertificationView] }) certifications!: DeclaredCertificationView[];
}

/** An award as the accrochage sees it: where it stands with the Caisse des Dépôts, and when it is due. */
export class AwardedHolderView {
  @ApiProperty({ format: 'uuid' }) enrollmentId!: string;
  @ApiProperty({ format: 'uuid' }) candidateId!: string;
  @ApiProperty() referentialId!: string;
  @ApiProperty() version!: string;
  @ApiProperty({ enum: ACCESS_ROUTES }) accessRoute!: string;
  @ApiProperty({ description: 'The id the award is declared under (the award event’s id): the same at every redeclaration' }) idTechnique!: string;
  @ApiProperty({ format: 'date-time' }) awardedAt!: string;
  @ApiProperty({ format: 'date', description: 'The award + 3 months (Code du travail L6113-8)' }) dueDate!: string;
  @ApiProperty({
    enum: ['to-declare', 'declared', 'to-correct', 'annulled', 'erased'],
    description:
      'to-declare; declared (under its idTechnique); to-correct (declared, then annulled: correct it with the CDC); annulled (before any declaration); erased (personal data erased: cannot be declared)',
  })
  status!: string;
  @ApiPropertyOptional({ description: 'The certificate’s number, once issued (its verification URL is the flux’s urlPreuve)' }) certificateNumber?: string;
  @ApiPropertyOptional({ format: 'date-time' }) declaredAt?: string;
  @ApiPropertyOptional() declaredFluxId?: string;
  @ApiPropertyOptional({ format: 'date-time' }) revokedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) erasedAt?: string;
}

class HolderRefView {
  @ApiProperty({ format: 'uuid' }) enrollmentId!: string;
  @ApiProperty({ format: 'uuid' }) candidateId!: string;
}

class DeclaredHolderView extends HolderRefView {
  @ApiProperty() idTechnique!: string;
  @ApiPropertyOptional({ description: 'Declared again on request (redeclare), under the same idTechnique' }) redeclared?: boolean;
}

class HolderProblemView {
  @ApiProperty({ example: 'birthPlaceCodes.inseeCode' }) field!: string;
  @ApiProperty({ example: 'missing: the INSEE code (or the postal code) of the birth commune' }) reason!: string;
}

class RefusedHolderView extends HolderRefView {
  @ApiProperty({ type: [HolderProblemView] }) problems!: HolderProblemView[];
}

class HolderToCorrectView extends HolderRefView {
  @ApiProperty() idTechnique!: string;
  @ApiPropertyOptional() declaredFluxId?: string;
}

/** What a declaration did, holder by holder; problems name the field, never its value. */
export class DeclarationReportView {
  @ApiProperty({ example: 'ecole-data' }) certifierId!: string;
  @ApiPropertyOptional({ description: 'The flux recorded; absent when no holder was left to declare (nothing recorded)' }) fluxId?: string;
  @ApiPropertyOptional({ description: 'Where the flux’s XML is fetched' }) file?: string;
  @ApiProperty({ type: [DeclaredHolderView] }) declared!: DeclaredHolderView[];
  @ApiProperty({ description: 'Awards already declared under their id, left out' }) alreadyDeclared!: number;
  @ApiProperty({ type: [RefusedHolderView], description: 'Missing or invalid fields: completed, they go in the next flux' }) refused!: RefusedHolderView[];
  @ApiProperty({ type: [HolderToCorrectView], description: 'Declared, then annulled: to correct with the Caisse des Dépôts' })
  toCorrect!: HolderToCorrectView[];
  @ApiProperty({ type: [HolderRefView], description: 'Annulled before ever being declared' }) annulled!: HolderRefView[];
  @ApiProperty({ type: [HolderRefView], description: 'Personal data erased (R14): cannot be declared' }) erased!: HolderRefView[];
}
