//! What the built app costs a visitor, for the build tool `civic-size`
//! (`src/bin/civic-size.rs`): the first load and a deep link to each page, measured by
//! serving `dist/` exactly as the server does (the same router and layers, on a loopback
//! port) and counting what each answer puts on the wire: the status line and headers, and
//! the body in the encoding a browser is sent (brotli).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::client::TrustedProxies;
use crate::startup;
use crate::web::{self, AppShell};

/// Where a deep link to each on-demand page (`src/lazy.rs`) lands: any number or id
/// serves the same files, so these need not exist.
pub const DEEP_LINKS: &[(&str, &str)] = &[
    ("accessibility", "/accessibility"),
    ("announcement", "/announcements/1"),
    ("announcements", "/announcements"),
    ("board", "/cases"),
    ("case", "/cases/20260101-0001"),
    ("document", "/documents/1"),
    ("documents", "/documents"),
    ("file_case", "/file"),
    ("statistics", "/statistics"),
    ("track", "/track"),
];

/// One answer as it crossed the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// The file (`index.html` for a page).
    pub name: String,
    /// Its size uncompressed.
    pub raw: usize,
    /// The status line and headers, with the blank line that ends them.
    pub headers: usize,
    /// The body as sent (brotli where the server has it).
    pub body: usize,
}

impl Transfer {
    /// Whether this is wasm (a module, a chunk or a pack of them).
    pub fn is_wasm(&self) -> bool {
        self.name.ends_with(".wasm") || self.name.ends_with(".pack")
    }
}

/// Opening one path in a new browser: its page and every file fetched for it (not the API's
/// answers, which depend on the data, nor the icon).
#[derive(Debug, Clone)]
pub struct Visit {
    /// The page loaded on demand (`file_case`), or `first load` for `/`.
    pub name: String,
    /// The path opened.
    pub path: String,
    /// Each answer.
    pub transfers: Vec<Transfer>,
}

impl Visit {
    /// Everything sent, headers included.
    pub fn sent(&self) -> usize {
        self.transfers.iter().map(|t| t.headers + t.body).sum()
    }

    /// The headers alone.
    pub fn headers(&self) -> usize {
        self.transfers.iter().map(|t| t.headers).sum()
    }

    /// How many wasm files (modules, chunks, packs) it fetches.
    pub fn wasm_files(&self) -> usize {
        self.transfers.iter().filter(|t| t.is_wasm()).count()
    }
}

/// The first load (`/`) and a deep link to each on-demand page.
#[derive(Debug, Clone)]
pub struct Report {
    /// Opening `/`.
    pub first_load: Visit,
    /// Opening each page of [`DEEP_LINKS`] directly, by name.
    pub deep_links: Vec<Visit>,
    /// Parts of a page fetched once the page is in use (the filing's later steps).
    pub later: Vec<Part>,
}

/// A part of a page fetched after the page, when the resident goes on (the filing's form).
#[derive(Debug, Clone)]
pub struct Part {
    /// The split (`file_case_steps`).
    pub name: String,
    /// The page it is part of (`file_case`).
    pub page: String,
    /// What it fetches.
    pub transfers: Vec<Transfer>,
}

