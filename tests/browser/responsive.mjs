// Responsive check: open each page at 390 px wide (a phone) and report how wide
// the document is, which elements stick out of the screen outside a scrolling
// box, which are cut off inside one (a table to swipe), where the Gantt opens,
// and whether the sidebar is unfolded; the pages listed in SHOTS are also
// photographed (full page) at 390 and 1280 px into OUT_DIR. One JSON line per
// page and width; exit 0.
//   node responsive.mjs OUT_DIR NAME=URL,NAME=URL... URL...   (photos OUT_DIR/NAME-WIDTH.png)
import { launch } from './chromium.mjs';
import path from 'node:path';

const [outDir, shotList, ...urls] = process.argv.slice(2);
const shots = shotList.split(',').map((s) => [s.slice(0, s.indexOf('=')), s.slice(s.indexOf('=') + 1)]);
const { context, close } = await launch({ viewport: { width: 390, height: 844 } });

async function measure(page, url, width) {
  await page.setViewportSize({ width, height: 844 });
  await page.goto(url, { waitUntil: 'load' });
  const report = await page.evaluate((width) => {
    const scrolls = (el) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= width + 1) continue;
      let inside = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (scrolls(a)) { inside = true; break; }
      if (inside || getComputedStyle(el).position === 'fixed') continue;
      const parent = el.parentElement;
      if (parent && parent !== document.body && parent.getBoundingClientRect().right > width + 1) continue; // report the outermost
      const cls = typeof el.className === 'string' ? el.className : el.className.baseVal;
      culprits.push(`${el.tagName.toLowerCase()}${cls ? '.' + cls.trim().split(/\s+/).join('.') : ''} (${Math.round(r.right)} px)`);
    }
    // content past the screen's edge in a box the reader must swipe sideways (a table or chart cut off); the
    // Gantt's bars scroll by design, and a box that hides what overflows (a title cut with an ellipsis) is not one
    const cut = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= width + 1 || el.closest('.gantt-scroll')) continue;
      let box = el.parentElement;
      while (box && box !== document.body && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
      if (!box || box === document.body || !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) continue;
      const parent = el.parentElement;
      if (parent && parent !== box && parent.getBoundingClientRect().right > width + 1) continue; // the outermost
      const cls = typeof el.className === 'string' ? el.className : el.className.baseVal;
      cut.push(`${el.tagName.toLowerCase()}${cls ? '.' + cls.trim().split(/\s+/).join('.') : ''} (${Math.round(r.right)} px)`);
    }
    // the Gantt: scrolled so that today's line is on screen, a third of the way in
    const chart = document.querySelector('.gantt[data-today]');
    let gantt = null;
    if (chart) {
      const scroller = chart.querySelector('.gantt-scroll');
      const at = parseFloat(chart.dataset.today), w = scroller.clientWidth, left = scroller.scrollLeft;
      const bars = [...chart.querySelectorAll('.gantt-scroll .bar')].map((b) => b.getBBox()).map((b) => [b.x, b.x + b.width]);
      const crosses = (from, to) => bars.some(([a, b]) => b >= from && a <= to);
      gantt = { scrollLeft: Math.round(left), todayOnScreen: at - left >= 0 && at - left <= w,
                barOnScreen: crosses(left, left + w), todayHasBars: crosses(Math.max(0, at - w / 3), Math.max(0, at - w / 3) + w),
                scrollable: scroller.scrollWidth > w };
    }
    const box = document.querySelector('details.sidebar-box');
    return {
      scrollWidth: document.documentElement.scrollWidth,
      culprits: culprits.slice(0, 6),
      cut: cut.slice(0, 6),
      gantt,
      sidebarOpen: box ? box.open : false,
      sidebarHeight: box ? Math.round(box.getBoundingClientRect().height) : 0,
    };
  }, width);
  return { url, width, ...report };
}

try {
  const page = await context.newPage();
  for (const url of urls) console.log(JSON.stringify(await measure(page, url, 390)));
  for (const width of [390, 1280]) {
    for (const [name, url] of shots) {
      const report = await measure(page, url, width);
      await page.screenshot({ path: path.join(outDir, `${name}-${width}.png`), fullPage: true });
      if (width === 1280) console.log(JSON.stringify(report));
    }
  }
} finally {
  await close();
}
