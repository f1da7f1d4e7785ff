//! `softplus(x; beta, threshold)`: PyTorch's `Softplus(beta, threshold)`, `x`
//! where `beta x > threshold` (the product rounded to `f32`), else
//! `log1p(e^(beta x)) / beta`.
//!
//! Form: with `b = beta x`, `softplus = max(x, 0) + log1p(E) / beta`,
//! `E = e^-|b|` in `(0, 1]` (`max(b, 0) / beta = max(x, 0)` exactly), so only
//! `log1p(E)` is approximated, and nothing overflows on the way.
//!
//! Reduction: `-|b| = n ln2 - v`, `n = round(-|b| log2 e)`, `|v| <= ln2/2`.
//! `|b| = nb - e` exactly (`nb = beta |x|` rounded, `e` its error by an FMA),
//! `v = nb + n LN2_HI` is exact, and the remainder `c = e - n LN2_LO` (below
//! `2^-16`) is applied to first order, as the factor `1 + c` (the error of
//! that, from `c^2` and from `d/dv` of the function not being exactly `-1`,
//! is below `2^-27`).
//!
//! Approximation: for each `n`, `2^-n log1p(2^n e^-v)` is a smooth function of
//! `v`. A 16-entry table (`lookup16`, entry `n + 15`) holds a degree-6
//! polynomial in `v` per `n` in `[-14, 0]`, and at entry 0 one for `e^-v`,
//! used for every `n <= -15`, where `log1p(E) = E (1 - E/2)` to `2^-30`. The
//! coefficients are minimax for relative error (below `2^-29` with f64
//! coefficients; the constant term is a pair `hi + lo` of f32), fitted by
//! `cargo run --release --bin fit -- softplus`.
//!
//! Division by `beta = m 2^k` (`m` in `[1, 2)`): the last Horner step
//! `q = C0 + v h` is computed with its exact error, which is summed with the
//! low part of `C0`, `c q` and the tail term `-2^(n-1) q^2` into `lo`; then
//! `w = (q + lo) / m = log1p(E) / (2^n m)` is rounded once (`q / m` by a
//! division, its exact remainder and `lo` scaled by a rough `1/m`; for
//! `m = 1` all of this is exact), and `2^(n - k)` is applied last with
//! [`Simd::mul_exp2`], so results in the subnormal range are rounded once.
//! The result is `max(x, 0) + w 2^(n-k)`. Only scalars depend on `beta`, so
//! a call costs no table setup.
//!
//! Where `beta x > 16`, `log1p(E) / beta < 2^-27 x`, so the formula returns `x`
//! anyway (the exact result is within 0.12 ULP of it): the threshold is
//! clamped to 16. Beyond `|beta x| = (160 - k) ln2` the result is `max(x, 0)`
//! (the rest rounds to 0).
//!
//! Measured max error: 1.11 ULP over every `f32` at `beta = 1, threshold = 20`
//! (at `x = 3.4713927e-1`); at most 1.25 ULP on strided sweeps (every 61st
//! `f32`) at `beta` = 2, 0.75, 3.3, 0.1, 17, 1e-5, 1e5 and at extreme `beta`.
//!
//! Special values: `softplus(NaN) = NaN`, `softplus(-inf) = +0`,
//! `softplus(+inf) = +inf`, `softplus(±0) = ln2 / beta` (rounded once), never
//! negative.

use super::Kernel;
use super::exp::{LN2_HI, LN2_LO, LOG2E};
use crate::Error;
use crate::simd::Simd;

/// `1.5 * 2^23 + 15`: adding it rounds to an integer `n` and leaves `n + 15`
/// in the low mantissa bits; mantissa bit 22 is clear exactly when `n < -15`.
pub(crate) const SHIFTER: f32 = 12_582_927.0;

/// The reduction: `-a = n ln2 - (v - c)` for `a >= 0`
/// given as the exact pair `a = a_hi - a_err`, with `n = round(-a log2 e)`,
/// `v = a_hi + n LN2_HI` exact, the small remainder `c = a_err - n LN2_LO`,
/// the shifter sum `t` (`n = t - SHIFTER`) and the table entry `idx`: `n + 15`
/// for `n` in `[-14, 0]`, `0` for `n <= -15` (the tail entry).
#[derive(Clone, Copy)]
struct PowerOfTwo<S: Simd> {
    t: S::F,
    n: S::F,
    v: S::F,
    c: S::F,
    idx: S::I,
}

