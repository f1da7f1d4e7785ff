//! `fit`: reproduces every constant of the kernels' approximations.
//!
//! Every polynomial coefficient in `kernels/*.rs`, and every table of exact
//! constants, is made by a named table of per-entry fits (see [`table`]): a
//! kernel's 8- or 16-entry tables for `lookup8` or `lookup16` (one
//! polynomial per entry) or its scalar coefficients (a table with one
//! entry). Each polynomial is fitted
//! with the Remez exchange in f64 (see [`remez`]), its coefficients rounded
//! to f32, checked in f32 with fma Horner over (a sweep of) every f32 input
//! of its interval, and printed as Rust constants in the kernel's format,
//! ready to paste. The problems are defined in `problems/`, one file per
//! kernel.
//!
//! ```text
//! fit list                    the tables, by kernel, with what they hold
//! fit <name>... [options]     fit and print: <name> is a table, a kernel (all
//!                             the tables of kernels/<name>.rs) or all
//!   --refit        round the scalar coefficients greedily too (one at a
//!                  time, the others refitted after each, in both orders) and
//!                  keep the best of that and rounding to nearest
//!   --samples N    at most N f32 inputs per polynomial in the sweep
//!                  (default 10000000)
//!   --tol T        Remez stopping tolerance (default 1e-3)
//! ```
//!
//! For example `cargo run --release --bin fit -- exp` prints `EXPM1_C2`,
//! `EXPM1_C3`, `EXP2_16_HI` and `EXP2_16_LO`.

use std::process::ExitCode;

mod f32eval;
mod hexfloat;
mod problems;
mod remez;
mod table;

use remez::Options;
use table::Table;

/// Command-line options.
struct Cli {
    tables: Vec<Table>,
    refit: bool,
    samples: u64,
    tol: f64,
}

fn usage() -> String {
    "usage: fit list | fit <table>|<kernel>|all... [--refit] [--samples N] [--tol T]".to_string()
}

/// Adds the tables `name` selects (once each).
fn select(name: &str, tables: &mut Vec<Table>) -> Result<(), String> {
    let mut matched = false;
    for kernel in problems::kernels() {
        let whole = name == "all" || name == kernel.name;
        for table in kernel.tables {
            if whole || name == table.name {
                matched = true;
                if !tables.iter().any(|t| t.name == table.name) {
                    tables.push(table);
                }
            }
        }
    }
    if matched {
        Ok(())
    } else {
        Err(format!(
            "unknown table, kernel or option `{name}`\n{}",
            usage()
        ))
    }
}

fn parse_args(args: &[String]) -> Result<Option<Cli>, String> {
    let mut cli = Cli {
        tables: Vec::new(),
        refit: false,
        samples: 10_000_000,
        tol: Options::default().tol,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "list" => return Ok(None),
            "--refit" => cli.refit = true,
            "--samples" | "--tol" => {
                let value = it.next().ok_or_else(|| format!("{arg} needs a value"))?;
                let bad = || format!("bad value for {arg}: {value}");
                if arg == "--samples" {
                    cli.samples = value.parse().map_err(|_| bad())?;
                } else {
                    cli.tol = value.parse().map_err(|_| bad())?;
                }
            }
            "-h" | "--help" => return Err(usage()),
            name => select(name, &mut cli.tables)?,
        }
    }
    if cli.tables.is_empty() {
        return Err(usage());
    }
    Ok(Some(cli))
}

fn list() {
    for kernel in problems::kernels() {
        println!("kernels/{}.rs (fit {}):", kernel.name, kernel.name);
        for t in kernel.tables {
            println!("  {:<14} {}", t.name, t.about);
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cli = match parse_args(&args) {
        Ok(Some(cli)) => cli,
        Ok(None) => {
            list();
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let opts = Options {
        tol: cli.tol,
        ..Options::default()
    };
    for t in &cli.tables {
        if let Err(message) = table::run(t, &opts, cli.samples, cli.refit) {
            eprintln!("{}: {message}", t.name);
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
