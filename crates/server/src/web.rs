//! Serving the built app: Trunk's `dist/` with precompressed assets, long caching for
//! hashed files, `index.html` for deep links, and the security headers every response carries.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

/// The app's pages, read once at start-up: `index.html`, and the page written for each route
/// at build time (`file/index.html`, `cases/_/index.html` for `/cases/{number}`, see
/// `scripts/route-pages.mjs`), whose skeleton already shows that route's heading; with the
/// CSP that allows their inline scripts.
#[derive(Debug, Clone)]
pub struct AppShell {
    /// The pages by route key (`""` for `index.html`, `"file"`, `"cases/_"`); empty when
    /// the app has not been built.
    pages: std::collections::HashMap<String, ShellPage>,
    /// The Content-Security-Policy of other documents (feeds, images): the pages' policy
    /// without inline scripts.
    pub csp: HeaderValue,
}

/// One page of the app, compressed once at start-up, with its validator.
#[derive(Debug, Clone)]
struct ShellPage {
    html: bytes::Bytes,
    br: bytes::Bytes,
    gzip: bytes::Bytes,
    /// So a revisit is answered 304 without the page.
    etag: HeaderValue,
    /// Its policy: its own inline scripts and style by hash, and no others.
    csp: HeaderValue,
}

impl ShellPage {
    fn new(html: String, frame_ancestors: &[String]) -> Self {
        let csp = content_security_policy(&InlineHashes::of(&html), frame_ancestors);
        Self {
            csp: HeaderValue::from_str(&csp)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
            br: bytes::Bytes::from(brotli_bytes(html.as_bytes())),
            gzip: bytes::Bytes::from(gzip_bytes(html.as_bytes())),
            etag: entity_tag(html.as_bytes()),
            html: bytes::Bytes::from(html),
        }
    }
}

/// The key of the page for a request path: its first segment, with `/_` when a second
/// follows (`/cases/20261126-0042` → `cases/_`); `""` (index.html) for the root and for
/// deeper paths.
fn route_key(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [first] => (*first).to_owned(),
        [first, _] => format!("{first}/_"),
        _ => String::new(),
    }
}

impl AppShell {
    /// Reads `static_dir/index.html` and the route pages beside it (`*/index.html`,
    /// `*/_/index.html`), each with a CSP that allows its own inline scripts (the boot script,
    /// the start-up) and stylesheet by hash, so no `unsafe-inline` is needed.
    pub fn load(static_dir: &Path, frame_ancestors: &[String]) -> Self {
        let mut found: Vec<(String, String)> = Vec::new();
        if let Ok(html) = std::fs::read_to_string(static_dir.join("index.html")) {
            found.push((String::new(), html));
            for entry in std::fs::read_dir(static_dir)
                .into_iter()
                .flatten()
                .flatten()
            {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !entry.path().is_dir() {
                    continue;
                }
                for (key, file) in [
                    (name.clone(), entry.path().join("index.html")),
                    (
                        format!("{name}/_"),
                        entry.path().join("_").join("index.html"),
                    ),
                ] {
                    if let Ok(html) = std::fs::read_to_string(file) {
                        found.push((key, html));
                    }
                }
            }
        }
        let csp = content_security_policy(&InlineHashes::default(), frame_ancestors);
        Self {
            pages: found
                .into_iter()
                .map(|(key, html)| (key, ShellPage::new(html, frame_ancestors)))
                .collect(),
            csp: HeaderValue::from_str(&csp)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
        }
    }

    /// The page for a request path: its route's own, else `index.html`.
    fn page_for(&self, path: &str) -> Option<&ShellPage> {
        self.pages
            .get(&route_key(path))
            .or_else(|| self.pages.get(""))
    }
}

/// A weak validator for `bytes` (weak: the same for each of its encodings).
pub fn entity_tag(bytes: &[u8]) -> HeaderValue {
    let digest = crate::hashing::hex_sha256(bytes);
    HeaderValue::from_str(&format!("W/\"{}\"", &digest[..32]))
        .unwrap_or_else(|_| HeaderValue::from_static("W/\"0\""))
}

