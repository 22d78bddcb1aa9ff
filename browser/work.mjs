// SPDX-License-Identifier: MPL-2.0
// Browser checks of the self-evaluation editor and the evaluation workbench: the flows
// a product group and the secretariat go through, end to end, in a real browser.

import { fileURLToPath } from 'node:url';

const report = fileURLToPath(new URL('../fixtures/os2/reports/selfeval-1.1.0-os2borgerpc-2026.md', import.meta.url));

/** Public pages of this area: none (the editor and the workbench need a login). */
export const pages = [];

/** Pages walked logged in as the demo secretariat, in both languages. */
export const staffPages = [
  { name: 'self-evaluation-editor', path: '/produkter/os2mo/selvevaluering', live: true },
  { name: 'self-evaluation-versions', path: '/produkter/os2mo/selvevaluering/versioner' },
  { name: 'evaluations', path: '/evalueringer' },
];

/** The flows; `tools` holds check, assert, open, axe, login, context, base, shots, join. */
export async function flows({ browser, base, check, assert, open, axe, login, context, shots, join }) {
  const ctx = await context('da');
  await check('logging in for the work flows', () => login(ctx));

  const noViolations = async (page, what) => {
    const violations = await axe(page);
    assert(violations.length === 0, `axe-core violations on ${what}:\n${violations.join('\n')}`);
  };
  const savedVersion = (page) => Number(new URL(page.url()).searchParams.get('gemt'));
  // A form that posts back to the same address: wait for the answer's page, not the URL.
  const submit = async (page, button) => {
    await Promise.all([page.waitForEvent('load'), button.click()]);
  };

  let version = 0;
  await check('uploading an OS2 report, then editing and saving the self-evaluation', async () => {
    const { page } = await open(ctx, '/produkter/os2borgerpc/selvevaluering');
    await page.getByLabel('Fil (.md eller .json)').setInputFiles(report);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.waitForURL(/gemt=\d+/);
    version = savedVersion(page);
    assert(version >= 1, `not saved: ${page.url()}`);
    assert((await page.getByRole('status').first().textContent()).includes(`Gemt som version ${version}.`), 'no saved notice');
    // The report answers R1 (a sandkasse Must) Ja without documentation: a claim without
    // evidence is yellow, so the report indicates no level until R1 is documented.
    assert((await page.locator('#indikeret').textContent()) === 'Intet niveau endnu', 'the report indicates a level although R1 is undocumented');
    assert((await page.locator('#mangler').textContent()).includes('R1'), 'R1 not listed as missing');
    assert((await page.getByLabel('Svar R1', { exact: true }).inputValue()) === 'Ja', 'R1 from the report');
    await page.getByLabel('Dokumentation R1', { exact: true }).fill('Bruges i 40 kommuner; se os2.eu/produkt/os2borgerpc');
    await submit(page, page.getByRole('button', { name: 'Opdater niveau' }).first());
    assert((await page.locator('#indikeret').textContent()) === 'Sandkasse', 'documenting R1 does not indicate sandkasse');

    // The level follows the answers: R1 answered Nej blocks everything.
    await page.getByLabel('Svar R1', { exact: true }).selectOption('Nej');
    await submit(page, page.getByRole('button', { name: 'Opdater niveau' }).first());
    assert((await page.locator('#indikeret').textContent()) === 'Intet niveau endnu', 'the level did not follow');
    assert((await page.locator('#mangler').textContent()).includes('R1'), 'R1 not listed as missing');

    await page.getByLabel('Svar R1', { exact: true }).selectOption('Ja');
    assert((await page.getByLabel('Dokumentation R1', { exact: true }).inputValue()).includes('40 kommuner'), 'the documentation left the form');
    await page.getByRole('button', { name: 'Gem ny version' }).first().click();
    await page.waitForURL(new RegExp(`gemt=${version + 1}$`));
    version += 1;
    assert((await page.getByLabel('Dokumentation R1', { exact: true }).inputValue()).includes('40 kommuner'), 'documentation lost');
    await noViolations(page, 'the editor after saving');
    await page.screenshot({ path: join(shots, 'self-evaluation-editor-saved-da.png'), fullPage: false });
    await page.close();
  });

  await check('a save conflict shows both versions and loses nothing', async () => {
    const first = (await open(ctx, '/produkter/os2borgerpc/selvevaluering')).page;
    const second = (await open(ctx, '/produkter/os2borgerpc/selvevaluering')).page;
    await second.getByLabel('Svar F2', { exact: true }).selectOption('Planlagt');
    await second.getByRole('button', { name: 'Gem ny version' }).first().click();
    await second.waitForURL(/gemt=\d+/);
    assert(savedVersion(second) === version + 1, `second saved as ${second.url()}`);

    await first.getByLabel('Dokumentation R2', { exact: true }).fill('Min tekst, der ikke må gå tabt');
    await first.getByRole('button', { name: 'Gem ny version' }).first().click();
    const alert = first.locator('#konflikt');
    await alert.waitFor();
    const text = await first.locator('section[aria-labelledby="konflikt"]').textContent();
    assert(text.includes(`Version ${version + 1} blev gemt`), `conflict text: ${text}`);
    assert(text.includes('Planlagt') && text.includes('Min tekst, der ikke må gå tabt'), 'both versions are not shown');
    assert((await first.getByLabel('Dokumentation R2', { exact: true }).inputValue()) === 'Min tekst, der ikke må gå tabt', 'my text left the form');
    await noViolations(first, 'the conflict');
    await first.screenshot({ path: join(shots, 'self-evaluation-conflict-da.png'), fullPage: false });
    await first.getByRole('button', { name: 'Gem ny version' }).first().click();
    await first.waitForURL(/gemt=\d+/);
    assert(savedVersion(first) === version + 2, `saved again as ${first.url()}`);
    version += 2;
    await first.close();
    await second.close();
  });

  await check('the version history shows the difference between two versions', async () => {
    const { page } = await open(ctx, '/produkter/os2borgerpc/selvevaluering/versioner');
    const caption = await page.locator('#diff caption').textContent();
    assert(caption.startsWith(`Version ${version - 1} → ${version}`), `caption: ${caption}`);
    const rows = await page.locator('#diff tbody th').allTextContents();
    assert(rows.includes('R2') && rows.includes('F2'), `changed: ${rows.join(', ')}`);
    await page.close();
  });

  await check('"use this" takes the portfolio\'s proposal into the form', async () => {
    const { page } = await open(ctx, '/produkter/os2mo/selvevaluering');
    await submit(page, page.getByRole('button', { name: 'Brug dette (forslaget til G6)' }));
    assert((await page.getByLabel('Svar G6', { exact: true }).inputValue()) === 'Ja', 'G6 not answered Ja');
    const doc = await page.getByLabel('Dokumentation G6', { exact: true }).inputValue();
    assert(doc.length > 10, `documentation: ${doc}`);
    assert((await page.getByRole('status').first().textContent()).includes('ikke gemt endnu'), 'no notice that it is unsaved');
    await page.close();
  });

  await check('with JavaScript the level follows the answers as they change', async () => {
    const { page } = await open(ctx, '/produkter/os2borgerpc/selvevaluering');
    assert((await page.locator('#indikeret').textContent()) === 'Sandkasse', 'start: sandkasse');
    await page.getByLabel('Svar R1', { exact: true }).selectOption('Nej');
    await page.locator('#indikeret', { hasText: 'Intet niveau endnu' }).waitFor({ timeout: 5000 });
    assert((await page.locator('#mangler').textContent()).includes('R1'), 'R1 not listed as missing');
    assert(new URL(page.url()).pathname === '/produkter/os2borgerpc/selvevaluering', 'the page was left');
    await page.close();
  });

  await check('without JavaScript the editor works through its buttons', async () => {
    const plain = await browser.newContext({ locale: 'da-DK', javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    await login(plain);
    const page = await plain.newPage();
    await page.goto(`${base}/produkter/os2borgerpc/selvevaluering`);
    await page.getByLabel('Svar R1', { exact: true }).selectOption('Nej');
    assert((await page.locator('#indikeret').textContent()) === 'Sandkasse', 'changed without a post');
    await submit(page, page.getByRole('button', { name: 'Opdater niveau' }).first());
    assert((await page.locator('#indikeret').textContent()) === 'Intet niveau endnu', 'the button did not recompute');
    await plain.close();
  });

  let workbench = '';
  await check('creating an evaluation, rating, commenting, finalising and publishing it', async () => {
    const { page } = await open(ctx, '/evalueringer');
    await page.getByLabel('Produkt').selectOption('os2borgerpc');
    await page.getByRole('button', { name: 'Opret evaluering' }).click();
    await page.waitForURL(/\/evalueringer\/\d+\?besked=oprettet/);
    workbench = new URL(page.url()).pathname;
    assert((await page.locator('#status').textContent()) === 'kladde', 'not a draft');
    // The claims without documentation are collected at the top: F12 is answered Ja
    // with "[Ikke udfyldt]"; R1 is documented by now.
    const lacking = await page.locator('#mangler-evidens').textContent();
    assert(lacking.includes('F12') && !lacking.includes('R1:'), `claims lacking evidence: ${lacking}`);
    await page.locator('#mangler-evidens a[href="#krav-F12"]').click();
    assert(new URL(page.url()).hash === '#krav-F12', 'the list does not lead to the requirement');
    assert((await page.locator('#dom-F12').textContent()).includes('kun påstanden'), 'no verdict for F12');
    await noViolations(page, 'the workbench');
    await page.screenshot({ path: join(shots, 'evaluation-workbench-da.png'), fullPage: false });

    // Counts follow the ratings before anything is saved.
    // Sandkasse's row: green, yellow, red, gray, not rated.
    const sandkasse = page.locator('#optaelling tbody tr').first().locator('td');
    const proposedR1 = await page.getByLabel('Vurdering R1', { exact: true }).inputValue();
    assert(proposedR1 !== 'red', `R1 is proposed ${proposedR1}`);
    const redBefore = Number(await sandkasse.nth(2).textContent());
    await page.getByLabel('Vurdering R1', { exact: true }).selectOption('red');
    // The script recomputes in the background; no click needed.
    await page.locator('#indikeret', { hasText: 'Intet niveau endnu' }).waitFor({ timeout: 5000 });
    const redAfter = Number(await sandkasse.nth(2).textContent());
    assert(redAfter === redBefore + 1, `red ${redBefore} → ${redAfter}`);

    await page.getByLabel('Vurdering R1', { exact: true }).selectOption('green');
    await page.getByLabel('Vurderingsgrundlag (sekretariatets tekst) R1', { exact: true }).fill('Bruges bredt i kommunerne.');
    await page.getByLabel('Samlet vurdering').fill('Et modent produkt med en aktiv styregruppe.');
    await page.getByRole('button', { name: 'Gem vurderinger' }).click();
    await page.waitForURL(/besked=gemt/);

    // A new draft's basis is empty; a proposal is offered beside it, marked as one, and
    // taken only with its button (in place, with the script: nothing is posted).
    const offered = page.locator('button[data-use-proposal]').first();
    const proposalFor = await offered.getAttribute('data-use-proposal');
    const basisField = page.locator(`#grundlag-${proposalFor}`);
    assert((await basisField.inputValue()) === '', `the basis of ${proposalFor} is not empty`);
    const proposalText = (await page.locator(`#forslagstekst-${proposalFor}`).textContent()).trim();
    const before = page.url();
    await offered.click();
    assert(page.url() === before, 'using the proposal posted the form');
    assert((await basisField.inputValue()).trim() === proposalText, 'the proposal was not put in');

    // A comment posted with unsaved ratings, basis and recommendation keeps them.
    await page.getByLabel('Vurdering F7', { exact: true }).selectOption('yellow');
    await page.getByLabel('Vurderingsgrundlag (sekretariatets tekst) F7', { exact: true }).fill('Byggevejledningen er ikke dokumenteret.');
    await page.getByLabel('Anbefaling F7', { exact: true }).fill('Læg byggevejledningen i repositoriet.');
    await page.getByLabel('Kommentar til F7', { exact: true }).fill('Hvor findes byggevejledningen?');
    await page.locator('#krav-F7').getByRole('button', { name: 'Tilføj kommentar' }).click();
    await page.waitForURL(/besked=kommentar/);
    assert((await page.locator('#krav-F7 .thread').textContent()).includes('Hvor findes byggevejledningen?'), 'comment not shown');
    assert((await page.getByLabel('Vurdering F7', { exact: true }).inputValue()) === 'yellow', 'the unsaved rating was lost');
    assert((await page.getByLabel('Vurderingsgrundlag (sekretariatets tekst) F7', { exact: true }).inputValue()) === 'Byggevejledningen er ikke dokumenteret.', 'the unsaved basis was lost');
    assert((await page.getByLabel('Anbefaling F7', { exact: true }).inputValue()) === 'Læg byggevejledningen i repositoriet.', 'the unsaved recommendation was lost');
    assert((await page.locator(`#grundlag-${proposalFor}`).inputValue()).trim() === proposalText, 'the accepted proposal was lost');

    await page.getByRole('button', { name: 'Send i dialog med produktet' }).click();
    await page.waitForURL(/besked=status/);
    assert((await page.locator('#status').textContent()) === 'i dialog', 'not in dialogue');

    await page.getByText('Gør evalueringen endelig og fastsæt det officielle niveau').click();
    await page.getByLabel('Officielt niveau').selectOption({ label: 'Niveau 2' });
    await page.getByLabel('Grundlag (skrives i beslutningsloggen)').fill('Browsertest: evaluering af OS2borgerPC');
    await page.locator('#begrundelse').fill('Browsertest: styregruppen har dokumenteret resten');
    await page.getByRole('button', { name: 'Gør endelig' }).click();
    await page.waitForURL(/besked=endelig/);
    assert((await page.locator('#status').textContent()) === 'endelig', 'not final');
    await page.close();
  });

  await check('the official level is public only after publication', async () => {
    const anonymous = await context('da');
    const { page: pub } = await open(anonymous, '/produkter/os2borgerpc');
    const level = await pub.locator('.facts .level').first().textContent().catch(() => '');
    assert(level !== 'Niveau 2', `the level is public before publication: ${level}`);
    assert((await pub.locator('main').textContent()).includes('Produktet har ingen offentliggjort evaluering endnu.'), 'an evaluation is public before publication');
    await pub.goto(`${base}/beslutninger?product=os2borgerpc`);
    assert(!(await pub.locator('main').textContent()).includes('Browsertest: evaluering af OS2borgerPC'), 'the decision is public before publication');
    await pub.close();
    await anonymous.close();
  });

  await check('publishing needs confirmation', async () => {
    const { page } = await open(ctx, workbench);
    const publish = page.getByRole('button', { name: 'Offentliggør' });
    // Without the ticked box the browser does not send the form.
    await publish.click();
    await page.waitForTimeout(300);
    assert((await page.locator('#status').textContent()) === 'endelig', 'published without the ticked box');
    await page.getByLabel('Jeg har gennemgået evalueringen og vil offentliggøre den').check();
    // The script asks; declining keeps it final.
    let asked = '';
    page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
    await publish.click();
    await page.waitForTimeout(300);
    assert(asked.startsWith('Offentliggør evalueringen?'), `no confirmation asked: ${asked}`);
    assert((await page.locator('#status').textContent()) === 'endelig', 'published although declined');
    page.once('dialog', (d) => d.accept());
    await publish.click();
    await page.waitForURL(/besked=offentliggjort/);
    assert((await page.locator('#status').textContent()) === 'offentliggjort', 'not published');
    await noViolations(page, 'the published evaluation');
    await page.close();
  });

  await check('the workbench in English is accessible too', async () => {
    const { page, bytes } = await open(ctx, `${workbench}?lang=en`);
    assert((await page.getAttribute('html', 'lang')) === 'en', 'not English');
    assert(bytes() < 150 * 1024, `${bytes()} bytes with CSS and script, over 150 KB`);
    assert((await page.locator('h1').count()) === 1, 'one h1');
    await noViolations(page, 'the English workbench');
    await page.screenshot({ path: join(shots, 'evaluation-workbench-en.png'), fullPage: false });
    await page.close();
  });

  await check('the public sees the new official level and the published evaluation', async () => {
    const anonymous = await context('da');
    const { page } = await open(anonymous, '/produkter/os2borgerpc');
    assert((await page.locator('.facts .level').first().textContent()) === 'Niveau 2', 'product page level');
    assert((await page.locator('#evaluering').count()) === 1, 'no evaluation section');
    const evaluation = await page.locator('section[aria-labelledby="evaluering"]').textContent();
    assert(evaluation.includes('Bruges bredt i kommunerne.'), 'the basis is not on the public page');
    assert(evaluation.includes('Byggevejledningen er ikke dokumenteret.'), 'the basis typed before the comment is not on the public page');
    assert((await page.locator('#vurdering-F7').textContent()).includes('Læg byggevejledningen i repositoriet.'), 'the recommendation is not on the public page');
    assert((await page.locator('#evaluator').textContent()) === 'Demo-sekretariatet', 'the evaluator is not named');
    assert(!evaluation.includes('Hvor findes byggevejledningen?'), 'the dialogue must not be public');
    await page.goto(`${new URL(page.url()).origin}/?q=borgerpc`);
    const row = await page.locator('tbody tr').first().textContent();
    assert(row.includes('Niveau 2'), `portfolio row: ${row}`);
    await page.goto(`${new URL(page.url()).origin}/beslutninger?product=os2borgerpc`);
    assert((await page.locator('main').textContent()).includes('Browsertest: evaluering af OS2borgerPC'), 'not in the decision log');
    await page.close();
    await anonymous.close();
  });

  await ctx.close();
}

/**
 * The self-evaluation editor never loses work (issue 12): an answer changed and posted
 * with documentation that is not saved yet keeps the documentation, with and without
 * JavaScript; with JavaScript the explanation follows the documentation as it is typed.
 * Kept apart from `flows`, so that other areas' additions to it merge cleanly.
 */
export async function editorFlows({ browser, base, check, assert, open, login, context }) {
  const ctx = await context('da');
  await login(ctx);
  const path = '/produkter/os2mo/selvevaluering';
  const submit = async (page, button) => {
    await Promise.all([page.waitForEvent('load'), button.click()]);
  };

  await check('without JavaScript an answer change posted with unsaved documentation keeps it', async () => {
    const plain = await browser.newContext({ locale: 'da-DK', javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    await login(plain);
    const page = await plain.newPage();
    await page.goto(`${base}${path}`);
    await page.getByLabel('Dokumentation R2', { exact: true }).fill('Ikke gemt: referat fra ledermødet');
    await page.getByLabel('Links til dokumentation, ét pr. linje (R2)', { exact: true }).fill('https://os2.eu/referat');
    await page.getByLabel('Svar R2', { exact: true }).selectOption('Planlagt');
    await submit(page, page.getByRole('button', { name: 'Opdater niveau' }).first());
    assert((await page.getByLabel('Svar R2', { exact: true }).inputValue()) === 'Planlagt', 'the answer left the form');
    assert((await page.getByLabel('Dokumentation R2', { exact: true }).inputValue()) === 'Ikke gemt: referat fra ledermødet', 'the documentation left the form');
    assert((await page.getByLabel('Links til dokumentation, ét pr. linje (R2)', { exact: true }).inputValue()) === 'https://os2.eu/referat', 'the link left the form');
    await plain.close();
  });

  await check('with JavaScript the explanation follows the documentation and nothing typed is lost', async () => {
    const { page } = await open(ctx, path);
    await page.getByLabel('Svar R1', { exact: true }).selectOption('Ja');
    await page.getByLabel('Dokumentation R1', { exact: true }).fill('');
    await page.getByLabel('Links til dokumentation, ét pr. linje (R1)', { exact: true }).fill('');
    await page.waitForTimeout(1200);
    const without = await page.locator('#forklaring-R1').textContent();
    await page.getByLabel('Dokumentation R1', { exact: true }).fill('https://os2.eu/strategi');
    await page.locator('#forklaring-R1').filter({ hasNotText: without }).waitFor({ timeout: 5000 });
    const withDoc = await page.locator('#forklaring-R1').textContent();
    assert(withDoc !== without, `the explanation did not follow: ${withDoc}`);
    // An answer change posted in the background leaves the typed documentation alone.
    await page.getByLabel('Dokumentation R2', { exact: true }).fill('Skrevet, ikke gemt');
    await page.getByLabel('Svar R2', { exact: true }).selectOption('Nej');
    await page.waitForTimeout(1200);
    assert((await page.getByLabel('Dokumentation R2', { exact: true }).inputValue()) === 'Skrevet, ikke gemt', 'documentation lost');
    await page.getByLabel('Dokumentation R1', { exact: true }).fill('');
    await page.locator('#forklaring-R1').filter({ hasText: without }).waitFor({ timeout: 5000 });
    // The buttons post the form too: still there after "Opdater niveau".
    await submit(page, page.getByRole('button', { name: 'Opdater niveau' }).first());
    assert((await page.getByLabel('Dokumentation R2', { exact: true }).inputValue()) === 'Skrevet, ikke gemt', 'documentation lost after the post');
    assert((await page.getByLabel('Svar R2', { exact: true }).inputValue()) === 'Nej', 'answer lost after the post');
    await page.close();
  });
  await ctx.close();
}
