//! The table of elementwise activations: one row per function, and
//! everything else about a function comes from its row.
//!
//! A row names the function (its slice functions `name` and
//! `name_inplace`, and the other names it is parsed from: PyTorch's module
//! names, Hugging Face's), its [`Activation`](crate::Activation) variant with its
//! parameters (default, domain), its documentation, the error bound it
//! promises and the maximum measured over every `f32` at the default
//! parameters, its kernel, its special values (`f(-inf)`, `f(+inf)`,
//! `f(-0.0)`, `f(+0.0)`) and output range, its float64 reference, the naive
//! loop it is measured against, and the parameter sets the tests run with
//! the digest of their output bits.
//!
//! [`activation_table!`] hands the rows to a consumer macro, which declares
//! what it needs from them: the [`Activation`](crate::Activation) enum and
//! its methods, the free functions, the register functions, the C symbols,
//! the references and the test cases. Each consumer receives every row in
//! one canonical form:
//!
//! ```text
//! [name name_inplace Variant ({param default (param docs..)..}?)
//!  (summary docs..) bound measured (kernel)
//!  [f(-inf), f(+inf), f(-0.0), f(+0.0)] [lo, hi] (in-place check?)
//!  (|x| reference) (|x| naive) ((param value..) digest).. [alias..]]
//! ```
//!
//! In the row expressions the parameters are in scope by name, as `f32`.

