import type { Page } from '@playwright/test';
import { test, expect, fileCase, openApp, publishedCaseNumber } from './fixtures/app';

/** What a deep link asked of the API, and when, against when the main wasm arrived: the
 * page's Resource Timing entries (start times from the navigation, in ms). */
async function timings(page: Page) {
  return page.evaluate(() => {
    const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const wasm = entries.find((e) => /\/civic-[0-9a-f]+_bg\.wasm$/.test(e.name));
    return {
      wasmEnd: wasm ? wasm.responseEnd : null,
      api: entries
        .filter((e) => e.name.includes('/api/v1/'))
        .map((e) => ({ url: new URL(e.name).pathname + new URL(e.name).search, start: e.startTime })),
    };
  });
}

// Each deep link and the API calls its page needs: every one is asked for once, and before
// the app's wasm has even arrived (the boot script starts them beside the download).
const LINKS: [string, (number: string) => string, (number: string) => string[]][] = [
  ['home', () => '/', () => ['/api/v1/announcements?limit=5', '/api/v1/cases?sort=replied&limit=5']],
  ['the board, filtered', () => '/cases?district=wuhou&sort=replied', () => ['/api/v1/cases?district=wuhou&sort=replied']],
  ['a case', (n) => `/cases/${n}`, (n) => [`/api/v1/cases/${n}`]],
  ['a case from a text message', (n) => `/track?number=${n}`, (n) => [`/api/v1/cases/${n}`]],
  ['the catalogue, searched', () => '/documents?q=%E6%B0%B4&year=2026', () => ['/api/v1/documents?q=%E6%B0%B4&year=2026']],
  ['a document', () => '/documents/1', () => ['/api/v1/documents/1']],
  ['the announcements', () => '/announcements', () => ['/api/v1/announcements']],
  ['an announcement', () => '/announcements/1', () => ['/api/v1/announcements/1']],
  ['the statistics of a district', () => '/statistics?period=last_12_months&district=wuhou', () => ['/api/v1/stats?period=last_12_months&district=wuhou']],
  ['the filing form', () => '/file', () => []],
];

for (const [name, link, calls] of LINKS) {
  test(`a deep link to ${name} asks for its data once, without waiting for the app`, async ({ page }) => {
    const number = await publishedCaseNumber(page);
    const asked: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/')) asked.push(url.pathname + url.search);
    });
    await openApp(page, link(number));
    await expect(page.locator('.c-state--loading')).toHaveCount(0);
    await page.waitForLoadState('networkidle');
    const expected = ['/api/v1/meta', ...calls(number)];
    // Once each: the app took the early answers instead of asking again.
    expect(asked.sort()).toEqual(expected.sort());
    const { wasmEnd, api } = await timings(page);
    expect(wasmEnd).not.toBeNull();
    for (const call of api) expect(call.start, call.url).toBeLessThan(wasmEnd!);
  });
}

test('after the first page, the app asks afresh: an early answer serves only the page opened', async ({ page }) => {
  const asked: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/')) asked.push(url.pathname + url.search);
  });
  await openApp(page, '/announcements');
  await expect(page.locator('.c-state--loading')).toHaveCount(0);
  await page.getByRole('link', { name: '办理情况' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('办理情况');
  await page.getByRole('link', { name: '通知公告' }).first().click();
  await expect(page.locator('.c-state--loading')).toHaveCount(0);
  await page.waitForLoadState('networkidle');
  // The second visit to the list is a new request, not the boot script's old answer.
  expect(asked.filter((u) => u === '/api/v1/announcements')).toHaveLength(2);
});

test('a case filed on this device is looked up with its code, not from an early public answer', async ({ page }) => {
  const number = await publishedCaseNumber(page);
  await page.addInitScript((n) => {
    localStorage.setItem('civic.my_cases', JSON.stringify([{ number: n, tracking_code: 'ABCD-EFGH-JKMN-PQRS', title: 't' }]));
  }, number);
  const codes: (string | undefined)[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === `/api/v1/cases/${number}`) codes.push(request.headers()['x-tracking-code']);
  });
  await openApp(page, `/track?number=${number}`);
  await page.waitForLoadState('networkidle');
  // One request, and it carried the code (a wrong code here: the page says so).
  expect(codes).toEqual(['ABCD-EFGH-JKMN-PQRS']);
});