/// Whether the request's `If-None-Match` names `etag` (or `*`): the client's copy is current.
pub fn not_modified(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let wanted = etag.to_str().unwrap_or_default().trim_start_matches("W/");
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == wanted || tag == "*")
}

/// The best encoding of a body the client accepts: `br`, then `gzip`, else none. An
/// encoding with `q=0` is refused.
pub fn preferred_encoding(headers: &HeaderMap) -> Option<&'static str> {
    let accepted: Vec<(String, bool)> = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name, !refused)
        })
        .collect();
    ["br", "gzip"]
        .into_iter()
        .find(|name| accepted.iter().any(|(a, ok)| a == name && *ok))
}

/// The `'sha256-…'` sources of every inline `<tag>` element in `html` (`script`, `style`):
/// what the page's policy allows besides its own origin's files.
pub fn inline_hashes(html: &str, tag: &str) -> Vec<String> {
    let (open, close_tag) = (format!("<{tag}"), format!("</{tag}>"));
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        rest = &rest[start..];
        let Some(tag_end) = rest.find('>') else { break };
        let attributes = &rest[open.len()..tag_end];
        let body = &rest[tag_end + 1..];
        let Some(close) = body.find(&close_tag) else {
            break;
        };
        // `<scripts>` or `<styles>` is another element; `<script src=…>` is a file.
        let this_element = attributes.is_empty() || attributes.starts_with([' ', '\t', '\n']);
        if this_element && !attributes.contains(" src=") && !attributes.contains(" src =") {
            let digest = Sha256::digest(&body.as_bytes()[..close]);
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &body[close..];
    }
    hashes
}

/// A page's inline scripts and inline styles, by hash.
#[derive(Debug, Default)]
pub struct InlineHashes {
    pub scripts: Vec<String>,
    pub styles: Vec<String>,
}

impl InlineHashes {
    pub fn of(html: &str) -> Self {
        Self {
            scripts: inline_hashes(html, "script"),
            styles: inline_hashes(html, "style"),
        }
    }
}

/// The policy: everything from this origin only, wasm allowed to compile, inline scripts
/// and styles only by hash, embedding only by the listed origins.
pub fn content_security_policy(inline: &InlineHashes, frame_ancestors: &[String]) -> String {
    let mut scripts = vec!["'self'".to_owned(), "'wasm-unsafe-eval'".to_owned()];
    scripts.extend(inline.scripts.iter().cloned());
    let mut styles = vec!["'self'".to_owned()];
    styles.extend(inline.styles.iter().cloned());
    let mut ancestors = vec!["'self'".to_owned()];
    ancestors.extend(frame_ancestors.iter().cloned());
    format!(
        "default-src 'self'; script-src {}; style-src {}; img-src 'self' data: blob:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors {}",
        scripts.join(" "),
        styles.join(" "),
        ancestors.join(" ")
    )
}

/// Whether a policy names a source that admits a whole scheme or every origin (`http:`,
/// `https:`, `*`; for scripts also `data:` and `blob:`): a page of this origin may then run
/// or frame another origin's code. No policy the server sends has one (SECURITY.md).
pub fn has_scheme_wide_source(policy: &str) -> bool {
    policy.split(';').any(|directive| {
        let mut words = directive.split_whitespace();
        let name = words.next().unwrap_or_default().to_ascii_lowercase();
        let scripts = matches!(
            name.as_str(),
            "script-src" | "default-src" | "script-src-elem"
        );
        words.any(|source| {
            let source = source.to_ascii_lowercase();
            source == "*"
                || source == "http:"
                || source == "https:"
                || source.starts_with("*.")
                || (scripts && (source == "data:" || source == "blob:"))
        })
    })
}

