import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, openApp, brokenWords } from './fixtures/app';

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** The API's answer for a query string, to compare the page against. */
async function apiStats(page: Page, query: string) {
  const response = await page.request.get(`/api/v1/stats${query}`);
  expect(response.ok()).toBeTruthy();
  return response.json();
}

/** The API's answer once the background counting has settled (two answers alike): a new
 * server counts its demo data in its first seconds. */
async function settledStats(page: Page, query: string) {
  let last = JSON.stringify(await apiStats(page, query));
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(500);
    const now = JSON.stringify(await apiStats(page, query));
    if (now === last) return JSON.parse(now);
    last = now;
  }
  return JSON.parse(last);
}

/** The value shown beside a figure's label. */
function figure(page: Page, label: string) {
  return page.locator('.c-figure').filter({ has: page.getByText(label, { exact: true }) }).locator('dd');
}

type Figures = { figures: Record<string, number> };

/** Other tests file cases while these run, so a count the page shows is checked against what
 * the API said before the page asked (`before`) and what it says now: the page's number must
 * be one the server gave in between. Retried until the page shows it. */
async function expectFigureBetween(page: Page, label: string, query: string, field: string, before: Figures) {
  await expect(async () => {
    const now: Figures = await apiStats(page, query);
    const shown = Number(((await figure(page, label).textContent({ timeout: 1000 })) ?? '').replace(/\D/g, ''));
    expect(shown).toBeGreaterThanOrEqual(before.figures[field]);
    expect(shown).toBeLessThanOrEqual(now.figures[field]);
  }).toPass({ timeout: 10_000 });
}

test('the figures follow the filters in the URL, and back restores them', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 800 });
  const yearQuery = '?period=last_12_months&district=wuhou';
  const month = await apiStats(page, '');
  const year = await apiStats(page, yearQuery);
  expect(year.figures.received).not.toBe(month.figures.received);
  await openApp(page, '/statistics');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('办理情况');
  await expectFigureBetween(page, '收到诉求', '', 'received', month);
  await expectNoAxeViolations(page);
  await expectNoSidewaysScroll(page);

  await page.getByLabel('统计期间').selectOption('last_12_months');
  await page.getByRole('combobox', { name: '区（市）县' }).selectOption('wuhou');
  await page.getByRole('button', { name: '查看统计' }).click();
  await expect(page).toHaveURL(/\/statistics\?period=last_12_months&district=wuhou$/);
  await expect(page.locator('.c-stats__period')).toContainText('武侯区');
  await expectFigureBetween(page, '收到诉求', yearQuery, 'received', year);
  await expectFigureBetween(page, '已答复', yearQuery, 'replied', year);

  // A shared link opens the same view; the back button returns to the month.
  await page.reload();
  await expect(page.getByLabel('统计期间')).toHaveValue('last_12_months');
  await expectFigureBetween(page, '收到诉求', yearQuery, 'received', year);
  await page.goBack();
  await expect(page).toHaveURL(/\/statistics$/);
  await expectFigureBetween(page, '收到诉求', '', 'received', month);
});

test('the trend table holds the numbers the chart draws', async ({ page }) => {
  const before = await apiStats(page, '?period=last_12_months');
  await openApp(page, '/statistics?period=last_12_months');
  const trend = page.locator('section').filter({ has: page.getByRole('heading', { name: '逐月变化' }) });
  // Two lines of twelve points: circles for received, squares for replied.
  await expect(trend.locator('svg circle')).toHaveCount(12);
  await expect(trend.locator('svg rect')).toHaveCount(12);
  await trend.getByText('以表格显示数据').click();
  const rows = trend.locator('tbody tr');
  await expect(rows).toHaveCount(12);
  // Other tests file cases meanwhile: each month's count is one the API gave between the
  // page's opening and now.
  const after = await apiStats(page, '?period=last_12_months');
  const received: number[] = [];
  for (let i = 0; i < 12; i++) {
    // The month not yet over says so, in the table as on the chart.
    const partial = before.trend[i].partial === true;
    await expect(rows.nth(i).locator('th')).toHaveText(before.trend[i].month + (partial ? '不满整月' : ''));
    const cells = await rows.nth(i).locator('td').allTextContents();
    const [shownReceived, shownReplied] = cells.map(Number);
    for (const [shown, key] of [[shownReceived, 'received'], [shownReplied, 'replied']] as const) {
      expect(shown).toBeGreaterThanOrEqual(before.trend[i][key]);
      expect(shown).toBeLessThanOrEqual(after.trend[i][key]);
    }
    received.push(shownReceived);
  }
  // This month is the period's last and is still being counted: hollow, and said in words.
  expect(before.trend[11].partial).toBe(true);
  await expect(trend.locator('.c-chart__mark--partial')).toHaveCount(2);
  await expect(trend.locator('.c-chart__note')).toContainText('最后一个月只统计到');
  // The axis names the months and the year; the caption gives the whole range.
  const first = before.trend[0].month as string;
  await expect(trend.locator('figcaption')).toContainText(`${first.slice(0, 4)}年${Number(first.slice(5))}月至`);
  await expect(trend.locator('.c-chart__year').first()).toHaveText(/^\d{4}年$/);
  // The line's points sit lower for smaller counts: heights follow the data's order.
  const ys = await trend.locator('svg circle').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('cy'))));
  for (let i = 0; i < 12; i++) {
    for (let j = 0; j < 12; j++) {
      if (received[i] > received[j]) expect(ys[i]).toBeLessThanOrEqual(ys[j]);
    }
  }
  await expectNoAxeViolations(page);
});

