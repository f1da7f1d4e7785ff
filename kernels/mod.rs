//! The kernels: one file per function, each written once against the
//! [`Simd`] primitives and instantiated per instruction set.
//!
//! A kernel maps one vector of inputs to one vector of outputs. It may assume
//! nothing about NaN inputs: the driver replaces the result for NaN lanes by the
//! quieted input (see `driver::eval`), so kernels only have to keep NaN lanes
//! from disturbing other lanes (they cannot: every primitive is lane-wise).

use crate::Error;
use crate::simd::Simd;

pub(crate) mod elu;
pub(crate) mod erf;
pub(crate) mod exp;
pub(crate) mod expm1;
pub(crate) mod gelu;
pub(crate) mod gelu_quick;
pub(crate) mod gelu_tanh;
pub(crate) mod hardsigmoid;
pub(crate) mod mish;
pub(crate) mod relu;
pub(crate) mod sigmoid;
pub(crate) mod softmax;
pub(crate) mod softplus;
pub(crate) mod softsign;
pub(crate) mod step;
pub(crate) mod tanh;

/// The bound of the short forms ([`Kernel::apply_short`] of `exp`, `sigmoid`,
/// `silu`, `mish` and `softplus` at `beta = 1`): `e^-80` (`2^-115.4`) is a
/// normal `f32`, as is `80 e^-80`, so within `|x| <= 80` a kernel built on
/// `e^-|x| = m 2^n` can apply `2^n` first, exactly, with one product
/// ([`Pow2::scale_normal`](exp::Pow2::scale_normal)), and nothing after
/// (`exp`, `sigmoid` and `softplus` apply it where their general forms do, by
/// that one product, which rounds as their general scalings round: their two
/// forms are the same operations but for the clamps, `softplus`'s floor of `n`
/// and the scalings). For `silu` and `mish`, the value ([`Kernel::apply`]) is
/// the short form's within the bound and the general form's beyond: the two
/// compute the same quantities `2^n` apart, but some of them may round
/// differently where they are subnormal at the short form's scale, so each
/// lane takes the form the bound names, on every path. `apply` does so without
/// a branch: the general form, with the short form's scale within the bound
/// (`silu`: the quotient of `E` itself and a last scaling by `2^0`, exact;
/// `mish`: `x u` from `u` itself and no last scaling), which are then the
/// short form's operations.
pub(crate) const SHORT_BOUND: f32 = 80.0;

/// `1.5 * 2^23` (`0x1.800000p+23`): adding it to a float of magnitude below
/// `2^22` rounds that to an integer (ties to even), left in the low mantissa
/// bits, where `lookup16` reads the low four as a table index.
pub(crate) const SHIFTER: f32 = 12_582_912.0;

/// An elementwise function on vectors of `f32`.
pub(crate) trait Kernel: Copy {
    /// Whether the driver's main loop takes four vectors per iteration
    /// where the path's [`Simd::UNROLL`] is two (AVX2): for a kernel whose
    /// chain of dependent operations is long enough that more vectors in
    /// flight outweigh the registers they spill.
    const WIDE: bool = false;
    /// Whether a call whose output does not fit in the caches stores it past
    /// them (see `driver::stream_wanted`): for a kernel of a few operations,
    /// bound by memory on every path. Streaming saves a third of the bytes a
    /// one-input loop moves, but it slowed the kernels bound by arithmetic
    /// (0.87 to 0.95 of plain stores at 16 Mi on Zen 4), and the cheapest of
    /// them gained on AVX-512 only; the README's Throughput section gives
    /// the figures.
    const STREAM: bool = false;

    /// The function on one vector.
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F;

    /// The bound of the kernel's short form ([`Kernel::apply_short`]), or
    /// `None` (the default) where it has none.
    const SHORT_MAX: Option<f32> = None;

    /// Whether the short form saves only the general form's wider scalings
    /// by `2^n`, a clamp of `|x|` and a floor of `n`, which AVX-512 takes in
    /// as many instructions but the floor's `max` (each scaling one
    /// `vscalefps` either way, [`Simd::NATIVE_SCALING`]): the driver's main
    /// loop then takes it on the other paths only, since there it gains too
    /// little to repay its test per iteration. `sigmoid`'s and `softplus`'s
    /// (at `beta = 1`) are such forms: on AVX-512 `softplus`'s measured 3 to
    /// 5% slower than its general form, `sigmoid`'s as fast.
    const SHORT_SCALING_ONLY: bool = false;

