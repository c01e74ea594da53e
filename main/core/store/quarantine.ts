import { existsSync, renameSync } from 'node:fs';

/** `<file>.corrupt-<ISO time>`, with ':' replaced so the name is valid on every OS. */
export function corruptName(file: string, at: number): string {
  return `${file}.corrupt-${new Date(at).toISOString().replaceAll(':', '-')}`;
}

/** Moves a file the store cannot read out of the way, keeping it for the user; returns where it went. */
export function moveAside(file: string, at: number): string {
  const base = corruptName(file, at);
  let target = base;
  // Two recoveries within the same millisecond (tests, a crash loop) must not overwrite the first copy.
  for (let n = 1; existsSync(target); n += 1) target = `${base}-${n}`;
  renameSync(file, target);
  return target;
}
