//! `simd-activations`: measures the crate's kernels on this machine.
//!
//! `cargo run --release` prints the CPU's features, the dispatch path, and a
//! table of throughput and accuracy per function and path.
//! `cargo run --release -- verify [--exhaustive]` sweeps inputs for accuracy and
//! bitwise agreement across paths; `cargo run --release -- bench` measures
//! throughput at one size. `--help` on each gives the options and defaults.

mod catalog;
mod element;
mod jobs;
mod measure;
mod output;
mod peer;
mod plot;
mod target;
mod verify;

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand};
use output::Format;
use simd_activations::Isa;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use target::Target;
use verify::Sweep;

/// Set by Ctrl-C: the jobs stop and print what they have.
pub static STOP: AtomicBool = AtomicBool::new(false);

/// The largest input size the command accepts, in elements (1 GiB of `f32`).
const MAX_SIZE: usize = 1 << 28;

const ENVIRONMENT: &str = "\
Environment:
  SIMD_ACTIVATIONS_ISA=scalar|avx2|avx512|neon
      caps the path the library's dispatch picks (Isa::best, shown as
      \"dispatch picks\" in the table); an unknown name or a path this CPU
      lacks is an error. The command itself measures every path this CPU
      has. Code chooses the path with simd_activations::Isa::set_limit.

Ctrl-C stops a run and prints the results so far (the function it was in
included, marked partial); a second Ctrl-C quits at once.";

/// Throughput and accuracy of simd-activations' kernels on this CPU.
///
/// With no subcommand: the CPU's features and dispatch path, then for every
/// function and path the throughput at three sizes, the speed-up over the
/// naive loop, the max ULP on a strided sweep (2^20 inputs) and bitwise
/// agreement with the scalar path; for the elementwise and row functions
/// also on bf16 and f16 inputs (agreement over all 65536 bit patterns).
/// Progress
/// goes to stderr when it is a terminal; results go to stdout.
#[derive(Parser, Debug)]
#[command(
    name = "simd-activations",
    version,
    after_help = ENVIRONMENT,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    table: TableArgs,
    /// Format of the results on stdout.
    #[arg(long, value_enum, default_value_t = Format::Markdown, global = true)]
    format: Format,
}

/// Options of the default table.
#[derive(Args, Debug)]
struct TableArgs {
    /// Measure only this function (repeat the option for several; all by default).
    /// Elementwise functions take parameters: "elu(alpha=0.5)".
    #[arg(long = "function", value_name = "NAME", value_parser = parse_target)]
    functions: Vec<Target>,
    /// Input sizes of the throughput columns, in elements (1 to 2^28),
    /// comma-separated; a size given twice is measured once.
    #[arg(
        long,
        value_name = "N,...",
        value_delimiter = ',',
        default_values_t = [4096usize, 1 << 20, 16 << 20],
        value_parser = parse_size,
        allow_negative_numbers = true
    )]
    sizes: Vec<usize>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Max ULP against the float64 references and bitwise agreement of every
    /// path with the scalar path, over a sweep of inputs (parallel, with an
    /// overall ETA). Exits with 1 if a path disagrees or a bound is exceeded.
    ///
    /// Elementwise functions, prelu (16 weights), frelu and the gated units
    /// (the gate swept against 16 up values in turn) sweep f32 bit
    /// patterns; softmax and log_softmax run on random rows of 1 to 32768
    /// entries at scales 1e-3 to 1e30 (2^32 / stride entries, at most 2^26;
    /// 2^24 entries uniform in [LO, HI] with --range).
    #[command(after_help = ENVIRONMENT)]
    Verify(VerifyArgs),
    /// Throughput of each function on each path and of the naive loop, at
    /// one size (softmax and log_softmax on rows of 4096, or of N below it;
    /// prelu over [N/4096, 64, 64]).
    #[command(after_help = ENVIRONMENT)]
    Bench(BenchArgs),
    /// SVG charts into DIR: graphs.svg (every elementwise function over
    /// [-6, 6]), ulp.svg (max ULP per binade of the input, 2^11 inputs per
    /// binade, on each path) and throughput.svg (Gelem/s of every function
    /// at N = 4096 on each path and of the naive loop).
    #[command(after_help = ENVIRONMENT)]
    Plot(PlotArgs),
}

#[derive(Args, Debug)]
struct PlotArgs {
    /// The folder to write the charts into (created if missing).
    dir: std::path::PathBuf,
}

