//! Evaluation of a fitted polynomial in f32 the way a SIMD kernel does it
//! (fused multiply-add Horner), and an error sweep over f32 inputs.

use crate::remez::Weight;

/// A polynomial `Σ c_k t^e_k`, `t = x − centre`, with f32 coefficients.
#[derive(Clone, Debug)]
pub struct Poly32 {
    pub centre: f32,
    pub exps: Vec<u32>,
    pub coeffs: Vec<f32>,
}

impl Poly32 {
    /// Horner value `h(t) = Σ c_k t^(e_k − e_0)`, one `mul_add` per coefficient.
    /// A gap `g > 1` between consecutive exponents uses `t^g`, formed by f32
    /// multiplication (a kernel would hoist it, e.g. `t² = t·t` once).
    /// The full polynomial is `t^e_0 · h(t)`; kernels usually fold that leading
    /// factor into their final fma.
    pub fn horner(&self, t: f32) -> f32 {
        let n = self.coeffs.len();
        let mut h = self.coeffs[n - 1];
        for k in (0..n - 1).rev() {
            let step = powi_f32(t, self.exps[k + 1] - self.exps[k]);
            h = h.mul_add(step, self.coeffs[k]);
        }
        h
    }
}

/// `t^n` by binary powering in f32.
fn powi_f32(t: f32, mut n: u32) -> f32 {
    let (mut result, mut base) = (1.0f32, t);
    while n > 0 {
        if n & 1 == 1 {
            result *= base;
        }
        base *= base;
        n >>= 1;
    }
    result
}

/// A real function of one variable, callable from the sweep's threads.
pub type RealFn<'a> = &'a (dyn Fn(f64) -> f64 + Sync);

/// A kernel's last step: its f32 result from `x`, the Horner value `h` and
/// the constant term `[hi, lo]` when that is split off (zeros otherwise),
/// e.g. `fma(x, h, x)` for `erf` near 0.
pub type Finish = dyn Fn(f32, f32, [f32; 2]) -> f32 + Sync;

/// Everything the sweep evaluates at one f32 input.
pub struct Check<'a> {
    /// The Horner part (without a split constant term).
    pub poly: Poly32,
    /// The fitted function, the fixed part (with a split constant term) and
    /// the weight: the weighted error of `fixed(x) + t^e_0 · h` (f32 Horner,
    /// the rest in f64) is reported.
    pub f: RealFn<'a>,
    pub fixed: RealFn<'a>,
    pub weight: Weight,
    /// The kernel's result and what it approximates (in f64), if it is
    /// known here: its error is reported in ULPs.
    pub result: Option<(&'a Finish, RealFn<'a>)>,
    /// The split constant term passed to the finish step.
    pub constant: [f32; 2],
}

/// Worst errors seen by [`sweep`].
#[derive(Clone, Debug)]
pub struct Sweep {
    pub samples: u64,
    /// Every f32 of the interval was tested.
    pub exhaustive: bool,
    pub max_ulp: f64,
    pub max_ulp_at: f32,
    pub max_weighted: f64,
    pub max_weighted_at: f32,
}

impl Sweep {
    fn empty() -> Self {
        Sweep {
            samples: 0,
            exhaustive: false,
            max_ulp: 0.0,
            max_ulp_at: 0.0,
            max_weighted: 0.0,
            max_weighted_at: 0.0,
        }
    }

    fn merge(&mut self, other: &Sweep) {
        self.samples += other.samples;
        if other.max_ulp > self.max_ulp {
            (self.max_ulp, self.max_ulp_at) = (other.max_ulp, other.max_ulp_at);
        }
        if other.max_weighted > self.max_weighted {
            (self.max_weighted, self.max_weighted_at) = (other.max_weighted, other.max_weighted_at);
        }
    }
}

