//! Float64 references in numerically stable form, and the ULP error measure.
//!
//! These are what the crate's accuracy claims are measured against (tests, the
//! `verify` command and the README tables). They are slow, scalar and use
//! `libm`'s double-precision functions; they are not on any hot path.
//!
//! The error of a result `y` against a reference `r` is `|y - r| / ulp(r)` with
//! `ulp(r) = 2^(max(floor(log2 |r|), -126) - 23)`: the spacing of `f32` values
//! around `r`, with subnormal spacing below the normal range.

use crate::Activation;
use crate::reference;
use crate::table::{activation_table, variant};

/// `sqrt(2/pi)`, the constant of the tanh approximation of GELU.
const SQRT_2_OVER_PI: f64 = 0.797_884_560_802_865_4;
/// The cubic coefficient of the tanh approximation of GELU.
const GELU_TANH_CUBIC: f64 = 0.044_715;

/// The spacing of `f32` values at `r` (see the module docs).
pub fn ulp(r: f64) -> f64 {
    let r = r.abs();
    let e = if r == 0.0 || !r.is_finite() {
        -126
    } else {
        (r.log2().floor() as i32).clamp(-126, 127)
    };
    // `log2` can land one off at exact powers of two; fix it up exactly.
    let mut e = e;
    if r.is_finite() && r != 0.0 {
        while e > -126 && 2f64.powi(e) > r {
            e -= 1;
        }
        while e < 127 && 2f64.powi(e + 1) <= r {
            e += 1;
        }
    }
    2f64.powi(e - 23)
}

/// The error of `y` against the reference `r`, in units of `ulp(r)`.
///
/// Both NaN: 0. One NaN: infinite. An infinite `y` is exact when `r` rounds to
/// the same infinity in `f32`, and infinitely wrong otherwise.
pub fn ulp_error(y: f32, r: f64) -> f64 {
    if y.is_nan() || r.is_nan() {
        return if y.is_nan() && r.is_nan() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    if y.is_infinite() || (r as f32).is_infinite() {
        return if y == r as f32 { 0.0 } else { f64::INFINITY };
    }
    (f64::from(y) - r).abs() / ulp(r)
}

/// `1 / (1 + e^-x)`, as `e / (1 + e)` with `e = e^-|x|`, reflected for `x > 0`.
pub fn sigmoid(x: f64) -> f64 {
    let e = libm::exp(-x.abs());
    if x > 0.0 {
        1.0 / (1.0 + e)
    } else {
        e / (1.0 + e)
    }
}

/// `x * sigmoid(x)`.
pub fn silu(x: f64) -> f64 {
    if x == f64::NEG_INFINITY {
        return -0.0;
    }
    x * sigmoid(x)
}

/// `x * Phi(x) = 0.5 x erfc(-x / sqrt 2)`.
pub fn gelu(x: f64) -> f64 {
    if x == f64::NEG_INFINITY {
        return -0.0;
    }
    0.5 * x * libm::erfc(-x * core::f64::consts::FRAC_1_SQRT_2)
}

/// `0.5 x (1 + tanh(u))` with `u = sqrt(2/pi) (x + 0.044715 x^3)`, evaluated
/// as `x * sigmoid(2u)`.
pub fn gelu_tanh(x: f64) -> f64 {
    if x == f64::NEG_INFINITY {
        return -0.0;
    }
    let u = SQRT_2_OVER_PI * (x + GELU_TANH_CUBIC * x * x * x);
    x * sigmoid(2.0 * u)
}

/// `x tanh(softplus(x))`; for `x <= 0` as `x n / (n + 2)` with
/// `n = e^x (e^x + 2)`.
pub fn mish(x: f64) -> f64 {
    if x == f64::NEG_INFINITY {
        return -0.0;
    }
    if x <= 0.0 {
        let e = libm::exp(x);
        let n = e * (e + 2.0);
        x * n / (n + 2.0)
    } else {
        x * libm::tanh(x + libm::log1p(libm::exp(-x)))
    }
}

/// PyTorch's `Softplus(beta, threshold)`: `x` where `beta x > threshold`, else
/// `log1p(e^(beta x)) / beta`, evaluated as `(max(b, 0) + log1p(e^-|b|)) / beta`
/// with `b = beta x`.
///
/// The branch is decided on `beta * x` rounded to `f32`, as the kernels (and
/// PyTorch) decide it; the value is computed from the exact product.
pub fn softplus(x: f32, beta: f32, threshold: f32) -> f64 {
    if beta * x > threshold {
        return f64::from(x);
    }
    let b = f64::from(beta) * f64::from(x);
    (b.max(0.0) + libm::log1p(libm::exp(-b.abs()))) / f64::from(beta)
}

/// SELU's `alpha`.
pub const SELU_ALPHA: f64 = 1.673_263_242_354_377_3;
/// SELU's `scale`.
pub const SELU_SCALE: f64 = 1.050_700_987_355_480_5;

/// `x` for `x > 0`, else `alpha (e^x - 1)`.
pub fn elu(x: f64, alpha: f64) -> f64 {
    if x > 0.0 { x } else { alpha * libm::expm1(x) }
}

/// `scale elu(x; alpha)` with SELU's constants.
pub fn selu(x: f64) -> f64 {
    if x > 0.0 {
        SELU_SCALE * x
    } else {
        SELU_SCALE * SELU_ALPHA * libm::expm1(x)
    }
}

/// `x` for `x > 0`, else `alpha (e^(x/alpha) - 1)`.
pub fn celu(x: f64, alpha: f64) -> f64 {
    if x > 0.0 {
        x
    } else {
        alpha * libm::expm1(x / alpha)
    }
}

/// `min(max(x, lo), hi)`.
pub fn hardtanh(x: f64, lo: f64, hi: f64) -> f64 {
    x.max(lo).min(hi)
}

/// `relu6(x + 3) / 6`, with `x + 3` exact (as the kernel decides the clamps
/// on `x`).
pub fn hardsigmoid(x: f64) -> f64 {
    if x <= -3.0 {
        0.0
    } else if x >= 3.0 {
        1.0
    } else {
        (x + 3.0) / 6.0
    }
}

/// `x relu6(x + 3) / 6`.
pub fn hardswish(x: f64) -> f64 {
    if x <= -3.0 {
        -0.0
    } else if x >= 3.0 {
        x
    } else {
        x * (x + 3.0) / 6.0
    }
}

/// `x / (1 + |x|)`.
pub fn softsign(x: f64) -> f64 {
    if x.is_infinite() {
        return x.signum();
    }
    x / (1.0 + x.abs())
}

/// `x` for `x > 0`, else `slope x` (the limit `0` where that is `-inf * 0`).
pub fn leaky_relu(x: f64, slope: f64) -> f64 {
    if x > 0.0 {
        x
    } else if slope == 0.0 {
        0.0
    } else {
        slope * x
    }
}

/// The Heaviside step with `at_zero` at zero.
pub fn step(x: f64, at_zero: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        0.0
    } else {
        at_zero
    }
}

