// The notice list's rules: a notice with a key replaces the one of the same kind and key (a feed
// that keeps moving says so once, not on every poll), and only the newest MAX_NOTICES are kept.
import type { Notice } from '../../../preload/contract';

export const MAX_NOTICES = 50;

export function withNotice(list: readonly Notice[], notice: Notice): Notice[] {
  const kept = notice.key === undefined ? list : list.filter((n) => !(n.kind === notice.kind && n.key === notice.key));
  return [...kept, notice].slice(-MAX_NOTICES);
}
