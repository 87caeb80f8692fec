import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** One field of a refused request and why (what flattenFieldErrors and RequestBodyPipe produce). */
export class FieldProblem {
  @ApiProperty({ example: 'results.0.met', description: 'The field, dotted into nested objects and arrays; `body` for the body as a whole' })
  field!: string;

  @ApiProperty({ type: [String], example: ['met must be a boolean value'] })
  reasons!: string[];
}

/** One problem of a référentiel file (REFERENTIAL.INVALID). */
export class ReferentialFileProblem {
  @ApiProperty({ example: '/blocs/0/competencies', description: 'Where in the file: a JSON pointer, or `line N, column C` for a YAML syntax error' })
  path!: string;

  @ApiPropertyOptional({ type: 'integer', example: 42, description: 'The line of the file it is on (1-based), where known' })
  line?: number;

  @ApiPropertyOptional({ type: 'integer', example: 7, description: 'Its column (1-based), with line' })
  column?: number;

  @ApiProperty({ example: 'REFERENTIAL.SCHEMA' })
  code!: string;

  @ApiProperty()
  message!: string;
}

/**
 * The body of every error answer, as ProblemDetailsFilter writes it (RFC 9457,
 * `application/problem+json`). Declared once; every error response of the document points here.
 */
@ApiSchema({
  name: 'ProblemDetails',
  description:
    'An error answer (RFC 9457). `code` is stable and is what clients branch on. A code may add members of its own beyond those listed (e.g. `bloc`, `blocs`, `timedPart` on domain refusals).',
})
export class ProblemDetailsSchema {
  @ApiProperty({ example: 'urn:jalon:error:ENROLLMENT.NOT_FOUND', description: '`urn:jalon:error:` followed by the code' })
  type!: string;

  @ApiProperty({
    example: 'not-found',
    description: 'The kind of a domain refusal (validation, illegal-state, conflict, not-found, forbidden), else the HTTP status name',
  })
  title!: string;

  @ApiProperty({ type: 'integer', example: 404, description: 'The HTTP status, repeated' })
  status!: number;

  @ApiProperty({
    example: 'ENROLLMENT.NOT_FOUND',
    description: 'Stable code: REQUEST.INVALID, AUTH.TOKEN_REQUIRED, READ_MODEL.BEHIND, IDEMPOTENCY.KEY_REUSED…',
  })
  code!: string;

  @ApiProperty({ example: 'no such enrollment', description: 'What went wrong, for a person' })
  detail!: string;

  @ApiPropertyOptional({ type: [FieldProblem], description: 'REQUEST.INVALID: each field refused, and why' })
  errors?: FieldProblem[];

  @ApiPropertyOptional({
    example: 'consistentWith',
    description: 'The field a refusal with a code of its own bears on (QUERY.INVALID_POSITION, CANDIDATE.NOT_REGISTERED…)',
  })
  field?: string;

  @ApiPropertyOptional({ type: [ReferentialFileProblem], description: 'REFERENTIAL.INVALID: every problem of the file' })
  problems?: ReferentialFileProblem[];

  @ApiPropertyOptional({ type: [String], example: ['candidate-path'], description: 'READ_MODEL.FAILED: the read models stopped on an error' })
  projections?: string[];
}
