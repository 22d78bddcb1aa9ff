// SPDX-License-Identifier: MPL-2.0
// Browser checks of one area; see suite.mjs for what a module exports.
// This one: the organisation index, the portfolio's theme-gap filter, and the
// administration (users and roles, organisations, models).

/** Public pages of this area, walked in both languages. */
export const pages = [
  { name: 'organisations', path: '/organisationer' },
  { name: 'organisations-suppliers', path: '/organisationer?kind=leverand%C3%B8r' },
  { name: 'portfolio-theme-gaps', path: '/?tema=formkrav' },
];

/**
 * Pages walked logged in as the demo secretariat, in both languages. Managing users is
 * for admins only, so the secretariat gets the 403 page there (which must be accessible
 * too).
 */
export const staffPages = [
  { name: 'admin', path: '/admin' },
  { name: 'admin-users-refused', path: '/admin/brugere', status: 403 },
  { name: 'admin-organisations', path: '/admin/organisationer' },
  { name: 'admin-models', path: '/admin/modeller' },
  { name: 'admin-model', path: '/admin/modeller/os2-1.1.0' },
];

/** End-to-end flows; `tools` holds check, assert, open, axe, login, context, base, shots, join. */
export async function flows({ check, assert, context, open, axe, login, shots, join }) {
  const ctx = await context('da');
  await check('the secretariat creates, renames and archives an organisation in the administration', async () => {
    await login(ctx);
    const { page } = await open(ctx, '/');
    await page.getByRole('link', { name: 'Administration', exact: true }).click();
    await page.waitForURL(/\/admin$/);
    assert((await page.locator('h1').textContent()) === 'Administration', 'not on the administration page');
    assert(
      (await page.getByRole('link', { name: 'Brugere og roller' }).count()) === 0,
      'the secretariat is offered user management, which only admins may do',
    );
    await page.locator('main').getByRole('link', { name: 'Organisationer', exact: true }).click();
    await page.waitForURL(/\/admin\/organisationer$/);

    const name = `Browsertest Kommune ${Date.now()}`;
    await page.getByLabel('Navn', { exact: true }).fill(name);
    await page.getByLabel('Type', { exact: true }).selectOption('kommune');
    await page.getByLabel('Medlem siden (valgfri)').fill('2024-01-01');
    await page.getByRole('button', { name: 'Opret organisation' }).click();
    await page.waitForURL(/\/admin\/organisationer\/\d+\?besked=oprettet$/);
    assert((await page.locator('h1').textContent()) === name, 'not on the new organisation');
    const created = await page.getByRole('status').textContent();
    assert(created.includes('Oprettet.'), `status: ${created}`);
    const violations = await axe(page);
    assert(violations.length === 0, `axe-core violations on the edit page:\n${violations.join('\n')}`);
    await page.screenshot({ path: join(shots, 'admin-organisation-da.png'), fullPage: true });
    const editUrl = page.url().split('?')[0];

    // Renamed: the public index has it under the municipalities, with no products.
    await page.getByLabel('Navn', { exact: true }).fill(`${name} (rettet)`);
    await page.getByRole('button', { name: 'Gem', exact: true }).click();
    await page.waitForURL(/\?besked=gemt$/);
    assert((await page.locator('h1').textContent()) === `${name} (rettet)`, 'the new name is not shown');
    const { page: index } = await open(ctx, '/organisationer?kind=kommune');
    const row = index.locator('tr', { hasText: `${name} (rettet)` });
    assert((await row.count()) === 1, 'the organisation is not in the index');
    assert((await row.locator('td').textContent()) === '0', 'a new organisation takes part in no product');
    await index.close();

    // Archived: marked in the administration and in the index for logged-in readers.
    await page.goto(editUrl);
    await page.getByRole('button', { name: 'Arkivér organisationen' }).click();
    await page.waitForURL(/\/admin\/organisationer\?besked=arkiveret$/);
    const state = await page.locator('tr', { hasText: `${name} (rettet)` }).locator('td').last().textContent();
    assert(state === 'arkiveret', `state in the list: ${state}`);
    const { page: after } = await open(ctx, '/organisationer?kind=kommune');
    const marked = await after.locator('tr', { hasText: `${name} (rettet)` }).locator('th').textContent();
    assert(marked.includes('(arkiveret)'), `index row: ${marked}`);
    await after.close();
    await page.close();
  });

  await check('the theme-gap filter is offered with the model’s themes and the CSV follows it', async () => {
    const { page } = await open(ctx, '/');
    await page.getByLabel('Huller i tema').selectOption('formkrav');
    await page.getByRole('button', { name: 'Vis' }).click();
    await page.waitForURL(/tema=formkrav/);
    const href = await page.getByRole('link', { name: 'Hent som CSV' }).getAttribute('href');
    assert(href.includes('tema=formkrav'), `CSV link: ${href}`);
    const csv = await page.request.get(new URL(href, page.url()).toString());
    assert(csv.status() === 200, `CSV: HTTP ${csv.status()}`);
    const header = (await csv.text()).split('\n')[0];
    assert(header.endsWith(',"huller i tema"'), `CSV header: ${header}`);
    await page.close();
  });
  await ctx.close();
}
