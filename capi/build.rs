//! Gives the shared library the SONAME `libsimd_activations.so.MAJOR` on
//! ELF targets, as `cargo cinstall` does, so that a plain `cargo build`
//! makes the same library.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_default();
    if matches!(os.as_str(), "linux" | "freebsd" | "netbsd" | "dragonfly") {
        println!("cargo::rustc-cdylib-link-arg=-Wl,-soname,libsimd_activations.so.{major}");
    }
}
