import { defineConfig } from '@playwright/test';
import { STAFF_TOKEN } from './tests/fixtures/staff';

// scripts/e2e.sh starts nothing itself: Playwright starts the server below on the free port
// and the fresh temporary database the script chose, and stops it afterwards.
const port = process.env.CIVIC_E2E_PORT ?? '18099';
// The example portal, served by end2end/portal-server.mjs from an origin of its own.
const portalPort = process.env.CIVIC_E2E_PORTAL_PORT ?? '18098';
const database = process.env.CIVIC_E2E_DATABASE_URL ?? 'sqlite:///tmp/civic-e2e.db';
const dataDir = process.env.CIVIC_E2E_DATA_DIR ?? '/tmp/civic-e2e-data';
const server = process.env.CIVIC_E2E_SERVER ?? 'target/debug/civic-server';

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: true,
  retries: 0,
  workers: 2,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    // A phone set to Chinese, like most of the platform's residents.
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'off',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'phone', use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
    {
      // WeChat's in-app browser on Android (XWeb): its user agent and a small phone.
      name: 'wechat',
      testMatch: /(file_case|file_photos|track_case|follow_links|embed)\.spec\.ts/,
      use: {
        viewport: { width: 360, height: 780 },
        isMobile: true,
        hasTouch: true,
        userAgent:
          'Mozilla/5.0 (Linux; Android 13; V2055A Build/TP1A.220624.014; wv) AppleWebKit/537.36 ' +
          '(KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 ' +
          'MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 ' +
          'Weixin NetType/4G Language/zh_CN ABI/arm64',
      },
    },
  ],
  webServer: [{
    command: `node end2end/portal-server.mjs ${portalPort}`,
    cwd: '..',
    url: `http://127.0.0.1:${portalPort}/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
  }, {
    command: server,
    cwd: '..',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      CIVIC_ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: database,
      CIVIC_DATA_DIR: dataDir,
      CIVIC_STATIC_DIR: 'dist',
      CIVIC_DEMO: '1',
      // Every test files from 127.0.0.1; the per-client limit has its own server tests.
      CIVIC_FILING_RATE: '1000/60',
      // The example portal is opened from http://localhost:PORTAL (another site) and embeds
      // the app from http://127.0.0.1.
      CIVIC_FRAME_ANCESTORS: `http://localhost:${portalPort}`,
      // The staff API moves cases along in the tracking tests.
      CIVIC_STAFF_TOKEN: STAFF_TOKEN,
      // Texts are offered (the form asks, the owner can stop them); the gateway is a port
      // nothing listens on, so messages wait in the outbox and are retried.
      CIVIC_PUBLIC_URL: `http://127.0.0.1:${port}`,
      CIVIC_SMS_WEBHOOK: 'http://127.0.0.1:9/sms',
      CIVIC_SMS_SECRET: 'e2e-sms-secret-0123456789',
      RUST_LOG: 'warn',
    },
  }],
});
