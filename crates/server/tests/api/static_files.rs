use crate::helpers::{HASHED_JS, HASHED_WASM, INLINE_SCRIPT, INLINE_STYLE, TestApp};
use base64::Engine;
use sha2::{Digest, Sha256};

#[tokio::test]
async fn deep_links_reload_into_the_app_but_missing_files_are_404() {
    let app = TestApp::spawn_with(false).await;
    // A route with its own page gets it; any other route gets index.html.
    for (path, title) in [
        ("/", "Civic"),
        ("/cases/20261126-0042", "Civic: a case"),
        ("/cases/20261126-0042/", "Civic: a case"),
        ("/file", "Civic: file"),
        ("/documents/7", "Civic"),
        ("/announcements", "Civic"),
        ("/anything/at/all", "Civic"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "text/html; charset=utf-8",
            "{path}"
        );
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains(&format!("<title>{title}</title>")),
            "{path}: {html}"
        );
    }
    // The route pages' own addresses are files like any other, never a listing.
    assert_eq!(app.get("/file/index.html").await.status(), 200);
    assert_eq!(app.get("/cases/_/").await.status(), 200);
    let response = app.get("/missing-0123456789abcdef.js").await;
    assert_eq!(response.status(), 404);
}

/// Every HTML file under the static folder, as a path the server answers.
fn html_files(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            html_files(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            let relative = path.strip_prefix(root).unwrap().to_string_lossy();
            out.push(format!("/{relative}"));
        }
    }
}

/// A page of this origin that ran another origin's script could read every tracking code
/// in its storage (the example portal once loaded `embed.js` from any origin `?app=` named):
/// no HTML answer the server gives may name a scheme-wide source in its policy.
#[tokio::test]
async fn no_page_the_server_sends_may_run_another_origins_script() {
    let app = TestApp::spawn_with(false).await;
    let dist = app.dir.path().join("dist");
    // A stray page dropped into the folder is served under the app's policy too.
    std::fs::create_dir_all(dist.join("examples")).unwrap();
    std::fs::write(
        dist.join("examples/portal.html"),
        "<!DOCTYPE html><title>x</title><script src=\"http://evil.example/embed.js\"></script>",
    )
    .unwrap();
    let mut paths = Vec::new();
    html_files(&dist, &dist, &mut paths);
    assert!(paths.len() >= 4, "{paths:?}");
    paths.extend(
        [
            "/",
            "/file",
            "/cases/20261126-0042",
            "/examples/portal.html?app=http://evil.example",
            "/anything/at/all",
            "/feeds/documents.atom",
        ]
        .map(str::to_owned),
    );
    for path in &paths {
        let response = app.get(path).await;
        let policy = response
            .headers()
            .get("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no policy"))
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            !civic_server::web::has_scheme_wide_source(&policy),
            "{path}: {policy}"
        );
        assert!(policy.contains("script-src 'self'"), "{path}: {policy}");
    }
}

#[tokio::test]
async fn hashed_assets_are_precompressed_and_cached_for_a_year() {
    let app = TestApp::spawn_with(false).await;
    for (file, content_type) in [
        (HASHED_JS, "text/javascript"),
        (HASHED_WASM, "application/wasm"),
    ] {
        let response = app
            .client
            .get(format!("{}/{file}", app.address))
            .header("accept-encoding", "br")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{file}");
        assert_eq!(response.headers()["content-type"], content_type, "{file}");
        assert_eq!(response.headers()["content-encoding"], "br", "{file}");
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        for validator in ["etag", "last-modified", "accept-ranges"] {
            assert!(
                !response.headers().contains_key(validator),
                "{file}: {validator}"
            );
        }
        let gz = app
            .client
            .get(format!("{}/{file}", app.address))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(gz.headers()["content-encoding"], "gzip", "{file}");
    }
    assert!(
        app.dir
            .path()
            .join("dist")
            .join(format!("{HASHED_WASM}.br"))
            .exists()
    );
    let plain = app.get("/robots.txt").await;
    assert_eq!(plain.headers()["cache-control"], "public, max-age=3600");
    // Trunk writes a hash without its leading zeros: fifteen digits are a hash too, and so
    // are the page chunks' names.
    let dist = app.dir.path().join("dist");
    for name in [
        "civic-de9147c76c1209b.js",
        "civic-de9147c76c1209b_bg.wasm",
        "split_track-273771e5f09a467a.wasm",
        "chunk_12-98e084f194004b11.wasm",
        "__wasm_split-273771e5f09a467.js",
    ] {
        std::fs::write(dist.join(name), "x").unwrap();
        let response = app.get(&format!("/{name}")).await;
        assert_eq!(response.status(), 200, "{name}");
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=31536000, immutable",
            "{name}"
        );
    }
}

