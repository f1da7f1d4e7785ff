//! Minimax polynomial fitting with the Remez exchange algorithm, and rounding
//! of the coefficients to f32.
//!
//! We approximate `f(x) ≈ fixed(x) + Σ_k c_k t^e_k` on `[lo, hi]`, with
//! `t = x − centre`, and minimise the largest weighted error
//!
//! ```text
//! ε(x) = (fixed(x) + Σ c_k t^e_k − f(x)) / w(x),   w = 1 or w = |f(x)|.
//! ```
//!
//! The algorithm (Remez's second algorithm with a multi-point exchange):
//!
//! 1. Take a reference of `n + 1` points (`n` coefficients): initially the
//!    extrema of the Chebyshev polynomial `T_n` mapped to `[lo, hi]`.
//! 2. Solve the `(n+1)×(n+1)` linear system
//!    `Σ c_k t_i^e_k − (−1)^i s_i E w(x_i) = f(x_i) − fixed(x_i)` for the
//!    coefficients and the levelled error `E`, so that the error alternates
//!    in sign with equal magnitude on the reference.
//! 3. Sample `s ε` on a dense grid, split the samples into runs of equal
//!    sign, take the largest `|ε|` of every run and polish its position with
//!    a golden-section search. This gives an alternating sequence of local
//!    extrema, which is trimmed to `n + 1` points while keeping the largest.
//! 4. By de la Vallée Poussin's theorem the best possible error lies between
//!    the smallest and the largest `|ε|` on that alternating set. Once the two
//!    agree to a relative tolerance we stop; otherwise the set becomes the new
//!    reference and we return to step 2.
//!
//! `s(x)` is the sign of `t^e_0`, the lowest power of the basis: the
//! approximation is `t^e_0 q(t)` with `q` a polynomial in `t`, and it is the
//! error of `q`, `ε / t^e_0`, that alternates at the optimum (`1, t, t², …`
//! is a Haar system, `t, t², …` is not where `t` changes sign). With an odd
//! `e_0` and `t` of both signs, alternating `ε` itself levels the error on
//! a reference where it is not minimal, and the exchange can stop there:
//! `e^(k r) ≈ 1 + c1 r + c2 r² + c3 r³` "converges" after one iteration at
//! 2^-23.2 instead of 2^-29.2, and `c3 r³` alone on `[−h, h]` with absolute
//! error makes the system singular. See [`Alternation`].
//!
//! Points where `f` is not finite, or (relative weight) `|f| < 1e-300`, are
//! skipped everywhere, so removable zeros such as `f(0) = 0` with a basis
//! that vanishes at 0 are harmless.
//!
//! [`Target::round_greedy`] rounds the coefficients to f32 one at a time,
//! fitting the others again after each.

use std::fmt;

/// How the approximation error is weighted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    /// Minimise `max |approx − f|`.
    Absolute,
    /// Minimise `max |(approx − f) / f|`.
    Relative,
}

impl fmt::Display for Weight {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        out.write_str(match self {
            Weight::Absolute => "absolute",
            Weight::Relative => "relative",
        })
    }
}

/// The approximating family `t^e_k`, `t = x − centre`, `k = 0..n`.
#[derive(Clone, Debug)]
pub struct Basis {
    /// Where `t` is 0 (an f32, if a kernel subtracts it in f32).
    pub centre: f64,
    /// Strictly increasing exponents, one per coefficient.
    pub exps: Vec<u32>,
}

impl Basis {
    /// Builds a basis; panics unless `exps` is non-empty and strictly increasing.
    pub fn new(centre: f64, exps: &[u32]) -> Self {
        assert!(!exps.is_empty(), "basis needs at least one exponent");
        assert!(
            exps.windows(2).all(|w| w[0] < w[1]),
            "basis exponents must be strictly increasing"
        );
        Basis {
            centre,
            exps: exps.to_vec(),
        }
    }

    /// Number of coefficients.
    pub fn terms(&self) -> usize {
        self.exps.len()
    }

    /// Writes `t(x)^e_k` for every `k` into `out`.
    fn eval(&self, x: f64, out: &mut [f64]) {
        let t = x - self.centre;
        for (o, &e) in out.iter_mut().zip(&self.exps) {
            *o = t.powi(e as i32);
        }
    }

