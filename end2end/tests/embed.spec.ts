import type { FrameLocator, Page } from '@playwright/test';
import { test, expect, openApp } from './fixtures/app';

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

/** The iframe's height, and the height of the page inside it. */
async function heights(page: Page, id: string): Promise<[number, number]> {
  const frameHeight = await page.locator(`#${id} iframe`).evaluate((f) => f.getBoundingClientRect().height);
  const frame = page.frame({ url: (u) => u.searchParams.get('embed') === '1' && frameOf(u, id) })!;
  const content = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  return [frameHeight, content];
}

function frameOf(url: URL, id: string): boolean {
  if (id === 'embed-file') return url.pathname.startsWith('/file');
  if (id === 'embed-announcements') return url.pathname.startsWith('/announcements');
  return url.searchParams.get('lang') === 'en';
}

async function expectFitted(page: Page, id: string) {
  // As a reader would: browsers may pause work in frames far out of view.
  await page.locator(`#${id} iframe`).scrollIntoViewIfNeeded();
  await expect
    .poll(async () => {
      const [frame, content] = await heights(page, id);
      return Math.abs(frame - content);
    })
    .toBeLessThanOrEqual(1);
}

test('three embeds size themselves to their content and drop the app header', async ({ page, baseURL }) => {
  await openPortal(page, baseURL!);
  for (const id of ['embed-file', 'embed-announcements', 'embed-home']) {
    await expectFitted(page, id);
    const frame = page.frameLocator(`#${id} iframe`);
    await expect(frame.locator('.c-header')).toBeHidden();
    await expect(frame.locator('.c-footer')).toBeHidden();
    // Nothing inside the frame is cut off at the side, however narrow the portal's column.
    const overflow = await frame
      .locator('html')
      .evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow, id).toBeLessThanOrEqual(0);
  }
  // The English embed keeps its language; the themed one its colour.
  await expect(page.frameLocator('#embed-home iframe').locator('main#main h1')).toHaveText(/Tell the city/);
  const primary = await page
    .frameLocator('#embed-announcements iframe')
    .locator('html')
    .evaluate((el) => getComputedStyle(el).getPropertyValue('--civic-color-primary').trim());
  expect(primary).toBe('#a61b1b');
  const scale = await page
    .frameLocator('#embed-home iframe')
    .locator('html')
    .evaluate((el) => getComputedStyle(el).fontSize);
  expect(scale).toBe('20px');

  // The form is taller than the start page: the frame grows with it.
  const [before] = await heights(page, 'embed-file');
  // By the keyboard: a tap's position can go stale while the portal lays out its frames.
  await page.frameLocator('#embed-file iframe').getByRole('button', { name: '开始填写' }).press('Enter');
  await expect(page.frameLocator('#embed-file iframe').getByLabel('标题')).toBeVisible();
  await expectFitted(page, 'embed-file');
  const [after] = await heights(page, 'embed-file');
  expect(after).toBeGreaterThan(before);
});

test('a height message from any other origin is ignored', async ({ page, baseURL }) => {
  await openPortal(page, baseURL!);
  await expectFitted(page, 'embed-home');
  // The portal's own origin is not the app's: embed.js must not believe it.
  await page.evaluate(() => window.postMessage({ type: 'civic:height', height: 4321 }, '*'));
  await page.waitForTimeout(300);
  for (const id of ['embed-file', 'embed-announcements', 'embed-home']) {
    const height = await page.locator(`#${id} iframe`).evaluate((f) => f.getBoundingClientRect().height);
    expect(height).not.toBe(4321);
  }
});

test('a case is filed inside the frame, even where the browser blocks its storage', async ({ page, baseURL }) => {
  await openPortal(page, baseURL!);
  const frame: FrameLocator = page.frameLocator('#embed-file iframe');
  // This browser context blocks third-party storage: the page says a draft will not be kept.
  await expect(frame.getByText('当前浏览器不允许本页面保存填写内容')).toBeVisible();
  await frame.getByRole('button', { name: '开始填写' }).press('Enter');
  // The form comes in its own chunk: the frame grows to it before anything in it is tapped.
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText('填写诉求');
  await expectFitted(page, 'embed-file');
  await fillCase(frame, '门户嵌入测试噪音');
  await frame.getByRole('button', { name: '继续' }).click();
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText('请核对您的诉求');
  await expectFitted(page, 'embed-file');
  await frame.getByRole('button', { name: '提交诉求' }).click();
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText('诉求已提交');
  await expect(frame.locator('.c-confirmation__number')).toHaveText(/^\d{8}-\d{4,6}$/);
  await expectFitted(page, 'embed-file');
});

async function fillCase(frame: FrameLocator, title: string) {
  await frame.getByLabel('投诉').check();
  await frame.getByLabel('诉求类别').selectOption('environment.noise');
  await frame.getByLabel('所在区域').selectOption('wuhou');
  await frame.getByLabel('具体地点').fill('人民南路四段12号');
  await frame.getByLabel('标题').fill(title);
  await frame.getByLabel('具体情况').fill('每晚十一点以后工地仍在施工，噪音很大，影响休息。');
  await frame.getByLabel('您的姓名').fill('王小明');
  await frame.getByLabel('手机号码').fill('13912345678');
  await frame.getByLabel('我已阅读并同意隐私声明').check();
}

test('embedding parameters survive navigation inside the frame', async ({ page, baseURL }) => {
  await openPortal(page, baseURL!);
  const frame = page.frameLocator('#embed-announcements iframe');
  await frame.locator('main a[href^="/announcements/"]').first().click();
  await expect(frame.locator('main#main h1')).not.toHaveText('通知公告');
  const url = page.frames().map((f) => new URL(f.url())).find((u) => /^\/announcements\/\d+$/.test(u.pathname))!;
  expect(url.searchParams.get('embed')).toBe('1');
  expect(url.searchParams.get('color')).toBe('#a61b1b');
  await expect(frame.locator('.c-header')).toBeHidden();
});

test('theme parameters are validated: bad or low-contrast values are ignored', async ({ page }) => {
  for (const query of ['color=%23ffff00', 'color=red', 'color=%23000000%3Bbackground%3Aurl(x)', 'font_scale=3', 'font_scale=1e1']) {
    await openApp(page, `/?embed=1&${query}`);
    const [primary, size] = await page.locator('html').evaluate((el) => [
      getComputedStyle(el).getPropertyValue('--civic-color-primary').trim(),
      getComputedStyle(el).fontSize,
    ]);
    expect(primary, query).toBe('#0b5cad');
    expect(size, query).toBe('16px');
  }
  await openApp(page, '/?embed=1&color=%23003366&font_scale=1.5');
  const [primary, size] = await page.locator('html').evaluate((el) => [
    getComputedStyle(el).getPropertyValue('--civic-color-primary').trim(),
    getComputedStyle(el).fontSize,
  ]);
  expect(primary).toBe('#003366');
  expect(size).toBe('24px');
});
