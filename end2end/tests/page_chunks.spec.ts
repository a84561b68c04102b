import { test, expect, openApp } from './fixtures/app';

// Pages other than the home page live in their own wasm chunks (src/lazy.rs), fetched the
// first time they are opened: on a deep link, the page and its chunks in one pack
// (scripts/pack-chunks.mjs).

const wasmFetched = (page: import('@playwright/test').Page): string[] => {
  const names: string[] = [];
  page.on('request', (request) => {
    const name = new URL(request.url()).pathname.slice(1);
    if (name.endsWith('.wasm') || name.endsWith('.pack')) names.push(name);
  });
  return names;
};

test('the home page fetches no page chunk; a deep link fetches its own and no other', async ({ page }) => {
  const fetched = wasmFetched(page);
  await openApp(page, '/');
  await expect(page.locator('section[aria-labelledby=home-announcements] .c-card').first()).toBeVisible();
  expect(fetched.filter((name) => /^(split|chunk|pack)_/.test(name))).toEqual([]);
  expect(fetched.some((name) => /^civic-[0-9a-f]+_bg\.wasm$/.test(name))).toBe(true);

  fetched.length = 0;
  await openApp(page, '/file');
  expect(fetched.some((name) => name.startsWith('pack_file_case-'))).toBe(true);
  expect(fetched.some((name) => /^(split|pack)_(cases|accessibility)-/.test(name))).toBe(false);
});

test('a deep link fetches its page in one pack: the main wasm and one file, not dozens of chunks', async ({ page }) => {
  const fetched = wasmFetched(page);
  await openApp(page, '/track');
  await page.waitForLoadState('networkidle');
  expect(fetched).toHaveLength(2);
  expect(fetched.filter((name) => /^civic-[0-9a-f]+_bg\.wasm$/.test(name))).toHaveLength(1);
  expect(fetched.filter((name) => /^pack_track-[0-9a-f]{16}\.pack$/.test(name))).toHaveLength(1);

  // The next page inside the app fetches only the chunks it still lacks, file by file.
  fetched.length = 0;
  await page.getByRole('link', { name: '办理情况' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('办理情况');
  await expect(page.locator('.c-figure').first()).toBeVisible();
  expect(fetched.some((name) => name.startsWith('split_statistics-'))).toBe(true);
  expect(fetched.filter((name) => name.startsWith('pack_'))).toEqual([]);
});

test('a page whose chunk cannot be fetched says so, and loads on retry', async ({ page }) => {
  let fail = true;
  // The deep link's pack fails, and so does the page's own file it falls back to.
  await page.route(/\/(pack|split)_accessibility-[0-9a-f]+\.(pack|wasm)$/, (route) => (fail ? route.abort() : route.continue()));
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