    /// `Σ c_k t(x)^e_k`.
    pub fn poly(&self, coeffs: &[f64], x: f64) -> f64 {
        let t = x - self.centre;
        coeffs
            .iter()
            .zip(&self.exps)
            .map(|(c, &e)| c * t.powi(e as i32))
            .sum()
    }

    /// The sign of `t(x)^e_0` (`+1` at `t = 0`).
    fn side(&self, x: f64) -> f64 {
        if self.exps[0] % 2 == 1 && x < self.centre {
            -1.0
        } else {
            1.0
        }
    }
}

/// Which sign the error alternates in on the reference (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alternation {
    /// `ε / t^e_0`: right for every basis.
    Reduced,
    /// `ε`: the same as [`Alternation::Reduced`] unless `e_0` is odd and `t`
    /// changes sign in the interval, where it does not give the minimax
    /// fit. Kept only to reproduce the tables fitted with it (`gelu_tail`
    /// and `expm1_small`: their lowest-first rounding refits bases
    /// `t, t², …`).
    Plain,
}

/// Tuning knobs of the exchange loop.
#[derive(Clone, Debug)]
pub struct Options {
    /// Give up after this many exchanges.
    pub max_iter: usize,
    /// Stop when `(max|ε| − min|ε|) / max|ε|` on the alternating set is below this.
    pub tol: f64,
    /// Number of intervals of the (Chebyshev-spaced) search grid.
    pub grid: usize,
    /// See [`Alternation`].
    pub alternation: Alternation,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_iter: 50,
            tol: 1e-3,
            grid: 8192,
            alternation: Alternation::Reduced,
        }
    }
}

/// Result of a minimax fit.
#[derive(Clone, Debug)]
pub struct Fit {
    /// `c_k`, in the order of the basis exponents.
    pub coeffs: Vec<f64>,
    /// `|E|` from the last linear solve.
    pub levelled_error: f64,
    /// Largest `|ε|` found by the extremum search (an upper bound of the optimum).
    pub max_error: f64,
    /// Smallest `|ε|` on the alternating set (a lower bound of the optimum).
    pub min_error: f64,
    /// Number of linear solves performed.
    pub iterations: usize,
    /// Whether the tolerance was met (otherwise the best iterate is returned).
    pub converged: bool,
}

/// Order in which [`Target::round_greedy`] rounds the coefficients.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Highest exponent first: every refit is on a prefix `e_0, …, e_k` of
    /// the exponents, and the largest, lowest terms are rounded last.
    HighestFirst,
    /// Lowest exponent first: the higher terms absorb the rounding of the
    /// lower, larger ones.
    LowestFirst,
}

/// Coefficients rounded to f32.
#[derive(Clone, Debug)]
pub struct Rounded {
    /// One per exponent; with a split constant term, `coeffs[0]` is its high part.
    pub coeffs: Vec<f32>,
    /// The low part of the constant term, if it is split: `coeffs[0] + lo`.
    pub lo: Option<f32>,
}

impl Rounded {
    /// Each coefficient rounded to the nearest f32 (the constant term split
    /// into `hi + lo` if `split`).
    pub fn nearest(coeffs: &[f64], split: bool) -> Self {
        let mut rounded: Vec<f32> = coeffs.iter().map(|&c| c as f32).collect();
        let lo = split.then(|| {
            let (hi, lo) = split_f32(coeffs[0]);
            rounded[0] = hi;
            lo
        });
        Rounded {
            coeffs: rounded,
            lo,
        }
    }

    /// The coefficients as f64 (the constant term `hi + lo` if split).
    pub fn wide(&self) -> Vec<f64> {
        let mut wide: Vec<f64> = self.coeffs.iter().map(|&c| f64::from(c)).collect();
        if let Some(lo) = self.lo {
            wide[0] += f64::from(lo);
        }
        wide
    }
}

/// `c` as `hi + lo`: `hi` rounded to f32, then the rest rounded to f32.
pub fn split_f32(c: f64) -> (f32, f32) {
    let hi = c as f32;
    (hi, (c - f64::from(hi)) as f32)
}

