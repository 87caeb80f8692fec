import { BadRequestException } from '@nestjs/common';

/** A 400 naming each field (body, query or path) and why, as ProblemDetailsFilter writes it. */
export const invalidRequest = (errors: readonly { field: string; reasons: string[] }[]): BadRequestException =>
  new BadRequestException({ code: 'REQUEST.INVALID', message: 'the request is not valid: see errors for each field', errors });
