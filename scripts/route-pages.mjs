// Writes a page for each route of the app beside `index.html` (called by split-wasm.mjs once
// `index.html` is final): `file/index.html`, `cases/index.html`, … Each is `index.html` with
// the route's title, and a skeleton that already shows the route's heading and fixed lead
// text in both languages (from the locale files; boot.js sets `lang` before the first paint
// and the stylesheet shows the matching one), so what paints first is the page, not
// "Loading". civic-server serves `<first segment>/index.html` for a route, else index.html
// (`web::AppShell`); any static host can do the same (README).
//
// Each page also starts fetching its page's pack (scripts/pack-chunks.mjs) at once, so that it
// downloads beside the main wasm instead of after the app has started; detail pages (`cases/_/`,
// `documents/_/`, `announcements/_/`: `/cases/<number>`…) get a page for that alone.
import * as fs from 'node:fs';
import * as path from 'node:path';

// Route folder → the locale keys of its heading and lead text (as the page itself shows them:
// src/pages/*.rs). Detail pages (a case, a document) take their heading from their data and
// keep index.html's skeleton.
const ROUTES = {
  file: ['title_file', 'file_intro_for'],
  track: ['title_track', 'track_intro'],
  cases: ['title_cases', 'board_intro'],
  documents: ['title_documents', 'docs_intro'],
  announcements: ['title_announcements', 'announcements_intro'],
  statistics: ['title_stats', 'stats_intro'],
  accessibility: ['title_accessibility', 'a11y_intro'],
};
const HOME = ['home_heading', 'home_intro'];
// Route folder → its page's split (src/lazy.rs), whose pack the page fetches ahead.
const SPLITS = {
  file: 'file_case',
  track: 'track',
  cases: 'board',
  documents: 'documents',
  announcements: 'announcements',
  statistics: 'statistics',
  accessibility: 'accessibility',
  'cases/_': 'case',
  'documents/_': 'document',
  'announcements/_': 'announcement',
};

/** `html` with `pack` added to what its start-up script fetches ahead (scripts/split-wasm.mjs). */
function preloadPack(html, pack) {
  const list = '].forEach(function(p){';
  if (!html.includes(list)) throw new Error("route-pages: no preload list in index.html");
  return html.replace(list, `,${JSON.stringify(['preload', `/${pack}`, '', 'fetch', ''])}${list}`);
}

const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Both languages' text, each shown only under its `lang` (style/main.css, `.c-boot__…`). */
const both = (zh, en, key) => `<span class="c-boot__zh">${escape(zh[key])}</span><span class="c-boot__en" lang="en">${escape(en[key])}</span>`;

function skeleton(zh, en, [heading, lead]) {
  return `<div id="boot-page"><h1 class="c-page-heading">${both(zh, en, heading)}</h1>`
    + (lead ? `<p class="c-lead">${both(zh, en, lead)}</p>` : '')
    + '</div>';
}

/** `index.html` with the skeleton of one route and its title (in Chinese, the default). */
function page(index, zh, en, keys, title) {
  const loading = /<p\b[^>]*\bid=("?)boot-loading\1[^>]*>/;
  if (!loading.test(index)) throw new Error('route-pages: no #boot-loading in index.html');
  let html = index.replace(loading, (tag) => skeleton(zh, en, keys) + tag);
  if (title) {
    const full = `${zh[title]} - ${zh.site_name}`;
    html = html.replace(/<title>[^<]*<\/title>/, `<title>${escape(full)}</title>`);
    // The share card's title (minified: attributes in any order, quoted or not).
    html = html.replace(/<meta\b[^>]*\bproperty=("?)og:title\1[^>]*>/, (tag) =>
      tag.replace(/\bcontent=("[^"]*"|[^\s>]+)/, `content="${escape(full)}"`));
  }
  return html;
}

export function writeRoutePages(staging, source, packs) {
  const locale = (name) => JSON.parse(fs.readFileSync(path.join(source, 'locales', `${name}.json`), 'utf8'));
  const [zh, en] = [locale('zh-CN'), locale('en')];
  const indexPath = path.join(staging, 'index.html');
  const index = fs.readFileSync(indexPath, 'utf8');
  for (const [route, split] of Object.entries(SPLITS)) {
    if (!packs[split]) throw new Error(`route-pages: no pack for ${split}`);
    const keys = ROUTES[route];
    const html = keys ? page(index, zh, en, keys, keys[0]) : index;
    fs.mkdirSync(path.join(staging, route), { recursive: true });
    fs.writeFileSync(path.join(staging, route, 'index.html'), preloadPack(html, packs[split]));
  }
  // The home page is index.html itself (also every route without a page of its own: its
  // heading shows only at `/`, see style/main.css).
  fs.writeFileSync(indexPath, page(index, zh, en, HOME, null).replace('<div id="boot-page">', '<div id="boot-page" class="c-boot__home">'));
  console.log(`route-pages: ${Object.keys(SPLITS).join(', ')}`);
}