impl<S: Simd> PowerOfTwo<S> {
    /// See [`PowerOfTwo`].
    #[inline(always)]
    fn reduce(s: S, a_hi: S::F, a_err: S::F) -> PowerOfTwo<S> {
        let t = s.mul_add(a_hi, s.splat(-LOG2E), s.splat(SHIFTER));
        let n = s.sub(t, s.splat(SHIFTER));
        let v = s.mul_add(n, s.splat(LN2_HI), a_hi);
        let c = s.mul_add(n, s.splat(-LN2_LO), a_err);
        // Entry n + 15, or 0 where n <= -15 (mantissa bit 22 of t clear).
        let bits = s.to_bits(t);
        let body = s.from_bits(s.shr::<31>(s.shl::<9>(bits)));
        let idx = s.to_bits(s.and(s.from_bits(bits), body));
        PowerOfTwo { t, n, v, c, idx }
    }
}
/// Above `beta x = 16` the result is `x` (see the module docs).
const IDENTITY_ABOVE: f32 = 16.0;
/// `|beta x|` is clamped to `min(SCALE_FLOOR - k, TAIL_FLOOR + j) ln2`: beyond
/// `SCALE_FLOOR - k`, `2^(n-k) < 2^-159` and the result rounds to 0.
const SCALE_FLOOR: f64 = 160.0;
/// `n + j >= -TAIL_FLOOR - 1`, in the range of [`Simd::mul_exp2`] (which the
/// tail coefficient is scaled with) for every `beta`: `j` is positive only for
/// `beta < 2^-89`, where `-|beta x|` can reach below `-249 ln2`.
const TAIL_FLOOR: f64 = 249.0;
/// The largest `j`: the tail coefficient `m 2^-j / 2` stays above `2^-24`.
/// For `beta < 2^-122` `n >= -93` anyway (`|x| < 2^128`), and above it
/// `n >= -TAIL_FLOOR - TAIL_SHIFT_MAX` covers every result that is not 0.
const TAIL_SHIFT_MAX: f64 = 23.0;