/// A fitting problem: the function, the fixed part, the basis and the weight.
pub struct Target<'a> {
    pub f: &'a dyn Fn(f64) -> f64,
    pub fixed: &'a dyn Fn(f64) -> f64,
    pub basis: &'a Basis,
    pub weight: Weight,
}

impl Target<'_> {
    /// `f(x)` and the weight `w(x)`, or `None` if `x` has to be skipped.
    fn sample(&self, x: f64) -> Option<(f64, f64)> {
        let fx = (self.f)(x);
        if !fx.is_finite() {
            return None;
        }
        match self.weight {
            Weight::Absolute => Some((fx, 1.0)),
            Weight::Relative if fx.abs() < 1e-300 => None,
            Weight::Relative => Some((fx, fx.abs())),
        }
    }

    /// Signed weighted error `ε(x)` of the coefficients `coeffs`, if defined at `x`.
    pub fn error(&self, coeffs: &[f64], x: f64) -> Option<f64> {
        let (fx, w) = self.sample(x)?;
        let approx = (self.fixed)(x) + self.basis.poly(coeffs, x);
        let e = (approx - fx) / w;
        e.is_finite().then_some(e)
    }

    /// Largest `|ε|` over `points` uniformly spaced samples of `[lo, hi]`,
    /// with the place where it occurs.
    pub fn max_error(&self, coeffs: &[f64], lo: f64, hi: f64, points: usize) -> (f64, f64) {
        let steps = points.max(2) - 1;
        (0..=steps)
            .map(|i| lo + (hi - lo) * (i as f64 / steps as f64))
            .filter_map(|x| self.error(coeffs, x).map(|e| (e.abs(), x)))
            .fold(
                (0.0, lo),
                |best, cur| if cur.0 > best.0 { cur } else { best },
            )
    }

    /// The sign the error alternates in at `x` is that of `ε(x) side(x)`.
    fn side(&self, x: f64, alternation: Alternation) -> f64 {
        match alternation {
            Alternation::Reduced => self.basis.side(x),
            Alternation::Plain => 1.0,
        }
    }

    /// Runs the Remez exchange on `[lo, hi]`.
    pub fn minimax(&self, lo: f64, hi: f64, opts: &Options) -> Result<Fit, String> {
        if lo.partial_cmp(&hi) != Some(std::cmp::Ordering::Less) {
            return Err(format!("empty interval [{lo}, {hi}]"));
        }
        let n = self.basis.terms();
        let grid = chebyshev_points(lo, hi, opts.grid.max(16 * (n + 1)));
        let mut reference = self.initial_reference(lo, hi);
        let mut best: Option<Fit> = None;

        for iteration in 1..=opts.max_iter {
            let (coeffs, levelled) = self.solve(&reference, opts.alternation)?;
            let eps = |x: f64| {
                self.error(&coeffs, x)
                    .map(|e| e * self.side(x, opts.alternation))
            };
            let extrema = local_extrema(&eps, &grid);
            let Some(global) = extrema
                .iter()
                .copied()
                .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
            else {
                // The error vanishes on the whole grid: f is in the span.
                return Ok(Fit {
                    coeffs,
                    levelled_error: levelled.abs(),
                    max_error: 0.0,
                    min_error: 0.0,
                    iterations: iteration,
                    converged: true,
                });
            };
            let next = match trim_alternation(extrema, n + 1) {
                Some(points) => points,
                None => single_exchange(&eps, &reference, global),
            };
            let max_error = global.1.abs();
            let min_error = next.iter().map(|p| p.1.abs()).fold(f64::INFINITY, f64::min);
            let fit = Fit {
                coeffs,
                levelled_error: levelled.abs(),
                max_error,
                min_error,
                iterations: iteration,
                converged: max_error - min_error <= opts.tol * max_error,
            };
            if fit.converged {
                return Ok(fit);
            }
            reference = next.iter().map(|p| p.0).collect();
            if best.as_ref().is_none_or(|b| fit.max_error < b.max_error) {
                best = Some(fit);
            }
        }
        best.ok_or_else(|| "no iterations were run".to_string())
    }

    /// Rounds the coefficients to f32 one at a time in the given order. After
    /// each rounding the coefficients not yet rounded are fitted again, with
    /// the rounded terms moved into the fixed part, so that they absorb part
    /// of its rounding error. With `split` the constant term (exponent 0,
    /// first) is kept as `hi + lo`, two f32 (see [`split_f32`]), and its own
    /// rounding costs nothing; it is split when its turn comes.
    pub fn round_greedy(
        &self,
        lo: f64,
        hi: f64,
        opts: &Options,
        order: Order,
        split: bool,
    ) -> Result<Rounded, String> {
        let exps = &self.basis.exps;
        if split && exps[0] != 0 {
            return Err("a split constant term needs the exponent 0".to_string());
        }
        let n = exps.len();
        let mut rounded: Vec<Option<f32>> = vec![None; n];
        let mut constant: Option<(f32, f32)> = None;
        let steps: Vec<usize> = match order {
            Order::HighestFirst => (0..n).rev().collect(),
            Order::LowestFirst => (0..n).collect(),
        };
        for k in steps {
            let is_done = |j: usize| rounded[j].is_some() || (j == 0 && constant.is_some());
            let done: Vec<usize> = (0..n).filter(|&j| rounded[j].is_some()).collect();
            let free: Vec<u32> = (0..n).filter(|&j| !is_done(j)).map(|j| exps[j]).collect();
            let frozen = Basis {
                centre: self.basis.centre,
                exps: done.iter().map(|&j| exps[j]).collect(),
            };
            let frozen_coeffs: Vec<f64> = done
                .iter()
                .filter_map(|&j| rounded[j].map(f64::from))
                .collect();
            let fixed = |x: f64| {
                let mut v = (self.fixed)(x);
                if let Some((hi, lo)) = constant {
                    v += f64::from(hi) + f64::from(lo);
                }
                if !frozen_coeffs.is_empty() {
                    v += frozen.poly(&frozen_coeffs, x);
                }
                v
            };
            let basis = Basis::new(self.basis.centre, &free);
            let sub = Target {
                f: self.f,
                fixed: &fixed,
                basis: &basis,
                weight: self.weight,
            };
            let fit = sub.minimax(lo, hi, opts)?;
            let at = free
                .iter()
                .position(|&e| e == exps[k])
                .expect("the coefficient rounded now is free");
            if split && k == 0 {
                constant = Some(split_f32(fit.coeffs[at]));
            } else {
                rounded[k] = Some(fit.coeffs[at] as f32);
            }
        }
        let mut coeffs: Vec<f32> = rounded.iter().map(|c| c.unwrap_or(0.0)).collect();
        let lo = constant.map(|(hi, lo)| {
            coeffs[0] = hi;
            lo
        });
        Ok(Rounded { coeffs, lo })
    }

    /// Chebyshev extrema, nudged away from points that cannot be used: where
    /// `f` is undefined or zero (relative weight) or where every basis function
    /// (nearly) vanishes, which would force `E = 0`.
    fn initial_reference(&self, lo: f64, hi: f64) -> Vec<f64> {
        let n = self.basis.terms();
        let mut xs = chebyshev_points(lo, hi, n);
        let mut phi = vec![0.0; n];
        let mut row_size = |x: f64| {
            self.basis.eval(x, &mut phi);
            phi.iter().fold(0.0_f64, |m, v| m.max(v.abs()))
        };
        let scale = xs.iter().map(|&x| row_size(x)).fold(0.0, f64::max);
        for i in 0..xs.len() {
            let toward = if i + 1 < xs.len() {
                xs[i + 1]
            } else {
                xs[i - 1]
            };
            for _ in 0..40 {
                if self.sample(xs[i]).is_some() && row_size(xs[i]) > 1e-6 * scale {
                    break;
                }
                xs[i] += 0.25 * (toward - xs[i]);
            }
        }
        xs
    }

    /// Solves for the coefficients and the levelled error `E` on a reference.
    fn solve(&self, xs: &[f64], alternation: Alternation) -> Result<(Vec<f64>, f64), String> {
        let n = self.basis.terms();
        let m = n + 1;
        let mut a = vec![0.0; m * m];
        let mut b = vec![0.0; m];
        for (i, &x) in xs.iter().enumerate() {
            let (fx, w) = self
                .sample(x)
                .ok_or_else(|| format!("f cannot be used at reference point {x:e}"))?;
            let row = &mut a[i * m..(i + 1) * m];
            self.basis.eval(x, &mut row[..n]);
            let sign = if i % 2 == 0 { 1.0 } else { -1.0 };
            row[n] = -sign * w * self.side(x, alternation);
            b[i] = fx - (self.fixed)(x);
        }
        let mut sol = solve_linear(&mut a, &mut b, m)?;
        let levelled = sol.pop().expect("system has n + 1 unknowns");
        Ok((sol, levelled))
    }
}

