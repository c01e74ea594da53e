// Runs `node dist/cli.js serve` as a real child process for integration and browser tests:
// waits for its first stdout line, parses the URL and token from it, and stops it with a signal.
// Build first (`node scripts/build.mjs`); this helper never builds.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI_PATH = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** The first stdout line, exactly as ARCHITECTURE.md fixes it. */
/** The secret key a test's `crier serve` keeps OAuth 2.0 tokens and other networks' secrets with. */
export const TEST_SECRET_KEY = 'test-secret-key-6f1c0a9e2b7d4c3a';

export const LISTENING_LINE = /^Crier listening on (http:\/\/(\[[0-9a-fA-F:]+\]|[^/:]+):(\d+)\/)\?token=([A-Za-z0-9_-]+)$/;

export interface ServeProcess {
  child: ChildProcess;
  /** http://127.0.0.1:PORT/ */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  token: string;
  /** The whole first line, with the token. */
  line: string;
  /** Headers for fetch: Authorization: Bearer TOKEN. */
  auth: Record<string, string>;
  /** Everything written to stdout and stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Sends the signal (default SIGTERM) and waits for the exit; kills with SIGKILL after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when the process exits on its own. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ServeProcessOptions {
  dataDir: string;
  /** Extra environment, on top of process.env (CRIER_X_*, NODE_EXTRA_CA_CERTS, ...). */
  env?: Record<string, string | undefined>;
  /** Extra CLI arguments (--token T, --host H, --verbose). */
  args?: string[];
  port?: number;
  /** How long to wait for the listening line (default 20 s). */
  startTimeoutMs?: number;
}

export function startServeProcess(options: ServeProcessOptions): Promise<ServeProcess> {
  const args = [CLI_PATH, 'serve', '--port', String(options.port ?? 0), '--data-dir', options.dataDir, ...(options.args ?? [])];
  // The CRIER_* variables of the shell running the tests must not leak into the child.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CRIER_')));
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...base, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => { err += c; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`crier serve printed no listening line within ${options.startTimeoutMs ?? 20_000} ms.\nstdout: ${out}\nstderr: ${err}`));
    }, options.startTimeoutMs ?? 20_000);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`crier serve exited (${code ?? signal}) before listening.\nstdout: ${out}\nstderr: ${err}`));
    });
    child.stdout.on('data', (c: string) => {
      const before = out;
      out += c;
      if (before.includes('\n') || !out.includes('\n')) return;
      clearTimeout(timer);
      const line = out.slice(0, out.indexOf('\n'));
      const m = LISTENING_LINE.exec(line);
      if (!m) {
        child.kill('SIGKILL');
        reject(new Error(`unexpected first line from crier serve: ${JSON.stringify(line)}\nstderr: ${err}`));
        return;
      }
      const url = m[1]!;
      const token = m[4]!;
      resolve({
        child, url, origin: url.slice(0, -1), port: Number(m[3]), token, line,
        auth: { Authorization: `Bearer ${token}` },
        stdout: () => out,
        stderr: () => err,
        exited,
        async stop(signal = 'SIGTERM', timeoutMs = 20_000) {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
          try {
            return await exited;
          } finally {
            clearTimeout(killer);
          }
        },
      });
    });
  });
}

/**
 * One JSON call to a running `crier serve` with its token: the parsed answer (undefined for an
 * empty one), or an Error naming the route, the status and the body.
 */
export async function callApi<T = unknown>(proc: Pick<ServeProcess, 'origin' | 'auth'>, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${proc.origin}${path}`, {
    method,
    headers: { ...proc.auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
