import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../preload/contract';
import { MAX_NOTICES, withNotice } from '../../../main/core/state/notices';

const notice = (id: string, fields: Partial<Notice> = {}): Notice => ({ id, kind: 'feed-moved', message: `message ${id}`, at: '2026-12-02T10:00:00.000Z', ...fields });

describe('the notice list', () => {
  it('replaces a notice of the same kind and key, putting the new one last', () => {
    const list = [notice('a', { key: 'feed-1' }), notice('b', { key: 'feed-2' })];
    expect(withNotice(list, notice('c', { key: 'feed-1' })).map((n) => n.id)).toEqual(['b', 'c']);
  });

  it('keeps a notice of another kind with the same key', () => {
    const list = [notice('a', { key: 'feed-1' })];
    expect(withNotice(list, notice('b', { kind: 'info', key: 'feed-1' })).map((n) => n.id)).toEqual(['a', 'b']);
  });

  it('never replaces anything with a notice that has no key', () => {
    const list = [notice('a'), notice('b', { key: 'feed-1' })];
    expect(withNotice(list, notice('c')).map((n) => n.id)).toEqual(['a', 'b', 'c']);
  });

  it('keeps the newest 50', () => {
    let list: Notice[] = [];
    for (let i = 0; i < 60; i += 1) list = withNotice(list, notice(`n${i}`));
    expect(list).toHaveLength(MAX_NOTICES);
    expect(list[0]?.id).toBe('n10');
    expect(list.at(-1)?.id).toBe('n59');
  });
});
