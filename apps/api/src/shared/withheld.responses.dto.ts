import { ApiProperty, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** What a reader sees in place of personal data it does not hold (R14; the domain's `Withheld`). */
@ApiSchema({
  name: 'Withheld',
  description: 'Personal data this reader does not see: `sealed` (not opened for this view) or `erased` (the candidate’s key was destroyed)',
})
export class WithheldValue {
  @ApiProperty({ enum: ['sealed', 'erased'] })
  withheld!: 'sealed' | 'erased';
}

/**
 * A value that may be withheld (the domain's `Protected<T>`): the value itself or `Withheld`.
 * Controllers answering one list WithheldValue in `@ApiExtraModels`.
 */
export function orWithheld(schema: SchemaObject | ReferenceObject, description: string): { oneOf: (SchemaObject | ReferenceObject)[]; description: string } {
  return { oneOf: [schema, { $ref: getSchemaPath(WithheldValue) }], description };
}