/// `count + 1` Chebyshev extrema `mid − half·cos(πj/count)` on `[lo, hi]`,
/// increasing, with the end points exact.
fn chebyshev_points(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let mid = 0.5 * (lo + hi);
    let half = 0.5 * (hi - lo);
    let mut xs: Vec<f64> = (0..=count)
        .map(|j| mid - half * (std::f64::consts::PI * j as f64 / count as f64).cos())
        .collect();
    xs[0] = lo;
    xs[count] = hi;
    xs
}

/// Solves the dense `m×m` row-major system `A y = b` by Gaussian elimination
/// with partial pivoting. Columns are first scaled to unit max-norm, so that
/// basis functions of very different size (high powers of a small variable)
/// do not distort the pivot choice; the scaling is undone on the result.
fn solve_linear(a: &mut [f64], b: &mut [f64], m: usize) -> Result<Vec<f64>, String> {
    let mut scale = vec![1.0; m];
    for (j, s) in scale.iter_mut().enumerate() {
        let size = (0..m).map(|i| a[i * m + j].abs()).fold(0.0, f64::max);
        if size == 0.0 || !size.is_finite() {
            return Err(format!(
                "column {j} of the linear system is zero or not finite"
            ));
        }
        *s = 1.0 / size;
        for i in 0..m {
            a[i * m + j] *= *s;
        }
    }
    for k in 0..m {
        let pivot = (k..m)
            .max_by(|&i, &j| a[i * m + k].abs().total_cmp(&a[j * m + k].abs()))
            .expect("non-empty range");
        if a[pivot * m + k].abs() <= f64::MIN_POSITIVE {
            return Err("singular linear system (basis not independent on the reference?)".into());
        }
        if pivot != k {
            for j in 0..m {
                a.swap(pivot * m + j, k * m + j);
            }
            b.swap(pivot, k);
        }
        for i in k + 1..m {
            let factor = a[i * m + k] / a[k * m + k];
            if factor != 0.0 {
                for j in k..m {
                    a[i * m + j] -= factor * a[k * m + j];
                }
                b[i] -= factor * b[k];
            }
        }
    }
    let mut y = vec![0.0; m];
    for k in (0..m).rev() {
        let tail: f64 = (k + 1..m).map(|j| a[k * m + j] * y[j]).sum();
        y[k] = (b[k] - tail) / a[k * m + k];
    }
    Ok(y.iter().zip(&scale).map(|(v, s)| v * s).collect())
}

