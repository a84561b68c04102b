// Trunk post-build hook: cuts the app's wasm into the first-load module and one chunk per
// on-demand page (`src/lazy.rs`), then puts them where Trunk put its single module.
//
// Trunk builds, binds and optimises the whole module as usual; this hook then redoes the
// last two steps on the split module, from the same cargo output:
//   1. `wasm-split-cli` cuts the linked wasm (built with `--emit-relocs`) at the
//      `#[wasm_split]` functions: main module, `split_<page>.wasm`, shared `chunk_<n>.wasm`,
//      and `__wasm_split.js`, which fetches a chunk the first time it is needed;
//   2. `wasm-bindgen --keep-lld-exports` on the main module (the chunks import its exports);
//   3. in release builds, `wasm-opt` on every module with the flags from `index.html`;
//   4. chunk files get a content hash in their names (so the server may cache them for a
//      year), the main JS and wasm replace Trunk's under Trunk's names, and the integrity
//      hashes in `index.html` are updated to the new files;
//   5. each page is packed with its chunks into one file for deep links
//      (scripts/pack-chunks.mjs);
//   6. the stylesheet goes inline, so the first paint waits on no other request;
//   7. a page per route is written beside `index.html` (scripts/route-pages.mjs).
// Only tools installed by scripts/install-tools.sh are used; nothing is downloaded.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packChunks } from './pack-chunks.mjs';
import { writeRoutePages } from './route-pages.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
const source = process.env.TRUNK_SOURCE_DIR ?? process.cwd();
const release = process.env.TRUNK_PROFILE === 'release';
if (!staging) throw new Error('split-wasm: run me as a Trunk post_build hook');

const target = process.env.CARGO_TARGET_DIR ?? process.env.CARGO_BUILD_TARGET_DIR ?? path.join(source, 'target');
const linked = path.join(target, 'wasm32-unknown-unknown', 'wasm-release', 'civic.wasm');
const work = path.join(target, 'wasm-split');
const splitDir = path.join(work, 'split');
const boundDir = path.join(work, 'bound');

const main = fs.readdirSync(staging).find((name) => /^civic-[0-9a-f]{1,16}_bg\.wasm$/.test(name));
if (!main) throw new Error(`split-wasm: no civic-<hash>_bg.wasm in ${staging}`);
const stem = main.slice(0, -'_bg.wasm'.length);

// The pinned tools, wherever PATH points: wasm-opt from npm, the others from ~/.cargo/bin.
const tool = (name, ...dirs) => dirs.map((dir) => path.join(dir, name)).find((file) => fs.existsSync(file)) ?? name;
const cargoBin = path.join(process.env.CARGO_HOME ?? path.join(process.env.HOME ?? '', '.cargo'), 'bin');
const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
const read = (file) => fs.readFileSync(file);
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const fingerprint = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(boundDir, { recursive: true });

// 1. Cut.
run(tool('wasm-split-cli', cargoBin), [linked, splitDir, '--out-name', stem]);

// 2. Bind the main module.
run(tool('wasm-bindgen', cargoBin), [
  '--target', 'web', '--keep-lld-exports', '--no-demangle',
  '--out-dir', boundDir, '--out-name', stem, path.join(splitDir, `${stem}.wasm`),
]);

const chunks = fs.readdirSync(splitDir).filter((name) => name.endsWith('.wasm') && name !== `${stem}.wasm`);
const mainWasm = path.join(boundDir, `${stem}_bg.wasm`);

// 3. Optimise every module alike.
if (release) {
  const html = fs.readFileSync(path.join(source, 'index.html'), 'utf8');
  const params = /data-wasm-opt-params="([^"]*)"/.exec(html)?.[1].split(/\s+/).filter(Boolean) ?? [];
  for (const file of [mainWasm, ...chunks.map((name) => path.join(splitDir, name))]) {
    run(tool('wasm-opt', path.join(source, 'node_modules', '.bin')), ['-Oz', '--strip-debug', '--strip-producers', ...params, file, '-o', file]);
  }
}

// 4. Fingerprint the chunks and the loader, then replace Trunk's files.
let loader = fs.readFileSync(path.join(splitDir, '__wasm_split.js'), 'utf8');
for (const name of chunks) {
  const bytes = read(path.join(splitDir, name));
  const hashed = `${name.slice(0, -'.wasm'.length)}-${fingerprint(bytes)}.wasm`;
  if (!loader.includes(`"./${name}"`)) throw new Error(`split-wasm: the loader does not fetch ${name}`);
  loader = loader.replaceAll(`"./${name}"`, `"./${hashed}"`);
  fs.writeFileSync(path.join(staging, hashed), bytes);
}
const packed = packChunks(loader, staging);
loader = packed.loader;
const loaderName = `__wasm_split-${fingerprint(loader)}.js`;
fs.writeFileSync(path.join(staging, loaderName), loader);

