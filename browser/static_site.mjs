// SPDX-License-Identifier: MPL-2.0
// Browser checks of the static site (#16, `niveau publish`): the demo portfolio published
// to a directory and served by a plain static file server under a sub-path
// (NIVEAU_STATIC_URL, e.g. http://127.0.0.1:PORT/niveau-site/), as GitHub Pages serves a
// project site. Every page reachable from the portfolio is opened; every link and image
// must answer 200 below the sub-path, and every HTML page must be axe-core clean, in
// Danish and English.

/** Public pages of this area on the live server: none (the static site is its own). */
export const pages = [];

/** The flows; `tools` holds check, assert, context, axe, shots, join. */
export async function flows({ check, assert, context, axe, shots, join }) {
  const root = process.env.NIVEAU_STATIC_URL;
  await check('the static site is served for the walk (NIVEAU_STATIC_URL)', async () => {
    assert(root && root.endsWith('/'), 'NIVEAU_STATIC_URL is not set (browser.rs sets it)');
  });
  if (!root) return;
  const prefix = new URL(root).pathname;
  const ctx = await context('da');

  await check('the static site: every page and link resolves under the sub-path, axe-core clean', async () => {
    const queue = [new URL('index.html', root).href];
    const seen = new Set(queue);
    const problems = [];
    let htmlPages = 0;
    let links = 0;
    const page = await ctx.newPage();
    while (queue.length > 0) {
      const url = queue.shift();
      if (!new URL(url).pathname.endsWith('.html')) {
        // Downloads, badges, the style sheet: fetched, not opened (a download would
        // abort the navigation).
        const file = await ctx.request.get(url);
        if (file.status() !== 200) problems.push(`${url}: HTTP ${file.status()}`);
        continue;
      }
      const response = await page.goto(url, { waitUntil: 'load' });
      if (!response || response.status() !== 200) {
        problems.push(`${url}: HTTP ${response ? response.status() : 'none'}`);
        continue;
      }
      const type = response.headers()['content-type'] || '';
      if (!type.includes('text/html')) continue;
      htmlPages += 1;
      const violations = await axe(page);
      if (violations.length > 0) problems.push(`${url}: axe-core:\n${violations.join('\n')}`);
      const found = await page.evaluate(() => [
        ...[...document.querySelectorAll('a[href], link[href]')].map((a) => a.getAttribute('href')),
        ...[...document.querySelectorAll('img[src], script[src]')].map((i) => i.getAttribute('src')),
      ]);
      for (const raw of found) {
        if (raw.startsWith('#') || /^(https?:|mailto:)/.test(raw)) continue;
        links += 1;
        if (raw.startsWith('/')) {
          problems.push(`${url}: absolute link ${raw}`);
          continue;
        }
        const target = new URL(raw, url);
        target.hash = '';
        if (!target.pathname.startsWith(prefix)) {
          problems.push(`${url}: ${raw} leaves the sub-path`);
          continue;
        }
        if (!seen.has(target.href)) {
          seen.add(target.href);
          queue.push(target.href);
        }
      }
    }
    await page.close();
    assert(problems.length === 0, problems.slice(0, 20).join('\n'));
    assert(htmlPages >= 30, `only ${htmlPages} pages reached`);
    assert(seen.has(new URL('en/index.html', root).href), 'the English portfolio is not linked');
    assert(
      [...seen].some((u) => /\/evalueringer\/os2faktor\/\d+-\d+\/evaluering\.md$/.test(u)),
      'the evaluation download is not linked',
    );
    console.log(`    static site: ${htmlPages} pages, ${seen.size} files, ${links} links`);
  });

  await check('the static site: the language switch and the permanent evaluation page', async () => {
    const page = await ctx.newPage();
    await page.goto(new URL('produkter/os2faktor/index.html', root).href, { waitUntil: 'load' });
    assert((await page.getByRole('link', { name: 'Log ind' }).count()) === 0, 'a log-in link on a static page');
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/\/en\/produkter\/os2faktor\/index\.html$/);
    assert((await page.locator('html').getAttribute('lang')) === 'en', 'not the English page');
    await page.goto(new URL('evalueringer/os2faktor/seneste/index.html', root).href);
    await page.waitForURL(/\/evalueringer\/os2faktor\/\d+-\d+\/index\.html$/);
    assert((await page.locator('h1').textContent()).startsWith('OS2faktor: evaluering'), 'not the evaluation page');
    await page.screenshot({ path: join(shots, 'static-evaluation-da.png'), fullPage: true });
    await page.close();
  });
  await ctx.close();
}