/// Entry-wise polynomial coefficients, highest degree first (see the module docs).
const SOFTPLUS_POLY: [[f32; 16]; 7] = [
    // v^6
    [
        1.3811572e-3, // 0x1.6a0fe4p-10
        1.3887153e-3, // 0x1.6c0b1cp-10
        1.3847797e-3, // 0x1.6b02fep-10
        1.3798062e-3, // 0x1.69b53ap-10
        1.3670124e-3, // 0x1.665aa6p-10
        1.3514849e-3, // 0x1.62489ep-10
        1.2973028e-3, // 0x1.541484p-10
        1.217103e-3,  // 0x1.3f0e66p-10
        1.0506941e-3, // 0x1.136ee4p-10
        7.6523004e-4, // 0x1.913370p-11
        2.8433505e-4, // 0x1.2a259cp-12
        -3.474373e-4, // -0x1.6c507ep-12
        -8.671209e-4, // -0x1.c69f00p-11
        -6.327449e-4, // -0x1.4bbd96p-11
        1.5306367e-4, // 0x1.40ff6ep-13
        3.2708864e-4, // 0x1.56fa30p-12
    ],
    // v^5
    [
        -8.368989e-3,  // -0x1.123c2cp-7
        -8.368538e-3,  // -0x1.123862p-7
        -8.359197e-3,  // -0x1.11ea06p-7
        -8.344088e-3,  // -0x1.116b48p-7
        -8.310887e-3,  // -0x1.1054c6p-7
        -8.247822e-3,  // -0x1.0e43bep-7
        -8.108118e-3,  // -0x1.09afd2p-7
        -7.850454e-3,  // -0x1.013e62p-7
        -7.3507247e-3, // -0x1.e1bcb2p-8
        -6.412822e-3,  // -0x1.a4454cp-8
        -4.7451644e-3, // -0x1.36faa6p-8
        -2.1446322e-3, // -0x1.1919eap-9
        9.862635e-4,   // 0x1.028b06p-10
        2.9332119e-3,  // 0x1.807642p-9
        2.0269451e-3,  // 0x1.09acfep-9
        1.1336869e-5,  // 0x1.7c66f6p-17
    ],
    // v^4
    [
        4.1668605e-2,  // 0x1.555966p-5
        4.164677e-2,   // 0x1.552b9cp-5
        4.162666e-2,   // 0x1.55016ep-5
        4.158586e-2,   // 0x1.54abdep-5
        4.150489e-2,   // 0x1.540210p-5
        4.1342285e-2,  // 0x1.52ad0ep-5
        4.102145e-2,   // 0x1.500c38p-5
        4.0382687e-2,  // 0x1.4ad0a2p-5
        3.9131735e-2,  // 0x1.409132p-5
        3.6723904e-2,  // 0x1.2cd79cp-5
        3.2272343e-2,  // 0x1.086002p-5
        2.4646282e-2,  // 0x1.93ce00p-6
        1.3411926e-2,  // 0x1.b77b64p-7
        1.0655188e-3,  // 0x1.1751c2p-10
        -6.1714887e-3, // -0x1.947466p-8
        -5.2108485e-3, // -0x1.557f88p-8
    ],
    // v^3
    [
        -1.6666518e-1, // -0x1.55548ep-3
        -1.6662316e-1, // -0x1.553e86p-3
        -1.665827e-1,  // -0x1.552950p-3
        -1.6650112e-1, // -0x1.54fe8ap-3
        -1.6633867e-1, // -0x1.54a95ep-3
        -1.6601397e-1, // -0x1.53ff22p-3
        -1.6536877e-1, // -0x1.52acdcp-3
        -1.6408405e-1, // -0x1.500b4cp-3
        -1.6154791e-1, // -0x1.4ad9a2p-3
        -1.5660602e-1, // -0x1.40baa8p-3
        -1.4722215e-1, // -0x1.2d82cep-3
        -1.302694e-1,  // -0x1.0acaaep-3
        -1.0242593e-1, // -0x1.a38960p-4
        -6.3999295e-2, // -0x1.062420p-4
        -2.4689745e-2, // -0x1.94844cp-6
        2.392882e-7,   // 0x1.00ef0ap-22
    ],
    // v^2
    [
        4.999999e-1,  // 0x1.fffffap-2
        4.9993894e-1, // 0x1.ffeffep-2
        4.998779e-1,  // 0x1.ffdffep-2
        4.9975592e-1, // 0x1.ffc004p-2
        4.9951205e-1, // 0x1.ff8016p-2
        4.9902484e-1, // 0x1.ff005ep-2
        4.980525e-1,  // 0x1.fe017ap-2
        4.9611646e-1, // 0x1.fc05f4p-2
        4.9227804e-1, // 0x1.f817bcp-2
        4.847337e-1,  // 0x1.f05e08p-2
        4.701561e-1,  // 0x1.e1709ap-2
        4.4290662e-1, // 0x1.c58950p-2
        3.9506176e-1, // 0x1.948b12p-2
        3.2000002e-1, // 0x1.47ae16p-2
        2.2222216e-1, // 0x1.c71c6ap-3
        1.2499999e-1, // 0x1.fffffep-4
    ],
    // v^1
    [
        -1e0,          // -0x1.000000p+0
        -9.99939e-1,   // -0x1.fff802p-1
        -9.99878e-1,   // -0x1.fff002p-1
        -9.99756e-1,   // -0x1.ffe004p-1
        -9.99512e-1,   // -0x1.ffc00ap-1
        -9.9902445e-1, // -0x1.ff8022p-1
        -9.980507e-1,  // -0x1.ff0080p-1
        -9.9610895e-1, // -0x1.fe01fep-1
        -9.9224806e-1, // -0x1.fc07f0p-1
        -9.846154e-1,  // -0x1.f81f82p-1
        -9.6969694e-1, // -0x1.f07c1ep-1
        -9.411764e-1,  // -0x1.e1e1e0p-1
        -8.8888884e-1, // -0x1.c71c70p-1
        -8e-1,         // -0x1.99999ap-1
        -6.666667e-1,  // -0x1.555556p-1
        -5e-1,         // -0x1.000000p-1
    ],
    // v^0
    [
        1e0,          // 0x1.000000p+0
        9.999695e-1,  // 0x1.fffc00p-1
        9.9993896e-1, // 0x1.fff800p-1
        9.998779e-1,  // 0x1.fff000p-1
        9.997559e-1,  // 0x1.ffe002p-1
        9.99512e-1,   // 0x1.ffc00ap-1
        9.990247e-1,  // 0x1.ff802ap-1
        9.9805194e-1, // 0x1.ff00aap-1
        9.9611396e-1, // 0x1.fe02a6p-1
        9.9226797e-1, // 0x1.fc0a8cp-1
        9.8469305e-1, // 0x1.f829b0p-1
        9.6999395e-1, // 0x1.f0a30cp-1
        9.4226426e-1, // 0x1.e27076p-1
        8.925742e-1,  // 0x1.c8ff7cp-1
        8.109302e-1,  // 0x1.9f323ep-1
        6.931472e-1,  // 0x1.62e430p-1
    ],
];
/// The low parts of the constant terms (`SOFTPLUS_POLY[6]`).
const SOFTPLUS_C0_LO: [f32; 16] = [
    5.544065e-10,   // 0x1.30c9c8p-31
    1.7942168e-9,   // 0x1.ed30c8p-30
    5.517222e-9,    // 0x1.7b23fep-28
    2.0411433e-8,   // 0x1.5eaa6ep-26
    2.0378456e-8,   // 0x1.5e1966p-26
    2.0159975e-8,   // 0x1.5a5882p-26
    1.8503489e-8,   // 0x1.3de334p-26
    5.451419e-9,    // 0x1.769e60p-28
    2.0939005e-8,   // 0x1.67bab8p-26
    -2.7828758e-8,  // -0x1.de182cp-26
    2.6802427e-8,   // 0x1.cc7652p-26
    -3.4126169e-10, // -0x1.7738a0p-32
    2.5871099e-8,   // 0x1.bc764cp-26
    1.4140394e-8,   // 0x1.e5dc38p-27
    2.4137941e-8,   // 0x1.9eafcap-26
    -1.9076034e-9,  // -0x1.062dd4p-29
];

