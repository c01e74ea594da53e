import { describe, expect, it } from 'vitest';
import { isLoopback, parseServeArgs } from '../../main/cli/serve-options';
import { LISTENING_LINE } from '../support/serve-process';

describe('parseServeArgs', () => {
  it('defaults to loopback, a free port and a random 32-byte base64url token', () => {
    const a = parseServeArgs([], { CRIER_DATA_DIR: '/data' }, 'linux');
    const b = parseServeArgs([], { CRIER_DATA_DIR: '/data' }, 'linux');
    expect(a).toMatchObject({ host: '127.0.0.1', port: 0, dataDir: '/data', explicitHost: false });
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
  });

  it('takes port, host, data dir and token from the flags', () => {
    const o = parseServeArgs(['--port', '8080', '--host', '[::1]', '--data-dir', '/d', '--token', 'abcdef0123456789abcdef'], {}, 'linux');
    expect(o).toEqual({ host: '::1', port: 8080, dataDir: '/d', token: 'abcdef0123456789abcdef', explicitHost: true });
  });

  it('refuses a token that is not hex or base64url, with a clear message', () => {
    for (const token of ['has space in it 1234567', 'short', 'slash/and+plus=123456789']) {
      expect(() => parseServeArgs(['--token', token], {}, 'linux')).toThrow(/hex or base64url/);
    }
  });

  it('refuses a bad port and unknown flags', () => {
    expect(() => parseServeArgs(['--port', '70000'], {}, 'linux')).toThrow(/--port/);
    expect(() => parseServeArgs(['--port', 'abc'], {}, 'linux')).toThrow(/--port/);
    expect(() => parseServeArgs(['--bogus'], {}, 'linux')).toThrow(/bogus/);
  });
});

describe('isLoopback', () => {
  it('knows the loopback names and nothing else', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.5', 'example.com']) expect(isLoopback(h), h).toBe(false);
  });
});

describe('the listening line', () => {
  it('matches IPv4 and bracketed IPv6 hosts', () => {
    expect(LISTENING_LINE.exec('Crier listening on http://127.0.0.1:4000/?token=abc_-1')?.slice(1)).toEqual(['http://127.0.0.1:4000/', '127.0.0.1', '4000', 'abc_-1']);
    expect(LISTENING_LINE.exec('Crier listening on http://[::1]:4000/?token=abc')?.[2]).toBe('[::1]');
  });
});
