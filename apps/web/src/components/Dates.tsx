import '@mantine/dates/styles.css';
import { CalendarAriaLabels, DateInput, DateInputProps, DatesProvider, TimePicker, TimePickerProps } from '@mantine/dates';
import 'dayjs/locale/fr';
import { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { HELP_BELOW } from './ActForm';

/** The date pickers in the reader's language; loaded only with the screens that pick dates. */
export function Dates({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return <DatesProvider settings={{ locale: i18n.language }}>{children}</DatesProvider>;
}

/**
 * A day as a French reader types it: `14/03/2001` (or with `.` or `-`), or `2001-03-14`; as the
 * api takes it, `YYYY-MM-DD`; null when it is not a day that exists (`31/02/2001`).
 */
export function parseFrenchDate(text: string): string | null {
  const french = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  const iso = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(text);
  const parts = french ? [french[3], french[2], french[1]] : iso ? [iso[1], iso[2], iso[3]] : undefined;
  if (!parts) return null;
  const [year, month, day] = parts;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return null;
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** The calendar's arrows and headings named for screen readers (Mantine leaves them unnamed). */
export function calendarLabels(t: (key: string) => string): CalendarAriaLabels {
  return Object.fromEntries(
    (['previousDecade', 'nextDecade', 'previousYear', 'nextYear', 'previousMonth', 'nextMonth', 'yearLevelControl', 'monthLevelControl'] as const).map(
      (key) => [key, t(`dates.${key}`)],
    ),
  );
}

/** A calendar, drawn: the field opens one. */
function CalendarIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <rect x="3" y="5" width="18" height="16" rx="2" />
      <path d="M16 3v4M8 3v4M3 11h18" />
    </svg>
  );
}

/** A day picked from a calendar or typed as JJ/MM/AAAA, shown in French format; its value is `YYYY-MM-DD`. Inside <Dates>. */
export function DateField(props: DateInputProps) {
  const { t } = useTranslation();
  return (
    <DateInput
      valueFormat="DD/MM/YYYY"
      placeholder={t('dates.placeholder')}
      dateParser={parseFrenchDate}
      leftSection={<CalendarIcon />}
      leftSectionPointerEvents="none"
      ariaLabels={calendarLabels(t)}
      // Mantine greys the other months' days and reds the weekends below AA contrast (axe): neither is drawn.
      hideOutsideDates
      weekendDays={[]}
      {...props}
    />
  );
}

/** A clock face, drawn: the field takes a time. */
function ClockIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7v5l3 2" />
    </svg>
  );
}

/**
 * A time of day in French format, `09:00` (24 h, whatever the browser's language), typed hours then
 * minutes or picked from the lists it opens; its value is `HH:mm` (or `HH:mm:ss`). Beside a
 * DateField for an instant (components/paris-time.ts). Inside <Dates>.
 */
export function TimeField({ label, ...props }: Omit<TimePickerProps, 'label'> & { label: string }) {
  const { t } = useTranslation();
  return (
    <TimePicker
      format="24h"
      withDropdown
      label={label}
      hoursInputLabel={t('dates.hours', { field: label })}
      minutesInputLabel={t('dates.minutes', { field: label })}
      leftSection={<ClockIcon />}
      leftSectionPointerEvents="none"
      {...props}
    />
  );
}

/**
 * The time of an act, required, on Paris clocks as every time the console takes (said under the
 * field); `missing` says it is required once the day is given without it.
 */
export function ParisTimeField({ missing, ...props }: Omit<Parameters<typeof TimeField>[0], 'description' | 'error' | 'withAsterisk'> & { missing?: boolean }) {
  const { t } = useTranslation();
  return <TimeField description={t('sittings.parisTime')} {...HELP_BELOW} withAsterisk error={missing ? t('act.reasons.required') : undefined} {...props} />;
}
