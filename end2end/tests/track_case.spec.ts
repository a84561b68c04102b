import type { Page } from '@playwright/test';
import { test, expect, openApp, publishedCaseNumber, fileCase } from './fixtures/app';
import AxeBuilder from '@axe-core/playwright';
import { act, publish } from './fixtures/staff';

/** Moves a case from submitted to replied through the staff API. */
async function replyTo(page: Page, number: string): Promise<void> {
  const meta = await (await page.request.get('/api/v1/meta')).json();
  await act(page, number, [
    { action: 'accept' },
    { action: 'assign', department: meta.departments[0].code },
    { action: 'reply', text: '已安排维修人员更换路灯，预计三个工作日内完成。' },
  ]);
}

test('the owner sees their case with the code, rates the reply and asks for it to be handled again', async ({ page }) => {
  const { number, code } = await fileCase(page, '小区路灯损坏一个多月无人修');
  await replyTo(page, number);
  await openApp(page, '/track');
  await page.getByLabel('诉求编号').fill(number);
  await page.getByLabel('查询码（选填）').fill(code.toLowerCase());
  await page.getByRole('button', { name: '查询' }).click();

  const owner = page.locator('.c-owner');
  await expect(owner).toContainText('王小明');
  await expect(owner).toContainText('13912345678');
  await expect(page.getByText('已安排维修人员更换路灯')).toBeVisible();
  // The number is in the address (reload, back); the code never is.
  await expect(page).toHaveURL(new RegExp(`/track\\?number=${number}$`));
  expect(page.url()).not.toContain(code.replaceAll('-', '').slice(0, 6));

  await page.getByRole('radio', { name: '不满意' }).check();
  await page.getByLabel('补充说明（选填）').fill('路灯还是不亮。');
  await page.getByRole('button', { name: '提交评价' }).click();
  await expect(owner).toContainText('不满意');
  await expect(page.getByRole('button', { name: '提交评价' })).toHaveCount(0);

  await page.getByLabel('还有什么问题没有解决？').fill('换了灯泡以后第二天又坏了，请再派人检查线路。');
  await page.getByRole('button', { name: '提交追问' }).click();
  await expect(page.locator('.c-timeline')).toContainText('换了灯泡以后第二天又坏了');
  await expect(page.getByRole('button', { name: '提交追问' })).toHaveCount(0);
});

test('by number alone, anyone sees a published case but never the owner\'s details', async ({ page }) => {
  const number = await publishedCaseNumber(page);
  await openApp(page, `/track?number=${number}`);
  await expect(page.locator('.c-tracked')).toContainText(number);
  await expect(page.locator('.c-timeline')).toBeVisible();
  await expect(page.locator('.c-owner')).toHaveCount(0);
  expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);
});

test('by number alone, an unpublished case shows only its progress; a wrong code says they do not match', async ({ page }) => {
  const { number } = await fileCase(page, '公交站台雨棚漏水');
  await openApp(page, '/track');
  await page.getByLabel('诉求编号').fill(number);
  await page.getByRole('button', { name: '查询' }).click();
  const tracked = page.locator('.c-tracked');
  await expect(tracked).toContainText('这里只显示办理进度');
  await expect(tracked).toContainText('已提交');
  await expect(tracked).not.toContainText('公交站台雨棚漏水');
  await expect(tracked).not.toContainText('人民南路二段');
  await expect(page.locator('.c-owner')).toHaveCount(0);
  await page.getByLabel('查询码（选填）').fill('ABCD-EFGH-JKMN-PQRS');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByRole('alert')).toContainText('不匹配');
});

test('a malformed number is explained beside the field and in the summary', async ({ page }) => {
  await openApp(page, '/track?lang=en');
  await page.getByLabel('Case number').fill('12345');
  await page.getByRole('button', { name: 'Look up' }).click();
  const summary = page.locator('#error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText('Enter a case number like 20261126-0042');
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.getByLabel('Case number')).toHaveAttribute('aria-invalid', 'true');
});

test('a case filed on this device opens from "My cases" with its stored code', async ({ page }) => {
  const { number, code } = await fileCase(page, '夜间工地施工噪音扰民');
  await page.addInitScript(([n, c]) => {
    localStorage.setItem('civic.my_cases', JSON.stringify([{ number: n, tracking_code: c, title: '夜间工地施工噪音扰民' }]));
  }, [number, code]);
  await openApp(page, '/track');
  await page.getByRole('button', { name: '夜间工地施工噪音扰民' }).click();
  await expect(page.locator('.c-owner')).toContainText('王小明');
  // A reload keeps the case, and the code comes from this device again.
  await page.reload();
  await expect(page.locator('.c-owner')).toContainText('王小明');
});

