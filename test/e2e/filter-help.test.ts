// The feed editor says which regex syntax its filters take, since RE2 refuses some JavaScript.
import { describe, expect, it } from 'vitest';
import { useBridgeSuite } from './support/bridge-suite';
import { settingsSnapshot } from './support/fixtures';

const suite = useBridgeSuite();

describe('the feed editor’s filter help', () => {
  it('says a /regex/ is RE2 syntax, without backreferences or lookaround, and runs in linear time', async () => {
    const page = await suite.open('settings.html', settingsSnapshot(Date.now()));
    await page.getByRole('button', { name: 'Add feed' }).click();
    const include = page.locator('.feed-add-card').getByLabel('Only post items matching');
    const helpId = (await include.getAttribute('aria-describedby'))?.split(' ').find((id) => id.endsWith('-help'));
    const help = await page.locator(`[id="${helpId ?? ''}"]`).textContent();
    expect(help).toMatch(/\/regex\/.*RE2 syntax/);
    expect(help).toContain('no backreferences or lookaround');
    expect(help).toContain('linear time');
  });
});
