// What bench/poll-cycle.mjs and bench/memory.mjs share: a real `crier serve` (dist/cli.js or
// another build's, --cli) on a data dir of its own, its HTTP API, the loopback feed server
// (bench/poll-servers.mjs) in a child process, and OPML for its feeds.
/* global fetch */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

const children = new Set();
/** Kills every child still running (a failed or interrupted run). */
export function killChildren() {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
}

/** A child that prints one JSON line when ready; resolves to that line, parsed, with the child. */
export function startJsonChild(args, options = {}) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['pipe', 'pipe', 'inherit'], ...options });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${args[0]} exited early (${code})`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      child.removeAllListeners('exit');
      child.once('exit', () => children.delete(child));
      resolve({ child, ...JSON.parse(line) });
    });
  });
}

export function startFeedServer({ feeds, items = 50, bytes = 136 * 1024, big = 0 }) {
  return startJsonChild([join(root, 'bench/poll-servers.mjs'), String(feeds), String(items), String(bytes), String(big)]);
}

/** Runs a child to its end and parses the JSON line it printed. */
export function runJsonChild(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c) => { out += c; });
    child.once('error', reject);
    child.once('exit', (code) => {
      children.delete(child);
      if (code !== 0) reject(new Error(`${args[0]} exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)));
    });
  });
}

const LISTENING = /^Crier listening on (http:\/\/[^/]+)\/\?token=([A-Za-z0-9_-]+)$/;

/**
 * `crier serve --port 0` on `dataDir`, loopback only, no CRIER_* variables from this process.
 * `probe`: a module loaded with --import (it gets an IPC channel); `nodeArgs`: more flags for node.
 */
export function startServe({ cli, dataDir, probe = null, nodeArgs = [], timeoutMs = 60_000 }) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CRIER_')));
  const args = [...nodeArgs, ...(probe ? ['--import', probe] : []), cli, 'serve', '--port', '0', '--data-dir', dataDir];
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe', ...(probe ? ['ipc'] : [])] });
  children.add(child);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c) => { stderr = (stderr + c).slice(-4000); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`crier serve did not listen within ${timeoutMs} ms\n${stderr}`)), timeoutMs);
    child.once('exit', (code) => { clearTimeout(timer); children.delete(child); reject(new Error(`crier serve exited (${code})\n${stderr}`)); });
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const m = LISTENING.exec(line);
      if (!m) return reject(new Error(`unexpected first line: ${line}`));
      resolve({ child, pid: child.pid, origin: m[1], token: m[2], startMs: performance.now() - started });
    });
  });
}

export function stopServe(serve) {
  return new Promise((resolve) => {
    serve.child.removeAllListeners('exit');
    serve.child.once('exit', () => { children.delete(serve.child); resolve(); });
    serve.child.kill('SIGTERM');
  });
}

/** Asks the --import probe over IPC ('mark' or 'read'). */
export function ask(serve, message) {
  return new Promise((resolve) => {
    serve.child.once('message', resolve);
    serve.child.send(message);
  });
}

export async function api(serve, method, path, body, contentType = 'application/json') {
  const res = await fetch(`${serve.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${serve.token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

export function opmlOf(base, feeds) {
  const outlines = Array.from({ length: feeds }, (_, f) => `    <outline type="rss" text="Bench feed ${f}" xmlUrl="${base}/feed/${f}"/>`);
  return `<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0">\n  <head><title>bench</title></head>\n  <body>\n${outlines.join('\n')}\n  </body>\n</opml>\n`;
}

/** Imports `feeds` feeds of the feed server by POST /api/opml; throws unless all were added. */
export async function importFeeds(serve, base, feeds) {
  const result = await api(serve, 'POST', '/api/opml', opmlOf(base, feeds), 'text/x-opml');
  if (result.added !== feeds) throw new Error(`the import added ${result.added} feeds, not ${feeds}`);
}

/** POST /api/poll: polls every feed and answers when all are done. Returns its time in ms. */
export async function pollCycle(serve) {
  const t = performance.now();
  await api(serve, 'POST', '/api/poll');
  return performance.now() - t;
}

/** Throws unless every feed has polled without an error. */
export async function checkAllPolled(serve, feeds) {
  const state = await api(serve, 'GET', '/api/state');
  const polled = state.feeds.filter((f) => f.health.lastFetchedAt !== null);
  const failed = state.feeds.filter((f) => f.health.lastError !== null);
  if (polled.length !== feeds || failed.length > 0) {
    throw new Error(`${polled.length} of ${feeds} feeds polled, ${failed.length} failed${failed[0] ? ` (${failed[0].health.lastError})` : ''}`);
  }
  return state;
}

/** Resident memory of a process in MB (Linux /proc). */
export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  return kb / 1024;
}

const TICKS_PER_SECOND = 100;

/**
 * CPU time used so far by each thread of a process, in ms, by thread name (Linux /proc; clock
 * ticks of 10 ms): the main thread is the one named like the process, workers are "WorkerThread"…
 */
export function threadCpuMs(pid) {
  const threads = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
      const key = tid === String(pid) ? 'main' : name;
      threads[key] = (threads[key] ?? 0) + ms;
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return threads;
}

/** CPU time of a whole process (all threads, ended ones included), in ms. */
export function processCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