/// Softmax of one row in float64: `e^(x_i - m) / sum_j e^(x_j - m)` with `m`
/// the row's max, summed in float64. Rows with NaN give NaN; `+inf` entries
/// share the mass equally (`1/k` each, `0` elsewhere); a row of only `-inf`
/// gives `1 / len` everywhere (see the README).
pub fn softmax(x: &[f32]) -> Vec<f64> {
    match row_kind(x) {
        RowKind::Nan => vec![f64::NAN; x.len()],
        RowKind::PosInf(k) => x
            .iter()
            .map(|&v| {
                if v == f32::INFINITY {
                    1.0 / k as f64
                } else {
                    0.0
                }
            })
            .collect(),
        RowKind::AllNegInf => vec![1.0 / x.len() as f64; x.len()],
        RowKind::Finite(m) => {
            let e: Vec<f64> = x.iter().map(|&v| libm::exp(f64::from(v) - m)).collect();
            let sum: f64 = e.iter().sum();
            e.iter().map(|v| v / sum).collect()
        }
    }
}

/// Log-softmax of one row in float64: `(x_i - m) - ln(sum_j e^(x_j - m))`,
/// with `ln` of the sum taken as `log1p` of the sum minus the count of
/// maxima, so that rows dominated by their max keep relative accuracy. Special
/// rows as [`softmax`] (`ln 0 = -inf`).
pub fn log_softmax(x: &[f32]) -> Vec<f64> {
    match row_kind(x) {
        RowKind::Nan => vec![f64::NAN; x.len()],
        RowKind::PosInf(k) => x
            .iter()
            .map(|&v| {
                if v == f32::INFINITY {
                    -libm::log(k as f64)
                } else {
                    f64::NEG_INFINITY
                }
            })
            .collect(),
        RowKind::AllNegInf => vec![-libm::log(x.len() as f64); x.len()],
        RowKind::Finite(m) => {
            let maxima = x.iter().filter(|&&v| f64::from(v) == m).count();
            let rest: f64 = x
                .iter()
                .filter(|&&v| f64::from(v) != m)
                .map(|&v| libm::exp(f64::from(v) - m))
                .sum();
            let ln_sum = libm::log1p((maxima - 1) as f64 + rest);
            x.iter().map(|&v| (f64::from(v) - m) - ln_sum).collect()
        }
    }
}

