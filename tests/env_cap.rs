//! `SIMD_ACTIVATIONS_ISA` caps what dispatch picks, and a bad value is a clear
//! error. Each case runs in a child process (the choice is made once per
//! process), re-running this test binary with a filter.

use simd_activations::{ISA_ENV_VAR, Isa};
use std::process::Command;

/// In a child: report what dispatch picked, or the error.
#[test]
fn child_report() {
    if std::env::var_os("SIMD_ACTIVATIONS_TEST_CHILD").is_none() {
        return;
    }
    match Isa::from_env() {
        Ok(_) => println!("PICKED={}", Isa::best().name()),
        Err(e) => println!("ERROR={e}"),
    }
}

fn run_child(value: &str) -> String {
    let exe = std::env::current_exe().unwrap();
    let args = ["--exact", "child_report", "--nocapture", "--test-threads=1"];
    let run = |mut cmd: Command| {
        cmd.args(args)
            .env("SIMD_ACTIVATIONS_TEST_CHILD", "1")
            .env(ISA_ENV_VAR, value)
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
    };
    if let Some(out) = run(Command::new(&exe)) {
        return out;
    }
    // A cross-built binary under qemu-user without binfmt_misc cannot start
    // itself directly: start the child through the same emulator.
    let mut qemu = Command::new("qemu-aarch64");
    qemu.args(["-L", "/usr/aarch64-linux-gnu"]).arg(&exe);
    run(qemu).expect("run the test binary")
}

#[test]
fn cap_to_each_available_path() {
    for isa in Isa::available() {
        let out = run_child(isa.name());
        assert!(
            out.contains(&format!("PICKED={}", isa.name())),
            "{isa}: {out}"
        );
    }
}

#[test]
fn unknown_value_is_an_error_naming_variable_and_values() {
    let out = run_child("avx9000");
    assert!(out.contains("ERROR="), "{out}");
    for needle in [ISA_ENV_VAR, "avx9000", "scalar", "avx2", "avx512", "neon"] {
        assert!(out.contains(needle), "missing {needle}: {out}");
    }
}

#[test]
fn unavailable_value_is_an_error() {
    let missing = Isa::ALL.into_iter().find(|i| !i.is_available()).unwrap();
    let out = run_child(missing.name());
    assert!(out.contains("ERROR="), "{out}");
    assert!(
        out.contains(ISA_ENV_VAR) && out.contains(missing.name()),
        "{out}"
    );
}

#[test]
fn empty_value_means_no_cap() {
    let out = run_child("");
    let best = Isa::available().last().unwrap().name();
    assert!(out.contains(&format!("PICKED={best}")), "{out}");
}
