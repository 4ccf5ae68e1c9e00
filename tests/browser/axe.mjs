// Accessibility check of built pages: open each URL in Chromium, inject axe-core
// and run the WCAG 2.1 A and AA rules, once in the light colour scheme and once in
// the dark one (the theme follows prefers-color-scheme). Prints one JSON line per
// URL and scheme: {url, scheme, violations: [{id, impact, help, nodes: [[target, html]]}]},
// or {url, scheme, error} when the page could not be checked. Exit 0: pytest decides.
//   node axe.mjs URL...
import { launch } from './chromium.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const axeSource = fs.readFileSync(path.join(here, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SCHEMES = ['light', 'dark'];

const urls = process.argv.slice(2);
const { context, close } = await launch();
try {
  const page = await context.newPage();
  for (const url of urls) {
    for (const scheme of SCHEMES) {
      const report = { url, scheme, violations: [] };
      try {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(url, { waitUntil: 'load' });
        if (url.includes('?q=')) { // the search results are drawn
          await page.waitForSelector('.search-status', { timeout: 10000 }).catch(() => {});
          await page.waitForTimeout(300);
        }
        await page.evaluate(axeSource);
        const results = await page.evaluate(
          (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
          TAGS,
        );
        report.violations = results.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map((n) => [n.target.join(' '), n.html.slice(0, 300), n.failureSummary || '']),
        }));
      } catch (error) {
        report.error = String(error);
      }
      console.log(JSON.stringify(report));
    }
  }
} finally {
  await close();
}
process.exit(0);
