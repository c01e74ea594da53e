import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../main/shell/log';

function capture(verbose: boolean): { log: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[] } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => { text += c.toString('utf8'); });
  return { log: createLogger({ verbose, destination: out }), lines: () => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes one JSON line per event with the message and fields', async () => {
    const { log, lines } = capture(false);
    log.info('server listening', { port: 1234 });
    await new Promise((r) => setImmediate(r));
    expect(lines()).toEqual([expect.objectContaining({ msg: 'server listening', port: 1234, level: 30 })]);
  });

  it('drops debug lines unless verbose', async () => {
    const quiet = capture(false);
    quiet.log.debug('request');
    const loud = capture(true);
    loud.log.debug('request');
    await new Promise((r) => setImmediate(r));
    expect(quiet.lines()).toHaveLength(0);
    expect(loud.lines()).toHaveLength(1);
  });

  it('redacts fields named like secrets, at the top level and one level down', async () => {
    const { log, lines } = capture(true);
    log.warn('oops', { token: 'tok-123', appSecret: 'sec-456', request: { authorization: 'Bearer tok-123' } });
    await new Promise((r) => setImmediate(r));
    const text = JSON.stringify(lines());
    expect(text).not.toMatch(/tok-123|sec-456/);
    expect(text).toContain('[redacted]');
  });
});
