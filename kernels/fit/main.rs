//! `fit`: reproduces the kernels' polynomial coefficients.
//!
//! `cargo run --release --bin fit -- list` lists the problems (one per
//! polynomial in `kernels/`), `cargo run --release --bin fit -- exp --refit`
//! fits one and prints the coefficients the kernel uses.
//!
//! Piecewise problems (`fit erf`, `fit tanh`) fit one polynomial per piece of
//! a kernel's 16-entry tables and print the tables (see [`piecewise`]).
//!
//! Each named problem fits `f(x) ≈ fixed(x) + Σ c_k t(x)^e_k` with the Remez
//! exchange algorithm in f64 (see [`remez`]), then rounds the coefficients to
//! f32 and reports what that costs. With `--ulp` the polynomial is also run
//! in f32 with fma Horner, like the kernel, over (a sweep of) every f32 input.
//!
//! A piecewise table (see [`table`]) fits one polynomial per segment and
//! prints the 16-entry tables a kernel indexes with `lookup16`.
//!
//! ```text
//! fit list                       list the problems and tables
//! fit <problem>|<table>|all [options]
//!                                fit and print coefficients
//!   --ulp          f32 fma-Horner sweep, errors in ULPs
//!   --refit        also round greedily: re-fit the higher coefficients after
//!                  rounding each lower one to f32
//!   --samples N    maximum number of f32 inputs in the sweep (default 50000000)
//!   --tol T        Remez stopping tolerance (default 1e-3)
//! ```

use std::process::ExitCode;

mod f32eval;
mod family;
mod hexfloat;
mod piecewise;
mod problems;
mod remez;
mod table;

use f32eval::{Kernel, Poly32, Sweep};
use hexfloat::hex_f32;
use piecewise::Piecewise;
use problems::Problem;
use remez::{Basis, Fit, Options, Target, Var};

/// Command-line options.
struct Cli {
    problems: Vec<Problem>,
    piecewise: Vec<Piecewise>,
    families: Vec<family::Family>,
    tables: Vec<table::Table>,
    ulp: bool,
    refit: bool,
    samples: u64,
    tol: f64,
}

/// Points of the uniform grid used to check rounded coefficients.
const DENSE: usize = 200_001;

fn usage() -> String {
    "usage: fit list | fit <problem>|<table>|all [--ulp] [--refit] [--samples N] [--tol T]"
        .to_string()
}

fn parse_args(args: &[String]) -> Result<Option<Cli>, String> {
    let mut cli = Cli {
        problems: Vec::new(),
        piecewise: Vec::new(),
        families: Vec::new(),
        tables: Vec::new(),
        ulp: false,
        refit: false,
        samples: 50_000_000,
        tol: Options::default().tol,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "list" => return Ok(None),
            "all" => {
                cli.problems.extend(problems::all());
                cli.piecewise.extend(problems::piecewise());
                cli.families.extend(problems::families());
                cli.tables.extend(problems::tables());
            }
            "--ulp" => cli.ulp = true,
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
            name => {
                if let Some(p) = problems::all().into_iter().find(|p| p.name == name) {
                    cli.problems.push(p);
                } else if let Some(p) = problems::piecewise().into_iter().find(|p| p.name == name) {
                    cli.piecewise.push(p);
                } else if let Some(f) = problems::families().into_iter().find(|f| f.name == name) {
                    cli.families.push(f);
                } else if let Some(t) = problems::tables().into_iter().find(|t| t.name == name) {
                    cli.tables.push(t);
                } else {
                    return Err(format!("unknown problem or option `{name}`\n{}", usage()));
                }
            }
        }
    }
    if cli.problems.is_empty()
        && cli.piecewise.is_empty()
        && cli.families.is_empty()
        && cli.tables.is_empty()
    {
        return Err(usage());
    }
    Ok(Some(cli))
}

fn list() {
    println!("problems:");
    for p in problems::all() {
        println!("  {:<10} {}", p.name, p.about);
    }
    println!("piecewise (16-entry tables; always rounded greedily and swept in f32):");
    for p in problems::piecewise() {
        println!("  {:<10} {}", p.name, p.about);
    }
    println!("families (a 16-entry table of polynomials, one per parameter value):");
    for f in problems::families() {
        println!("  {:<10} {}", f.name, f.about);
    }
    println!("piecewise tables (16-entry, one polynomial per segment):");
    for t in problems::tables() {
        println!("  {:<10} {}", t.name, t.about);
    }
}

/// `1.234e-9 (2^-29.3)`.
fn show_error(e: f64) -> String {
    if e == 0.0 {
        "0".to_string()
    } else {
        format!("{e:.4e} (2^{:.2})", e.log2())
    }
}

fn print_coefficients(exps: &[u32], wide: Option<&[f64]>, narrow: &[f32]) {
    println!("    e  c (f64)                     c (f32)           c (f32 hex)");
    for (k, (&e, &c)) in exps.iter().zip(narrow).enumerate() {
        let wide = wide.map_or(String::from("-"), |w| format!("{:.17e}", w[k]));
        println!("  {e:>3}  {wide:<26}  {c:<16e}  {}", hex_f32(c));
    }
}

