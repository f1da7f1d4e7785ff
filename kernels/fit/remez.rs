//! Minimax polynomial fitting with the Remez exchange algorithm.
//!
//! We approximate `f(x) ≈ fixed(x) + Σ_k c_k φ_k(x)` on `[lo, hi]`, where
//! `φ_k(x) = t(x)^e_k` (a monomial in a variable `t`, for instance `x`, `x²` or
//! `x − centre`), and minimise the largest weighted error
//!
//! ```text
//! ε(x) = (fixed(x) + Σ c_k φ_k(x) − f(x)) / w(x),   w = 1 or w = |f(x)|.
//! ```
//!
//! The algorithm (Remez's second algorithm with a multi-point exchange):
//!
//! 1. Take a reference of `n + 1` points (`n` coefficients): initially the
//!    extrema of the Chebyshev polynomial `T_n` mapped to `[lo, hi]`.
//! 2. Solve the `(n+1)×(n+1)` linear system
//!    `Σ c_k φ_k(x_i) − (−1)^i E w(x_i) = f(x_i) − fixed(x_i)` for the
//!    coefficients and the levelled error `E`, so that the error alternates
//!    in sign with equal magnitude on the reference.
//! 3. Sample `ε` on a dense grid, split the samples into runs of equal sign,
//!    take the largest `|ε|` of every run and polish its position with a
//!    golden-section search. This gives an alternating sequence of local
//!    extrema, which is trimmed to `n + 1` points while keeping the largest.
//! 4. By de la Vallée Poussin's theorem the best possible error lies between
//!    the smallest and the largest `|ε|` on that alternating set. Once the two
//!    agree to a relative tolerance we stop; otherwise the set becomes the new
//!    reference and we return to step 2.
//!
//! Points where `f` is not finite, or (relative weight) `|f| < 1e-300`, are
//! skipped everywhere, so removable zeros such as `f(0) = 0` with a basis
//! that vanishes at 0 are harmless.

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

/// The variable `t(x)` that the basis monomials are powers of.
#[derive(Clone, Copy, Debug)]
pub enum Var {
    /// `t = x`.
    X,
    /// `t = x²`, for even functions (or odd ones divided by `x`).
    Square,
    /// `t = x − c`, an expansion around `c` (which should be exactly
    /// representable in f32 if the kernel subtracts it in f32).
    Shift(f64),
    /// Any other change of variable, given in f64 (fitting) and f32 (kernel).
    Custom {
        name: &'static str,
        wide: fn(f64) -> f64,
        narrow: fn(f32) -> f32,
    },
}

impl Var {
    /// `t(x)` in f64.
    pub fn eval(self, x: f64) -> f64 {
        match self {
            Var::X => x,
            Var::Square => x * x,
            Var::Shift(c) => x - c,
            Var::Custom { wide, .. } => wide(x),
        }
    }

    /// `t(x)` in f32, as a kernel would compute it.
    pub fn eval_f32(self, x: f32) -> f32 {
        match self {
            Var::X => x,
            Var::Square => x * x,
            Var::Shift(c) => x - c as f32,
            Var::Custom { narrow, .. } => narrow(x),
        }
    }
}

impl fmt::Display for Var {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Var::X => out.write_str("x"),
            Var::Square => out.write_str("x^2"),
            Var::Shift(c) => write!(out, "(x - {c:e})"),
            Var::Custom { name, .. } => out.write_str(name),
        }
    }
}

/// The approximating family `φ_k(x) = t(x)^e_k`, `k = 0..n`.
#[derive(Clone, Debug)]
pub struct Basis {
    pub var: Var,
    /// Strictly increasing exponents, one per coefficient.
    pub exps: Vec<u32>,
}

impl Basis {
    /// Builds a basis; panics unless `exps` is non-empty and strictly increasing.
    pub fn new(var: Var, exps: &[u32]) -> Self {
        assert!(!exps.is_empty(), "basis needs at least one exponent");
        assert!(
            exps.windows(2).all(|w| w[0] < w[1]),
            "basis exponents must be strictly increasing"
        );
        Basis {
            var,
            exps: exps.to_vec(),
        }
    }

    /// Number of coefficients.
    pub fn terms(&self) -> usize {
        self.exps.len()
    }

    /// Writes `φ_k(x)` for every `k` into `out`.
    pub fn eval(&self, x: f64, out: &mut [f64]) {
        let t = self.var.eval(x);
        for (o, &e) in out.iter_mut().zip(&self.exps) {
            *o = t.powi(e as i32);
        }
    }

    /// `Σ c_k φ_k(x)`.
    pub fn poly(&self, coeffs: &[f64], x: f64) -> f64 {
        let t = self.var.eval(x);
        coeffs
            .iter()
            .zip(&self.exps)
            .map(|(c, &e)| c * t.powi(e as i32))
            .sum()
    }
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
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_iter: 50,
            tol: 1e-3,
            grid: 8192,
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
    /// The alternating extremal points of the final error curve.
    pub extrema: Vec<f64>,
    /// Number of linear solves performed.
    pub iterations: usize,
    /// Whether the tolerance was met (otherwise the best iterate is returned).
    pub converged: bool,
}

/// A fitting problem: the function, the fixed part, the basis and the weight.
pub struct Target<'a> {
    pub f: &'a dyn Fn(f64) -> f64,
    pub fixed: &'a dyn Fn(f64) -> f64,
    pub basis: &'a Basis,
    pub weight: Weight,
}

