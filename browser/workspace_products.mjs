// SPDX-License-Identifier: MPL-2.0
// Browser checks of the product workspace (issue #13): the secretariat creates a product
// from an idea, edits it (and meets a conflict), adds a participant, asks for a scan of
// its repositories and records a decision in the log — all in the browser, without a
// hand-written API call.

/** Public pages of this area: none (the workspace needs a login). */
export const pages = [];

/** Pages walked logged in as the demo secretariat, in both languages, with axe. */
export const staffPages = [
  { name: 'product-new', path: '/produkter/ny' },
  { name: 'product-edit', path: '/produkter/os2mo/rediger' },
  { name: 'product-participants', path: '/produkter/os2mo/deltagere' },
  { name: 'product-scans', path: '/produkter/os2mo/scanninger' },
  { name: 'decisions-with-form', path: '/beslutninger' },
];

/** The flows; `tools` holds check, assert, open, axe, login, context, base, shots, join. */
export async function flows({ check, assert, context, open, axe, login, shots, join }) {
  const ctx = await context('da');
  await check('logging in for the product workspace flows', () => login(ctx));
  const noViolations = async (page, what) => {
    const violations = await axe(page);
    assert(violations.length === 0, `axe-core violations on ${what}:\n${violations.join('\n')}`);
  };
  const slug = 'browsertest-idé'.replace('é', 'e');
  const editPath = `/produkter/${slug}/rediger`;

  await check('the secretariat creates a product from an idea in the browser', async () => {
    const { page } = await open(ctx, '/');
    await page.getByRole('link', { name: 'Opret et nyt produkt (idé)' }).click();
    await page.waitForURL(/\/produkter\/ny$/);
    await noViolations(page, 'the new product form');
    await page.getByLabel('Navn', { exact: true }).fill('Browsertest idé');
    await page.getByLabel('Kort beskrivelse (én sætning)').fill('En idé fra browsertesten');
    await page.getByLabel('Lang beskrivelse (Markdown)').fill('Beskrevet i **browseren**.');
    await page.getByRole('button', { name: 'Opret produktet' }).click();
    await page.waitForURL(new RegExp(`${editPath}\\?besked=oprettet$`));
    const notice = await page.getByRole('status').first().textContent();
    assert(notice.includes('oprettet som idé'), `notice: ${notice}`);
    assert((await page.locator('main p strong').first().textContent()) === 'Idé', 'not an idea');
    await page.screenshot({ path: join(shots, 'product-created-da.png'), fullPage: true });
    await page.close();
  });

  await check('the secretariat edits the product, and a conflict keeps the typed values', async () => {
    const { page } = await open(ctx, editPath);
    await page.getByLabel('Repositorier (ét pr. linje, https)').fill('https://github.com/OS2mo/os2mo');
    await page.getByLabel('Licens (SPDX-udtryk, fx MPL-2.0)').fill('MPL-2.0');
    await page.getByLabel('Målniveau').selectOption('1');
    await page.getByRole('button', { name: 'Gem', exact: true }).click();
    await page.waitForURL(/besked=gemt$/);
    assert((await page.getByLabel('Licens (SPDX-udtryk, fx MPL-2.0)').inputValue()) === 'MPL-2.0', 'licence not saved');
    assert((await page.getByLabel('Målniveau').inputValue()) === '1', 'target level not saved');

    // Two tabs on the same version: the second save meets the first one's change.
    const first = (await open(ctx, editPath)).page;
    const second = (await open(ctx, editPath)).page;
    await second.getByLabel('Kort beskrivelse (én sætning)').fill('Gemt i den anden fane');
    await second.getByRole('button', { name: 'Gem', exact: true }).click();
    await second.waitForURL(/besked=gemt$/);
    await first.getByLabel('Kort beskrivelse (én sætning)').fill('Min tekst, der ikke må gå tabt');
    await Promise.all([first.waitForEvent('load'), first.getByRole('button', { name: 'Gem', exact: true }).click()]);
    const stored = await first.locator('#gemt-udgave').textContent();
    assert(stored.includes('Gemt i den anden fane'), `stored version: ${stored}`);
    assert(
      (await first.getByLabel('Kort beskrivelse (én sætning)').inputValue()) === 'Min tekst, der ikke må gå tabt',
      'the typed text was lost',
    );
    await noViolations(first, 'the edit conflict');
    await first.screenshot({ path: join(shots, 'product-edit-conflict-da.png'), fullPage: true });
    await Promise.all([first.waitForEvent('load'), first.getByRole('button', { name: 'Gem', exact: true }).click()]);
    assert(first.url().endsWith('besked=gemt'), `saving again: ${first.url()}`);
    await Promise.all([page.close(), first.close(), second.close()]);
  });

  await check('the secretariat adds a participant to the product', async () => {
    const { page } = await open(ctx, `/produkter/${slug}/deltagere`);
    await page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Aarhus Kommune (Kommune)' });
    await page.getByLabel('Rolle', { exact: true }).selectOption('initiativtager');
    await page.getByRole('button', { name: 'Tilføj deltageren' }).click();
    await page.waitForURL(/besked=tilfoejet$/);
    assert((await page.locator('legend').allTextContents()).includes('Aarhus Kommune'), 'participant not listed');
    await noViolations(page, 'the participants page with a participant');
    await page.close();
  });

  await check('the secretariat requests a scan from the product page and sees its status', async () => {
    const { page } = await open(ctx, `/produkter/${slug}`);
    await page.getByRole('button', { name: 'Bed om en scanning af kildekoden' }).click();
    await page.waitForURL(new RegExp(`/produkter/${slug}/scanninger\\?besked=bestilt$`));
    const status = await page.locator('#scanstatus').getAttribute('data-status');
    assert(['queued', 'running', 'done', 'failed'].includes(status), `status: ${status}`);
    assert((await page.getByRole('status').first().textContent()).includes('Scanningen står i kø'), 'no notice');
    await noViolations(page, 'the scans page');
    await page.screenshot({ path: join(shots, 'product-scan-requested-da.png'), fullPage: true });
    await page.close();
  });

  await check('the secretariat records an admission in the decision log', async () => {
    const { page } = await open(ctx, '/beslutninger');
    await page.locator('#beslutning-slags').selectOption('optagelse');
    await page.locator('#beslutning-produkt').selectOption(slug);
    await page.getByLabel('Grundlag (hvad blev besluttet, og hvorfor)').fill('Browsertest idé optages som idé');
    await page.getByRole('button', { name: 'Registrér beslutningen' }).click();
    await page.waitForURL(/besked=registreret/);
    assert((await page.locator('main').textContent()).includes('Browsertest idé optages som idé'), 'not in the log');
    await noViolations(page, 'the decision log after recording');
    await page.close();
  });
  await ctx.close();
}
