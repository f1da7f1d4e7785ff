//! Tables of per-entry minimax fits: every constant of the kernels'
//! approximations, printed as the kernel declares it.
//!
//! A [`Table`] fills a few named constants of one kernel: the 8- or 16-entry
//! tables a kernel reads per SIMD lane with `lookup8` or `lookup16`, or plain
//! scalar constants (a table with the single entry 0). Each [`Entry`] holds
//! - a [`Polynomial`] to fit: `f(x) ≈ fixed(x) + Σ c_k t^e_k` on `[lo, hi]`,
//!   `t = x − centre`, with absolute or relative error. The coefficients are
//!   fitted with the Remez exchange in f64 and rounded to f32 (see
//!   [`Rounding`]); the constant term may be kept as an unevaluated sum
//!   `hi + lo` of two f32. Every coefficient goes to a named column, at the
//!   entry's slot;
//! - constants that are not fitted (a centre, an exact value), also by
//!   column.
//!
//! Each polynomial is then checked in f32: the f32 coefficients evaluated by
//! fma Horner over (a sweep of) every f32 of its interval, the weighted
//! error reported, and, where the entry knows the kernel's last step, the
//! kernel's result in ULPs. The columns are printed as ready-to-paste Rust
//! constants in the kernels' format (see [`Printed`]).

use std::collections::HashMap;

use crate::f32eval::{self, Check, Finish, Poly32, Sweep};
use crate::hexfloat::hex_f32;
use crate::remez::{Alternation, Basis, Fit, Options, Order, Rounded, Target, Weight};

/// A real function, shareable with the sweep's threads.
pub type Real = Box<dyn Fn(f64) -> f64 + Sync>;

/// Number of entries of a `lookup16` table (a `lookup8` table has 8).
pub const SLOTS: usize = 16;

/// Points of the uniform grid on which rounded coefficients are compared.
const DENSE: usize = 200_001;

/// How the f64 coefficients become f32.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// Each to the nearest f32. With `--refit`, greedy rounding in both
    /// orders is tried too, and the best of the three kept (rounding to
    /// nearest on a tie).
    Nearest,
    /// Greedily, highest degree first (see [`Target::round_greedy`]): the
    /// lowest, largest coefficients are rounded last, when only the
    /// constant term is left to absorb their rounding. As the `erf` tables
    /// were fitted (0.778 ULP on the fitter's sweep, against 0.782 lowest
    /// degree first).
    HighestFirst,
    /// Greedily, lowest degree first: the higher coefficients absorb the
    /// rounding of the lower, larger ones. As the `gelu_tail` tables and
    /// `expm1_small` were fitted (with [`Alternation::Plain`]), and the
    /// `softplus` coefficients and the `tanh` tables (with
    /// [`Alternation::Reduced`]: `tanh` 0.767 ULP on the fitter's sweep,
    /// against 0.810 highest degree first).
    LowestFirst,
}

/// A kernel's last step, for the ULP check of an entry.
pub struct KernelStep {
    /// The formula, for the printout.
    pub about: &'static str,
    /// The kernel's f32 result (see [`Finish`]).
    pub finish: Box<Finish>,
    /// What `finish` approximates.
    pub reference: Real,
}

/// A polynomial to fit: `f(x) ≈ fixed(x) + Σ c_k t^e_k` on `[lo, hi]`,
/// `t = x − centre`.
pub struct Polynomial {
    pub f: Real,
    pub fixed: Real,
    /// The inputs the kernel sends to this entry (with a margin for the
    /// rounding of its index computation).
    pub lo: f64,
    pub hi: f64,
    /// An f32: the kernel computes `t` as `x − centre` in f32.
    pub centre: f64,
    /// Strictly increasing.
    pub exps: &'static [u32],
    pub weight: Weight,
    /// The columns of the coefficients, one per exponent, except the
    /// constant term when it is split.
    pub columns: Vec<String>,
    /// The columns of `[hi, lo]` if the constant term (exponent 0) is kept
    /// as `hi + lo`, two f32.
    pub split: Option<[String; 2]>,
    pub kernel: Option<KernelStep>,
}

