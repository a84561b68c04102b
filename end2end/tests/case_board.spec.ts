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
