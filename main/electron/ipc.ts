// The Api over IPC: one table, channel → [input parser, handler on the service]. Every invoke
// checks that it comes from one of our pages, validates its arguments at the boundary (the
// service validates again inside), and answers with an envelope, because ipcRenderer.invoke
// drops every custom field of a thrown error. State deltas are pushed to our windows.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { Api, StateDelta } from '../../preload/contract';
import {
  APP_ORIGIN, DELTA_CHANNEL, INVOKE_CHANNELS, INVOKE_METHODS,
  type InvokeArgs, type InvokeMethod, type InvokeValue, type IpcResult,
} from '../../preload/ipc-channels';
import { CommandError } from '../core/errors';
import type { Logger } from '../core/ports';
import { OAuth2AppInputSchema } from '../core/x/oauth2/app-input';
import {
  OpmlSchema, parseBlueskyCredentials, parseCredentials, parseMastodonCredentials, parseExportFormat, parseFeedInput, parseFeedPatch, parseId, parsePreviewRequest, parseSettingsPatch, parseStateOptions,
  parseTaskEdit, parseTaskIds, validate,
} from '../core/schemas';

type Entry<K extends InvokeMethod> = readonly [
  parse: (args: readonly unknown[]) => InvokeArgs<K>,
  run: (service: Api, args: InvokeArgs<K>) => Promise<InvokeValue<K>>,
];

function arity(args: readonly unknown[], max: number): readonly unknown[] {
  if (args.length > max) throw new CommandError('validation', `Expected at most ${max} argument${max === 1 ? '' : 's'}, got ${args.length}.`);
  return args;
}
const none = (args: readonly unknown[]): [] => {
  arity(args, 0);
  return [];
};
/** An optional account id: absent means every account (pause, resume) or the default one. */
const optionalAccount = (args: readonly unknown[]): [string?] => (arity(args, 1)[0] == null ? [] : [parseId(args[0], 'accountId')]);
const oneId = (field = 'id') => (args: readonly unknown[]): [string] => [parseId(arity(args, 1)[0], field)];

function previewArgs(args: readonly unknown[]): InvokeArgs<'previewFeed'> {
  const [url, options] = arity(args, 2);
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new CommandError('validation', 'Preview options must be an object.', 'options');
  }
  // The first argument is the URL, whatever the options say.
  const { url: parsedUrl, ...rest } = parsePreviewRequest({ ...(options as object | undefined), url });
  return [parsedUrl, rest];
}

export const IPC_TABLE: { readonly [K in InvokeMethod]: Entry<K> } = {
  getState: [(a) => (arity(a, 1)[0] === undefined ? [] : [parseStateOptions(a[0])]), (s, [options]) => s.getState(options)],
  addFeed: [(a) => [parseFeedInput(arity(a, 1)[0])], (s, [input]) => s.addFeed(input)],
  updateFeed: [(a) => [parseId(arity(a, 2)[0]), parseFeedPatch(a[1])], (s, [id, patch]) => s.updateFeed(id, patch)],
  removeFeed: [oneId(), (s, [id]) => s.removeFeed(id)],
  pollNow: [(a) => (arity(a, 1)[0] == null ? [] : [parseId(a[0], 'feedId')]), (s, [feedId]) => s.pollNow(feedId)],
  previewFeed: [previewArgs, (s, [url, options]) => s.previewFeed(url, options)],
  retryTask: [oneId(), (s, [id]) => s.retryTask(id)],
  cancelTask: [oneId(), (s, [id]) => s.cancelTask(id)],
  editTask: [(a) => {
    const [id, text, expectedUpdatedAt] = arity(a, 3);
    const edit = parseTaskEdit({ text, expectedUpdatedAt });
    return [parseId(id), edit.text, edit.expectedUpdatedAt];
  }, (s, [id, text, expectedUpdatedAt]) => s.editTask(id, text, expectedUpdatedAt)],
  postTask: [oneId(), (s, [id]) => s.postTask(id)],
  undoCancel: [oneId(), (s, [id]) => s.undoCancel(id)],
  retryTasks: [(a) => [parseTaskIds(arity(a, 1)[0])], (s, [ids]) => s.retryTasks(ids)],
  cancelTasks: [(a) => [parseTaskIds(arity(a, 1)[0])], (s, [ids]) => s.cancelTasks(ids)],
  approveTasks: [(a) => [parseTaskIds(arity(a, 1)[0])], (s, [ids]) => s.approveTasks(ids)],
  skipTasks: [(a) => [parseTaskIds(arity(a, 1)[0])], (s, [ids]) => s.skipTasks(ids)],
  deletePost: [oneId(), (s, [id]) => s.deletePost(id)],
  listSkipped: [(a) => (arity(a, 1)[0] == null ? [] : [parseId(a[0], 'feedId')]), (s, [feedId]) => s.listSkipped(feedId)],
  postSkipped: [oneId(), (s, [id]) => s.postSkipped(id)],
  removeTasks: [(a) => [parseTaskIds(arity(a, 1)[0])], (s, [ids]) => s.removeTasks(ids)],
  exportTasks: [(a) => [parseExportFormat(arity(a, 1)[0])], (s, [format]) => s.exportTasks(format)],
  retryAllFailed: [none, (s) => s.retryAllFailed()],
  pause: [optionalAccount, (s, [accountId]) => s.pause(accountId)],
  resume: [optionalAccount, (s, [accountId]) => s.resume(accountId)],
  updateSettings: [(a) => [parseSettingsPatch(arity(a, 1)[0])], (s, [partial]) => s.updateSettings(partial)],
  clearHistory: [none, (s) => s.clearHistory()],
  dismissNotice: [oneId(), (s, [id]) => s.dismissNotice(id)],
  testConnection: [optionalAccount, (s, [accountId]) => s.testConnection(accountId)],
  // Credentials go in; what comes back is AccountState, which carries none.
  connectX: [(a) => [parseCredentials(arity(a, 1)[0])], (s, [credentials]) => s.connectX(credentials)],
  disconnectX: [optionalAccount, (s, [accountId]) => s.disconnectX(accountId)],
  // The app's client id (and secret) go in; the authorize URL and the callback to register come back.
  connectBluesky: [(a) => [parseBlueskyCredentials(arity(a, 1)[0])], (s, [credentials]) => s.connectBluesky(credentials)],
  connectMastodon: [(a) => [parseMastodonCredentials(arity(a, 1)[0])], (s, [credentials]) => s.connectMastodon(credentials)],
  startXOAuth2: [(a) => [validate(OAuth2AppInputSchema, arity(a, 1)[0])], (s, [input]) => s.startXOAuth2(input)],
  importOpml: [(a) => [validate(OpmlSchema, arity(a, 1)[0], 'opml')], (s, [xml]) => s.importOpml(xml)],
  exportOpml: [none, (s) => s.exportOpml()],
  openLogsFolder: [none, (s) => s.openLogsFolder()],
};

