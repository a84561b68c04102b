import { test, expect, openApp, publishedCaseNumber, ROUTES } from './fixtures/app';

test('a deep link to a case reloads into that case', async ({ page }) => {
  const number = await publishedCaseNumber(page);
  const title = (await (await page.request.get(`/api/v1/cases/${number}`)).json()).summary.title;
  await openApp(page, `/cases/${number}`);
  // The case's title is the heading, its number above it.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.locator('.c-caption')).toHaveText(`诉求详情 ${number}`);
  await expect(page.getByRole('heading', { name: '办理过程' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '答复意见' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
});

test('on a phone, a case number never breaks, and what was written and answered comes before the facts', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  const number = await publishedCaseNumber(page);
  for (const path of [`/cases/${number}`, `/cases/${number}?lang=en`]) {
    await openApp(page, path);
    const numberText = page.locator('.c-caption .u-nowrap');
    await expect(numberText).toHaveText(number);
    // One line box: the number is not split.
    expect(await numberText.evaluate((el) => el.getClientRects().length)).toBe(1);
    const order = await page.locator('main').evaluate((main) => {
      const top = (selector: string) => main.querySelector(selector)!.getBoundingClientRect().top;
      return { reply: top('.c-reply'), facts: top('.c-facts'), timeline: top('.c-timeline') };
    });
    expect(order.reply).toBeLessThan(order.facts);
    expect(order.facts).toBeLessThan(order.timeline);
  }
});

test('following a link moves focus to the new page heading and sets its title', async ({ page }) => {
  await openApp(page, '/');
  await page.locator('section[aria-labelledby=home-announcements] .c-card a').first().click();
  await expect(page).toHaveURL(/\/announcements\/\d+$/);
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toBeFocused();
  // The heading becomes the announcement's own title once it has loaded.
  await expect(page.locator('.c-facts')).toBeVisible();
  await expect(page).toHaveTitle(new RegExp(`^${(await heading.textContent())!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} - `));
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('您的诉求，我们来办');
});

test('an unknown path shows the not-found page with a way home', async ({ page }) => {
  await openApp(page, '/no/such/page');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('页面未找到');
  await expect(page).toHaveTitle('页面未找到 - 成都市网络理政平台');
  await page.getByRole('link', { name: '返回首页' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('您的诉求，我们来办');
});

test('a case number that names no case says so', async ({ page }) => {
  await openApp(page, '/cases/20200101-9999');
  await expect(page.getByText('没有查到这个编号的诉求。')).toBeVisible();
});

for (const route of ROUTES) {
  test(`${route.path} has its own heading and title in both languages`, async ({ page }) => {
    await openApp(page, route.path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(route.zh);
    await expect(page).toHaveTitle(/ - 成都市网络理政平台$/);
    await openApp(page, `${route.path}?lang=en`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(route.en);
    await expect(page).toHaveTitle(/ - Chengdu Citizen Service Platform$/);
  });
}

test('on a phone the header stays short, and filing is the home page\'s main action', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  for (const [path, start] of [['/file', '开始填写'], ['/file?lang=en', 'Start now']]) {
    await openApp(page, path);
    const header = await page.locator('header.c-header').boundingBox();
    expect(header!.height / 780).toBeLessThan(0.22);
    // What the page is for is on the first screen (in Chinese; the English introduction is
    // longer and puts it just below).
    if (!path.includes('lang=en')) {
      const button = await page.getByRole('button', { name: start }).boundingBox();
      expect(button!.y + button!.height).toBeLessThanOrEqual(780);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }
  await openApp(page, '/');
  await expect(page.locator('.c-task--main .c-task__link')).toHaveAttribute('href', '/file');
});

test('the navigation marks the section on a case or a document, and a document leads back', async ({ page }) => {
  const number = await publishedCaseNumber(page);
  await openApp(page, `/cases/${number}`);
  await expect(page.locator('.c-nav a[aria-current=page]')).toHaveText('公开诉求');
  await openApp(page, '/documents/1?lang=en');
  await expect(page.locator('.c-nav a[aria-current=page]')).toHaveText('Government information');
  await page.getByRole('link', { name: 'Back to government information' }).click();
  await expect(page).toHaveURL(/\/documents(\?lang=en)?$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Government information');
});

test("a case's dates are written on China's clock, the way each language writes them", async ({ page }) => {
  const number = await publishedCaseNumber(page);
  const summary = (await (await page.request.get(`/api/v1/cases/${number}`)).json()).summary;
  // What the API says, moved to UTC+8 (China has no daylight saving).
  const china = new Date(Date.parse(summary.submitted_at) + 8 * 3600 * 1000);
  const [y, m, d] = [china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate()];
  const time = `${String(china.getUTCHours()).padStart(2, '0')}:${String(china.getUTCMinutes()).padStart(2, '0')}`;
  const months = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
  for (const [query, label, expected] of [
    ['', '提交时间', `${y}年${m + 1}月${d}日 ${time}`],
    ['?lang=en', 'Filed', `${months[m]} ${d}, ${y}, ${time}`],
  ]) {
    await openApp(page, `/cases/${number}${query}`);
    const row = page.locator('.c-facts__row').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) });
    await expect(row.locator('dd')).toHaveText(expected);
  }
});
