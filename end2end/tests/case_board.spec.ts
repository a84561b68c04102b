import { test, expect, openApp } from './fixtures/app';
import AxeBuilder from '@axe-core/playwright';

const cards = (page: import('@playwright/test').Page) => page.locator('.c-board .c-card');

test('search and filters go into the URL, and the back button brings the board back', async ({ page }) => {
  await openApp(page, '/cases');
  await expect(cards(page).first()).toBeVisible();

  await page.getByLabel('搜索').fill('噪音');
  await page.getByRole('button', { name: '查找' }).click();
  await expect(page).toHaveURL(/\/cases\?q=%E5%99%AA%E9%9F%B3$/);
  await expect(cards(page).first()).toBeVisible();
  const found = await cards(page).count();

  await page.getByText('筛选', { exact: true }).click();
  const district = page.getByLabel('所属区域');
  const code = await district.locator('option').nth(1).getAttribute('value');
  await district.selectOption(code!);
  await page.getByRole('button', { name: '查找' }).click();
  await expect(page).toHaveURL(new RegExp(`district=${code}`));

  await page.goBack();
  await expect(page).toHaveURL(/\/cases\?q=%E5%99%AA%E9%9F%B3$/);
  await expect(page.getByLabel('搜索')).toHaveValue('噪音');
  await expect(cards(page)).toHaveCount(found);
});

test('a shared filtered link opens with its filters applied, and "more" adds the next page', async ({ page }) => {
  const meta = await (await page.request.get('/api/v1/meta')).json();
  const api = await (await page.request.get('/api/v1/cases?sort=replied&limit=20')).json();
  expect(api.next_cursor).toBeTruthy();
  await openApp(page, '/cases?sort=replied');
  await expect(page.getByLabel('排序')).toHaveValue('replied');
  await expect(cards(page)).toHaveCount(api.items.length);
  await expect(cards(page).first()).toContainText(api.items[0].title);
  await page.getByRole('button', { name: '加载更多' }).click();
  await expect(cards(page).nth(api.items.length)).toBeVisible();
  expect(meta.districts.length).toBeGreaterThan(0);
});

test('a department chosen on the statistics page shows only its cases', async ({ page }) => {
  const meta = await (await page.request.get('/api/v1/meta')).json();
  const department = meta.departments[0].code;
  const api = await (await page.request.get(`/api/v1/cases?department=${department}`)).json();
  await openApp(page, `/cases?department=${department}`);
  await expect(page.getByLabel('承办单位')).toHaveValue(department);
  await expect(cards(page)).toHaveCount(api.items.length || 0);
});

test('a filter the server refuses is explained beside it', async ({ page }) => {
  await openApp(page, '/cases?lang=en&from=2026-03-10&to=2026-03-01');
  await expect(page.getByRole('alert')).toContainText('A filter is not right');
  await expect(page.getByLabel('Filed until')).toHaveAttribute('aria-invalid', 'true');
});

test('the board in English is axe clean', async ({ page }) => {
  await openApp(page, '/cases?lang=en');
  await expect(cards(page).first()).toBeVisible();
  expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);
});

test('each card says which date it shows, and the list is in that date\'s order', async ({ page }) => {
  for (const [path, label, field] of [
    ['/cases', /^提交于 /, 'submitted_at'],
    ['/cases?sort=replied', /^答复于 /, 'replied_at'],
    ['/cases?lang=en', /^Filed /, 'submitted_at'],
    ['/cases?lang=en&sort=replied', /^Replied /, 'replied_at'],
  ] as const) {
    const query = path.includes('sort=replied') ? '?sort=replied&limit=20' : '?limit=20';
    const api = await (await page.request.get(`/api/v1/cases${query}`)).json();
    await openApp(page, path);
    await expect(cards(page)).toHaveCount(api.items.length);
    const dates = page.locator('.c-board .c-card__date');
    await expect(dates.first()).toHaveText(label);
    const order = api.items.map((item: Record<string, string>) => Date.parse(item[field]));
    expect([...order].sort((a, b) => b - a)).toEqual(order);
  }
});

test('"filters" reads as a control, and "clear" shows only when there is something to clear', async ({ page }) => {
  await openApp(page, '/cases');
  await expect(cards(page).first()).toBeVisible();
  const summary = page.locator('.c-board__filters summary');
  // A marker that turns, and an underline: it looks like something to press.
  const marker = await summary.evaluate((el) => getComputedStyle(el, '::before').borderLeftWidth);
  expect(parseFloat(marker)).toBeGreaterThan(0);
  expect(await summary.evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe('underline');
  await expect(page.getByRole('link', { name: '清除筛选' })).toHaveCount(0);
  await openApp(page, '/cases?q=%E5%99%AA%E9%9F%B3');
  const clear = page.getByRole('link', { name: '清除筛选' });
  await expect(clear).toBeVisible();
  const apart = await page.evaluate(() => {
    const button = document.querySelector('.c-board__filters button[type=submit]')!.getBoundingClientRect();
    const link = [...document.querySelectorAll('.c-board__filters a')].pop()!.getBoundingClientRect();
    return Math.max(link.left - button.right, link.top - button.bottom);
  });
  expect(apart).toBeGreaterThanOrEqual(8);
});
