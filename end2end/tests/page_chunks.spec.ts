import { test, expect, openApp } from './fixtures/app';

// Pages other than the home page live in their own wasm chunks (src/lazy.rs), fetched the
// first time they are opened.

const wasmFetched = (page: import('@playwright/test').Page): string[] => {
  const names: string[] = [];
  page.on('request', (request) => {
    const name = new URL(request.url()).pathname.slice(1);
    if (name.endsWith('.wasm')) names.push(name);
  });
  return names;
};

test('the home page fetches no page chunk; a deep link fetches its own and no other', async ({ page }) => {
  const fetched = wasmFetched(page);
  await openApp(page, '/');
  await expect(page.locator('section[aria-labelledby=home-announcements] .c-card').first()).toBeVisible();
  expect(fetched.filter((name) => /^(split|chunk)_/.test(name))).toEqual([]);
  expect(fetched.some((name) => /^civic-[0-9a-f]+_bg\.wasm$/.test(name))).toBe(true);

  await openApp(page, '/file');
  expect(fetched.some((name) => name.startsWith('split_file_case-'))).toBe(true);
  expect(fetched.some((name) => name.startsWith('split_cases-') || name.startsWith('split_accessibility-'))).toBe(false);
});

test('a page whose chunk cannot be fetched says so, and loads on retry', async ({ page }) => {
  let fail = true;
  await page.route('**/split_accessibility-*.wasm', (route) => (fail ? route.abort() : route.continue()));
  await page.goto('/accessibility');
  const alert = page.getByRole('main').getByRole('alert');
  await expect(alert).toContainText('暂时无法加载');
  fail = false;
  await alert.getByRole('button', { name: '重试' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('无障碍声明');
});

test('opened offline, a page loads by itself when the connection returns, with focus on its heading', async ({ page, context }) => {
  await openApp(page, '/');
  await context.setOffline(true);
  await page.getByRole('contentinfo').getByRole('link', { name: '无障碍声明' }).click();
  await expect(page).toHaveURL(/\/accessibility$/);
  await expect(page.getByRole('main').getByRole('alert')).toContainText('网络已断开');
  await context.setOffline(false);
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText('无障碍声明');
  await expect(heading).toBeFocused();
});
