import { test, expect, openApp } from './fixtures/app';

test('the language chosen with the switch survives a reload', async ({ page }) => {
  await openApp(page, '/');
  await page.getByRole('button', { name: /English/ }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tell the city, and see it act');
  await page.reload();
  await expect(page.locator('#boot')).toHaveCount(0);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tell the city, and see it act');
  await page.getByRole('button', { name: /中文/ }).click();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('您的诉求，我们来办');
});

test('elderly mode enlarges the text and survives a reload', async ({ page }) => {
  await openApp(page, '/');
  const size = () => page.locator('body').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  const before = await size();
  const toggle = page.getByRole('button', { name: '长辈模式' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveClass(/is-elderly/);
  expect(await size()).toBeGreaterThanOrEqual(before * 1.5);
  await page.reload();
  await expect(page.locator('#boot')).toHaveCount(0);
  await expect(page.locator('html')).toHaveClass(/is-elderly/);
  await expect(page.getByRole('button', { name: '长辈模式' })).toHaveAttribute('aria-pressed', 'true');
  expect(await size()).toBeGreaterThanOrEqual(before * 1.5);
});
