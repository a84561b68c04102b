import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, openApp, ConsoleWatch } from './fixtures/app';
import { STAFF, publish } from './fixtures/staff';

/** A title no other test uses, so the case can be found again on the public board. */
function uniqueTitle(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** Fills the form with a valid case in Chinese; `publish` ticks the opt-in. */
async function fillValidCase(page: Page, title: string, publish = true) {
  await page.getByLabel('投诉').check();
  await page.getByLabel('诉求类别').selectOption('environment.noise');
  await page.getByLabel('所在区域').selectOption('wuhou');
  await page.getByLabel('具体地点').fill('人民南路四段12号');
  await page.getByLabel('标题').fill(title);
  await page.getByLabel('具体情况').fill('每晚十一点以后工地仍在施工，噪音很大，影响休息。');
  await page.getByLabel('您的姓名').fill('王小明');
  await page.getByLabel('手机号码').fill('13912345678');
  if (publish) await page.getByLabel('同意公开我的诉求和答复').check();
  await page.getByLabel('我已阅读并同意隐私声明').check();
}

/** How many cases carry `title`, from the staff's work queue (a case asking to be published
 * awaits the centre's review, so the public board does not list it yet). */
async function filedWithTitle(page: Page, title: string): Promise<number> {
  const response = await page.request.get('/api/v1/staff/cases?limit=50', { headers: STAFF });
  const body = await response.json();
  return body.items.filter((c: { title: string }) => c.title === title).length;
}

test('a resident files a case in Chinese and gets a number and a tracking code', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 700 });
  await openApp(page, '/file');
  await expect(page.locator('main')).toContainText('110');
  await expect(page.locator('main')).toContainText('信访');
  await expectNoAxeViolations(page);
  await expectNoSidewaysScroll(page);
  await page.getByRole('button', { name: '开始填写' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('填写诉求');
  const title = uniqueTitle('夜间施工噪音');
  await fillValidCase(page, title);
  // Texts about the case are offered, ticked by default (the phone is required anyway).
  await expect(page.getByLabel('诉求有进展时给我发短信')).toBeChecked();
  await expect(page.getByText(/还可输入 \d+ 个字/).first()).toBeVisible();
  await expectNoAxeViolations(page);
  await expectNoSidewaysScroll(page);
  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('请核对您的诉求');
  await expect(page.locator('.c-summary')).toContainText(title);
  await expect(page.locator('.c-summary')).toContainText('武侯区');
  await expect(page.locator('.c-summary')).toContainText('诉求有进展时给我发短信');
  await expectNoAxeViolations(page);
  await expectNoSidewaysScroll(page);
  await page.getByRole('button', { name: '提交诉求' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('诉求已提交');
  const number = (await page.locator('.c-confirmation__number').textContent())!.trim();
  expect(number).toMatch(/^\d{8}-\d{4,6}$/);
  await expect(page.locator('.c-code')).toHaveText(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await expect(page).toHaveTitle(/^诉求已提交 - /);
  await expectNoAxeViolations(page);
  await expectNoSidewaysScroll(page);
  // Remembered on this device; the draft is gone.
  const stored = await page.evaluate(() => [localStorage.getItem('civic.my_cases'), localStorage.getItem('civic.draft')]);
  expect(JSON.parse(stored[0]!)[0].number).toBe(number);
  // Filed asking for texts, in the language it was written in.
  const mine = JSON.parse(stored[0]!)[0];
  const owner = await (await page.request.get(`/api/v1/cases/${number}`, { headers: { 'X-Tracking-Code': mine.tracking_code } })).json();
  expect(owner.owner.texts).toBe(true);
  expect(stored[1] === null || JSON.parse(stored[1]).case.title === '').toBeTruthy();
  // Published by choice once the 12345 centre has reviewed it: until then the public page
  // shows its progress only; then the case.
  await openApp(page, `/cases/${number}`);
  await expect(page.locator('main')).toContainText('这个诉求没有公开');
  await publish(page, number);
  await openApp(page, `/cases/${number}`);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.locator('main')).not.toContainText('王小明');
  await expect(page.locator('main')).not.toContainText('13912345678');
});

test('a resident files a case in English', async ({ page }) => {
  await openApp(page, '/file?lang=en');
  await page.getByRole('button', { name: 'Start now' }).click();
  await page.getByLabel('Complaint').check();
  await page.getByLabel('What is it about?').selectOption('transport.bus');
  await page.getByLabel('District').selectOption('gaoxin');
  await page.getByLabel('Where exactly?').fill('Tianfu 3rd Street');
  await page.getByLabel('Title', { exact: true }).fill('Bus stop signs only in Chinese');
  await page.getByLabel('What happened?').fill('The stop names on the new line are only in Chinese. Please add English.');
  await page.getByLabel('Your name').fill('Alex Smith');
  await page.getByLabel('Mobile number').fill('+86 139 1234 5678');
  await page.getByLabel('I have read and accept the privacy notice').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your answers before sending');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Case sent');
  await expect(page.getByText('This code is shown only once')).toBeVisible();
  await expectNoAxeViolations(page);
});

test('errors are summarised, focused, linked to their fields, and nothing typed is lost', async ({ page }) => {
  await openApp(page, '/file');
  await page.getByRole('button', { name: '开始填写' }).click();
  await page.getByLabel('标题').fill('噪音');
  await page.getByLabel('手机号码').fill('028-85551234');
  await page.getByRole('button', { name: '继续' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toBeFocused();
  await expect(page).toHaveTitle(/^错误：提交诉求 - /);
  await expect(summary).toContainText('请选择诉求类型');
  await expect(summary).toContainText('标题至少需要 4 个字');
  await expect(summary).toContainText('请输入11位手机号码');
  await expect(summary).toContainText('隐私声明');
  // Each entry leads to its field.
  await summary.getByRole('link', { name: /标题/ }).click();
  await expect(page.getByLabel('标题')).toBeFocused();
  await expect(page.getByLabel('标题')).toHaveValue('噪音');
  await expect(page.getByLabel('标题')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#field-title-error')).toContainText('至少需要 4 个字');
  await expect(page.getByLabel('手机号码')).toHaveValue('028-85551234');
  await expectNoAxeViolations(page);
});

test('in English, each error says what to do for its own field', async ({ page }) => {
  await openApp(page, '/file?lang=en');
  await page.getByRole('button', { name: 'Start now' }).click();
  await page.getByLabel('Title').fill('Hum');
  await page.getByRole('button', { name: 'Continue' }).click();
  const entries = page.getByRole('alert').getByRole('listitem');
  await expect(entries.first()).toHaveText('Choose what you would like to do');
  const texts = await entries.allTextContents();
  expect(texts).toContain('Title must be at least 4 characters');
  expect(texts).toContain('Enter your mobile number');
  // No entry is a label and a generic word joined by a colon of either width.
  for (const text of texts) expect(text).not.toMatch(/[:：]/);
});

test('the form can be completed with the keyboard alone', async ({ page }) => {
  await openApp(page, '/file');
  await page.getByRole('button', { name: '开始填写' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('填写诉求');
  // The new step puts focus on its heading (in the next frame); then the first radio, and
  // arrow keys move within the group.
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await page.locator('#field-kind').focus();
  await expect(page.locator('#field-kind')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByLabel('投诉')).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('诉求类别')).toBeFocused();
  await page.getByLabel('诉求类别').selectOption('environment.noise');
  await page.keyboard.press('Tab');
  await page.getByLabel('所在区域').selectOption('wuhou');
  await page.keyboard.press('Tab');
  await page.keyboard.type('春熙路步行街');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: '使用我的位置' })).toBeFocused();
  await page.keyboard.press('Tab');
  // A title no published case shares a word with, so no similar-case links join the tab order.
  await page.keyboard.type(uniqueTitle('Kbd'));
  await page.keyboard.press('Tab');
  await page.keyboard.type('路面坑洼，下雨后积水，电瓶车经过容易摔倒。');
  await page.keyboard.press('Tab');
  // The photo picker (optional) opens the gallery or camera with Enter or Space.
  await expect(page.getByLabel('照片（选填）')).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.type('李华');
  await page.keyboard.press('Tab');
  await page.keyboard.type('13800138000');
  // Texts are ticked already; the keyboard passes them by.
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('诉求有进展时给我发短信')).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await expect(page.getByLabel('我已阅读并同意隐私声明')).toBeChecked();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('请核对您的诉求');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await page.getByRole('button', { name: '提交诉求' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('诉求已提交');
});

test('the draft survives a reload', async ({ page }) => {
  await openApp(page, '/file');
  await page.getByRole('button', { name: '开始填写' }).click();
  await page.getByLabel('建议').check();
  await page.getByLabel('标题').fill('建议增加早高峰班次');
  await page.getByLabel('具体情况').fill('早高峰公交车非常拥挤');
  await page.getByLabel('所在区域').selectOption('chenghua');
  await page.reload();
  await expect(page.locator('#boot')).toHaveCount(0);
  await expect(page.getByText('已恢复您上次未提交的内容')).toBeVisible();
  await expect(page.getByLabel('建议')).toBeChecked();
  await expect(page.getByLabel('标题')).toHaveValue('建议增加早高峰班次');
  await expect(page.getByLabel('具体情况')).toHaveValue('早高峰公交车非常拥挤');
  await expect(page.getByLabel('所在区域')).toHaveValue('chenghua');
});

test('a submission whose answer is lost, then retried, makes exactly one case', async ({ page }) => {
  await openApp(page, '/file');
  await page.getByRole('button', { name: '开始填写' }).click();
  const title = uniqueTitle('响应丢失');
  await fillValidCase(page, title);
  await page.getByRole('button', { name: '继续' }).click();
  // The request reaches the server, which files the case; the answer never comes back.
  let lost = 0;
  await page.route('**/api/v1/cases', async (route) => {
    if (route.request().method() === 'POST' && lost === 0) {
      lost += 1;
      await route.fetch();
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await page.getByRole('button', { name: '提交诉求' }).click();
  await expect(page.getByRole('alert')).toContainText('提交没有成功，您填写的内容已保存');
  expect(lost).toBe(1);
  expect(await filedWithTitle(page, title)).toBe(1);
  await page.getByRole('button', { name: '重新提交' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('诉求已提交');
  expect(await filedWithTitle(page, title)).toBe(1);
});

test('a submission made offline is sent by itself when the connection returns', async ({ page, context }) => {
  await openApp(page, '/file');
  await page.getByRole('button', { name: '开始填写' }).click();
  const title = uniqueTitle('离线提交');
  await fillValidCase(page, title);
  await page.getByRole('button', { name: '继续' }).click();
  await context.setOffline(true);
  await page.getByRole('button', { name: '提交诉求' }).click();
  await expect(page.getByRole('alert')).toContainText('网络已断开');
  await context.setOffline(false);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('诉求已提交');
  expect(await filedWithTitle(page, title)).toBe(1);
});

test('"use my location" adds the position when allowed and says so in words when refused', async ({ page, context }) => {
  await context.grantPermissions(['geolocation']);
  await context.setGeolocation({ latitude: 30.64242, longitude: 104.04311 });
  await openApp(page, '/file');
  await page.getByRole('button', { name: '开始填写' }).click();
  await page.getByRole('button', { name: '使用我的位置' }).click();
  await expect(page.getByText('已添加位置：30.64242, 104.04311')).toBeVisible();
  await expectNoAxeViolations(page);
  // Kept in the draft across a reload, shown on the check page, sent with the case.
  await page.reload();
  await expect(page.getByText('已添加位置：30.64242, 104.04311')).toBeVisible();
  const title = uniqueTitle('定位测试');
  await fillValidCase(page, title, false);
  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.locator('.c-summary')).toContainText('30.64242, 104.04311');
  const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/cases') && r.method() === 'POST');
  await page.getByRole('button', { name: '提交诉求' }).click();
  const body = (await sent).postDataJSON();
  expect(body.latitude).toBeCloseTo(30.64242, 5);
  expect(body.longitude).toBeCloseTo(104.04311, 5);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('诉求已提交');
});

test('refusing the location leaves a plain explanation and the place in words', async ({ page }) => {
  // What the browser reports when the person says no (headless Chromium has no prompt).
  await page.addInitScript(() => {
    navigator.geolocation.getCurrentPosition = (_ok, fail) =>
      fail?.({ code: 1, message: 'denied', PERMISSION_DENIED: 1, POSITION_UNAVAILABLE: 2, TIMEOUT: 3 } as GeolocationPositionError);
  });
  await openApp(page, '/file');
  await page.getByRole('button', { name: '开始填写' }).click();
  await page.getByRole('button', { name: '使用我的位置' }).click();
  await expect(page.getByText('没有获得定位许可。您可以直接用文字描述地点。')).toBeVisible();
  await expect(page.getByLabel('具体地点')).toBeEditable();
});

test('similar published cases are offered while the title is typed, without blocking', async ({ page }) => {
  // A published case about noise exists in the demo data; the hint finds it by shared words.
  const response = await page.request.get('/api/v1/cases/similar?text=' + encodeURIComponent('夜间施工噪音扰民'));
  const expected: { number: string; title: string }[] = await response.json();
  expect(expected.length).toBeGreaterThan(0);
  await openApp(page, '/file');
  await page.getByRole('button', { name: '开始填写' }).click();
  await page.evaluate(() => {
    document.getElementById('civic-live')!.textContent = '';
  });
  await page.getByLabel('标题').fill('夜间施工噪音扰民');
  const hint = page.getByRole('complementary', { name: '可能已经有人反映过' });
  await expect(hint).toBeVisible();
  // Hints that come while the person types are not announced over their typing.
  await expect(page.locator('#civic-live')).toHaveText('');
  await expect(hint.getByRole('link')).toHaveCount(Math.min(expected.length, 3));
  await expect(hint.getByRole('link').first()).toHaveAttribute('href', `/cases/${expected[0].number}`);
  // Told apart: no two offered with one title, and each says where, when and how far along.
  const titles = await hint.getByRole('link').allTextContents();
  expect(new Set(titles.map((t) => t.replace(/[^\p{L}\p{N}]/gu, '').toLowerCase())).size).toBe(titles.length);
  const items = hint.locator('li');
  for (let i = 0; i < await items.count(); i++) {
    await expect(items.nth(i).locator('.c-tag--status')).toBeVisible();
    await expect(items.nth(i)).toContainText(/\d{4}年\d{1,2}月\d{1,2}日/);
    await expect(items.nth(i)).toContainText(/区|县|市/);
  }
  await expectNoAxeViolations(page);
  // Nothing similar: no hint.
  await page.getByLabel('标题').fill('Zzqx qqzx wwxz');
  await expect(hint).toHaveCount(0);
});

test('publishing a description with a phone, an ID number or an email warns before sending', async ({ page }) => {
  await openApp(page, '/file');
  await page.getByRole('button', { name: '开始填写' }).click();
  await fillValidCase(page, uniqueTitle('隐私提醒'), true);
  const warning = page.locator('.c-panel--warning', { hasText: '似乎有个人信息' });
  await expect(warning).toHaveCount(0);
  await page.getByLabel('具体情况').fill('噪音很大，请回电 138 0013 8000，或发邮件到 wang@example.com。');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('电话号码');
  await expect(warning).toContainText('电子邮箱地址');
  await expect(warning).not.toContainText('身份证号码');
  await expectNoAxeViolations(page);
  // Not published: nothing to warn about.
  await page.getByLabel('同意公开我的诉求和答复').uncheck();
  await expect(warning).toHaveCount(0);
  await page.getByLabel('同意公开我的诉求和答复').check();
  // The check page repeats the warning; it never blocks the filing.
  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.locator('.c-panel--warning', { hasText: '似乎有个人信息' })).toBeVisible();
  await expect(page.getByRole('button', { name: '提交诉求' })).toBeEnabled();
});

test('moving on from the form the moment the title is typed leaves nothing running behind it', async ({ page }) => {
  const watch = new ConsoleWatch(page);
  await openApp(page, '/file');
  await page.getByRole('button', { name: '开始填写' }).click();
  await fillValidCase(page, uniqueTitle('工地夜间施工'), false);
  // The title last, then straight on: its similar-cases lookup was still waiting to start.
  await page.getByLabel('标题').fill(uniqueTitle('工地夜间施工噪音'));
  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('请核对您的诉求');
  await page.waitForTimeout(800);
  await page.getByRole('button', { name: '返回', exact: true }).click();
  await expect(page.getByLabel('标题')).toBeVisible();
  expect(watch.errors).toEqual([]);
});
