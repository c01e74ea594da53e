// What a row remembers that is not in its task: an edit in progress, an open attempt history. The
// virtual list re-renders a row whenever its task changes (and drops rows far out of sight), so
// this lives apart from the DOM, by task id, and each render reads it back.
import type { Task } from '../../preload/contract';

export interface EditState {
  draft: string;
  /** The task's updatedAt when the edit began: the engine refuses the save if it changed since. */
  baseUpdatedAt: string;
  /** The engine's refusal, in its words; '' when none. */
  error: string;
  saving: boolean;
  selectionStart: number;
  selectionEnd: number;
}

export interface RowState {
  readonly editing: Map<string, EditState>;
  readonly historyOpen: Set<string>;
  /**
   * The latest render of each row element, for answers that arrive after it re-rendered; given a
   * task (an Api call's answer), it renders that one if it is newer than the row's.
   */
  readonly rerender: WeakMap<HTMLElement, (answer?: Task) => void>;
}

export function createRowState(): RowState {
  return { editing: new Map(), historyOpen: new Set(), rerender: new WeakMap() };
}

/** The page's one list of rows shares one state. */
export const pageRowState = createRowState();

/** Renders `row` again from its latest render (or `answer`, if newer), if it is still in the page. */
export function rerenderRow(state: RowState, row: HTMLElement, answer?: Task): void {
  if (row.isConnected) state.rerender.get(row)?.(answer);
}
