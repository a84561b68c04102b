import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, openApp } from './fixtures/app';

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

/** The value shown beside a figure's label. */
function figure(page: Page, label: string) {
  return page.locator('.c-figure').filter({ has: page.getByText(label, { exact: true }) }).locator('dd');
}

test('the figures follow the filters in the URL, and back restores them', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 800 });
  await openApp(page, '/statistics');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('办理情况');
  const month = await apiStats(page, '');
  await expect(figure(page, '收到诉求')).toHaveText(String(month.figures.received));
  await expectNoAxeViolations(page);
  await expectNoSidewaysScroll(page);

  await page.getByLabel('统计期间').selectOption('last_12_months');
  await page.getByRole('combobox', { name: '区（市）县' }).selectOption('wuhou');
  await page.getByRole('button', { name: '查看统计' }).click();
  await expect(page).toHaveURL(/\/statistics\?period=last_12_months&district=wuhou$/);
  const year = await apiStats(page, '?period=last_12_months&district=wuhou');
  await expect(figure(page, '收到诉求')).toHaveText(String(year.figures.received));
  await expect(figure(page, '已答复')).toHaveText(String(year.figures.replied));
  expect(year.figures.received).not.toBe(month.figures.received);
  await expect(page.locator('.c-stats__period')).toContainText('武侯区');

  // A shared link opens the same view; the back button returns to the month.
  await page.reload();
  await expect(page.getByLabel('统计期间')).toHaveValue('last_12_months');
  await expect(figure(page, '收到诉求')).toHaveText(String(year.figures.received));
  await page.goBack();
  await expect(page).toHaveURL(/\/statistics$/);
  await expect(figure(page, '收到诉求')).toHaveText(String(month.figures.received));
});

test('the trend table holds the numbers the chart draws', async ({ page }) => {
  await openApp(page, '/statistics?period=last_12_months');
  const stats = await apiStats(page, '?period=last_12_months');
  const trend = page.locator('section').filter({ has: page.getByRole('heading', { name: '逐月变化' }) });
  // Two lines of twelve points: circles for received, squares for replied.
  await expect(trend.locator('svg circle')).toHaveCount(12);
  await expect(trend.locator('svg rect')).toHaveCount(12);
  await trend.getByText('以表格显示数据').click();
  const rows = trend.locator('tbody tr');
  await expect(rows).toHaveCount(12);
  for (let i = 0; i < 12; i++) {
    const m = stats.trend[i];
    await expect(rows.nth(i).locator('th')).toHaveText(m.month);
    await expect(rows.nth(i).locator('td').nth(0)).toHaveText(String(m.received));
    await expect(rows.nth(i).locator('td').nth(1)).toHaveText(String(m.replied));
  }
  // The line's points sit lower for smaller counts: heights follow the data's order.
  const ys = await trend.locator('svg circle').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('cy'))));
  const received: number[] = stats.trend.map((m: { received: number }) => m.received);
  for (let i = 0; i < 12; i++) {
    for (let j = 0; j < 12; j++) {
      if (received[i] > received[j]) expect(ys[i]).toBeLessThanOrEqual(ys[j]);
    }
  }
  await expectNoAxeViolations(page);
});

test('in English, a department links to the board filtered to it, and few cases are not ranked', async ({ page }) => {
  await openApp(page, '/statistics?lang=en&period=last_12_months');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Performance');
  await expect(page.getByText('Replied on time', { exact: true }).first()).toBeVisible();
  const stats = await apiStats(page, '?period=last_12_months');
  const departments = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Departments' }) });
  const rows = departments.locator('tbody tr');
  await expect(rows).toHaveCount(stats.departments.length);
  const unranked = stats.departments.filter((r: { ranked: boolean }) => !r.ranked).length;
  await expect(departments.getByText('Too few cases to rank')).toHaveCount(unranked);
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
