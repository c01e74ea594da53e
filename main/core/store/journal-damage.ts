// What replay found lost in a damaged journal, and the notice that tells the user so.

export interface JournalDamage {
  /** The file was 0 bytes. The journal is created whole (temp file + rename), so this is never a crash of ours. */
  empty: boolean;
  /** Complete lines that could not be read: not JSON, or a record that fails validation. */
  unreadableLines: number;
  /**
   * The file ends inside the part its last compaction wrote (and synced): `expectedBytes` were
   * written, `keptBytes` are left. expectedBytes is null when the file ends inside its header.
   */
  cut: { keptBytes: number; expectedBytes: number | null } | null;
}

const plural = (n: number, one: string, many: string): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The notice for people: what was lost, what it means, where the original file went. */
export function journalDamageNotice(damage: JournalDamage, movedAsideTo: string): string {
  const kept = `The damaged file was moved to ${movedAsideTo}.`;
  if (damage.empty) {
    return 'The task journal (state.jsonl) was empty, so its tasks and seen items could not be recovered: '
      + 'queued and failed tasks are gone, and each feed\'s next poll counts as its first (the items it then '
      + `holds are marked seen, and only the newest are posted, as the feed's backfill allows). ${kept}`;
  }
  const lost: string[] = [];
  if (damage.cut) {
    const { keptBytes, expectedBytes } = damage.cut;
    lost.push(expectedBytes === null
      ? `was cut short inside its first line (${plural(keptBytes, 'byte', 'bytes')} left), so nothing in it could be read`
      : `was cut short: it ends at byte ${keptBytes.toLocaleString('en-US')} of the ${expectedBytes.toLocaleString('en-US')} it held when last saved whole, so the records after that point were lost`);
  }
  if (damage.unreadableLines > 0) {
    lost.push(`had ${plural(damage.unreadableLines, 'unreadable line', 'unreadable lines')}, whose records were lost`);
  }
  return `The task journal (state.jsonl) ${lost.join(', and ')}. Tasks and seen items changed in the lost records `
    + `are gone or back to an earlier state; everything still readable was kept. ${kept}`;
}
