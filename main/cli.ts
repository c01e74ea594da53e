// `crier` — the command-line face of the engine. Each command lives in main/cli/<name>.ts and
// is loaded only when asked for, so `crier --version` stays instant.
import { useCompileCache } from './cli/compile-cache';
import { CliError, type CliContext } from './cli/context';
import { keepYoungGenerationSmall } from './cli/young-generation';
import { VERSION } from './version';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(args: string[], ctx: CliContext): Promise<number> }> }> = {
  parse: { summary: 'parse <url|file> [--json]          the normalised feed', load: () => import('./cli/parse') },
  preview: { summary: 'preview <url|file> [--template T] [--include W]... [--exclude W]...\n                [--max-hashtags N] [--limit N] [--json]\n                                      the posts Crier would make', load: () => import('./cli/preview') },
  // The young generation is kept small before the engine's code is loaded (cli/young-generation.ts).
  serve: { summary: 'serve [--port N] [--host H] [--data-dir DIR] [--token T]\n                                      run headless: HTTP + SSE and the web pages', load: () => { keepYoungGenerationSmall(); return import('./cli/serve'); } },
  'import-opml': { summary: 'import-opml FILE [--data-dir DIR] [--json]\n                                      add the feeds an OPML file lists', load: () => import('./cli/opml') },
  'export-opml': { summary: 'export-opml [--data-dir DIR]         print the feeds as OPML 2.0', load: () => import('./cli/opml') },
};

function help(): string {
  const lines = Object.values(COMMANDS).map((c) => `  crier ${c.summary}`);
  return [
    `Crier ${VERSION} — posts new RSS/Atom items to X.`,
    '',
    'Usage:',
    ...lines,
    '  crier --version | --help',
    '',
    'Options for every command: --verbose (logs on stderr), --debug (stack traces).',
    'Environment: CRIER_DATA_DIR, CRIER_X_API_BASE, CRIER_X_APP_KEY, CRIER_X_APP_SECRET,',
    '  CRIER_X_ACCESS_TOKEN, CRIER_X_ACCESS_SECRET (see README).',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const verbose = argv.includes('--verbose') || debug;
  const args = argv.filter((a) => a !== '--debug' && a !== '--verbose');
  const ctx: CliContext = { debug, verbose, stdout: process.stdout, stderr: process.stderr };
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new CliError(`unknown command "${name}"; see crier --help`);
    useCompileCache();
    const mod = await command.load();
    return await mod.run([name, ...rest], ctx);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`crier: ${message.split('\n')[0]}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => { process.stderr.write(`crier: ${String(err)}\n`); process.exitCode = 1; },
);
