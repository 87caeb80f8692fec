export interface Metric {
  readonly name: string;
  readonly value: number;
  /** For ratios: the value to reach (≥). */
  readonly target?: number;
}

/** The results as a fixed-width table: metric, value, and for ratios the target and whether it is met. */
export function formatTable(metrics: readonly Metric[]): string {
  const rows = [
    ['metric', 'value', 'target', 'met'],
    ...metrics.map((m) => [
      m.name,
      m.name.endsWith('_per_s') ? m.value.toFixed(1) : m.value.toFixed(3),
      m.target === undefined ? '' : `≥ ${m.target}`,
      m.target === undefined ? '' : m.value >= m.target ? 'yes' : 'NO',
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 1 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
