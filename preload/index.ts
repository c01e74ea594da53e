// The bridge: exposes exactly the contract's Api as window.crier and nothing else — no
// ipcRenderer, no generic invoke, no event objects. Bundled into one CommonJS file
// (dist/preload.cjs) because a sandboxed preload can require nothing but 'electron'.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Api, ApiError, StateDelta } from './contract';
import { DELTA_CHANNEL, INVOKE_CHANNELS, type InvokeArgs, type InvokeMethod, type InvokeValue, type IpcResult } from './ipc-channels';

/**
 * An error crossing contextBridge keeps only its message, so the message is the ApiError as
 * JSON; renderer/api.ts parses it back into a CrierError with code, message and field.
 */
function toBridgeError(error: ApiError): Error {
  const body: ApiError = { code: String(error.code), message: String(error.message) };
  if (error.field !== undefined) body.field = String(error.field);
  return new Error(JSON.stringify(body));
}

function isResult(x: unknown): x is IpcResult<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { ok?: unknown }).ok === 'boolean';
}

async function invoke<K extends InvokeMethod>(method: K, ...args: InvokeArgs<K>): Promise<InvokeValue<K>> {
  const result: unknown = await ipcRenderer.invoke(INVOKE_CHANNELS[method], ...args);
  if (!isResult(result)) throw toBridgeError({ code: 'internal', message: 'Crier answered in an unexpected shape.' });
  if (!result.ok) throw toBridgeError(result.error);
  return result.value as InvokeValue<K>;
}

const api: Api = {
  getState: (options) => (options === undefined ? invoke('getState') : invoke('getState', options)),
  onDelta(listener) {
    const forward = (_event: IpcRendererEvent, delta: StateDelta): void => listener(delta);
    ipcRenderer.on(DELTA_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(DELTA_CHANNEL, forward);
    };
  },
  addFeed: (input) => invoke('addFeed', input),
  updateFeed: (id, patch) => invoke('updateFeed', id, patch),
  removeFeed: (id) => invoke('removeFeed', id),
  pollNow: (feedId) => (feedId === undefined ? invoke('pollNow') : invoke('pollNow', feedId)),
  previewFeed: (url, options) => (options === undefined ? invoke('previewFeed', url) : invoke('previewFeed', url, options)),
  retryTask: (id) => invoke('retryTask', id),
  editTask: (id, text, expectedUpdatedAt) => invoke('editTask', id, text, expectedUpdatedAt),
  cancelTask: (id) => invoke('cancelTask', id),
  postTask: (id) => invoke('postTask', id),
  undoCancel: (id) => invoke('undoCancel', id),
  retryTasks: (ids) => invoke('retryTasks', ids),
  cancelTasks: (ids) => invoke('cancelTasks', ids),
  approveTasks: (ids) => invoke('approveTasks', ids),
  skipTasks: (ids) => invoke('skipTasks', ids),
  deletePost: (id) => invoke('deletePost', id),
  listSkipped: (feedId) => invoke('listSkipped', feedId),
  postSkipped: (id) => invoke('postSkipped', id),
  removeTasks: (ids) => invoke('removeTasks', ids),
  exportTasks: (format) => invoke('exportTasks', format),
  retryAllFailed: () => invoke('retryAllFailed'),
  pause: (accountId) => invoke('pause', ...(accountId === undefined ? [] : [accountId])),
  resume: (accountId) => invoke('resume', ...(accountId === undefined ? [] : [accountId])),
  updateSettings: (partial) => invoke('updateSettings', partial),
  clearHistory: () => invoke('clearHistory'),
  dismissNotice: (id) => invoke('dismissNotice', id),
  testConnection: (accountId) => invoke('testConnection', ...(accountId === undefined ? [] : [accountId])),
  connectX: (credentials) => invoke('connectX', credentials),
  disconnectX: (accountId) => invoke('disconnectX', ...(accountId === undefined ? [] : [accountId])),
  startXOAuth2: (input) => invoke('startXOAuth2', input),
  connectBluesky: (credentials) => invoke('connectBluesky', credentials),
  connectMastodon: (credentials) => invoke('connectMastodon', credentials),
  importOpml: (xml) => invoke('importOpml', xml),
  exportOpml: () => invoke('exportOpml'),
  openLogsFolder: () => invoke('openLogsFolder'),
};

contextBridge.exposeInMainWorld('crier', api);
