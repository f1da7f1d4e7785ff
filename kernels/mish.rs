//! `mish(x) = x tanh(softplus(x))`.
//!
//! Form: with `E = e^-|x|` in `(0, 1]`, `h = tanh(softplus(x))` is
//! `E (E + 2) / (E^2 + 2E + 2)` for `x <= 0` and `1 - 2E^2 / (2E^2 + 2E + 1)`
//! for `x > 0`; the result is `x h`. On the left `h` is needed to full relative
//! accuracy down to the subnormal range (`h ~ E`), on the right only
//! `1 - h` to absolute accuracy (`h` is in `[0.6, 1]`).
//!
//! Reduction: `-|x| = n ln2 - v`, `n = round(-|x| log2 e)`, `|v| <= ln2/2`;
//! `v = |x| + n LN2_HI` is exact and `c = -n LN2_LO` is applied to first
//! order, as the factor `1 + c`.
//!
//! Approximation: per `n`, both `2^-n h` (left) and `h - 1` (right) are smooth
//! functions of `v`. Two 16-entry tables (`lookup16`, entry `n + 15`; each
//! lane takes its side's coefficients) hold degree-6 polynomials in `v` for
//! `n` in `[-14, 0]`; entry 0 holds `e^-v` on the left, used for every
//! `n <= -15`, where `h = E (1 - E/2)` to `2^-45`, and on the right `h - 1` at
//! `n = -15` (below `2^-28` in size). Left: minimax relative error below `2^-26`,
//! right: absolute error below `2^-27.7` (f64 coefficients), fitted by
//! `cargo run --release --bin fit -- mish_left mish_right`.
//!
//! Rounding: the last Horner step `c0 + v h'` is computed with its exact
//! error, which together with `c q` and the tail term `-2^(n-1) q^2` forms
//! `lo`; left: `mish = (x q + x lo) 2^n`, rounded once ([`Simd::mul_exp2`]
//! after an FMA, so subnormal results are rounded once), right:
//! `mish = x q + (x + x lo)` with `q = h - 1`.
//!
//! Special values: `mish(NaN) = NaN`, `mish(-inf) = -0.0` (`|x|` is clamped
//! to 160, where `mish` is `-0.0` already), `mish(+inf) = +inf` (above 16,
//! `mish(x) = x` in f32), `mish(±0) = ±0`.
//!
//! Measured max error: 1.20 ULP over every `f32` (at `x = -2.3901875`).

use super::Kernel;
use super::softplus::{PowerOfTwo, TAIL};
use crate::simd::Simd;

/// `|x|` is clamped here: below `-160`, `mish` rounds to `-0.0`.
const ABS_X_MAX: f32 = 160.0;
/// Above this, `mish(x) = x` in f32 (`1 - h < 2^-45`).
const IDENTITY_ABOVE: f32 = 16.0;

