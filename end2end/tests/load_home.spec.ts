import { test, expect, ConsoleWatch, openApp } from './fixtures/app';

test('the home page loads in Chinese by default, with its lists and no console errors', async ({ page }) => {
  const console = new ConsoleWatch(page);
  await openApp(page, '/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page).toHaveTitle('首页 - 成都市网络理政平台');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('您的诉求，我们来办');
  await expect(page.getByRole('link', { name: '提交诉求' }).first()).toBeVisible();
  const announcements = page.locator('section[aria-labelledby=home-announcements] .c-card');
  await expect(announcements).toHaveCount(5);
  const replies = page.locator('section[aria-labelledby=home-replies] .c-card');
  await expect(replies.first()).toBeVisible();
  await expect(page.getByRole('contentinfo')).toContainText('12345');
  expect(console.errors).toEqual([]);
});

test('the home page loads in English from ?lang=en, with no console errors', async ({ page }) => {
  const console = new ConsoleWatch(page);
  await openApp(page, '/?lang=en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page).toHaveTitle('Home - Chengdu Citizen Service Platform');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tell the city, and see it act');
  await expect(page.getByRole('heading', { name: 'Latest announcements' })).toBeVisible();
  await expect(page.locator('section[aria-labelledby=home-replies] .c-card').first()).toBeVisible();
  expect(console.errors).toEqual([]);
});

test('a failed list offers a retry that loads it', async ({ page }) => {
  let fail = true;
  await page.route('**/api/v1/announcements?*', (route) => (fail ? route.abort() : route.continue()));
  await openApp(page, '/');
  const section = page.locator('section[aria-labelledby=home-announcements]');
  await expect(section.getByRole('alert')).toBeVisible();
  fail = false;
  await section.getByRole('button', { name: '重试' }).click();
  await expect(section.locator('.c-card')).toHaveCount(5);
});

test.describe('with a browser set to English', () => {
  test.use({ locale: 'en-GB' });

  test('the app follows the browser language when nothing else says', async ({ page }) => {
    await openApp(page, '/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tell the city, and see it act');
  });
});

test('a browser without WebAssembly reference types gets the plain page with the hotline', async ({ page }) => {
  // Simulate an old engine (X5, early XWeb): the feature probe in boot.js fails.
  await page.addInitScript(() => {
    WebAssembly.validate = () => false;
  });
  await page.goto('/');
  const fallback = page.locator('#boot-unsupported');
  await expect(fallback).toBeVisible();
  await expect(fallback).toContainText('请将微信或浏览器更新到最新版本');
  await expect(fallback).toContainText('Please update WeChat or your browser');
  await expect(fallback.getByRole('link', { name: '12345' }).first()).toHaveAttribute('href', 'tel:12345');
  await expect(page.locator('#boot-loading')).toBeHidden();
  await expect(page.locator('.c-nav')).toHaveCount(0);
});

for (const [engine, disable] of [
  ['without WebAssembly at all', () => { delete (window as { WebAssembly?: unknown }).WebAssembly; }],
  ['without reference types', () => { WebAssembly.validate = () => false; }],
] as const) {
  test(`a browser ${engine} downloads no wasm and throws nothing`, async ({ page }) => {
    await page.addInitScript(disable);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const wasm: string[] = [];
    page.on('request', (request) => {
      if (/\.wasm(\?|$)/.test(request.url()) || /\/civic-[0-9a-f]+\.js$/.test(request.url())) wasm.push(request.url());
      // Nor the data of a page it cannot show.
      if (request.url().includes('/api/')) wasm.push(request.url());
    });
    await page.goto('/cases');
    await expect(page.locator('#boot-unsupported')).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(wasm).toEqual([]);
    expect(errors).toEqual([]);
  });
}

test('a browser that runs the app still fetches its module and wasm at once', async ({ page }) => {
  const started: string[] = [];
  page.on('request', (request) => started.push(new URL(request.url()).pathname));
  await openApp(page, '/');
  const preloaded = await page.locator('link[rel=modulepreload]').evaluateAll((links) =>
    links.map((l) => (l as HTMLLinkElement).href));
  expect(preloaded.some((href) => /\/civic-[0-9a-f]+\.js$/.test(href))).toBeTruthy();
  // The page's own script starts the wasm (not a preload, which WebKit would not hand to
  // the app, downloading it twice): before the app's module has even asked for its loader.
  const wasm = started.findIndex((path) => /^\/civic-[0-9a-f]+_bg\.wasm$/.test(path));
  const loader = started.findIndex((path) => /^\/__wasm_split-[0-9a-f]+\.js$/.test(path));
  expect(wasm).toBeGreaterThanOrEqual(0);
  expect(wasm).toBeLessThan(loader);
  // One download of the main wasm: what the page started is what the app takes.
  expect(started.filter((path) => /civic-[0-9a-f]+_bg\.wasm$/.test(path))).toHaveLength(1);
});

for (const path of ['/', '/file', '/cases']) {
  test(`${path}: the first paint waits on no stylesheet file, and the page's policy allows its inline one`, async ({ page }) => {
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    const files: string[] = [];
    page.on('request', (request) => files.push(new URL(request.url()).pathname));
    const console = new ConsoleWatch(page);
    await openApp(page, path);
    expect(files.filter((file) => file.endsWith('.css'))).toEqual([]);
    // The stylesheet applied: its tokens are defined and the skeleton is gone.
    const primary = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--civic-color-primary').trim());
    expect(primary).not.toEqual('');
    await expect(page.locator('#boot')).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    expect(console.errors).toEqual([]);
  });
}
