// SPDX-License-Identifier: MPL-2.0
// Browser checks of development wishes (#14): the pages in both languages with axe, and
// three flows — (a) a municipal employee with a plain reader's login and no developer
// account raises a wish through the form (logging in from the form and coming back; a
// high priority without a reason is refused and nothing typed is lost); (b) the product
// group screens it, attaches the supplier's estimate, decides that the community pays
// with a co-funding target, and ranks it in the prioritisation view; (c) pledges are
// registered until the target is reached and the wish is ordered.

/** Public pages of this area: the product's wish list and the form's page (which asks an
 * anonymous visitor to log in). */
export const pages = [
  { name: 'wishes-list', path: '/produkter/os2mo/oensker' },
  { name: 'wish-new-anonymous', path: '/produkter/os2mo/oensker/nyt' },
];

/** Pages walked logged in as the demo secretariat, in both languages. */
export const staffPages = [
  { name: 'wishes-overview', path: '/oensker' },
  { name: 'wishes-list-signed-in', path: '/produkter/os2mo/oensker?vis=alle' },
  { name: 'wish-new', path: '/produkter/os2mo/oensker/nyt' },
  { name: 'wishes-prioritisation', path: '/produkter/os2mo/oensker/prioritering' },
  { name: 'wishes-settings', path: '/produkter/os2mo/oensker/indstillinger' },
];