/// `x <= 0`: `2^-n tanh(softplus(x))` per entry, highest degree first.
const MISH_LEFT: [[f32; 16]; 7] = [
    // v^6
    [
        1.3838903e-3,  // 0x1.6ac74ep-10
        1.4107304e-3,  // 0x1.71d084p-10
        1.4081574e-3,  // 0x1.7123d8p-10
        1.4027365e-3,  // 0x1.6fb80ep-10
        1.3887301e-3,  // 0x1.6c0c1ap-10
        1.3622041e-3,  // 0x1.6517f8p-10
        1.3366705e-3,  // 0x1.5e6670p-10
        1.5083884e-3,  // 0x1.8b6a3cp-10
        1.0342068e-3,  // 0x1.0f1c72p-10
        4.200248e-4,   // 0x1.b86d8cp-12
        7.7783625e-5,  // 0x1.463f88p-14
        -1.1716617e-3, // -0x1.3324e2p-10
        -3.0282552e-3, // -0x1.8ceb62p-9
        -1.4576572e-3, // -0x1.7e1db8p-10
        3.008198e-3,   // 0x1.8a4a60p-9
        2.7598694e-2,  // 0x1.c42d50p-6
    ],
    // v^5
    [
        -8.3691925e-3, // -0x1.123de0p-7
        -8.372377e-3,  // -0x1.125896p-7
        -8.364054e-3,  // -0x1.1212c6p-7
        -8.347397e-3,  // -0x1.11870ap-7
        -8.315036e-3,  // -0x1.107794p-7
        -8.247657e-3,  // -0x1.0e425cp-7
        -8.111137e-3,  // -0x1.09c926p-7
        -7.862711e-3,  // -0x1.01a534p-7
        -7.3112454e-3, // -0x1.df2658p-8
        -6.2318738e-3, // -0x1.98697ep-8
        -4.1925833e-3, // -0x1.12c3e0p-8
        -3.245703e-4,  // -0x1.54562ep-12
        5.682653e-3,   // 0x1.746b18p-8
        9.7383745e-3,  // 0x1.3f1b68p-7
        1.5025701e-3,  // 0x1.89e3c6p-10
        -3.5109837e-2, // -0x1.1f9eaap-5
    ],
    // v^4
    [
        4.1668102e-2,  // 0x1.555858p-5
        4.1643467e-2,  // 0x1.5524aep-5
        4.1623104e-2,  // 0x1.54f9fap-5
        4.15824e-2,    // 0x1.54a49ep-5
        4.1501354e-2,  // 0x1.53faa6p-5
        4.133859e-2,   // 0x1.52a54ep-5
        4.100918e-2,   // 0x1.4ff27cp-5
        4.0312335e-2,  // 0x1.4a3d18p-5
        3.9065283e-2,  // 0x1.4005d6p-5
        3.651837e-2,   // 0x1.2b2892p-5
        3.1315915e-2,  // 0x1.008a3cp-5
        2.1397226e-2,  // 0x1.5e9278p-6
        3.9183795e-3,  // 0x1.00cb80p-8
        -1.9296385e-2, // -0x1.3c26e8p-6
        -2.6202451e-2, // -0x1.ad4d0cp-6
        1.0287498e-2,  // 0x1.5119cap-7
    ],
    // v^3
    [
        -1.6666517e-1, // -0x1.55548cp-3
        -1.666227e-1,  // -0x1.553e48p-3
        -1.6658202e-1, // -0x1.5528f4p-3
        -1.6650066e-1, // -0x1.54fe4cp-3
        -1.6633785e-1, // -0x1.54a8f0p-3
        -1.6601244e-1, // -0x1.53fe54p-3
        -1.65362e-1,   // -0x1.52a950p-3
        -1.6405784e-1, // -0x1.4ffd8ep-3
        -1.6145872e-1, // -0x1.4aaadep-3
        -1.5626359e-1, // -0x1.400720p-3
        -1.4591157e-1, // -0x1.2ad3b0p-3
        -1.2558283e-1, // -0x1.013192p-3
        -8.7419964e-2, // -0x1.66127ap-4
        -2.5479231e-2, // -0x1.a173a4p-6
        3.9229713e-2,  // 0x1.415eacp-5
        4.3934163e-2,  // 0x1.67e89ep-5
    ],
    // v^2
    [
        4.9999994e-1,  // 0x1.fffffcp-2
        4.9993902e-1,  // 0x1.fff004p-2
        4.99878e-1,    // 0x1.ffe004p-2
        4.9975592e-1,  // 0x1.ffc004p-2
        4.9951178e-1,  // 0x1.ff8004p-2
        4.9902353e-1,  // 0x1.ff0006p-2
        4.980472e-1,   // 0x1.fe0016p-2
        4.960962e-1,   // 0x1.fc00a4p-2
        4.9218836e-1,  // 0x1.f8003ap-2
        4.843802e-1,   // 0x1.f0015cp-2
        4.6880862e-1,  // 0x1.e00f5ep-2
        4.379426e-1,   // 0x1.c07406p-2
        3.782069e-1,   // 0x1.8348acp-2
        2.7115166e-1,  // 0x1.15a8c8p-2
        1.16520375e-1, // 0x1.dd4478p-4
        -1.5840854e-2, // -0x1.03895cp-6
    ],
    // v^1
    [
        -1e0,          // -0x1.000000p+0
        -9.99939e-1,   // -0x1.fff802p-1
        -9.99878e-1,   // -0x1.fff002p-1
        -9.997559e-1,  // -0x1.ffe002p-1
        -9.995118e-1,  // -0x1.ffc002p-1
        -9.990235e-1,  // -0x1.ff8002p-1
        -9.9804693e-1, // -0x1.ff0002p-1
        -9.960939e-1,  // -0x1.fe0006p-1
        -9.92188e-1,   // -0x1.fc0010p-1
        -9.8437864e-1, // -0x1.f8007ap-1
        -9.687793e-1,  // -0x1.f003d8p-1
        -9.3772566e-1, // -0x1.e01d94p-1
        -8.766703e-1,  // -0x1.c0daeep-1
        -7.6145166e-1, // -0x1.85dcfep-1
        -5.680476e-1,  // -0x1.22d722p-1
        -3.2000482e-1, // -0x1.47af58p-2
    ],
    // v^0
    [
        1e0,          // 0x1.000000p+0
        9.999695e-1,  // 0x1.fffc00p-1
        9.9993896e-1, // 0x1.fff800p-1
        9.998779e-1,  // 0x1.fff000p-1
        9.9975586e-1, // 0x1.ffe000p-1
        9.995117e-1,  // 0x1.ffc000p-1
        9.9902344e-1, // 0x1.ff8000p-1
        9.980469e-1,  // 0x1.ff0000p-1
        9.9609387e-1, // 0x1.fe0004p-1
        9.9218845e-1, // 0x1.fc0020p-1
        9.843824e-1,  // 0x1.f800f8p-1
        9.6880734e-1, // 0x1.f00784p-1
        9.3793106e-1, // 0x1.e03880p-1
        8.780488e-1,  // 0x1.c18f9cp-1
        7.692308e-1,  // 0x1.89d89ep-1
        6e-1,         // 0x1.333334p-1
    ],
];
/// `x > 0`: `tanh(softplus(x)) - 1` per entry, highest degree first.
const MISH_RIGHT: [[f32; 16]; 7] = [
    // v^6
    [
        -1.675972e-10, // -0x1.708cd6p-33
        -6.704791e-10, // -0x1.70998cp-31
        -2.7025333e-9, // -0x1.736ef0p-29
        -1.0672337e-8, // -0x1.6eb2dep-27
        -4.244575e-8,  // -0x1.6c9b30p-25
        -1.6785025e-7, // -0x1.6874a6p-23
        -6.5494197e-7, // -0x1.5f9e8ap-21
        -2.5038003e-6, // -0x1.500decp-19
        -9.042806e-6,  // -0x1.2f6d1cp-17
        -2.9566268e-5, // -0x1.f00a28p-16
        -7.064958e-5,  // -0x1.285368p-14
        -2.762491e-5,  // -0x1.cf7816p-16
        6.5472367e-4,  // 0x1.574386p-11
        9.3311974e-4,  // 0x1.e93936p-11
        -2.9750573e-3, // -0x1.85f25cp-9
        -7.6007117e-3, // -0x1.f21ec8p-8
    ],
    // v^5
    [
        5.0668136e-10, // 0x1.168d10p-31
        2.0256496e-9,  // 0x1.166736p-29
        8.093937e-9,   // 0x1.161b06p-27
        3.2320038e-8,  // 0x1.15a084p-25
        1.2877645e-7,  // 0x1.148b9ap-23
        5.1116155e-7,  // 0x1.126d82p-21
        2.0138953e-6,  // 0x1.0e4ceap-19
        7.808164e-6,   // 0x1.05ff9ep-17
        2.9317516e-5,  // 0x1.ebddc6p-16
        1.02716294e-4, // 0x1.aed2c8p-14
        3.075976e-4,   // 0x1.428a1ap-12
        5.9286185e-4,  // 0x1.36d492p-11
        -3.5599282e-4, // -0x1.754918p-12
        -4.4790674e-3, // -0x1.258a48p-8
        -2.3391005e-4, // -0x1.ea8b80p-13
        1.5711276e-2,  // 0x1.0169dep-6
    ],
    // v^4
    [
        -1.2412829e-9, // -0x1.553384p-30
        -4.96343e-9,   // -0x1.551596p-28
        -1.9837763e-8, // -0x1.54cf68p-26
        -7.927115e-8,  // -0x1.54778ep-24
        -3.163006e-7,  // -0x1.53a00cp-22
        -1.2589475e-6, // -0x1.51f236p-20
        -4.9860687e-6, // -0x1.4e9c02p-18
        -1.954933e-5,  // -0x1.47fbbcp-16
        -7.51067e-5,   // -0x1.3b0534p-14
        -2.765363e-4,  // -0x1.21f826p-12
        -9.3050726e-4, // -0x1.e7da92p-11
        -2.543067e-3,  // -0x1.4d532cp-9
        -3.8483008e-3, // -0x1.f8678cp-9
        4.0693786e-3,  // 0x1.0ab0d8p-8
        1.7928597e-2,  // 0x1.25bdfcp-6
        -3.3389826e-3, // -0x1.b5a5aap-9
    ],
    // v^3
    [
        2.4823847e-9,  // 0x1.552d26p-29
        9.927527e-9,   // 0x1.551b74p-27
        3.969388e-8,   // 0x1.54f7c4p-25
        1.5864373e-7,  // 0x1.54af50p-23
        6.3353195e-7,  // 0x1.541ff8p-21
        2.5257887e-6,  // 0x1.530170p-19
        1.0036617e-5,  // 0x1.50c5e2p-17
        3.961821e-5,   // 0x1.4c5776p-15
        1.5430502e-4,  // 0x1.4399e0p-13
        5.848332e-4,   // 0x1.329efcp-11
        2.095185e-3,   // 0x1.129ebep-9
        6.6597587e-3,  // 0x1.b47436p-8
        1.618996e-2,   // 0x1.09419ep-6
        1.9437367e-2,  // 0x1.3e763ap-6
        -1.4406335e-2, // -0x1.d81118p-7
        -4.5342855e-2, // -0x1.7372dcp-5
    ],
    // v^2
    [
        -3.7247798e-9, // -0x1.ffee0ap-29
        -1.4897081e-8, // -0x1.ffdc1cp-27
        -5.957209e-8,  // -0x1.ffb86ap-25
        -2.3815679e-7, // -0x1.ff7014p-23
        -9.515808e-7,  // -0x1.fee044p-21
        -3.797963e-6,  // -0x1.fdc104p-19
        -1.5125145e-5, // -0x1.fb8402p-17
        -5.9969723e-5, // -0x1.f71000p-15
        -2.3567642e-4, // -0x1.ee3fd0p-13
        -9.09804e-4,   // -0x1.dcffd4p-11
        -3.3873252e-3, // -0x1.bbfbc6p-9
        -1.1711514e-2, // -0x1.7fc34cp-7
        -3.4764268e-2, // -0x1.1cc9f4p-5
        -7.555712e-2,  // -0x1.357b62p-4
        -8.799941e-2,  // -0x1.687212p-4
        -1.6042149e-2, // -0x1.06d5a6p-6
    ],
    // v^1
    [
        3.724959e-9,  // 0x1.fff458p-29
        1.4898471e-8, // 0x1.ffe856p-27
        5.958297e-8,  // 0x1.ffd056p-25
        2.3824464e-7, // 0x1.ffa060p-23
        9.522807e-7,  // 0x1.ff4076p-21
        3.8035455e-6, // 0x1.fe80d4p-19
        1.5169652e-5, // 0x1.fd0252p-17
        6.0323764e-5, // 0x1.fa084cp-15
        2.3847866e-4, // 0x1.f42042p-13
        9.317404e-4,  // 0x1.e88014p-11
        3.555258e-3,  // 0x1.d1feaap-9
        1.2936969e-2, // 0x1.a7eb2ap-7
        4.2831596e-2, // 0x1.5ee05ep-5
        1.1834331e-1, // 0x1.e4bbf4p-4
        2.400001e-1,  // 0x1.eb852cp-3
        3.2000124e-1, // 0x1.47ae68p-2
    ],
    // v^0
    [
        -1.8625315e-9,  // -0x1.fff800p-30
        -7.449671e-9,   // -0x1.fff000p-28
        -2.9795046e-8,  // -0x1.ffe000p-26
        -1.19151096e-7, // -0x1.ffc004p-24
        -4.7637172e-7,  // -0x1.ff8010p-22
        -1.903627e-6,   // -0x1.ff0040p-20
        -7.5996504e-6,  // -0x1.fe0100p-18
        -3.028009e-5,   // -0x1.fc0400p-16
        -1.20177865e-4, // -0x1.f81000p-14
        -4.7326076e-4,  // -0x1.f03ff8p-12
        -1.8348624e-3,  // -0x1.e0ff88p-10
        -6.8965517e-3,  // -0x1.c3f8f0p-8
        -2.4390245e-2,  // -0x1.8f9c1ap-6
        -7.692308e-2,   // -0x1.3b13b2p-4
        -2e-1,          // -0x1.99999ap-3
        -4e-1,          // -0x1.99999ap-2
    ],
];

