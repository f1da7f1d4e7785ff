//! The command's argument checks and output formats, run as a user runs it.

use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_simd-activations");

/// The command with `args` and `SIMD_ACTIVATIONS_ISA` set to `isa` (or
/// unset). A test cross-built for aarch64 runs under qemu-user, which cannot
/// start another aarch64 program by itself (no binfmt handler: the start
/// fails, or the child exits with 127 and says nothing): the command then
/// runs under qemu-aarch64 too, as `.cargo/config.toml` runs the tests.
fn command(args: &[&str], isa: Option<&str>) -> Output {
    let with_env = |mut c: Command| {
        c.env_remove("SIMD_ACTIVATIONS_ISA");
        if let Some(isa) = isa {
            c.env("SIMD_ACTIVATIONS_ISA", isa);
        }
        c.output()
    };
    let mut direct = Command::new(BIN);
    direct.args(args);
    let out = with_env(direct);
    let failed_to_start = match &out {
        Err(_) => true,
        Ok(o) => o.status.code() == Some(127) && o.stdout.is_empty() && o.stderr.is_empty(),
    };
    if cfg!(target_arch = "aarch64") && failed_to_start {
        let mut emulated = Command::new("qemu-aarch64");
        emulated
            .args(["-L", "/usr/aarch64-linux-gnu", BIN])
            .args(args);
        return with_env(emulated).expect("the command runs under qemu-aarch64");
    }
    out.unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"))
}

