// SPDX-License-Identifier: MPL-2.0
// Browser checks of the secretariat's workspace for groups, agreements and evaluation
// rounds (#13): the pages in both languages with axe, and the flows — a group with a
// member, an agreement that shows up among those ending soon, a round opened from the
// suggested half-year and seen on its page.

/** Public pages of this area: none (the workspace needs a login). */
export const pages = [];

/** Pages walked logged in as the demo secretariat, in both languages. */
export const staffPages = [
  { name: 'groups', path: '/grupper' },
  { name: 'groups-filtered', path: '/grupper?type=styregruppe' },
  { name: 'agreements', path: '/aftaler' },
  { name: 'round-new', path: '/runder/ny' },
];

/** Today by the server's clock (UTC), plus `days`, as YYYY-MM-DD. */
function day(days = 0) {
  const d = new Date(Date.now() + days * 24 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

/** The flows; `tools` holds check, assert, open, axe, login, context, base, shots, join. */
export async function flows({ check, assert, open, axe, login, context, shots, join }) {
  const ctx = await context('da');
  await check('logging in for the workspace flows', () => login(ctx));
  const noViolations = async (page, what) => {
    const violations = await axe(page);
    assert(violations.length === 0, `axe-core violations on ${what}:\n${violations.join('\n')}`);
  };

  await check('the secretariat creates a group and adds a member in the browser', async () => {
    const { page } = await open(ctx, '/');
    await page.getByRole('link', { name: 'Grupper', exact: true }).click();
    await page.waitForURL(/\/grupper$/);
    const name = `Browsertest-styregruppe ${Date.now()}`;
    await page.locator('#name').fill(name);
    await page.locator('#kind').selectOption('styregruppe');
    await page.locator('#product_id').selectOption({ label: 'OS2mo' });
    await page.getByRole('button', { name: 'Opret gruppe' }).click();
    await page.waitForURL(/\/grupper\/\d+\?besked=oprettet$/);
    assert((await page.locator('h1').textContent()) === name, 'not on the new group');
    await page.locator('#organisation_id').selectOption({ label: 'Aarhus Kommune' });
    await page.locator('#role').selectOption('formand');
    await page.getByRole('button', { name: 'Tilføj medlem' }).click();
    await page.waitForURL(/besked=medlem-tilfoejet/);
    const row = page.locator('section[aria-labelledby="medlemmer"] tbody tr').first();
    assert((await row.locator('th').textContent()) === 'Aarhus Kommune', 'the member is not listed');
    assert((await row.locator('td').first().textContent()) === 'formand', 'the role is not shown');
    // A meeting with a link to its minutes.
    await page.getByLabel('Dato', { exact: true }).fill('2026-11-20');
    await page.getByLabel('Møde (titel eller dagsorden på én linje)').fill('Styregruppemøde i november');
    await page.getByLabel('Link til referatet (valgfrit, https)').fill('https://os2.eu/referat-2026-11-20.pdf');
    await page.getByRole('button', { name: 'Registrér mødet' }).click();
    await page.waitForURL(/besked=moede-tilfoejet/);
    const meeting = await page.locator('section[aria-labelledby="moeder"] tbody tr').first().textContent();
    assert(meeting.includes('2026-11-20') && meeting.includes('Styregruppemøde i november'), `meeting: ${meeting}`);
    await noViolations(page, 'the group page');
    await page.screenshot({ path: join(shots, 'group-da.png'), fullPage: true });
    // The product page lists the group with its member.
    await page.getByRole('link', { name: 'OS2mo', exact: true }).click();
    await page.waitForURL(/\/produkter\/os2mo$/);
    const groups = await page.locator('section[aria-labelledby="grupper"]').textContent();
    assert(groups.includes(name) && groups.includes('Aarhus Kommune (formand)'), `groups: ${groups}`);
    await page.close();
  });

  await check('the secretariat creates an agreement and sees it among those ending soon', async () => {
    const { page } = await open(ctx, '/aftaler');
    const title = `Browsertest-driftsaftale ${Date.now()}`;
    await page.locator('#title').fill(title);
    await page.locator('#kind').selectOption('driftsaftale');
    await page.locator('#product_id').selectOption({ label: 'OS2mo' });
    await page.locator('#ends_on').fill(day(30));
    await page.locator('#parties').selectOption([{ label: 'Aarhus Kommune' }]);
    await page.getByRole('button', { name: 'Opret aftale' }).click();
    await page.waitForURL(/\/aftaler\/\d+\?besked=oprettet$/);
    assert((await page.locator('h1').textContent()) === title, 'not on the new agreement');
    await noViolations(page, 'the agreement page');
    await page.getByRole('link', { name: 'Aftaler', exact: true }).first().click();
    await page.waitForURL(/\/aftaler$/);
    const soon = await page.locator('#udloebende').textContent();
    assert(soon.includes(title) && soon.includes(day(30)), `ending soon: ${soon}`);
    const all = await page.locator('#aftaler').textContent();
    assert(all.includes(title), 'not in the list of all agreements');
    await page.screenshot({ path: join(shots, 'agreements-da.png'), fullPage: true });
    await page.close();
  });

  await check('the secretariat opens a round from the suggestion and sees it on the round page', async () => {
    const { page } = await open(ctx, '/runder');
    await page.getByRole('link', { name: 'Ny evalueringsrunde' }).click();
    await page.waitForURL(/\/runder\/ny$/);
    const suggested = await page.locator('#name').inputValue();
    assert(/^(Forår|Efterår) \d{4}$/.test(suggested), `suggested name: ${suggested}`);
    const name = `Browsertest-runde ${Date.now()}`;
    await page.locator('#name').fill(name);
    await page.locator('#opens_on').fill(day(0));
    await page.locator('#self_evaluation_deadline').fill(day(30));
    await page.locator('#evaluation_deadline').fill(day(60));
    const ticked = await page.locator('input[name="product_ids"]:checked').count();
    await noViolations(page, 'the new round form');
    await page.getByRole('button', { name: 'Opret runden' }).click();
    await page.waitForURL(/\/runder\/\d+\?besked=oprettet$/);
    assert((await page.locator('h1').textContent()) === name, 'not on the new round');
    assert((await page.locator('#status').textContent()) === 'Åben', 'the round is not open');
    const rows = await page.locator('main tbody tr').count();
    assert(rows === ticked, `${rows} products on the round page, ${ticked} ticked`);
    await noViolations(page, 'the new round');
    await page.screenshot({ path: join(shots, 'round-new-da.png'), fullPage: true });
    await page.getByRole('link', { name: 'Evalueringsrunder' }).first().click();
    const listed = await page.locator('main table').textContent();
    assert(listed.includes(name), 'the round is not in the list');
    await page.close();
  });

  await ctx.close();
}
