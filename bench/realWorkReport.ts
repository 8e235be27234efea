// Figure 0's markdown (bench/realWork.ts measures it) and its place in BENCHMARKS.md.
import type { PairResult, RealWorkResults, RoundFigures } from './realWork';
import { fmt, median } from './stats';

type Metric = 'signIn' | 'cold' | 'warm';
const METRICS: Array<[Metric, string]> = [
  ['signIn', 'whole sign-ins/s (start, IdP, callback)'],
  ['cold', 'cold refreshes/s (one real grant per session)'],
  ['warm', 'warm refreshes/s (right after the cold one)'],
];

const spread = (values: number[], digits = 0) => `${fmt(Math.min(...values), digits)}-${fmt(Math.max(...values), digits)}`;
const x = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}x` : 'n/a');

function perRoundRatios(p: PairResult, pick: (f: RoundFigures) => number): number[] {
  const n = Math.min(p.ours.rounds.length, p.builtIn.rounds.length);
  return Array.from({ length: n }, (_, i) => pick(p.ours.rounds[i]) / pick(p.builtIn.rounds[i]));
}

/** The markdown of figure 0, and a one-line summary per backend. */
export function renderRealWork(r: RealWorkResults, when: string): { markdown: string; summary: string[] } {
  const s = r.settings;
  const out: string[] = [];
  const summary: string[] = [];
  out.push(
    `Measured ${when}${s.quick ? ' in quick mode' : ''}: ${s.users} distinct users round-robin, ${s.virtualUsers} virtual users in a worker thread, ` +
      `${s.rounds} interleaved rounds per backend (A B, B A, ...), each round ${s.warmupSeconds} s warm-up + ${s.signInSeconds} s of sign-ins, ` +
      `then every session of those seconds refreshed once cold and once warm, then a burst of ${s.burst} sign-ins started at once. ` +
      'Each figure is the **median of the rounds**; spread = lowest-highest round; ratio = ours / built-in, the median of the per-round ratios.',
    '',
  );
  for (const p of r.pairs) {
    out.push(`#### ${p.backend}`, '', `ours: ${p.ours.label}; built-in: ${p.builtIn.label}.`, '');
    out.push('| measure | ours median (spread) | built-in median (spread) | ours / built-in (per-round range) | p50 / p99 ms ours | p50 / p99 ms built-in | failed ours / built-in |');
    out.push('|---|---:|---:|---:|---:|---:|---:|');
    for (const [metric, title] of METRICS) {
      const o = p.ours.rounds.map(f => f[metric]);
      const b = p.builtIn.rounds.map(f => f[metric]);
      const ratios = perRoundRatios(p, f => f[metric].perSec);
      const digits = metric === 'warm' ? 0 : 1;
      out.push(
        `| ${title} | **${fmt(median(o.map(f => f.perSec)), digits)}** (${spread(o.map(f => f.perSec), digits)}) | **${fmt(median(b.map(f => f.perSec)), digits)}** (${spread(b.map(f => f.perSec), digits)}) | ` +
          `**${x(median(ratios))}** (${x(Math.min(...ratios))}-${x(Math.max(...ratios))}) | ${fmt(median(o.map(f => f.p50Ms)), 1)} / ${fmt(median(o.map(f => f.p99Ms)), 1)} | ` +
          `${fmt(median(b.map(f => f.p50Ms)), 1)} / ${fmt(median(b.map(f => f.p99Ms)), 1)} | ${o.reduce((a, f) => a + f.failed, 0)} / ${b.reduce((a, f) => a + f.failed, 0)} |`,
      );
      summary.push(`${p.backend}: ${title}: ours/built-in ${x(median(ratios))}`);
    }
    const ob = p.ours.rounds.map(f => f.burst);
    const bb = p.builtIn.rounds.map(f => f.burst);
    const burstRatios = perRoundRatios(p, f => f.burst.seconds).map(v => 1 / v);
    out.push(
      `| burst of ${s.burst} sign-ins at once: wall s | **${fmt(median(ob.map(f => f.seconds)), 2)}** (${spread(ob.map(f => f.seconds), 2)}) | **${fmt(median(bb.map(f => f.seconds)), 2)}** (${spread(bb.map(f => f.seconds), 2)}) | ` +
        `**${x(median(burstRatios))}** as fast (${x(Math.min(...burstRatios))}-${x(Math.max(...burstRatios))}; built-in wall time / ours) | ${fmt(median(ob.map(f => f.p50Ms)), 0)} / ${fmt(median(ob.map(f => f.p99Ms)), 0)} | ` +
        `${fmt(median(bb.map(f => f.p50Ms)), 0)} / ${fmt(median(bb.map(f => f.p99Ms)), 0)} | ${ob.reduce((a, f) => a + f.failed, 0)} / ${bb.reduce((a, f) => a + f.failed, 0)} |`,
    );
    out.push(
      `| burst: peak RSS / peak heap / heap kept after GC, MB over before | ${fmt(median(ob.map(f => f.peakRssMb)))} / ${fmt(median(ob.map(f => f.peakHeapMb)))} / ${fmt(median(ob.map(f => f.retainedHeapMb)), 1)} | ` +
        `${fmt(median(bb.map(f => f.peakRssMb)))} / ${fmt(median(bb.map(f => f.peakHeapMb)))} / ${fmt(median(bb.map(f => f.retainedHeapMb)), 1)} |  |  |  |  |`,
    );
    out.push('', `Sessions refreshed per round (cold, then warm): ours ${spread(p.ours.rounds.map(f => f.sessions))}, built-in ${spread(p.builtIn.rounds.map(f => f.sessions))}.`, '');
    summary.push(`${p.backend}: burst of ${s.burst}: ours as fast as the built-in: ${x(median(burstRatios))}`);
  }
  if (r.skipped?.length) out.push(`Not measured: ${r.skipped.join('; ')}.`, '');
  return { markdown: out.join('\n'), summary };
}

const BEGIN = '<!-- real work: written by `pnpm bench` (bench/realWork.ts) from here to the end marker -->';
const END = '<!-- end of real work -->';

/** Puts figure 0 between its markers in BENCHMARKS.md (before the other figures when the markers are missing). */
export function spliceRealWork(text: string, markdown: string): string {
  const block = `${BEGIN}\n\n${markdown}\n${END}`;
  const at = text.indexOf(BEGIN);
  if (at >= 0) return text.slice(0, at) + block + text.slice(text.indexOf(END, at) + END.length);
  const figures = text.indexOf('<!-- figures:');
  return figures >= 0 ? `${text.slice(0, figures)}## 0. The real work: many users, real grants, per backend\n\n${block}\n\n${text.slice(figures)}` : `${text}\n${block}\n`;
}

