//! The command's three jobs: the default table, `verify` and `bench`.

use crate::STOP;
use crate::catalog;
use crate::element::HalfElement;
use crate::measure;
use crate::output::{Cell, Format, Sheet};
use crate::target::{Aux, Target};
use crate::verify::{self, Outcome, Sweep};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use simd_activations::{Isa, NATIVE, bf16, f16};
use std::sync::atomic::Ordering;

fn stopped() -> bool {
    STOP.load(Ordering::Relaxed)
}

/// A progress bar of `len` steps on stderr, drawn only when stderr is a
/// terminal.
fn progress(len: u64, template: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(template)
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar
}

fn paths() -> &'static [Isa] {
    Isa::available()
}

/// "yes", "oracle" or "NO (k)" for `isa` in `outcome`.
fn agreement(outcome: &Outcome, isa: Isa) -> String {
    match outcome.mismatches.iter().find(|m| m.0 == isa) {
        None => "oracle".to_string(),
        Some((_, bad, _)) => agrees(*bad),
    }
}

/// "yes" when no input of `bad` differs, "NO (k)" otherwise.
fn agrees(bad: u64) -> String {
    if bad == 0 {
        "yes".to_string()
    } else {
        format!("NO ({bad})")
    }
}

fn num(v: Option<f64>, decimals: usize) -> Cell {
    v.map_or(Cell::Empty, |v| Cell::Num(v, decimals))
}

/// `f` unless a stop was asked for.
fn unless_stopped(f: impl FnOnce() -> f64) -> Option<f64> {
    (!stopped()).then(f)
}

/// How many 16-bit element types the table measures the elementwise and
/// row functions on after `f32` (`bf16` and `f16`: the `half_rows` calls
/// in [`table`]).
const HALF_TYPES: usize = 2;

/// The progress steps of `f` in the table: its accuracy sweep and naive
/// loop, then per path its own and rten-vecmath's throughput, and for an
/// elementwise function per 16-bit type the check of every bit pattern and
/// the throughput on each path.
fn table_steps(f: Target) -> usize {
    let paths = paths().len();
    let half = if f.has_half() {
        HALF_TYPES * (1 + paths)
    } else {
        0
    };
    2 + 2 * paths + half
}

/// The inputs at each size, rounded to `T`.
fn rounded<T: HalfElement>(inputs: &[Vec<f32>]) -> Vec<Vec<T>> {
    inputs
        .iter()
        .map(|x| x.iter().map(|&v| T::from_f32(v)).collect())
        .collect()
}

/// The table's rows of the elementwise or row function `f` on `T`, one per path:
/// the throughput on `x` (the inputs at each size, rounded to `T`), its
/// ratio to the `f32` naive loop's `naive`, and agreement with `from_f32`
/// of the scalar `f32` result over every bit pattern of `T`.
fn half_rows<T: HalfElement>(
    sheet: &mut Sheet,
    bar: &ProgressBar,
    f: Target,
    x: &[Vec<T>],
    naive: &[Option<f64>],
) {
    bar.set_message(format!("{} {} bit patterns", f.name(), T::NAME));
    let mismatches = verify::half_mismatches::<T>(f);
    bar.inc(1);
    let mut out = vec![T::default(); x.iter().map(Vec::len).max().unwrap_or(0)];
    for (isa, bad) in mismatches {
        let path = format!("{} {}", isa.name(), T::NAME);
        bar.set_message(format!("{} {path}", f.name()));
        let g: Vec<Option<f64>> = x
            .iter()
            .map(|x| unless_stopped(|| measure::typed_throughput(f, isa, x, &mut out[..x.len()])))
            .collect();
        bar.inc(1);
        let mut row = vec![Cell::Text(f.to_string()), Cell::Text(path)];
        row.extend(g.iter().map(|v| num(*v, 2)));
        row.extend(
            g.iter()
                .zip(naive)
                .map(|(g, n)| num(g.zip(*n).map(|(g, n)| g / n), 1)),
        );
        row.extend((0..x.len() + 1).map(|_| Cell::Empty));
        row.push(Cell::Text(agrees(bad)));
        sheet.row(row);
    }
}