enum RowKind {
    Nan,
    PosInf(usize),
    AllNegInf,
    Finite(f64),
}

fn row_kind(x: &[f32]) -> RowKind {
    if x.iter().any(|v| v.is_nan()) {
        return RowKind::Nan;
    }
    let k = x.iter().filter(|&&v| v == f32::INFINITY).count();
    if k > 0 {
        return RowKind::PosInf(k);
    }
    let m = x
        .iter()
        .fold(f32::NEG_INFINITY, |m, &v| if v > m { v } else { m });
    if m == f32::NEG_INFINITY {
        RowKind::AllNegInf
    } else {
        RowKind::Finite(f64::from(m))
    }
}

/// Declares, from the rows of the table, the reference of each function,
/// its naive loop and the parameter sets the tests run with their digests.
macro_rules! declare_references {
    ($([$name:ident $inplace:ident $variant:ident ($({ $($param:ident $default:literal $pdoc:tt)+ })?) $docs:tt $bound:literal $measured:literal $kernel:tt $limits:tt $range:tt $in_place:tt (|$rx:ident| $reference:expr) (|$nx:ident| $naive:expr) ($( ($($cp:ident $cv:literal)*) $digest:literal )+) $aliases:tt])*) => {
        /// The float64 reference value of `activation` at `x`.
        pub fn eval(activation: Activation, x: f32) -> f64 {
            match activation {
                $( Activation::$variant $({ $($param),+ })? => {
                    let $rx = x;
                    $reference
                } )*
            }
        }

        /// The loop a user without this crate would write for `activation`
        /// (the standard library's `f32` functions, and `libm` for `erf`):
        /// what the measurements compare with.
        ///
        /// # Panics
        /// If `x.len() != y.len()`.
        pub fn naive(activation: Activation, x: &[f32], y: &mut [f32]) {
            assert_eq!(x.len(), y.len(), "naive: x and y must have the same length");
            match activation {
                $( Activation::$variant $({ $($param),+ })? => {
                    for (yi, &$nx) in y.iter_mut().zip(x) {
                        *yi = $naive;
                    }
                } )*
            }
        }

        /// Every parameter set the tests run each function with (PyTorch's
        /// defaults first), with the committed digest of its output bits
        /// over the digest inputs (`tests/digests.rs`).
        pub fn cases() -> Vec<(Activation, u64)> {
            vec![$($( (variant!($variant $($cp $cv)*), $digest), )+)*]
        }
    };
}

activation_table!(declare_references);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ulp_matches_f32_spacing() {
        for &v in &[1.0f32, 1.5, 0.75, 3.0e-39, 1.0e-45, 1.0e30, f32::MAX] {
            let next = f32::from_bits(v.to_bits() + 1);
            let spacing = f64::from(next) - f64::from(v);
            if v != f32::MAX {
                assert_eq!(ulp(f64::from(v)), spacing, "{v}");
            }
        }
        assert_eq!(ulp(0.0), 2f64.powi(-149));
        assert_eq!(ulp(1.0 - 1e-12), 2f64.powi(-24));
    }

    #[test]
    fn ulp_error_counts_spacings() {
        let r = 1.0f64;
        let y = f32::from_bits(1.0f32.to_bits() + 2);
        assert_eq!(ulp_error(y, r), 2.0);
        assert_eq!(ulp_error(f32::INFINITY, 1e300), 0.0);
        assert_eq!(ulp_error(f32::INFINITY, 1.0), f64::INFINITY);
        assert_eq!(ulp_error(f32::NAN, f64::NAN), 0.0);
    }
}
