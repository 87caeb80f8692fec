/**
 * Accommodation measures (aménagements), R9. Only the measure is recorded, never a diagnosis.
 * `tiers-temps` is a third of extra time; `extra-time` states its own fraction.
 */
export const ACCOMMODATION_KINDS = [
  'tiers-temps',
  'extra-time',
  'third-party-assistance',
  'adapted-supports',
  'adapted-modalities',
  'adapted-admission',
  'adapted-follow-up',
] as const;
export type AccommodationKind = (typeof ACCOMMODATION_KINDS)[number];

export interface ExtraTime {
  readonly numerator: number;
  readonly denominator: number;
}

export const TIERS_TEMPS: ExtraTime = { numerator: 1, denominator: 3 };

/** Which épreuves an accommodation applies to. */
export type AccommodationScope = { readonly all: true } | { readonly all: false; readonly epreuves: readonly string[] };

export interface AccommodationTerms {
  readonly kind: AccommodationKind;
  /** Required for `extra-time`; implied (1/3) for `tiers-temps`; absent otherwise. */
  readonly extraTime?: ExtraTime;
  readonly scope: AccommodationScope;
  /** Validity period, ISO dates; `validUntil` absent means until the end of the course. */
  readonly validFrom: string;
  readonly validUntil?: string;
  /** Free-text practical details of the measure (sensitive: health data under GDPR art. 9). */
  readonly details?: string;
}

export const extraTimeOf = (terms: AccommodationTerms): ExtraTime | undefined =>
  terms.kind === 'tiers-temps' ? TIERS_TEMPS : terms.kind === 'extra-time' ? terms.extraTime : undefined;

/**
 * Effective duration of a timed part: the base duration plus the largest extra time in force,
 * rounded up to the minute (30 min with a tiers-temps → 40 min). Extra times do not add up: two
 * measures granting extra time describe one need, and the most generous one applies.
 */
export function effectiveDurationMinutes(baseMinutes: number, extraTimes: readonly ExtraTime[]): number {
  let best = baseMinutes;
  for (const { numerator, denominator } of extraTimes) {
    best = Math.max(best, Math.ceil((baseMinutes * (denominator + numerator)) / denominator));
  }
  return best;
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
const FRENCH_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day (YYYY-MM-DD) an instant falls on in metropolitan France, where the épreuves are sat. */
export function dayInFrance(at: string): string {
  return FRENCH_DAY.format(new Date(at));
}

/**
 * Whether a measure is in force at `at` for an épreuve. A validity period given in days
 * (YYYY-MM-DD) covers its first and last days whole, in French time: a tiers-temps valid until
 * 2027-06-30 applies to a soutenance at 17:00 that day. A bound given as an instant is compared
 * as one.
 */
export function isInForce(terms: AccommodationTerms, endedAt: string | undefined, at: string, epreuveCode: string): boolean {
  const t = Date.parse(at);
  const day = dayInFrance(at);
  if (CALENDAR_DATE.test(terms.validFrom) ? day < terms.validFrom : t < Date.parse(terms.validFrom)) return false;
  if (terms.validUntil !== undefined && (CALENDAR_DATE.test(terms.validUntil) ? day > terms.validUntil : t > Date.parse(terms.validUntil))) return false;
  if (endedAt !== undefined && t >= Date.parse(endedAt)) return false;
  return terms.scope.all || terms.scope.epreuves.includes(epreuveCode);
}
