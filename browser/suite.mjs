// Niveau's browser suite: Debian's chromium driven by playwright-core against a running
// `niveau serve --demo`. It walks every page type in Danish and English, asserts zero
// axe-core violations (WCAG 2.0/2.1 A and AA rules), checks page weight, keyboard use and
// that pages work without JavaScript, drives the flows that exist, and saves a
// screenshot of each page.
//
// Run by crates/niveau-cli/tests/browser.rs (so `cargo test` runs it), or by hand:
//
//   NIVEAU_BASE_URL=http://127.0.0.1:8080 NIVEAU_SCREENSHOTS=/tmp/shots node browser/suite.mjs
//
// Environment: NIVEAU_BASE_URL (required), NIVEAU_SCREENSHOTS (a directory; default
// ./screenshots), NIVEAU_CHROMIUM (default /usr/bin/chromium).
// Output: one line per check, "ok NAME" or "not ok NAME: why"; exit status 1 if any failed.

import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const base = process.env.NIVEAU_BASE_URL;
if (!base) {
  console.error('NIVEAU_BASE_URL is not set');
  process.exit(2);
}
const shots = process.env.NIVEAU_SCREENSHOTS || 'screenshots';
mkdirSync(shots, { recursive: true });

// The flags that keep chromium off the network and quiet in a sandbox (see
// CONTRIBUTING.md, "Browser tests").
const browser = await chromium.launch({
  executablePath: process.env.NIVEAU_CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

const MAX_PAGE_BYTES = 150 * 1024;
let failed = 0;

async function check(name, fn) {
  try {
    await fn();
    console.log(`ok ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`not ok ${name}: ${String(err && err.message ? err.message : err).split('\n').join('\n    ')}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

// A context for one language: Accept-Language follows the locale; axe is evaluated
// through the DevTools protocol, which the page's content security policy does not
// govern, so the policy stays on.
async function context(lang) {
  return browser.newContext({
    locale: lang === 'da' ? 'da-DK' : 'en-GB',
    viewport: { width: 1280, height: 900 },
  });
}

// Open a page, count the bytes of everything it loads, and return the page and the size.
async function open(ctx, path, expectedStatus = 200) {
  const page = await ctx.newPage();
  let bytes = 0;
  page.on('response', async (response) => {
    try {
      bytes += (await response.body()).length;
    } catch {
      // A redirect has no body.
    }
  });
  const response = await page.goto(base + path, { waitUntil: 'load' });
  assert(response, `no response for ${path}`);
  assert(response.status() === expectedStatus, `${path}: HTTP ${response.status()}, expected ${expectedStatus}`);
  await page.waitForLoadState('networkidle');
  return { page, bytes: () => bytes };
}

async function axe(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    }),
  );
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`,
  );
}

// The accessibility check itself can fail: a page with known faults must show them.
await check('axe-core finds the faults of a known-bad page', async () => {
  const page = await browser.newPage();
  await page.setContent('<html><body><img src="x.png"><input type="text"><a href="/"></a></body></html>');
  const found = (await axe(page)).map((v) => v.split(' ')[0]).sort();
  for (const id of ['html-has-lang', 'image-alt', 'label', 'link-name']) {
    assert(found.includes(id), `${id} not reported; reported: ${found.join(', ')}`);
  }
  await page.close();
});

// Every page type, in both languages.
const pages = [
  { name: 'portfolio', path: '/' },
  { name: 'portfolio-filtered', path: '/?stage=produkt&sort=municipalities' },
  { name: 'product', path: '/produkter/os2mo' },
  { name: 'product-small', path: '/produkter/os2bankintegration' },
  { name: 'decisions', path: '/beslutninger' },
  { name: 'decisions-filtered', path: '/beslutninger?product=os2mo&kind=stadie' },
  { name: 'statistics', path: '/statistik' },
  { name: 'login', path: '/log-ind' },
  { name: 'not-found', path: '/produkter/findes-ikke', status: 404 },
];

// Further page types and flows live in modules of their own (one per area), each
// exporting `pages` (public pages walked like the ones above), `staffPages` (walked
// logged in as the demo secretariat) and `flows(tools)`.
const modules = [
  await import('./admin.mjs'),
  await import('./work.mjs'),
  await import('./workspace_products.mjs'),
];
// The workspace for groups, agreements and rounds (#13).
modules.push(await import('./workspace_groups.mjs'));
// The product process page (#13).
modules.push(await import('./process.mjs'));
// The board's meetings and cases and the projects' follow-up (#13).
modules.push(await import('./board.mjs'));
// Development wishes: lists, the form, the wish page, prioritisation, overview (#14).
modules.push(await import('./wishes.mjs'));
// The static site of `niveau publish`, served under a sub-path (#16).
modules.push(await import('./static_site.mjs'));
pages.push(...modules.flatMap((m) => m.pages ?? []));

// Log a context in as the demo secretariat (its password is printed by `serve --demo`).
async function login(ctx) {
  const password = process.env.NIVEAU_DEMO_PASSWORD;
  assert(password, 'NIVEAU_DEMO_PASSWORD is not set');
  const { page } = await open(ctx, '/log-ind?lang=da');
  await page.getByLabel('Brugernavn').fill('demo-sekretariat');
  await page.getByLabel('Adgangskode').fill(password);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/log-ind'));
  await page.close();
}

async function walk(ctx, lang, list) {
  for (const p of list) {
    await check(`${p.name} (${lang}) renders, is accessible and light`, async () => {
      const { page, bytes } = await open(ctx, p.path, p.status ?? 200);
      const htmlLang = await page.getAttribute('html', 'lang');
      assert(htmlLang === lang, `<html lang="${htmlLang}">, expected ${lang}`);
      // Pages carry no script, except the live forms' own deferred file; that every
      // page works without it is checked by the flows in a context without JavaScript.
      const scripts = await page.evaluate(() =>
        [...document.scripts].map((s) => ({ src: s.getAttribute('src') || '', defer: s.defer })),
      );
      const foreign = scripts.filter((s) => !/^\/static\/niveau-[0-9a-f]{8}\.js$/.test(s.src) || !s.defer);
      assert(foreign.length === 0, `inline or foreign scripts: ${JSON.stringify(foreign)}`);
      assert(scripts.length === (p.live ? 1 : 0), `${scripts.length} scripts, expected ${p.live ? 1 : 0}`);
      const h1 = await page.locator('h1').count();
      assert(h1 === 1, `${h1} h1 elements`);
      const violations = await axe(page);
      assert(violations.length === 0, `axe-core violations:\n${violations.join('\n')}`);
      assert(bytes() < MAX_PAGE_BYTES, `${bytes()} bytes with its CSS, over ${MAX_PAGE_BYTES}`);
      await page.screenshot({ path: join(shots, `${p.name}-${lang}.png`), fullPage: true });
      await page.close();
    });
  }
}

const staffPages = modules.flatMap((m) => m.staffPages ?? []);
// The two languages are walked at the same time, each in its own context: the walks only
// read, and together they keep both cores busy (the suite was most of CI's test time).
await Promise.all(
  ['da', 'en'].map(async (lang) => {
    const ctx = await context(lang);
    await walk(ctx, lang, pages);
    if (staffPages.length > 0) {
      await check(`logging in (${lang}) for the staff pages`, () => login(ctx));
      await walk(ctx, lang, staffPages);
    }
    await ctx.close();
  }),
);

const ctx = await context('da');

await check('the first Tab reaches the skip link, and it moves focus to the content', async () => {
  const { page } = await open(ctx, '/');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.textContent.trim());
  assert(focused === 'Gå til indhold', `focused: ${focused}`);
  await page.keyboard.press('Enter');
  // The fragment changes after the key press is handled: wait for it, do not race it.
  await page.waitForURL(/#indhold$/, { timeout: 5000 });
  const target = await page.evaluate(() => document.activeElement && document.activeElement.id);
  assert(target === 'indhold' || page.url().endsWith('#indhold'), `focus after the skip link: ${target}`);
  await page.close();
});

await check('searching with the keyboard filters the portfolio', async () => {
  const { page } = await open(ctx, '/');
  await page.getByLabel('Søg').fill('borger');
  await page.getByLabel('Søg').press('Enter');
  await page.waitForURL(/q=borger/);
  const names = await page.locator('tbody th a').allTextContents();
  assert(names.length === 1 && names[0] === 'OS2borgerPC', `rows: ${names.join(', ')}`);
  await page.close();
});

await check('the filters narrow the list and the CSV follows them', async () => {
  const { page } = await open(ctx, '/');
  await page.locator('select[name="stage"]').selectOption('koncept');
  await page.getByRole('button', { name: 'Vis' }).click();
  await page.waitForURL(/stage=koncept/);
  const names = await page.locator('tbody th a').allTextContents();
  assert(names.length === 1 && names[0] === 'OS2bankintegration', `rows: ${names.join(', ')}`);
  const href = await page.getByRole('link', { name: 'Hent som CSV' }).getAttribute('href');
  const csv = await page.request.get(base + href);
  assert(csv.status() === 200, `CSV: HTTP ${csv.status()}`);
  const lines = (await csv.text()).trim().split('\n');
  assert(lines.length === 2 && lines[1].startsWith('"os2bankintegration",'), lines.join(' | '));
  await page.close();
});

await check('the language switch changes the language and remembers it', async () => {
  const { page } = await open(ctx, '/produkter/os2mo');
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(/\/produkter\/os2mo$/);
  assert((await page.getAttribute('html', 'lang')) === 'en', 'not English after the switch');
  await page.getByRole('link', { name: 'Portfolio', exact: true }).click();
  assert((await page.locator('h1').textContent()) === 'The portfolio', 'the choice was not remembered');
  await page.getByRole('link', { name: 'Dansk' }).click();
  assert((await page.getAttribute('html', 'lang')) === 'da', 'not Danish after switching back');
  await page.close();
});

await check('from the portfolio to a product page and back', async () => {
  const { page } = await open(ctx, '/');
  await page.getByRole('link', { name: 'OS2mo', exact: true }).click();
  assert((await page.locator('h1').textContent()) === 'OS2mo', 'not on the product page');
  const roles = await page.locator('#deltagere ~ table td, section[aria-labelledby="deltagere"] td').allTextContents();
  assert(roles.includes('Initiativtager'), `participants: ${roles.slice(0, 8).join(', ')}`);
  await page.getByRole('link', { name: 'Porteføljen' }).first().click();
  assert((await page.locator('h1').textContent()) === 'Porteføljen', 'not back on the portfolio');
  await page.close();
});

await check('from a product to an organisation page, which is accessible', async () => {
  const { page } = await open(ctx, '/produkter/os2mo');
  await page.getByRole('link', { name: 'Aarhus Kommune' }).first().click();
  assert((await page.locator('h1').textContent()) === 'Aarhus Kommune', 'not on the organisation page');
  const products = await page.locator('section[aria-labelledby="produkter"] td a').allTextContents();
  assert(products.includes('OS2mo'), `products: ${products.join(', ')}`);
  const violations = await axe(page);
  assert(violations.length === 0, `axe-core violations:\n${violations.join('\n')}`);
  await page.screenshot({ path: join(shots, 'organisation-da.png'), fullPage: true });
  await page.close();
});

await check('logging in as the demo secretariat and out again', async () => {
  const password = process.env.NIVEAU_DEMO_PASSWORD;
  assert(password, 'NIVEAU_DEMO_PASSWORD is not set');
  const { page } = await open(ctx, '/beslutninger');
  await page.getByRole('link', { name: 'Log ind' }).click();
  await page.getByLabel('Brugernavn').fill('demo-sekretariat');
  await page.getByLabel('Adgangskode').fill('forkert adgangskode');
  await page.getByRole('button', { name: 'Log ind' }).click();
  const alert = await page.getByRole('alert').textContent();
  assert(alert.includes('Forkert brugernavn eller adgangskode'), `alert: ${alert}`);
  await page.getByLabel('Adgangskode').fill(password);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.waitForURL(/\/beslutninger$/);
  const who = await page.locator('header .who').textContent();
  assert(who === 'Demo-sekretariatet', `header: ${who}`);
  await page.screenshot({ path: join(shots, 'logged-in-da.png'), fullPage: false });
  const violations = await axe(page);
  assert(violations.length === 0, `axe-core violations when logged in:\n${violations.join('\n')}`);
  await page.getByRole('link', { name: 'Runder' }).click();
  assert((await page.locator('h1').textContent()) === 'Evalueringsrunder', 'not on the rounds page');
  const roundViolations = await axe(page);
  assert(roundViolations.length === 0, `axe-core violations on the rounds page:\n${roundViolations.join('\n')}`);
  await page.screenshot({ path: join(shots, 'rounds-da.png'), fullPage: true });
  await page.locator('header .who').click();
  assert((await page.locator('h1').textContent()) === 'Profil', 'not on the profile page');
  await page.getByLabel('Navn (hvad det bruges til)').fill('Browsertest');
  await page.getByRole('button', { name: 'Opret token' }).click();
  const secret = await page.locator('#nyt-token').textContent();
  assert(secret.startsWith('niveau_'), `no new token shown: ${secret}`);
  const profileViolations = await axe(page);
  assert(profileViolations.length === 0, `axe-core violations on the profile page:\n${profileViolations.join('\n')}`);
  await page.screenshot({ path: join(shots, 'profile-da.png'), fullPage: true });
  await page.getByRole('button', { name: 'Tilbagekald Browsertest' }).click();
  assert((await page.locator('#nyt-token').count()) === 0, 'the secret is shown again');
  await page.getByRole('button', { name: 'Log ud' }).click();
  await page.waitForURL(/\/$/);
  assert((await page.getByRole('link', { name: 'Log ind' }).count()) === 1, 'still logged in');
  await page.close();
});

for (const m of modules) {
  if (m.flows) {
    await m.flows({ browser, base, shots, join, check, assert, context, open, axe, login });
  }
  // Further flows of an area, kept in functions of their own (work.mjs: the editor).
  if (m.editorFlows) {
    await m.editorFlows({ browser, base, shots, join, check, assert, context, open, axe, login });
  }
}

await ctx.close();
await browser.close();
console.log(failed === 0 ? 'all browser checks passed' : `${failed} browser check(s) failed`);
process.exit(failed === 0 ? 0 : 1);