/// One polished extremum per run of equal sign of `ε` on the grid, as
/// `(x, ε(x))` pairs; consecutive entries alternate in sign. Samples where `ε`
/// is undefined or exactly zero neither start nor end a run.
fn local_extrema(eps: &dyn Fn(f64) -> Option<f64>, grid: &[f64]) -> Vec<(f64, f64)> {
    let mut runs: Vec<(usize, f64)> = Vec::new();
    for (j, &x) in grid.iter().enumerate() {
        let Some(e) = eps(x).filter(|&e| e != 0.0) else {
            continue;
        };
        match runs.last_mut() {
            Some(last) if (last.1 > 0.0) == (e > 0.0) => {
                if e.abs() > last.1.abs() {
                    *last = (j, e);
                }
            }
            _ => runs.push((j, e)),
        }
    }
    runs.into_iter()
        .map(|(j, e)| {
            let sign = e.signum();
            let a = grid[j.saturating_sub(1)];
            let b = grid[(j + 1).min(grid.len() - 1)];
            let g = |x: f64| eps(x).map_or(f64::NEG_INFINITY, |v| sign * v);
            let (x, gx) = golden_max(&g, a, b);
            if gx > e.abs() {
                (x, sign * gx)
            } else {
                (grid[j], e)
            }
        })
        .collect()
}