#[derive(Args, Debug)]
struct VerifyArgs {
    /// All 2^32 bit patterns (the same as --stride 1).
    #[arg(long, conflicts_with_all = ["stride", "range"])]
    exhaustive: bool,
    /// Every N-th bit pattern, N from 1 to 2^32.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 256,
        value_parser = parse_stride,
        allow_negative_numbers = true,
        conflicts_with = "range"
    )]
    stride: u64,
    /// Every f32 from LO to HI (finite, LO <= HI).
    #[arg(
        long,
        num_args = 2,
        value_names = ["LO", "HI"],
        value_parser = parse_finite,
        allow_hyphen_values = true
    )]
    range: Option<Vec<f32>>,
    /// Check only this function (repeat the option for several; all by default).
    #[arg(long = "function", value_name = "NAME", value_parser = parse_target)]
    functions: Vec<Target>,
}

#[derive(Args, Debug)]
struct BenchArgs {
    /// Input size in elements, from 1 to 2^28.
    #[arg(long, value_name = "N", default_value_t = 4096, value_parser = parse_size, allow_negative_numbers = true)]
    size: usize,
    /// Measure only this function (repeat the option for several; all by default).
    #[arg(long = "function", value_name = "NAME", value_parser = parse_target)]
    functions: Vec<Target>,
}

fn parse_target(s: &str) -> Result<Target, String> {
    s.parse()
}

fn parse_size(s: &str) -> Result<usize, String> {
    s.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=MAX_SIZE).contains(n))
        .ok_or_else(|| format!("the size must be a whole number from 1 to {MAX_SIZE} (2^28)"))
}

fn parse_stride(s: &str) -> Result<u64, String> {
    s.trim()
        .parse::<u64>()
        .ok()
        .filter(|n| (1..=1u64 << 32).contains(n))
        .ok_or_else(|| "the stride must be a whole number from 1 to 4294967296 (2^32)".to_string())
}

fn parse_finite(s: &str) -> Result<f32, String> {
    s.trim()
        .parse::<f32>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| "expected a finite number".to_string())
}

/// The selected functions, each once, in the order given; all if none.
fn selection(functions: Vec<Target>) -> Vec<Target> {
    if functions.is_empty() {
        return Target::all();
    }
    once_each(functions)
}

/// Each value once, where it first appears (a size or function given twice
/// would repeat its columns or rows).
fn once_each<T: PartialEq>(values: Vec<T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Exits with a usage error in clap's format, with the usage of
/// `subcommand` (or of the command).
fn usage_error(subcommand: Option<&str>, kind: ErrorKind, message: String) -> ! {
    let mut command = Cli::command();
    command.build();
    match subcommand.and_then(|name| command.find_subcommand_mut(name)) {
        Some(sub) => sub.error(kind, message).exit(),
        None => command.error(kind, message).exit(),
    }
}

/// The functions to measure at `sizes`: those asked for, each of which must
/// suit every size (a usage error otherwise), or all those that do (the
/// others are named on stderr).
fn measurable(subcommand: Option<&str>, asked: Vec<Target>, sizes: &[usize]) -> Vec<Target> {
    let explicit = !asked.is_empty();
    let mut out = Vec::new();
    for f in selection(asked) {
        match sizes.iter().try_for_each(|&n| f.check_size(n)) {
            Ok(()) => out.push(f),
            Err(e) if explicit => usage_error(subcommand, ErrorKind::ValueValidation, e),
            Err(e) => eprintln!("note: skipping {f}: {e}"),
        }
    }
    out
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = Isa::from_env() {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    // Without the handler Ctrl-C ends the run at once, which is all that is lost.
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::Relaxed) {
            std::process::exit(130);
        }
    });
    let passed = match cli.command {
        None => {
            let sizes = once_each(cli.table.sizes);
            let functions = measurable(None, cli.table.functions, &sizes);
            jobs::table(&functions, &sizes, cli.format);
            true
        }
        Some(Command::Verify(a)) => {
            let sweep = match (a.exhaustive, a.range) {
                (true, _) => Sweep::Strided { stride: 1 },
                (false, Some(r)) => {
                    let (lo, hi) = (r[0], r[1]);
                    if lo > hi {
                        usage_error(
                            Some("verify"),
                            ErrorKind::ValueValidation,
                            format!("--range {lo} {hi}: LO must not be above HI"),
                        );
                    }
                    Sweep::Range { lo, hi }
                }
                (false, None) => Sweep::Strided { stride: a.stride },
            };
            jobs::verify(&selection(a.functions), sweep, cli.format)
        }
        Some(Command::Bench(a)) => {
            let functions = measurable(Some("bench"), a.functions, &[a.size]);
            jobs::bench(&functions, a.size, cli.format);
            true
        }
        Some(Command::Plot(a)) => match plot::plot(&a.dir) {
            Ok(()) => true,
            Err(e) => {
                eprintln!("error: {e}");
                false
            }
        },
    };
    if STOP.load(Ordering::Relaxed) {
        ExitCode::from(130)
    } else if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
