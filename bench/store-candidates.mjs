// The three persistence candidates behind one small interface, for bench/store.mjs and its
// crash child: open a dir, load every task, put one task (durably), close.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(root, 'package.json'));
export const STORE_BUNDLE = join(root, 'node_modules', '.cache', 'crier-store-bench', 'store.mjs');

/** Bundles main/core/store into plain JS that node can import (dependencies stay external). */
export async function buildStoreBundle() {
  const esbuild = await import('esbuild');
  mkdirSync(join(STORE_BUNDLE, '..'), { recursive: true });
  await esbuild.build({
    entryPoints: [join(root, 'main', 'core', 'store', 'index.ts')],
    bundle: true, platform: 'node', format: 'esm', target: 'node22',
    packages: 'external', outfile: STORE_BUNDLE, logLevel: 'warning',
  });
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const realClock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return () => clearTimeout(handle);
  },
};

export const candidates = {
  /** Our JSONL journal (main/core/store). */
  async journal(dir) {
    const { openStore } = await import(STORE_BUNDLE);
    const store = openStore(dir, { clock: realClock, log: silent });
    return {
      count: () => store.tasks.all().length,
      put: async (task) => store.tasks.put(task, { durable: true }),
      putMany: async (tasks) => { for (const task of tasks) store.tasks.put(task); await store.flush(); },
      close: () => store.close(),
    };
  },

  /** @seald-io/nedb: pure JS, append-only datafile, compaction on load. */
  async nedb(dir) {
    const { default: Datastore } = await import(require.resolve('@seald-io/nedb'));
    const db = new Datastore({ filename: join(dir, 'tasks.db') });
    await db.loadDatabaseAsync();
    const docs = await db.findAsync({});
    let count = docs.length;
    return {
      count: () => count,
      put: async (task) => {
        const n = await db.updateAsync({ _id: task.id }, { _id: task.id, ...task }, { upsert: true });
        if (n.upsert) count += 1;
      },
      putMany: async (tasks) => { await db.insertAsync(tasks.map((task) => ({ _id: task.id, ...task }))); count += tasks.length; },
      close: async () => { await db.compactDatafileAsync(); },
    };
  },

  /** node-sqlite3-wasm: SQLite in WebAssembly, one row per task holding its JSON. */
  async sqlite(dir) {
    const { Database } = require('node-sqlite3-wasm');
    const db = new Database(join(dir, 'tasks.sqlite'));
    db.exec('CREATE TABLE IF NOT EXISTS tasks (id TEXT PRIMARY KEY, json TEXT NOT NULL)');
    const rows = db.all('SELECT json FROM tasks');
    const tasks = new Map(rows.map((row) => { const t = JSON.parse(row.json); return [t.id, t]; }));
    return {
      count: () => tasks.size,
      put: async (task) => {
        db.run('INSERT OR REPLACE INTO tasks (id, json) VALUES (?, ?)', [task.id, JSON.stringify(task)]);
        tasks.set(task.id, task);
      },
      putMany: async (list) => {
        db.exec('BEGIN');
        for (const task of list) db.run('INSERT OR REPLACE INTO tasks (id, json) VALUES (?, ?)', [task.id, JSON.stringify(task)]);
        db.exec('COMMIT');
        for (const task of list) tasks.set(task.id, task);
      },
      close: async () => db.close(),
    };
  },
};

/**
 * A realistic task: about the size a composed post with a title and a link makes. Half are
 * completed, half failed, so 10,000 of them stay within the default history limit of 5,000.
 */
export function makeTask(n, status = n % 2 === 0 ? 'completed' : 'failed') {
  const at = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
  return {
    id: `task-${n}`, feedId: `feed-${n % 20}`, itemId: `https://example.com/posts/${n}`,
    itemTitle: `Post number ${n}: a title of ordinary length for a blog entry`,
    itemLink: `https://example.com/posts/${n}`,
    text: `Post number ${n}: a title of ordinary length for a blog entry https://example.com/posts/${n} #news #tech`,
    imageUrl: null, status, attempts: 1, nextAttemptAt: null, error: null,
    postId: status === 'completed' ? String(1_800_000_000_000_000_000n + BigInt(n)) : null,
    postUrl: status === 'completed' ? `https://x.com/i/status/${n}` : null,
    dryRun: false, note: null, createdAt: at, updatedAt: at,
  };
}
