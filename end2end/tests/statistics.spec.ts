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
    const broken = await page.locator('.c-table thead th:visible').evaluateAll((cells) =>
      cells.filter((cell) => {
        const style = getComputedStyle(cell);
        const probe = document.createElement('span');
        probe.style.font = style.font;
        probe.style.whiteSpace = 'nowrap';
        document.body.append(probe);
        const widest = Math.max(...(cell.textContent ?? '').split(/\s+/).map((word) => {
          probe.textContent = word;
          return probe.getBoundingClientRect().width;
        }));
        probe.remove();
        const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return inner + 1 < widest;
      }).map((cell) => cell.textContent));
    expect(broken).toEqual([]);
  }
});
