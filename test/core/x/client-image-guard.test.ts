// The X client with an item image on an address a feed must not reach: the post goes out
// with its text alone and the note, and the image server never hears from Crier.
import { isIP } from 'node:net';
import { Agent } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEnvAccount } from '../../../main/core/account';
import { IMAGE_FAILED_NOTE, createXClient, type XClientOptions } from '../../../main/core/x/client';
import type { Logger } from '../../../main/core/ports';
import type { ConnectTarget } from '../../../main/core/x/image-download';
import { startFakeXApi, type FakeXApi } from '../../support/fake-x-api';
import { startFeedServer, type FeedServer } from '../../support/feed-server';
import { PNG } from '../../support/client-test-kit';

const warnings: Array<Record<string, unknown> | undefined> = [];
const log: Logger = { debug: () => {}, info: () => {}, warn: (_msg, fields) => void warnings.push(fields), error: () => {} };

let fake: FakeXApi;
let agent: Agent;
let images: FeedServer;

function client(overrides: Partial<XClientOptions> = {}) {
  return createXClient({ credentials: fake.credentials, apiBase: fake.url, log, httpsAgent: agent, timeoutMs: 5_000, ...overrides });
}

beforeAll(async () => {
  fake = await startFakeXApi();
  agent = new Agent({ ca: fake.caPem });
  images = await startFeedServer({ '/pic.png': { body: PNG, contentType: 'image/png' } });
});

afterEach(() => {
  fake.reset();
  warnings.length = 0;
});

afterAll(async () => {
  agent.destroy();
  await fake.close();
  await images.close();
});

describe('an item image on a refused address', () => {
  it('is not fetched from loopback unless the engine allows it: the text is posted alone with the note', async () => {
    const result = await client().post({ text: 'no local files', imageUrl: images.url('/pic.png') });
    expect(result.note).toBe(IMAGE_FAILED_NOTE);
    expect(fake.posts).toEqual([expect.objectContaining({ text: 'no local files', mediaIds: [] })]);
    expect(images.requests).toEqual([]);
    expect(warnings).toEqual([{ reason: expect.stringMatching(/^the image was not fetched: 127\.0\.0\.1 is a loopback address/) as unknown }]);
  });

  it('is not fetched when its host resolves to the cloud metadata address, and nothing is dialled', async () => {
    const asked: string[] = [];
    const dialled: ConnectTarget[] = [];
    const result = await client({
      allowLoopbackImages: true,
      imageNetwork: {
        resolve: async (hostname) => { asked.push(hostname); return [{ address: '169.254.169.254', family: isIP('169.254.169.254') }]; },
        connect: (target) => { dialled.push(target); throw new Error('the guard let a connection through'); },
      },
    }).post({ text: 'no metadata', imageUrl: 'http://images.test/latest/meta-data/iam/security-credentials/' });
    expect(result.note).toBe(IMAGE_FAILED_NOTE);
    expect(fake.posts).toEqual([expect.objectContaining({ text: 'no metadata', mediaIds: [] })]);
    expect(asked).toEqual(['images.test']);
    expect(dialled).toEqual([]);
    expect(String(warnings[0]?.['reason'])).toContain('images.test resolves to 169.254.169.254, a link-local address');
  });
});

describe("the engine's allowLoopbackImages option", () => {
  // X here is a closed port: what matters is whether the image server is asked at all.
  const env = {
    CRIER_X_API_BASE: 'https://127.0.0.1:1',
    CRIER_X_APP_KEY: 'k', CRIER_X_APP_SECRET: 's', CRIER_X_ACCESS_TOKEN: 't', CRIER_X_ACCESS_SECRET: 'a',
  };
  const attempt = (account: ReturnType<typeof createEnvAccount>) =>
    account.client()!.post({ text: 'local picture', imageUrl: images.url('/pic.png') }).catch(() => null);

  it('reaches the environment account: loopback images are fetched only when it is set', async () => {
    images.requests.length = 0;
    await attempt(createEnvAccount(env, log));
    expect(images.requests).toEqual([]);
    await attempt(createEnvAccount(env, log, { allowLoopbackImages: true }));
    expect(images.requestsTo('/pic.png')).toHaveLength(1);
  });
});
