import { Param, ParseUUIDPipe } from '@nestjs/common';
import { invalidRequest } from './invalid-request';

/**
 * A route parameter that must be a UUID: otherwise 400 naming the parameter and why, like every
 * other field (Nest's ParseUUIDPipe alone answers without saying which).
 */
export const UuidParam = (name: string): ParameterDecorator =>
  Param(name, new ParseUUIDPipe({ exceptionFactory: () => invalidRequest([{ field: name, reasons: [`${name} must be a UUID`] }]) }));
