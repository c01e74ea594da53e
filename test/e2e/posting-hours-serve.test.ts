// Posting hours in the settings window against a real `crier serve`: turned on, saved, shown
// back after a reload; a day-less choice refused in words; turned off again.
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../preload/contract';
import { useServeSuite } from './support/serve-suite';

describe('posting hours in the settings window against crier serve', { timeout: 90_000 }, () => {
  const s = useServeSuite({ name: 'hours' });
  const settings = async (): Promise<Settings> => (await s.state()).settings;
  const save = () => s.tab.locator('#posting').getByRole('button', { name: 'Save' }).click();

  it('saves the hours the user sets and shows them again after a reload', async () => {
    await s.open('settings.html', '#posting');
    await s.tab.getByLabel('Only post during these hours').check();
    await s.tab.locator('#set-postingHours-from').fill('07:30');
    await s.tab.locator('#set-postingHours-to').fill('23:00');
    await s.tab.getByLabel('Saturday').check();
    expect(await s.tab.locator('#set-postingHours-help').textContent()).toContain('07:30–23:00, Mon, Tue, Wed, Thu, Fri, Sat');
    await save();
    await expect.poll(async () => (await settings()).postingHours).toEqual({ from: '07:30', to: '23:00', days: [1, 2, 3, 4, 5, 6] });
    await s.open('settings.html', '#posting');
    expect(await s.tab.getByLabel('Only post during these hours').isChecked()).toBe(true);
    expect(await s.tab.locator('#set-postingHours-from').inputValue()).toBe('07:30');
    expect(await s.tab.getByLabel('Sunday').isChecked()).toBe(false);
    expect(await s.tab.getByLabel('Saturday').isChecked()).toBe(true);
  });

  it('refuses hours without a day, in words, and saves nothing', async () => {
    await s.open('settings.html', '#posting');
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']) await s.tab.getByLabel(day).uncheck();
    await save();
    expect(await s.tab.locator('#set-postingHours-error').textContent()).toBe('Choose at least one posting day, or turn posting hours off.');
    expect((await settings()).postingHours?.days).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('turns the hours off again', async () => {
    await s.open('settings.html', '#posting');
    await s.tab.getByLabel('Only post during these hours').uncheck();
    await save();
    await expect.poll(async () => (await settings()).postingHours ?? null).toBe(null);
    expect(s.watch.problems).toEqual([]);
  });
});
