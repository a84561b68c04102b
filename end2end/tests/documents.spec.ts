import AxeBuilder from '@axe-core/playwright';
import { test, expect, openApp } from './fixtures/app';

test('browse, filter by type, open a document and follow its interpretation both ways', async ({ page }) => {
  const interpretation = (await (await page.request.get('/api/v1/documents?doc_type=interpretation&limit=1')).json()).items[0];
  const explained = (await (await page.request.get(`/api/v1/documents/${interpretation.id}`)).json()).interprets;
  const target = (await (await page.request.get(`/api/v1/documents/${explained}`)).json()).summary;

  await openApp(page, '/documents');
  await expect(page.locator('.c-documents .c-card').first()).toBeVisible();
  await page.getByText('筛选', { exact: true }).click();
  await page.getByLabel('文件类型').selectOption('interpretation');
  await page.getByRole('button', { name: '查找' }).click();
  await expect(page).toHaveURL(/doc_type=interpretation/);
  await expect(page.locator('.c-documents .c-card').first()).toContainText('政策解读');

  await openApp(page, `/documents/${explained}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(target.title);
  const interpretations = page.locator('section[aria-labelledby=doc-interpretations]');
  await interpretations.getByRole('link', { name: interpretation.title }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(interpretation.title);
  // The heading that took the focus on arrival keeps it once the document has loaded.
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await page.getByRole('link', { name: target.title }).click();
  await expect(page).toHaveURL(new RegExp(`/documents/${explained}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(target.title);
});

test('a repealed document says so and links to what replaced it', async ({ page }) => {
  const repealed = (await (await page.request.get('/api/v1/documents?validity=repealed&limit=1')).json()).items[0];
  const full = await (await page.request.get(`/api/v1/documents/${repealed.id}`)).json();
  await openApp(page, `/documents/${repealed.id}`);
  const note = page.getByRole('note');
  await expect(note).toContainText('已废止');
  await expect(note).toContainText('本文件已不再有效');
  if (full.replaced_by) {
    await note.getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/documents/${full.replaced_by}$`));
  }
  await openApp(page, '/documents?validity=repealed');
  await expect(page.locator('.c-documents .c-tag--repealed').first()).toHaveText('已废止');
  expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);
});

test('a Chinese search marks the two-character term it found', async ({ page }) => {
  await openApp(page, '/documents');
  await page.getByLabel('搜索文件').fill('服务');
  await page.getByRole('button', { name: '查找' }).click();
  await expect(page).toHaveURL(/q=%E6%9C%8D%E5%8A%A1/);
  const first = page.locator('.c-documents .c-card').first();
  await expect(first.locator('mark').first()).toHaveText('服务');
});

test('an English search works in English, at 320 px, axe clean', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 700 });
  await openApp(page, '/documents?lang=en&q=residents');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Government information');
  const first = page.locator('.c-documents .c-card').first();
  await expect(first.locator('mark').first()).toHaveText(/resident/i);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);
});

test('a body shows its tables with headers and its links', async ({ page }) => {
  await openApp(page, '/documents/1');
  const table = page.locator('.c-body table');
  await expect(table.getByRole('columnheader', { name: '事项' })).toBeVisible();
  await expect(table.getByRole('cell', { name: '投诉' })).toBeVisible();
  const link = page.locator('.c-body').getByRole('link', { name: '查询诉求' });
  await expect(link).toHaveAttribute('href', '/track');
  await link.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('查询诉求');
});

test('announcements are searched with the same box, in Chinese and in English', async ({ page }) => {
  await openApp(page, '/announcements');
  await page.getByLabel('搜索通知公告').fill('指南');
  await page.getByRole('button', { name: '搜索', exact: true }).click();
  await expect(page).toHaveURL(/\/announcements\?q=%E6%8C%87%E5%8D%97$/);
  await expect(page.locator('.c-announcements .c-card').first().locator('mark').first()).toHaveText('指南');
  await openApp(page, '/announcements?lang=en&q=English');
  await expect(page.locator('.c-announcements .c-card').first().locator('mark').first()).toHaveText(/english/i);
  expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);
});