/// Whether `path` names a file Trunk fingerprinted (`civic-0123456789abcdef_bg.wasm`),
/// which can be cached for a year because its name changes with its content.
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    // Trunk writes its 64-bit hashes without leading zeros, so a name's hash may be shorter
    // than 16 digits; wasm-split's are 16. Ten digits or more is a hash, not a word.
    name.split(['-', '_', '.']).any(|part| {
        (10..=64).contains(&part.len())
            && part
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    })
}

/// Sets Cache-Control on static responses: a year for hashed assets (without validators),
/// revalidation for the page itself, an hour for the rest.
pub async fn cache_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let status = response.status();
    let value = if status == StatusCode::NOT_MODIFIED {
        // Only the page is revalidated (hashed files never are).
        "no-cache"
    } else if !status.is_success() {
        "no-store"
    } else if is_html {
        "no-cache"
    } else if is_hashed_asset(&path) {
        // Never revalidated, never fetched in ranges: their validators would only add bytes.
        let headers = response.headers_mut();
        for name in [header::ETAG, header::LAST_MODIFIED, header::ACCEPT_RANGES] {
            headers.remove(name);
        }
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// The policy of an answer no browser runs as a page (scripts, wasm, styles, JSON, images):
/// a document's policy applies to what it loads, so the page's long policy on each of these
/// would only add bytes; this one still forbids running or framing it as a page.
pub const INERT_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// Whether a response of this content type can be a page with scripts of its own when
/// opened (HTML, SVG, XML such as the feeds), so that it needs the page's policy.
pub fn is_document(content_type: Option<&str>) -> bool {
    let essence = content_type
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    match essence.as_deref() {
        // No type: a browser may sniff it as a page.
        None | Some("") => true,
        Some(t) => t == "text/html" || t.ends_with("+xml") || t.ends_with("/xml"),
    }
}

/// What a response of this content type is to a browser, for the headers it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// It can be a page (HTML, SVG, XML, or no type): the page's policy.
    Document,
    /// A script: loaded by a page as code, never a page itself with `nosniff` and its type.
    /// Browsers apply a CSP only to documents and workers (the app has none), so it carries
    /// none; it keeps the referrer policy, which a module's own fetches follow.
    Script,
    /// Wasm, a pack of it, a stylesheet: loaded by a page as data or style, never a page
    /// (`nosniff`), and no referrer policy applies to them: neither header is sent, which
    /// keeps every deep link's bytes down.
    Subresource,
    /// Anything else (JSON, images, attachments): [`INERT_CSP`], in case one is opened.
    Other,
}

impl Answer {
    /// The kind of answer a response of `content_type` is.
    pub fn of(content_type: Option<&str>) -> Self {
        if is_document(content_type) {
            return Self::Document;
        }
        let essence = content_type
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .unwrap_or_default();
        match essence.as_str() {
            "text/javascript" | "application/javascript" => Self::Script,
            "application/wasm" | "text/css" | "application/octet-stream" => Self::Subresource,
            _ => Self::Other,
        }
    }
}

