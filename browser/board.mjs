// SPDX-License-Identifier: MPL-2.0
// Browser checks of the board's and the secretariat's pages for board meetings, board
// cases and the projects' follow-up (#13): the pages in both languages with axe, and the
// flow of a level 2 idea through the board — concept (the process API), a case on a
// meeting planned in the browser, sent back once and then approved on the meeting and
// case pages, a progress report over budget on the follow-up, and the product.

/** Public pages of this area: none (the board's pages need a login). */
export const pages = [];

/** Pages walked logged in as the demo secretariat, in both languages. */
export const staffPages = [
  { name: 'board', path: '/bestyrelse' },
  { name: 'board-prefilled', path: '/bestyrelse?produkt=os2mo&art=genovervejelse' },
  { name: 'progress', path: '/fremdrift' },
];

/** Today by the server's clock (UTC), plus `days`, as YYYY-MM-DD. */
function day(days = 0) {
  const d = new Date(Date.now() + days * 24 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

/** The flows; `tools` holds check, assert, open, axe, login, context, base, shots, join. */
export async function flows({ check, assert, open, axe, login, context, base, shots, join }) {
  const ctx = await context('da');
  await check('logging in for the board flows', () => login(ctx));
  const noViolations = async (page, what) => {
    const violations = await axe(page);
    assert(violations.length === 0, `axe-core violations on ${what}:\n${violations.join('\n')}`);
  };
  // The API with the session: the CSRF token from /api/v1/me on every change.
  const api = async (method, path, data) => {
    const me = await ctx.request.get(`${base}/api/v1/me`);
    assert(me.status() === 200, `/api/v1/me: HTTP ${me.status()}`);
    const token = (await me.json()).csrf_token;
    const response = await ctx.request.fetch(`${base}/api/v1${path}`, {
      method,
      headers: { 'X-CSRF-Token': token },
      data,
    });
    const body = await response.json().catch(() => null);
    assert(response.ok(), `${method} ${path}: HTTP ${response.status()} ${JSON.stringify(body)}`);
    return body;
  };
  const stage = async (slug) => (await api('GET', `/products/${slug}/process`)).stage;
  const step = (slug, transition, basis) =>
    api('POST', `/products/${slug}/process/steps`, {
      transition,
      decided_on: day(0),
      basis,
      decided_by: 'sekretariat',
    });

  const stamp = Date.now();
  const slug = `browsertest-ide-${stamp}`;
  const name = `Browsertest-idé ${stamp}`;
  const meetingTitle = `Browsertest-bestyrelsesmøde ${stamp}`;
  let meetingId = '';

  await check('an idea on level 2 becomes a concept, with a user organisation (API setup)', async () => {
    const product = await api('POST', '/products', {
      slug,
      name,
      short_description: 'Et produkt, der kun findes i browsertesten',
      published: true,
      target_level: '2',
    });
    const orgs = await api('GET', '/organisations?q=Aarhus&limit=50');
    const aarhus = orgs.items.find((o) => o.name === 'Aarhus Kommune');
    assert(aarhus, 'no Aarhus Kommune in the demo data');
    await api('POST', `/products/${product.id}/participants`, { organisation_id: aarhus.id, role: 'anvender' });
    await step(slug, 'koncept', 'Konceptet er beskrevet i browsertesten');
    assert((await stage(slug)) === 'koncept', 'not a concept');
  });

  await check('the secretariat plans a meeting and puts the concept on it in the browser', async () => {
    const { page } = await open(ctx, '/');
    await page.getByRole('link', { name: 'Bestyrelsen', exact: true }).click();
    await page.waitForURL(/\/bestyrelse$/);
    await page.locator('#held_on').fill(day(7));
    await page.locator('#meeting-title').fill(meetingTitle);
    await page.locator('#agenda').fill('1. Godkendelse af referat\n2. **Koncepter**');
    await page.getByRole('button', { name: 'Planlæg mødet' }).click();
    await page.waitForURL(/\/bestyrelse\/moeder\/\d+\?besked=oprettet$/);
    meetingId = page.url().match(/moeder\/(\d+)/)[1];
    assert((await page.locator('h1').textContent()) === meetingTitle, 'not on the new meeting');
    assert((await page.locator('section[aria-labelledby="dagsorden"] strong').textContent()) === 'Koncepter', 'agenda not rendered');
    await page.getByRole('link', { name: 'Forbered en sag til dette møde' }).click();
    await page.waitForURL(/\/bestyrelse\?moede=\d+/);
    assert((await page.locator('#meeting_id').inputValue()) === meetingId, 'the meeting is not chosen');
    await page.locator('#product_id').selectOption({ label: name });
    await page.locator('#kind').selectOption('koncept');
    await page.locator('#case-title').fill(`Godkendelse af ${name}`);
    await page.locator('#presentation').fill('Konceptet beskriver **formål**, økonomi og organisering.');
    await page.locator('#material').fill(`https://example.org/koncept.pdf\n/produkter/${slug}`);
    await noViolations(page, 'the board overview with the forms');
    await page.getByRole('button', { name: 'Opret sagen' }).click();
    await page.waitForURL(/\/bestyrelse\/sager\/\d+\?besked=oprettet$/);
    assert((await page.locator('#processen').textContent()).includes('Koncept'), 'the stage is not shown');
    await noViolations(page, 'the case page');
    await page.screenshot({ path: join(shots, 'board-case-da.png'), fullPage: true });
    await page.close();
  });

  await check('the board sends the concept back on the meeting page; the decision is in the log', async () => {
    const { page } = await open(ctx, `/bestyrelse/moeder/${meetingId}`);
    const article = page.locator('article').first();
    await article.locator('select[name="outcome"]').selectOption('tilbageløb');
    await article.getByLabel(/^Begrundelse/).fill('For kort');
    await article.getByRole('button', { name: 'Registrér afgørelsen' }).click();
    const refusal = await page.locator('.field-error').first().textContent();
    assert(refusal.includes('mindst 20 tegn'), `refusal: ${refusal}`);
    assert((await page.locator('article textarea[name="reasons"]').inputValue()) === 'For kort', 'the reasons were lost');
    await noViolations(page, 'the meeting page with a refusal');
    const reasons = 'Økonomien mangler; konceptet skal igennem idéprocessen igen';
    await page.locator('article textarea[name="reasons"]').fill(reasons);
    await page.locator('article').first().getByRole('button', { name: 'Registrér afgørelsen' }).click();
    await page.waitForURL(/besked=afgjort/);
    const decided = await page.locator('article').first().textContent();
    assert(decided.includes('Bestyrelsens afgørelse: Tilbageløb') && decided.includes(reasons), `case: ${decided}`);
    assert((await stage(slug)) === 'idé', 'the product is not back at idé');
    await noViolations(page, 'the meeting page');
    await page.screenshot({ path: join(shots, 'board-meeting-da.png'), fullPage: true });
    await page.getByRole('link', { name: 'Se afgørelsen i beslutningsloggen' }).click();
    await page.waitForURL(/\/beslutninger\?product=/);
    assert((await page.locator('main').textContent()).includes(reasons), 'the decision is not in the log');
    await page.close();
    const en = await open(ctx, `/bestyrelse/moeder/${meetingId}?lang=en`);
    assert((await en.page.getAttribute('html', 'lang')) === 'en', 'not English');
    await noViolations(en.page, 'the meeting page in English');
    await en.page.close();
  });

  await check('the concept comes back and the board approves it with priority 1: a project', async () => {
    await step(slug, 'koncept', 'Konceptet er beskrevet igen med økonomi');
    const { page } = await open(ctx, `/bestyrelse?produkt=${slug}&art=koncept&moede=${meetingId}`);
    await page.locator('#case-title').fill(`Godkendelse af ${name}, anden gang`);
    await page.locator('#presentation').fill('Konceptet med økonomi.');
    await page.getByRole('button', { name: 'Opret sagen' }).click();
    await page.waitForURL(/\/bestyrelse\/sager\/\d+\?besked=oprettet$/);
    await page.locator('select[name="outcome"]').selectOption('godkendt');
    await page.locator('input[name="priority"]').fill('1');
    await page.getByRole('button', { name: 'Registrér afgørelsen' }).click();
    await page.waitForURL(/\/bestyrelse\/sager\/\d+\?besked=afgjort$/);
    const process = await page.locator('#processen').textContent();
    assert(process.includes('Projekt') && process.includes('bestyrelsen har godkendt konceptet'), `process: ${process}`);
    assert((await stage(slug)) === 'projekt', 'not a project');
    await noViolations(page, 'the decided case');
    await page.close();
  });

  await check('a progress report over budget shows on the follow-up, which links to the board', async () => {
    await api('POST', `/products/${slug}/progress`, {
      period_from: day(-90),
      period_to: day(-5),
      status: 'forsinket',
      budget: 400000,
      spent: 350000,
      expected_total: 520000,
      progress: 'Integrationen tager længere tid end planlagt',
    });
    const { page } = await open(ctx, '/');
    await page.getByRole('link', { name: 'Fremdrift', exact: true }).click();
    await page.waitForURL(/\/fremdrift$/);
    const row = page.locator(`#projekt-${slug}`);
    const text = await row.textContent();
    assert(text.includes('over budget med 120.000 kr.') && text.includes('Forsinket'), `row: ${text}`);
    await noViolations(page, 'the follow-up');
    await page.screenshot({ path: join(shots, 'progress-da.png'), fullPage: true });
    await row.getByRole('link', { name: /Forelæg for bestyrelsen/ }).click();
    await page.waitForURL(/art=genovervejelse/);
    assert((await page.locator('#kind').inputValue()) === 'genovervejelse', 'the kind is not filled in');
    assert((await page.locator('#product_id option:checked').textContent()) === name, 'the product is not filled in');
    await page.close();
  });

  await check('the project becomes a product (API) and its page says so', async () => {
    await step(slug, 'produkt', 'Projektet er leveret og tages i brug');
    assert((await stage(slug)) === 'produkt', 'not a product');
    const { page } = await open(ctx, `/produkter/${slug}`);
    assert((await page.locator('h1').textContent()) === name, 'not on the product page');
    assert((await page.locator('main').textContent()).includes('Produkt'), 'the stage is not shown');
    await page.close();
  });

  await ctx.close();
}
