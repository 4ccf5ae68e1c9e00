// Browser check of the live preview: open a served page, save the file the way
// editors do, and wait for the page to reload by itself with the new text; then
// break the file and wait for the error overlay. A second tab, on a page the
// text edit does not change, must not reload. Exit 0 on success.
//   node reload.mjs URL FILE OLD_TEXT NEW_TEXT OTHER_URL
import { launch } from './chromium.mjs';
import fs from 'node:fs';

const [url, file, oldText, newText, otherUrl] = process.argv.slice(2);
const { context, close } = await launch();
function save(text) {
  fs.writeFileSync(file + '.tmp~', text);
  fs.renameSync(file + '.tmp~', file);
}
let code = 1;
try {
  const page = await context.newPage();
  await page.goto(url);
  if (!(await page.content()).includes(oldText)) throw new Error(`the page does not show ${oldText}`);
  const other = await context.newPage();
  await other.goto(otherUrl);
  await other.evaluate(() => { window.pacsiteNotReloaded = true; });
  const original = fs.readFileSync(file, 'utf8');
  await page.waitForTimeout(300); // the reload channels are open
  save(original.replace(oldText, newText));
  await page.waitForFunction((t) => document.body.innerText.includes(t), newText, { timeout: 15000 });
  await page.waitForTimeout(1000); // the whole build is done
  if (!(await other.evaluate(() => window.pacsiteNotReloaded === true))) {
    throw new Error('a page the edit did not change was reloaded');
  }
  save(original.replace(oldText, newText).replace('---\n', '---\nbudjet: 1\n'));
  await page.waitForSelector('div[role=alert]', { timeout: 15000 });
  save(original);
  await page.waitForFunction((t) => document.body.innerText.includes(t), oldText, { timeout: 15000 });
  if (await page.$('div[role=alert]')) throw new Error('the error overlay stayed after the fix');
  code = 0;
} catch (error) {
  console.error(String(error));
} finally {
  await close();
}
process.exit(code);
