// A JSON value kept encrypted on disk, for secrets headless Crier has no keychain for (OAuth 2.0
// tokens). AES-256-GCM under a key derived with scrypt from CRIER_SECRET_KEY; without that key
// nothing is stored, and Crier says why. Written atomically (temp file with mode 0600, fsync,
// rename). A file that cannot be read is a clear error naming the cause — a wrong key or damage —
// never a crash, and is moved aside rather than overwritten, since the right key may still open it.
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const SECRET_KEY_VAR = 'CRIER_SECRET_KEY';
export const MIN_SECRET_KEY_LENGTH = 16;

const FORMAT = 'crier-secret-file';
const VERSION = 1;
/** scrypt cost: 32 MiB and about 0.1 s per derivation, done once per file and key. */
const KDF = { name: 'scrypt', N: 32_768, r: 8, p: 1 } as const;
const KDF_MAXMEM = 64 * 1024 * 1024;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CHECK_BYTES = 16;

export type SecretFileProblem = 'key-missing' | 'key-too-short' | 'wrong-key' | 'damaged' | 'newer' | 'io';

export class SecretFileError extends Error {
  constructor(readonly problem: SecretFileProblem, message: string) {
    super(message);
    this.name = 'SecretFileError';
  }
}

const KEY_HINT = `set ${SECRET_KEY_VAR} to a long random value (for example the output of \`openssl rand -base64 32\`) and restart`;

/**
 * CRIER_SECRET_KEY, or null when unset or blank. Throws SecretFileError 'key-too-short' for a key
 * under 16 characters: a short passphrase would make the file easy to open by guessing.
 */
export function secretKeyFromEnv(env: Record<string, string | undefined>): string | null {
  const key = env[SECRET_KEY_VAR]?.trim();
  if (!key) return null;
  if (key.length < MIN_SECRET_KEY_LENGTH) {
    throw new SecretFileError('key-too-short', `${SECRET_KEY_VAR} is too short (${key.length} characters; at least ${MIN_SECRET_KEY_LENGTH}): ${KEY_HINT}.`);
  }
  return key;
}

export interface SecretFile {
  readonly path: string;
  /** The stored value, or null when there is no file. Rejects with SecretFileError only. */
  read(): Promise<unknown>;
  /** Replaces the value, atomically. Rejects with SecretFileError only ('key-missing' without a key). */
  write(value: unknown): Promise<void>;
  /** Deletes the file (no file is fine). */
  remove(): Promise<void>;
  /** Throws SecretFileError 'key-missing' when write() would refuse for want of a key. */
  checkWritable(): void;
}

export interface SecretFileOptions {
  /** From secretKeyFromEnv; null refuses to store anything and to read an existing file. */
  key: string | null;
  /** Epoch ms, for the name an unreadable file is moved aside under (the injected clock). */
  now?: () => number;
  /** What the file holds, in the words its messages use; default the X account's OAuth 2.0 tokens. */
  holds?: SecretFileWords;
}

/** How a secret file's messages name what it holds and how the user replaces it. */
export interface SecretFileWords {
  /** "OAuth 2.0 tokens" */
  what: string;
  /** "connect the X account again" */
  replace: string;
  /** A sentence on what works without the key, or ''. */
  withoutKey: string;
}

export const OAUTH2_TOKEN_WORDS: SecretFileWords = {
  what: 'OAuth 2.0 tokens', replace: 'connect the X account again', withoutKey: ' (OAuth 1.0a keys from the environment work without it.)',
};

interface Envelope {
  format: typeof FORMAT;
  version: number;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: 'aes-256-gcm';
  check: string;
  iv: string;
  tag: string;
  data: string;
}

interface DerivedKey { salt: string; params: Envelope['kdf']; key: Buffer; check: Buffer }

function derive(secret: string, params: Omit<Envelope['kdf'], 'salt'>, salt: Buffer): Promise<DerivedKey> {
  return new Promise((resolve, reject) => {
    // 48 bytes: the AES key, then a check value that tells a wrong key from a damaged file.
    scrypt(secret, salt, 32 + CHECK_BYTES, { N: params.N, r: params.r, p: params.p, maxmem: KDF_MAXMEM }, (err, out) => {
      if (err) reject(err);
      else resolve({ salt: salt.toString('base64'), params: { ...params, salt: salt.toString('base64') }, key: out.subarray(0, 32), check: out.subarray(32) });
    });
  });
}

/** Binds the ciphertext to the envelope's header, so no field can be swapped unnoticed. */
function aad(kdf: Envelope['kdf']): Buffer {
  return Buffer.from(`${FORMAT}/${VERSION}/${kdf.name}/${kdf.N}/${kdf.r}/${kdf.p}/${kdf.salt}/aes-256-gcm`);
}

