// The header's spend: live posts sent today and this month with what X bills for them
// (QueueState.spend, from the engine's post ledger at the settings' prices). Absent: nothing shown.
import type { PeriodSpend, Spend } from '../../preload/contract';
import { h } from '../lib/dom';

const usd = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatUsd(amount: number): string {
  return usd.format(Number.isFinite(amount) ? amount : 0);
}

function posts(n: number): string {
  return `${n.toLocaleString()} ${n === 1 ? 'post' : 'posts'}`;
}

/** "3 posts · $0.42"; the posts with a link are in the long form only. */
export function periodText(p: PeriodSpend): string {
  return `${posts(p.posts)} · ${formatUsd(p.usd)}`;
}

function periodDetail(p: PeriodSpend): string {
  return `${posts(p.posts)} (${p.withLink.toLocaleString()} with a link), ${formatUsd(p.usd)}`;
}

/** The chip's visible text and its longer title; null when the engine sent no spend. */
export function spendTexts(spend: Spend | undefined): { text: string; title: string } | null {
  if (!spend) return null;
  return {
    text: `Today ${periodText(spend.today)} · Month ${periodText(spend.month)}`,
    title: `Sent to X today: ${periodDetail(spend.today)}. This month: ${periodDetail(spend.month)}. At the prices in Settings.`,
  };
}

export function spendChip(spend: Spend | undefined): HTMLElement | null {
  const t = spendTexts(spend);
  if (!t) return null;
  return h('span', { class: 'chip chip-spend', text: t.text, attrs: { id: 'spend', title: t.title } });
}
