// Browser check of search: open the search page with a query, wait for results,
// follow the expected one. Over http the Pagefind index answers; from disk
// (file://) the compact index does. Prints one JSON line per URL; exit 0.
//   node search.mjs QUERY EXPECTED_PATH SEARCH_PAGE_URL...
import { launch } from './chromium.mjs';

const [query, expected, ...urls] = process.argv.slice(2);
const { context, close } = await launch();
try {
  for (const url of urls) {
    const page = await context.newPage();
    const origin = new URL(url).origin;
    const foreign = [];
    const errors = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.protocol !== 'data:' && u.protocol !== 'blob:' && u.origin !== origin) foreign.push(r.url());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    const report = { url, results: [], followed: null, foreign, errors };
    try {
      await page.goto(url + '?q=' + encodeURIComponent(query));
      await page.waitForSelector('.search-list a, .search-status', { timeout: 15000 });
      await page.waitForFunction(() => !!document.querySelector('.search-status'), null, { timeout: 15000 });
      report.status = await page.$eval('.search-status', (e) => e.textContent);
      report.results = await page.$$eval('.search-list li', (items) => items.map((li) => ({
        href: li.querySelector('a').href, title: li.querySelector('a').textContent,
        family: (li.querySelector('.search-family') || { textContent: '' }).textContent,
        excerpt: li.querySelector('p').textContent,
      })));
      const hit = report.results.find((r) => r.href.includes(expected));
      if (hit) {
        const response = await page.goto(hit.href);
        report.followed = { ok: response === null || response.ok(), h1: await page.$eval('h1', (e) => e.textContent) };
      }
    } catch (error) {
      report.error = String(error);
    }
    console.log(JSON.stringify(report));
    await page.close();
  }
} finally {
  await close();
}
