import { formatDuration, renderProgress } from './progress-bar';

describe('rebuild progress bar', () => {
  it('shows the bar, share, events done, rate and ETA', () => {
    expect(renderProgress({ done: 90_000, eventsPerSecond: 12_345.6, fraction: 0.5, etaSeconds: 7.2 })).toBe(
      `${'█'.repeat(15)}${'░'.repeat(15)}  50%  90,000 events  12,346 ev/s  ETA 7s`,
    );
    expect(renderProgress({ done: 10, eventsPerSecond: 0, fraction: 0 })).toContain('ETA --');
  });

  it('formats durations in minutes past a minute', () => {
    expect(formatDuration(125)).toBe('2m05s');
    expect(formatDuration(59.6)).toBe('1m00s');
  });
});
