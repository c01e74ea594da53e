// `npm run bench`: every benchmark in turn, each printing its own figures. Targets are ratios or
// bounds measured in the same run (see each script's header), never absolute times in tests.
import { spawnSync } from 'node:child_process';

const benches = [
  ['store: journal vs nedb vs sqlite-wasm (issue 4 targets)', ['bench/store.mjs']],
  ['parse: inline vs worker round trip', ['bench/parse-inline.mjs']],
  ['engine: a poll never waits for a post (X fast vs X slow)', ['bench/engine.mjs']],
  ['bulk work: OPML import, PATCH storm, start-up with 200,000 tasks (issue 11 targets)', ['bench/import.mjs']],
  ['pages: the tasks window with 10,000 tasks in Chromium (issue 13 targets)', ['bench/pages.mjs', ...process.argv.slice(2).filter((a) => a === '--quick')]],
];
let failed = 0;
for (const [title, args] of benches) {
  console.log(`\n=== ${title}`);
  const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
