// A data directory that cannot be one (a file in its place, or on its path) is refused in words
// naming it, not with Node's bare EEXIST or ENOTDIR.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { openStore } from '../../../main/core/store';
import { createFakeClock } from '../../support/fake-clock';
import { tempDir } from './store-fixtures';

describe('opening a store where no directory can be', () => {
  it('says the data directory cannot be used when a file is in its place', () => {
    const file = join(tempDir(), 'not-a-dir');
    writeFileSync(file, 'x');
    expect(() => openStore(file, { clock: createFakeClock(), log: silentLogger }))
      .toThrow(`The data directory ${file} cannot be used: a file is in its place or on its path.`);
  });

  it('says the same when a file is on its path', () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, 'x');
    const dir = join(file, 'data');
    expect(() => openStore(dir, { clock: createFakeClock(), log: silentLogger }))
      .toThrow(`The data directory ${dir} cannot be used: a file is in its place or on its path.`);
  });
});
