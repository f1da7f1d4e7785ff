//! Piecewise polynomial kernels: one minimax fit per piece, printed as the
//! 16-entry tables a kernel reads with `lookup16`.
//!
//! A [`Piecewise`] problem lists its [`Piece`]s. Each piece is fitted like a
//! single problem (Remez in f64, then greedy rounding to f32, see [`greedy`]),
//! checked with an f32 sweep of its interval evaluated the way the kernel evaluates it, and
//! its `k`-th coefficient (in Horner order, lowest exponent first) goes to
//! table `k` at the piece's slot. A piece may keep its constant term out of
//! the Horner tables as two f32 (`hi + lo`, see [`Piece::split`]). Constants
//! that are not fitted (a centre) are given by the piece and printed as tables
//! too.

use crate::f32eval::{self, Kernel, Poly32};
use crate::hexfloat::hex_f32;
use crate::remez::{Basis, Options, Target, Var, Weight};

/// A real function, shareable with the sweep's threads.
pub type Real = Box<dyn Fn(f64) -> f64 + Sync>;

/// One piece: `f ≈ fixed + Σ c_k t^e_k` on `[lo, hi]`.
pub struct Piece {
    /// Index of the piece in the kernel's tables.
    pub slot: usize,
    /// The inputs the kernel sends to this piece (with a margin for the
    /// rounding of the index computation).
    pub lo: f64,
    pub hi: f64,
    pub var: Var,
    pub exps: &'static [u32],
    pub f: Real,
    pub fixed: Real,
    pub weight: Weight,
    /// Tables for the constant term, when it is stored as `hi + lo` (two
    /// f32) instead of in the Horner tables: `exps` must then start with 0.
    /// While the other coefficients are rounded to f32 one by one, the
    /// constant stays free and in f64; it is split last.
    pub split: Option<[&'static str; 2]>,
    /// The kernel's result from `x`, the Horner value `h` (of the terms not
    /// split off) and the split constant `[hi, lo]` (zeros if not split).
    pub finish: Box<dyn Fn(f32, f32, [f32; 2]) -> f32 + Sync>,
    /// What `finish` approximates; its error is reported in ULPs.
    pub reference: Real,
    /// The piece's other constants, by table name.
    pub consts: Vec<(&'static str, f32)>,
}

/// A named piecewise problem.
pub struct Piecewise {
    pub name: &'static str,
    pub about: &'static str,
    pub pieces: fn() -> Vec<Piece>,
    /// `coeff_tables[k]` names the table of every piece's `k`-th coefficient.
    pub coeff_tables: &'static [&'static str],
}

/// Number of entries of a `lookup16` table.
const SLOTS: usize = 16;

/// Fits every piece of `p`, sweeps each in f32 (at most `samples` inputs per
/// piece) and prints the tables.
pub fn run(p: &Piecewise, opts: &Options, samples: u64) -> Result<(), String> {
    println!("== {}: {}", p.name, p.about);
    let mut tables: Vec<(String, [f32; SLOTS])> = p
        .coeff_tables
        .iter()
        .map(|n| ((*n).to_string(), [0.0; SLOTS]))
        .collect();
    let mut worst = (0.0f64, 0.0f32);
    for piece in (p.pieces)() {
        if piece.slot >= SLOTS || piece.exps.len() > tables.len() {
            return Err(format!(
                "piece at slot {} does not fit the tables",
                piece.slot
            ));
        }
        let basis = Basis::new(piece.var, piece.exps);
        let target = Target {
            f: &piece.f,
            fixed: &piece.fixed,
            basis: &basis,
            weight: piece.weight,
        };
        let fit = target.minimax(piece.lo, piece.hi, opts)?;
        let (coeffs, constant) = greedy(&piece, opts)?;
        let exps = &piece.exps[piece.exps.len() - coeffs.len()..];
        let fixed = |x: f64| (piece.fixed)(x) + f64::from(constant[0]) + f64::from(constant[1]);
        let basis32 = Basis::new(piece.var, exps);
        let target32 = Target {
            f: &piece.f,
            fixed: &fixed,
            basis: &basis32,
            weight: piece.weight,
        };
        let wide: Vec<f64> = coeffs.iter().map(|&c| f64::from(c)).collect();
        let (err32, _) = target32.max_error(&wide, piece.lo, piece.hi, 200_001);
        let finish = |x: f32, h: f32| (piece.finish)(x, h, constant);
        let kernel = Kernel {
            poly: Poly32 {
                var: piece.var,
                exps: exps.to_vec(),
                coeffs: coeffs.clone(),
            },
            finish: &finish,
            reference: &piece.reference,
            f: &piece.f,
            fixed: &fixed,
            weight: piece.weight,
        };
        let s = f32eval::sweep(&kernel, piece.lo, piece.hi, samples);
        println!(
            "  slot {:>2}  [{:.6}, {:.6}]  t = {}  {} error: f64 {:.2e}, f32 {:.2e} (2^{:.1})  \
             f32 kernel: {:.3} ulp at {:e} ({} inputs{})",
            piece.slot,
            piece.lo,
            piece.hi,
            piece.var,
            piece.weight,
            fit.max_error,
            err32,
            err32.log2(),
            s.max_ulp,
            s.max_ulp_at,
            s.samples,
            if s.exhaustive { ", all" } else { "" }
        );
        if s.max_ulp > worst.0 {
            worst = (s.max_ulp, s.max_ulp_at);
        }
        for (table, &c) in tables.iter_mut().zip(&coeffs) {
            table.1[piece.slot] = c;
        }
        let split = piece
            .split
            .iter()
            .flat_map(|names| names.iter().zip(constant));
        for (&name, value) in piece.consts.iter().map(|(n, v)| (n, *v)).chain(split) {
            match tables.iter_mut().find(|t| t.0 == name) {
                Some(t) => t.1[piece.slot] = value,
                None => {
                    let mut t = [0.0; SLOTS];
                    t[piece.slot] = value;
                    tables.push((name.to_string(), t));
                }
            }
        }
    }
    println!("  worst piece: {:.3} ulp at x = {:e}", worst.0, worst.1);
    for (name, values) in &tables {
        println!("const {name}: [f32; {SLOTS}] = [");
        for v in values {
            println!("    {v:e}, // {}", hex_f32(*v));
        }
        println!("];");
    }
    println!();
    Ok(())
}

/// Rounds a piece's coefficients to f32 greedily from the highest exponent
/// down, re-fitting the lower ones after each rounding, so that the lower
/// (larger) terms absorb the rounding of the higher ones. A split constant
/// stays free and in f64 to the end and is returned as `[hi, lo]`.
///
/// Rounding from the top keeps every intermediate basis a prefix of the
/// piece's exponents. Rounding from the bottom (as
/// [`Target::minimax_f32_greedy`] does) would leave bases such as `t, t^2, ...`
/// or `1, t^2, t^3, ...` which, with `t = x - centre` and a reference
/// symmetric about the centre, make the Remez system singular.
fn greedy(piece: &Piece, opts: &Options) -> Result<(Vec<f32>, [f32; 2]), String> {
    let free = usize::from(piece.split.is_some());
    if free == 1 && piece.exps.first() != Some(&0) {
        return Err("a split piece needs a constant term first".to_string());
    }
    let exps = piece.exps;
    let mut rounded: Vec<f32> = Vec::with_capacity(exps.len());
    let mut constant = 0.0;
    for k in (0..exps.len()).rev() {
        let tail = Basis {
            var: piece.var,
            exps: exps[k + 1..].to_vec(),
        };
        let tail_coeffs: Vec<f64> = rounded.iter().map(|&c| f64::from(c)).collect();
        let fixed = |x: f64| (piece.fixed)(x) + tail.poly(&tail_coeffs, x);
        let basis = Basis::new(piece.var, &exps[..=k]);
        let sub = Target {
            f: &piece.f,
            fixed: &fixed,
            basis: &basis,
            weight: piece.weight,
        };
        let fit = sub.minimax(piece.lo, piece.hi, opts)?;
        if k < free {
            constant = fit.coeffs[k];
        } else {
            rounded.insert(0, fit.coeffs[k] as f32);
        }
    }
    let hi = constant as f32;
    Ok((rounded, [hi, (constant - f64::from(hi)) as f32]))
}