    /// The kernel's short form: [`Kernel::apply`]'s value, bit for bit,
    /// wherever `|x| <= SHORT_MAX`, for a kernel whose inputs within that
    /// bound take fewer operations than its whole range (`exp`, `sigmoid`,
    /// `silu`, `mish` and `softplus` at `beta = 1` within `|x| <= 80`, see
    /// [`SHORT_BOUND`]; `gelu_quick` within 48). The driver's main loop takes
    /// it for an iteration whose every input is within the bound, with one
    /// test for the iteration (the largest `|x|`, NaN above every number,
    /// against the bound) in place of the NaN rule's, and `apply` with the NaN
    /// rule for the others; on every path but the scalar one
    /// ([`Simd::SHORT_FORMS`]), which takes `apply` everywhere, and for a
    /// [`Kernel::SHORT_SCALING_ONLY`] form not on AVX-512 either.
    #[inline(always)]
    fn apply_short<S: Simd>(self, s: S, x: S::F) -> S::F {
        self.apply(s, x)
    }

    /// `apply(x) * up`, for the gated units: by default the result times
    /// `up`, rounded once more. A kernel that has its value before the last
    /// rounding in hand (or a form of its own for the product, as `gelu`
    /// near zero) may round the product from that instead, so that the
    /// activation's last rounding does not reach the product (and give the
    /// default's bits on the lanes it sets aside, such as a zero, infinite
    /// or NaN `x` or `up`).
    #[inline(always)]
    fn apply_times<S: Simd>(self, s: S, x: S::F, up: S::F) -> S::F {
        s.mul(self.apply(s, x), up)
    }

    /// [`Kernel::apply_times`] for the driver's main loop, where one test
    /// per iteration costs less than one per vector: a value and the lanes
    /// where it is `apply_times`'s value, neither input nor the value being
    /// NaN there. The other lanes are set aside: the driver computes an
    /// iteration holding one again with `apply_times` (and its NaN rule).
    /// `None` (the default) where the kernel has no such form: the driver
    /// then calls `apply_times` on every vector and applies the NaN rule
    /// as for any two-input function.
    #[inline(always)]
    fn apply_times_fast<S: Simd>(self, _s: S, _x: S::F, _up: S::F) -> Option<(S::F, S::M)> {
        None
    }
}

/// Something to do with a kernel, whatever its type: run it over slices,
/// on a register, or nothing (building it validated the parameters).
pub(crate) trait KernelUse {
    /// What the use returns.
    type Output;
    /// Uses `kernel`.
    fn with<K: Kernel>(self, kernel: K) -> Self::Output;
}

/// A kernel, or a choice between kernel types made from the parameters
/// (celu's sign of `alpha`): hands the chosen kernel to a [`KernelUse`].
pub(crate) trait KernelChoice {
    /// Hands the kernel to `u`.
    fn hand_to<U: KernelUse>(self, u: U) -> U::Output;
}

impl<K: Kernel> KernelChoice for K {
    #[inline(always)]
    fn hand_to<U: KernelUse>(self, u: U) -> U::Output {
        u.with(self)
    }
}

/// An elementwise function of two inputs on vectors of `f32`.
pub(crate) trait TwoInputKernel: Copy {
    /// As [`Kernel::WIDE`].
    const WIDE: bool = false;
    /// As [`Kernel::STREAM`].
    const STREAM: bool = false;

    /// The function on one vector of each input.
    fn apply<S: Simd>(self, s: S, x: S::F, t: S::F) -> S::F;

    /// A value and the lanes where it is the function's value, with the
    /// NaN rule applied (no input and no value NaN there), or `None` (the
    /// default); see [`Kernel::apply_times_fast`].
    #[inline(always)]
    fn apply_fast<S: Simd>(self, _s: S, _x: S::F, _t: S::F) -> Option<(S::F, S::M)> {
        None
    }
}

/// `value` if it is finite, else the error naming the parameter.
pub(crate) fn finite(
    function: &'static str,
    parameter: &'static str,
    value: f32,
) -> Result<f32, Error> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::InvalidParameter {
            function,
            parameter,
            value,
            requirement: "finite",
        })
    }
}

/// Evaluates the polynomial with coefficients `c` (highest degree first) at
/// `x` by Horner's rule with fused multiply-adds.
#[inline(always)]
pub(crate) fn horner<S: Simd, const N: usize>(s: S, x: S::F, c: [f32; N]) -> S::F {
    let mut acc = s.splat(c[0]);
    for &ci in &c[1..] {
        acc = s.mul_add(acc, x, s.splat(ci));
    }
    acc
}

/// `a + b = sum + err` exactly (TwoSum, whatever the magnitudes): `sum`
/// rounded, `err` its rounding error, in six operations.
#[inline(always)]
pub(crate) fn two_sum<S: Simd>(s: S, a: S::F, b: S::F) -> (S::F, S::F) {
    let sum = s.add(a, b);
    let bb = s.sub(sum, a);
    (sum, s.add(s.sub(a, s.sub(sum, bb)), s.sub(b, bb)))
}

