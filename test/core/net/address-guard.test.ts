import type { LookupAddress } from 'node:dns';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BlockedAddressError, guardedLookup, refusalReason, resolveAllowed, type AddressPolicy, type Resolver,
} from '../../../main/core/net/address-guard';

const strict: AddressPolicy = { allowLoopback: false };
const loopbackOk: AddressPolicy = { allowLoopback: true };

/** Answers from a table: no DNS, no packets. */
function fakeResolver(table: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string): Promise<LookupAddress[]> => {
    asked.push(hostname);
    return (table[hostname] ?? []).map((address) => ({ address, family: net.isIP(address) }));
  };
  return Object.assign(resolve, { asked });
}

function lookupOnce(lookup: net.LookupFunction, host: string, options: Parameters<net.LookupFunction>[1]) {
  return new Promise<{ err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family: number | undefined }>((resolve) => {
    lookup(host, options, (err, address, family) => resolve({ err, address, family }));
  });
}

describe('refusalReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'], ['::1', 'loopback'],
    ['0.0.0.0', 'this network'], ['0.1.2.3', 'this network'], ['::', 'unspecified'],
    ['10.0.0.1', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'], ['169.254.0.1', 'link-local'], ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'], ['224.0.0.251', 'multicast'], ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'], ['fc00::1', 'unique local'], ['fd00::1', 'unique local'], ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'], ['ff02::1', 'multicast'],
    ['::ffff:10.0.0.1', 'private'], ['::ffff:a9fe:a9fe', 'link-local'], ['::ffff:127.0.0.1', 'loopback'],
    ['0:0:0:0:0:ffff:c0a8:0101', 'private'], ['64:ff9b::169.254.169.254', 'link-local'], ['2002:a00:1::1', 'private'],
  ])('refuses %s (%s)', (address, kind) => {
    expect(refusalReason(address, strict)).toContain(kind);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '2a00:1450:4001::200e', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    'lets the public address %s through',
    (address) => {
      expect(refusalReason(address, strict)).toBeNull();
    },
  );

  it('lets only loopback through when loopback is allowed, never private or link-local ranges', () => {
    for (const address of ['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1']) expect(refusalReason(address, loopbackOk)).toBeNull();
    for (const address of ['0.0.0.0', '::', '10.0.0.1', '192.168.0.1', '169.254.169.254', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1']) {
      expect(refusalReason(address, loopbackOk)).not.toBeNull();
    }
  });

  it('refuses anything that is not an IP address, so a name can never slip past unresolved', () => {
    expect(refusalReason('localhost', loopbackOk)).toBe('not an IP address');
  });
});

describe('resolveAllowed', () => {
  it('refuses a name when any one of its addresses is refused, even next to a public one', async () => {
    const resolve = fakeResolver({ 'mixed.test': ['93.184.215.14', '10.0.0.1'] });
    const err = await resolveAllowed('mixed.test', strict, resolve).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlockedAddressError);
    expect((err as Error).message).toBe('mixed.test resolves to 10.0.0.1, a private address; only public addresses are fetched');
  });

  it('answers ENOTFOUND for a name with no addresses', async () => {
    await expect(resolveAllowed('nothing.test', strict, fakeResolver({}))).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe('guardedLookup', () => {
  const resolve = fakeResolver({
    'dual.test': ['2606:4700::1111', '93.184.215.14'],
    'metadata.test': ['169.254.169.254'],
    'ula.test': ['fd00::1'],
    'loop.test': ['127.0.0.1'],
  });

  it('answers the list when Node asks for all addresses (happy eyeballs)', async () => {
    const { err, address } = await lookupOnce(guardedLookup(strict, resolve), 'dual.test', { all: true });
    expect(err).toBeNull();
    expect(address).toEqual([{ address: '2606:4700::1111', family: 6 }, { address: '93.184.215.14', family: 4 }]);
  });

  it('answers one address and its family when Node asks for one, honouring the family asked for', async () => {
    expect(await lookupOnce(guardedLookup(strict, resolve), 'dual.test', {})).toEqual({ err: null, address: '2606:4700::1111', family: 6 });
    expect(await lookupOnce(guardedLookup(strict, resolve), 'dual.test', { family: 4 })).toEqual({ err: null, address: '93.184.215.14', family: 4 });
  });

  it.each([true, false])('refuses a metadata or private address in either call shape (all: %s)', async (all) => {
    for (const host of ['metadata.test', 'ula.test', 'loop.test']) {
      const { err } = await lookupOnce(guardedLookup(strict, resolve), host, { all });
      expect(err).toBeInstanceOf(BlockedAddressError);
    }
  });

  describe('as the lookup of a real net.connect', () => {
    let server: net.Server;
    let port: number;
    let accepted = 0;
    beforeAll(async () => {
      server = net.createServer((socket) => { accepted++; socket.end(); });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise((done) => server.close(done)));

    const dial = (lookup: net.LookupFunction, host: string, autoSelectFamily: boolean) =>
      new Promise<Error | null>((resolve) => {
        const socket = net.connect({ host, port, lookup, autoSelectFamily });
        socket.on('connect', () => { socket.destroy(); resolve(null); });
        socket.on('error', resolve);
      });

    it.each([true, false])('stops a refused name before dialling and connects to an allowed one (autoSelectFamily: %s)', async (autoSelectFamily) => {
      const before = accepted;
      expect(await dial(guardedLookup(strict, resolve), 'loop.test', autoSelectFamily)).toBeInstanceOf(BlockedAddressError);
      const arrived = new Promise((done) => server.once('connection', done));
      expect(await dial(guardedLookup(loopbackOk, resolve), 'loop.test', autoSelectFamily)).toBeNull();
      await arrived;
      // Had the refused attempt dialled, the server would have counted it first.
      expect(accepted - before).toBe(1);
    });
  });
});