/// PyTorch's `Softplus(beta, threshold)`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Softplus {
    beta: f32,
    /// `beta = m 2^k`, `m` in `[1, 2)`: `m`.
    m: f32,
    /// `1 / m` rounded (only used to scale a correction term).
    inv_m: f32,
    /// `k` of `beta = m 2^k`.
    k: f32,
    /// The largest `x` with `beta x <= min(threshold, 16)` in `f32`.
    x_last: f32,
    /// Beyond this `|x|` the result is `max(x, 0)`.
    abs_x_max: f32,
    /// `2^-j` (see [`TAIL_SHIFT_MAX`]).
    tail_scale: f32,
    /// [`SHIFTER`] `- j`: `t` minus this is `n + j`, the exponent the tail
    /// coefficient is scaled by (`j` keeps it in the range of `mul_exp2`).
    tail_shifter: f32,
}

/// The tail coefficient `-1/2` at entry 0 (`log1p(E) = E (1 - E/2)`), zero
/// at the other entries.
const TAIL: [f32; 16] = [
    -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
];

impl Softplus {
    /// Validates the parameters: `beta` finite and `> 0`, `threshold` not NaN.
    pub(crate) fn new(beta: f32, threshold: f32) -> Result<Softplus, Error> {
        if !(beta.is_finite() && beta > 0.0) {
            return Err(Error::InvalidParameter {
                function: "softplus",
                parameter: "beta",
                value: beta,
                requirement: "finite and > 0",
            });
        }
        if threshold.is_nan() {
            return Err(Error::InvalidParameter {
                function: "softplus",
                parameter: "threshold",
                value: threshold,
                requirement: "a number (not NaN)",
            });
        }
        let b = f64::from(beta);
        // `beta = m 2^k` from the bits of `b` (f64: `beta` may be subnormal).
        let exponent_bits = b.to_bits() & (0x7ff << 52);
        let k = f64::from((exponent_bits >> 52) as i32 - 1023);
        let m = b / f64::from_bits(exponent_bits);
        // n >= k - SCALE_FLOOR covers every non-zero result; the tail
        // coefficient is scaled by 2^(n + j) with n + j >= -TAIL_FLOOR.
        let j = (-k - (TAIL_FLOOR - SCALE_FLOOR)).clamp(0.0, TAIL_SHIFT_MAX);
        let abs_b_max = (SCALE_FLOOR - k).min(TAIL_FLOOR + j) * std::f64::consts::LN_2;
        let abs_x_max = (abs_b_max / b).min(f64::from(f32::MAX));
        Ok(Softplus {
            beta,
            m: m as f32,
            inv_m: (1.0 / m) as f32,
            k: k as f32,
            x_last: last_at_most(beta, threshold.min(IDENTITY_ABOVE)),
            abs_x_max: abs_x_max as f32,
            tail_scale: (-j).exp2() as f32,
            tail_shifter: SHIFTER - j as f32,
        })
    }
}