export const INTERNAL_MESSAGE = 'Something went wrong inside Crier; the details are in its log.';
const FOREIGN_MESSAGE = 'Only Crier\'s own pages may call Crier.';

/** Our pages only: app://crier/... in the frame that sent the message. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  let url: string | undefined;
  try {
    url = event.senderFrame?.url;
  } catch {
    return false; // a frame already gone throws on access
  }
  return typeof url === 'string' && url.startsWith(`${APP_ORIGIN}/`);
}

/** Scheme and host only: a refused sender's URL may carry anything in its path or query. */
function describeSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): string {
  try {
    const url = new URL(event.senderFrame?.url ?? '');
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'unknown';
  }
}

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  service: Api;
  /** The webContents of our live windows: where deltas go. */
  targets(): Iterable<{ send(channel: string, ...args: unknown[]): void; isDestroyed(): boolean; getURL(): string }>;
  log: Logger;
  /** What an unexpected failure says to the page: where the log is (default INTERNAL_MESSAGE). */
  internalMessage?: string;
}

/** Runs one command for a trusted sender; never throws. */
export async function answer<K extends InvokeMethod>(
  method: K, service: Api, args: readonly unknown[], log: Logger, internalMessage = INTERNAL_MESSAGE,
): Promise<IpcResult<InvokeValue<K>>> {
  const [parse, run] = IPC_TABLE[method] as Entry<K>;
  try {
    return { ok: true, value: await run(service, parse(args)) };
  } catch (err) {
    if (err instanceof CommandError && err.code !== 'internal') return { ok: false, error: err.toJSON() };
    log.error('ipc: command failed', {
      method,
      error: err instanceof Error ? err.message : String(err),
      ...(err instanceof Error && err.stack ? { stack: err.stack } : {}),
    });
    return { ok: false, error: { code: 'internal', message: internalMessage } };
  }
}

export function registerIpc(deps: IpcDeps): { dispose(): void } {
  const { ipcMain, service, log } = deps;
  for (const method of INVOKE_METHODS) {
    const channel = INVOKE_CHANNELS[method];
    ipcMain.handle(channel, async (event, ...args: unknown[]) => {
      if (!isTrustedSender(event)) {
        log.warn('ipc: refused a call from a foreign page', { channel, sender: describeSender(event) });
        return { ok: false, error: { code: 'forbidden', message: FOREIGN_MESSAGE } } satisfies IpcResult<never>;
      }
      return answer(method, service, args, log, deps.internalMessage);
    });
  }

  const unsubscribe = service.onDelta((delta: StateDelta) => {
    for (const contents of deps.targets()) {
      if (contents.isDestroyed() || !contents.getURL().startsWith(`${APP_ORIGIN}/`)) continue;
      contents.send(DELTA_CHANNEL, delta);
    }
  });

  return {
    dispose() {
      unsubscribe();
      for (const method of INVOKE_METHODS) ipcMain.removeHandler(INVOKE_CHANNELS[method]);
    },
  };
}
