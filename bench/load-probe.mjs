// Loaded into a `crier serve` process by bench/startup.mjs with `node --import`, so the bench can
// see what that process loaded at start without any code of Crier's knowing about it. Module
// hooks (module.registerHooks, synchronous: they see ESM imports and CommonJS requires alike)
// note every file loaded from node_modules. Over the IPC channel the bench opens, 'read' answers
// { packages: { name: files }, files, bytes, rssBytes, heapUsedBytes } — bytes: the source size
// of those files, what the engine parses and compiles whether it uses them or not.
import { statSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

const loaded = new Set();
registerHooks({
  load(url, context, nextLoad) {
    if (url.startsWith('file:') && url.includes('/node_modules/')) loaded.add(url);
    return nextLoad(url, context);
  },
});

function packageOf(url) {
  const rest = url.slice(url.lastIndexOf('/node_modules/') + '/node_modules/'.length).split('/');
  return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
}

function report() {
  // Run with --expose-gc, the heap figure is what stays live, not what awaits collection.
  globalThis.gc?.();
  const packages = {};
  let bytes = 0;
  for (const url of loaded) {
    const name = packageOf(url);
    packages[name] = (packages[name] ?? 0) + 1;
    try {
      bytes += statSync(fileURLToPath(url)).size;
    } catch {
      // A file gone meanwhile counts no bytes.
    }
  }
  const memory = process.memoryUsage();
  return { packages, files: loaded.size, bytes, rssBytes: memory.rss, heapUsedBytes: memory.heapUsed };
}

if (process.send) {
  process.on('message', (message) => {
    if (message === 'read') process.send(report());
  });
  // The channel must not keep a stopping server alive.
  process.channel?.unref();
}