/// Hands every row of the table to `$consumer` in the canonical form of the
/// module docs.
macro_rules! activation_table {
    ($consumer:path) => {
        $crate::table::canonical! { $consumer;

            /// `y[i] = e^x[i]`.
            ///
            /// Subnormal results included. `exp(NaN) = NaN`, `exp(-inf) = +0`,
            /// `exp(+inf) = +inf`, `exp(±0) = 1`; overflows to `+inf` above
            /// `88.72284`, underflows to `+0` below `-103.97208`.
            exp, exp_inplace => Exp {
                aliases: [],
                bound: 1.0, measured: 0.891,
                kernel: kernels::exp::Exp,
                limits: [0.0, f32::INFINITY, 1.0, 1.0],
                range: [0.0, f32::INFINITY],
                reference: |x| libm::exp(f64::from(x)),
                naive: |v| v.exp(),
                cases: [{} => 0x9bc8_a765_c3aa_6d2f],
            }

            /// `y[i] = erf(x[i])`, the error function `2/sqrt(pi) ∫0^x e^(-t²) dt`.
            ///
            /// Relative accuracy near 0 down to the subnormals. `erf(NaN) = NaN`,
            /// `erf(±inf) = ±1`, `erf(±0) = ±0`; odd.
            erf, erf_inplace => Erf {
                aliases: [],
                bound: 1.0, measured: 0.779,
                kernel: kernels::erf::Erf,
                limits: [-1.0, 1.0, -0.0, 0.0],
                range: [-1.0, 1.0],
                reference: |x| libm::erf(f64::from(x)),
                naive: |v| libm::erff(v),
                cases: [{} => 0x13c1_784c_422b_860a],
            }

            /// `y[i] = tanh(x[i])`.
            ///
            /// `tanh(NaN) = NaN`, `tanh(±inf) = ±1`, `tanh(±0) = ±0`; odd:
            /// `tanh(-x) = -tanh(x)` bit for bit.
            tanh, tanh_inplace => Tanh {
                aliases: ["Tanh"],
                bound: 1.0, measured: 0.767,
                kernel: kernels::tanh::Tanh,
                limits: [-1.0, 1.0, -0.0, 0.0],
                range: [-1.0, 1.0],
                reference: |x| libm::tanh(f64::from(x)),
                naive: |v| v.tanh(),
                cases: [{} => 0x725b_6c7c_1417_29de],
            }

            /// `y[i] = 1 / (1 + e^-x[i])`, the logistic sigmoid.
            ///
            /// `sigmoid(NaN) = NaN`, `sigmoid(-inf) = +0`, `sigmoid(+inf) = 1`,
            /// `sigmoid(±0) = 0.5`; results below `2^-126` are subnormal, not
            /// flushed.
            sigmoid, sigmoid_inplace => Sigmoid {
                aliases: ["Sigmoid"],
                bound: 2.0, measured: 1.647,
                kernel: kernels::sigmoid::Sigmoid,
                limits: [0.0, 1.0, 0.5, 0.5],
                range: [0.0, 1.0],
                reference: |x| reference::sigmoid(f64::from(x)),
                naive: |v| 1.0 / (1.0 + (-v).exp()),
                cases: [{} => 0x83fc_5dda_71bb_03e4],
            }

            /// `y[i] = x[i] sigmoid(x[i])`, SiLU (Swish with beta = 1).
            ///
            /// `silu(NaN) = NaN`, `silu(-inf) = -0.0`, `silu(+inf) = +inf`,
            /// `silu(±0) = ±0`.
            silu, silu_inplace => Silu {
                aliases: ["SiLU", "swish"],
                bound: 2.0, measured: 1.673,
                kernel: kernels::sigmoid::Silu,
                limits: [-0.0, f32::INFINITY, -0.0, 0.0],
                range: [-0.2785, f32::INFINITY],
                reference: |x| reference::silu(f64::from(x)),
                naive: |v| v / (1.0 + (-v).exp()),
                cases: [{} => 0x74fc_0fd6_9ebd_74fe],
            }

            /// `y[i] = x[i] Phi(x[i]) = x/2 (1 + erf(x/sqrt 2))`: GELU as PyTorch's `GELU(approximate='none')`.
            ///
            /// Accurate in the left tail too (`x < -5`, where the result is
            /// tiny and the naive formula loses every digit), down to the
            /// subnormals. `gelu(NaN) = NaN`, `gelu(-inf) = -0.0`,
            /// `gelu(+inf) = +inf`, `gelu(±0) = ±0`.
            gelu, gelu_inplace => Gelu {
                aliases: ["GELU", "GELU(approximate='none')"],
                bound: 2.0, measured: 1.712,
                kernel: kernels::gelu::Gelu,
                limits: [-0.0, f32::INFINITY, -0.0, 0.0],
                range: [-0.17, f32::INFINITY],
                reference: |x| reference::gelu(f64::from(x)),
                naive: |v| 0.5 * v * (1.0 + libm::erff(v * core::f32::consts::FRAC_1_SQRT_2)),
                cases: [{} => 0xaa8f_3417_3270_e155],
            }

            /// `y[i] = x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x³)))`: PyTorch's `GELU(approximate='tanh')`.
            ///
            /// The error is against that formula evaluated exactly, left tail
            /// included. `gelu_tanh(NaN) = NaN`, `gelu_tanh(-inf) = -0.0`,
            /// `gelu_tanh(+inf) = +inf`, `gelu_tanh(±0) = ±0`.
            gelu_tanh, gelu_tanh_inplace => GeluTanh {
                aliases: ["GELU(approximate='tanh')", "gelu_pytorch_tanh", "gelu_new"],
                bound: 2.0, measured: 1.891,
                kernel: kernels::gelu_tanh::GeluTanh,
                limits: [-0.0, f32::INFINITY, -0.0, 0.0],
                range: [-0.1701, f32::INFINITY],
                reference: |x| reference::gelu_tanh(f64::from(x)),
                naive: |v| 0.5 * v * (1.0 + (0.797_884_6 * (v + 0.044_715 * v * v * v)).tanh()),
                cases: [{} => 0x8784_b3de_8516_0b27],
            }

            /// `y[i] = x[i] sigmoid(1.702 x[i])`: QuickGELU (CLIP; ONNX Runtime's `QuickGelu`).
            ///
            /// The error is against the formula with the exact decimal
            /// `1.702`, left tail included (the factor `1.702` is folded into
            /// the exponential's reduction, so the product `1.702 x` is
            /// never rounded).
            /// `gelu_quick(NaN) = NaN`, `gelu_quick(-inf) = -0.0`,
            /// `gelu_quick(+inf) = +inf`, `gelu_quick(±0) = ±0`.
            gelu_quick, gelu_quick_inplace => GeluQuick {
                aliases: ["QuickGELU", "quick_gelu"],
                bound: 2.0, measured: 1.736,
                kernel: kernels::gelu_quick::GeluQuick,
                limits: [-0.0, f32::INFINITY, -0.0, 0.0],
                range: [-0.1637, f32::INFINITY],
                reference: |x| match f64::from(x) {
                    f64::NEG_INFINITY => -0.0,
                    x => x * reference::sigmoid(1.702 * x),
                },
                naive: |v| v / (1.0 + (-1.702 * v).exp()),
                cases: [{} => 0x541f_391c_0262_86cc],
            }

            /// `y[i] = log(1 + e^(beta x[i])) / beta`, or `x[i]` where `beta * x[i] > threshold`: PyTorch's `Softplus(beta, threshold)`.
            ///
            /// At other parameters than the defaults strided sweeps measure
            /// at most 1.47 ULP at powers of two for `beta` and 1.38 at other
            /// `beta` (from 1e-38 to 3.4e38).
            /// `softplus(NaN) = NaN`, `softplus(-inf) = +0`,
            /// `softplus(+inf) = +inf`, `softplus(±0) = ln 2 / beta` (`±0`
            /// itself for a negative `threshold`, as `beta * 0 > threshold`
            /// there). Never negative for `threshold >= 0`; a negative
            /// `threshold` gives `x` itself wherever `beta x > threshold`,
            /// negative values included, as PyTorch does.
            softplus, softplus_inplace => Softplus {
                aliases: ["Softplus"],
                params: {
                    /// Scale of the input, finite and `> 0` (PyTorch default 1).
                    beta = 1.0,
                    /// Above `beta x > threshold` the result is `x` (PyTorch default 20); not NaN.
                    threshold = 20.0,
                },
                bound: 2.0, measured: 1.511,
                kernel: kernels::softplus::SoftplusKernel::new(beta, threshold)?,
                limits: [
                    0.0,
                    f32::INFINITY,
                    if threshold < 0.0 { -0.0 } else { core::f32::consts::LN_2 / beta },
                    if threshold < 0.0 { 0.0 } else { core::f32::consts::LN_2 / beta },
                ],
                range: [if threshold < 0.0 { f32::NEG_INFINITY } else { 0.0 }, f32::INFINITY],
                reference: |x| reference::softplus(x, beta, threshold),
                naive: |v| if beta * v > threshold { v } else { (beta * v).exp().ln_1p() / beta },
                cases: [
                    {beta: 1.0, threshold: 20.0} => 0x8096_1997_f121_ab3d,
                    {beta: 2.0, threshold: 20.0} => 0x912d_1803_6606_f04e,
                    {beta: 0.75, threshold: 5.0} => 0x73fa_753b_7529_7656,
                    {beta: 1.5, threshold: 20.0} => 0x3af7_6de5_a8ee_b960,
                    {beta: 7.0e-37, threshold: 20.0} => 0x8fd5_aeee_9b52_da5a,
                    {beta: 1.0e-38, threshold: 20.0} => 0xb4fb_bf9a_dd6e_57fa,
                    {beta: 3.4e38, threshold: 20.0} => 0xfc0f_d065_6413_2d67,
                    {beta: 1.0, threshold: -5.0} => 0xf92f_2822_bffc_c2cb,
                ],
            }

            /// `y[i] = x tanh(softplus(x))`, Mish.
            ///
            /// Accurate for `x << 0` too, where the result is `≈ x e^x` and
            /// tiny. `mish(NaN) = NaN`, `mish(-inf) = -0.0`, `mish(+inf) = +inf`,
            /// `mish(±0) = ±0`.
            mish, mish_inplace => Mish {
                aliases: ["Mish"],
                bound: 2.0, measured: 1.731,
                kernel: kernels::mish::Mish,
                limits: [-0.0, f32::INFINITY, -0.0, 0.0],
                range: [-0.3089, f32::INFINITY],
                reference: |x| reference::mish(f64::from(x)),
                naive: |v| v * (v.exp().ln_1p()).tanh(),
                cases: [{} => 0x8bd1_8730_c174_9ea3],
            }

            /// `y[i] = max(x[i], 0)`, PyTorch's `ReLU`.
            ///
            /// Exact. `relu(NaN) = NaN`, `relu(-inf) = +0`, `relu(+inf) = +inf`,
            /// `relu(-0.0) = -0.0` (as PyTorch's CPU kernel: `x` is kept for
            /// `x >= 0`).
            relu, relu_inplace => Relu {
                aliases: ["ReLU"],
                bound: 0.0, measured: 0.0,
                kernel: kernels::relu::Relu,
                limits: [0.0, f32::INFINITY, -0.0, 0.0],
                range: [0.0, f32::INFINITY],
                reference: |x| reference::hardtanh(f64::from(x), 0.0, f64::INFINITY),
                naive: |v| v.max(0.0),
                cases: [{} => 0x56ba_6f7d_2611_b691],
            }

            /// `y[i] = min(max(x[i], 0), 6)`, PyTorch's `ReLU6`.
            ///
            /// Exact. `relu6(NaN) = NaN`, `relu6(-inf) = +0`, `relu6(+inf) = 6`,
            /// `relu6(-0.0) = -0.0`.
            relu6, relu6_inplace => Relu6 {
                aliases: ["ReLU6"],
                bound: 0.0, measured: 0.0,
                kernel: kernels::relu::Hardtanh::RELU6,
                limits: [0.0, 6.0, -0.0, 0.0],
                range: [0.0, 6.0],
                reference: |x| reference::hardtanh(f64::from(x), 0.0, 6.0),
                naive: |v| v.clamp(0.0, 6.0),
                cases: [{} => 0x1571_21ac_96bc_bbe3],
            }

            /// `y[i] = x[i]` for `x[i] > 0`, else `negative_slope * x[i]`: PyTorch's `LeakyReLU(negative_slope)`.
            ///
            /// Correctly rounded (the product rounded once: max error 0.5 ULP). `leaky_relu(NaN) = NaN`,
            /// `leaky_relu(+inf) = +inf`, `leaky_relu(-inf) = -inf * slope`,
            /// or for a zero slope the limit, a zero of the other sign (`-0.0`
            /// for `+0.0`, `+0.0` for `-0.0`; PyTorch: NaN);
            /// `leaky_relu(-0.0) = -0.0 * slope`.
            leaky_relu, leaky_relu_inplace => LeakyRelu {
                aliases: ["LeakyReLU"],
                params: {
                    /// The slope below zero, finite (PyTorch default 0.01).
                    negative_slope = 0.01,
                },
                bound: 0.5, measured: 0.5,
                kernel: kernels::relu::LeakyRelu::new(negative_slope)?,
                limits: [
                    if negative_slope == 0.0 { -negative_slope } else { f32::NEG_INFINITY * negative_slope },
                    f32::INFINITY,
                    -0.0 * negative_slope,
                    0.0 * negative_slope,
                ],
                range: [f32::NEG_INFINITY, f32::INFINITY],
                reference: |x| reference::leaky_relu(f64::from(x), f64::from(negative_slope)),
                naive: |v| if v > 0.0 { v } else { negative_slope * v },
                cases: [
                    {negative_slope: 0.01} => 0x7011_f932_c695_1e76,
                    {negative_slope: -1.5} => 0xb27a_5a49_bb3a_6d54,
                    {negative_slope: 0.0} => 0x061b_a2f6_c946_c591,
                    {negative_slope: -0.0} => 0x9ba7_8a8c_4b0a_6b91,
                ],
            }

            /// `y[i] = min(max(x[i], min_val), max_val)`: PyTorch's `Hardtanh(min_val, max_val)`.
            ///
            /// Exact. `hardtanh(NaN) = NaN`, `hardtanh(-inf) = min_val`,
            /// `hardtanh(+inf) = max_val`; a zero inside the bounds keeps its
            /// sign.
            hardtanh, hardtanh_inplace => Hardtanh {
                aliases: ["Hardtanh"],
                params: {
                    /// The lower bound, finite (PyTorch default -1).
                    min_val = -1.0,
                    /// The upper bound, finite and `>= min_val` (PyTorch default 1).
                    max_val = 1.0,
                },
                bound: 0.0, measured: 0.0,
                kernel: kernels::relu::Hardtanh::new(min_val, max_val)?,
                limits: [
                    min_val,
                    max_val,
                    (-0.0f32).clamp(min_val, max_val),
                    0.0f32.clamp(min_val, max_val),
                ],
                range: [min_val, max_val],
                reference: |x| reference::hardtanh(f64::from(x), f64::from(min_val), f64::from(max_val)),
                naive: |v| v.clamp(min_val, max_val),
                cases: [
                    {min_val: -1.0, max_val: 1.0} => 0xa9f3_13df_4ffa_af37,
                    {min_val: 0.25, max_val: 2.5} => 0xbb93_5b4f_e782_4aac,
                ],
            }

            /// `y[i] = relu6(x[i] + 3) / 6`, PyTorch's `Hardsigmoid`.
            ///
            /// Correctly rounded against the exact formula; the clamps are
            /// decided on `x`, so `x` just below 3 gives `1 - 2^-24`, not `1`.
            /// `hardsigmoid(NaN) = NaN`, `hardsigmoid(-inf) = +0`,
            /// `hardsigmoid(+inf) = 1`, `hardsigmoid(±0) = 0.5`.
            hardsigmoid, hardsigmoid_inplace => Hardsigmoid {
                aliases: ["Hardsigmoid"],
                bound: 0.5, measured: 0.5,
                kernel: kernels::hardsigmoid::Hardsigmoid,
                limits: [0.0, 1.0, 0.5, 0.5],
                range: [0.0, 1.0],
                reference: |x| reference::hardsigmoid(f64::from(x)),
                naive: |v| (v + 3.0).clamp(0.0, 6.0) / 6.0,
                cases: [{} => 0x46c9_e916_1179_1598],
            }

            /// `y[i] = x[i] relu6(x[i] + 3) / 6`, PyTorch's `Hardswish`.
            ///
            /// `hardswish(NaN) = NaN`, `hardswish(-inf) = -0.0` (the limit;
            /// PyTorch's `-inf * 0` gives NaN), `hardswish(+inf) = +inf`,
            /// `hardswish(±0) = ±0`.
            hardswish, hardswish_inplace => Hardswish {
                aliases: ["Hardswish"],
                bound: 1.0, measured: 0.5000001,
                kernel: kernels::hardsigmoid::Hardswish,
                limits: [-0.0, f32::INFINITY, -0.0, 0.0],
                range: [-0.375, f32::INFINITY],
                reference: |x| reference::hardswish(f64::from(x)),
                naive: |v| v * (v + 3.0).clamp(0.0, 6.0) / 6.0,
                cases: [{} => 0x4fb4_815f_48df_8906],
            }

            /// `y[i] = x[i] / (1 + |x[i]|)`, PyTorch's `Softsign`.
            ///
            /// `softsign(NaN) = NaN`, `softsign(±inf) = ±1`,
            /// `softsign(±0) = ±0`; the result is in `[-1, 1]`.
            softsign, softsign_inplace => Softsign {
                aliases: ["Softsign"],
                bound: 1.0, measured: 0.50000005,
                kernel: kernels::softsign::Softsign,
                limits: [-1.0, 1.0, -0.0, 0.0],
                range: [-1.0, 1.0],
                reference: |x| reference::softsign(f64::from(x)),
                naive: |v| v / (1.0 + v.abs()),
                cases: [{} => 0xc0d1_0936_746a_26cf],
            }

            /// `y[i] = x[i]`, PyTorch's `Identity`.
            ///
            /// Exact; a NaN comes out quieted (payload and sign kept), as from
            /// every function.
            identity, identity_inplace => Identity {
                aliases: ["Identity"],
                bound: 0.0, measured: 0.0,
                kernel: kernels::step::Identity,
                limits: [f32::NEG_INFINITY, f32::INFINITY, -0.0, 0.0],
                range: [f32::NEG_INFINITY, f32::INFINITY],
                reference: |x| f64::from(x),
                naive: |v| v,
                cases: [{} => 0x427b_5580_ba27_56db],
            }

            /// `y[i] = 0` for `x[i] < 0`, `at_zero` for `x[i] == ±0`, `1` for `x[i] > 0`: the Heaviside step (`torch.heaviside(x, at_zero)`).
            ///
            /// Exact. `step(NaN) = NaN` (PyTorch gives 0; here NaN propagates
            /// as through every function), `step(-inf) = +0`, `step(+inf) = 1`.
            step, step_inplace => Step {
                aliases: ["heaviside"],
                params: {
                    /// The value at zero, finite.
                    at_zero = 0.5,
                },
                bound: 0.0, measured: 0.0,
                kernel: kernels::step::Step::new(at_zero)?,
                limits: [0.0, 1.0, at_zero, at_zero],
                range: [at_zero.min(0.0), at_zero.max(1.0)],
                reference: |x| reference::step(f64::from(x), f64::from(at_zero)),
                naive: |v| if v > 0.0 { 1.0 } else if v < 0.0 { 0.0 } else { at_zero },
                cases: [
                    {at_zero: 0.5} => 0xdb35_4712_6ddc_71ff,
                    {at_zero: -3.0} => 0xd2fe_3027_ad4a_95cf,
                ],
            }

            /// `y[i] = x[i]` for `x[i] > 0`, else `alpha (e^x[i] - 1)`: PyTorch's `ELU(alpha)`.
            ///
            /// For `x < 0` the result has the sign of `-alpha`, a zero result's
            /// included (an underflow, or a zero `alpha`).
            /// Accurate near `0-` too, down to the subnormals, where `e^x - 1`
            /// is computed without cancellation. `elu(NaN) = NaN`,
            /// `elu(-inf) = -alpha`, `elu(+inf) = +inf`, `elu(±0) = alpha * ±0`.
            elu, elu_inplace => Elu {
                aliases: ["ELU"],
                params: {
                    /// Finite (PyTorch default 1); `>= 0` in place.
                    alpha = 1.0,
                },
                bound: 1.0, measured: 0.7457,
                kernel: kernels::elu::EluKernel::new(alpha)?,
                limits: [-alpha, f32::INFINITY, alpha * -0.0, alpha * 0.0],
                range: [if alpha > 0.0 { -alpha } else { f32::NEG_INFINITY }, f32::INFINITY],
                in_place: non_negative_inplace("elu", alpha),
                reference: |x| reference::elu(f64::from(x), f64::from(alpha)),
                naive: |v| if v > 0.0 { v } else { alpha * v.exp_m1() },
                cases: [
                    {alpha: 1.0} => 0x3bad_e8ec_feef_99bd,
                    {alpha: 0.25} => 0x5ab6_1b9b_4932_5a17,
                    {alpha: -2.0} => 0x5749_e3f5_7d80_dafd,
                    {alpha: 0.0} => 0x061b_a2f6_c946_c591,
                    {alpha: -0.0} => 0x9ba7_8a8c_4b0a_6b91,
                ],
            }

            /// `y[i] = scale (x[i] > 0 ? x[i] : alpha (e^x[i] - 1))`: PyTorch's `SELU`.
            ///
            /// `alpha = 1.6732632423543772...`, `scale = 1.0507009873554804...`.
            /// Accurate near `0-` too. `selu(NaN) = NaN`,
            /// `selu(-inf) = -1.7580993` (`-alpha scale`), `selu(+inf) = +inf`,
            /// `selu(±0) = ±0`.
            selu, selu_inplace => Selu {
                aliases: ["SELU"],
                bound: 1.0, measured: 0.750,
                kernel: kernels::elu::Selu,
                limits: [-1.758_099_3, f32::INFINITY, -0.0, 0.0],
                range: [-1.758_099_3, f32::INFINITY],
                reference: |x| reference::selu(f64::from(x)),
                naive: |v| 1.050_701 * if v > 0.0 { v } else { 1.673_263_2 * v.exp_m1() },
                cases: [{} => 0xf29f_58ef_0536_48aa],
            }

            /// `y[i] = x[i]` for `x[i] > 0`, else `alpha (e^(x[i]/alpha) - 1)`: PyTorch's `CELU(alpha)`.
            ///
            /// The quotient `x/alpha` is corrected, so its rounding does not
            /// reach the result. `celu(NaN) = NaN`, `celu(-inf) = -alpha`
            /// (`-inf` for `alpha < 0`), `celu(+inf) = +inf`, `celu(±0) = ±0`.
            celu, celu_inplace => Celu {
                aliases: ["CELU"],
                params: {
                    /// Finite and nonzero (PyTorch default 1); `> 0` in place.
                    alpha = 1.0,
                },
                bound: 1.0, measured: 0.7457,
                kernel: kernels::elu::CeluKernel::new(alpha)?,
                limits: [
                    if alpha > 0.0 { -alpha } else { f32::NEG_INFINITY },
                    f32::INFINITY,
                    -0.0,
                    0.0,
                ],
                range: [if alpha > 0.0 { -alpha } else { f32::NEG_INFINITY }, f32::INFINITY],
                in_place: non_negative_inplace("celu", alpha),
                reference: |x| reference::celu(f64::from(x), f64::from(alpha)),
                naive: |v| if v > 0.0 { v } else { alpha * (v / alpha).exp_m1() },
                cases: [
                    {alpha: 1.0} => 0xc292_bcd1_dd42_d0de,
                    {alpha: 3.5} => 0x228e_4381_8d0b_2908,
                    {alpha: 1e-3} => 0x1a68_56fe_d560_92be,
                    {alpha: -0.75} => 0xfad0_bd6f_fae1_b686,
                ],
            }
        }
    };
}
pub(crate) use activation_table;