/// Convenience wrapper: fits `f ≈ fixed + Σ c_k φ_k` on `[lo, hi]` with default options.
pub fn minimax(
    f: &dyn Fn(f64) -> f64,
    fixed: &dyn Fn(f64) -> f64,
    basis: &Basis,
    lo: f64,
    hi: f64,
    weight: Weight,
) -> Result<Fit, String> {
    let target = Target {
        f,
        fixed,
        basis,
        weight,
    };
    target.minimax(lo, hi, &Options::default())
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
            let (coeffs, levelled) = self.solve(&reference)?;
            let eps = |x: f64| self.error(&coeffs, x);
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
                    extrema: reference,
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
                extrema: next.iter().map(|p| p.0).collect(),
                iterations: iteration,
                converged: max_error - min_error <= opts.tol * max_error,
            };
            if fit.converged {
                return Ok(fit);
            }
            reference.clone_from(&fit.extrema);
            if best.as_ref().is_none_or(|b| fit.max_error < b.max_error) {
                best = Some(fit);
            }
        }
        best.ok_or_else(|| "no iterations were run".to_string())
    }

    /// Rounds the coefficients to f32 one at a time, lowest exponent first.
    /// After each rounding the remaining coefficients are fitted again, with the
    /// already rounded terms moved into the fixed part, so the higher-order terms
    /// absorb part of the rounding error of the lower-order ones.
    pub fn minimax_f32_greedy(&self, lo: f64, hi: f64, opts: &Options) -> Result<Vec<f32>, String> {
        let exps = &self.basis.exps;
        let mut done: Vec<f32> = Vec::with_capacity(exps.len());
        for k in 0..exps.len() {
            let head = Basis {
                var: self.basis.var,
                exps: exps[..k].to_vec(),
            };
            let rest = Basis::new(self.basis.var, &exps[k..]);
            let head_coeffs: Vec<f64> = done.iter().map(|&c| f64::from(c)).collect();
            let fixed = |x: f64| (self.fixed)(x) + head.poly(&head_coeffs, x);
            let sub = Target {
                f: self.f,
                fixed: &fixed,
                basis: &rest,
                weight: self.weight,
            };
            let fit = sub.minimax(lo, hi, opts)?;
            done.push(fit.coeffs[0] as f32);
        }
        Ok(done)
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
    fn solve(&self, xs: &[f64]) -> Result<(Vec<f64>, f64), String> {
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
            row[n] = -sign * w;
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
pub fn solve_linear(a: &mut [f64], b: &mut [f64], m: usize) -> Result<Vec<f64>, String> {
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

    /// Best linear approximation of e^x on [0, 1] has a known closed form:
    /// slope e − 1, error (2 − e + (e − 1) ln(e − 1)) / 2.
    #[test]
    fn linear_exp_closed_form() {
        let basis = Basis::new(Var::X, &[0, 1]);
        let fit = minimax(&f64::exp, &|_| 0.0, &basis, 0.0, 1.0, Weight::Absolute).unwrap();
        let e = std::f64::consts::E;
        let expected = (2.0 - e + (e - 1.0) * (e - 1.0).ln()) / 2.0;
        assert!(fit.converged);
        assert!((fit.levelled_error - expected).abs() < 1e-9, "{fit:?}");
        assert!((fit.coeffs[1] - (e - 1.0)).abs() < 1e-9);
    }

    /// Fitting in `t = x − c` spans the same space as in `x`, so the error matches.
    #[test]
    fn shifted_variable_matches() {
        let plain = Basis::new(Var::X, &[0, 1, 2, 3]);
        let shifted = Basis::new(Var::Shift(1.5), &[0, 1, 2, 3]);
        let zero = |_: f64| 0.0;
        let a = minimax(&f64::exp, &zero, &plain, 1.0, 2.0, Weight::Relative).unwrap();
        let b = minimax(&f64::exp, &zero, &shifted, 1.0, 2.0, Weight::Relative).unwrap();
        assert!((a.max_error - b.max_error).abs() < 1e-3 * a.max_error);
    }

    /// Odd function with f(0) = 0 on [0, a], relative weight, basis vanishing at 0.
    #[test]
    fn relative_with_zero_endpoint() {
        let basis = Basis::new(Var::X, &[3, 5, 7]);
        let pi4 = std::f64::consts::FRAC_PI_4;
        let fit = minimax(&f64::sin, &|x| x, &basis, 0.0, pi4, Weight::Relative).unwrap();
        assert!(fit.converged);
        assert!(fit.max_error < 1e-7 && fit.max_error > 1e-10, "{fit:?}");
        let target = Target {
            f: &f64::sin,
            fixed: &|x| x,
            basis: &basis,
            weight: Weight::Relative,
        };
        let (dense, _) = target.max_error(&fit.coeffs, 0.0, pi4, 100_001);
        assert!(dense <= fit.max_error * 1.001);
    }

    /// `erf(x)/x` is NaN at 0 if written naively: the point must just be skipped.
    #[test]
    fn undefined_endpoint_is_skipped() {
        let basis = Basis::new(Var::Square, &[0, 1, 2, 3, 4, 5]);
        let f = |x: f64| libm::erf(x) / x;
        let fit = minimax(&f, &|_| 0.0, &basis, 0.0, 0.921875, Weight::Relative).unwrap();
        assert!(fit.converged);
        assert!(fit.max_error < 1e-7, "{fit:?}");
    }

    #[test]
    fn linear_solver_pivots() {
        let mut a = vec![0.0, 1.0, 1.0, 1.0];
        let mut b = vec![2.0, 3.0];
        let y = solve_linear(&mut a, &mut b, 2).unwrap();
        assert_eq!(y, vec![1.0, 2.0]);
    }
}
