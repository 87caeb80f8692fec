import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * The two kinds of time a request carries, checked at the HTTP boundary so that what is stored
 * is what was meant:
 * - a calendar date (a birth date, the first and last day of an accommodation): `YYYY-MM-DD`,
 *   with no time and no zone, a day that exists;
 * - an instant (when a sitting is scheduled or held, a point to look back to): a date and a time
 *   with its zone (`Z` or `±hh:mm`), seconds and their fraction optional, that exists.
 * JavaScript's Date.parse and class-validator's IsISO8601 (without strict) accept `2026-02-30` by
 * rolling it over to March, and read a date-time without a zone in the server's zone: neither is
 * what the caller said, so both are refused here, with the reason.
 */

/** What a value is taken for: a well-formed time that exists, a well-formed one that does not, or neither. */
type Reading = 'real' | 'not-real' | 'malformed';

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Computed, not through Date.UTC, which reads the years 0 to 99 as 1900 to 1999. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function dayExists(year: string, month: string, day: string): boolean {
  const m = Number(month);
  const d = Number(day);
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(Number(year), m);
}

function readCalendarDate(value: unknown): Reading {
  const match = typeof value === 'string' ? CALENDAR_DATE.exec(value) : null;
  if (!match) return 'malformed';
  return dayExists(match[1], match[2], match[3]) ? 'real' : 'not-real';
}

function readInstant(value: unknown): Reading {
  const match = typeof value === 'string' ? INSTANT.exec(value) : null;
  if (!match) return 'malformed';
  const [, year, month, day, hour, minute, second = '0', offsetHours = '0', offsetMinutes = '0'] = match;
  // No 24:00 and no leap second 60: Date.parse refuses both, and the domain reads instants with it.
  const timeExists = Number(hour) <= 23 && Number(minute) <= 59 && Number(second) <= 59;
  const offsetExists = Number(offsetHours) <= 23 && Number(offsetMinutes) <= 59;
  return dayExists(year, month, day) && timeExists && offsetExists ? 'real' : 'not-real';
}

/** `YYYY-MM-DD`, a day that exists. */
export const isCalendarDate = (value: unknown): boolean => readCalendarDate(value) === 'real';

/** A date and a time with its zone, a time that exists. */
export const isInstant = (value: unknown): boolean => readInstant(value) === 'real';

const CALENDAR_DATE_FORM = 'a calendar date YYYY-MM-DD, e.g. 2026-06-15';
const INSTANT_FORM = 'an instant with its time zone, e.g. 2026-06-15T09:00:00+02:00 or 2026-06-15T07:00:00Z';

/** The property is a calendar date (see the top of this file). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: isCalendarDate,
        defaultMessage: ({ property, value }: ValidationArguments) =>
          readCalendarDate(value) === 'not-real'
            ? `${property} must be a day that exists in the calendar: ${CALENDAR_DATE_FORM}`
            : `${property} must be ${CALENDAR_DATE_FORM}`,
      },
    },
    options,
  );
}

/** The property is an instant (see the top of this file). */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: isInstant,
        defaultMessage: ({ property, value }: ValidationArguments) =>
          readInstant(value) === 'not-real' ? `${property} must be a date and time that exist: ${INSTANT_FORM}` : `${property} must be ${INSTANT_FORM}`,
      },
    },
    options,
  );
}

/**
 * The property is a calendar date or an instant: the query filters that have always taken both
 * (`?noProgressSince=2026-09-01`, `?at=2026-07-01T00:00:00Z`). A date-time without its zone is refused.
 */
export function IsCalendarDateOrInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDateOrInstant',
      validator: {
        validate: (value: unknown) => isCalendarDate(value) || isInstant(value),
        defaultMessage: ({ property, value }: ValidationArguments) =>
          readCalendarDate(value) === 'not-real' || readInstant(value) === 'not-real'
            ? `${property} must be a date (and time) that exist: ${CALENDAR_DATE_FORM}, or ${INSTANT_FORM}`
            : `${property} must be ${CALENDAR_DATE_FORM}, or ${INSTANT_FORM}`,
      },
    },
    options,
  );
}
