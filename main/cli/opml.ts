// `crier import-opml FILE` and `crier export-opml`: one-shot commands on the data dir, with the
// engine opened without polling or posting.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { silentLogger } from '../core/ports';
import { resolveDataDir } from '../core/data-dir';
import { openEngine } from '../core/engine';
import { CommandError } from '../core/errors';
import { createLogger } from '../shell/log';
import { CliError, printJson, type CliContext } from './context';

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = args;
  let parsed: { values: { 'data-dir'?: string; json?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' } } });
  } catch (err) {
    throw new CliError(`${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const { values, positionals } = parsed;
  const importing = name === 'import-opml';
  if (importing && positionals.length !== 1) throw new CliError('import-opml: give exactly one OPML file: crier import-opml FILE');
  if (!importing && positionals.length > 0) throw new CliError('export-opml: takes no arguments; the OPML goes to stdout');

  let xml = '';
  if (importing) {
    try {
      xml = await readFile(positionals[0]!, 'utf8');
    } catch (err) {
      throw new CliError(`import-opml: cannot read ${positionals[0]}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  const log = ctx.verbose ? createLogger({ verbose: true }) : silentLogger;
  const dataDir = resolveDataDir(values['data-dir'], process.env, process.platform);
  const service = await openEngine({ dataDir, env: process.env, log, start: false });
  try {
    if (importing) {
      const result = await service.importOpml(xml);
      if (values.json) printJson(ctx, { added: result.added, skipped: result.skipped, feeds: result.feeds });
      else ctx.stdout.write(`Added ${result.added} feed${result.added === 1 ? '' : 's'}, skipped ${result.skipped} already present\n`);
    } else {
      const opml = await service.exportOpml();
      ctx.stdout.write(opml.endsWith('\n') ? opml : `${opml}\n`);
    }
  } catch (err) {
    if (err instanceof CommandError) throw new CliError(`${name}: ${err.message}`);
    throw err;
  } finally {
    await service.close();
  }
  return 0;
}