/// Size of one f32 ULP at `v`: `2^(exponent(v) − 23)`, never below `2^-149`.
pub fn ulp_f32(v: f64) -> f64 {
    let a = v.abs();
    if a == 0.0 {
        return 2f64.powi(-149);
    }
    let exponent = ((a.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    2f64.powi(exponent.max(-126) - 23)
}

/// Maps f32 to integers monotonically (both zeros map to 0), so that
/// consecutive f32 values have consecutive keys.
fn key(x: f32) -> i64 {
    let bits = x.to_bits();
    let magnitude = i64::from(bits & 0x7fff_ffff);
    if bits >> 31 != 0 {
        -magnitude
    } else {
        magnitude
    }
}

fn from_key(k: i64) -> f32 {
    if k < 0 {
        f32::from_bits((-k) as u32 | 0x8000_0000)
    } else {
        f32::from_bits(k as u32)
    }
}

/// Evaluates `check` at every f32 in `[lo, hi]` if there are at most
/// `limit` of them, otherwise at every `s`-th f32 (uniform stride in f32
/// order, so every binade is sampled) plus the upper end point.
/// Work is split over the available cores.
pub fn sweep(check: &Check, lo: f64, hi: f64, limit: u64) -> Sweep {
    let mut first = lo as f32;
    if f64::from(first) < lo {
        first = first.next_up();
    }
    let mut last = hi as f32;
    if f64::from(last) > hi {
        last = last.next_down();
    }
    let (k0, k1) = (key(first), key(last));
    if k1 < k0 {
        return Sweep::empty();
    }
    let count = (k1 - k0 + 1) as u64;
    let stride = count.div_ceil(limit.max(1)).max(1);
    let steps = count.div_ceil(stride);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let chunk = steps.div_ceil(threads);

    let mut total = Sweep::empty();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let mut part = Sweep::empty();
                    for i in (t * chunk)..((t + 1) * chunk).min(steps) {
                        let k = k0 + (i * stride) as i64;
                        record(check, from_key(k), &mut part);
                    }
                    part
                })
            })
            .collect();
        for handle in handles {
            total.merge(&handle.join().expect("sweep thread panicked"));
        }
    });
    if (steps - 1) * stride != count - 1 {
        record(check, last, &mut total);
    }
    total.exhaustive = stride == 1;
    total
}

/// Evaluates one input and records its errors.
fn record(check: &Check, x: f32, acc: &mut Sweep) {
    acc.samples += 1;
    let x64 = f64::from(x);
    let t = x - check.poly.centre;
    let h = check.poly.horner(t);

    if let Some((finish, reference)) = check.result {
        let y = f64::from(finish(x, h, check.constant));
        let r = reference(x64);
        if r.is_finite() {
            let ulps = (y - r).abs() / ulp_f32(r);
            if ulps > acc.max_ulp {
                (acc.max_ulp, acc.max_ulp_at) = (ulps, x);
            }
        }
    }

    let fx = (check.f)(x64);
    let w = match check.weight {
        Weight::Absolute => 1.0,
        Weight::Relative => fx.abs(),
    };
    if fx.is_finite() && w >= 1e-300 {
        let lead = f64::from(t).powi(check.poly.exps[0] as i32);
        let approx = (check.fixed)(x64) + lead * f64::from(h);
        let e = ((approx - fx) / w).abs();
        if e > acc.max_weighted {
            (acc.max_weighted, acc.max_weighted_at) = (e, x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_monotone() {
        let xs = [-1.0f32, -f32::MIN_POSITIVE, 0.0, 1e-45, 0.5, 0.500_000_06];
        for w in xs.windows(2) {
            assert!(key(w[0]) < key(w[1]));
            assert_eq!(from_key(key(w[0])).to_bits(), w[0].to_bits());
        }
        assert_eq!(key(0.500_000_06) - key(0.5), 1);
    }

    #[test]
    fn horner_with_gaps() {
        // 1 + 2 t^2 + 3 t^5 written as exponents [0, 2, 5].
        let p = Poly32 {
            centre: 0.0,
            exps: vec![0, 2, 5],
            coeffs: vec![1.0, 2.0, 3.0],
        };
        assert_eq!(p.horner(2.0), 1.0 + 8.0 + 96.0);
    }

    #[test]
    fn sweep_counts_inputs() {
        let check = Check {
            poly: Poly32 {
                centre: 0.0,
                exps: vec![0, 1],
                coeffs: vec![0.0, 1.0],
            },
            f: &|x| x,
            fixed: &|_| 0.0,
            weight: Weight::Relative,
            result: Some((&|_, h, _| h, &|x| x)),
            constant: [0.0; 2],
        };
        // [1, 1 + 1000 ulp]: 1001 inputs, all of them, all exact.
        let hi = 1.0 + 1000.0 * f64::from(f32::EPSILON);
        let all = sweep(&check, 1.0, hi, 10_000);
        assert!(all.exhaustive);
        assert_eq!(all.samples, 1001);
        assert_eq!(all.max_ulp, 0.0);
        // Strided: every 3rd input plus the upper end point.
        let some = sweep(&check, 1.0, hi, 400);
        assert!(!some.exhaustive);
        assert_eq!(some.samples, 335);
    }

    #[test]
    fn ulp_sizes() {
        assert_eq!(ulp_f32(1.0), f64::from(f32::EPSILON));
        assert_eq!(ulp_f32(0.75), f64::from(f32::EPSILON) / 2.0);
    }
}