/// The largest `f32` `x` with `beta * x <= t` in `f32` arithmetic (`-inf` if
/// there is none), so that `x > x_last` exactly when `beta * x > t`: the
/// rounded product is monotonic in `x`.
fn last_at_most(beta: f32, t: f32) -> f32 {
    if t == f32::NEG_INFINITY {
        return f32::NEG_INFINITY;
    }
    let mut x = (f64::from(t) / f64::from(beta)) as f32;
    while beta * x > t {
        x = x.next_down();
    }
    while x < f32::MAX && beta * x.next_up() <= t {
        x = x.next_up();
    }
    x
}

impl Kernel for Softplus {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let zero = s.splat(0.0);
        let beta = s.splat(self.beta);
        let ax = s.abs(x);
        let far = s.gt(ax, s.splat(self.abs_x_max));
        let ax = s.select(far, zero, ax);
        // beta |x| = nb - e exactly.
        let nb = s.mul(beta, ax);
        let e = s.neg_mul_add(beta, ax, nb);
        // -|beta x| = n ln2 - (v - c).
        let PowerOfTwo { t, n, v, c, idx } = PowerOfTwo::reduce(s, nb, e);
        let mut h = s.lookup16(&SOFTPLUS_POLY[0], idx);
        for row in &SOFTPLUS_POLY[1..6] {
            h = s.mul_add(h, v, s.lookup16(row, idx));
        }
        let c0 = s.lookup16(&SOFTPLUS_POLY[6], idx);
        let q = s.mul_add(h, v, c0);
        // The exact error of q (c0 - q is exact) and the low part of c0, then
        // (c - E/2) q: the reduction's remainder and, in the tail,
        // log1p(E) = E (1 - E/2) with E/2 = 2^(n-1) q.
        let q_lo = s.mul_add(h, v, s.sub(c0, q));
        let n_tail = s.sub(t, s.splat(self.tail_shifter));
        let tail = s.mul(s.lookup16(&TAIL, idx), s.splat(self.tail_scale));
        let kappa = s.mul_exp2(tail, n_tail);
        let d = s.mul_add(kappa, q, c);
        let lo = s.mul_add(d, q, s.add(q_lo, s.lookup16(&SOFTPLUS_C0_LO, idx)));
        // w = (q + lo) / m rounded once: the quotient of the high part, its
        // exact remainder, and the rest divided roughly (it is a correction).
        let m = s.splat(self.m);
        let w0 = s.div(q, m);
        let rem = s.add(s.neg_mul_add(w0, m, q), lo);
        let w = s.mul_add(rem, s.splat(self.inv_m), w0);
        let r = s.mul_exp2(w, s.sub(n, s.splat(self.k)));
        // Far out, the result is max(x, 0).
        let r = s.select(far, zero, r);
        // max(x, 0): clear x where its sign bit is set.
        let x_pos = s.and_not(x, s.from_bits(s.shr::<31>(s.to_bits(x))));
        let y = s.add(x_pos, r);
        s.select(s.gt(x, s.splat(self.x_last)), x, y)
    }
}
