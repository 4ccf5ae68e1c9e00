// The one way the browser checks start Chromium: Debian's binary, a fresh
// profile, and the flags that keep it quiet on a closed network (FACTS.md).
// `close()` ends the browser and removes the profile.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export async function launch(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pacsite-browser-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, ...options,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  async function close() {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  return { context, close };
}