let glue = fs.readFileSync(path.join(boundDir, `${stem}.js`), 'utf8');
// Only the module specifier changes: the wasm still names its import "./__wasm_split.js".
if (!glue.includes('from "./__wasm_split.js"')) throw new Error('split-wasm: the glue does not import the loader');
glue = glue.replaceAll('from "./__wasm_split.js"', `from "./${loaderName}"`);

const indexPath = path.join(staging, 'index.html');
let index = fs.readFileSync(indexPath, 'utf8');
for (const [name, bytes] of [[`${stem}.js`, Buffer.from(glue)], [main, read(mainWasm)]]) {
  // The integrity attribute of every tag that loads this file (quoted or not, as minified).
  index = index.replace(/<(?:link|script)\b[^>]*>/g, (tag) => (tag.includes(`/${name}`)
    ? tag.replace(/integrity=("?)sha384-[A-Za-z0-9+/=]+\1/, `integrity=$1${sri(bytes)}$1`)
    : tag));
  fs.writeFileSync(path.join(staging, name), bytes);
}
index = inlineStylesheet(startOnlyWhereSupported(index));
fs.writeFileSync(indexPath, index);
console.log(`split-wasm: ${stem} + ${chunks.length} chunks (${chunks.join(', ')})`);
writeRoutePages(staging, source, packed.packs);

// A browser that cannot run the app (no WebAssembly, or no reference types: `boot.js` sets
// `window.__civicUnsupported` and shows the hotline instead) must download no wasm and throw
// nothing. Trunk's page preloads the JS and the wasm from `<link>` tags, which every browser
// follows, and imports and starts the app unconditionally; so the preloads become a script
// that adds them only where the app can run, and the start-up runs only there too.
function startOnlyWhereSupported(html) {
  const attr = (tag, name) => tag.match(new RegExp(`\\b${name}=("?)([^"\\s>]+)\\1`))?.[2];
  const preloads = [];
  html = html.replace(/<link\b[^>]*>/g, (tag) => {
    const rel = attr(tag, 'rel');
    if (rel !== 'modulepreload' && !(rel === 'preload' && /\.wasm\b/.test(attr(tag, 'href') ?? ''))) return tag;
    preloads.push([rel, attr(tag, 'href'), attr(tag, 'integrity') ?? '', attr(tag, 'as') ?? '', attr(tag, 'type') ?? '']);
    return '';
  });
  if (preloads.length !== 2) throw new Error(`split-wasm: expected Trunk's two preloads, found ${preloads.length}`);
  // What the app fetches itself (the wasm, a route's pack) is fetched here, at once, and
  // handed over by URL (`window.__civicAhead`): WebKit does not give a `<link rel=preload
  // as=fetch>` to a later fetch(), so a preload there meant downloading it twice.
  const adder = `<script>if(!window.__civicUnsupported){window.__civicAhead={};${JSON.stringify(preloads)}.forEach(function(p){`
    + 'if(p[3]==="fetch"){var f=fetch(p[1],p[2]?{integrity:p[2]}:{});f.catch(function(){});window.__civicAhead[p[1]]=f;return}'
    + 'var l=document.createElement("link");l.rel=p[0];l.href=p[1];if(p[2])l.integrity=p[2];'
    + 'l.crossOrigin="";if(p[4])l.type=p[4];document.head.appendChild(l)})}</script>';
  const start = /<script type=("?)module\1>([\s\S]*?)<\/script>/;
  const found = html.match(start);
  if (!found || !/import init, \* as bindings from '([^']+)';/.test(found[2])) {
    throw new Error("split-wasm: Trunk's start-up script has changed");
  }
  const body = found[2].replace(
    /import init, \* as bindings from '([^']+)';/,
    "const bindings = await import('$1');\nconst init = bindings.default;",
  ).replace(/module_or_path: '([^']+)'/, (_, wasm) => `module_or_path: window.__civicAhead['${wasm}'] || '${wasm}'`);
  if (!body.includes('window.__civicAhead')) throw new Error("split-wasm: Trunk's start-up no longer names the wasm");
  return html.replace(start, () => `${adder}<script type=module>if (!window.__civicUnsupported) {\n${body}\n}</script>`);
}

// The stylesheet inside the page (~4 KiB brotli): as a file it cost the first paint a request
// and its round trip, and every script after it, the early fetches included, waited for it.
// The server allows it by its hash (`web::inline_hashes`); the file stays out of dist/.
function inlineStylesheet(html) {
  const link = /<link\b[^>]*\brel=("?)stylesheet\1[^>]*>/g;
  const links = html.match(link) ?? [];
  if (links.length !== 1) throw new Error(`split-wasm: expected one stylesheet, found ${links.length}`);
  const name = links[0].match(/\bhref=("?)\/?([^"\s>]+)\1/)?.[2];
  if (!name || !fs.existsSync(path.join(staging, name))) throw new Error(`split-wasm: no stylesheet file for ${links[0]}`);
  const css = fs.readFileSync(path.join(staging, name), 'utf8');
  if (/<\/style/i.test(css)) throw new Error('split-wasm: the stylesheet cannot go inline');
  fs.rmSync(path.join(staging, name));
  return html.replace(links[0], () => `<style>${css}</style>`);
}