fn run(args: &[&str]) -> Output {
    command(args, None)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Each bad argument is a usage error (exit 2) with a message, never a panic.
#[test]
fn bad_arguments_are_usage_errors() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["verify", "--stride", "0"],
            "stride must be a whole number from 1",
        ),
        (
            &["verify", "--stride", "-3"],
            "stride must be a whole number from 1",
        ),
        (
            &["bench", "--size", "99999999999999999999"],
            "size must be a whole number from 1",
        ),
        (
            &["bench", "--size", "-5"],
            "size must be a whole number from 1",
        ),
        (
            &["bench", "--size", "0"],
            "size must be a whole number from 1",
        ),
        (&["verify", "--range", "5", "1"], "LO must not be above HI"),
        (
            &["verify", "--range", "nan", "1"],
            "expected a finite number",
        ),
        (
            &["verify", "--range", "1", "inf"],
            "expected a finite number",
        ),
        (
            &["verify", "--exhaustive", "--stride", "7"],
            "cannot be used with",
        ),
        (
            &["verify", "--function", "nope"],
            "unknown function \"nope\"",
        ),
        (
            &["verify", "--function", "nope"],
            "swiglu, geglu, geglu_tanh",
        ),
        (&["verify", "--function", "elu(alpha=nan)"], "alpha"),
        (
            &["bench", "--function", "softmax", "--size", "5000"],
            "rows of 4096",
        ),
        (&["--sizes", "4096,0"], "size must be a whole number from 1"),
        (&["--format", "xml"], "invalid value 'xml'"),
        (&["frobnicate"], "unrecognized subcommand"),
    ];
    for (args, message) in cases {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn invalid_isa_variable_is_an_error() {
    let o = command(
        &["bench", "--function", "relu", "--size", "64"],
        Some("sse9"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("SIMD_ACTIVATIONS_ISA"),
        "{}",
        stderr(&o)
    );
}

/// `--help` works on the command and each subcommand, gives the defaults and
/// names the environment variable and `Isa::set_limit`.
#[test]
fn help_everywhere() {
    for args in [
        &["--help"][..],
        &["verify", "--help"],
        &["bench", "--help"],
        &["help", "verify"],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        let text = stdout(&o);
        assert!(text.contains("SIMD_ACTIVATIONS_ISA"), "{args:?}");
        assert!(text.contains("Isa::set_limit"), "{args:?}");
        assert!(text.contains("[default: markdown]"), "{args:?}");
    }
    assert!(stdout(&run(&["verify", "--help"])).contains("[default: 256]"));
    assert!(stdout(&run(&["bench", "--help"])).contains("[default: 4096]"));
}

/// Several `--function`s run each, in the order given; results are on
/// stdout in each format, and nothing but results (no progress: stderr is
/// not a terminal here).
#[test]
fn verify_several_functions_in_each_format() {
    let args = [
        "verify",
        "--stride",
        "65537",
        "--function",
        "relu",
        "--function",
        "softmax",
        "--function",
        "prelu",
        "--function",
        "frelu",
        "--function",
        "relu",
    ];
    let md = run(&args);
    assert_eq!(md.status.code(), Some(0), "{}", stderr(&md));
    assert!(stderr(&md).is_empty(), "{}", stderr(&md));
    let text = stdout(&md);
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| function"))
        .map(|l| l.split(" | ").next().unwrap())
        .collect();
    assert_eq!(rows, ["| relu", "| softmax", "| prelu", "| frelu"]);

    let csv = run(&[&args[..], &["--format", "csv"]].concat());
    let text = stdout(&csv);
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("function,bound,max ULP"));
    assert_eq!(lines.count(), 4);

    let json = run(&[&args[..], &["--format", "json"]].concat());
    let text = stdout(&json);
    assert!(text.starts_with("{\"command\": \"verify\""), "{text}");
    assert!(text.contains("\"interrupted\": false"));
    assert_eq!(text.matches("\"function\": ").count(), 4);
    assert!(!text.contains('\r'));
}

#[test]
fn bench_covers_every_function() {
    let o = run(&["bench", "--size", "256", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    for name in [
        "gelu",
        "softmax",
        "log_softmax",
        "prelu",
        "frelu",
        "celu(alpha=1.0)",
        "swiglu",
        "reglu",
    ] {
        assert!(
            text.lines()
                .any(|l| l.split(',').next() == Some(name) || l.starts_with(&format!("\"{name}"))),
            "{name}: {text}"
        );
    }
}

/// `verify` checks a gated unit by name, and passes.
#[test]
fn verify_accepts_gated_units() {
    let o = run(&["verify", "--stride", "65537", "--function", "swiglu"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| function"))
        .collect();
    assert_eq!(rows.len(), 1, "{text}");
    assert!(rows[0].starts_with("| swiglu | 2.0 | "), "{text}");
}

/// The table has, after an elementwise function's `f32` rows, a `bf16` and
/// an `f16` row for each of its paths, each agreeing with the scalar path.
#[test]
fn table_has_bf16_and_f16_rows() {
    let o = run(&["--function", "gelu", "--sizes", "4096"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| l.starts_with("| gelu | "))
        .map(|l| {
            l.trim_matches(|c| c == '|' || c == ' ')
                .split(" | ")
                .collect()
        })
        .collect();
    let paths: Vec<&str> = rows
        .iter()
        .map(|r| r[1])
        .take_while(|p| *p != "naive loop")
        .filter(|p| !p.starts_with("rten-vecmath"))
        .collect();
    assert!(paths.contains(&"scalar"), "{text}");
    for t in ["bf16", "f16"] {
        for p in &paths {
            let path = format!("{p} {t}");
            let row = rows.iter().find(|r| r[1] == path);
            let row = row.unwrap_or_else(|| panic!("no {path} row: {text}"));
            assert_eq!(row.last(), Some(&"yes"), "{text}");
        }
    }
}

/// A size given twice is measured once: no repeated columns.
#[test]
fn repeated_sizes_give_one_column_each() {
    let o = run(&[
        "--function",
        "relu",
        "--sizes",
        "64,128,64",
        "--format",
        "csv",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let header = text.lines().next().unwrap();
    assert_eq!(
        header.matches("N=64").count(),
        header.matches("N=128").count(),
        "{header}"
    );
    assert!(header.contains("N=64"), "{header}");
    let columns: Vec<&str> = header.split(',').collect();
    for (i, c) in columns.iter().enumerate() {
        assert!(!columns[..i].contains(c), "{c} repeated: {header}");
    }
}
