// `crier serve` on a data dir whose settings.json or feeds.json a power loss left empty: it must
// start, restore the previous save (`<file>.bak`) when it can, say so in a notice, and keep the
// empty file aside.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../preload/contract';
import { DEFAULT_SETTINGS } from '../../main/core/defaults';
import { callApi, startServeProcess, type ServeProcess } from '../support/serve-process';

let data: string;
const running: ServeProcess[] = [];

async function serve(): Promise<ServeProcess> {
  const proc = await startServeProcess({ dataDir: data });
  running.push(proc);
  return proc;
}

/** Disabled and on a closed loopback port, so the server never polls anything. */
function feed(n: number): Record<string, unknown> {
  return { id: `feed-${n}`, url: `http://127.0.0.1:9/${n}.xml`, enabled: false, name: `Feed ${n}` };
}
const confFile = (value: Record<string, unknown>): string =>
  JSON.stringify({ ...value, __internal__: { migrations: { version: '1.0.0' } } }, null, '\t');
const aside = (name: string): string[] => readdirSync(data).filter((f) => f.startsWith(`${name}.corrupt-`));

beforeEach(() => {
  data = mkdtempSync(join(tmpdir(), 'crier-damaged-config-'));
});

afterEach(async () => {
  for (const proc of running.splice(0)) await proc.stop('SIGKILL');
  rmSync(data, { recursive: true, force: true });
});

describe('crier serve with an empty config file', () => {
  it('starts with the feed list of the previous save and a notice saying it was restored', async () => {
    writeFileSync(join(data, 'feeds.json'), '');
    writeFileSync(join(data, 'feeds.json.bak'), confFile({ feeds: [feed(1), feed(2)] }));

    const state = await callApi<StateSnapshot>(await serve(), 'GET', '/api/state');
    expect(state.feeds.map((f) => f.id).sort()).toEqual(['feed-1', 'feed-2']);
    expect(state.notices).toEqual([expect.objectContaining({ kind: 'store-recovered' })]);
    expect(state.notices[0]?.message).toMatch(/feed list file was damaged \(it was empty\).*restored from the previous save \(2 feeds\)/);
    expect(aside('feeds.json')).toHaveLength(1);
  });

  it('starts with no feeds and a notice when the previous save is empty too', async () => {
    writeFileSync(join(data, 'feeds.json'), '');
    writeFileSync(join(data, 'feeds.json.bak'), '\n');

    const state = await callApi<StateSnapshot>(await serve(), 'GET', '/api/state');
    expect(state.feeds).toEqual([]);
    expect(state.notices).toEqual([expect.objectContaining({ kind: 'store-recovered' })]);
    expect(state.notices[0]?.message).toMatch(/previous save could not be used either.*starts with no feeds/);
    expect(aside('feeds.json')).toHaveLength(1);
    expect(aside('feeds.json.bak')).toHaveLength(1);
  });

  it('starts with the default settings and a notice when settings.json is empty and there is no previous save', async () => {
    writeFileSync(join(data, 'settings.json'), '');

    const proc = await serve();
    const state = await callApi<StateSnapshot>(proc, 'GET', '/api/state');
    expect(state.settings).toEqual(DEFAULT_SETTINGS);
    expect(state.notices).toEqual([expect.objectContaining({ kind: 'store-recovered' })]);
    expect(state.notices[0]?.message).toMatch(/settings file was damaged \(it was empty\).*no previous save.*defaults/);
    expect(aside('settings.json')).toHaveLength(1);

    // And it works: a setting saved now survives a restart.
    await callApi(proc, 'PUT', '/api/settings', { dailyCap: 9 });
    await proc.stop('SIGTERM');
    expect((await callApi<StateSnapshot>(await serve(), 'GET', '/api/state')).settings.dailyCap).toBe(9);
  });
});