/// The default job: what this CPU has, then per function and path the
/// throughput at `sizes`, the speed-up over the naive loop, the max ULP on a
/// quick sweep and bitwise agreement with the scalar path; for the
/// elementwise and row functions, the same on `bf16` and `f16` inputs.
pub fn table(functions: &[Target], sizes: &[usize], format: Format) {
    let mut columns = vec!["function".to_string(), "path".to_string()];
    columns.extend(sizes.iter().map(|n| format!("Gelem/s N={n}")));
    columns.extend(sizes.iter().map(|n| format!("x naive N={n}")));
    columns.extend(sizes.iter().map(|n| format!("x rten-vecmath N={n}")));
    columns.extend(["max ULP".to_string(), "= scalar".to_string()]);
    let steps: usize = functions.iter().map(|&f| table_steps(f)).sum();
    let bar = progress(
        steps as u64,
        "{msg:20} [{bar:20}] {pos}/{len} {elapsed} eta {eta}",
    );
    let mut sheet = Sheet::new(format, "table", columns, bar.clone());
    sheet.note(
        "simd-activations",
        Cell::Text(env!("CARGO_PKG_VERSION").into()),
    );
    sheet.note("CPU", Cell::Text(measure::cpu_name()));
    sheet.note(
        "CPU features",
        Cell::Text(measure::cpu_features().join(" ")),
    );
    let avail: Vec<&str> = paths().iter().map(|i| i.name()).collect();
    sheet.note("paths available", Cell::Text(avail.join(", ")));
    let capped = Isa::from_env().ok().flatten().is_some();
    sheet.note(
        "dispatch picks",
        Cell::Text(format!(
            "{}{}",
            Isa::best(),
            if capped {
                " (capped by SIMD_ACTIVATIONS_ISA)"
            } else {
                ""
            }
        )),
    );
    if let Some(n) = NATIVE {
        sheet.note(
            "build target guarantees",
            Cell::Text(format!("{n} (no runtime detection needed)")),
        );
    }
    sheet.note(
        "inputs",
        Cell::Text(format!(
            "uniform in [-10, 10] (softmax and log_softmax in rows of {}; prelu over [N/4096, 64, 64]); \
             single thread; median of repeated runs; max ULP over every 4096th bit pattern \
             (2^20 inputs; 2^20 entries of random rows for softmax and log_softmax)",
            crate::target::ROW_LEN
        )),
    );
    sheet.note(
        "gated units",
        Cell::Text(
            "gate = the inputs, up = the inputs reversed and scaled into [-4, 4]; \
             naive loop = the activation's naive loop, then a multiply by up; \
             max ULP against the float64 act(gate) * up with up cycling through 16 values \
             (tiny, huge, zero, infinite and NaN among them), over the pairs whose \
             float64 activation is zero or a normal f32"
                .into(),
        ),
    );
    sheet.note(
        "bf16 and f16 rows",
        Cell::Text(
            "the same inputs rounded to the type; x naive is the ratio to the f32 naive loop; \
             = scalar compares all 65536 bit patterns (in rows of 4096 for softmax and \
             log_softmax) with from_f32 of the scalar path's f32 result on the widened input"
                .into(),
        ),
    );
    let inputs: Vec<Vec<f32>> = sizes.iter().map(|&n| catalog::inputs(n)).collect();
    let inputs_bf16 = rounded::<bf16>(&inputs);
    let inputs_f16 = rounded::<f16>(&inputs);
    let mut out = vec![0f32; sizes.iter().copied().max().unwrap_or(0)];
    let hidden = ProgressBar::hidden();
    for &f in functions {
        if stopped() {
            break;
        }
        bar.set_message(format!("{} accuracy", f.name()));
        let acc = verify::verify(f, Sweep::Strided { stride: 4096 }, &hidden, &STOP);
        bar.inc(1);
        bar.set_message(format!("{} naive loop", f.name()));
        let auxes: Vec<Aux> = inputs.iter().map(|x| Aux::for_inputs(f, x)).collect();
        let naive: Vec<Option<f64>> = inputs
            .iter()
            .zip(&auxes)
            .map(|(x, aux)| {
                unless_stopped(|| measure::naive_throughput(f, x, aux, &mut out[..x.len()]))
            })
            .collect();
        bar.inc(1);
        let mut peer_rows = Vec::new();
        for &isa in paths() {
            bar.set_message(format!("{} {}", f.name(), isa.name()));
            let g: Vec<Option<f64>> = inputs
                .iter()
                .zip(&auxes)
                .map(|(x, aux)| {
                    unless_stopped(|| measure::throughput(f, isa, x, aux, &mut out[..x.len()]))
                })
                .collect();
            bar.inc(1);
            bar.set_message(format!("{} rten-vecmath {}", f.name(), isa.name()));
            let peer: Vec<Option<f64>> = inputs
                .iter()
                .map(|x| measure::peer_throughput(f, isa, x).filter(|_| !stopped()))
                .collect();
            bar.inc(1);
            let mut row = vec![Cell::Text(f.to_string()), Cell::Text(isa.name().into())];
            row.extend(g.iter().map(|v| num(*v, 2)));
            row.extend(
                g.iter()
                    .zip(&naive)
                    .map(|(g, n)| num(g.zip(*n).map(|(g, n)| g / n), 1)),
            );
            row.extend(
                g.iter()
                    .zip(&peer)
                    .map(|(g, p)| num(g.zip(*p).map(|(g, p)| g / p), 2)),
            );
            row.push(Cell::Num(acc.max_ulp, 3));
            row.push(Cell::Text(agreement(&acc, isa)));
            sheet.row(row);
            if peer.iter().any(Option::is_some) {
                let name = format!("rten-vecmath ({})", isa.name());
                let mut row = vec![Cell::Text(f.to_string()), Cell::Text(name)];
                row.extend(peer.iter().map(|v| num(*v, 2)));
                row.extend((0..2 * sizes.len() + 2).map(|_| Cell::Empty));
                peer_rows.push(row);
            }
        }
        for row in peer_rows {
            sheet.row(row);
        }
        let mut row = vec![Cell::Text(f.to_string()), Cell::Text("naive loop".into())];
        row.extend(naive.iter().map(|v| num(*v, 2)));
        row.extend(naive.iter().map(|v| num(v.map(|_| 1.0), 1)));
        row.extend((0..sizes.len() + 2).map(|_| Cell::Empty));
        sheet.row(row);
        if f.has_half() {
            half_rows(&mut sheet, &bar, f, &inputs_bf16, &naive);
            half_rows(&mut sheet, &bar, f, &inputs_f16, &naive);
        }
    }
    bar.finish_and_clear();
    sheet.finish(stopped());
}

