//! Generates the app's strings from `locales/*.json`.
//!
//! Each locale file is a flat JSON object from key to text. The build fails when the two
//! files do not have exactly the same keys or when a text is blank, so a string can never
//! be missing in one language. The output is one `Strings` struct with a field per key and
//! one static instance per locale: a typo in a key is a compile error, not a blank on screen.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
    "where", "while", "yield", "gen", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "abstract", "become",
];

fn read(path: &Path) -> BTreeMap<String, String> {
    println!("cargo::rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let map: BTreeMap<String, String> = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "{} is not a flat JSON object of strings: {e}",
            path.display()
        )
    });
    for (key, value) in &map {
        assert!(
            key.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{}: key {key:?} must be snake_case",
            path.display()
        );
        assert!(
            !value.trim().is_empty(),
            "{}: {key} is blank",
            path.display()
        );
        assert!(
            !RUST_KEYWORDS.contains(&key.as_str()),
            "{}: key {key:?} is a Rust keyword and cannot be a field name",
            path.display()
        );
    }
    map
}

fn main() {
    let zh = read(Path::new("locales/zh-CN.json"));
    let en = read(Path::new("locales/en.json"));
    let missing_en: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
    let missing_zh: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
    assert!(
        missing_en.is_empty() && missing_zh.is_empty(),
        "locale files differ: missing in en.json {missing_en:?}, missing in zh-CN.json {missing_zh:?}"
    );
    let mut out = String::new();
    out.push_str(
        "/// Every text the app shows, in one language.\n#[derive(Debug)]\npub struct Strings {\n",
    );
    for key in zh.keys() {
        writeln!(out, "    pub {key}: &'static str,").unwrap();
    }
    out.push_str("}\n");
    for (name, map) in [("ZH_CN", &zh), ("EN", &en)] {
        writeln!(out, "pub static {name}: Strings = Strings {{").unwrap();
        for (key, value) in map {
            writeln!(out, "    {key}: {value:?},").unwrap();
        }
        out.push_str("};\n");
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("strings.rs");
    std::fs::write(dest, out).unwrap();
}