/// Serves the app built in `dir` on a loopback port as the server would (compressing its
/// files first, as the server does at start) and opens `/` and every deep link in it.
pub async fn measure(dir: &Path) -> Result<Report, String> {
    let fail = |e: std::io::Error| format!("{}: {e}", dir.display());
    if !dir.join("index.html").exists() {
        return Err(format!(
            "no built app in {}; run `make build`",
            dir.display()
        ));
    }
    web::precompress(dir).map_err(fail)?;
    let shell = Arc::new(AppShell::load(dir, &[]));
    let router = startup::with_common_layers(
        startup::app_files(dir, shell.clone()),
        shell,
        TrustedProxies::default(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(fail)?;
    let addr = listener.local_addr().map_err(fail)?;
    let server = tokio::spawn(async move { axum::serve(listener, router).await });

    let loader = std::fs::read_dir(dir)
        .map_err(fail)?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|name| name.starts_with("__wasm_split") && name.ends_with(".js"));
    // Each split's files on top of the first load: the loader and its pack (or its chunks).
    let mut pages: HashMap<String, Vec<String>> = HashMap::new();
    let mut parts: HashMap<String, (String, Vec<String>)> = HashMap::new();
    if let Some(loader) = &loader {
        let script = std::fs::read_to_string(dir.join(loader)).map_err(fail)?;
        let packs = loader_packs(&script);
        for (split, chunks) in on_demand_chunks(&script) {
            match packs.get(&split) {
                Some(Pack {
                    file,
                    part_of: Some(page),
                }) => {
                    parts.insert(split, (page.clone(), vec![file.clone()]));
                }
                Some(Pack { file, .. }) => {
                    pages.insert(split, vec![loader.clone(), file.clone()]);
                }
                None => {
                    let mut files = vec![loader.clone()];
                    files.extend(chunks);
                    pages.insert(split, files);
                }
            }
        }
    }

    let result = async {
        let first_load = visit(addr, "first load", "/", &[]).await?;
        let mut deep_links = Vec::new();
        let mut names: Vec<&String> = pages.keys().collect();
        names.sort();
        for name in names {
            let Some((_, path)) = DEEP_LINKS.iter().find(|(page, _)| page == name) else {
                return Err(format!(
                    "no deep link known for the page `{name}`: add it to size::DEEP_LINKS"
                ));
            };
            deep_links.push(visit(addr, name, path, &pages[name]).await?);
        }
        let mut later = Vec::new();
        let mut names: Vec<&String> = parts.keys().collect();
        names.sort();
        for name in names {
            let (page, files) = &parts[name];
            let mut transfers = Vec::new();
            for file in files {
                transfers.push(transfer(addr, file, &format!("/{file}")).await?);
            }
            later.push(Part {
                name: name.clone(),
                page: page.clone(),
                transfers,
            });
        }
        Ok(Report {
            first_load,
            deep_links,
            later,
        })
    }
    .await;
    server.abort();
    result
}

/// Opens `path`: its page, the CSS, JS and wasm the page loads, then `extra` (a page's
/// loader and pack).
async fn visit(
    addr: SocketAddr,
    name: &str,
    path: &str,
    extra: &[String],
) -> Result<Visit, String> {
    let (_, html) = get(addr, path, false).await?;
    let html = String::from_utf8_lossy(&html).into_owned();
    let mut files: Vec<String> = referenced_files(&html)
        .into_iter()
        .filter(|f| [".css", ".js", ".wasm"].iter().any(|e| f.ends_with(e)))
        .collect();
    files.extend(extra.iter().cloned());
    let mut transfers = vec![transfer(addr, "index.html", path).await?];
    for file in files {
        transfers.push(transfer(addr, &file, &format!("/{file}")).await?);
    }
    Ok(Visit {
        name: name.to_owned(),
        path: path.to_owned(),
        transfers,
    })
}

/// One file, fetched as a browser would (brotli accepted) and plain, for its raw size.
async fn transfer(addr: SocketAddr, name: &str, path: &str) -> Result<Transfer, String> {
    let (headers, body) = get(addr, path, true).await?;
    let (_, raw) = get(addr, path, false).await?;
    Ok(Transfer {
        name: name.to_owned(),
        raw: raw.len(),
        headers,
        body: body.len(),
    })
}

/// GETs `path` over HTTP/1.1 as a browser's first visit would; the size of the status line
/// and headers, and the body as sent. Anything but a 200 is an error.
async fn get(addr: SocketAddr, path: &str, compressed: bool) -> Result<(usize, Vec<u8>), String> {
    let io = |e: std::io::Error| format!("{path}: {e}");
    let mut stream = tokio::net::TcpStream::connect(addr).await.map_err(io)?;
    let encoding = if compressed {
        "accept-encoding: gzip, deflate, br, zstd\r\n"
    } else {
        ""
    };
    let request = format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\naccept: */*\r\n{encoding}\r\n");
    stream.write_all(request.as_bytes()).await.map_err(io)?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let head = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await.map_err(io)?;
        if n == 0 {
            return Err(format!(
                "{path}: the connection closed before the headers ended"
            ));
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let text = String::from_utf8_lossy(&buf[..head]).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    if status != "200" {
        return Err(format!("{path} answered {status}"));
    }
    let length: usize = text
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())
                .flatten()
        })
        .ok_or_else(|| format!("{path}: no content-length"))?;
    while buf.len() < head + length {
        let n = stream.read(&mut chunk).await.map_err(io)?;
        if n == 0 {
            return Err(format!(
                "{path}: the connection closed before the body ended"
            ));
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok((head, buf[head..head + length].to_vec()))
}

/// The local files `html` loads: the `src` and `href` values that are paths on this site
/// (`/main-….css`, `boot.js`), without query or fragment, and the scripts, modules and
/// styles an inline script names in quotes (`"/civic-….js"`: the start-up adds its preloads
/// only where the app can run). Attribute values may be quoted or, as a minifier writes
/// them, bare.
pub fn referenced_files(html: &str) -> Vec<String> {
    let mut files = Vec::new();
    let add = |path: &str, files: &mut Vec<String>| {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let local = !path.contains("://") && !path.starts_with("//") && !path.is_empty();
        let name = path.trim_start_matches("./").trim_start_matches('/');
        if local && !name.is_empty() && !files.iter().any(|f| f == name) {
            files.push(name.to_owned());
        }
    };
    for attribute in [" src=", " href="] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            rest = &rest[at + attribute.len()..];
            let (value, after) = match rest.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let Some(end) = rest[1..].find(quote) else {
                        break;
                    };
                    (&rest[1..=end], end + 2)
                }
                _ => {
                    let end = rest
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(rest.len());
                    (&rest[..end], end)
                }
            };
            rest = &rest[after.min(rest.len())..];
            add(value, &mut files);
        }
    }
    for quote in ['"', '\''] {
        for (i, literal) in html.split(quote).enumerate() {
            // Odd pieces are between quotes; a path of the site's own with a loadable ending.
            let loadable = [".js", ".wasm", ".css"]
                .iter()
                .any(|e| literal.ends_with(e));
            let path_like = literal.starts_with('/')
                && !literal.starts_with("//")
                && !literal.contains(char::is_whitespace);
            if i % 2 == 1 && loadable && path_like {
                add(literal, &mut files);
            }
        }
    }
    files
}

/// The on-demand pages the loader script `loader` declares: each page's name with the
/// files it fetches (its own chunk first, then the shared chunks it depends on). The
/// loader declares `const __chunk_N = makeLoad(… new URL("./chunk_N-….wasm" …), [deps])`
/// for shared chunks and `export const __wasm_split_load_<page> = …` for pages.
pub fn on_demand_chunks(loader: &str) -> Vec<(String, Vec<String>)> {
    struct Declaration<'a> {
        var: &'a str,
        file: &'a str,
        deps: Vec<&'a str>,
    }
    let mut declarations = Vec::new();
    let mut rest = loader;
    while let Some(at) = rest.find("const __") {
        rest = &rest[at + "const ".len()..];
        let var_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let var = &rest[..var_end];
        let body = &rest[..rest[var_end..]
            .find("const __")
            .map_or(rest.len(), |n| var_end + n)];
        let file = body
            .split_once("new URL(\"./")
            .and_then(|(_, after)| after.split_once('"'))
            .map(|(file, _)| file);
        let deps = body
            .rfind('[')
            .map(|open| &body[open + 1..])
            .and_then(|list| list.split_once(']'))
            .map(|(list, _)| {
                list.split(',')
                    .map(str::trim)
                    .filter(|d| d.starts_with("__chunk_"))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(file) = file {
            declarations.push(Declaration { var, file, deps });
        }
    }
    let file_of = |var: &str| {
        declarations
            .iter()
            .find(|d| d.var == var)
            .map(|d| d.file.to_owned())
    };
    declarations
        .iter()
        .filter_map(|d| {
            let name = d.var.strip_prefix("__wasm_split_load_")?;
            let mut files = vec![d.file.to_owned()];
            let mut pending: Vec<&str> = d.deps.clone();
            while let Some(dep) = pending.pop() {
                let Some(file) = file_of(dep) else { continue };
                if !files.contains(&file) {
                    files.push(file);
                    if let Some(decl) = declarations.iter().find(|x| x.var == dep) {
                        pending.extend(&decl.deps);
                    }
                }
            }
            Some((name.to_owned(), files))
        })
        .collect()
}

/// A pack the loader fetches (scripts/pack-chunks.mjs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pack {
    /// Its file.
    pub file: String,
    /// The page it is a part of, for a part fetched inside a page (the filing's later
    /// steps); `None` for a page's own pack.
    pub part_of: Option<String>,
}

/// The pack of each split (`const __civicPacks = {"page": ["pack_….pack", "split_page
/// chunk_3 …"], "part": ["pack_….pack", "…", "page"]}` in the loader), none when the build did not pack.
pub fn loader_packs(loader: &str) -> HashMap<String, Pack> {
    let table = loader
        .lines()
        .find_map(|line| line.strip_prefix("const __civicPacks = "))
        .map(|json| json.trim_end().trim_end_matches(';'));
    let Some(Ok(packs)) =
        table.map(serde_json::from_str::<HashMap<String, Vec<serde_json::Value>>>)
    else {
        return HashMap::new();
    };
    packs
        .into_iter()
        .filter_map(|(split, entry)| {
            let file = entry.first()?.as_str()?.to_owned();
            let part_of = entry.get(2).and_then(|p| p.as_str()).map(str::to_owned);
            Some((split, Pack { file, part_of }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loader_names_the_pack_of_each_page() {
        let loader = "import { initSync } from \"./civic-0123456789abcdef.js\";\n\
            const __civicPacks = {\"track\":[\"pack_track-0123456789abcdef.pack\",\"split_track chunk_3\"],\
            \"file_case_steps\":[\"pack_file_case_steps-0123456789abcdef.pack\",\"split_file_case_steps\",\"file_case\"]};\n\
            const __civicStarted = new Map();\n";
        let packs = loader_packs(loader);
        assert_eq!(packs.len(), 2);
        assert_eq!(
            packs["track"],
            Pack {
                file: "pack_track-0123456789abcdef.pack".into(),
                part_of: None
            }
        );
        assert_eq!(
            packs["file_case_steps"],
            Pack {
                file: "pack_file_case_steps-0123456789abcdef.pack".into(),
                part_of: Some("file_case".into())
            }
        );
        assert!(loader_packs("const __chunk_1 = makeLoad(() => {}, []);").is_empty());
    }

    #[test]
    fn the_first_load_is_what_the_page_loads() {
        let html = r#"<html><head><link rel="stylesheet" href="/main-0123456789abcdef.css">
            <link rel="icon" href="/icon.svg"><link rel="alternate" href="https://elsewhere.example/feed">
            <script src="/boot-0123456789abcdef.js"></script>
            <link rel="modulepreload" href="/civic-0123456789abcdef.js?v=1">
            <link rel="preload" href="/civic-0123456789abcdef_bg.wasm" as="fetch"></head></html>"#;
        // A minifier drops the quotes: the same files are found.
        let minified = html.replace('"', "");
        assert_eq!(referenced_files(&minified), referenced_files(html));
        // The start-up as the build writes it: the preloads are added by a script, and the
        // module imported by another.
        let started = r#"<html><head><link rel=stylesheet href=/main-0123456789abcdef.css>
            <link rel=icon href=/icon.svg><link rel=alternate href=https://elsewhere.example/feed>
            <script src=/boot-0123456789abcdef.js></script>
            <script>if(!window.__civicUnsupported){[["modulepreload","/civic-0123456789abcdef.js","sha384-x"],
            ["preload","/civic-0123456789abcdef_bg.wasm","sha384-y","fetch"]].forEach(add)}</script>
            <script type=module>if (!window.__civicUnsupported) {
            const bindings = await import('/civic-0123456789abcdef.js');
            await bindings.default({ module_or_path: '/civic-0123456789abcdef_bg.wasm' });
            }</script></head></html>"#;
        let mut found = referenced_files(started);
        let mut expected = referenced_files(html);
        found.sort();
        expected.sort();
        assert_eq!(found, expected);
    }

    #[test]
    fn on_demand_pages_fetch_their_chunk_and_the_shared_ones() {
        // The shape wasm-split writes (abridged): shared chunks, then one loader per page.
        let loader = r#"import { initSync } from "./civic-0123456789abcdef.js";
/* accessibility, file_case */
const __chunk_3 = makeLoad(() => {
    const src = fetch(new URL("./chunk_3-00000000000000aa.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
const __chunk_4 = makeLoad(() => {
    const src = fetch(new URL("./chunk_4-00000000000000bb.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_3]);
export const __wasm_split_load_file_case = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_file_case-00000000000000cc.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_4]));
export const __wasm_split_load_accessibility = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_accessibility-00000000000000dd.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_3]));"#;
        assert_eq!(
            on_demand_chunks(loader),
            [
                (
                    "file_case".to_owned(),
                    vec![
                        "split_file_case-00000000000000cc.wasm".to_owned(),
                        "chunk_4-00000000000000bb.wasm".to_owned(),
                        "chunk_3-00000000000000aa.wasm".to_owned(),
                    ]
                ),
                (
                    "accessibility".to_owned(),
                    vec![
                        "split_accessibility-00000000000000dd.wasm".to_owned(),
                        "chunk_3-00000000000000aa.wasm".to_owned(),
                    ]
                ),
            ]
        );
        assert!(on_demand_chunks("console.log(1)").is_empty());
    }

    #[tokio::test]
    async fn a_visit_counts_what_the_server_sends_headers_included() {
        let dir = tempfile::tempdir().unwrap();
        let page = r#"<html><head><link rel="stylesheet" href="/main-0123456789abcdef.css">
            <script src="/civic-0123456789abcdef.js"></script>
            <link rel="preload" href="/civic-0123456789abcdef_bg.wasm" as="fetch"></head></html>"#;
        let loader = "const __civicPacks = {\"file_case\":[\"pack_file_case-0123456789abcdef.pack\",\"split_file_case\"]};\n\
            export const __wasm_split_load_file_case = wrapAsyncCb(makeLoad(() => {\n\
            const src = fetch(new URL(\"./split_file_case-00000000000000cc.wasm\", import.meta.url));\n}\n, []));\n";
        let wasm = "w".repeat(5000);
        std::fs::create_dir(dir.path().join("file")).unwrap();
        for (name, body) in [
            ("index.html", page),
            ("file/index.html", page),
            ("main-0123456789abcdef.css", "body{color:red}"),
            ("civic-0123456789abcdef.js", "export default 1"),
            ("civic-0123456789abcdef_bg.wasm", wasm.as_str()),
            ("__wasm_split-0123456789abcdef.js", loader),
            ("pack_file_case-0123456789abcdef.pack", wasm.as_str()),
            (
                "split_file_case-00000000000000cc.wasm",
                "not fetched: the pack has it",
            ),
        ] {
            std::fs::write(dir.path().join(name), body).unwrap();
        }
        let report = measure(dir.path()).await.unwrap();
        let names = |v: &Visit| {
            v.transfers
                .iter()
                .map(|t| t.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(&report.first_load),
            [
                "index.html",
                "civic-0123456789abcdef.js",
                "main-0123456789abcdef.css",
                "civic-0123456789abcdef_bg.wasm"
            ]
        );
        assert_eq!(report.deep_links.len(), 1);
        let deep = &report.deep_links[0];
        assert_eq!(
            (deep.name.as_str(), deep.path.as_str()),
            ("file_case", "/file")
        );
        assert_eq!(deep.transfers.len(), 6);
        assert_eq!(deep.wasm_files(), 2);
        let wasm_sent = &deep.transfers[3];
        assert_eq!(wasm_sent.raw, 5000);
        // Sent as the server's brotli copy, with its headers (type, caching, policy).
        assert_eq!(wasm_sent.body, web::brotli_bytes(wasm.as_bytes()).len());
        assert!(wasm_sent.headers > 200, "{}", wasm_sent.headers);
        assert_eq!(
            deep.sent(),
            deep.transfers
                .iter()
                .map(|t| t.headers + t.body)
                .sum::<usize>()
        );
        assert!(deep.headers() > 6 * 200);
        // A page the report has no deep link for is an error, not a silent gap.
        std::fs::write(
            dir.path().join("__wasm_split-0123456789abcdef.js"),
            loader.replace("file_case", "unknown_page"),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("pack_unknown_page-0123456789abcdef.pack"),
            "x",
        )
        .unwrap();
        let error = measure(dir.path()).await.unwrap_err();
        assert!(error.contains("unknown_page"), "{error}");
    }
}
