import AxeBuilder from '@axe-core/playwright';
import { test, expect, openApp, publishedCaseNumber, ROUTES, brokenWords } from './fixtures/app';

async function expectNoViolations(page: import('@playwright/test').Page) {
  // Wait for loaded lists to settle, so axe sees the page a person reads.
  await expect(page.locator('.c-state--loading')).toHaveCount(0);
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary).toEqual([]);
}

for (const lang of ['zh-CN', 'en']) {
  for (const route of ROUTES) {
    test(`axe finds no violations on ${route.path} in ${lang}`, async ({ page }) => {
      await openApp(page, `${route.path}?lang=${lang}`);
      await expectNoViolations(page);
    });
  }

  test(`axe finds no violations on a case page and an announcement in ${lang}`, async ({ page }) => {
    const number = await publishedCaseNumber(page);
    await openApp(page, `/cases/${number}?lang=${lang}`);
    await expectNoViolations(page);
    await openApp(page, `/announcements/1?lang=${lang}`);
    await expectNoViolations(page);
  });

  test(`axe finds no violations in elderly mode in ${lang}`, async ({ page }) => {
    await openApp(page, `/?lang=${lang}`);
    await page.locator('button[aria-pressed]').click();
    await expect(page.locator('html')).toHaveClass(/is-elderly/);
    await expectNoViolations(page);
  });
}

test('in elderly mode, radios and checkboxes grow with the text and have a dark edge', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('civic.elderly', '1'));
  await openApp(page, '/file');
  await page.getByRole('button', { name: '开始填写' }).click();
  const controls = page.locator('main input[type=radio], main input[type=checkbox]');
  await expect(controls.first()).toBeVisible();
  const sizes = await controls.evaluateAll((els) =>
    els.map((el) => {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return { width: box.width, height: box.height, outline: style.outlineStyle, edge: style.outlineColor };
    }),
  );
  expect(sizes.length).toBeGreaterThan(3);
  for (const size of sizes) {
    // 1.5 rem at 1.5x text: 36 px, where the ordinary mode has 24.
    expect(size.width).toBeGreaterThanOrEqual(36);
    expect(size.height).toBeGreaterThanOrEqual(36);
    expect(size.outline).toBe('solid');
    expect(size.edge).toBe('rgb(0, 0, 0)');
  }
});

test('nothing scrolls sideways at 320 px wide', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  for (const path of ['/', '/announcements', '/no-such-page']) {
    await openApp(page, path);
    await expect(page.locator('.c-state--loading')).toHaveCount(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});

// One test per route (a walk of every route in one test ran out of time on a busy 2-core
// machine): each well within the default timeout.
for (const route of ROUTES) {
  test(`elderly mode on ${route.path}: axe clean, text 1.5× with 1.5 line height, 48 px controls`, async ({ page }) => {
    await page.addInitScript(() => localStorage.setItem('civic.elderly', '1'));
    await openApp(page, route.path);
    await expect(page.locator('html')).toHaveClass(/is-elderly/);
    await expectNoViolations(page);
    const [size, lineHeight] = await page.locator('main p, main li').first().evaluate((el) => {
      const style = getComputedStyle(el);
      return [parseFloat(style.fontSize), parseFloat(style.lineHeight)];
    });
    expect(size).toBeGreaterThanOrEqual(24);
    expect(lineHeight / size).toBeGreaterThanOrEqual(1.5);
    const small = await page
      .locator('button:visible, select:visible, input:visible:not([type=checkbox]):not([type=radio]), textarea:visible')
      .evaluateAll((els) =>
        els
          .map((el) => [el.outerHTML.slice(0, 60), el.getBoundingClientRect().height] as const)
          .filter(([, height]) => height < 48),
      );
    expect(small).toEqual([]);
  });

  test(`elderly mode on ${route.path} in English at 320 px: the heading keeps its words whole`, async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.addInitScript(() => localStorage.setItem('civic.elderly', '1'));
    await openApp(page, `${route.path}?lang=en`);
    await expect(page.locator('html')).toHaveClass(/is-elderly/);
    expect(await brokenWords(page.locator('main#main h1'))).toEqual([]);
  });

  test(`${route.path} does not scroll sideways at 320 px wide with text at 200%`, async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        document.documentElement.style.fontSize = '200%';
      });
    });
    await openApp(page, route.path);
    await expect(page.locator('.c-state--loading')).toHaveCount(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
}

test('content that loads later, or fails to, is announced in the polite live region', async ({ page }) => {
  const live = page.locator('#civic-live');
  await openApp(page, '/announcements');
  await expect(live).toHaveAttribute('aria-live', 'polite');
  await expect(live).toHaveText(/内容已加载/);
  // Both of the home page's lists fail: the last word is the failure.
  await page.route('**/api/v1/announcements?*', (route) => route.abort());
  await page.route('**/api/v1/cases?*', (route) => route.abort());
  await page.getByRole('link', { name: '首页' }).first().click();
  await expect(live).toHaveText(/暂时无法加载/);
});