/// `verify`: one row per function; `false` if a path disagrees with the
/// scalar path or an error exceeds its bound.
pub fn verify(functions: &[Target], sweep: Sweep, format: Format) -> bool {
    let simd: Vec<Isa> = paths()
        .iter()
        .copied()
        .filter(|i| *i != Isa::Scalar)
        .collect();
    let mut columns: Vec<String> = ["function", "bound", "max ULP", "at x", "inputs", "complete"]
        .map(String::from)
        .to_vec();
    for isa in &simd {
        columns.push(format!("{isa} differing"));
        columns.push(format!("{isa} first differing x"));
    }
    columns.push("differing from naive loop".into());
    let total: u64 = functions.iter().map(|f| sweep.planned(*f)).sum();
    let bar = progress(
        total,
        "{msg:20} [{bar:20}] {percent:>3}% {elapsed_precise} eta {eta_precise}",
    );
    let mut sheet = Sheet::new(format, "verify", columns, bar.clone());
    sheet.note("sweep", Cell::Text(sweep.to_string()));
    let mut passed = true;
    for (i, &f) in functions.iter().enumerate() {
        if stopped() {
            break;
        }
        bar.set_message(format!("{} ({}/{})", f.name(), i + 1, functions.len()));
        let r = verify::verify(f, sweep, &bar, &STOP);
        passed &= r.passed(f);
        let mut row = vec![
            Cell::Text(f.to_string()),
            Cell::Num(f.bound(), 1),
            Cell::Num(r.max_ulp, 4),
            if r.max_ulp > 0.0 {
                Cell::Sci(r.worst_x)
            } else {
                Cell::Empty
            },
            Cell::Int(r.count),
            Cell::Text(
                if r.count >= r.planned {
                    "yes"
                } else {
                    "partial"
                }
                .into(),
            ),
        ];
        for (_, bad, first) in &r.mismatches {
            row.push(Cell::Int(*bad));
            row.push(first.map_or(Cell::Empty, Cell::Sci));
        }
        row.push(r.naive_differs.map_or(Cell::Empty, Cell::Int));
        sheet.row(row);
    }
    bar.finish_and_clear();
    sheet.finish(stopped());
    passed
}

/// `bench`: Gelem/s of each function on each path and of the naive loop at
/// `n` elements.
pub fn bench(functions: &[Target], n: usize, format: Format) {
    let mut columns = vec!["function".to_string(), "N".to_string()];
    columns.extend(paths().iter().map(|isa| format!("{isa} Gelem/s")));
    columns.push("naive loop Gelem/s".into());
    let bar = progress(
        (functions.len() * (paths().len() + 1)) as u64,
        "{msg:20} [{bar:20}] {pos}/{len} {elapsed} eta {eta}",
    );
    let mut sheet = Sheet::new(format, "bench", columns, bar.clone());
    sheet.note(
        "inputs",
        Cell::Text(format!("{n} elements uniform in [-10, 10]")),
    );
    let x = catalog::inputs(n);
    let mut y = vec![0f32; n];
    for &f in functions {
        if stopped() {
            break;
        }
        let aux = Aux::for_inputs(f, &x);
        let mut row = vec![Cell::Text(f.to_string()), Cell::Int(n as u64)];
        for &isa in paths() {
            bar.set_message(format!("{} {}", f.name(), isa.name()));
            row.push(num(
                unless_stopped(|| measure::throughput(f, isa, &x, &aux, &mut y)),
                2,
            ));
            bar.inc(1);
        }
        bar.set_message(format!("{} naive loop", f.name()));
        row.push(num(
            unless_stopped(|| measure::naive_throughput(f, &x, &aux, &mut y)),
            2,
        ));
        bar.inc(1);
        sheet.row(row);
    }
    bar.finish_and_clear();
    sheet.finish(stopped());
}