const b64 = (text: unknown, bytes?: number): Buffer | null => {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const buf = Buffer.from(text, 'base64');
  return bytes === undefined || buf.length === bytes ? buf : null;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function openSecretFile(path: string, options: SecretFileOptions): SecretFile {
  const { key } = options;
  const words = options.holds ?? OAUTH2_TOKEN_WORDS;
  const now = options.now ?? Date.now;
  /** The last key derived, reused while the salt stays the same (a fresh IV per write keeps GCM safe). */
  let derived: DerivedKey | null = null;
  /** True once this key has read or written the file: it can be replaced without a look first. */
  let ours = false;

  const damaged = (detail: string): SecretFileError =>
    new SecretFileError('damaged', `${path} is damaged (${detail}) and cannot be read: ${words.replace} to replace it.`);
  const missingKey = (doing: string): SecretFileError =>
    new SecretFileError('key-missing', `Crier keeps ${words.what} in ${path}, encrypted with a key from ${SECRET_KEY_VAR}, and ${SECRET_KEY_VAR} is not set, so it ${doing}: ${KEY_HINT}.${words.withoutKey}`);
  const ioError = (doing: string, err: unknown): SecretFileError =>
    new SecretFileError('io', `Crier could not ${doing} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err))}.`);

  async function keyFor(salt: Buffer, params: Omit<Envelope['kdf'], 'salt'>): Promise<DerivedKey> {
    if (key === null) throw missingKey('cannot be read');
    const saltText = salt.toString('base64');
    if (derived && derived.salt === saltText && derived.params.N === params.N && derived.params.r === params.r && derived.params.p === params.p) return derived;
    try {
      derived = await derive(key, params, salt);
    } catch (err) {
      throw damaged(`its key parameters are unusable: ${err instanceof Error ? err.message : String(err)}`);
    }
    return derived;
  }

  async function readText(): Promise<string | null> {
    try {
      return await fs.readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw ioError('read', err);
    }
  }

  async function decode(text: string): Promise<unknown> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw damaged('not JSON');
    }
    if (!isRecord(parsed) || parsed.format !== FORMAT) throw damaged('not a Crier secret file');
    if (typeof parsed.version !== 'number') throw damaged('no version');
    if (parsed.version > VERSION) throw new SecretFileError('newer', `${path} was written by a newer Crier (format ${parsed.version}); this one reads format ${VERSION}. Update Crier, or ${words.replace} to replace it.`);
    const kdf = parsed.kdf;
    if (!isRecord(kdf) || kdf.name !== 'scrypt' || parsed.cipher !== 'aes-256-gcm') throw damaged('unknown key derivation or cipher');
    const N = kdf.N;
    const r = kdf.r;
    const p = kdf.p;
    // Bounded, so a tampered file cannot make the derivation take all memory or forever.
    const sane = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;
    if (!sane(N, 1 << 20) || (N & (N - 1)) !== 0 || !sane(r, 32) || !sane(p, 16)) throw damaged('unusable key parameters');
    const salt = b64(kdf.salt);
    const check = b64(parsed.check, CHECK_BYTES);
    const iv = b64(parsed.iv, IV_BYTES);
    const tag = b64(parsed.tag, TAG_BYTES);
    const data = b64(parsed.data);
    if (!salt || salt.length < 16 || !check || !iv || !tag || !data) throw damaged('a field is missing or malformed');
    const k = await keyFor(salt, { name: 'scrypt', N, r, p });
    if (!k.check.equals(check)) {
      throw new SecretFileError('wrong-key', `${SECRET_KEY_VAR} is not the key ${path} was written with: set that key again, or ${words.replace} to replace the file.`);
    }
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', k.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad({ name: 'scrypt', N, r, p, salt: kdf.salt as string }));
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(data), decipher.final()]);
    } catch {
      throw damaged('its contents do not match their authentication tag');
    }
    try {
      return JSON.parse(plain.toString('utf8'));
    } catch {
      throw damaged('the decrypted contents are not JSON');
    }
  }

  /** Moves a file this key cannot read out of the way, so a new write does not destroy it. */
  async function setAsideIfUnreadable(): Promise<void> {
    if (ours) return;
    const text = await readText();
    if (text === null) return;
    try {
      await decode(text);
      return;
    } catch (err) {
      if (!(err instanceof SecretFileError) || err.problem === 'io' || err.problem === 'key-missing') throw err;
    }
    const aside = `${path}.unreadable-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`;
    try {
      await fs.rename(path, aside);
    } catch (err) {
      throw ioError('move aside', err);
    }
  }

  async function atomicWrite(text: string): Promise<void> {
    const dir = dirname(path);
    const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    let handle: fs.FileHandle | null = null;
    try {
      await fs.mkdir(dir, { recursive: true });
      handle = await fs.open(temp, 'wx', 0o600);
      await handle.writeFile(text, 'utf8');
      // The umask can only take bits away; chmod says 0600 even where open's mode was widened.
      await handle.chmod(0o600);
      await handle.sync();
      await handle.close();
      handle = null;
      await fs.rename(temp, path);
    } catch (err) {
      await handle?.close().catch(() => {});
      await fs.rm(temp, { force: true }).catch(() => {});
      throw ioError('write', err);
    }
    // The rename is durable once the directory is; some systems (Windows) cannot open one.
    try {
      const dirHandle = await fs.open(dir, 'r');
      await dirHandle.sync().catch(() => {});
      await dirHandle.close();
    } catch {
      /* best effort */
    }
  }

  return {
    path,
    async read() {
      const text = await readText();
      if (text === null) return null;
      const value = await decode(text);
      ours = true;
      return value;
    },
    checkWritable() {
      if (key === null) throw missingKey('refuses to store them');
    },
    async write(value) {
      if (key === null) throw missingKey('refuses to store them');
      await setAsideIfUnreadable();
      const k = derived ?? (await keyFor(randomBytes(16), KDF));
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', k.key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad(k.params));
      const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      const envelope: Envelope = {
        format: FORMAT,
        version: VERSION,
        kdf: k.params,
        cipher: 'aes-256-gcm',
        check: k.check.toString('base64'),
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      };
      await atomicWrite(`${JSON.stringify(envelope)}\n`);
      ours = true;
    },
    async remove() {
      try {
        await fs.rm(path, { force: true });
      } catch (err) {
        throw ioError('remove', err);
      }
      ours = false;
    },
  };
}