// What paints before the app: each route's own page, with its heading in the page's language.
for (const [path, zh, en] of [
  ['/file', '提交诉求', 'File a case'],
  ['/announcements', '通知公告', 'Announcements'],
  ['/statistics?period=last_12_months', '办理情况', 'Performance'],
  ['/', '您的诉求，我们来办', 'Tell the city, and see it act'],
] as const) {
  test(`before the app has arrived, ${path} already shows its heading in both languages`, async ({ page }) => {
    // The app never arrives: what shows is the page as served.
    await page.route(/\.wasm$/, (route) => route.abort());
    for (const [query, heading] of [['', zh], ['lang=en', en]] as const) {
      const url = query ? `${path}${path.includes('?') ? '&' : '?'}${query}` : path;
      await page.goto(url);
      const skeleton = page.locator('#boot-page h1');
      await expect(skeleton).toBeVisible();
      // Only the page's language shows (the other is display: none, unread).
      expect(await skeleton.innerText()).toBe(heading);
      await expect(page.locator('#boot h1:visible')).toHaveCount(1);
      await expect(page.locator('#boot-page .c-lead:visible, #boot-page h1:visible')).not.toHaveCount(0);
    }
    if (path !== '/') {
      await expect(page).toHaveTitle(new RegExp(`^${zh} - `));
      // The share card too: WeChat reads it from the page as served.
      await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', new RegExp(`^${zh} - `));
    }
  });
}

/** Resolves once the page has drawn twice more (what boot.js does with an answer is done). */
async function afterTwoFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(null)))));
}

test('a deep link to a case shows no other page\'s heading before the app', async ({ page }) => {
  await page.route(/\.wasm$/, (route) => route.abort());
  // A number that names no case: nothing to draw, and no other page's heading.
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/cases/20200101-9999'));
  await page.goto('/cases/20200101-9999');
  await answered;
  await afterTwoFrames(page);
  await expect(page.locator('#boot-loading')).toBeVisible();
  await expect(page.locator('#boot h1:visible')).toHaveCount(0);
});

test('before the app has arrived, a shared case or document already shows its own words', async ({ page }) => {
  await page.route(/\.wasm$/, (route) => route.abort());
  const number = await publishedCaseNumber(page);
  const shared = await (await page.request.get(`/api/v1/cases/${number}`)).json();
  await page.goto(`/cases/${number}`);
  await expect(page.locator('#boot-page h1')).toHaveText(shared.summary.title);
  await expect(page.locator('#boot-page .c-case__text')).toHaveText(shared.description);
  // It takes the place of "Loading" (which would otherwise be pushed down: a layout shift).
  await expect(page.locator('#boot-loading')).toBeHidden();

  const id = (await (await page.request.get('/api/v1/documents?limit=1')).json()).items[0].id;
  const doc = await (await page.request.get(`/api/v1/documents/${id}`)).json();
  await page.goto(`/documents/${id}`);
  await expect(page.locator('#boot-page h1')).toHaveText(doc.summary.title);
  await expect(page.locator('#boot-page h1')).toHaveAttribute('lang', doc.summary.language);
  const first = doc.body.find((block: { type: string }) => block.type === 'paragraph');
  await expect(page.locator('#boot-page .c-body p')).toHaveText(first.text);
});

test('before the app has arrived, a case its resident did not publish shows nothing of it', async ({ page }) => {
  const { number } = await fileCase(page, '小区路灯不亮需要维修');
  await page.route(/\.wasm$/, (route) => route.abort());
  const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/cases/${number}`));
  await page.goto(`/cases/${number}`);
  await answered;
  await afterTwoFrames(page);
  await expect(page.locator('#boot-loading')).toBeVisible();
  await expect(page.locator('#boot-page')).toHaveCount(0);
  await expect(page.getByText('小区路灯不亮需要维修')).toHaveCount(0);
});

test('when the app starts, it takes the place of the words drawn before it', async ({ page }) => {
  const number = await publishedCaseNumber(page);
  await openApp(page, `/cases/${number}`);
  await expect(page.locator('#boot')).toHaveCount(0);
  await expect(page.locator('h1')).toHaveCount(1);
  await expect(page.locator('.c-case__text').first()).toBeVisible();
});
