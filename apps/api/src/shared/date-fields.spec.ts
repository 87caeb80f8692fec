import { validateSync } from 'class-validator';
import { IsCalendarDate, IsCalendarDateOrInstant, IsInstant, isCalendarDate, isInstant } from './date-fields';

class Dated {
  @IsCalendarDate() birthDate!: unknown;
  @IsInstant() scheduledAt!: unknown;
  @IsCalendarDateOrInstant() at!: unknown;
}

/** The reasons given for each field of a Dated holding these values. */
function reasonsFor(values: Partial<Dated>): Record<string, string[]> {
  const dated = Object.assign(new Dated(), { birthDate: '2001-03-14', scheduledAt: '2026-06-15T09:00:00Z', at: '2026-07-01', ...values });
  return Object.fromEntries(validateSync(dated).map((e) => [e.property, Object.values(e.constraints ?? {})]));
}

describe('date fields', () => {
  it('a calendar date is YYYY-MM-DD and a day that exists', () => {
    for (const good of ['2001-03-14', '2024-02-29', '2000-02-29', '2026-12-31', '0004-02-29']) expect([good, isCalendarDate(good)]).toEqual([good, true]);
    const bad = [
      '2026-02-30',
      '2026-02-29',
      '1900-02-29',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '2026-01-00',
      '2001-01-01T10:00:00Z',
      '2026-02-31T00:00:00',
      '2026-6-15',
      '20260615',
      '15/06/2026',
      ' 2026-06-15',
      '2026-06-15\n',
      '',
      20260615,
      null,
      undefined,
    ];
    for (const value of bad) expect([value, isCalendarDate(value)]).toEqual([value, false]);
  });

  it('an instant is a date and time with its zone, seconds and their fraction optional, that exist', () => {
    const good = [
      '2026-06-15T09:00:00Z',
      '2026-06-15T09:00:00+02:00',
      '2026-06-15T09:00:00-05:30',
      '2026-06-15T09:00Z',
      '2026-06-15T09:00:00.123Z',
      '2026-06-15T09:00:00.123456+02:00',
      new Date(0).toISOString(),
      '2024-02-29T23:59:59Z',
    ];
    for (const value of good) expect([value, isInstant(value)]).toEqual([value, true]);
    const bad = [
      '2026-02-30T09:00:00Z', // no such day
      '2027-02-30T00:00:00Z',
      '2026-06-15T24:00:00Z', // no such time
      '2026-06-15T09:60:00Z',
      '2016-12-31T23:59:60Z', // a leap second, which Date.parse refuses
      '2026-06-15T09:00:00+24:00',
      '2026-06-15T09:00:00', // no zone: read in whatever zone the server is in
      '2026-06-15',
      '2026-06-15 09:00:00Z',
      '2026-06-15T09:00:00+0200',
      '2026-06-15T09:00:00.Z',
      '2026-06-15t09:00:00z',
      1781514000000,
      null,
    ];
    for (const value of bad) expect([value, isInstant(value)]).toEqual([value, false]);
  });

  it('each refusal names the field and says why: what form, or that the day does not exist', () => {
    expect(reasonsFor({})).toEqual({});
    expect(reasonsFor({ birthDate: '2001-01-01T10:00:00Z' })).toEqual({ birthDate: ['birthDate must be a calendar date YYYY-MM-DD, e.g. 2026-06-15'] });
    expect(reasonsFor({ birthDate: '2001-02-30' })).toEqual({
      birthDate: ['birthDate must be a day that exists in the calendar: a calendar date YYYY-MM-DD, e.g. 2026-06-15'],
    });
    expect(reasonsFor({ scheduledAt: '2026-06-15T09:00:00' })).toEqual({
      scheduledAt: ['scheduledAt must be an instant with its time zone, e.g. 2026-06-15T09:00:00+02:00 or 2026-06-15T07:00:00Z'],
    });
    expect(reasonsFor({ scheduledAt: '2026-02-30T09:00:00Z' })).toEqual({
      scheduledAt: ['scheduledAt must be a date and time that exist: an instant with its time zone, e.g. 2026-06-15T09:00:00+02:00 or 2026-06-15T07:00:00Z'],
    });
  });

  it('a query filter takes a calendar date or an instant, never a date-time without its zone, nor one that does not exist', () => {
    for (const at of ['2026-07-01', '2026-07-01T00:00:00Z', '2026-07-01T00:00:00.000+02:00']) expect(reasonsFor({ at })).toEqual({});
    expect(reasonsFor({ at: '2026-12-01T00:00:00' }).at).toEqual([
      'at must be a calendar date YYYY-MM-DD, e.g. 2026-06-15, or an instant with its time zone, e.g. 2026-06-15T09:00:00+02:00 or 2026-06-15T07:00:00Z',
    ]);
    for (const at of ['2026-02-30', '2027-02-30T00:00:00Z']) {
      expect(reasonsFor({ at }).at).toEqual([
        'at must be a date (and time) that exist: a calendar date YYYY-MM-DD, e.g. 2026-06-15, or an instant with its time zone, e.g. 2026-06-15T09:00:00+02:00 or 2026-06-15T07:00:00Z',
      ]);
    }
  });
});