/// Adds the security headers to every response: a page's policy (its own, for the app's
/// pages) and Permissions-Policy to what can be a page, none to code a page loads
/// ([`Answer`]), [`INERT_CSP`] to the rest; `nosniff` to all, the referrer policy to all but
/// wasm, packs and styles.
pub async fn security_headers(
    State(shell): State<Arc<AppShell>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers: &mut HeaderMap = response.headers_mut();
    let answer = Answer::of(
        headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
    );
    let document = answer == Answer::Document;
    match answer {
        // An app page brings its own (`spa_fallback`).
        Answer::Document if !headers.contains_key(header::CONTENT_SECURITY_POLICY) => {
            headers.insert(header::CONTENT_SECURITY_POLICY, shell.csp.clone());
        }
        Answer::Other => {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(INERT_CSP),
            );
        }
        Answer::Document | Answer::Script | Answer::Subresource => {}
    }
    if document {
        headers.insert(
            "permissions-policy",
            HeaderValue::from_static("camera=(), microphone=(), geolocation=(self), payment=()"),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if answer != Answer::Subresource {
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
    }
    response
}

/// The longest path the app's files are looked up for; longer is 414.
const PATH_MAX_BYTES: usize = 2048;

/// What a path to the app's files answers before the disk is asked: `None` to go on, or
/// 404 for what a file system would refuse or no file of the app can be (a segment over 255
/// bytes once decoded, a NUL or other control byte, bytes that are not UTF-8), 414 when the
/// whole path is over [`PATH_MAX_BYTES`]. Such a path used to reach the disk and come back as
/// a 500 ("File name too long"), logged as an error each time.
pub fn refuse_path(path: &str) -> Option<StatusCode> {
    if path.len() > PATH_MAX_BYTES {
        return Some(StatusCode::URI_TOO_LONG);
    }
    let bad = path.split('/').any(|segment| {
        let decoded: Vec<u8> = percent_encoding::percent_decode_str(segment).collect();
        decoded.len() > 255
            || decoded.iter().any(|b| b.is_ascii_control())
            || std::str::from_utf8(&decoded).is_err()
    });
    bad.then_some(StatusCode::NOT_FOUND)
}

/// Answers [`refuse_path`]'s refusals, for the app's files.
pub async fn guard_paths(request: Request, next: Next) -> Response {
    match refuse_path(request.uri().path()) {
        Some(status) => (status, status.canonical_reason().unwrap_or_default()).into_response(),
        None => next.run(request).await,
    }
}

/// The fallback for paths that name no file: the app for a route (`/cases/…`), a 404 for
/// what looks like a missing file (`/missing.js`).
pub async fn spa_fallback(State(shell): State<Arc<AppShell>>, request: Request) -> Response {
    let path = request.uri().path();
    let last = path.rsplit('/').next().unwrap_or_default();
    if last.contains('.') && path != "/index.html" {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    let Some(page) = shell.page_for(path) else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "The app has not been built: run `make build`.",
        )
            .into_response();
    };
    let headers = request.headers();
    let builder = Response::builder()
        .header(header::ETAG, page.etag.clone())
        .header(header::CONTENT_SECURITY_POLICY, page.csp.clone())
        .header(header::VARY, "accept-encoding");
    if not_modified(headers, &page.etag) {
        return builder
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
    }
    let builder = builder.header(header::CONTENT_TYPE, "text/html; charset=utf-8");
    let (builder, body) = match preferred_encoding(headers) {
        Some("br") => (
            builder.header(header::CONTENT_ENCODING, "br"),
            page.br.clone(),
        ),
        Some(_) => (
            builder.header(header::CONTENT_ENCODING, "gzip"),
            page.gzip.clone(),
        ),
        None => (builder, page.html.clone()),
    };
    builder
        .body(Body::from(body))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

const COMPRESSIBLE: &[&str] = &[
    "html",
    "pack",
    "js",
    "wasm",
    "css",
    "svg",
    "json",
    "txt",
    "xml",
    "webmanifest",
    "ico",
];

/// Writes `.br` and `.gz` siblings for every compressible file under `dir` that lacks
/// them or is newer than them, so the server never compresses on the fly. Returns how many
/// files it compressed.
pub fn precompress(dir: &Path) -> std::io::Result<usize> {
    let mut done = 0;
    for path in files_under(dir)? {
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let modified = std::fs::metadata(&path)?.modified()?;
        let br = sibling(&path, "br");
        let fresh = std::fs::metadata(&br)
            .and_then(|m| m.modified())
            .is_ok_and(|t| t >= modified);
        if fresh {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        std::fs::write(&br, brotli_bytes(&bytes))?;
        std::fs::write(sibling(&path, "gz"), gzip_bytes(&bytes))?;
        done += 1;
    }
    Ok(done)
}

/// `bytes` compressed with brotli at its highest quality, as served.
pub fn brotli_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
    out
}

/// `bytes` compressed with gzip at its highest level, as served.
pub fn gzip_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into memory cannot fail.
    let _ = gz.write_all(bytes);
    gz.finish().unwrap_or_default()
}

