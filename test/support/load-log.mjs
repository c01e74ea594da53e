// Loaded into a child process with `node --import` (NODE_OPTIONS) by tests that check what a
// process loads: every file it loads from node_modules is appended to $LOAD_LOG_FILE as its
// URL, one a line, the moment it loads. Module hooks (module.registerHooks) see ES imports and
// CommonJS requires alike, in the main thread only.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const file = process.env.LOAD_LOG_FILE;
if (file) {
  registerHooks({
    load(url, context, nextLoad) {
      if (url.includes('/node_modules/')) appendFileSync(file, `${url}\n`);
      return nextLoad(url, context);
    },
  });
}
