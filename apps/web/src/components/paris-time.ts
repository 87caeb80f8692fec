/**
 * Sittings are held in France: their times are entered and shown as Paris clocks show them,
 * whatever the time zone of the computer the console runs on. The api takes and answers instants
 * with their offset (`2026-06-15T09:00:00+02:00`).
 */
export const PARIS = 'Europe/Paris';

const pad = (n: number) => String(n).padStart(2, '0');

const parisParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: PARIS,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** What a Paris clock shows at an instant, field by field. */
function parisFields(ms: number): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const parts = Object.fromEntries(parisParts.formatToParts(ms).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Minutes Paris clocks are ahead of UTC at an instant (60 in winter, 120 in summer). */
function parisOffsetAt(ms: number): number {
  const f = parisFields(ms);
  return Math.round((Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - ms) / 60_000);
}

/**
 * The instant a Paris clock shows `day` (`YYYY-MM-DD`) at `time` (`HH:mm`), as the api takes it:
 * `2026-06-15T09:00:00+02:00`; null while either is missing or not a value.
 */
export function parisInstant(day: string | null | undefined, time: string | null | undefined): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? '');
  const t = /^(\d{2}):(\d{2})/.exec(time ?? '');
  if (!d || !t || Number(t[1]) > 23 || Number(t[2]) > 59) return null;
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  // The offset at the wall time read as UTC is an hour off at most; read again at the instant it gives.
  const offset = parisOffsetAt(wall - parisOffsetAt(wall) * 60_000);
  const abs = Math.abs(offset);
  return `${d[1]}-${d[2]}-${d[3]}T${t[1]}:${t[2]}:00${offset >= 0 ? '+' : '-'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The day (`YYYY-MM-DD`) and the time (`HH:mm`) a Paris clock shows at an instant. */
export function parisWallClock(instant: string | number | Date): { day: string; time: string } {
  const f = parisFields(new Date(instant).getTime());
  return { day: `${f.year}-${pad(f.month)}-${pad(f.day)}`, time: `${pad(f.hour)}:${pad(f.minute)}` };
}

/** An instant as its reader reads it, on Paris clocks: « lun. 15 juin 2026, 09:00 ». */
export function formatParis(instant: string, language: string, options: Intl.DateTimeFormatOptions = { dateStyle: 'full', timeStyle: 'short' }): string {
  return new Date(instant).toLocaleString(language === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: PARIS, ...options });
}
