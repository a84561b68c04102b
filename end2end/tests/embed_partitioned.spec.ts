import type { Page } from '@playwright/test';
import { test, expect, openApp } from './fixtures/app';

// Chromium with third-party cookies allowed: a cross-site frame gets its own storage, keyed
// by the portal's site (storage partitioning), as most phone browsers do. (The other embed
// tests run where third-party storage is blocked outright.)
test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-features=TrackingProtection3pcd,ThirdPartyCookieDeprecation,TpcdMetadataGrants',
    ],
  },
});

/** The example portal (deploy/portal-example), served from a site of its own (localhost) by
 * end2end/portal-server.mjs, never by the app's server (127.0.0.1). */
async function openPortal(page: Page, baseURL: string) {
  const app = new URL(baseURL);
  const portal = `http://localhost:${process.env.CIVIC_E2E_PORTAL_PORT ?? '18098'}/portal.html?app=${encodeURIComponent(app.origin)}`;
  await page.goto(portal);
  for (const id of ['embed-file', 'embed-announcements', 'embed-home']) {
    await expect(page.locator(`#${id} iframe`)).toHaveCount(1);
    await expect(page.frameLocator(`#${id} iframe`).locator('main#main h1')).toBeVisible();
  }
}

test('a draft written inside the frame survives a reload of the portal, and stays in the portal\'s partition', async ({ page, context, baseURL }) => {
  await openPortal(page, baseURL!);
  const frame = page.frameLocator('#embed-file iframe');
  await expect(frame.getByText('当前浏览器不允许本页面保存填写内容')).toHaveCount(0);
  await frame.getByRole('button', { name: '开始填写' }).click();
  await frame.getByLabel('标题').fill('门户里写了一半的诉求');
  await page.reload();
  const again = page.frameLocator('#embed-file iframe');
  await expect(again.getByLabel('标题')).toHaveValue('门户里写了一半的诉求');
  // The app opened on its own (first-party) has its own storage: the portal's draft is not there.
  const own = await context.newPage();
  await openApp(own, '/file');
  expect(await own.evaluate(() => localStorage.getItem('civic.draft') ?? '')).not.toContain('门户里写了一半的诉求');
});
