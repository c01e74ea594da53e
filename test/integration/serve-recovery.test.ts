// Starting `crier serve` on a data dir a crash left behind: a stale lock from a SIGKILLed
// process and damaged settings, feed list and journal. The server must start, say what it
// recovered in notices, move the damaged files aside, and work.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../preload/contract';
import { startServeProcess, type ServeProcess } from '../support/serve-process';

let dir: string;
const running: ServeProcess[] = [];

async function serve(dataDir: string): Promise<ServeProcess> {
  const proc = await startServeProcess({ dataDir });
  running.push(proc);
  return proc;
}

async function state(proc: ServeProcess): Promise<StateSnapshot> {
  const res = await fetch(`${proc.origin}/api/state`, { headers: proc.auth });
  expect(res.status).toBe(200);
  return (await res.json()) as StateSnapshot;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crier-recovery-'));
});

afterEach(async () => {
  for (const proc of running.splice(0)) await proc.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('crier serve after a crash', () => {
  it('starts over the lock of a SIGKILLed process', async () => {
    const data = join(dir, 'data');
    const first = await serve(data);
    expect(readFileSync(join(data, 'crier.lock'), 'utf8').split('\n')[0]).toBe(String(first.child.pid));
    await first.stop('SIGKILL');
    expect(existsSync(join(data, 'crier.lock'))).toBe(true);

    const second = await serve(data);
    expect(readFileSync(join(data, 'crier.lock'), 'utf8').split('\n')[0]).toBe(String(second.child.pid));
    expect((await state(second)).notices).toEqual([]);
  });

  it('starts with damaged settings, feed list and journal, moves each aside and says so in notices', async () => {
    const data = join(dir, 'data');
    const first = await serve(data);
    const res = await fetch(`${first.origin}/api/settings`, {
      method: 'PUT', headers: { ...first.auth, 'content-type': 'application/json' }, body: JSON.stringify({ dailyCap: 7 }),
    });
    expect(res.status).toBe(200);
    await first.stop('SIGKILL');

    writeFileSync(join(data, 'settings.json'), '{ "dailyCap": 7,');
    writeFileSync(join(data, 'feeds.json'), '\u0000\u0001 not json');
    writeFileSync(join(data, 'state.jsonl'), 'garbage line\n{"also": "not a record"\n');

    const second = await serve(data);
    const snapshot = await state(second);
    expect(snapshot.notices.map((n) => n.kind)).toEqual(['store-recovered', 'store-recovered', 'store-recovered']);
    expect(snapshot.notices.map((n) => n.message).join('\n')).toMatch(/settings[\s\S]*feed list[\s\S]*journal/i);
    expect(snapshot.settings.dailyCap).toBe(50);
    expect(snapshot.feeds).toEqual([]);
    expect(snapshot.tasks).toEqual([]);
    const names = readdirSync(data);
    for (const file of ['settings.json', 'feeds.json', 'state.jsonl']) {
      expect(names.some((n) => n.startsWith(`${file}.corrupt-`))).toBe(true);
    }

    // And it works: a setting saved now survives the next restart.
    const put = await fetch(`${second.origin}/api/settings`, {
      method: 'PUT', headers: { ...second.auth, 'content-type': 'application/json' }, body: JSON.stringify({ dailyCap: 9 }),
    });
    expect(put.status).toBe(200);
    await second.stop('SIGTERM');
    const third = await serve(data);
    expect((await state(third)).settings.dailyCap).toBe(9);
  });
});