fn print_rust_array(var: Var, exps: &[u32], coeffs: &[f32]) {
    println!("  const C: [f32; {}] = [", coeffs.len());
    for (&e, &c) in exps.iter().zip(coeffs) {
        println!("      {c:e}, // {} * t^{e}, t = {var}", hex_f32(c));
    }
    println!("  ];");
}

fn print_sweep(label: &str, p: &Problem, s: &Sweep) {
    let how = if s.exhaustive {
        "every f32"
    } else {
        "strided f32"
    };
    println!("  f32 sweep ({label}): {} inputs, {how}", s.samples);
    println!(
        "    kernel {}: max {:.3} ulp at x = {:e}",
        p.finish_about, s.max_ulp, s.max_ulp_at
    );
    println!(
        "    poly via f32 Horner, {} error vs f: {} at x = {:e}",
        p.weight,
        show_error(s.max_weighted),
        s.max_weighted_at
    );
}

fn run(p: &Problem, cli: &Cli) -> Result<(), String> {
    let basis = Basis::new(p.var, p.exps);
    let target = Target {
        f: &p.f,
        fixed: &p.fixed,
        basis: &basis,
        weight: p.weight,
    };
    let opts = Options {
        tol: cli.tol,
        ..Options::default()
    };

    println!("== {}: {}", p.name, p.about);
    println!(
        "   f(x) ~ fixed(x) + sum_k c_k t^e_k,  t = {},  x in [{:e}, {:e}],  {} error",
        p.var, p.lo, p.hi, p.weight
    );
    let fit: Fit = target.minimax(p.lo, p.hi, &opts)?;
    if fit.converged {
        println!(
            "Remez: converged after {} iterations (tolerance {:e})",
            fit.iterations, cli.tol
        );
    } else {
        println!(
            "Remez: NOT converged within {} iterations (tolerance {:e}); best iterate: #{}",
            opts.max_iter, cli.tol, fit.iterations
        );
    }
    let to_f32 = |c: &[f64]| c.iter().map(|&v| v as f32).collect::<Vec<f32>>();
    let to_f64 = |c: &[f32]| c.iter().map(|&v| f64::from(v)).collect::<Vec<f64>>();
    let rounded = to_f32(&fit.coeffs);
    let (dense64, _) = target.max_error(&fit.coeffs, p.lo, p.hi, DENSE);
    let (dense32, at32) = target.max_error(&to_f64(&rounded), p.lo, p.hi, DENSE);
    println!(
        "  levelled error |E|             {}",
        show_error(fit.levelled_error)
    );
    println!(
        "  extremal errors (min..max)     {} .. {}",
        show_error(fit.min_error),
        show_error(fit.max_error)
    );
    println!(
        "  max error, f64 coefficients    {}  ({DENSE}-point grid)",
        show_error(dense64)
    );
    println!(
        "  max error, f32 coefficients    {}  ({DENSE}-point grid, at x = {at32:e})",
        show_error(dense32)
    );
    print_coefficients(p.exps, Some(&fit.coeffs), &rounded);

    let greedy = if cli.refit {
        let g = target.minimax_f32_greedy(p.lo, p.hi, &opts)?;
        let (err, at) = target.max_error(&to_f64(&g), p.lo, p.hi, DENSE);
        println!("greedy f32 rounding (re-fit higher terms after rounding each one):");
        println!(
            "  max error, f32 coefficients    {}  (at x = {at:e})",
            show_error(err)
        );
        print_coefficients(p.exps, None, &g);
        Some(g)
    } else {
        None
    };

    if cli.ulp {
        let kernel = |coeffs: &[f32]| Kernel {
            poly: Poly32 {
                var: p.var,
                exps: p.exps.to_vec(),
                coeffs: coeffs.to_vec(),
            },
            finish: &p.finish,
            reference: &p.reference,
            f: &p.f,
            fixed: &p.fixed,
            weight: p.weight,
        };
        let s = f32eval::sweep(&kernel(&rounded), p.lo, p.hi, cli.samples);
        print_sweep("rounded coefficients", p, &s);
        if let Some(g) = &greedy {
            let s = f32eval::sweep(&kernel(g), p.lo, p.hi, cli.samples);
            print_sweep("greedy coefficients", p, &s);
        }
    }
    print_rust_array(p.var, p.exps, greedy.as_deref().unwrap_or(&rounded));
    println!();
    Ok(())
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
    for p in &cli.problems {
        if let Err(message) = run(p, &cli) {
            eprintln!("{}: {message}", p.name);
            return ExitCode::FAILURE;
        }
    }
    let opts = Options {
        tol: cli.tol,
        ..Options::default()
    };
    for p in &cli.piecewise {
        if let Err(message) = piecewise::run(p, &opts, cli.samples) {
            eprintln!("{}: {message}", p.name);
            return ExitCode::FAILURE;
        }
    }
    for f in &cli.families {
        if let Err(message) = family::run(f, &opts) {
            eprintln!("{}: {message}", f.name);
            return ExitCode::FAILURE;
        }
    }
    for t in &cli.tables {
        if let Err(message) = table::run(t, &opts) {
            eprintln!("{}: {message}", t.name);
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
