// The plan table in Chromium at 1280 px: do the column names and the family's row stay in sight when the
// page scrolls, do the filters show the right rows, does sorting keep each family together? One JSON line.
//   node plan.mjs URL
import { launch } from './chromium.mjs';

const [url] = process.argv.slice(2);
const { context, close } = await launch({ viewport: { width: 1280, height: 900 } });
try {
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  const report = {};
  // scroll to the middle of the largest family but the first: the header at the top, its family's row under it
  report.sticky = await page.evaluate(async () => {
    const bodies = [...document.querySelectorAll('table.plan-table tbody')].slice(1);
    const body = bodies.reduce((a, b) => (b.rows.length > a.rows.length ? b : a));
    const rows = body.querySelectorAll('tr[data-status]');
    const row = rows[Math.floor(rows.length / 2)];
    window.scrollTo(0, row.getBoundingClientRect().top + window.scrollY - 300);
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const head = document.querySelector('table.plan-table thead th:not(.c-family)').getBoundingClientRect();
    const family = body.querySelector('tr.family-head th').getBoundingClientRect();
    return { scrolled: Math.round(window.scrollY), headTop: Math.round(head.top), headBottom: Math.round(head.bottom),
             familyTop: Math.round(family.top), familyText: body.querySelector('tr.family-head a').textContent,
             expected: body.dataset.family };
  });
  const visible = () => page.evaluate(() => [...document.querySelectorAll('table.plan-table tbody tr[data-status]')]
    .filter((r) => r.offsetParent !== null)
    .map((r) => ({ family: r.parentElement.dataset.family, status: r.dataset.status, owner: r.dataset.owner,
                   late: r.hasAttribute('data-late') })));
  report.formShown = await page.evaluate(() => !document.querySelector('form[data-plan-filters]').hidden);
  report.all = await visible();
  await page.selectOption('form[data-plan-filters] select[name=status]', 'done');
  report.done = await visible();
  report.output = await page.evaluate(() => document.querySelector('form[data-plan-filters] output').textContent);
  await page.selectOption('form[data-plan-filters] select[name=status]', '');
  await page.check('form[data-plan-filters] input[name=late]');
  report.late = await visible();
  await page.uncheck('form[data-plan-filters] input[name=late]');
  const family = await page.evaluate(() => document.querySelectorAll('table.plan-table tbody')[2].dataset.family);
  await page.selectOption('form[data-plan-filters] select[name=family]', family);
  report.family = { slug: family, rows: await visible() };
  await page.selectOption('form[data-plan-filters] select[name=family]', '');
  const owner = await page.evaluate(() => document.querySelector('form[data-plan-filters] select[name=owner] option:nth-child(2)').value);
  await page.selectOption('form[data-plan-filters] select[name=owner]', owner);
  report.owner = { name: owner, rows: await visible() };
  await page.selectOption('form[data-plan-filters] select[name=owner]', '');
  // sorting by budget: within each family, the family's row staying over its phases
  await page.click('table.plan-table thead th.c-budget');
  report.sorted = await page.evaluate(() => [...document.querySelectorAll('table.plan-table tbody')].map((body) => ({
    headFirst: body.rows[0].classList.contains('family-head'),
    budgets: [...body.querySelectorAll('tr[data-status]')].map((tr) => parseFloat(tr.cells[3].dataset.sort)),
  })));
  console.log(JSON.stringify(report));
} finally {
  await close();
}