#[tokio::test]
async fn the_page_and_the_taxonomy_are_compressed_and_revalidated() {
    let app = TestApp::spawn_with(false).await;
    for path in ["/", "/index.html", "/cases/20261126-0042", "/file"] {
        let get = |encoding: &'static str, etag: Option<reqwest::header::HeaderValue>| {
            let mut request = app
                .client
                .get(format!("{}{path}", app.address))
                .header("accept-encoding", encoding);
            if let Some(etag) = etag {
                request = request.header("if-none-match", etag);
            }
            request.send()
        };
        let br = get("gzip, deflate, br", None).await.unwrap();
        assert_eq!(br.status(), 200, "{path}");
        assert_eq!(br.headers()["content-encoding"], "br", "{path}");
        assert_eq!(br.headers()["vary"], "accept-encoding", "{path}");
        assert_eq!(br.headers()["cache-control"], "no-cache", "{path}");
        let etag = br.headers()["etag"].clone();
        let gzip = get("gzip", None).await.unwrap();
        assert_eq!(gzip.headers()["content-encoding"], "gzip", "{path}");
        assert_eq!(
            gzip.headers()["etag"],
            etag,
            "one validator for every encoding"
        );
        let revisit = get("br", Some(etag.clone())).await.unwrap();
        assert_eq!(revisit.status(), 304, "{path}");
        assert_eq!(revisit.headers()["etag"], etag);
        assert_eq!(revisit.headers()["cache-control"], "no-cache");
        assert!(revisit.bytes().await.unwrap().is_empty());
        let stale = get("br", Some("W/\"an-older-page\"".parse().unwrap()))
            .await
            .unwrap();
        assert_eq!(stale.status(), 200, "{path}");
    }

    let meta = app.get("/api/v1/meta").await;
    assert_eq!(meta.status(), 200);
    assert_eq!(
        meta.headers()["cache-control"],
        "public, max-age=600, stale-while-revalidate=86400"
    );
    let etag = meta.headers()["etag"].clone();
    let body: api::Meta = meta.json().await.unwrap();
    assert!(!body.districts.is_empty());
    let revisit = app
        .client
        .get(format!("{}/api/v1/meta", app.address))
        .header("if-none-match", etag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(revisit.status(), 304);
    assert_eq!(revisit.headers()["etag"], etag);
    assert!(revisit.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn_with(false).await;
    let hash = |text: &str| {
        let digest = Sha256::digest(text.as_bytes());
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        )
    };
    // The app's pages carry a policy with their own inline scripts' and style's hashes; other documents
    // (the feeds) the same policy without them; what no browser runs as a page, a short one
    // that forbids it (the page's policy governs what the page loads).
    #[derive(PartialEq)]
    enum Kind {
        AppPage,
        Document,
        Inert,
        /// Code a page loads (scripts, wasm): no policy of its own, which browsers would
        /// ignore; `nosniff` and its type keep it from ever being a page.
        Code,
    }
    for (path, kind) in [
        ("/", Kind::AppPage),
        ("/cases/x", Kind::AppPage),
        ("/api/v1/meta", Kind::Inert),
        ("/api/v1/nothing", Kind::Inert),
        ("/healthz", Kind::Inert),
        ("/feeds/announcements.atom", Kind::Document),
        (format!("/{HASHED_WASM}").as_str(), Kind::Code),
        (format!("/{HASHED_JS}").as_str(), Kind::Code),
    ] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        if kind == Kind::Code {
            assert!(!headers.contains_key("content-security-policy"), "{path}");
            assert!(!headers.contains_key("permissions-policy"), "{path}");
            // A module's own fetches follow its referrer policy; wasm has none to follow.
            let script = path.ends_with(".js");
            assert_eq!(headers.contains_key("referrer-policy"), script, "{path}");
            continue;
        }
        let csp = headers["content-security-policy"].to_str().unwrap();
        if kind == Kind::Inert {
            assert_eq!(csp, "default-src 'none'; frame-ancestors 'none'", "{path}");
            assert!(!headers.contains_key("permissions-policy"), "{path}");
        } else {
            assert!(csp.contains("default-src 'self'"), "{path}");
            let (script, style) = if kind == Kind::AppPage {
                (
                    format!(" {}", hash(INLINE_SCRIPT)),
                    format!(" {}", hash(INLINE_STYLE)),
                )
            } else {
                Default::default()
            };
            assert!(
                csp.contains(&format!("script-src 'self' 'wasm-unsafe-eval'{script};")),
                "{path}: {csp}"
            );
            assert!(
                csp.contains(&format!("style-src 'self'{style};")),
                "{path}: {csp}"
            );
            assert!(!csp.contains("unsafe-inline"), "{path}");
            assert!(
                csp.contains("frame-ancestors 'self' https://portal.example"),
                "{path}"
            );
            assert!(headers.contains_key("permissions-policy"), "{path}");
        }
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
    }
}

#[tokio::test]
async fn api_answers_are_compressed_when_the_client_accepts_it() {
    let app = TestApp::spawn_with(false).await;
    let response = app
        .client
        .get(format!("{}/api/v1/meta", app.address))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "br");
}
