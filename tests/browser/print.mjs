// Print check: print each page to PDF the way Chromium's print dialog does (the
// stylesheet's @page sizes), then, with the print stylesheet applied at the width
// of the printed page, report what is still shown and what is wider than the page.
// Prints one JSON line per page; exit 0.
//   node print.mjs OUT_DIR NAME:ORIENTATION=URL...   (writes OUT_DIR/NAME.pdf;
//   ORIENTATION, portrait or landscape, is the A4 page the stylesheet should ask for)
import { launch } from './chromium.mjs';
import path from 'node:path';

const [outDir, ...jobs] = process.argv.slice(2);
const { context, close } = await launch();
const HIDDEN = ['.skip', '.site-header .main-nav', '.site-search', '.sidebar', '.toc', '.prevnext', '.crumbs'];
const MM = 96 / 25.4;
try {
  const page = await context.newPage();
  for (const job of jobs) {
    const [name, orientation] = job.slice(0, job.indexOf('=')).split(':');
    const url = job.slice(job.indexOf('=') + 1);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ media: null });
    await page.goto(url, { waitUntil: 'load' });
    await page.pdf({ path: path.join(outDir, `${name}.pdf`), preferCSSPageSize: true });
    await page.emulateMedia({ media: 'print' });
    // lay the page out at the width of the printed page (A4, 12 mm margins)
    const width = Math.floor(((orientation === 'landscape' ? 297 : 210) - 24) * MM);
    await page.setViewportSize({ width, height: 900 });
    const report = await page.evaluate(([hidden, width]) => {
      const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
      const out = { hidden: {}, tables: [], overflow: [], pageName: getComputedStyle(document.body).page, width };
      for (const sel of hidden) out.hidden[sel] = [...document.querySelectorAll(sel)].every((el) => !shown(el));
      const style = (t) => ({
        class: t.className,
        thead: t.tHead ? getComputedStyle(t.tHead).display : null,
        tr: t.tBodies[0] && t.tBodies[0].rows[0] ? getComputedStyle(t.tBodies[0].rows[0]).breakInside : null,
      });
      out.tables = [...document.querySelectorAll('main table')].map(style);
      const plan = document.querySelector('.plan-table');
      out.table = plan ? style(plan) : null;
      for (const el of document.querySelectorAll('main *')) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 1 && shown(el) && !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1)) {
          out.overflow.push(`${el.tagName.toLowerCase()}.${el.className && el.className.baseVal !== undefined ? el.className.baseVal : el.className} (${Math.round(r.right)} px)`);
        }
      }
      out.overflow = out.overflow.slice(0, 5);
      // the Gantt: each block kept whole on a page, and the size its phase titles print at (pt)
      // (a block: a family's titles and bars side by side; the titles are HTML text, the bars never scaled)
      out.gantt = [...document.querySelectorAll('.gantt-family')].map((block) => {
        const label = block.querySelector('.gantt-titles .g-row');
        const bars = block.querySelector('svg.gantt-bars');
        return {
          breakInside: getComputedStyle(block).breakInside,
          labelPt: label ? Math.round(parseFloat(getComputedStyle(label).fontSize) * 0.75 * 10) / 10 : null,
          barsScale: bars ? Math.round(bars.getBoundingClientRect().width / bars.viewBox.baseVal.width * 100) / 100 : null,
          cut: bars ? bars.getBoundingClientRect().right > width + 1 : false,
        };
      });
      out.scrollWidth = document.documentElement.scrollWidth;
      return out;
    }, [HIDDEN, width]);
    console.log(JSON.stringify({ name, url, orientation, ...report }));
  }
} finally {
  await close();
}
