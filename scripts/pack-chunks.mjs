// Packs each on-demand page with the chunks it needs into one file, so that a deep link
// fetches its page in one request instead of 20 to 50 (called by split-wasm.mjs on the
// loader wasm-split wrote, after the chunks have their hashed names).
//
// wasm-split cuts one chunk per set of pages that share code, so a page needs many small
// chunks, each a request with its own headers. Here every page's loader is wrapped so
// that opening it starts one fetch of `pack_<page>-<hash>.pack` (the page's module and all
// its chunks, back to back after their lengths; the loader names them) while none of those
// files has been fetched yet, as on a deep link; each module then takes its bytes from that answer
// instead of fetching its own file. Otherwise the page fetches only the chunks it still
// lacks, file by file (a pack would send again what is already loaded). If the pack cannot
// be fetched, each module falls back to its own file, so a retry works as it did.
//
// A part of a page (PARTS: the filing's later steps, the tracking page's owner panel) is
// packed with what it needs beyond its page's pack, since it is only shown inside that page.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Split → the page it is part of (see src/lazy.rs). */
const PARTS = { file_case_steps: 'file_case', track_owner: 'track' };

const RUNTIME = `
// Civic: a page's modules in one request (scripts/pack-chunks.mjs).
const __civicStarted = new Map();
const __civicSeen = new Set();
const __civicStem = (file) => file.slice(0, file.lastIndexOf("-"));
function __civicPack(name, load) {
    return () => {
        const pack = __civicPacks[name];
        const stems = pack ? pack[1].split(" ") : [];
        // Worth it only while none of its modules has been fetched: it would send them again.
        if (pack && !stems.some((stem) => __civicSeen.has(stem))) {
            // The route's page may have started it already (scripts/split-wasm.mjs).
            const ahead = window.__civicAhead && window.__civicAhead["/" + pack[0]];
            if (ahead) delete window.__civicAhead["/" + pack[0]];
            const parts = (ahead || fetch(new URL("./" + pack[0], import.meta.url))).then((r) => {
                if (!r.ok) throw new Error("pack " + r.status);
                return r.arrayBuffer();
            }).then((b) => {
                // How many modules, the length of each (u32, little-endian), then the modules.
                const v = new DataView(b);
                if (v.getUint32(0, true) !== stems.length) throw new Error("pack index");
                let at = 4 + 4 * stems.length;
                return stems.map((_, i) => {
                    const length = v.getUint32(4 + 4 * i, true);
                    at += length;
                    return b.slice(at - length, at);
                });
            });
            parts.catch(() => {});
            stems.forEach((stem, i) => {
                __civicSeen.add(stem);
                __civicStarted.set(stem, parts.then((p) => p[i]));
            });
        }
        return load();
    };
}
function __civicFetch(url) {
    const stem = __civicStem(url.pathname.split("/").pop());
    __civicSeen.add(stem);
    const part = __civicStarted.get(stem);
    if (!part) return fetch(url);
    __civicStarted.delete(stem);
    return part.then((b) => new Response(b, { headers: { "Content-Type": "application/wasm" } }), () => fetch(url));
}
`;

/** Rewrites `loader` (the loader's text) and writes the packs into `staging`; returns the
 * new loader text and each split's pack file. */
export function packChunks(loader, staging) {
  // Each declaration: its variable, its file, and the variables it depends on.
  const declarations = new Map();
  const declaration = /const (__\w+) = (?:wrapAsyncCb\()?makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)", import\.meta\.url\)\);[\s\S]*?\n\}\s*\n?, \[([^\]]*)\]\)/g;
  for (const m of loader.matchAll(declaration)) {
    declarations.set(m[1], { file: m[2], deps: m[3].split(',').map((d) => d.trim()).filter(Boolean) });
  }
  // The page's module and every chunk it needs, transitively, each once.
  const filesOf = (page) => {
    const top = declarations.get(`__wasm_split_load_${page}`);
    if (!top) throw new Error(`pack-chunks: no loader for ${page}`);
    const files = [top.file];
    const visit = (v) => {
      const d = declarations.get(v);
      if (!d) throw new Error(`pack-chunks: ${page} needs ${v}, which the loader does not declare`);
      if (!files.includes(d.file)) files.push(d.file);
      d.deps.forEach(visit);
    };
    top.deps.forEach(visit);
    return files;
  };
  const packs = {};
  for (const variable of declarations.keys()) {
    const page = variable.match(/^__wasm_split_load_(\w+)$/)?.[1];
    if (!page) continue;
    const whole = PARTS[page] ? PARTS[page] : null;
    const files = whole ? filesOf(page).filter((f) => !filesOf(whole).includes(f)) : filesOf(page);
    // The pack: how many modules, each one's length (u32, little-endian), then the modules;
    // the loader names them in the same order, by their names without the hash.
    const parts = files.map((f) => fs.readFileSync(path.join(staging, f)));
    const index = Buffer.alloc(4 + 4 * parts.length);
    index.writeUInt32LE(parts.length, 0);
    parts.forEach((part, i) => index.writeUInt32LE(part.length, 4 + 4 * i));
    const bytes = Buffer.concat([index, ...parts]);
    const name = `pack_${page}-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.pack`;
    fs.writeFileSync(path.join(staging, name), bytes);
    const stems = files.map((f) => f.slice(0, f.lastIndexOf('-'))).join(' ');
    packs[page] = whole ? [name, stems, whole] : [name, stems];
  }
  for (const part of Object.keys(PARTS)) {
    if (!packs[part]) throw new Error(`pack-chunks: no split ${part}, named in PARTS`);
  }
  if (Object.keys(packs).length === 0) throw new Error("pack-chunks: no page loaders found: wasm-split's loader has changed");
  // Every module's fetch goes through __civicFetch; every page's loader through __civicPack.
  let out = loader.replaceAll('const src = fetch(new URL("./', 'const src = __civicFetch(new URL("./');
  for (const page of Object.keys(packs)) {
    const head = `export const __wasm_split_load_${page} = wrapAsyncCb(makeLoad(`;
    const at = out.indexOf(head);
    const end = out.indexOf(']));', at);
    if (at < 0 || end < 0) throw new Error(`pack-chunks: cannot wrap the loader of ${page}`);
    out = out.slice(0, at) + `export const __wasm_split_load_${page} = wrapAsyncCb(__civicPack(${JSON.stringify(page)}, makeLoad(`
      + out.slice(at + head.length, end) + '])));' + out.slice(end + ']));'.length);
  }
  // The pages each shared chunk serves, in a comment above it: for people, not browsers.
  out = out.replace(/^\/\* [\w, ]+ \*\/\n/gm, '');
  const firstLine = out.indexOf('\n') + 1;
  return {
    loader: out.slice(0, firstLine) + `const __civicPacks = ${JSON.stringify(packs)};\n` + RUNTIME + out.slice(firstLine),
    packs: Object.fromEntries(Object.entries(packs).map(([split, [file]]) => [split, file])),
  };
}