/// `mish`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mish;

/// Coefficient `k` of each lane's polynomial: its side's table entry.
#[inline(always)]
fn coefficient<S: Simd>(s: S, right: S::M, idx: S::I, k: usize) -> S::F {
    s.select(
        right,
        s.lookup16(&MISH_RIGHT[k], idx),
        s.lookup16(&MISH_LEFT[k], idx),
    )
}

impl Kernel for Mish {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let ax = s.abs(x);
        let ax = s.min(ax, s.splat(ABS_X_MAX));
        let xc = s.or(ax, s.sign_bit(x));
        let PowerOfTwo { n, v, c, idx, .. } = PowerOfTwo::reduce(s, ax, s.splat(0.0));
        let right = s.gt(x, s.splat(0.0));
        let mut h = coefficient(s, right, idx, 0);
        for k in 1..6 {
            h = s.mul_add(h, v, coefficient(s, right, idx, k));
        }
        let c0 = coefficient(s, right, idx, 6);
        let q = s.mul_add(h, v, c0);
        // The exact error of q (c0 - q is exact), c q and the tail term.
        let q_lo = s.mul_add(h, v, s.sub(c0, q));
        let kappa = s.mul_exp2(s.lookup16(&TAIL, idx), n);
        let lo = s.mul_add(s.mul_add(kappa, q, c), q, q_lo);
        // Left: (x q + x lo) 2^n, -0.0 kept for x = -0.0; right: x q + (x + x lo).
        let base = s.select(right, xc, s.splat(-0.0));
        let y = s.mul_add(xc, q, s.mul_add(xc, lo, base));
        let y = s.mul_exp2(y, s.select(right, s.splat(0.0), n));
        s.select(s.gt(x, s.splat(IDENTITY_ABOVE)), x, y)
    }
}
