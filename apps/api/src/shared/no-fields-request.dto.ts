/**
 * The body of an act that takes nothing beyond its path and its caller. Declared all the same, so
 * the global ValidationPipe (whitelist, forbidNonWhitelisted) answers 400 for any field sent
 * instead of letting an unread body through; an absent body is the usual call.
 */
export class NoFieldsRequest {}