/// Golden-section search for the maximum of a unimodal `g` on `[a, b]`.
fn golden_max(g: &dyn Fn(f64) -> f64, mut a: f64, mut b: f64) -> (f64, f64) {
    const R: f64 = 0.618_033_988_749_894_9; // (√5 − 1) / 2
    let mut c = b - R * (b - a);
    let mut d = a + R * (b - a);
    let (mut gc, mut gd) = (g(c), g(d));
    for _ in 0..200 {
        if b - a <= 4.0 * f64::EPSILON * a.abs().max(b.abs()) {
            break;
        }
        if gc >= gd {
            (b, d, gd) = (d, c, gc);
            c = b - R * (b - a);
            gc = g(c);
        } else {
            (a, c, gc) = (c, d, gd);
            d = a + R * (b - a);
            gd = g(d);
        }
    }
    if gc >= gd { (c, gc) } else { (d, gd) }
}

/// Reduces an alternating list of extrema to exactly `m` points, dropping the
/// smallest ones while keeping the alternation: an interior point is removed
/// together with the smaller of its two (same-signed) neighbours, an end point
/// alone. Returns `None` if there are fewer than `m` alternations.
fn trim_alternation(mut points: Vec<(f64, f64)>, m: usize) -> Option<Vec<(f64, f64)>> {
    let size = |p: &(f64, f64)| p.1.abs();
    while points.len() > m {
        let last = points.len() - 1;
        if points.len() == m + 1 {
            let drop = if size(&points[0]) < size(&points[last]) {
                0
            } else {
                last
            };
            points.remove(drop);
            continue;
        }
        let i = (0..points.len())
            .min_by(|&i, &j| size(&points[i]).total_cmp(&size(&points[j])))
            .expect("non-empty");
        if i == 0 || i == last {
            points.remove(i);
        } else {
            let j = if size(&points[i - 1]) < size(&points[i + 1]) {
                i - 1
            } else {
                i + 1
            };
            points.remove(i.max(j));
            points.remove(i.min(j));
        }
    }
    (points.len() == m).then_some(points)
}

