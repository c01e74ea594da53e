// `crier serve`'s flags: parsed and checked before anything opens, so a typo costs nothing.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../core/data-dir';
import { TOKEN_PATTERN } from '../headless/access';
import { CliError } from './context';

export interface ServeOptions { host: string; port: number; dataDir: string; token: string; explicitHost: boolean }

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export function parseServeArgs(args: string[], env: Record<string, string | undefined>, platform: NodeJS.Platform): ServeOptions {
  let values: { port?: string; host?: string; 'data-dir'?: string; token?: string };
  try {
    ({ values } = parseArgs({
      args, allowPositionals: false, strict: true,
      options: { port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' }, token: { type: 'string' } },
    }));
  } catch (err) {
    throw new CliError(`serve: ${err instanceof Error ? err.message : String(err)}`);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CliError(`serve: --port must be a number from 0 to 65535, not "${values.port}"`);
  const token = values.token ?? randomBytes(32).toString('base64url');
  if (!TOKEN_PATTERN.test(token)) throw new CliError('serve: --token must be 16 to 512 hex or base64url characters (A-Z a-z 0-9 - _)');
  const host = values.host?.replace(/^\[|\]$/g, '') ?? '127.0.0.1';
  if (host === '') throw new CliError('serve: --host cannot be empty');
  return { host, port, token, dataDir: resolveDataDir(values['data-dir'], env, platform), explicitHost: values.host !== undefined };
}
