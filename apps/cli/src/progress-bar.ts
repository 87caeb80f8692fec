import { RebuildProgress } from '@jalon/projections';

const WIDTH = 30;

/** One line, redrawn in place: bar, percentage, items done (events by default), items per second, ETA. */
export function renderProgress(
  progress: RebuildProgress,
  unit: { readonly plural: string; readonly rate: string } = { plural: 'events', rate: 'ev/s' },
): string {
  const filled = Math.round(progress.fraction * WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
  const eta = progress.etaSeconds === undefined ? '--' : formatDuration(progress.etaSeconds);
  return `${bar} ${(progress.fraction * 100).toFixed(0).padStart(3)}%  ${progress.done.toLocaleString('en')} ${unit.plural}  ${Math.round(progress.eventsPerSecond).toLocaleString('en')} ${unit.rate}  ETA ${eta}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
