export interface Metric {
  readonly name: string;
  readonly value: number;
  /** For ratios: the value to reach (≥). */
  readonly target?: number;
  /** For latencies: the value not to exceed (≤). */
  readonly atMost?: number;
  /** How it was measured, where the name does not say (shown after the table's columns). */
  readonly note?: string;
}

const format = (m: Metric) => (m.name.endsWith('_per_s') ? m.value.toFixed(1) : m.name.endsWith('_ms') ? m.value.toFixed(2) : m.value.toFixed(3));

/** The results as a fixed-width table: metric, value, the target and whether it is met (≥ for ratios, ≤ for latencies), and a note. */
export function formatTable(metrics: readonly Metric[]): string {
  const rows = [
    ['metric', 'value', 'target', 'met', 'note'],
    ...metrics.map((m) => [
      m.name,
      format(m),
      m.target !== undefined ? `≥ ${m.target}` : m.atMost !== undefined ? `≤ ${m.atMost}` : '',
      m.target !== undefined ? (m.value >= m.target ? 'yes' : 'NO') : m.atMost !== undefined ? (m.value <= m.atMost ? 'yes' : 'NO') : '',
      m.note ?? '',
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => (c === 1 ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