/// `1/d` (or `-1/d` for `NEG`) within 5.1% (relative) for every positive
/// normal `d` below `2^125`: the float whose bits are `RECIP_MAGIC - bits(d)`,
/// the exponent negated and the mantissa's reciprocal taken linearly (the
/// constant balances the linear form's error over a binade), with the sign
/// bit of the constant for `NEG`, which the subtraction leaves as it is. A
/// correction divided by a rounded denominator needs no more (it is a
/// fraction of an ulp of the result). One integer subtraction, which on
/// Zen 4 issues beside the FMA pipes.
#[inline(always)]
pub(crate) fn recip_rough<S: Simd, const NEG: bool>(s: S, d: S::F) -> S::F {
    /// The constant that minimizes the largest relative error (5.05%).
    const RECIP_MAGIC: u32 = 0x7ef3_11c3;
    let sign = if NEG { 1 << 31 } else { 0 };
    let magic = s.to_bits(s.splat(f32::from_bits(RECIP_MAGIC | sign)));
    s.from_bits(s.sub_i32(magic, s.to_bits(d)))
}

/// The numerator of the correction of a rounded quotient `q = num / d`,
/// where `num + num_lo` and `d + d_lo` are the exact numerator and
/// denominator: `(num - q d) + num_lo - q d_lo`, with `num - q d` exact (one
/// FMA) and two more roundings (one without `num_lo`), far below the result.
/// The correction is that over `d`, which a rough `1/d` serves (it is a
/// fraction of an ulp of `q`).
#[inline(always)]
pub(crate) fn quotient_residual<S: Simd>(
    s: S,
    q: S::F,
    (num, num_lo): (S::F, Option<S::F>),
    (d, d_lo): (S::F, S::F),
) -> S::F {
    let rem = s.neg_mul_add(q, d, num);
    let rem = match num_lo {
        Some(lo) => s.add(rem, lo),
        None => rem,
    };
    s.neg_mul_add(q, d_lo, rem)
}

/// Horner's rule with per-lane coefficients: `tables` (highest degree
/// first) are read at `idx` with [`Simd::lookup8`].
#[inline(always)]
pub(crate) fn lookup_horner<S: Simd, const N: usize>(
    s: S,
    u: S::F,
    idx: S::I,
    tables: [&[f32; 8]; N],
) -> S::F {
    let mut acc = s.lookup8(tables[0], idx);
    for t in &tables[1..] {
        acc = s.mul_add(acc, u, s.lookup8(t, idx));
    }
    acc
}

/// An odd function tabulated in 8 pieces ([`Simd::lookup8`]) over
/// `a = |x|`: per piece a polynomial `P(u)` of degree `N - 1` (highest
/// degree first) and the constant term's two parts.
pub(crate) struct OddPieces<const N: usize> {
    pub(crate) poly: [&'static [f32; 8]; N],
    pub(crate) hi: &'static [f32; 8],
    pub(crate) lo: &'static [f32; 8],
}

impl<const N: usize> OddPieces<N> {
    /// `P(u)` by [`lookup_horner`], then `fma(a, P, a)` where `near` (the
    /// relative form, for pieces near 0) and `HI + fma(u, P, LO)` elsewhere
    /// (the absolute form, with the constant term split in two so only the
    /// final add rounds at full weight; `HI` is 0 in the near pieces), with
    /// `x`'s sign.
    #[inline(always)]
    pub(crate) fn eval<S: Simd>(
        &self,
        s: S,
        x: S::F,
        (a, u): (S::F, S::F),
        idx: S::I,
        near: S::M,
    ) -> S::F {
        let p = lookup_horner(s, u, idx, self.poly);
        let v = s.select(near, a, u);
        let b = s.select(near, a, s.lookup8(self.lo, idx));
        let y = s.add(s.mul_add(v, p, b), s.lookup8(self.hi, idx));
        s.or(y, s.sign_bit(x))
    }
}

/// Checks, on the scalar path, that a kernel's short form gives its value
/// bit for bit within its bound: every 4099th `f32` of `[0, bound]` of
/// either sign (an odd step, so the low bits take every pattern), the
/// bound, its predecessor and the smallest subnormal. The scalar path no
/// longer takes the short form ([`Simd::SHORT_FORMS`]), so this is where
/// the two forms meet on it.
#[cfg(test)]
pub(crate) fn assert_short_form_gives_apply<K: Kernel>(kernel: K) {
    use crate::simd::scalar::Scalar;
    let bound = K::SHORT_MAX.expect("a kernel with a short form");
    let top = bound.to_bits();
    let mut xs: Vec<f32> = (0..=top).step_by(4099).map(f32::from_bits).collect();
    xs.extend([bound, f32::from_bits(top - 1), f32::from_bits(1), 0.0]);
    for x in xs.iter().flat_map(|&v| [v, -v]) {
        let (short, general) = (kernel.apply_short(Scalar, x), kernel.apply(Scalar, x));
        assert_eq!(
            short.to_bits(),
            general.to_bits(),
            "x = {x:e}: {short:e} against {general:e}"
        );
    }
}
