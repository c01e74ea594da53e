// The rows' effects on the page: Post now, Edit's save and Copy through the Api, the toaster and
// the clipboard, and the forecast the pending rows show. tasks.ts builds this once.
import type { Api, StateSnapshot, Task, TaskAction } from '../../preload/contract';
import type { Toaster } from '../lib/toast';
import { copyPostText, pageClipboard } from './row-copy';
import type { RowHandlers } from './row';
import { createForecastCache } from './row-times';

export interface RowWiring {
  handlers: RowHandlers;
  /** Call on each paint: true when the pending rows' places or times changed (re-render the rows in sight). */
  updateForecast(state: StateSnapshot, now: number): boolean;
}

type RowApi = Pick<Api, 'editTask'> & { postTask(id: string): Promise<Task> };

export function createRowWiring(api: RowApi, toast: Toaster, onAction: (task: Task, action: TaskAction) => void,
  writeText: (text: string) => Promise<void> = pageClipboard): RowWiring {
  const forecast = createForecastCache();
  const quoted = (task: Task): string => `“${task.itemTitle || 'Untitled item'}”`;
  const handlers: RowHandlers = {
    onAction,
    onPostNow(task) {
      api.postTask(task.id).then(
        () => toast.show(`Posting ${quoted(task)} now`),
        (err: unknown) => toast.show(`Could not post ${quoted(task)} now: ${err instanceof Error ? err.message : String(err)}`, 'error'),
      );
    },
    saveEdit: (task, text, expectedUpdatedAt) => api.editTask(task.id, text, expectedUpdatedAt),
    onCopy(task, textEl) {
      void copyPostText(task.text, textEl, { writeText, say: (message, tone) => toast.show(message, tone) });
    },
    forecast: (id) => forecast.get(id),
    pausedIndefinitely: () => forecast.pausedIndefinitely(),
  };
  return { handlers, updateForecast: (state, now) => forecast.update(state, now) };
}
