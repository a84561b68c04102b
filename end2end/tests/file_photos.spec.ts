import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, openApp } from './fixtures/app';
import { png } from './fixtures/images';

async function startForm(page: Page) {
  await openApp(page, '/file');
  await page.getByRole('button', { name: '开始填写' }).click();
  await page.getByLabel('投诉').check();
  await page.getByLabel('诉求类别').selectOption('environment.noise');
  await page.getByLabel('所在区域').selectOption('wuhou');
  await page.getByLabel('具体地点').fill('人民南路四段12号');
  await page.getByLabel('标题').fill('工地夜间施工噪音（附照片）');
  await page.getByLabel('具体情况').fill('每晚十一点以后工地仍在施工，噪音很大，照片是昨晚拍的。');
  await page.getByLabel('您的姓名').fill('王小明');
  await page.getByLabel('手机号码').fill('13912345678');
  await page.getByLabel('我已阅读并同意隐私声明').check();
}

test('a photo is shrunk on the phone, uploaded with progress, and sent with the case', async ({ page }) => {
  await startForm(page);
  const big = png(2400, 1800);
  const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/v1/uploads'));
  await page.getByLabel('照片（选填）').setInputFiles({ name: 'IMG_0001.png', mimeType: 'image/png', buffer: big });
  const photo = page.locator('.c-photo').first();
  await expect(photo).toContainText('已上传');
  // Shrunk on the device to 1600 px on the longest side before it was sent, and smaller.
  const receipt = await (await uploaded).json();
  expect([receipt.width, receipt.height]).toEqual([1600, 1200]);
  expect(receipt.bytes).toBeLessThan(big.length);
  expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);

  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.locator('.c-summary')).toContainText('1 张');
  const filed = page.waitForRequest((r) => r.url().endsWith('/api/v1/cases') && r.method() === 'POST');
  await page.getByRole('button', { name: '提交诉求' }).click();
  const body = JSON.parse((await filed).postData()!);
  expect(body.photos).toHaveLength(1);
  expect(body.photos[0]).toMatch(/^[0-9a-z_-]{8,}$/i);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('诉求已提交');
});

test('a failed upload can be retried, and the case waits for it', async ({ page }) => {
  let fail = true;
  await page.route('**/api/v1/uploads', (route) => (fail ? route.abort() : route.continue()));
  await startForm(page);
  await page.getByLabel('照片（选填）').setInputFiles({ name: 'a.png', mimeType: 'image/png', buffer: png(64, 48) });
  const photo = page.locator('.c-photo').first();
  await expect(photo).toContainText('上传失败');
  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.locator('#error-summary')).toContainText('请等照片上传完成');
  fail = false;
  await photo.getByRole('button', { name: /重新上传/ }).click();
  await expect(photo).toContainText('已上传');
  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('请核对您的诉求');
});

test('a photo can be removed, and a file that is not an image is refused', async ({ page }) => {
  await startForm(page);
  await page.getByLabel('照片（选填）').setInputFiles({ name: 'not-a-photo.png', mimeType: 'image/png', buffer: Buffer.from('hello') });
  const photo = page.locator('.c-photo').first();
  await expect(photo).toContainText('无法作为照片读取');
  await photo.getByRole('button', { name: /删除/ }).click();
  await expect(page.locator('.c-photo')).toHaveCount(0);
});

test('a case with a photo is filed in English and reaches the confirmation', async ({ page }) => {
  await openApp(page, '/file?lang=en');
  await page.getByRole('button', { name: 'Start now' }).click();
  await page.getByLabel('Complaint').check();
  await page.getByLabel('What is it about?').selectOption('transport.bus');
  await page.getByLabel('District').selectOption('gaoxin');
  await page.getByLabel('Where exactly?').fill('Tianfu 3rd Street');
  await page.getByLabel('Title', { exact: true }).fill('Broken bus stop shelter');
  await page.getByLabel('What happened?').fill('The glass of the shelter is broken and sharp. Photo attached.');
  await page.getByLabel('Photos (optional)').setInputFiles({ name: 'shelter.png', mimeType: 'image/png', buffer: png(800, 600) });
  await expect(page.locator('.c-photo').first()).toContainText('Uploaded');
  await page.getByLabel('Your name').fill('Alex Smith');
  await page.getByLabel('Mobile number').fill('+86 139 1234 5678');
  await page.getByLabel('I have read and accept the privacy notice').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('.c-summary')).toContainText('1 photo');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Case sent');
  expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);
});

test('photos are chosen with a button in the page\'s language, not the browser\'s control', async ({ page }) => {
  for (const [path, start, label, choose] of [
    ['/file', '开始填写', '照片（选填）', '选择照片'],
    ['/file?lang=en', 'Start now', 'Photos (optional)', 'Choose photos'],
  ]) {
    await openApp(page, path);
    await page.getByRole('button', { name: start }).click();
    const button = page.locator('.c-file__button');
    await expect(button).toHaveText(choose);
    await expect(button).toBeVisible();
    // The browser's own "Choose Files / No file chosen" is not what a resident sees.
    const input = page.getByLabel(label);
    expect(await input.evaluate((el) => el.getBoundingClientRect().width)).toBeLessThanOrEqual(1);
    // Keyboard focus on the input shows on the button.
    await input.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    await expect(input).toBeFocused();
    expect(await button.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
  }
});
