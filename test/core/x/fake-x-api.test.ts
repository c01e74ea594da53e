// The fake itself: it must catch what it exists to catch, and run where other suites need it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { TwitterApi } from 'twitter-api-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createXClient } from '../../../main/core/x/client';
import { silentLogger } from '../../../main/core/ports';
import type { XCredentials } from '../../../main/core/x/types';
import { bundleFakeXApi, startFakeXApi, type FakePost, type FakeXApi } from '../../support/fake-x-api';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crier-fake-x-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function getJson(url: string, agent: Agent, method = 'GET', body?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('the fake X API', () => {
  let fake: FakeXApi;
  beforeAll(async () => {
    fake = await startFakeXApi();
  });
  afterAll(() => fake.close());

  it('rejects a request whose URL was rewritten after it was signed', async () => {
    const agent = new Agent({ ca: fake.caPem });
    const target = new URL(fake.url);
    const lateRewrite = new TwitterApi(fake.credentials as XCredentials, {
      httpAgent: agent,
      plugins: [
        {
          // onBeforeRequest runs after signing: the signature still names api.x.com.
          onBeforeRequest({ computedParams }) {
            computedParams.url.hostname = target.hostname;
            computedParams.url.port = target.port;
          },
        },
      ],
    });
    await expect(lateRewrite.v2.tweet('signed for the wrong URL')).rejects.toMatchObject({ code: 401 });
    expect(fake.requests).toEqual([expect.objectContaining({ path: '/2/tweets', signed: false, status: 401 })]);
    expect(fake.posts).toEqual([]);
    agent.destroy();
  });

  it('is trusted by a child process through NODE_EXTRA_CA_CERTS', async () => {
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, fake.caPem);
    const script = `require('node:https').get(process.argv[1], (r) => { console.log(r.statusCode); r.resume(); }).on('error', (e) => { console.log(e.code); });`;
    const child = spawn(process.execPath, ['-e', script, `${fake.url}/2/users/me`], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const { value: line } = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
    // Unsigned, so 401 — but a 401 means TLS trusted the fake's certificate.
    expect(line).toBe('401');
  });

  it('runs standalone from its bundle, controlled through its /__fake routes', async () => {
    const file = await bundleFakeXApi(join(dir, 'fake-x-api.mjs'));
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      const first = await lines.next();
      const info = JSON.parse(String(first.value)) as { url: string; caPem: string; credentials: XCredentials };
      const agent = new Agent({ ca: info.caPem });
      const x = createXClient({ credentials: info.credentials, apiBase: info.url, log: silentLogger, httpsAgent: agent });

      await x.post({ text: 'from another process', imageUrl: null });
      await getJson(`${info.url}/__fake/inject`, agent, 'POST', { fault: { type: 'status', status: 503 } });
      await expect(x.post({ text: 'unlucky', imageUrl: null })).rejects.toMatchObject({ failure: { kind: 'server' } });
      const posts = (await getJson(`${info.url}/__fake/posts`, agent)) as FakePost[];
      expect(posts.map((p) => p.text)).toEqual(['from another process']);
      agent.destroy();
    } finally {
      child.kill('SIGTERM');
    }
  });
});
