// The IPC contract between main (main/electron/ipc.ts) and the preload (preload/index.ts): one
// channel per Api command, the delta channel, and the envelope every invoke answers with.
// Types plus one const table; no runtime imports, so both sides (and the sandboxed preload's
// single bundle) can import it.
import type { Api, ApiError } from './contract';

/** Every Api member answered by ipcMain.handle; onDelta is a push channel instead. */
export type InvokeMethod = Exclude<keyof Api, 'onDelta'>;
export type InvokeArgs<K extends InvokeMethod> = Parameters<Api[K]>;
export type InvokeValue<K extends InvokeMethod> = Awaited<ReturnType<Api[K]>>;

/**
 * ipcRenderer.invoke keeps only an Error's message, so handlers never throw: they answer with
 * this envelope and the preload unwraps it.
 */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const INVOKE_CHANNELS = {
  getState: 'crier:getState',
  addFeed: 'crier:addFeed',
  updateFeed: 'crier:updateFeed',
  removeFeed: 'crier:removeFeed',
  pollNow: 'crier:pollNow',
  previewFeed: 'crier:previewFeed',
  retryTask: 'crier:retryTask',
  cancelTask: 'crier:cancelTask',
  editTask: 'crier:editTask',
  postTask: 'crier:postTask',
  undoCancel: 'crier:undoCancel',
  retryTasks: 'crier:retryTasks',
  cancelTasks: 'crier:cancelTasks',
  approveTasks: 'crier:approveTasks',
  skipTasks: 'crier:skipTasks',
  deletePost: 'crier:deletePost',
  listSkipped: 'crier:listSkipped',
  postSkipped: 'crier:postSkipped',
  removeTasks: 'crier:removeTasks',
  exportTasks: 'crier:exportTasks',
  retryAllFailed: 'crier:retryAllFailed',
  pause: 'crier:pause',
  resume: 'crier:resume',
  updateSettings: 'crier:updateSettings',
  clearHistory: 'crier:clearHistory',
  dismissNotice: 'crier:dismissNotice',
  testConnection: 'crier:testConnection',
  connectX: 'crier:connectX',
  disconnectX: 'crier:disconnectX',
  startXOAuth2: 'crier:startXOAuth2',
  connectBluesky: 'crier:connectBluesky',
  connectMastodon: 'crier:connectMastodon',
  importOpml: 'crier:importOpml',
  exportOpml: 'crier:exportOpml',
  openLogsFolder: 'crier:openLogsFolder',
} as const satisfies { [K in InvokeMethod]: `crier:${K}` };

export const INVOKE_METHODS = Object.keys(INVOKE_CHANNELS) as InvokeMethod[];

/** main → every window of ours: one StateDelta per message. */
export const DELTA_CHANNEL = 'crier:delta';

/** Pages must come from here to be answered (the sender check in main). */
export const APP_ORIGIN = 'app://crier';
