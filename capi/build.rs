//! Gives the shared library the SONAME `cargo cinstall` gives it on ELF
//! targets, so that a plain `cargo build` makes the same library:
//! `libsimd_activations.so.MAJOR`, or `.so.0.MINOR` while the major version
//! is 0 (`.so.0.0.PATCH` for 0.0), where a minor version may change the
//! interface (Cargo's rule), so that a program built against one 0.x
//! library never loads another.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let part = |name: &str| std::env::var(name).unwrap_or_default();
    let major = part("CARGO_PKG_VERSION_MAJOR");
    let minor = part("CARGO_PKG_VERSION_MINOR");
    let suffix = match (major.as_str(), minor.as_str()) {
        ("0", "0") => format!("0.0.{}", part("CARGO_PKG_VERSION_PATCH")),
        ("0", _) => format!("0.{minor}"),
        _ => major,
    };
    if matches!(os.as_str(), "linux" | "freebsd" | "netbsd" | "dragonfly") {
        println!("cargo::rustc-cdylib-link-arg=-Wl,-soname,libsimd_activations.so.{suffix}");
    }
}
