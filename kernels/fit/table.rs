//! Piecewise polynomials for 16-entry lookup tables.
//!
//! A kernel that picks a segment per lane (`Simd::lookup16`) evaluates, on
//! segment `i`, `p_i(u) = Σ_k c_{i,k} u^e_k` with the exact local variable
//! `u = x − centre_i`. Each segment is fitted on its own (Remez, then greedy
//! f32 rounding, lowest exponent first, like `--refit`), and the coefficients
//! are printed as a `[f32; 16]` table of centres and one `[f32; 16]` table
//! per exponent (highest first), indexed by segment.

use crate::hexfloat::hex_f32;
use crate::remez::{Basis, Options, Target, Var, Weight};

/// One segment: the function, the interval, the centre `u` is measured from
/// and the exponents fitted (a subset of the table's; the others are 0).
#[derive(Clone, Copy)]
pub struct Segment {
    pub f: fn(f64) -> f64,
    pub lo: f64,
    pub hi: f64,
    /// A fixed centre (an f32), or `None` to let [`best_centre`] choose.
    pub centre: Option<f64>,
    pub exps: &'static [u32],
}

/// A named piecewise fitting problem.
#[derive(Clone)]
pub struct Table {
    pub name: &'static str,
    pub about: &'static str,
    /// At most 16 segments.
    pub segments: Vec<Segment>,
    /// The kernel's table index (in `[0, 15]`) of an input; each segment's
    /// coefficients go to the index of its centre.
    pub index: fn(f32) -> usize,
    /// Every exponent of the kernel's polynomial.
    pub exps: &'static [u32],
    pub weight: Weight,
    /// Prefix of the printed table names (`{prefix}CENTRE`, `{prefix}POLY`).
    pub prefix: &'static str,
}

/// Candidate centres tried on each side of the balanced one, in steps of
/// `(hi - lo) / CENTRE_STEPS`.
const CENTRE_TRIES: i32 = 32;
/// See [`CENTRE_TRIES`].
const CENTRE_STEPS: f64 = 1024.0;

/// Where `f` is the harmonic mean of its values at the ends of the segment:
/// for a monotone `f` this balances the largest `|f(x) - f(centre)| / |f(x)|`
/// at the two ends, the relative size of the non-constant part that the
/// kernel adds to the constant term.
fn balanced_centre(seg: &Segment) -> f64 {
    let (f0, f1) = ((seg.f)(seg.lo), (seg.f)(seg.hi));
    let target = 2.0 * f0 * f1 / (f0 + f1);
    let (mut a, mut b) = (seg.lo, seg.hi);
    if ((seg.f)(a) - target).signum() == ((seg.f)(b) - target).signum() {
        return 0.5 * (a + b);
    }
    for _ in 0..100 {
        let m = 0.5 * (a + b);
        if ((seg.f)(m) - target).signum() == ((seg.f)(a) - target).signum() {
            a = m;
        } else {
            b = m;
        }
    }
    0.5 * (a + b)
}

/// The segment's fixed centre, or: near the balanced one, the f32 centre
/// whose `f` is closest (relative) to its f32 rounding, since the constant
/// term cannot absorb its own rounding error, which would cost up to half
/// an ulp at `u = 0`.
fn best_centre(seg: &Segment) -> f64 {
    if let Some(c) = seg.centre {
        return c;
    }
    let nominal = balanced_centre(seg);
    let step = (seg.hi - seg.lo) / CENTRE_STEPS;
    let miss = |c: f64| {
        let v = (seg.f)(c);
        (f64::from(v as f32) - v).abs() / v.abs()
    };
    (-CENTRE_TRIES..=CENTRE_TRIES)
        .map(|k| f64::from((nominal + f64::from(k) * step) as f32))
        .min_by(|&a, &b| miss(a).total_cmp(&miss(b)))
        .expect("non-empty range")
}

/// Points of the uniform grid used to check the rounded coefficients.
const DENSE: usize = 20_001;

/// Fits every segment of `table` and prints the coefficient tables.
pub fn run(table: &Table, opts: &Options) -> Result<(), String> {
    assert!(table.segments.len() <= 16, "a lookup table has 16 entries");
    println!("== {}: {}", table.name, table.about);
    println!(
        "   f(x) ~ sum_k c_k u^e_k,  u = x - centre,  e = {:?},  {} error",
        table.exps, table.weight
    );
    let zero = |_: f64| 0.0;
    let mut coeffs = [[0.0f32; 16]; 16];
    let mut used = [false; 16];
    let mut centres = [0.0f32; 16];
    let mut worst = 0.0f64;
    for seg in &table.segments {
        let centre = best_centre(seg);
        if f64::from(centre as f32) != centre {
            return Err(format!("centre {centre:e} is not an f32"));
        }
        let i = (table.index)(centre as f32);
        if used[i] {
            return Err(format!("two segments at index {i}"));
        }
        used[i] = true;
        let basis = Basis::new(Var::Shift(centre), seg.exps);
        let target = Target {
            f: &seg.f,
            fixed: &zero,
            basis: &basis,
            weight: table.weight,
        };
        let exact = target.minimax(seg.lo, seg.hi, opts)?;
        let c = target.minimax_f32_greedy(seg.lo, seg.hi, opts)?;
        let wide: Vec<f64> = c.iter().map(|&v| f64::from(v)).collect();
        let (err, at) = target.max_error(&wide, seg.lo, seg.hi, DENSE);
        worst = worst.max(err);
        println!(
            "  segment {i:>2}  [{:<9e}, {:<9e})  centre {:<12e}  f64 2^{:.2}  f32 2^{:.2} at x = {at:e}",
            seg.lo,
            seg.hi,
            centre,
            exact.max_error.log2(),
            err.log2()
        );
        for (&e, &v) in seg.exps.iter().zip(&c) {
            let k = table
                .exps
                .iter()
                .position(|&t| t == e)
                .ok_or_else(|| format!("exponent {e} is not in the table"))?;
            coeffs[k][i] = v;
        }
        centres[i] = centre as f32;
    }
    println!("  worst segment error 2^{:.2}", worst.log2());
    println!("  const {}CENTRE: [f32; 16] = [", table.prefix);
    for c in centres {
        println!("      {c:e}, // {}", hex_f32(c));
    }
    println!("  ];");
    let n = table.exps.len();
    println!("  const {}POLY: [[f32; 16]; {n}] = [", table.prefix);
    for (k, &e) in table.exps.iter().enumerate().rev() {
        println!("      // u^{e}");
        println!("      [");
        for c in &coeffs[k][..] {
            println!("          {c:e}, // {}", hex_f32(*c));
        }
        println!("      ],");
    }
    println!("  ];");
    println!();
    Ok(())
}
