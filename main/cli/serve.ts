// `crier serve`: the engine behind the headless HTTP server, until SIGINT / SIGTERM.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppService } from '../core/app-service';
import { openEngine } from '../core/engine';
import { startWakeDetector } from '../core/wake-detector';
import { formatHost } from '../headless/access';
import { createLogger } from '../shell/log';
import { startServer } from '../headless/server';
import { CliError, type CliContext } from './context';
import { isLoopback, parseServeArgs } from './serve-options';
import { saveCompileCache } from './compile-cache';
import { keepYoungGenerationSmall } from './young-generation';

/** How long a shutdown waits for the engine (a post in flight, the store flush) before exiting anyway. */
const CLOSE_BUDGET_MS = 15_000;

/** dist/renderer, beside the chunk this runs in (dist/cli-chunks); the repository's dist/renderer when run from source. */
function staticDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = join(here, '..', 'renderer');
  return existsSync(built) ? built : join(here, '..', '..', 'dist', 'renderer');
}

async function closeWithin(service: AppService, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  try {
    return await Promise.race([service.close().then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A handle the engine forgot (a worker, a socket) must not keep a stopped server alive. */
function exitSoon(code: number): void {
  setTimeout(() => process.exit(code), 2000).unref();
}

export async function run(args: string[], ctx: CliContext): Promise<number> {
  keepYoungGenerationSmall();
  const options = parseServeArgs(args.slice(1), process.env, process.platform);
  const log = createLogger({ verbose: ctx.verbose });
  if (!isLoopback(options.host)) {
    ctx.stderr.write(`crier: WARNING: serving on ${options.host}, reachable beyond this machine. Anyone who learns the token controls Crier; the traffic is plain HTTP. Prefer a loopback address behind an SSH tunnel or a TLS proxy.\n`);
  }
  const service = await openEngine({ dataDir: options.dataDir, env: process.env, log, headless: true });
  let server;
  try {
    server = await startServer({ service, host: options.host, port: options.port, token: options.token, staticDir: staticDir(), log, headless: true });
  } catch (err) {
    await closeWithin(service, CLOSE_BUDGET_MS);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`serve: port ${options.port} is already in use`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new CliError(`serve: cannot listen on ${options.host}`);
    throw err;
  }
  const running = server;
  const stopWakeDetector = startWakeDetector({
    now: () => Date.now(),
    setInterval: (fn, ms) => { const t = setInterval(fn, ms); t.unref(); return () => clearInterval(t); },
    onWake: (sleptMs) => {
      log.info('the machine seems to have slept; catching up', { sleptMs });
      service.wake();
    },
  });
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      stopWakeDetector();
      log.info('shutting down', { signal });
      void (async () => {
        const serverClosed = running.close();
        const clean = await closeWithin(service, CLOSE_BUDGET_MS);
        if (!clean) log.warn('the engine did not close in time; exiting anyway');
        await Promise.race([serverClosed, new Promise((r) => setTimeout(r, 3000).unref())]);
        log.info('stopped');
        exitSoon(0);
        resolve(0);
      })().catch((err: unknown) => {
        log.error('shutdown failed', { error: err instanceof Error ? err.message : String(err) });
        exitSoon(1);
        resolve(1);
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    // Only now: whoever reads this line may signal at once, and a SIGTERM that came before the
    // handlers were in place would end the process without its orderly stop.
    ctx.stdout.write(`Crier listening on http://${formatHost(options.host)}:${running.port}/?token=${options.token}\n`);
    log.info('data directory', { dataDir: options.dataDir });
    // Once listening, off the start's path: the next start reuses what this one compiled.
    setImmediate(saveCompileCache);
  });
}
