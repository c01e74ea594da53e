// Composition root: wires store, feed parser, X account and queue into an AppService.
import { join } from 'node:path';
import { createEnvAccount, type AccountPort } from './account';
import type { AppService, EngineOptions } from './app-service';
import { createFeedParser } from './feeds/executor';
import { createNetworkAccounts, withNetworkAccounts } from './network-accounts';
import { createOAuth2Account } from './oauth2-account';
import type { OAuth2CallbackPort } from './oauth2-commands';
import { systemClock, type Clock, type Logger } from './ports';
import { createAppService, type EngineService } from './service';
import { openSecretFile, secretKeyFromEnv, SecretFileError, type SecretFileWords } from './store/secret-file';
import { openStore } from './store/index';
import { credentialsFromEnv, CREDENTIAL_VARS } from './x/credentials';
import type { SecretValueStore } from './x/oauth2/token-vault';

export interface EngineExtras {
  /** The desktop shell's account (safeStorage); headless and CLI read the environment. */
  account?: AccountPort;
  fetch?: typeof globalThis.fetch;
  /** The desktop shell opens its logs folder; headless has none (the command answers not-supported). */
  openLogsFolder?: () => Promise<void>;
  /** Where the desktop keeps OAuth 2.0 tokens (safeStorage); headless: the file encrypted with CRIER_SECRET_KEY. */
  oauth2Store?: { store: SecretValueStore; secretsProtected: boolean };
  /** The desktop's loopback callback and system browser; headless, crier serve is the callback. */
  oauth2Callback?: OAuth2CallbackPort;
  /** Where the desktop keeps Bluesky and Mastodon secrets (safeStorage); headless: a file encrypted with CRIER_SECRET_KEY. */
  networkStore?: { store: SecretValueStore; secretsProtected: boolean };
}

/** The headless store of the Bluesky and Mastodon accounts' secrets, beside the other data. */
export const NETWORK_ACCOUNTS_FILE = 'network-accounts.json';

/** The headless store of OAuth 2.0 tokens, beside the other data. */
export const OAUTH2_TOKEN_FILE = 'x-oauth2-tokens.json';

interface AccountSetup { account: AccountPort; problems: string[] }

/**
 * The account: OAuth 1.0a keys (the environment, or the desktop's stored keys) beneath an OAuth 2.0
 * account restored from its store. The desktop without a token store keeps its keys alone.
 */
async function setUpAccount(options: EngineOptions, extras: EngineExtras, clock: Clock, log: Logger): Promise<AccountSetup> {
  const base = extras.account ?? createEnvAccount(options.env, log, { allowLoopbackImages: options.allowLoopbackImages === true });
  if (extras.account && !extras.oauth2Store) return { account: base, problems: [] };
  const problems: string[] = [];
  let key: string | null = null;
  let keyProblem: SecretFileError | null = null;
  if (!extras.oauth2Store || !extras.networkStore) {
    try {
      key = secretKeyFromEnv(options.env);
    } catch (err) {
      if (!(err instanceof SecretFileError)) throw err;
      keyProblem = err;
      problems.push(err.message);
    }
  }
  const secretFile = (name: string, holds?: SecretFileWords): { store: SecretValueStore; secretsProtected: boolean } => {
    const file = openSecretFile(join(options.dataDir, name), { key, now: () => clock.now(), ...(holds ? { holds } : {}) });
    // A key too short is refused in its own words, not as a key that is not set.
    const refuse = (): never => { throw keyProblem ?? new Error('unreachable'); };
    const store: SecretValueStore = keyProblem
      ? { read: () => file.read(), write: async () => refuse(), checkWritable: refuse }
      : file;
    return { store, secretsProtected: true };
  };
  const secrets = extras.oauth2Store ?? secretFile(OAUTH2_TOKEN_FILE);
  const networkSecrets = extras.networkStore ?? secretFile(NETWORK_ACCOUNTS_FILE, {
    what: 'the Bluesky and Mastodon accounts\' app passwords and tokens', replace: 'connect those accounts again', withoutKey: '',
  });
  const envKeys = credentialsFromEnv(options.env) !== null;
  const account = createOAuth2Account({
    base, store: secrets.store, env: options.env, log, clock, secretsProtected: secrets.secretsProtected,
    refusal: envKeys ? `Crier uses the X account from the ${Object.values(CREDENTIAL_VARS).join(', ')} environment variables. Unset them and restart Crier to connect with OAuth 2.0.` : null,
    clientOptions: { allowLoopbackImages: options.allowLoopbackImages === true },
  });
  problems.push(...await account.restore());
  const networks = createNetworkAccounts({
    store: networkSecrets.store, log, clock, secretsProtected: networkSecrets.secretsProtected,
    ...(extras.fetch ? { fetch: extras.fetch } : {}), allowLoopback: options.allowLoopbackImages === true,
  });
  problems.push(...await networks.restore());
  return { account: withNetworkAccounts(account, networks), problems };
}

export async function openEngine(options: EngineOptions, extras: EngineExtras = {}): Promise<AppService & EngineService> {
  const clock = options.clock ?? systemClock;
  const store = openStore(options.dataDir, { clock, log: options.log });
  try {
    const { account, problems } = await setUpAccount(options, extras, clock, options.log);
    const service = createAppService({
      clock,
      log: options.log,
      store,
      parser: createFeedParser(),
      account,
      ...(extras.fetch ? { fetch: extras.fetch } : {}),
      ...(extras.openLogsFolder ? { openLogsFolder: extras.openLogsFolder } : {}),
      ...(extras.oauth2Callback ? { oauth2Callback: extras.oauth2Callback } : {}),
    });
    for (const problem of problems) service.notice('account', problem, 'x-oauth2-restore');
    if (options.start !== false) service.start();
    return service;
  } catch (err) {
    await store.close();
    throw err;
  }
}
