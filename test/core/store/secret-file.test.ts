// The encrypted secret file headless Crier keeps OAuth 2.0 tokens in: real files in a temp dir,
// each way it can fail read as a clear SecretFileError, never a crash, never a lost file.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSecretFile, secretKeyFromEnv, SecretFileError, type SecretFileProblem } from '../../../main/core/store/secret-file';

const KEY = 'correct horse battery staple 42';
const OTHER_KEY = 'another key of enough length!';
const VALUE = { accounts: { a1: { refreshToken: 'fake-refresh-SECRET-value', accessToken: 'fake-access-SECRET-value' } } };
let dir: string;
let path: string;

async function problemOf(promise: Promise<unknown>): Promise<SecretFileError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(SecretFileError);
    return err as SecretFileError;
  }
  throw new Error('expected a SecretFileError');
}

function envelope(): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function rewrite(edit: (e: Record<string, unknown>) => void): void {
  const e = envelope();
  edit(e);
  writeFileSync(path, JSON.stringify(e));
}

const flipFirstByte = (text: string): string => {
  const buf = Buffer.from(text, 'base64');
  buf[0] = (buf[0] ?? 0) ^ 0xff;
  return buf.toString('base64');
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crier-secret-'));
  path = join(dir, 'oauth2-tokens.secret');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the secret file', () => {
  it('keeps a value another process with the same key reads back, encrypted, with mode 0600', async () => {
    await openSecretFile(path, { key: KEY }).write(VALUE);
    expect(await openSecretFile(path, { key: KEY }).read()).toEqual(VALUE);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('refreshToken');
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['oauth2-tokens.secret']);
  });

  it('rewrites in place many times with one key, each read seeing the latest value', async () => {
    const file = openSecretFile(path, { key: KEY });
    for (let i = 0; i < 5; i++) await file.write({ n: i });
    expect(await openSecretFile(path, { key: KEY }).read()).toEqual({ n: 4 });
    expect(readdirSync(dir)).toEqual(['oauth2-tokens.secret']);
  });

  it('reads no file as null, and removes the file', async () => {
    const file = openSecretFile(path, { key: KEY });
    expect(await file.read()).toBeNull();
    await file.write(VALUE);
    await file.remove();
    expect(await file.read()).toBeNull();
    await file.remove();
  });

  describe('without CRIER_SECRET_KEY', () => {
    it('refuses to store tokens and says how to set the key, writing nothing', async () => {
      const err = await problemOf(openSecretFile(path, { key: null }).write(VALUE));
      expect(err.problem).toBe('key-missing');
      expect(err.message).toContain('CRIER_SECRET_KEY is not set');
      expect(err.message).toContain('refuses to store them');
      expect(err.message).toContain('openssl rand -base64 32');
      expect(readdirSync(dir)).toEqual([]);
    });

    it('names what the file holds and how to replace it, for a file of other secrets than X tokens', async () => {
      const holds = { what: 'the Bluesky and Mastodon accounts\' app passwords and tokens', replace: 'connect those accounts again', withoutKey: '' };
      const err = await problemOf(openSecretFile(path, { key: null, holds }).write(VALUE));
      expect(err.message).toContain('keeps the Bluesky and Mastodon accounts\' app passwords and tokens in');
      expect(err.message).not.toContain('OAuth');
      await openSecretFile(path, { key: KEY }).write(VALUE);
      expect((await problemOf(openSecretFile(path, { key: OTHER_KEY, holds }).read())).message).toContain('or connect those accounts again to replace the file');
    });

    it('reads no file as null, and refuses to open one that exists', async () => {
      expect(await openSecretFile(path, { key: null }).read()).toBeNull();
      await openSecretFile(path, { key: KEY }).write(VALUE);
      expect((await problemOf(openSecretFile(path, { key: null }).read())).problem).toBe('key-missing');
    });

    it('reads the key from the environment, refusing one too short to be safe', () => {
      expect(secretKeyFromEnv({})).toBeNull();
      expect(secretKeyFromEnv({ CRIER_SECRET_KEY: '   ' })).toBeNull();
      expect(secretKeyFromEnv({ CRIER_SECRET_KEY: ` ${KEY} ` })).toBe(KEY);
      let caught: unknown;
      try {
        secretKeyFromEnv({ CRIER_SECRET_KEY: 'short' });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(SecretFileError);
      expect((caught as SecretFileError).problem).toBe('key-too-short');
      expect((caught as SecretFileError).message).toContain('at least 16');
    });
  });

  describe('with the wrong key', () => {
    it('says the key is not the one the file was written with', async () => {
      await openSecretFile(path, { key: KEY }).write(VALUE);
      const err = await problemOf(openSecretFile(path, { key: OTHER_KEY }).read());
      expect(err.problem).toBe('wrong-key');
      expect(err.message).toContain('CRIER_SECRET_KEY is not the key');
      expect(err.message).not.toContain(KEY);
    });

    it('moves the file aside rather than overwrite it, so the right key can still open it', async () => {
      await openSecretFile(path, { key: KEY }).write(VALUE);
      await openSecretFile(path, { key: OTHER_KEY, now: () => Date.UTC(2026, 0, 15, 12) }).write({ fresh: true });
      expect(await openSecretFile(path, { key: OTHER_KEY }).read()).toEqual({ fresh: true });
      const aside = join(dir, 'oauth2-tokens.secret.unreadable-2026-01-15T12-00-00-000Z');
      expect(await openSecretFile(aside, { key: KEY }).read()).toEqual(VALUE);
    });
  });

  describe('a damaged file', () => {
    it.each<[string, () => void, SecretFileProblem, string]>([
      ['cut short', () => writeFileSync(path, readFileSync(path, 'utf8').slice(0, 40)), 'damaged', 'not JSON'],
      ['empty', () => writeFileSync(path, ''), 'damaged', 'not JSON'],
      ['some other JSON', () => writeFileSync(path, '{"hello":"world"}'), 'damaged', 'not a Crier secret file'],
      ['a JSON array', () => writeFileSync(path, '[1,2]'), 'damaged', 'not a Crier secret file'],
      ['with a byte of the data changed', () => rewrite((e) => { e.data = flipFirstByte(e.data as string); }), 'damaged', 'authentication tag'],
      ['with the tag changed', () => rewrite((e) => { e.tag = flipFirstByte(e.tag as string); }), 'damaged', 'authentication tag'],
      ['with a field missing', () => rewrite((e) => { delete e.iv; }), 'damaged', 'missing or malformed'],
      ['with an iv of the wrong size', () => rewrite((e) => { e.iv = Buffer.alloc(5).toString('base64'); }), 'damaged', 'missing or malformed'],
      ['asking for a huge scrypt cost', () => rewrite((e) => { e.kdf = { ...(e.kdf as object), N: 2 ** 30 }; }), 'damaged', 'unusable key parameters'],
      ['with another cipher', () => rewrite((e) => { e.cipher = 'aes-128-cbc'; }), 'damaged', 'unknown key derivation or cipher'],
      ['from a newer Crier', () => rewrite((e) => { e.version = 2; }), 'newer', 'newer Crier'],
    ])('is a clear error when %s', async (_name, damage, problem, says) => {
      await openSecretFile(path, { key: KEY }).write(VALUE);
      damage();
      const err = await problemOf(openSecretFile(path, { key: KEY }).read());
      expect(err.problem).toBe(problem);
      expect(err.message).toContain(says);
      expect(err.message).toContain(path);
    });

    it('is moved aside, not lost, when a new value is written over it', async () => {
      writeFileSync(path, 'garbage');
      await openSecretFile(path, { key: KEY, now: () => 0 }).write(VALUE);
      expect(await openSecretFile(path, { key: KEY }).read()).toEqual(VALUE);
      expect(readFileSync(join(dir, 'oauth2-tokens.secret.unreadable-1970-01-01T00-00-00-000Z'), 'utf8')).toBe('garbage');
    });
  });

  it('reports a path it cannot write as an io error, not a crash', async () => {
    writeFileSync(join(dir, 'blocker'), 'a file where a directory should be');
    const err = await problemOf(openSecretFile(join(dir, 'blocker', 'tokens.secret'), { key: KEY }).write(VALUE));
    expect(err.problem).toBe('io');
    expect(err.message).toMatch(/could not (read|write) .*ENOTDIR/);
  });
});
