// Browser check of the built site from disk and over http: open each URL, record
// every request, and list every URL the page refers to (links, stylesheets,
// scripts, images, form actions). Prints one JSON line per URL; exit 0.
//   node crawl.mjs URL...
// For file:// pages any http(s) request is foreign; for http pages any request
// to another origin is.
import { launch } from './chromium.mjs';

const urls = process.argv.slice(2);
const { context, close } = await launch();
const local = (u) => u.startsWith('data:') || u.startsWith('blob:') || u.startsWith('about:');

async function visit(page, url) {
  const here = new URL(url);
  const report = { url, requests: 0, foreign: [], failed: [], bad_status: [], errors: [], links: [] };
  const onRequest = (r) => {
    const u = r.url();
    report.requests += 1;
    if (local(u)) return;
    const to = new URL(u);
    if (here.protocol === 'file:' ? to.protocol !== 'file:' : to.origin !== here.origin) report.foreign.push(u);
  };
  const onFailed = (r) => {
    // a navigation replaced by the next one is not a failure of the site
    if (!local(r.url())) report.failed.push(`${r.url()} (${r.failure() && r.failure().errorText})`);
  };
  const onResponse = (r) => {
    // the 404 page itself, and its HEAD probes for the site's root (deepest folder first), answer 404
    const expected = (r.url() === url && (url.endsWith('404.html') || url.includes('/nowhere/')))
      || (r.request().method() === 'HEAD' && r.url().endsWith('/assets/pacsite.js'));
    if (r.status() >= 400 && !expected) report.bad_status.push([r.url(), r.status()]);
  };
  const onError = (e) => report.errors.push(String(e));
  page.on('request', onRequest);
  page.on('requestfailed', onFailed);
  page.on('response', onResponse);
  page.on('pageerror', onError);
  try {
    await page.goto(url, { waitUntil: 'load' });
    if (url.includes('?q=')) {
      await page.waitForSelector('.search-status', { timeout: 15000 });
      await page.waitForTimeout(300);
    }
    report.links = await page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll('[href], [src], [srcset], form[action], [poster]')) {
        if (el.matches('link[rel=canonical]')) continue;
        for (const attr of ['href', 'src', 'action', 'poster']) {
          const v = el.getAttribute(attr);
          if (v !== null && !(attr === 'href' && v.startsWith('#'))) out.push(new URL(v, document.baseURI).href);
        }
        const set = el.getAttribute('srcset');
        if (set) for (const part of set.split(',')) if (part.trim()) out.push(new URL(part.trim().split(/\s+/)[0], document.baseURI).href);
      }
      return out.map((u) => u.split('#')[0].split('?')[0]);
    });
    report.links = [...new Set(report.links)];
  } catch (error) {
    report.error = String(error);
  } finally {
    page.off('request', onRequest);
    page.off('requestfailed', onFailed);
    page.off('response', onResponse);
    page.off('pageerror', onError);
  }
  return report;
}

try {
  const page = await context.newPage();
  for (const url of urls) console.log(JSON.stringify(await visit(page, url)));
} finally {
  await close();
}