test('in English, the owner rates a replied case satisfied and it is closed', async ({ page }) => {
  const { number, code } = await fileCase(page, 'Street light out on Renmin Road');
  await replyTo(page, number);
  await openApp(page, '/track?lang=en');
  await page.getByLabel('Case number').fill(number);
  await page.getByLabel('Tracking code (optional)').fill(code);
  await page.getByRole('button', { name: 'Look up' }).click();
  await expect(page.locator('.c-owner')).toContainText('Only you can see this');
  await page.getByRole('radio', { name: 'Satisfied', exact: true }).check();
  await page.getByRole('button', { name: 'Send rating' }).click();
  await expect(page.locator('.c-owner')).toContainText('Satisfied');
  await expect(page.locator('.c-facts').last()).toContainText('Closed');
  // Satisfied: nothing more to ask.
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toHaveCount(0);
  expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);
});

test('a case its owner agreed to publish awaits the centre\'s review, then shows as published', async ({ page }) => {
  const { number, code } = await fileCase(page, '人行道井盖松动踩上去会翻', true);
  const lookUp = async (lang: 'zh' | 'en') => {
    await openApp(page, lang === 'zh' ? '/track' : '/track?lang=en');
    await page.getByLabel(lang === 'zh' ? '诉求编号' : 'Case number').fill(number);
    await page.getByLabel(lang === 'zh' ? '查询码（选填）' : 'Tracking code (optional)').fill(code);
    await page.getByRole('button', { name: lang === 'zh' ? '查询' : 'Look up' }).click();
    return page.locator('.c-owner [data-publication]');
  };
  let state = await lookUp('zh');
  await expect(state).toHaveAttribute('data-publication', 'awaiting_review');
  await expect(state).toContainText('待审核');
  state = await lookUp('en');
  await expect(state).toContainText('Awaiting review');
  expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);
  // Until then the public sees its progress only, and the board does not list it.
  const before = await (await page.request.get(`/api/v1/cases/${number}`)).json();
  expect(before.published).toBe(false);
  expect(before.summary.title).toBe('');

  await publish(page, number);
  state = await lookUp('zh');
  await expect(state).toHaveAttribute('data-publication', 'published');
  await expect(state).toContainText('已公开');
  state = await lookUp('en');
  await expect(state).toContainText('Published (reviewed by the 12345 centre)');
  const after = await (await page.request.get(`/api/v1/cases/${number}`)).json();
  expect(after.summary.title).toBe('人行道井盖松动踩上去会翻');
});

test('the owner stops the texts about their case, and can start them again, in both languages', async ({ page }) => {
  const words = {
    zh: { number: '诉求编号', code: '查询码（选填）', look: '查询', on: '已开启', off: '已关闭', stop: '停止接收短信', start: '重新接收短信' },
    en: { number: 'Case number', code: 'Tracking code (optional)', look: 'Look up', on: 'On: we text you', off: 'Off', stop: 'Stop text messages', start: 'Text me again' },
  };
  for (const lang of ['zh', 'en'] as const) {
    const w = words[lang];
    const { number, code } = await fileCase(page, lang === 'zh' ? '路口信号灯不亮' : 'Traffic light out at the crossing', false, true);
    await openApp(page, lang === 'zh' ? '/track' : '/track?lang=en');
    await page.getByLabel(w.number).fill(number);
    await page.getByLabel(w.code).fill(code);
    await page.getByRole('button', { name: w.look }).click();
    const texts = page.locator('.c-owner [data-texts]');
    await expect(texts).toHaveAttribute('data-texts', 'true');
    await expect(texts).toContainText(w.on);
    await page.getByRole('button', { name: w.stop }).click();
    await expect(texts).toHaveAttribute('data-texts', 'false');
    await expect(texts).toContainText(w.off);
    // The server says so too, with the owner's code.
    const owner = await (await page.request.get(`/api/v1/cases/${number}`, { headers: { 'X-Tracking-Code': code } })).json();
    expect(owner.owner.texts).toBe(false);
    expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);
    await page.getByRole('button', { name: w.start }).click();
    await expect(texts).toHaveAttribute('data-texts', 'true');
  }
});