test('in English, a department links to the board filtered to it, and few cases are not ranked', async ({ page }) => {
  await settledStats(page, '?period=last_12_months');
  await openApp(page, '/statistics?lang=en&period=last_12_months');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Performance');
  await expect(page.getByText('Replied on time', { exact: true }).first()).toBeVisible();
  const stats = await apiStats(page, '?period=last_12_months');
  const departments = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Departments' }) });
  const rows = departments.locator('tbody tr');
  await expect(rows).toHaveCount(stats.departments.length);
  const unranked = stats.departments.filter((r: { ranked: boolean }) => !r.ranked).length;
  await expect(departments.getByText('Too few cases to rank', { exact: true })).toHaveCount(unranked);
  const first = stats.departments[0];
  await rows.first().getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/cases\\?department=${first.code.replace('.', '\\.')}`));
});

test('the statistics page is clean for axe in elderly mode and at 200% text', async ({ page }) => {
  await page.setViewportSize({ width: 640, height: 900 });
  await openApp(page, '/statistics?period=last_12_months');
  await page.getByRole('button', { name: '长辈模式' }).click();
  await expect(page.locator('html')).toHaveClass(/is-elderly/);
  await expect(page.locator('.c-figure').first()).toBeVisible();
  await expectNoAxeViolations(page);
  await page.evaluate(() => {
    document.documentElement.style.fontSize = '200%';
  });
  await expectNoSidewaysScroll(page);
});

test('rising topics are categories a resident recognises, in both languages', async ({ page }) => {
  const stats = await apiStats(page, '');
  const meta = await (await page.request.get('/api/v1/meta')).json();
  const names = (lang: 'zh' | 'en') =>
    stats.hot_categories.map((t: { key: string }) => meta.categories.find((c: { code: string }) => c.code === t.key).name[lang]);
  for (const [path, lang, intro] of [
    ['/statistics', 'zh', '诉求类别'],
    ['/statistics?lang=en', 'en', 'categories'],
  ] as const) {
    await openApp(page, path);
    const section = page.locator('section[aria-labelledby=stats-hot]');
    await expect(section.locator('p').first()).toContainText(intro);
    // No list of title fragments: only the categories, named in the page's language.
    await expect(section.locator('h3')).toHaveCount(0);
    const shown = await section.locator('.c-topics strong').allTextContents();
    expect(shown).toEqual(names(lang));
  }
});

test('on a phone, what cannot be ranked is folded away and column headings keep their words whole', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  const stats = await settledStats(page, '');
  for (const path of ['/statistics', '/statistics?lang=en']) {
    await openApp(page, path);
    await expect(page.locator('.c-figure').first()).toBeVisible();
    const unranked = stats.departments.filter((r: { ranked: boolean }) => !r.ranked).length
      + stats.districts.filter((r: { ranked: boolean }) => !r.ranked).length;
    // Folded: every row with too few cases is inside a closed disclosure.
    const folded = await page
      .locator('section:is([aria-labelledby=stats-departments], [aria-labelledby=stats-districts]) details:not([open]) tbody tr')
      .count();
    expect(folded).toBe(unranked);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height, path).toBeLessThan(6000);
    // No heading is narrower than its longest word: no word is broken.
    const broken = await brokenWords(page.locator('.c-table thead th:visible'));
    expect(broken).toEqual([]);
  }
});

test('the chart labels grow with the text and never overlap, January always named', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await openApp(page, '/statistics?period=last_12_months');
  const trend = page.locator('section[aria-labelledby=stats-trend]');
  await expect(trend.locator('svg circle')).toHaveCount(12);
  const measure = () =>
    trend.evaluate((section) => {
      const shown = [...section.querySelectorAll('.c-chart__tick > span:first-child, .c-chart__year')]
        .map((e) => e.getBoundingClientRect())
        .filter((r) => r.width > 0);
      const overlaps = shown.filter((a, i) =>
        shown.some((b, j) => j > i && a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)).length;
      const size = parseFloat(getComputedStyle(section.querySelector('.c-chart__y li')!).fontSize);
      return { labels: shown.length, overlaps, size };
    });
  const normal = await measure();
  await page.getByRole('button', { name: '长辈模式' }).click();
  await expect(page.locator('html')).toHaveClass(/is-elderly/);
  const elderly = await measure();
  await page.evaluate(() => {
    document.documentElement.style.fontSize = '200%';
  });
  const large = await measure();
  for (const m of [normal, elderly, large]) expect(m.overlaps).toBe(0);
  expect(elderly.size).toBeGreaterThan(normal.size);
  expect(large.size).toBeGreaterThan(elderly.size);
  // Fewer month labels fit as the text grows; the year and January's label always show.
  expect(large.labels).toBeLessThan(normal.labels);
  await expect(trend.locator('.c-chart__year').first()).toBeVisible();
  await expectNoSidewaysScroll(page);
});
