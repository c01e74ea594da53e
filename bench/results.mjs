// The shared end of every bench that reports issue-13 figures: trials → one figure (the median,
// with min and max), merged by name into bench/results.json, and the table `npm run bench` prints
// and README shows. The file's shape:
//   { machine: { cores, node }, figures: [{ name, value, unit, target, pass, min, max, trials }] }
// A bench records only its own figures; the others' stay as they were.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

export const RESULTS_FILE = fileURLToPath(new URL('./results.json', import.meta.url));

export const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)];
};

export const machine = () => ({ cores: availableParallelism(), node: process.version });

/** Load average over 1, 5 and 15 minutes: wall-clock figures grow when other work shares the cores. */
export const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

const round = (x, digits) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

/**
 * One figure from its trials. `target`: { op: '<' | '≤', value } — the figure passes when its
 * median is below (or at) the bound. `digits`: how many decimals the file keeps.
 */
export function figure(name, trials, { unit, target, digits = unit === 'ratio' ? 2 : 0 }) {
  const value = median(trials);
  const pass = target.op === '<' ? value < target.value : value <= target.value;
  return {
    name, value: round(value, digits), unit, target: `${target.op} ${target.value}${unit === 'ratio' ? '' : ` ${unit}`}`,
    pass, min: round(Math.min(...trials), digits), max: round(Math.max(...trials), digits), trials: trials.length,
  };
}

export function readResults() {
  if (!existsSync(RESULTS_FILE)) return { machine: machine(), figures: [] };
  try {
    const old = JSON.parse(readFileSync(RESULTS_FILE, 'utf8'));
    return { machine: old.machine ?? machine(), figures: Array.isArray(old.figures) ? old.figures : [] };
  } catch {
    return { machine: machine(), figures: [] };
  }
}

/** Merges `figures` into bench/results.json by name, keeping everyone else's. */
export function recordFigures(figures) {
  const mine = new Set(figures.map((f) => f.name));
  const old = readResults();
  const next = { machine: machine(), figures: [...old.figures.filter((f) => !mine.has(f.name)), ...figures] };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(next, null, 2)}\n`);
  return next;
}

const shown = (f) => `${f.value}${f.unit === 'ratio' ? '' : ` ${f.unit}`}`;

/** The figures as a Markdown table (README's "Performance" section shows it). */
export function markdownTable(results, names = null) {
  const figures = names ? results.figures.filter((f) => names.includes(f.name)) : results.figures;
  const lines = [
    '| figure | target | median | min–max | trials | |',
    '| --- | --- | --- | --- | --- | --- |',
    ...figures.map((f) => `| ${f.name} | ${f.target} | ${shown(f)} | ${f.min}–${f.max} | ${f.trials} | ${f.pass ? 'pass' : 'FAIL'} |`),
  ];
  return lines.join('\n');
}

/** One line per figure for a bench's own output. */
export function printFigures(figures) {
  for (const f of figures) {
    console.log(`  ${f.name}: ${shown(f)} (median of ${f.trials}; min ${f.min}, max ${f.max}; target ${f.target}): ${f.pass ? 'PASS' : 'FAIL'}`);
  }
}
