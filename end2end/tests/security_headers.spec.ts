import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from './fixtures/app';

/** Every HTML file of the real build, as the path the server answers it at. */
function htmlFiles(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return htmlFiles(file, root);
    return name.endsWith('.html') ? ['/' + path.relative(root, file)] : [];
  });
}

/** A source that admits a whole scheme or every origin: a page of ours could then run
 * another origin's script and read every tracking code in its storage (SECURITY.md). */
function schemeWide(policy: string): string[] {
  return policy.split(';').flatMap((directive) => {
    const [name, ...sources] = directive.trim().split(/\s+/);
    const scripts = ['script-src', 'default-src', 'script-src-elem'].includes(name);
    return sources.filter((s) => {
      const source = s.toLowerCase();
      return source === '*' || source === 'http:' || source === 'https:' || source.startsWith('*.')
        || (scripts && (source === 'data:' || source === 'blob:'));
    });
  });
}

test('no page of the build runs another origin\'s script, whatever its query says', async ({ request }) => {
  const dist = path.resolve(__dirname, '../../dist');
  const pages = htmlFiles(dist);
  expect(pages.length).toBeGreaterThan(5);
  expect(pages.some((p) => p.startsWith('/examples/')), 'the example portal is not in the build').toBe(false);
  const portal = await request.get('/examples/portal.html?app=http://evil.example');
  expect(portal.status(), 'the example portal is not served').toBe(404);
  expect(schemeWide(portal.headers()['content-security-policy'] ?? '')).toEqual([]);
  for (const page of [...pages, '/', '/file', '/cases/20261126-0042', '/no/such/page']) {
    const response = await request.get(page);
    const policy = response.headers()['content-security-policy'] ?? '';
    expect(policy, page).toContain("script-src 'self'");
    expect(schemeWide(policy), `${page}: ${policy}`).toEqual([]);
  }
});
