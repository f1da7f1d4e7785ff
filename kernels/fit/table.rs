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

/// One segment: the interval and the centre `u` is measured from.
#[derive(Clone, Copy, Debug)]
pub struct Segment {
    pub lo: f64,
    pub hi: f64,
    /// The nominal centre; the fitted one is a nearby f32 (see
    /// [`best_centre`]), printed with the tables.
    pub centre: f64,
}

/// A named piecewise fitting problem.
#[derive(Clone)]
pub struct Table {
    pub name: &'static str,
    pub about: &'static str,
    pub f: fn(f64) -> f64,
    /// At most 16 segments.
    pub segments: Vec<Segment>,
    /// The kernel's table index (in `[0, 15]`) of an input; each segment's
    /// coefficients go to the index of its centre.
    pub index: fn(f32) -> usize,
    pub exps: &'static [u32],
    pub weight: Weight,
    /// Prefix of the printed table names (`{prefix}CENTRE`, `{prefix}POLY`).
    pub prefix: &'static str,
}

/// Candidate centres tried on each side of the nominal one, in steps of
/// `(hi - lo) / CENTRE_STEPS`.
const CENTRE_TRIES: i32 = 32;
/// See [`CENTRE_TRIES`].
const CENTRE_STEPS: f64 = 1024.0;

/// Near the nominal centre, the f32 centre whose `f` is closest (relative) to
/// its f32 rounding: the constant term cannot absorb its own rounding error,
/// so this keeps it from costing up to half an ulp at `u = 0`.
fn best_centre(f: fn(f64) -> f64, seg: &Segment) -> f64 {
    let step = (seg.hi - seg.lo) / CENTRE_STEPS;
    let miss = |c: f64| {
        let v = f(c);
        (f64::from(v as f32) - v).abs() / v.abs()
    };
    (-CENTRE_TRIES..=CENTRE_TRIES)
        .map(|k| f64::from((seg.centre + f64::from(k) * step) as f32))
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
    let mut coeffs: Vec<Option<Vec<f32>>> = vec![None; 16];
    let mut centres = [0.0f32; 16];
    let mut worst = 0.0f64;
    for seg in &table.segments {
        let centre = best_centre(table.f, seg);
        let i = (table.index)(centre as f32);
        if coeffs[i].is_some() {
            return Err(format!("two segments at index {i}"));
        }
        let basis = Basis::new(Var::Shift(centre), table.exps);
        let target = Target {
            f: &table.f,
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
            "  segment {i:>2}  [{:<9e}, {:<9e})  centre {:<12e}  f64 2^{:.2}  f32 {:.3e} (2^{:.2}) at x = {at:e}",
            seg.lo,
            seg.hi,
            centre,
            exact.max_error.log2(),
            err,
            err.log2()
        );
        coeffs[i] = Some(c);
        centres[i] = centre as f32;
    }
    println!("  worst segment error {worst:.3e} (2^{:.2})", worst.log2());
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
        for c in &coeffs {
            let c = c.as_ref().map_or(0.0, |c| c[k]);
            println!("          {c:e}, // {}", hex_f32(c));
        }
        println!("      ],");
    }
    println!("  ];");
    println!();
    Ok(())
}
