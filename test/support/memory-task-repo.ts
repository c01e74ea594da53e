// An in-memory TaskRepo for tests: copies on the way in and out (so nobody mutates stored
// state by accident), records every write with its durability, and can be told to fail.
import type { Task } from '../../preload/contract';
import type { TaskRepo } from '../../main/core/tasks/types';

export interface RepoWrite { task: Task; durable: boolean }

export interface MemoryTaskRepo extends TaskRepo {
  /** Every put, oldest first. */
  readonly writes: RepoWrite[];
  /** The last put of this task, or undefined. */
  lastWrite(id: string): RepoWrite | undefined;
  /** When set and returning true, put throws (the write does not happen). */
  failPut: ((task: Task, durable: boolean) => boolean) | null;
}

export function createMemoryTaskRepo(initial: Task[] = []): MemoryTaskRepo {
  const tasks = new Map<string, Task>(initial.map((t) => [t.id, structuredClone(t)]));
  const writes: RepoWrite[] = [];
  const repo: MemoryTaskRepo = {
    writes,
    failPut: null,
    get: (id) => {
      const t = tasks.get(id);
      return t && structuredClone(t);
    },
    all: () => [...tasks.values()].map((t) => structuredClone(t)),
    put(task, options) {
      const durable = options?.durable === true;
      if (repo.failPut?.(task, durable)) throw new Error(`memory repo: put of ${task.id} failed (${durable ? 'durable' : 'coalesced'})`);
      tasks.set(task.id, structuredClone(task));
      writes.push({ task: structuredClone(task), durable });
    },
    remove(ids) {
      for (const id of ids) tasks.delete(id);
    },
    lastWrite(id) {
      for (let i = writes.length - 1; i >= 0; i--) if (writes[i]!.task.id === id) return writes[i];
      return undefined;
    },
  };
  return repo;
}