/** The flows; `tools` holds check, assert, open, axe, login, context, base, shots, join. */
export async function flows({ check, assert, open, axe, login, context, base, shots, join }) {
  const noViolations = async (page, what) => {
    const violations = await axe(page);
    assert(violations.length === 0, `axe-core violations on ${what}:\n${violations.join('\n')}`);
  };
  const stamp = Date.now();
  const title = `Fraværsregistrering for timelønnede ${stamp}`;
  let wishId = '';

  const reader = await context('da');
  await check('(a) a reader without a developer account raises a wish through the form', async () => {
    const user = process.env.NIVEAU_READER_USER;
    const password = process.env.NIVEAU_READER_PASSWORD;
    assert(user && password, 'NIVEAU_READER_USER and NIVEAU_READER_PASSWORD are not set');
    const { page } = await open(reader, '/produkter/os2mo');
    await page.locator('#oensker-link').getByRole('link', { name: 'Rejs et ønske' }).click();
    await page.waitForURL(/\/produkter\/os2mo\/oensker\/nyt$/);
    assert((await page.locator('#oenske-form').count()) === 0, 'the form is shown before the login');
    await page.getByRole('link', { name: 'Log ind og vend tilbage til formularen' }).click();
    await page.getByLabel('Brugernavn').fill(user);
    await page.getByLabel('Adgangskode').fill(password);
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.waitForURL(/\/produkter\/os2mo\/oensker\/nyt$/);
    await page.getByLabel('Titel (kort og sigende)').fill(title);
    await page.getByLabel('Forretningsbehov: hvad har I brug for, og hvorfor?').fill('Vi registrerer fravær for timelønnede på papir.');
    await page.getByLabel('Foreslået ændring (valgfrit)').fill('Et felt for timer i fraværsskemaet.');
    await page.getByLabel('Værdi: hvad vinder I og andre ved det? (valgfrit)').fill('Færre fejl i lønnen.');
    await page.getByLabel('Organisation').selectOption({ label: 'Aarhus Kommune' });
    await page.getByLabel('Din e-mailadresse (kun produktgruppen ser den)').fill('medarbejder@aarhus.dk');
    await page.getByLabel('Prioritet', { exact: true }).selectOption('høj');
    await page.getByRole('button', { name: 'Send ønsket' }).click();
    const alert = await page.getByRole('alert').textContent();
    assert(alert.includes('Begrundelse for prioriteten: skal udfyldes, når prioriteten er høj eller kritisk'), `alert: ${alert}`);
    assert((await page.getByLabel('Titel (kort og sigende)').inputValue()) === title, 'the title was lost');
    assert(
      (await page.getByLabel('Forretningsbehov: hvad har I brug for, og hvorfor?').inputValue()) === 'Vi registrerer fravær for timelønnede på papir.',
      'the need was lost',
    );
    await noViolations(page, 'the wish form with a refusal');
    await page.screenshot({ path: join(shots, 'wish-new-refused-da.png'), fullPage: true });
    await page.getByLabel('Begrundelse for prioriteten (skal udfyldes ved høj eller kritisk)').fill('Lønkørslen i januar');
    await page.getByRole('button', { name: 'Send ønsket' }).click();
    await page.waitForURL(/\/oensker\/\d+\?besked=rejst$/);
    wishId = page.url().match(/oensker\/(\d+)/)[1];
    assert((await page.locator('h1').textContent()) === title, 'not on the new wish');
    assert((await page.locator('#besked').textContent()).includes('ønsket er rejst'), 'no confirmation');
    assert((await page.locator('#status').textContent()).startsWith('Ny'), 'not new');
    assert((await page.locator('#trin-form').count()) === 0, 'a reader is offered the product group\'s forms');
    await noViolations(page, 'the wish page as a reader');
    await page.close();
  });
  await reader.close();

  const ctx = await context('da');
  await check('logging in for the wish flows', () => login(ctx));
  const move = async (page, to) => {
    await page.getByLabel('Flyt til').selectOption(to);
    await page.getByRole('button', { name: 'Flyt ønsket' }).click();
    await page.waitForURL(/besked=trin/);
  };

  await check('(b) the product group screens, estimates, decides co-funding and prioritises', async () => {
    assert(wishId, 'no wish from flow (a)');
    const { page } = await open(ctx, `/oensker/${wishId}`);
    await move(page, 'screening');
    assert((await page.locator('#status').textContent()).startsWith('Screening'), 'not in screening');
    const criteria = await page.locator('#screening-form fieldset').count();
    assert(criteria >= 1, 'no screening criteria');
    for (let i = 0; i < criteria; i += 1) {
      await page.locator(`#screening-${i}-${i === 1 ? 'gul' : 'groen'}`).check();
    }
    await page.locator('#screening-1-note').fill('Kun få kommuner har timelønnede i systemet');
    await page.getByRole('button', { name: 'Gem screeningen' }).click();
    await page.waitForURL(/besked=screening/);
    const screening = await page.locator('#screening-tabel').textContent();
    assert(screening.includes('🟡 Gul – delvist opfyldt') && screening.includes('🟢 Grøn – opfyldt'), `screening: ${screening}`);
    await page.getByLabel('Leverandør', { exact: true }).selectOption({ index: 1 });
    await page.getByLabel('Løsningsbeskrivelse', { exact: true }).fill('Et timefelt i fraværsskemaet og i lønudtrækket.');
    await page.getByLabel('Timer (valgfrit)').fill('40');
    await page.getByLabel('Pris i kroner, fx 12.500,50 (valgfrit)').fill('-1');
    await page.getByRole('button', { name: 'Gem løsning og estimat' }).click();
    const refusal = await page.locator('#estimat-form [role="alert"]').textContent();
    assert(refusal.includes('Pris i kroner: «-1» er negativt; et beløb er 0 kr. eller mere'), `refusal: ${refusal}`);
    assert(
      (await page.getByLabel('Løsningsbeskrivelse', { exact: true }).inputValue()) === 'Et timefelt i fraværsskemaet og i lønudtrækket.',
      'the solution was lost',
    );
    await page.getByLabel('Pris i kroner, fx 12.500,50 (valgfrit)').fill('12.500,50');
    await page.getByRole('button', { name: 'Gem løsning og estimat' }).click();
    await page.waitForURL(/besked=estimat/);
    assert((await page.locator('#estimat').textContent()) === '12.500,50 kr.', 'the estimate is not shown in kroner');
    await move(page, 'klar til prioritering');
    await page.getByLabel('Hvem betaler').selectOption('fællesskabet');
    await page.getByLabel(/^Mål for samfinansiering i kroner/).fill('10.000');
    await page.locator('#finansiering-begrundelse').fill('Gavner alle kommuner med timelønnede');
    await page.getByRole('button', { name: 'Gem beslutningen' }).click();
    await page.waitForURL(/besked=finansiering/);
    assert((await page.locator('#betaler').textContent()) === 'Fællesskabet betaler', 'the payer is not shown');
    assert((await page.locator('#mangler').textContent()) === '10.000 kr.', 'the remaining amount is not shown');
    const order = await page.locator('#trin-bestilt-hos-leverandør').textContent();
    assert(order.includes('samfinansieringen mangler 10.000 kr.'), `order row: ${order}`);
    await noViolations(page, 'the wish page of the product group');
    await page.screenshot({ path: join(shots, 'wish-page-da.png'), fullPage: true });
    await page.close();

    const view = (await open(ctx, '/produkter/os2mo/oensker')).page;
    await view.getByRole('link', { name: 'Prioritering: ønsker klar til prioritering' }).click();
    await view.waitForURL(/\/oensker\/prioritering$/);
    await view.locator(`#rang-${wishId}`).fill('1');
    await view.locator(`#oenske-${wishId}`).getByRole('button', { name: /^Gem rang/ }).click();
    await view.waitForURL(/besked=rang$/);
    const row = await view.locator(`#oenske-${wishId}`).textContent();
    assert(row.includes('12.500,50 kr.') && row.includes('mangler tilsagn'), `row: ${row}`);
    assert((await view.locator(`#oenske-${wishId} td`).first().textContent()) === '1', 'the rank is not shown');
    await noViolations(view, 'the prioritisation view');
    await view.screenshot({ path: join(shots, 'wishes-prioritisation-ranked-da.png'), fullPage: true });
    await view.close();
  });

  await check('(c) pledges reach the target and the wish is ordered', async () => {
    const { page } = await open(ctx, `/oensker/${wishId}`);
    for (const [index, amount] of [[1, '4.000'], [2, '6.000']]) {
      await page.getByLabel('Organisation', { exact: true }).selectOption({ index });
      await page.getByLabel('Beløb i kroner, fx 25.000').fill(amount);
      await page.getByRole('button', { name: 'Registrér tilsagnet' }).click();
      await page.waitForURL(/besked=tilsagn/);
    }
    const progress = await page.locator('#finansiering-tekst').textContent();
    assert(progress.includes('10.000 kr. af 10.000 kr. (100 %) – målet er nået'), `progress: ${progress}`);
    assert((await page.locator('#tilsagn-tabel tbody tr').count()) === 2, 'not two pledges');
    await move(page, 'bestilt hos leverandør');
    assert((await page.locator('#status').textContent()).startsWith('Bestilt hos leverandør'), 'not ordered');
    assert((await page.locator('#estimat-form').count()) === 0, 'the estimate can change after the order');
    await page.goto(`${base}/oensker/${wishId}?lang=en`);
    assert((await page.getAttribute('html', 'lang')) === 'en', 'not English');
    assert((await page.locator('#status').textContent()).startsWith('Ordered from the supplier'), 'the state is not in English');
    await noViolations(page, 'the English wish page');
    await page.screenshot({ path: join(shots, 'wish-page-en.png'), fullPage: true });
    await page.goto(`${base}/oensker?lang=da`);
    assert((await page.locator('#pr-produkt').textContent()).includes('OS2mo'), 'OS2mo is not in the overview');
    await noViolations(page, 'the overview with the ordered wish');
    await page.close();
  });
  await ctx.close();
}
