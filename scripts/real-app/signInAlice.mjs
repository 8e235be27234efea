#!/usr/bin/env node
// Serves a built Backstage app (packages/app/dist) on APP_ORIGIN and signs Alice in through
// the example backend and its emulator in headless Chromium: sign-in page -> SpectroCloud
// popup -> Alice; then reload (no second sign-in) and read her profile on /settings; then wait
// for the session-end warning (the example's ID tokens live 330 s, the warning comes 300 s ahead)
// and renew in place: the page stays, the warning goes.
import http from 'node:http';
import { join } from 'node:path';
import express from 'express';
import { chromium } from 'playwright-core';

const [dist] = process.argv.slice(2);
const origin = new URL(process.env.APP_ORIGIN ?? 'http://localhost:3000');
const step = message => console.log(`real-app: ${message}`);

const app = express();
app.use(express.static(dist, { index: false }));
app.get('*', (_req, res) => res.sendFile(join(dist, 'index.html'))); // the app's own routes
const server = http.createServer(app);
await new Promise(resolve => server.listen(Number(origin.port), '127.0.0.1', resolve));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let failed = false;
try {
  const context = await browser.newContext();
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const appErrors = [];
  page.on('pageerror', error => appErrors.push(error.message));

  await page.goto(origin.href);
  await page.getByText('Sign in using SpectroCloud').waitFor();
  step('the sign-in page lists SpectroCloud');
  const popupEvent = page.waitForEvent('popup');
  await page.locator('li', { hasText: 'Sign in using SpectroCloud' }).getByRole('button', { name: /sign in/i }).click();
  const popup = await popupEvent;
  await popup.locator('button[data-email="alice@example.com"]').click();
  await popup.waitForEvent('close');
  await page.getByText('Sign in using SpectroCloud').waitFor({ state: 'detached' });
  step('signed in as Alice through the SpectroCloud popup');

  let popupsAfterReload = 0;
  context.on('page', () => (popupsAfterReload += 1));
  await page.reload();
  await page.waitForLoadState('networkidle');
  await page.goto(new URL('/settings', origin).href);
  await page.getByText('alice@example.com').first().waitFor();
  await page.getByText('Alice Example').first().waitFor();
  if (popupsAfterReload > 0) throw new Error('the reload opened a sign-in popup');
  if (await page.getByText('Sign in using SpectroCloud').count()) throw new Error('the reload showed the sign-in page again');
  step('after a reload, /settings shows her profile (Alice Example, alice@example.com) without a new sign-in');
  const warning = page.getByRole('alert').filter({ hasText: 'Your SpectroCloud session ends at' });
  await warning.waitFor({ timeout: 120_000 });
  step('the session-end warning shows (role=alert), 5 minutes ahead of the end');
  await page.evaluate(() => (window.keptPage = true));
  const renewPopup = page.waitForEvent('popup');
  await warning.getByRole('button', { name: 'Renew now' }).click();
  const popupAgain = await renewPopup;
  // The emulator remembers Alice (its SSO session): the popup may finish on its own.
  await Promise.race([
    popupAgain.waitForEvent('close'),
    popupAgain.locator('button[data-email="alice@example.com"]').click().then(() => popupAgain.waitForEvent('close')),
  ]).catch(error => {
    if (!popupAgain.isClosed()) throw error;
  });
  await warning.waitFor({ state: 'detached' });
  if (!(await page.evaluate(() => window.keptPage === true))) throw new Error('the renewal reloaded the page');
  step('Renew now renewed the session in place: the warning went, the page was not reloaded');
  if (appErrors.length) step(`page errors seen (not failing): ${appErrors.slice(0, 3).join(' | ')}`);
} catch (error) {
  failed = true;
  console.error(`real-app: FAILED: ${error.message}`);
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}
process.exit(failed ? 1 : 0);
