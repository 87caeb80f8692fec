/**
 * Personal data the reader does not hold (R14). Sensitive fields are stored encrypted with the
 * candidate's key: a reader that does not open them (projections never do) sees `sealed`; once
 * the key is destroyed by an erasure, everyone sees `erased`. Deciders and views take both in
 * their stride, so a path whose personal data is gone still folds and still answers.
 */
export interface Withheld {
  readonly withheld: 'sealed' | 'erased';
}

/** A value that may be withheld from this reader. */
export type Protected<T> = T | Withheld;

export const SEALED: Withheld = Object.freeze({ withheld: 'sealed' });
export const ERASED: Withheld = Object.freeze({ withheld: 'erased' });

export function isWithheld(value: unknown): value is Withheld {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'withheld' && ((value as Withheld).withheld === 'sealed' || (value as Withheld).withheld === 'erased');
}

/** The value when it is in hand, undefined when it is withheld. */
export const disclosed = <T>(value: Protected<T>): T | undefined => (isWithheld(value) ? undefined : value);

/**
 * Where personal data sits in each event, as paths into `data` (`a[].b` = field `b` of every item of
 * array `a`). These values are encrypted with the candidate's key before an event is stored; the
 * rest of the event (ids, dates, durations, outcomes) stays in clear so the history holds together
 * without them. Kinds of accommodation are here too: even "has extra time" is health data.
 */
export const SENSITIVE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  CandidateRegistered: ['identity'],
  CandidateIdentityAmended: ['identity'],
  AccommodationGranted: ['terms'],
  AccommodationAmended: ['terms', 'reason'],
  AccommodationEnded: ['reason'],
  JuryDisclosureConsentRecorded: ['note'],
  JuryDisclosureConsentWithdrawn: ['note'],
  SittingScheduled: ['applicableAccommodations[].kind'],
  SittingConditionsRevised: ['applicableAccommodations[].kind'],
  SittingHeld: ['accommodationsNotApplied[].kind'],
};

/** The same value with every `sealed` marker turned `erased`: what was sealed for a candidate once their key is gone. */
export function sealedToErased<T>(value: T): T {
  if (isWithheld(value)) return (value.withheld === 'sealed' ? ERASED : value) as T;
  if (Array.isArray(value)) return value.map(sealedToErased) as T;
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sealedToErased(v)])) as T;
  return value;
}
