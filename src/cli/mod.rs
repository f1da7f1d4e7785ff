//! Command-line front end: the measurement table (default), `verify` and
//! `bench`.

pub mod bench;
pub mod catalog;
pub mod verify;

use catalog::functions;
use simd_activations::{Activation, Isa, NATIVE};
use std::io::Write;
use verify::Sweep;

const USAGE: &str = "\
usage: simd-activations                 throughput and accuracy table for this CPU
       simd-activations verify [--exhaustive | --stride N | --range LO HI] [--function NAME]
                                        max ULP and bitwise agreement of every path
       simd-activations bench [--size N] [--function NAME]
                                        throughput of each path at one size";

pub fn main(args: &[String]) -> i32 {
    if let Err(e) = Isa::from_env() {
        eprintln!("error: {e}");
        return 2;
    }
    let result = match args.first().map(String::as_str) {
        None => Ok(report()),
        Some("verify") => verify_cmd(&args[1..]),
        Some("bench") => bench_cmd(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(0)
        }
        Some(other) => Err(format!("unknown command {other:?}")),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            2
        }
    }
}

/// Options shared by the subcommands.
struct Options {
    sweep: Sweep,
    only: Option<String>,
    size: usize,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        sweep: Sweep::Strided { stride: 256 },
        only: None,
        size: 4096,
    };
    let mut it = args.iter();
    let value = |it: &mut std::slice::Iter<String>, what: &str| {
        it.next()
            .cloned()
            .ok_or_else(|| format!("{what} needs a value"))
    };
    let number = |s: String| s.parse::<f64>().map_err(|_| format!("not a number: {s:?}"));
    while let Some(a) = it.next() {
        match a.as_str() {
            "--exhaustive" => o.sweep = Sweep::Strided { stride: 1 },
            "--stride" => {
                o.sweep = Sweep::Strided {
                    stride: number(value(&mut it, a)?)? as u64,
                }
            }
            "--range" => {
                let lo = number(value(&mut it, a)?)? as f32;
                let hi = number(value(&mut it, a)?)? as f32;
                o.sweep = Sweep::Range { lo, hi };
            }
            "--function" => o.only = Some(value(&mut it, a)?),
            "--size" => o.size = number(value(&mut it, a)?)? as usize,
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    if let Some(name) = &o.only
        && !functions().iter().any(|f| f.name() == name)
    {
        let names: Vec<&str> = functions().iter().map(|f| f.name()).collect();
        return Err(format!(
            "unknown function {name:?}; functions: {}",
            names.join(", ")
        ));
    }
    Ok(o)
}

fn selected(o: &Options) -> Vec<Activation> {
    functions()
        .into_iter()
        .filter(|f| o.only.as_deref().is_none_or(|n| n == f.name()))
        .collect()
}

fn verify_cmd(args: &[String]) -> Result<i32, String> {
    let o = parse(args)?;
    println!("| function | max ULP | at x | inputs | bit-identical to scalar |");
    println!("|---|---|---|---|---|");
    let mut ok = true;
    for f in selected(&o) {
        let r = verify::verify(f, o.sweep, true);
        ok &= r.mismatches.iter().all(|m| m.1 == 0);
        println!(
            "| {} | {:.4} | {:e} | {} | {} |",
            f.name(),
            r.max_ulp,
            r.worst_x,
            r.count,
            agreement(&r)
        );
    }
    Ok(if ok { 0 } else { 1 })
}

/// "avx2, avx512: yes" or the first disagreement per path.
fn agreement(r: &verify::Report) -> String {
    if r.mismatches.is_empty() {
        return "(no SIMD path here)".into();
    }
    r.mismatches
        .iter()
        .map(|(isa, bad, first)| match first {
            None => format!("{isa}: yes"),
            Some(x) => format!("{isa}: NO ({bad} differ, first at {x:e})"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn bench_cmd(args: &[String]) -> Result<i32, String> {
    let o = parse(args)?;
    let x = catalog::inputs(o.size);
    let mut y = vec![0f32; o.size];
    println!("Gelem/s at N = {}:", o.size);
    for f in selected(&o) {
        let mut line = format!("{:<10}", f.name());
        for isa in Isa::available() {
            let g = bench::throughput(f, *isa, &x, &mut y);
            line += &format!(" {}={g:.2}", isa.name());
        }
        line += &format!(" naive={:.2}", bench::naive_throughput(f, &x, &mut y));
        println!("{line}");
    }
    Ok(0)
}

/// The default job: what this CPU has, then per function and path the
/// throughput at three sizes, the speed-up over the naive loop, the max ULP on
/// a quick sweep and bitwise agreement with the scalar path.
fn report() -> i32 {
    println!("simd-activations {}", env!("CARGO_PKG_VERSION"));
    println!("CPU: {}", bench::cpu_name());
    println!("CPU features: {}", bench::cpu_features().join(" "));
    let avail: Vec<&str> = Isa::available().iter().map(|i| i.name()).collect();
    println!("paths available: {}", avail.join(", "));
    println!(
        "dispatch picks: {}{}",
        Isa::best(),
        if Isa::from_env().ok().flatten().is_some() {
            " (capped by SIMD_ACTIVATIONS_ISA)"
        } else {
            ""
        }
    );
    if let Some(n) = NATIVE {
        println!("build target guarantees: {n} (no runtime detection needed)");
    }
    let sizes = [4096usize, 1 << 20, 16 << 20];
    println!(
        "inputs: uniform in [-10, 10]; single thread; median of repeated runs; \
         max ULP over every 4096th bit pattern (2^20 inputs)"
    );
    println!();
    println!(
        "| function | path | Gelem/s N=4Ki | N=1Mi | N=16Mi | x naive (4Ki / 1Mi / 16Mi) | max ULP | = scalar |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let inputs: Vec<Vec<f32>> = sizes.iter().map(|&n| catalog::inputs(n)).collect();
    let mut out = vec![0f32; *sizes.last().unwrap()];
    let fs = functions();
    let steps = fs.len() * (Isa::available().len() + 2);
    let mut step = 0;
    let mut progress = |what: &str| {
        step += 1;
        eprint!("\r  [{step:>3}/{steps}] {what:<24}");
        let _ = std::io::stderr().flush();
    };
    for f in fs {
        progress(&format!("{} accuracy", f.name()));
        let acc = verify::verify(f, Sweep::Strided { stride: 4096 }, false);
        progress(&format!("{} naive", f.name()));
        let naive: Vec<f64> = inputs
            .iter()
            .map(|x| bench::naive_throughput(f, x, &mut out[..x.len()]))
            .collect();
        for isa in Isa::available() {
            progress(&format!("{} {}", f.name(), isa.name()));
            let g: Vec<f64> = inputs
                .iter()
                .map(|x| bench::throughput(f, *isa, x, &mut out[..x.len()]))
                .collect();
            let same = match acc.mismatches.iter().find(|m| m.0 == *isa) {
                None => "oracle".to_string(),
                Some((_, 0, _)) => "yes".to_string(),
                Some((_, bad, _)) => format!("NO ({bad})"),
            };
            eprint!("\r{:60}\r", "");
            println!(
                "| {} | {} | {:.2} | {:.2} | {:.2} | {:.1} / {:.1} / {:.1} | {:.3} | {} |",
                f.name(),
                isa.name(),
                g[0],
                g[1],
                g[2],
                g[0] / naive[0],
                g[1] / naive[1],
                g[2] / naive[2],
                acc.max_ulp,
                same
            );
        }
        println!(
            "| {} | naive loop | {:.2} | {:.2} | {:.2} | 1 | | |",
            f.name(),
            naive[0],
            naive[1],
            naive[2]
        );
    }
    eprint!("\r{:60}\r", "");
    0
}
