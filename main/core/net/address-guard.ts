// Which network addresses a URL taken from an untrusted feed may reach. A feed can name any
// host: without this, an item's image URL could make Crier fetch from the machine itself, the
// LAN or a cloud metadata service (169.254.169.254) and upload the answer to X. Public
// addresses only; loopback only when an engine option says so (tests serving on 127.0.0.1).
import { lookup as dnsLookup } from 'node:dns';
import { isIP, isIPv4, type LookupFunction } from 'node:net';
import type { LookupAddress } from 'node:dns';

export interface AddressPolicy {
  /** 127.0.0.0/8 and ::1 only — never 0.0.0.0, private or link-local ranges. Engine option, not a setting. */
  allowLoopback: boolean;
}

/** Name → every address, as dns.lookup(name, { all: true }) gives them. A port: tests map names without DNS. */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
  readonly code = 'ERR_CRIER_BLOCKED_ADDRESS';
  readonly host: string;
  readonly address: string;
  readonly range: string;
  constructor(host: string, address: string, range: string) {
    super(host === address
      ? `${address} is ${range}; only public addresses are fetched`
      : `${host} resolves to ${address}, ${range}; only public addresses are fetched`);
    this.host = host;
    this.address = address;
    this.range = range;
  }
}

interface Range { prefix: number; bits: number; label: string }

const IPV4_RANGES: Array<{ base: string; bits: number; label: string }> = [
  { base: '0.0.0.0', bits: 8, label: 'a "this network" address' },
  { base: '10.0.0.0', bits: 8, label: 'a private address' },
  { base: '100.64.0.0', bits: 10, label: 'a carrier-grade NAT address' },
  { base: '127.0.0.0', bits: 8, label: 'a loopback address' },
  { base: '169.254.0.0', bits: 16, label: 'a link-local address (where cloud metadata services live)' },
  { base: '172.16.0.0', bits: 12, label: 'a private address' },
  { base: '192.0.0.0', bits: 24, label: 'a reserved address' },
  { base: '192.168.0.0', bits: 16, label: 'a private address' },
  { base: '198.18.0.0', bits: 15, label: 'a reserved address' },
  { base: '224.0.0.0', bits: 4, label: 'a multicast address' },
  { base: '240.0.0.0', bits: 4, label: 'a reserved or broadcast address' },
];

const V4: Range[] = IPV4_RANGES.map(({ base, bits, label }) => ({ prefix: ipv4Number(base), bits, label }));

function ipv4Number(text: string): number {
  return text.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function classifyIPv4(value: number): string | null {
  for (const range of V4) {
    const shift = 32 - range.bits;
    if (Math.floor(value / 2 ** shift) === Math.floor(range.prefix / 2 ** shift)) return range.label;
  }
  return null;
}

/** Eight 16-bit groups of a valid IPv6 text, a dotted IPv4 tail included. */
function ipv6Groups(text: string): number[] {
  let body = text;
  const lastColon = body.lastIndexOf(':');
  const last = body.slice(lastColon + 1);
  if (isIPv4(last)) {
    const n = ipv4Number(last);
    body = `${body.slice(0, lastColon + 1)}${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}`;
  }
  const [head = '', rest] = body.split('::') as [string, string | undefined];
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const front = parse(head);
  if (rest === undefined) return front;
  const back = parse(rest);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

function classifyIPv6(text: string): string | null {
  const g = ipv6Groups(text.toLowerCase());
  const embedded = (hi: number, lo: number): string | null => classifyIPv4(hi * 65536 + lo);
  const zeros = (from: number, to: number): boolean => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 7) && g[7] === 1) return 'a loopback address';
  if (zeros(0, 8)) return 'the unspecified address';
  // ::ffff:a.b.c.d reaches the IPv4 address itself: judge that.
  if (zeros(0, 5) && g[5] === 0xffff) return embedded(g[6]!, g[7]!);
  if (zeros(0, 6)) return 'a deprecated IPv4-compatible address';
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) also carry an IPv4 address someone may route to.
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return embedded(g[6]!, g[7]!);
  if (g[0] === 0x2002) return embedded(g[1]!, g[2]!);
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return 'a private (unique local) address';
  if ((first & 0xffc0) === 0xfe80) return 'a link-local address';
  if ((first & 0xffc0) === 0xfec0) return 'a site-local address';
  if ((first & 0xff00) === 0xff00) return 'a multicast address';
  return null;
}

/** True for 127.0.0.0/8, ::1 and ::ffff:127.x — what allowLoopback lets through. */
export function isLoopback(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return address.startsWith('127.');
  if (family !== 6) return false;
  const g = ipv6Groups(address.toLowerCase());
  const zeros = (from: number, to: number): boolean => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 7) && g[7] === 1) return true;
  return zeros(0, 5) && g[5] === 0xffff && g[6]! >> 8 === 127;
}

/**
 * Why `address` may not be reached under `policy`, or null when it may. Anything that is not an
 * IP address is refused: callers resolve names first.
 */
export function refusalReason(address: string, policy: AddressPolicy): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  if (policy.allowLoopback && isLoopback(address)) return null;
  return family === 4 ? classifyIPv4(ipv4Number(address)) : classifyIPv6(address);
}

/** Throws BlockedAddressError unless `address` may be reached. */
export function assertAllowed(host: string, address: string, policy: AddressPolicy): void {
  const reason = refusalReason(address, policy);
  if (reason !== null) throw new BlockedAddressError(host, address, reason);
}

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, order: 'verbatim' }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });

/**
 * Resolves `hostname` and refuses it when any of its addresses is refused: a name that mixes
 * public and private answers is how DNS rebinding hides, so the whole name is refused.
 */
export async function resolveAllowed(hostname: string, policy: AddressPolicy, resolve: Resolver): Promise<LookupAddress[]> {
  const addresses = await resolve(hostname);
  if (addresses.length === 0) {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
  }
  for (const { address } of addresses) assertAllowed(hostname, address, policy);
  return addresses;
}

/**
 * A drop-in for dns.lookup (the `lookup` option of net, tls, http and https) that answers only
 * with allowed addresses. Handles both call shapes Node uses: `all: true` (happy eyeballs,
 * autoSelectFamily) wants the list, otherwise one address and its family. Node skips `lookup`
 * for IP-literal hosts, so those must be checked before connecting (see assertAllowed).
 */
export function guardedLookup(policy: AddressPolicy, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    const wanted = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family ?? 0;
    resolveAllowed(hostname, policy, resolve).then(
      (all) => {
        const addresses = wanted === 0 ? all : all.filter((a) => a.family === wanted);
        const first = addresses[0];
        if (!first) {
          callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }), '', 0);
        } else if (options.all) {
          callback(null, addresses);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (err: unknown) => callback(err as NodeJS.ErrnoException, '', 0),
    );
  };
}
