//! Lookup tables of polynomials for a family of functions `f(p, t)`.
//!
//! Some kernels split their argument into a parameter `p` that takes few
//! values and a small variable `t` (for instance `x = n ln2 + r`, with `p = n`
//! and `t = r`), then evaluate `f(p, t)` by a polynomial in `t` whose
//! coefficients each lane picks with `Simd::lookup16`. A [`Family`] lists the
//! table entries, each a value of `p` and an interval of `t`. Every entry is
//! fitted on its own (Remez, then greedy f32 rounding, lowest exponent first,
//! as `--refit` does), checked by evaluating the rounded polynomial in f32
//! with fma Horner on a dense grid of f32 `t`, and the coefficients are
//! printed as the kernel's `[[f32; 16]; k]` (one row per exponent, highest
//! first, indexed by table entry).
//!
//! With [`Family::constant_lo`] the constant term is kept as an unevaluated
//! sum `hi + lo` of two f32 (its own rounding is then no error), the other
//! coefficients are fitted around it, and the check models a kernel that adds
//! `lo` and the exact error of its last Horner step (`c_0 + t h`) before
//! rounding.

use crate::f32eval::Poly32;
use crate::hexfloat::hex_f32;
use crate::remez::{Basis, Options, Target, Var, Weight};

/// One table entry: where it goes, its parameter, and the interval of `t`.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub index: usize,
    pub param: f64,
    pub lo: f64,
    pub hi: f64,
}

/// A named family of fitting problems that fills one lookup table.
#[derive(Clone)]
pub struct Family {
    pub name: &'static str,
    pub about: &'static str,
    /// `f(p, t)`.
    pub f: fn(f64, f64) -> f64,
    /// The kernel's name for `t`, for the printout.
    pub variable: &'static str,
    /// At most 16 entries, at distinct indices; unlisted indices print zeros.
    pub entries: Vec<Entry>,
    pub exps: &'static [u32],
    pub weight: Weight,
    /// Name of the printed table constant.
    pub table: &'static str,
    /// Name of the printed table of the constant term's low parts, if the
    /// constant term is a pair `hi + lo` (the basis must start at `t^0`).
    pub constant_lo: Option<&'static str>,
}

/// Points of the f32 check grid per entry.
const CHECK: usize = 100_001;

/// Largest weighted error of the f32 Horner evaluation of `coeffs` (f32 fma
/// Horner in `t`, as the kernel does it) over `CHECK` f32 points of the entry.
/// With a constant pair (`lo` is `Some`), the last step `hi + lo + t h` is
/// summed exactly, `h` being the f32 Horner value of the other terms.
fn f32_error(family: &Family, entry: &Entry, coeffs: &[f32], lo: Option<f32>) -> (f64, f64) {
    let skip = usize::from(lo.is_some());
    let poly = Poly32 {
        var: Var::X,
        exps: family.exps[skip..].to_vec(),
        coeffs: coeffs[skip..].to_vec(),
    };
    let mut worst = (0.0f64, entry.lo);
    for i in 0..CHECK {
        let t = entry.lo + (entry.hi - entry.lo) * (i as f64 / (CHECK - 1) as f64);
        let t32 = t as f32;
        let t = f64::from(t32);
        let lead = t.powi(family.exps[skip] as i32);
        let h = f64::from(poly.horner(t32));
        let approx = match lo {
            Some(lo) => f64::from(coeffs[0]) + f64::from(lo) + lead * h,
            None => lead * h,
        };
        let fx = (family.f)(entry.param, t);
        let w = match family.weight {
            Weight::Absolute => 1.0,
            Weight::Relative => fx.abs(),
        };
        if w > 0.0 {
            let e = ((approx - fx) / w).abs();
            if e > worst.0 {
                worst = (e, t);
            }
        }
    }
    worst
}

/// The entry's f32 coefficients (greedy rounding), and the low part of the
/// constant term if it is a pair.
fn fit_entry(
    family: &Family,
    entry: &Entry,
    opts: &Options,
) -> Result<(f64, Vec<f32>, Option<f32>), String> {
    let f = |t: f64| (family.f)(entry.param, t);
    let zero = |_: f64| 0.0;
    let basis = Basis::new(Var::X, family.exps);
    let target = Target {
        f: &f,
        fixed: &zero,
        basis: &basis,
        weight: family.weight,
    };
    let exact = target.minimax(entry.lo, entry.hi, opts)?;
    if family.constant_lo.is_none() {
        let c = target.minimax_f32_greedy(entry.lo, entry.hi, opts)?;
        return Ok((exact.max_error, c, None));
    }
    assert_eq!(family.exps[0], 0, "a constant pair needs the t^0 term");
    let hi = exact.coeffs[0] as f32;
    let lo = (exact.coeffs[0] - f64::from(hi)) as f32;
    let constant = |_: f64| f64::from(hi) + f64::from(lo);
    let rest = Basis::new(Var::X, &family.exps[1..]);
    let target = Target {
        f: &f,
        fixed: &constant,
        basis: &rest,
        weight: family.weight,
    };
    let mut c = vec![hi];
    c.extend(target.minimax_f32_greedy(entry.lo, entry.hi, opts)?);
    Ok((exact.max_error, c, Some(lo)))
}

/// Fits every entry of `family` and prints the coefficient table.
pub fn run(family: &Family, opts: &Options) -> Result<(), String> {
    assert!(family.entries.len() <= 16, "a lookup table has 16 entries");
    println!("== {}: {}", family.name, family.about);
    println!(
        "   f(p, {v}) ~ sum_k c_k {v}^e_k,  e = {:?},  {} error",
        family.exps,
        family.weight,
        v = family.variable
    );
    let mut coeffs: Vec<Option<Vec<f32>>> = vec![None; 16];
    let mut lows = [0.0f32; 16];
    let mut worst = 0.0f64;
    for entry in &family.entries {
        let i = entry.index;
        if coeffs[i].is_some() {
            return Err(format!("two entries at index {i}"));
        }
        let (exact, c, lo) = fit_entry(family, entry, opts)?;
        let (err, at) = f32_error(family, entry, &c, lo);
        worst = worst.max(err);
        println!(
            "  entry {i:>2}  p = {:<6}  {v} in [{:.6}, {:.6}]  f64 coefficients 2^{:.2}  \
             f32 Horner 2^{:.2} at {v} = {at:.6}",
            entry.param,
            entry.lo,
            entry.hi,
            exact.log2(),
            err.log2(),
            v = family.variable
        );
        coeffs[i] = Some(c);
        lows[i] = lo.unwrap_or(0.0);
    }
    println!("  worst entry {worst:.3e} (2^{:.2})", worst.log2());
    let n = family.exps.len();
    println!("  const {}: [[f32; 16]; {n}] = [", family.table);
    for (k, &e) in family.exps.iter().enumerate().rev() {
        println!("      // {}^{e}", family.variable);
        println!("      [");
        for c in &coeffs {
            let c = c.as_ref().map_or(0.0, |c| c[k]);
            println!("          {c:e}, // {}", hex_f32(c));
        }
        println!("      ],");
    }
    println!("  ];");
    if let Some(name) = family.constant_lo {
        println!("  const {name}: [f32; 16] = [");
        for c in lows {
            println!("      {c:e}, // {}", hex_f32(c));
        }
        println!("  ];");
    }
    println!();
    Ok(())
}
