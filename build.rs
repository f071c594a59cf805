//! Generates the typed translation keys (`crate::i18n`) from `locales/`, and
//! stops the build when zh-CN and en do not have exactly the same keys.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::{Path, PathBuf};

#[path = "src/i18n/key_parity.rs"]
mod key_parity;

/// The languages, the default first; `locales/<language>/<namespace>.json`.
const LANGUAGES: [&str; 2] = ["en", "zh-CN"];
const NAMESPACES: [&str; 8] = [
    "common",
    "domain",
    "auth",
    "orders",
    "admin",
    "customer",
    "desk",
    "logistics",
];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src/i18n/key_parity.rs");
    println!("cargo::rerun-if-changed=locales");
    check_parity(Path::new("locales"))?;

    let options = ParseOptions::default().interpolate_display(true);
    let cfg = Config::new(LANGUAGES[0])?
        .add_locale(LANGUAGES[1])?
        .add_namespaces(NAMESPACES)?
        .parse_options(options);
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    infos.generate_i18n_module(out.join("i18n"))?;
    Ok(())
}

/// Every namespace has the same keys (and sentence values) in both languages.
fn check_parity(root: &Path) -> Result<(), Box<dyn Error>> {
    let mut problems = Vec::new();
    for namespace in NAMESPACES {
        let [en, zh] = LANGUAGES.map(|language| {
            let path = root.join(language).join(format!("{namespace}.json"));
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let json: serde_json::Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            key_parity::shapes(namespace, &json)
        });
        problems.extend(key_parity::differences(
            LANGUAGES[0],
            &en,
            LANGUAGES[1],
            &zh,
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("the languages differ:\n  {}", problems.join("\n  ")).into())
    }
}