/// Turns the rows of [`activation_table!`] into the canonical form of the
/// module docs and hands them to the consumer.
macro_rules! canonical {
    ($consumer:path; $(
        #[doc = $summary:literal]
        $(#[doc = $doc:literal])*
        $name:ident, $inplace:ident => $variant:ident {
            aliases: [$($alias:literal),* $(,)?],
            $(params: { $( $(#[doc = $pdoc:literal])* $param:ident = $default:literal ),+ $(,)? },)?
            bound: $bound:literal, measured: $measured:literal,
            kernel: $kernel:expr,
            limits: [$ninf:expr, $pinf:expr, $nzero:expr, $pzero:expr $(,)?],
            range: [$lo:expr, $hi:expr $(,)?],
            $(in_place: $in_place:expr,)?
            reference: |$rx:ident| $reference:expr,
            naive: |$nx:ident| $naive:expr,
            cases: [$( { $( $cp:ident: $cv:literal ),* } => $digest:literal ),+ $(,)?],
        }
    )*) => {
        $consumer! { $(
            [$name $inplace $variant ($({ $( $param $default ($($pdoc)*) )+ })?) ($summary $($doc)*)
             $bound $measured ($kernel) [$ninf, $pinf, $nzero, $pzero] [$lo, $hi] ($($in_place)?)
             (|$rx| $reference) (|$nx| $naive) ($( ($($cp $cv)*) $digest )+) [$($alias),*]]
        )* }
    };
}
pub(crate) use canonical;

/// `Activation::$variant`, with `{ param: value, .. }` where it has
/// parameters: a value (`value!(Elu alpha 1.0)`) or, with `@pattern`, a
/// pattern binding each parameter by name.
macro_rules! variant {
    ($variant:ident) => {
        $crate::Activation::$variant
    };
    ($variant:ident $($param:ident $value:literal)+) => {
        $crate::Activation::$variant { $($param: $value),+ }
    };
}
pub(crate) use variant;

/// A free function's return value as a `Result` (those without parameters
/// return nothing).
#[cfg(test)]
pub(crate) trait IntoResult {
    fn into_result(self) -> Result<(), crate::Error>;
}

#[cfg(test)]
impl IntoResult for () {
    fn into_result(self) -> Result<(), crate::Error> {
        Ok(())
    }
}

#[cfg(test)]
impl IntoResult for Result<(), crate::Error> {
    fn into_result(self) -> Result<(), crate::Error> {
        self
    }
}

/// Inputs for the checks that one form of a function gives another's bits:
/// a strided sweep of all bit patterns and the special values.
#[cfg(test)]
pub(crate) fn test_inputs() -> Vec<f32> {
    let mut x: Vec<f32> = (0..=u32::MAX / 65_521)
        .map(|k| f32::from_bits(k * 65_521 + 3))
        .collect();
    x.extend([
        0.0,
        -0.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        f32::MAX,
        f32::MIN,
    ]);
    x.extend((0..1000).map(|i| (i as f32 - 500.0) * 0.037));
    x
}

/// Asserts that `free` (out of place) and `inplace` give `f.forward`'s and
/// `f.forward_inplace`'s bits, or the same error.
#[cfg(test)]
pub(crate) fn check_free_functions(
    f: crate::Activation,
    free: impl Fn(&[f32], &mut [f32]) -> Result<(), crate::Error>,
    inplace: impl Fn(&mut [f32]) -> Result<(), crate::Error>,
) {
    let x = test_inputs();
    let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
    let (mut a, mut b) = (vec![0.0; x.len()], vec![0.0; x.len()]);
    assert_eq!(free(&x, &mut a), f.forward(&x, &mut b), "{f:?}");
    assert_eq!(bits(&a), bits(&b), "{f:?}");
    let (mut c, mut d) = (x.clone(), x.clone());
    assert_eq!(inplace(&mut c), f.forward_inplace(&mut d), "{f:?} in place");
    assert_eq!(bits(&c), bits(&d), "{f:?} in place");
}

#[cfg(test)]
mod tests {
    use crate::{Activation, reference};

    /// The figures of the README's accuracy table, per function name:
    /// (bound, measured max).
    fn readme_accuracy() -> Vec<(String, f64, f64)> {
        let readme = include_str!("../README.md");
        let start = readme
            .find("| function | bound | max ULP |")
            .expect("the README has the accuracy table");
        readme[start..]
            .lines()
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                let number = |c: &str| c.parse::<f64>().unwrap_or_else(|_| panic!("{l}"));
                (cells[1].to_string(), number(cells[2]), number(cells[3]))
            })
            .collect()
    }

    #[test]
    fn readme_accuracy_table_is_the_tables_figures() {
        let rows = readme_accuracy();
        for f in Activation::ALL {
            let row = rows.iter().find(|r| r.0 == f.name());
            let (_, bound, measured) =
                row.unwrap_or_else(|| panic!("no README row for {}", f.name()));
            assert_eq!(*bound, f.max_ulp(), "{}: README bound", f.name());
            assert_eq!(
                *measured,
                f.measured_max_ulp(),
                "{}: README max ULP",
                f.name()
            );
        }
        assert_eq!(
            rows.len(),
            Activation::ALL.len(),
            "README rows of unknown functions"
        );
    }

    #[test]
    fn bounds_hold_the_contract_and_the_measured_figures() {
        for f in Activation::ALL {
            let contract = match f.name() {
                "exp" | "erf" | "tanh" => 1.0,
                _ => 2.0,
            };
            assert!(
                f.max_ulp() <= contract,
                "{}: bound above the contract",
                f.name()
            );
            assert!(
                f.measured_max_ulp() <= f.max_ulp(),
                "{}: measured {} ULP exceeds its bound {}",
                f.name(),
                f.measured_max_ulp(),
                f.max_ulp()
            );
        }
    }

    #[test]
    fn names_are_unique_and_every_function_has_test_cases() {
        for (i, f) in Activation::ALL.iter().enumerate() {
            assert!(Activation::ALL[..i].iter().all(|g| g.name() != f.name()));
            let cases = reference::cases();
            let first = cases.iter().find(|(g, _)| g.name() == f.name());
            assert_eq!(
                first.map(|c| c.0),
                Some(*f),
                "{}: the first test case is the defaults",
                f.name()
            );
        }
    }

    /// The naive loop computes the same function as the reference, to the
    /// accuracy of a plain `f32` formula, where the function is moderate:
    /// a naive loop of another function (or none) fails this.
    #[test]
    fn naive_loops_and_references_agree() {
        let x: Vec<f32> = (0..=400).map(|i| (i as f32 - 200.0) * 0.05).collect();
        for (f, _) in reference::cases() {
            let mut y = vec![0.0; x.len()];
            reference::naive(f, &x, &mut y);
            for (&xi, &yi) in x.iter().zip(&y) {
                let r = reference::eval(f, xi);
                let tolerance = 1e-4 * r.abs().max(1e-2);
                assert!(
                    (f64::from(yi) - r).abs() <= tolerance,
                    "{f:?} at {xi}: naive {yi}, reference {r}"
                );
            }
        }
    }
}
