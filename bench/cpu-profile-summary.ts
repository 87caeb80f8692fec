import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a V8 CPU profile (`.cpuprofile`) the summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** A gap between two samples (taken every 200 µs) longer than this is the process stopped, not running. */
const STOPPED_MICROS = 20_000;

/** Where a function's code lives: a package of node_modules, node itself, or a folder of the repository. */
function areaOf(url: string): string {
  if (url === '') return '(V8 / native)';
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const repo = url.match(/\/(apps\/[^/]+|libs\/[^/]+|bench)\//);
  return repo ? repo[1] : url;
}

/** Self time of one profile by function and by area, idle and GC shown apart, as percentages of the busy time. */
function summarise(profile: CpuProfile, top: number): string {
  const byNode = new Map<number, number>();
  // A delta far beyond the sampling interval is time the process was stopped (the bench freezes the
  // worker with SIGSTOP between its slices), not time spent in whatever the next sample shows.
  const counted = (delta: number) => (delta > STOPPED_MICROS ? 0 : delta);
  profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + counted(profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const micros = byNode.get(node.id) ?? 0;
    if (micros === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') {
      idle += micros;
      continue;
    }
    busy += micros;
    const file = url.split('/').slice(-1)[0];
    const name = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    const area = functionName === '(garbage collector)' ? '(garbage collector)' : areaOf(url);
    byArea.set(area, (byArea.get(area) ?? 0) + micros);
  }
  const table = (entries: Map<string, number>) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => `    ${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${name}`)
      .join('\n');
  return (
    `  busy ${(busy / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s\n` +
    `  by area (self time):\n${table(byArea)}\n` +
    `  by function (self time):\n${table(byFunction)}`
  );
}

/**
 * The top self-time costs of each process's `<name>-<sequence>.cpuprofile` in `dir` (written by
 * bench/cpu-profile.js), waiting up to a few seconds for the files: the processes write them on a signal.
 */
export async function summariseCpuProfiles(dir: string, names: readonly string[], sequence: number, top = 15): Promise<string> {
  const parts: string[] = [];
  for (const name of names) {
    const file = join(dir, `${name}-${sequence}.cpuprofile`);
    const deadline = Date.now() + 5000;
    while (!existsSync(file) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    if (!existsSync(file)) {
      parts.push(`${name}: no profile at ${file}`);
      continue;
    }
    // Written in one writeFileSync: wait a moment so that a file seen mid-write is complete.
    await new Promise((resolve) => setTimeout(resolve, 300));
    parts.push(`${name} (${file}):\n${summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top)}`);
  }
  return parts.join('\n');
}