/// One table entry.
pub struct Entry {
    /// Index in the tables (0 for scalar constants).
    pub slot: usize,
    pub poly: Option<Polynomial>,
    /// Constants that are not fitted, by column.
    pub consts: Vec<(String, f32)>,
}

impl Entry {
    /// An entry with a polynomial to fit.
    pub fn fit(slot: usize, poly: Polynomial) -> Self {
        Entry {
            slot,
            poly: Some(poly),
            consts: Vec::new(),
        }
    }
}

/// A printed constant.
#[derive(Clone, Copy, Debug)]
pub enum Printed {
    /// `const NAME: f32`, slot 0 of the column `NAME`.
    Scalar(&'static str),
    /// `const NAME: [f32; slots]`, the column `NAME` (see [`Table::slots`]).
    Array(&'static str),
    /// `const NAME: [[f32; slots]; degree + 1]`: the coefficients of a
    /// polynomial in `var`, highest degree first; row `i` is the column
    /// `NAME[i]` (see [`matrix_rows`]).
    Matrix {
        name: &'static str,
        var: &'static str,
        degree: u32,
    },
}

/// The columns of a [`Printed::Matrix`] that hold the exponents `exps`.
pub fn matrix_rows(name: &str, degree: u32, exps: &[u32]) -> Vec<String> {
    exps.iter()
        .map(|&e| format!("{name}[{}]", degree - e))
        .collect()
}

/// A named set of constants of one kernel.
pub struct Table {
    pub name: &'static str,
    /// Names the constants, and says interval, degree, form and error.
    pub about: &'static str,
    pub entries: Vec<Entry>,
    /// Greedy rounding is kept even where rounding to nearest would be
    /// better, as the tables were fitted.
    pub rounding: Rounding,
    /// [`Alternation::Reduced`], or [`Alternation::Plain`] only to reproduce
    /// the tables fitted with it.
    pub alternation: Alternation,
    /// What is printed, in order: every column an entry fills.
    pub printed: Vec<Printed>,
    /// Entries of each printed array: [`SLOTS`] for `lookup16`, 8 for
    /// `lookup8` (scalar constants print slot 0 either way).
    pub slots: usize,
}

impl Table {
    /// A kernel's scalar constants: one entry (a polynomial, with any
    /// constants it carries), its coefficients rounded to nearest, each
    /// column printed as `const NAME: f32` in the order of `names`.
    pub fn scalars(
        name: &'static str,
        about: &'static str,
        entry: Entry,
        names: &[&'static str],
    ) -> Table {
        Table {
            name,
            about,
            entries: vec![entry],
            rounding: Rounding::Nearest,
            alternation: Alternation::Reduced,
            printed: names.iter().map(|&n| Printed::Scalar(n)).collect(),
            slots: SLOTS,
        }
    }
}

/// An entry's polynomial, fitted, rounded and checked.
struct Fitted {
    /// The f64 minimax fit.
    fit: Fit,
    /// Its weighted error on the dense grid.
    error64: f64,
    rounded: Rounded,
    /// Error of the rounded coefficients on the dense grid, and where.
    error32: (f64, f64),
    /// What [`Fitted::rounded`] is, and how the alternatives fared.
    how: String,
    sweep: Sweep,
}

/// `1.2340e-9 (2^-29.59)`.
fn show_error(e: f64) -> String {
    if e == 0.0 {
        "0".to_string()
    } else {
        format!("{e:.4e} (2^{:.2})", e.log2())
    }
}

/// `2^-29.59`.
fn log2_error(e: f64) -> String {
    if e == 0.0 {
        "0".to_string()
    } else {
        format!("2^{:.2}", e.log2())
    }
}

impl Polynomial {
    fn target<'a>(&'a self, basis: &'a Basis) -> Target<'a> {
        Target {
            f: &self.f,
            fixed: &self.fixed,
            basis,
            weight: self.weight,
        }
    }

    /// Fits, rounds (`refit`: see [`Rounding::Nearest`]) and sweeps at most
    /// `samples` f32 inputs.
    fn run(
        &self,
        rounding: Rounding,
        refit: bool,
        opts: &Options,
        samples: u64,
    ) -> Result<Fitted, String> {
        if f64::from(self.centre as f32) != self.centre {
            return Err(format!("centre {:e} is not an f32", self.centre));
        }
        let split = self.split.is_some();
        if self.exps.len() <= usize::from(split) {
            return Err("no coefficient left for the Horner tables".to_string());
        }
        let basis = Basis::new(self.centre, self.exps);
        let target = self.target(&basis);
        let fit = target.minimax(self.lo, self.hi, opts)?;
        let dense = |c: &[f64]| target.max_error(c, self.lo, self.hi, DENSE);
        let (error64, _) = dense(&fit.coeffs);

        let nearest = Rounded::nearest(&fit.coeffs, split);
        let orders = match rounding {
            Rounding::Nearest if refit => vec![Order::LowestFirst, Order::HighestFirst],
            Rounding::Nearest => Vec::new(),
            Rounding::HighestFirst => vec![Order::HighestFirst],
            Rounding::LowestFirst => vec![Order::LowestFirst],
        };
        // The candidates, with their errors: the first is the one kept.
        let mut tried: Vec<(String, Rounded, (f64, f64))> = Vec::new();
        if rounding == Rounding::Nearest {
            let error = dense(&nearest.wide());
            tried.push(("nearest".to_string(), nearest.clone(), error));
        }
        let mut failed = Vec::new();
        for order in orders {
            let name = match order {
                Order::HighestFirst => "greedy, highest degree first",
                Order::LowestFirst => "greedy, lowest degree first",
            };
            match target.round_greedy(self.lo, self.hi, opts, order, split) {
                Ok(greedy) => {
                    let error = dense(&greedy.wide());
                    let at = tried.partition_point(|t| t.2.0 <= error.0);
                    tried.insert(at, (name.to_string(), greedy, error));
                }
                Err(why) if rounding == Rounding::Nearest => {
                    failed.push(format!("{name} failed: {why}"));
                }
                Err(why) => return Err(format!("{name}: {why}")),
            }
        }
        if rounding != Rounding::Nearest {
            let error = dense(&nearest.wide());
            tried.push(("nearest".to_string(), nearest, error));
        }
        let others: Vec<String> = tried[1..]
            .iter()
            .map(|(name, _, error)| format!("{name}: {}", log2_error(error.0)))
            .chain(failed)
            .collect();
        let (name, rounded, error32) = tried.remove(0);
        let how = if others.is_empty() {
            name
        } else {
            format!("{name} ({})", others.join("; "))
        };
        let sweep = self.sweep(&rounded, samples);
        Ok(Fitted {
            fit,
            error64,
            rounded,
            error32,
            how,
            sweep,
        })
    }

    /// The f32 check of the rounded coefficients.
    fn sweep(&self, rounded: &Rounded, samples: u64) -> Sweep {
        let skip = usize::from(rounded.lo.is_some());
        let constant = match rounded.lo {
            Some(lo) => [rounded.coeffs[0], lo],
            None => [0.0; 2],
        };
        let fixed = |x: f64| (self.fixed)(x) + (f64::from(constant[0]) + f64::from(constant[1]));
        let check = Check {
            poly: Poly32 {
                centre: self.centre as f32,
                exps: self.exps[skip..].to_vec(),
                coeffs: rounded.coeffs[skip..].to_vec(),
            },
            f: &self.f,
            fixed: &fixed,
            weight: self.weight,
            result: self
                .kernel
                .as_ref()
                .map(|k| (&*k.finish, &k.reference as f32eval::RealFn)),
            constant,
        };
        f32eval::sweep(&check, self.lo, self.hi, samples)
    }
}

/// The printed columns, by name.
struct Columns {
    values: HashMap<String, Vec<Option<f32>>>,
    slots: usize,
}

impl Columns {
    fn new(printed: &[Printed], slots: usize) -> Self {
        let mut values = HashMap::new();
        for p in printed {
            match *p {
                Printed::Scalar(name) | Printed::Array(name) => {
                    values.insert(name.to_string(), vec![None; slots]);
                }
                Printed::Matrix { name, degree, .. } => {
                    for i in 0..=degree {
                        values.insert(format!("{name}[{i}]"), vec![None; slots]);
                    }
                }
            }
        }
        Columns { values, slots }
    }

    fn set(&mut self, column: &str, slot: usize, value: f32) -> Result<(), String> {
        let cells = self
            .values
            .get_mut(column)
            .ok_or_else(|| format!("column {column} is not printed"))?;
        let cell = cells
            .get_mut(slot)
            .ok_or_else(|| format!("slot {slot} is out of range"))?;
        if cell.is_some() {
            return Err(format!("{column}[{slot}] is set twice"));
        }
        *cell = Some(value);
        Ok(())
    }

    /// The column, with zeros where no entry wrote.
    fn get(&self, column: &str) -> Vec<f32> {
        self.values[column]
            .iter()
            .map(|v| v.unwrap_or(0.0))
            .collect()
    }
}

/// `x` as Rust prints it (`{:e}`, the shortest form that reads back the same).
fn literal(x: f32) -> String {
    format!("{x:e}")
}

/// `literal` with `_` between groups of three fraction digits, as the
/// kernels write scalar constants: `1.250_040_4e-1`.
fn grouped_literal(x: f32) -> String {
    let s = literal(x);
    let Some((int, rest)) = s.split_once('.') else {
        return s;
    };
    let (digits, exponent) = rest.split_at(rest.find('e').unwrap_or(rest.len()));
    let groups: Vec<&str> = digits
        .as_bytes()
        .chunks(3)
        .map(|c| std::str::from_utf8(c).expect("ASCII digits"))
        .collect();
    format!("{int}.{}{exponent}", groups.join("_"))
}

/// The lines `{indent}value, // hex`, the comments aligned as rustfmt does.
fn array_lines(values: &[f32], indent: &str) -> Vec<String> {
    let width = values.iter().map(|&v| literal(v).len()).max().unwrap_or(0) + 1;
    values
        .iter()
        .map(|&v| {
            let item = format!("{},", literal(v));
            format!("{indent}{item:<width$} // {}", hex_f32(v))
        })
        .collect()
}

/// The Rust source of the printed constants.
fn render(printed: &[Printed], columns: &Columns) -> Vec<String> {
    let slots = columns.slots;
    let mut lines = Vec::new();
    for p in printed {
        match *p {
            Printed::Scalar(name) => {
                let v = columns.get(name)[0];
                lines.push(format!(
                    "const {name}: f32 = {}; // {}",
                    grouped_literal(v),
                    hex_f32(v)
                ));
            }
            Printed::Array(name) => {
                lines.push(format!("const {name}: [f32; {slots}] = ["));
                lines.extend(array_lines(&columns.get(name), "    "));
                lines.push("];".to_string());
            }
            Printed::Matrix { name, var, degree } => {
                let rows = degree + 1;
                lines.push(format!("const {name}: [[f32; {slots}]; {rows}] = ["));
                for i in 0..=degree {
                    lines.push(format!("    // {var}^{}", degree - i));
                    lines.push("    [".to_string());
                    lines.extend(array_lines(
                        &columns.get(&format!("{name}[{i}]")),
                        "        ",
                    ));
                    lines.push("    ],".to_string());
                }
                lines.push("];".to_string());
            }
        }
    }
    lines
}

/// Prints the details of the fit of a single polynomial.
fn print_details(poly: &Polynomial, fitted: &Fitted, tol: f64) {
    let fit = &fitted.fit;
    let t = if poly.centre == 0.0 {
        "x".to_string()
    } else {
        format!("x - {:e}", poly.centre)
    };
    println!(
        "   f(x) ~ fixed(x) + sum_k c_k t^e_k,  t = {t},  e = {:?},  x in [{:e}, {:e}],  {} error",
        poly.exps, poly.lo, poly.hi, poly.weight
    );
    if fit.converged {
        println!(
            "  Remez: converged after {} iterations (tolerance {tol:e})",
            fit.iterations
        );
    } else {
        println!(
            "  Remez: NOT converged (tolerance {tol:e}); best iterate: #{}",
            fit.iterations
        );
    }
    println!(
        "  levelled error |E|            {}",
        show_error(fit.levelled_error)
    );
    println!(
        "  extremal errors (min..max)    {} .. {}",
        show_error(fit.min_error),
        show_error(fit.max_error)
    );
    println!(
        "  max error, f64 coefficients   {}  ({DENSE}-point grid)",
        show_error(fitted.error64)
    );
    println!(
        "  max error, f32 coefficients   {}  at x = {:e}; {}",
        show_error(fitted.error32.0),
        fitted.error32.1,
        fitted.how
    );
    println!("    e  c (f64)                     c (f32)          c (f32 hex)");
    let split = usize::from(fitted.rounded.lo.is_some());
    for (k, (&e, &c)) in poly.exps.iter().zip(&fitted.rounded.coeffs).enumerate() {
        let part = if k < split { " (hi)" } else { "" };
        println!(
            "  {e:>3}  {:<26}  {c:<15e}  {}{part}",
            format!("{:.17e}", fit.coeffs[k]),
            hex_f32(c)
        );
    }
    let s = &fitted.sweep;
    let how = if s.exhaustive {
        "every f32"
    } else {
        "strided f32"
    };
    println!("  f32 sweep: {} inputs, {how}", s.samples);
    println!(
        "    f32 Horner, {} error: {} at x = {:e}",
        poly.weight,
        show_error(s.max_weighted),
        s.max_weighted_at
    );
    if let Some(k) = &poly.kernel {
        println!(
            "    kernel {}: max {:.3} ulp at x = {:e}",
            k.about, s.max_ulp, s.max_ulp_at
        );
    }
}

/// Prints the one-line summary of an entry.
fn print_summary(slot: usize, poly: &Polynomial, fitted: &Fitted) {
    let s = &fitted.sweep;
    let kernel = if poly.kernel.is_some() {
        format!(", kernel {:.3} ulp at {:e}", s.max_ulp, s.max_ulp_at)
    } else {
        String::new()
    };
    let converged = if fitted.fit.converged {
        ""
    } else {
        "  (Remez NOT converged)"
    };
    println!(
        "  entry {slot:>2}  [{:.6}, {:.6}]  centre {:<13e} {}: f64 {}, f32 {}, f32 Horner {} at {:e}{kernel} \
         ({} inputs{}){converged}",
        poly.lo,
        poly.hi,
        poly.centre as f32,
        poly.weight,
        log2_error(fitted.error64),
        log2_error(fitted.error32.0),
        log2_error(s.max_weighted),
        s.max_weighted_at,
        s.samples,
        if s.exhaustive { ", all" } else { "" },
    );
    println!("            {}", fitted.how);
}

/// Fits every entry of `table`, checks it in f32 (at most `samples` inputs
/// per entry) and prints the constants. `refit`: see [`Rounding::Nearest`].
pub fn run(table: &Table, opts: &Options, samples: u64, refit: bool) -> Result<(), String> {
    println!("== {}: {}", table.name, table.about);
    let opts = Options {
        alternation: table.alternation,
        ..opts.clone()
    };
    let mut columns = Columns::new(&table.printed, table.slots);
    let single = table.entries.len() == 1;
    let mut worst = (0.0f64, 0.0f64);
    for entry in &table.entries {
        for (column, value) in &entry.consts {
            columns.set(column, entry.slot, *value)?;
        }
        let Some(poly) = &entry.poly else {
            continue;
        };
        let fitted = poly.run(table.rounding, refit, &opts, samples)?;
        if single {
            print_details(poly, &fitted, opts.tol);
        } else {
            print_summary(entry.slot, poly, &fitted);
        }
        worst.0 = worst.0.max(fitted.sweep.max_weighted);
        worst.1 = worst.1.max(fitted.sweep.max_ulp);
        let rounded = &fitted.rounded;
        let skip = usize::from(rounded.lo.is_some());
        if poly.columns.len() != rounded.coeffs.len() - skip {
            return Err(format!(
                "entry {}: {} columns for {} coefficients",
                entry.slot,
                poly.columns.len(),
                rounded.coeffs.len() - skip
            ));
        }
        if let (Some([hi, lo]), Some(lo_value)) = (&poly.split, rounded.lo) {
            columns.set(hi, entry.slot, rounded.coeffs[0])?;
            columns.set(lo, entry.slot, lo_value)?;
        }
        for (column, &c) in poly.columns.iter().zip(&rounded.coeffs[skip..]) {
            columns.set(column, entry.slot, c)?;
        }
    }
    if !single && table.entries.iter().any(|e| e.poly.is_some()) {
        let ulp = if worst.1 > 0.0 {
            format!(", kernel {:.3} ulp", worst.1)
        } else {
            String::new()
        };
        println!("  worst entry: f32 Horner {}{ulp}", log2_error(worst.0));
    }
    for line in render(&table.printed, &columns) {
        println!("{line}");
    }
    println!();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_literals() {
        assert_eq!(grouped_literal(0.125_004_04), "1.250_040_4e-1");
        assert_eq!(grouped_literal(0.500_016_2), "5.000_162e-1");
        assert_eq!(grouped_literal(1.0), "1e0");
        assert_eq!(grouped_literal(-2.5), "-2.5e0");
    }

    #[test]
    fn arrays_align_their_comments() {
        let lines = array_lines(&[1.5, -0.25, 0.0], "    ");
        assert_eq!(lines[0], "    1.5e0,   // 0x1.800000p+0");
        assert_eq!(lines[1], "    -2.5e-1, // -0x1.000000p-2");
        assert_eq!(lines[2], "    0e0,     // 0x0.000000p+0");
    }

    #[test]
    fn matrix_rows_by_exponent() {
        assert_eq!(matrix_rows("P", 6, &[2, 6]), vec!["P[4]", "P[0]"]);
        let mut columns = Columns::new(
            &[Printed::Matrix {
                name: "P",
                var: "u",
                degree: 1,
            }],
            SLOTS,
        );
        columns.set("P[1]", 3, 2.0).unwrap();
        assert!(columns.set("P[1]", 3, 2.0).is_err());
        assert!(columns.set("Q", 0, 1.0).is_err());
        let text = render(
            &[Printed::Matrix {
                name: "P",
                var: "u",
                degree: 1,
            }],
            &columns,
        );
        assert_eq!(text[0], "const P: [[f32; 16]; 2] = [");
        assert_eq!(text[1], "    // u^1");
        assert_eq!(text[20], "    // u^0");
        assert_eq!(text[25], "        2e0, // 0x1.000000p+1");
    }

    /// A constant pair `hi + lo` holds the constant term, and `--refit` is
    /// never worse than rounding to nearest.
    #[test]
    fn split_constant_and_columns() {
        let poly = Polynomial {
            f: Box::new(f64::exp),
            fixed: Box::new(|_| 0.0),
            lo: 1.0,
            hi: 1.25,
            centre: 1.125,
            exps: &[0, 1, 2, 3, 4],
            weight: Weight::Absolute,
            columns: (1..5).map(|k| format!("C{k}")).collect(),
            split: Some(["HI".to_string(), "LO".to_string()]),
            kernel: None,
        };
        let opts = Options::default();
        let fitted = poly.run(Rounding::Nearest, true, &opts, 1000).unwrap();
        let near = Rounded::nearest(&fitted.fit.coeffs, true);
        let basis = Basis::new(poly.centre, poly.exps);
        let (near_error, _) = poly
            .target(&basis)
            .max_error(&near.wide(), 1.0, 1.25, DENSE);
        assert!(fitted.error32.0 <= near_error);
        let hi = fitted.rounded.coeffs[0];
        let lo = fitted.rounded.lo.unwrap();
        assert!(lo != 0.0 && lo.abs() <= hi * f32::EPSILON / 2.0);
        assert!((f64::from(hi) + f64::from(lo) - 1.125f64.exp()).abs() < 1e-8);
    }
}