/// Fallback when the grid shows fewer than `n + 1` alternations: classic
/// single-point exchange, inserting the global extremum into the old
/// reference in place of the neighbour whose error has the same sign.
fn single_exchange(
    eps: &dyn Fn(f64) -> Option<f64>,
    reference: &[f64],
    (xg, eg): (f64, f64),
) -> Vec<(f64, f64)> {
    let same = |x: f64| eps(x).unwrap_or(0.0).signum() == eg.signum();
    let mut xs = reference.to_vec();
    let last = xs.len() - 1;
    let pos = xs.partition_point(|&x| x < xg);
    if pos < xs.len() && xs[pos] == xg {
        // already in the reference: nothing to exchange
    } else if pos == 0 {
        if same(xs[0]) {
            xs[0] = xg;
        } else {
            xs.pop();
            xs.insert(0, xg);
        }
    } else if pos == xs.len() {
        if same(xs[last]) {
            xs[last] = xg;
        } else {
            xs.remove(0);
            xs.push(xg);
        }
    } else if same(xs[pos - 1]) {
        xs[pos - 1] = xg;
    } else {
        xs[pos] = xg;
    }
    xs.into_iter().map(|x| (x, eps(x).unwrap_or(0.0))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::{E, FRAC_PI_4, LN_2};

    const ABS: Weight = Weight::Absolute;
    const REL: Weight = Weight::Relative;

    fn remez(
        f: &dyn Fn(f64) -> f64,
        fixed: &dyn Fn(f64) -> f64,
        basis: &Basis,
        (lo, hi): (f64, f64),
        weight: Weight,
        alternation: Alternation,
    ) -> Result<Fit, String> {
        let target = Target {
            f,
            fixed,
            basis,
            weight,
        };
        let opts = Options {
            alternation,
            ..Options::default()
        };
        target.minimax(lo, hi, &opts)
    }

    fn fit(
        f: &dyn Fn(f64) -> f64,
        fixed: &dyn Fn(f64) -> f64,
        basis: &Basis,
        interval: (f64, f64),
        weight: Weight,
    ) -> Fit {
        remez(f, fixed, basis, interval, weight, Alternation::Reduced).unwrap()
    }

    /// Best linear approximation of e^x on [0, 1] has a known closed form:
    /// slope e − 1, error (2 − e + (e − 1) ln(e − 1)) / 2.
    #[test]
    fn linear_exp_closed_form() {
        let basis = Basis::new(0.0, &[0, 1]);
        let zero = |_: f64| 0.0;
        let fit = fit(&f64::exp, &zero, &basis, (0.0, 1.0), ABS);
        let expected = (2.0 - E + (E - 1.0) * (E - 1.0).ln()) / 2.0;
        assert!(fit.converged);
        assert!((fit.levelled_error - expected).abs() < 1e-9, "{fit:?}");
        assert!((fit.coeffs[1] - (E - 1.0)).abs() < 1e-9);
    }

    /// Fitting in `t = x − c` spans the same space as in `x`, so the error matches.
    #[test]
    fn shifted_variable_matches() {
        let plain = Basis::new(0.0, &[0, 1, 2, 3]);
        let shifted = Basis::new(1.5, &[0, 1, 2, 3]);
        let zero = |_: f64| 0.0;
        let a = fit(&f64::exp, &zero, &plain, (1.0, 2.0), REL);
        let b = fit(&f64::exp, &zero, &shifted, (1.0, 2.0), REL);
        assert!((a.max_error - b.max_error).abs() < 1e-3 * a.max_error);
    }

    /// Odd function with f(0) = 0 on [0, a], relative weight, basis vanishing at 0.
    #[test]
    fn relative_with_zero_endpoint() {
        let basis = Basis::new(0.0, &[3, 5, 7]);
        let x = |x: f64| x;
        let fit = fit(&f64::sin, &x, &basis, (0.0, FRAC_PI_4), REL);
        assert!(fit.converged);
        assert!(fit.max_error < 1e-7 && fit.max_error > 1e-10, "{fit:?}");
        let target = Target {
            f: &f64::sin,
            fixed: &x,
            basis: &basis,
            weight: Weight::Relative,
        };
        let (dense, _) = target.max_error(&fit.coeffs, 0.0, FRAC_PI_4, 100_001);
        assert!(dense <= fit.max_error * 1.001);
    }

    /// `erf(x)/x` is NaN at 0 if written naively: the point must just be skipped.
    #[test]
    fn undefined_endpoint_is_skipped() {
        let basis = Basis::new(0.0, &[0, 2, 4, 6, 8, 10]);
        let f = |x: f64| libm::erf(x) / x;
        let zero = |_: f64| 0.0;
        let fit = fit(&f, &zero, &basis, (0.0, 0.921875), REL);
        assert!(fit.converged);
        assert!(fit.max_error < 1e-7, "{fit:?}");
    }

    /// `e^(k r) ≈ 1 + c1 r + c2 r^2 + c3 r^3` on `[−h, h]`: the basis `r, r², r³`
    /// changes sign with `r`. Freeing `c1` can only help, so the error must
    /// be at most that of the fit with `c1 = k` fixed. Alternating the plain
    /// error instead levels it at a far worse value.
    #[test]
    fn odd_lowest_power_across_zero() {
        let k = 0.071_354_814;
        let h = LN_2 / (32.0 * k);
        let f = |r: f64| (k * r).exp();
        let one = |_: f64| 1.0;
        let linear = |r: f64| 1.0 + k * r;
        let free = Basis::new(0.0, &[1, 2, 3]);
        let fixed = Basis::new(0.0, &[2, 3]);
        let a = fit(&f, &one, &free, (-h, h), REL);
        let b = fit(&f, &linear, &fixed, (-h, h), REL);
        assert!(a.converged && b.converged);
        assert!(a.max_error <= b.max_error * 1.001, "{a:?} {b:?}");
        assert!(a.max_error < 2f64.powi(-29), "{a:?}");
        let plain = remez(&f, &one, &free, (-h, h), REL, Alternation::Plain).unwrap();
        assert!(plain.max_error > 16.0 * a.max_error, "{plain:?}");
    }

    /// One free coefficient of an odd power on a symmetric interval, as in
    /// the last refit of lowest-first rounding of `c2 r^2 + c3 r^3`. Alternating
    /// the plain error, the system is singular with absolute error (`e^r − 1`)
    /// and levels far too high with relative error (`e^(s/2)`: 2^-23.7).
    #[test]
    fn one_odd_term_on_symmetric_interval() {
        let basis = Basis::new(0.0, &[3]);
        let plain = Options {
            alternation: Alternation::Plain,
            ..Options::default()
        };

        let h = LN_2 / 32.0;
        let expm1 = |r: f64| r.exp_m1();
        let c2 = f64::from(0.500_016_2_f32);
        let fixed = |r: f64| r + c2 * r * r;
        let good = fit(&expm1, &fixed, &basis, (-h, h), ABS);
        assert!(good.converged);
        assert!(good.max_error < 2f64.powi(-29), "{good:?}");
        let target = Target {
            f: &expm1,
            fixed: &fixed,
            basis: &basis,
            weight: ABS,
        };
        assert!(target.minimax(-h, h, &plain).is_err());

        let h = LN_2 / 16.0;
        let f = |s: f64| (0.5 * s).exp();
        let c2 = f64::from(0.125_004_04_f32);
        let fixed = |s: f64| 1.0 + 0.5 * s + c2 * s * s;
        let good = fit(&f, &fixed, &basis, (-h, h), REL);
        assert!(good.converged);
        assert!(good.max_error < 2f64.powi(-29), "{good:?}");
        let target = Target {
            f: &f,
            fixed: &fixed,
            basis: &basis,
            weight: REL,
        };
        let (worse, _) = target.max_error(
            &target.minimax(-h, h, &plain).unwrap().coeffs,
            -h,
            h,
            10_001,
        );
        assert!(worse > 16.0 * good.max_error, "{worse:e}");
    }

    /// Greedy rounding in either order keeps e^r − 1 ≈ r + c2 r² + c3 r³ at
    /// the error of the f64 fit (2^-29.2), and a split constant adds up.
    #[test]
    fn greedy_rounding_keeps_the_error() {
        let h = LN_2 / 32.0;
        let f = |r: f64| r.exp_m1();
        let r = |r: f64| r;
        let basis = Basis::new(0.0, &[2, 3]);
        let target = Target {
            f: &f,
            fixed: &r,
            basis: &basis,
            weight: Weight::Absolute,
        };
        let opts = Options::default();
        for order in [Order::HighestFirst, Order::LowestFirst] {
            let rounded = target.round_greedy(-h, h, &opts, order, false).unwrap();
            assert_eq!(rounded.lo, None);
            let (err, _) = target.max_error(&rounded.wide(), -h, h, 10_001);
            assert!(err < 1.6e-9, "{order:?}: {err:e}");
        }
        let exp = |x: f64| x.exp();
        let zero = |_: f64| 0.0;
        let basis = Basis::new(0.0, &[0, 1, 2, 3, 4]);
        let target = Target {
            f: &exp,
            fixed: &zero,
            basis: &basis,
            weight: Weight::Absolute,
        };
        let rounded = target
            .round_greedy(1.0, 1.5, &opts, Order::HighestFirst, true)
            .unwrap();
        let lo = rounded.lo.expect("split");
        assert!(lo != 0.0 && f64::from(lo).abs() < f64::from(rounded.coeffs[0]) * 1e-7);
    }

    #[test]
    fn split_adds_up() {
        let c = std::f64::consts::PI;
        let (hi, lo) = split_f32(c);
        assert_eq!(hi, std::f32::consts::PI);
        assert!((f64::from(hi) + f64::from(lo) - c).abs() < c * 2f64.powi(-48));
        let r = Rounded::nearest(&[c, 0.1], true);
        assert_eq!(r.coeffs, vec![hi, 0.1]);
        assert_eq!(r.lo, Some(lo));
        assert_eq!(r.wide()[0], f64::from(hi) + f64::from(lo));
    }

    #[test]
    fn linear_solver_pivots() {
        let mut a = vec![0.0, 1.0, 1.0, 1.0];
        let mut b = vec![2.0, 3.0];
        let y = solve_linear(&mut a, &mut b, 2).unwrap();
        assert_eq!(y, vec![1.0, 2.0]);
    }
}
