import { test, expect, openApp } from './fixtures/app';
import { png } from './fixtures/images';
import { act, publish } from './fixtures/staff';

// The resident's whole path in one test, short enough to run on each store: `make test`
// runs the suite on SQLite and this spec again on a throwaway PostgreSQL.

test('a case filed with a photo is replied to by staff, then tracked and rated by its owner', async ({ page }) => {
  await openApp(page, '/file');
  await page.getByRole('button', { name: '开始填写' }).click();
  await page.getByLabel('求助').check();
  await page.getByLabel('诉求类别').selectOption('environment.noise');
  await page.getByLabel('所在区域').selectOption('jinjiang');
  await page.getByLabel('具体地点').fill('春熙路步行街东口');
  await page.getByLabel('标题').fill('商铺音响外放声音过大');
  await page.getByLabel('具体情况').fill('商铺门口的音响从早到晚外放，声音很大，附近居民无法休息。');
  await page.getByLabel('您的姓名').fill('李华');
  await page.getByLabel('手机号码').fill('13800138000');
  await page.getByLabel('同意公开我的诉求和答复').check();
  await page.getByLabel('我已阅读并同意隐私声明').check();
  await page.getByLabel('照片（选填）').setInputFiles({ name: 'shop.png', mimeType: 'image/png', buffer: png(640, 480) });
  await expect(page.locator('.c-photo').first()).toContainText('已上传');
  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.locator('.c-summary')).toContainText('1 张');
  await page.getByRole('button', { name: '提交诉求' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('诉求已提交');
  const number = (await page.locator('.c-confirmation__number').textContent())!.trim();
  const code = (await page.locator('.c-code').textContent())!.trim();

  const meta = await (await page.request.get('/api/v1/meta')).json();
  await act(page, number, [
    { action: 'accept' },
    { action: 'assign', department: meta.departments[0].code },
    { action: 'reply', text: '已约谈商户，音响已调小并不再外放。' },
  ]);

  await openApp(page, '/track');
  await page.getByLabel('诉求编号').fill(number);
  await page.getByLabel('查询码（选填）').fill(code);
  await page.getByRole('button', { name: '查询' }).click();
  const owner = page.locator('.c-owner');
  await expect(owner).toContainText('李华');
  await expect(page.getByText('已约谈商户')).toBeVisible();
  await page.getByRole('radio', { name: '满意', exact: true }).check();
  await page.getByRole('button', { name: '提交评价' }).click();
  await expect(owner).toContainText('满意');
  await expect(page.getByRole('button', { name: '提交评价' })).toHaveCount(0);

  // Published by the resident's choice once the centre has reviewed it: the public page
  // shows it closed, with the reply.
  await expect(owner.locator('[data-publication]')).toHaveAttribute('data-publication', 'awaiting_review');
  await publish(page, number);
  const detail = await (await page.request.get(`/api/v1/cases/${number}`)).json();
  expect(detail.summary.status).toBe('closed');
  expect(detail.reply.text).toContain('已约谈商户');
});
