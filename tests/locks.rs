//! The fuzz crate (`fuzz/`, a workspace of its own with its own `Cargo.lock`) builds kaigi
//! with the same versions of kaigi's own dependencies as the main build, so that what the
//! fuzzers find is about the code `cargo test` and the release run.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

/// Every package of a lock file: name → its versions.
fn packages(lock: &str) -> BTreeMap<String, Vec<String>> {
    let doc: toml::Table = toml::from_str(lock).unwrap();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in doc["package"].as_array().unwrap() {
        let (name, version) = (p["name"].as_str().unwrap(), p["version"].as_str().unwrap());
        out.entry(name.to_string())
            .or_default()
            .push(version.to_string());
    }
    out
}

#[test]
fn the_fuzz_lock_resolves_kaigis_dependencies_as_the_main_lock_does() {
    let root = env!("CARGO_MANIFEST_DIR");
    let read = |p: &str| std::fs::read_to_string(format!("{root}/{p}")).unwrap();
    let manifest: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    let main = packages(&read("Cargo.lock"));
    let fuzz = packages(&read("fuzz/Cargo.lock"));
    let direct = manifest["dependencies"].as_table().unwrap();
    assert!(
        direct.contains_key("russh"),
        "the list is the one kaigi builds with"
    );
    let differ: Vec<String> = direct
        .keys()
        .filter(|d| main.get(*d) != fuzz.get(*d))
        .map(|d| format!("{d}: main {:?}, fuzz {:?}", main.get(d), fuzz.get(d)))
        .collect();
    assert!(
        differ.is_empty(),
        "run `cargo update -p NAME --precise VERSION` in fuzz/: {differ:#?}"
    );
}
