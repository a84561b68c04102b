import { test, expect, openApp, fileCase } from './fixtures/app';

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
  // The route's page starts the pack at once: before the main wasm has arrived.
  const events: string[] = [];
  page.on('request', (r) => events.push(`start ${new URL(r.url()).pathname}`));
  page.on('requestfinished', (r) => events.push(`end ${new URL(r.url()).pathname}`));
  await openApp(page, '/track');
  await page.waitForLoadState('networkidle');
  const packStarted = events.findIndex((e) => /^start \/pack_track-/.test(e));
  const wasmArrived = events.findIndex((e) => /^end \/civic-[0-9a-f]+_bg\.wasm$/.test(e));
  expect(packStarted).toBeGreaterThanOrEqual(0);
  expect(packStarted).toBeLessThan(wasmArrived);
  // Started by the page and taken by the loader: fetched once, not twice.
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

test('a link to the filing page waits only for its first step; the form comes as the resident heads for it', async ({ page }) => {
  const fetched = wasmFetched(page);
  await openApp(page, '/file');
  await page.waitForLoadState('networkidle');
  expect(fetched.filter((name) => /^(split|chunk|pack)_/.test(name))).toEqual([expect.stringMatching(/^pack_file_case-[0-9a-f]{16}\.pack$/)]);

  // Pointing at (or focusing) "start" fetches the later steps in one pack; pressing it shows the form.
  const start = page.getByRole('button', { name: '开始填写' });
  await start.hover();
  await expect.poll(() => fetched.filter((name) => name.startsWith('pack_file_case_steps-')).length).toBe(1);
  await start.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('填写诉求');
  await expect(page.getByLabel('标题')).toBeVisible();
  expect(fetched.filter((name) => /^(split|chunk)_/.test(name))).toEqual([]);
  expect(fetched.filter((name) => name.startsWith('pack_file_case_steps-'))).toHaveLength(1);
});

test('the owner\'s panel comes in its own pack, only when a case is found with its code', async ({ page }) => {
  const { number, code } = await fileCase(page, '小区健身器材损坏无人维修');
  const fetched = wasmFetched(page);
  await openApp(page, `/track?number=${number}`);
  await expect(page.locator('.c-tracked')).toContainText(number);
  await page.waitForLoadState('networkidle');
  expect(fetched.some((name) => name.startsWith('pack_track_owner-'))).toBe(false);

  await page.getByLabel('查询码（选填）').fill(code);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.locator('.c-owner')).toContainText('王小明');
  expect(fetched.filter((name) => name.startsWith('pack_track_owner-'))).toHaveLength(1);
  expect(fetched.filter((name) => /^(split|chunk)_/.test(name))).toEqual([]);
});
