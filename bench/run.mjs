// `npm run bench`: the issue-13 figures, each the median of its trials, written to
// bench/results.json (see results.mjs) and printed as one table at the end.
//   npm run bench [-- --quick] [-- --only poll,memory,startup,import,pages] [-- --all] [-- --readme]
//
//   poll     bench/poll-cycle.mjs  first poll cycle of 300 imported feeds ÷ bare fetch + parseFeed;
//                                  second cycle (all 304) ÷ first; longest main-thread block while
//                                  a 25 MB feed is polled
//   memory   bench/memory.mjs      VmRSS of crier serve 60 s idle after two cycles, 100 and 1,000 feeds
//   startup  bench/startup.mjs     start-up with 10,000 stored tasks (when the file exists)
//   import   bench/import.mjs      OPML import of 1,000 feeds: POST /api/opml answers (its import part)
//   pages    bench/pages.mjs       the tasks page in Chromium (when the file exists)
//
// Each runs in its own process, one after another, so none measures another's load — except the
// memory bench's idle minute: its servers only sit there, so once their cycles are done (it says
// so over IPC) the others run meanwhile. `--quick`: one trial each (under 3 minutes on 2 cores;
// the full run, 3 or more trials each, under 10). `--all` adds the older benches (store, inline
// parse, engine), which print their own figures. `--readme` writes the table into README.md
// (between the bench-table markers of its Performance section). A full run starts
// bench/results.json afresh; `--only` merges into it. Benchmarks inform; they do not gate CI: the
// exit code is 0 unless a bench crashed.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { load, machine, markdownTable, readResults, RESULTS_FILE } from './results.mjs';

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    all: { type: 'boolean', default: false },
    readme: { type: 'boolean', default: false },
  },
});
const root = fileURLToPath(new URL('..', import.meta.url));
const quick = opts.quick ? ['--quick'] : [];

/** name → [file, args, title]; a bench whose file is missing is left out with a line saying so. */
const BENCHES = {
  poll: ['bench/poll-cycle.mjs', quick, 'poll cycle: 300 feeds against bare fetch + parseFeed, 304s, a 25 MB feed'],
  memory: ['bench/memory.mjs', quick, 'memory: crier serve idle after two cycles, 100 and 1,000 feeds'],
  startup: ['bench/startup.mjs', quick, 'start-up with 10,000 stored tasks'],
  import: ['bench/import.mjs', ['--parts', 'import', '--trials', opts.quick ? '1' : '3'], 'OPML import of 1,000 feeds'],
  pages: ['bench/pages.mjs', quick, 'the tasks page in Chromium'],
};
const OLDER = [
  ['bench/store.mjs', [], 'store: journal vs nedb vs sqlite-wasm (issue 4)'],
  ['bench/parse-inline.mjs', [], 'parse: inline vs worker round trip'],
  ['bench/engine.mjs', [], 'engine: a poll never waits for a post (X fast vs X slow)'],
];

const chosen = opts.only ? opts.only.split(',').map((s) => s.trim()) : Object.keys(BENCHES);
for (const name of chosen) if (!BENCHES[name]) throw new Error(`unknown bench ${name}; known: ${Object.keys(BENCHES).join(', ')}`);

/** Runs one bench; resolves to its exit code. `onIdle`: called when a bench says { idle: true } over IPC. */
function run([file, args, title], onIdle = null) {
  console.log(`\n=== ${title} (${file}${args.length ? ` ${args.join(' ')}` : ''})`);
  const child = spawn(process.execPath, [file, ...args], { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (onIdle) child.on('message', (m) => { if (m?.idle) onIdle(); });
  return new Promise((resolve) => {
    child.once('error', () => resolve(1));
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

const started = performance.now();
const loadAtStart = load();
const mark = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
console.log(`bench on ${machine().cores} cores, Node ${process.version}; load average ${load()} (1, 5, 15 min)${opts.quick ? '; --quick: one trial each' : ''}`);
if (!opts.only) writeFileSync(RESULTS_FILE, `${JSON.stringify({ machine: machine(), figures: [] }, null, 2)}\n`);

let failed = 0;
const count = (code) => { if (code !== 0) failed++; };

// The memory bench first: once its servers are idle, the others run beside them.
let memory = Promise.resolve(0);
if (chosen.includes('memory')) {
  let idle;
  const idleNow = new Promise((resolve) => { idle = resolve; });
  memory = run(BENCHES.memory, () => idle());
  await Promise.race([idleNow, memory]);
  console.log(`\n(${mark()}: the memory bench's servers sit idle; the other benches run meanwhile)`);
}
for (const name of chosen) {
  if (name === 'memory') continue;
  const bench = BENCHES[name];
  if (!existsSync(`${root}/${bench[0]}`)) {
    console.log(`\n=== ${bench[2]}: ${bench[0]} does not exist yet, skipped`);
    continue;
  }
  count(await run(bench));
  console.log(`(${mark()})`);
}
count(await memory);
if (opts.all) for (const bench of OLDER) count(await run(bench));

const results = readResults();
const table = markdownTable(results);
console.log(`\n=== Figures (${RESULTS_FILE}); load average at the end ${load()}; ${mark()} in all\n`);
console.log(table);

if (opts.readme) {
  const readme = `${root}/README.md`;
  const text = readFileSync(readme, 'utf8');
  const START = '<!-- bench-table:start -->';
  const END = '<!-- bench-table:end -->';
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) {
    console.log(`\nREADME.md has no ${START} … ${END} block; the table was not written there.`);
  } else {
    const day = new Date().toISOString().slice(0, 10);
    const header = `Measured ${day} by \`npm run bench${opts.quick ? ' -- --quick' : ''}\` on ${results.machine.cores} cores, Node ${results.machine.node};`
      + ` load average ${loadAtStart} at the start, ${load()} at the end (1, 5, 15 min).`;
    writeFileSync(readme, `${text.slice(0, from + START.length)}\n${header}\n\n${table}\n${text.slice(to)}`);
    console.log('\nREADME.md: table written.');
  }
}
process.exitCode = failed ? 1 : 0;
