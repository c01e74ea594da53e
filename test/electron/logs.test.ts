import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LOG_FILES_KEPT, openLogFile, switchableLogger, type LogFile } from '../../main/electron/logs';
import type { Logger } from '../../main/core/ports';

let root: string;
let dir: string;
const open: LogFile[] = [];
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'crier-logs-'));
  dir = path.join(root, 'logs');
});
afterEach(async () => {
  for (const file of open.splice(0)) await file.close();
  await rm(root, { recursive: true, force: true });
});

async function openIn(folder: string, options: Partial<Parameters<typeof openLogFile>[1]> = {}): Promise<LogFile> {
  const file = await openLogFile(folder, { verbose: false, ...options });
  open.push(file);
  return file;
}

const lines = async (file: string): Promise<Array<Record<string, unknown>>> =>
  (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the desktop log file', () => {
  it('makes the folder and writes JSON lines to crier.N.log, on disk before the call returns', async () => {
    const log = await openIn(dir);
    log.log.info('desktop: started', { dataDir: '/data' });
    log.log.debug('not shown unless verbose');
    expect(path.dirname(log.file())).toBe(dir);
    expect(path.basename(log.file())).toMatch(/^crier\.\d+\.log$/);
    const written = await lines(log.file());
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ msg: 'desktop: started', dataDir: '/data', level: 30, name: 'crier' });
  });

  it('redacts secrets as the headless log does', async () => {
    const log = await openIn(dir);
    log.log.error('x: refused', { credentials: { appSecret: 'S3CRET' }, accessToken: 'T0KEN' });
    const text = await readFile(log.file(), 'utf8');
    expect(text).not.toMatch(/S3CRET|T0KEN/);
    expect(text).toContain('[redacted]');
  });

  it('rolls over at the size cap and never keeps more than three files, counting earlier runs\' files', async () => {
    await mkdir(dir, { recursive: true });
    for (const n of [1, 2, 3, 4, 5]) await writeFile(path.join(dir, `crier.${n}.log`), '{"msg":"an earlier run"}\n');
    await writeFile(path.join(dir, 'notes.txt'), 'not ours');
    const maxBytes = 4096;
    const log = await openIn(dir, { maxBytes });
    expect(path.basename(log.file())).toBe('crier.5.log'); // the newest file goes on
    // A roll happens between writes (once the stream drains), as it does with lines spread over time.
    for (let i = 0; i < 400; i++) {
      log.log.info('poll: fetched', { i, pad: 'x'.repeat(100) });
      if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
    }
    // Old files go once the roll's clean-up has run (asynchronously, after each roll).
    await vi.waitFor(async () => {
      const names = (await readdir(dir)).filter((n) => n.startsWith('crier.'));
      expect(names).toHaveLength(LOG_FILES_KEPT);
    }, { timeout: 10_000 });
    const names = (await readdir(dir)).filter((n) => n.startsWith('crier.')).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
    expect(Number(names.at(-1)!.split('.')[1])).toBeGreaterThan(10);
    for (const name of names.slice(0, -1)) expect((await stat(path.join(dir, name))).size).toBeLessThan(2 * maxBytes);
    expect(await readdir(dir)).toContain('notes.txt');
  });

  it('also writes every line to a second stream when asked (stderr in development)', async () => {
    const copy = new PassThrough();
    const seen: string[] = [];
    copy.on('data', (chunk: Buffer) => seen.push(chunk.toString()));
    const log = await openIn(dir, { alsoTo: copy });
    log.log.warn('tray: icon missing');
    expect(seen.join('')).toContain('"msg":"tray: icon missing"');
    expect(await lines(log.file())).toHaveLength(1);
  });

  it('rejects when the folder cannot be made, so the app can keep logging to stderr', async () => {
    const blocker = path.join(root, 'a-file');
    await writeFile(blocker, '');
    await expect(openLogFile(path.join(blocker, 'logs'), { verbose: false })).rejects.toThrow();
  });
});

describe('switchableLogger', () => {
  it('sends lines to the first logger, then to the one it is switched to', () => {
    const first: Logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const second: Logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const log = switchableLogger(first);
    log.info('before');
    log.use(second);
    log.error('after', { a: 1 });
    expect(first.info).toHaveBeenCalledWith('before', undefined);
    expect(second.error).toHaveBeenCalledWith('after', { a: 1 });
    expect(first.error).not.toHaveBeenCalled();
  });
});