fn sibling(path: &Path, ext: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

fn files_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_answer_gets_the_headers_its_kind_needs() {
        for (content_type, answer) in [
            (Some("text/html; charset=utf-8"), Answer::Document),
            (Some("image/svg+xml"), Answer::Document),
            (Some("application/atom+xml"), Answer::Document),
            (None, Answer::Document),
            (Some("text/javascript"), Answer::Script),
            (
                Some("application/javascript; charset=utf-8"),
                Answer::Script,
            ),
            (Some("application/wasm"), Answer::Subresource),
            (Some("application/octet-stream"), Answer::Subresource),
            (Some("text/css"), Answer::Subresource),
            (Some("application/json"), Answer::Other),
            (Some("image/jpeg"), Answer::Other),
            (Some("application/pdf"), Answer::Other),
        ] {
            assert_eq!(Answer::of(content_type), answer, "{content_type:?}");
        }
    }

    #[test]
    fn a_policy_with_a_scheme_wide_source_is_told_apart() {
        for (policy, wide) in [
            ("default-src 'self'; script-src 'self' 'sha256-abc='", false),
            ("default-src 'self'; img-src 'self' data: blob:", false),
            ("default-src 'self'; script-src 'self' http: https:", true),
            ("default-src 'self'; frame-src https:", true),
            ("default-src *", true),
            ("script-src 'self' *.example.com", true),
            ("script-src 'self' data:", true),
            ("default-src 'self' blob:", true),
            ("script-src 'self' HTTPS:", true),
        ] {
            assert_eq!(has_scheme_wide_source(policy), wide, "{policy}");
        }
        // The policies the server itself writes.
        let hashes = InlineHashes::of("<script>go()</script><style>p{}</style>");
        let origins = ["https://portal.example".to_owned()];
        assert!(!has_scheme_wide_source(&content_security_policy(
            &hashes, &origins
        )));
        assert!(!has_scheme_wide_source(INERT_CSP));
    }

    #[test]
    fn a_path_finds_the_page_of_its_route() {
        for (path, key) in [
            ("/", ""),
            ("/file", "file"),
            ("/file/", "file"),
            ("/cases", "cases"),
            ("/cases/20261126-0042", "cases/_"),
            ("/documents/7/", "documents/_"),
            ("/anything/at/all", ""),
        ] {
            assert_eq!(route_key(path), key, "{path}");
        }
    }

    #[test]
    fn paths_no_file_can_have_are_refused_before_the_disk() {
        let long = "a".repeat(256);
        let cases: &[(String, Option<StatusCode>)] = &[
            ("/".into(), None),
            ("/cases/20261123-0001".into(), None),
            ("/index-1a2b3c.js".into(), None),
            (format!("/{}", "a".repeat(255)), None),
            ("/%E5%85%AC%E5%91%8A".into(), None),
            (format!("/{long}"), Some(StatusCode::NOT_FOUND)),
            (
                format!("/x/{}", "%41".repeat(256)),
                Some(StatusCode::NOT_FOUND),
            ),
            ("/a%00b".into(), Some(StatusCode::NOT_FOUND)),
            ("/a%0Ab".into(), Some(StatusCode::NOT_FOUND)),
            ("/%FF%FE".into(), Some(StatusCode::NOT_FOUND)),
            (
                format!("/{}", "a/".repeat(1100)),
                Some(StatusCode::URI_TOO_LONG),
            ),
        ];
        for (path, answer) in cases {
            assert_eq!(refuse_path(path), *answer, "{path}");
        }
    }

    #[test]
    fn only_fingerprinted_names_count_as_hashed() {
        assert!(is_hashed_asset("/civic-5e7fbb0e1d2f3a4b_bg.wasm"));
        assert!(is_hashed_asset("/civic-5e7fbb0e1d2f3a4b.js"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        // Hashes written without their leading zeros.
        assert!(is_hashed_asset("/civic-e7fbb0e1d2f3a4b_bg.wasm"));
        assert!(is_hashed_asset("/boot-89673cbc5dad0.js"));
        assert!(is_hashed_asset("/split_track-0e1d2f3a4b.wasm"));
        assert!(!is_hashed_asset("/examples/portal.js"));
        assert!(!is_hashed_asset("/share.png"));
        assert!(!is_hashed_asset("/robots.txt"));
        assert!(!is_hashed_asset("/icons/icon-192.png"));
        assert!(!is_hashed_asset("/boot.js"));
    }

    #[test]
    fn validators_and_encodings_are_read_as_browsers_send_them() {
        let etag = entity_tag(b"<html></html>");
        let headers = |pairs: &[(header::HeaderName, &str)]| {
            let mut map = HeaderMap::new();
            for (name, value) in pairs {
                map.append(name, HeaderValue::from_str(value).unwrap());
            }
            map
        };
        let tag = etag.to_str().unwrap().to_owned();
        // (If-None-Match, current)
        for (sent, current) in [
            (tag.clone(), true),
            (tag.trim_start_matches("W/").to_owned(), true),
            (format!("\"other\", {tag}"), true),
            ("*".to_owned(), true),
            ("\"other\"".to_owned(), false),
        ] {
            let map = headers(&[(header::IF_NONE_MATCH, &sent)]);
            assert_eq!(not_modified(&map, &etag), current, "{sent}");
        }
        assert!(!not_modified(&HeaderMap::new(), &etag));
        // (Accept-Encoding, chosen)
        for (sent, chosen) in [
            ("gzip, deflate, br, zstd", Some("br")),
            ("gzip", Some("gzip")),
            ("br;q=0, gzip;q=0.5", Some("gzip")),
            ("identity", None),
            ("BR", Some("br")),
        ] {
            let map = headers(&[(header::ACCEPT_ENCODING, sent)]);
            assert_eq!(preferred_encoding(&map), chosen, "{sent}");
        }
    }

    #[test]
    fn inline_scripts_and_styles_are_hashed_and_files_skipped() {
        let hash = |body: &[u8]| {
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body))
            )
        };
        let html = r#"<style>a{color:red}</style><link rel=stylesheet href=/x.css>
            <script src="/boot.js"></script><script type="module">alert(1)</script>
            <script>go()</script><styles>not css</styles>"#;
        let found = InlineHashes::of(html);
        assert_eq!(found.scripts, [hash(b"alert(1)"), hash(b"go()")]);
        assert_eq!(found.styles, [hash(b"a{color:red}")]);
        assert!(InlineHashes::of("<p>no inline code</p>").scripts.is_empty());
    }

    #[test]
    fn the_policy_allows_wasm_and_the_listed_embedders_only() {
        let inline = InlineHashes {
            scripts: vec!["'sha256-x'".into()],
            styles: vec!["'sha256-y'".into()],
        };
        let csp = content_security_policy(&inline, &["https://www.chengdu.gov.cn".into()]);
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-x';"));
        assert!(csp.contains("style-src 'self' 'sha256-y';"));
        assert!(csp.contains("frame-ancestors 'self' https://www.chengdu.gov.cn"));
        assert!(!csp.contains("unsafe-inline"));
        let bare = content_security_policy(&InlineHashes::default(), &[]);
        assert!(bare.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(bare.contains("style-src 'self';"));
    }

    #[test]
    fn only_what_can_be_a_page_needs_the_page_policy() {
        for (content_type, document) in [
            (Some("text/html; charset=utf-8"), true),
            (Some("TEXT/HTML"), true),
            (Some("image/svg+xml"), true),
            (Some("application/atom+xml"), true),
            (Some("application/xml"), true),
            (None, true),
            (Some(""), true),
            (Some("application/json"), false),
            (Some("application/wasm"), false),
            (Some("text/javascript"), false),
            (Some("text/css"), false),
            (Some("application/octet-stream"), false),
            (Some("image/png"), false),
            (Some("text/plain; charset=utf-8"), false),
        ] {
            assert_eq!(is_document(content_type), document, "{content_type:?}");
        }
    }
}
