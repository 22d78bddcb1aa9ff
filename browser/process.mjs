// SPDX-License-Identifier: MPL-2.0
// Browser checks of the product process page (#13): a new idea placed on level 2 becomes
// a concept through the process form; starting the project is not offered, and the page
// says that the board must approve the concept first.

/** Public pages of this area: none (the process page needs a login). */
export const pages = [];

/** Pages walked logged in as the demo secretariat, in both languages. */
export const staffPages = [{ name: 'product-process', path: '/produkter/os2iot/proces' }];

/** The flows; `tools` holds check, assert, open, axe, login, context, shots, join. */
export async function flows({ check, assert, context, open, axe, login, shots, join }) {
  const ctx = await context('da');
  await check('logging in for the process flows', () => login(ctx));
  const slug = 'browsertest-koncept';

  await check('an idea on level 2 becomes a concept, and the project waits for the board', async () => {
    const { page } = await open(ctx, '/produkter/ny');
    await page.getByLabel('Navn', { exact: true }).fill('Browsertest koncept');
    await page.getByLabel('Kort beskrivelse (én sætning)').fill('Et koncept fra browsertesten');
    await page.getByRole('button', { name: 'Opret produktet' }).click();
    await page.waitForURL(new RegExp(`/produkter/${slug}/rediger\\?besked=oprettet$`));
    await page.getByLabel('Målniveau').selectOption('2');
    await page.getByRole('button', { name: 'Gem', exact: true }).click();
    await page.waitForURL(/besked=gemt$/);

    await page.goto(`${new URL(page.url()).origin}/produkter/${slug}/proces`);
    assert((await page.locator('#stadie').textContent()) === 'Idé', 'not an idea');
    assert((await page.locator('#indplacering').textContent()) === 'Niveau 2', 'not placed on level 2');
    await page.getByLabel('Trin', { exact: true }).selectOption('koncept');
    await page.getByLabel('Besluttet af').selectOption('sekretariat');
    await page.getByLabel('Grundlag og begrundelse (skrives i beslutningsloggen)').fill('Idéen er formet til et koncept i browsertesten');
    await page.getByRole('button', { name: 'Registrér trinnet' }).click();
    await page.waitForURL(/besked=trin$/);
    assert((await page.locator('#stadie').textContent()) === 'Koncept', 'not a concept');
    const options = await page.getByLabel('Trin', { exact: true }).locator('option').allTextContents();
    assert(!options.includes('Igangsat som projekt'), `the project is offered before the board: ${options.join(', ')}`);
    const start = await page.locator('#trin-igangsaet').textContent();
    assert(start.includes('et koncept på niveau 2 skal først godkendes af bestyrelsen'), `start row: ${start}`);
    assert((await page.locator('main').textContent()).includes('Idéen er formet til et koncept i browsertesten'), 'the step is not in the log');
    const violations = await axe(page);
    assert(violations.length === 0, `axe-core violations on the process page:\n${violations.join('\n')}`);
    await page.screenshot({ path: join(shots, 'product-process-da.png'), fullPage: true });
    await page.close();
  });
  await ctx.close();
}
