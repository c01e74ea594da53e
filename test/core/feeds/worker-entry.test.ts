import { describe, expect, it } from 'vitest';
import { workerCandidates } from '../../../main/core/feeds/worker-entry';

describe('workerCandidates', () => {
  it('looks beside the bundle, then one level up, when the bundle is a plain file', () => {
    expect(workerCandidates('file:///opt/crier/dist/electron/main.js').map(String)).toEqual([
      'file:///opt/crier/dist/electron/parse-worker.js',
      'file:///opt/crier/dist/parse-worker.js',
    ]);
  });

  it('looks in app.asar.unpacked before the archive when the bundle is packed in app.asar', () => {
    expect(workerCandidates('file:///opt/Crier/resources/app.asar/dist/electron/main.js').map(String)).toEqual([
      'file:///opt/Crier/resources/app.asar.unpacked/dist/electron/parse-worker.js',
      'file:///opt/Crier/resources/app.asar/dist/electron/parse-worker.js',
      'file:///opt/Crier/resources/app.asar.unpacked/dist/parse-worker.js',
      'file:///opt/Crier/resources/app.asar/dist/parse-worker.js',
    ]);
  });

  it('finds the unpacked worker on Windows paths too', () => {
    expect(workerCandidates('file:///C:/Program%20Files/Crier/resources/app.asar/dist/electron/main.js').map(String))
      .toContain('file:///C:/Program%20Files/Crier/resources/app.asar.unpacked/dist/parse-worker.js');
  });
});
