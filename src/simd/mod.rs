//! The SIMD primitives every kernel is written against.
//!
//! [`Simd`] is implemented once per instruction set by a zero-sized token whose
//! existence proves that the CPU supports that instruction set (the tokens come
//! from pulp's runtime detection). The trait holds only primitives: arithmetic,
//! comparisons, selection, bit casts, integer shifts, loads and stores. A kernel
//! never names an instruction set, and a backend never knows an activation.
//!
//! Every primitive is an IEEE-754 single precision operation with one rounding
//! (or none), so the same sequence of primitives gives the same bits on every
//! backend. Backends must not use estimates (`rcp14`, `frecpe`), `min`/`max`
//! instructions, or anything else whose result differs between instruction sets.

pub(crate) mod convert;
pub(crate) mod scalar;

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
pub(crate) mod avx2;
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
pub(crate) mod avx512;

#[cfg(target_arch = "aarch64")]
pub(crate) mod neon;

/// The offset of the shifter sums that [`Simd::mul_pow2_shifted`] and
/// [`Simd::mul_pow2_floor_shifted_sub`] read: their low bits hold `n + 192`,
/// which a shift makes the exponent field of `2^(n + 65)`.
pub(crate) const POW2_BIAS: i32 = 192;

/// `1.5 * 2^23 + 192` (`0x1.800180p+23`): a shifter whose sum with a float
/// of magnitude below `2^21` rounds it to an integer `n` (ties to even, as
/// `1.5 * 2^23` does: the two differ by an even integer) and leaves
/// `n + 192` in the low mantissa bits, which [`Simd::mul_pow2_shifted`]
/// moves into an exponent field.
pub(crate) const POW2_SHIFTER: f32 = 12_582_912.0 + POW2_BIAS as f32;

/// `2^127`, the least `f32` of the greatest exponent.
const TWO_POW_127: f32 = 1.701_411_8e38;

/// The bits of `|a|` less one, as an `f32` (the step of
/// [`Simd::is_zero_or_not_finite`]): `±0` becomes a NaN pattern, `±inf`
/// `f32::MAX`, a NaN a NaN or (the signalling NaN of payload 1) `+inf`, and
/// every other value stays finite and below `f32::MAX`.
#[inline(always)]
fn zero_to_nan<S: Simd>(s: S, a: S::F) -> S::F {
    let minus_one = s.to_bits(s.splat(f32::from_bits(u32::MAX)));
    s.from_bits(s.add_i32(s.to_bits(s.abs(a)), minus_one))
}

/// `v 2^n`, rounded once, where the low nine bits of `low` hold `n + 192`
/// (the portable form of [`Simd::mul_pow2_shifted`]): a shift makes them
/// the exponent field of `2^(n + 65)`, the product by it is exact in their
/// range, and the product by `2^-65` rounds.
#[inline(always)]
fn mul_pow2_field<S: Simd>(s: S, v: S::F, low: S::I) -> S::F {
    s.mul(mul_pow2_field_exact(s, v, low), s.splat(TWO_POW_MINUS_65))
}

/// [`Simd::store_bf16`] on each of `N` vectors, `v[k]` at
/// `ptr + k * LANES`: the default [`Simd::store_bf16_group`], and the
/// fallback of the paths that override it.
///
/// # Safety
/// `ptr` must be valid for writing `N * LANES` consecutive `u16`.
#[inline(always)]
pub(crate) unsafe fn store_bf16_each<S: Simd, const N: usize>(s: S, ptr: *mut u16, v: [S::F; N]) {
    for (k, &v) in v.iter().enumerate() {
        // SAFETY: the caller's guarantee.
        unsafe { s.store_bf16(ptr.add(k * S::LANES), v) }
    }
}

/// `2^-65`, the second factor of [`mul_pow2_field`].
const TWO_POW_MINUS_65: f32 = f32::from_bits(0x1f00_0000);

/// The first, exact product of [`mul_pow2_field`]: `v 2^(n + 65)`.
#[inline(always)]
fn mul_pow2_field_exact<S: Simd>(s: S, v: S::F, low: S::I) -> S::F {
    s.mul(v, s.from_bits(s.shl::<23>(low)))
}

/// `b + v 2^n` (`NEG` false) or `b - v 2^n` (`NEG` true), rounded once,
/// where the low nine bits of `low` hold `n + 192`: [`mul_pow2_field`] with
/// its second product fused into the sum (the portable form of
/// [`Simd::mul_pow2_shifted_add`] and [`Simd::mul_pow2_floor_shifted_sub`]).
#[inline(always)]
fn mul_pow2_field_add<S: Simd, const NEG: bool>(s: S, b: S::F, v: S::F, low: S::I) -> S::F {
    let exact = mul_pow2_field_exact(s, v, low);
    let last = s.splat(TWO_POW_MINUS_65);
    if NEG {
        s.neg_mul_add(exact, last, b)
    } else {
        s.mul_add(exact, last, b)
    }
}

/// Vector primitives over `LANES` lanes of `f32` (`F`), `i32` (`I`) and lane
/// masks (`M`).
///
/// All methods are `#[inline(always)]` in every implementation and carry no
/// target feature themselves: they are inlined into the one
/// `#[target_feature]` function that runs a kernel over a slice.
pub(crate) trait Simd: Copy {
    /// Whether [`Simd::prefetch_read`] and [`Simd::prefetch_write`] emit
    /// their hint: the vector paths do, the scalar path (the reference the
    /// others are checked against, and the fallback on other targets) does
    /// not. The loops give them where the CPU gains from them
    /// (`driver::Prefetch`: not on AMD's).
    const PREFETCH: bool = false;
    /// Number of `f32` lanes in `Self::F`.
    const LANES: usize;
    /// How many vectors the driver's main loop loads, computes and stores
    /// per iteration (2 or 4), so that the dependency chains of
    /// neighbouring vectors overlap. Four on AVX-512, NEON and the scalar
    /// path; AVX2 overrides it with two (its 16 registers do not hold four
    /// vectors' temporaries and a kernel's constants, so four spill), which a
    /// kernel with a long chain may raise to four ([`Kernel::WIDE`](crate::kernels::Kernel::WIDE)).
    /// Measured with `cargo run --release` on an AVX-512 Xeon against one
    /// vector per iteration, four is faster for every transcendental
    /// function on AVX-512, by up to a fifth; on NEON, `scripts/mca.sh`
    /// puts two ahead only for `gelu` on the Neoverse models (13 to 14%) and
    /// behind for every function on the Apple M1 model (4 to 37%).
    const UNROLL: usize = 4;
    /// Whether the driver's main loop tests an iteration for a kernel's
    /// short form ([`Kernel::apply_short`](crate::kernels::Kernel::apply_short)):
    /// every path but the scalar one, whose loop the compiler vectorizes only
    /// without that branch (the kernels' `apply` gives the same bits without
    /// it). The gated units' fast product (`swiglu`'s short form of its
    /// product) is tested per iteration on every path: it is not a short
    /// form of this kind.
    const SHORT_FORMS: bool = true;
    /// Whether every scaling by `2^n` ([`Simd::mul_pow2_wide`],
    /// [`Simd::mul_pow2_shifted`], [`Simd::mul_pow2_normal`]) is one
    /// instruction whatever `n`'s range: AVX-512's `vscalefps`. A short form
    /// that saves only the wider scalings, a clamp and a floor of `n`
    /// ([`Kernel::SHORT_SCALING_ONLY`](crate::kernels::Kernel::SHORT_SCALING_ONLY))
    /// saves at most the floor's `max` there, too little to repay its test
    /// per iteration, so the driver does not test for it.
    const NATIVE_SCALING: bool = false;
    /// Whether the driver's main loop stores the bfloat16 results of an
    /// iteration whose inputs hold no NaN with [`Simd::store_bf16_no_nan`]
    /// (true) rather than [`Simd::store_bf16`] (false). The bits are the
    /// same. True on AVX2, where the quieting `or`, the compare and the
    /// `vblendvps` it saves are three of the store's nine operations, and on
    /// AVX-512 without AVX512_BF16 (the same integer rounding; the NaN
    /// test's shift, compare into a mask, `or` and masked move saved), with
    /// [`Simd::BF16_PAIRS`] there. On the scalar path, storing so measured
    /// 15 to 25% slower on `bfloat16` (the loop then holds two stores);
    /// NEON, whose portable store has the same three operations, is not
    /// measured.
    const BF16_STORE_NO_NAN: bool = false;
    /// Whether the driver's main loop moves `bf16`-to-`bf16` data as pairs
    /// of vectors, the even and the odd positions of `2 * LANES` elements
    /// ([`convert::bf16_pairs_from_lanes`]): per pair, one load, a shift and
    /// an `and` to widen; to narrow, the two roundings of [`convert`]'s
    /// integer form (four operations each without the NaN test), a shift,
    /// two `and`s, an `or` and one store. About as many operations as in
    /// order, but no shuffle, where AVX2 in order takes six per pair: a
    /// `vpshufb` per vector to widen (after a broadcast load), and to narrow
    /// a `vpshufb` and a `vpermq` per vector after the same roundings. A
    /// paired loop takes four vectors per iteration, two pairs, whatever
    /// [`Simd::UNROLL`] says. True on AVX2: on `bf16`, 8 to 9% faster
    /// for `silu`, `gelu`, `sigmoid`, `exp` and `relu`, and with four
    /// vectors per iteration 4 to 16% more (see the README's 16-bit
    /// section). On AVX-512 with AVX512_BF16 the pairs measured 6 to 12%
    /// slower than the order kept with `vcvtneps2bf16`, so only AVX-512
    /// without it takes them, where in order each vector takes a
    /// `vpmovzxwd` to widen and a `vpmovdw` (two µops on Intel) to narrow:
    /// with [`Simd::BF16_STORE_NO_NAN`], 8 to 26% faster on `bf16` on an
    /// Ice Lake Xeon (see the README's 16-bit section). NEON is not
    /// measured (in order, its zero extension and its narrowing are one
    /// `ushll` and one `xtn` per vector, not shuffles).
    const BF16_PAIRS: bool = false;
    /// A vector of `f32`.
    type F: Copy;
    /// A vector of `i32`, as wide as `Self::F`.
    type I: Copy;
    /// A per-lane boolean mask.
    type M: Copy;

    /// Every lane set to `v`.
    fn splat(self, v: f32) -> Self::F;

    /// Loads `LANES` values, from any address: no alignment is required
    /// (`vmovups`, `ld1`, an unaligned read on the scalar path).
    ///
    /// # Safety
    /// `ptr` must be valid for reading `LANES` consecutive `f32`.
    unsafe fn load(self, ptr: *const f32) -> Self::F;
    /// Stores `LANES` values, to any address, as [`Simd::load`] reads.
    ///
    /// # Safety
    /// `ptr` must be valid for writing `LANES` consecutive `f32`.
    unsafe fn store(self, ptr: *mut f32, v: Self::F);
    /// Whether [`Simd::store_stream`] bypasses the caches (the x86 paths)
    /// rather than storing as [`Simd::store`] does (NEON and the scalar
    /// path), so that the driver asks for it only where it differs.
    const STREAM: bool = false;
    /// Stores `LANES` values as [`Simd::store`] does, the same bits, but
    /// past the caches where [`Simd::STREAM`]: the line goes to memory
    /// without being read first, which saves a third of the memory traffic
    /// of a one-input loop whose output does not fit in the caches (a
    /// quarter with two inputs), and the stores are weakly ordered until
    /// [`Simd::stream_fence`]. A line should take whole streamed stores
    /// only: one that also takes a plain store is written to memory in part
    /// and read back.
    ///
    /// Cost: AVX2 one `vmovntps ymm`, AVX-512 one `vmovntps zmm` (a store
    /// each); NEON and the scalar path their plain store.
    ///
    /// # Safety
    /// `ptr` must be valid for writing `LANES` consecutive `f32` and aligned
    /// to `LANES * 4` bytes.
    #[inline(always)]
    unsafe fn store_stream(self, ptr: *mut f32, v: Self::F) {
        // SAFETY: the caller's guarantee.
        unsafe { self.store(ptr, v) }
    }
    /// Orders the stores of [`Simd::store_stream`] before every later store,
    /// so that a thread that sees a later store sees them too.
    ///
    /// Cost: AVX2 and AVX-512 one `sfence` (it waits for the pending
    /// streaming stores to leave the core); nothing elsewhere.
    #[inline(always)]
    fn stream_fence(self) {}
    /// Loads the first `n` lanes and sets the others to `0.0`, reading nothing
    /// past `ptr + n`. Any address, as for [`Simd::load`] (softmax keeps
    /// `f32` values over a 16-bit output, at 2 mod 4 bytes where that
    /// output is).
    ///
    /// # Safety
    /// `n < LANES` and `ptr` must be valid for reading `n` consecutive `f32`
    /// (`4 n` bytes; no alignment needed).
    unsafe fn load_partial(self, ptr: *const f32, n: usize) -> Self::F;
    /// Stores the first `n` lanes, writing nothing past `ptr + n`. Any
    /// address, as for [`Simd::store`].
    ///
    /// # Safety
    /// `n < LANES` and `ptr` must be valid for writing `n` consecutive `f32`
    /// (`4 n` bytes; no alignment needed).
    unsafe fn store_partial(self, ptr: *mut f32, n: usize, v: Self::F);

    /// `a + b`.
    fn add(self, a: Self::F, b: Self::F) -> Self::F;
    /// `a - b`.
    fn sub(self, a: Self::F, b: Self::F) -> Self::F;
    /// `a * b`.
    fn mul(self, a: Self::F, b: Self::F) -> Self::F;
    /// `a / b`, correctly rounded.
    fn div(self, a: Self::F, b: Self::F) -> Self::F;
    /// `a * b + c` with a single rounding.
    fn mul_add(self, a: Self::F, b: Self::F, c: Self::F) -> Self::F;

    /// Bitwise `a & b`.
    fn and(self, a: Self::F, b: Self::F) -> Self::F;
    /// Bitwise `a | b`.
    fn or(self, a: Self::F, b: Self::F) -> Self::F;
    /// Bitwise `a ^ b`.
    fn xor(self, a: Self::F, b: Self::F) -> Self::F;
    /// Bitwise `a & !b`.
    fn and_not(self, a: Self::F, b: Self::F) -> Self::F;

    /// `a < b` (false when either is NaN).
    fn lt(self, a: Self::F, b: Self::F) -> Self::M;
    /// `a <= b` (false when either is NaN).
    fn le(self, a: Self::F, b: Self::F) -> Self::M;
    /// `a == b` (false when either is NaN).
    fn eq(self, a: Self::F, b: Self::F) -> Self::M;
    /// `a` is NaN.
    fn is_nan(self, a: Self::F) -> Self::M;
    /// `a < 0`, except at `-0.0` and NaN, where the lane is unspecified (set
    /// where the sign bit is on AVX2 and the scalar path, clear on AVX-512
    /// and NEON): for selects between two results that agree at `-0.0` (NaN
    /// lanes are the driver's).
    ///
    /// Cost: AVX2 none (`vblendvps` and `vmovmskps` read only the sign bit of
    /// a mask lane, so `a` is its own mask, where a compare is one
    /// operation); AVX-512 and NEON one compare; scalar a sign test.
    fn sign_mask(self, a: Self::F) -> Self::M;
    /// Per lane, `a` where `m` is set, else `b`.
    fn select(self, m: Self::M, a: Self::F, b: Self::F) -> Self::F;
    /// Lane-wise `a && b`.
    fn mask_and(self, a: Self::M, b: Self::M) -> Self::M;
    /// Lane-wise `a || b`.
    fn mask_or(self, a: Self::M, b: Self::M) -> Self::M;
    /// Lane-wise `!a`.
    fn mask_not(self, a: Self::M) -> Self::M;
    /// True when any lane of `m` is set.
    fn any(self, m: Self::M) -> bool;

    /// The bits of each lane.
    fn to_bits(self, a: Self::F) -> Self::I;
    /// Each lane's bits as an `f32`.
    #[allow(clippy::wrong_self_convention)] // `self` is the token, as everywhere here
    fn from_bits(self, a: Self::I) -> Self::F;
    /// `a << N`, `0 <= N < 32`.
    fn shl<const N: i32>(self, a: Self::I) -> Self::I;
    /// Arithmetic `a >> N`, `0 < N < 32`.
    fn shr<const N: i32>(self, a: Self::I) -> Self::I;

    /// Per lane, `table[idx]`, for `idx` in `[0, 15]` (only the low four bits
    /// of each index are used).
    ///
    /// Cost: AVX-512 one `vpermps`; AVX2 two `vpermps`, a shift and a
    /// `vblendvps` (the shift is shared by lookups with the same index);
    /// NEON a four-register `tbl` after two index operations (shared). See
    /// [`Simd::lookup8`], one operation on AVX2.
    fn lookup16(self, table: &[f32; 16], idx: Self::I) -> Self::F;
    /// Per lane, `table[idx]`, for `idx` in `[0, 7]` (only the low three bits
    /// of each index are used).
    ///
    /// Cost: AVX2 one `vpermps`; AVX-512 one `vpermps` (the table repeated in
    /// both halves of a constant register); NEON a two-register `tbl` after
    /// three index operations (an `and`, a shift and a multiply-add, shared
    /// by lookups with the same index); scalar one indexed read. The
    /// portable form reads a 16-entry table that repeats `table`.
    #[inline(always)]
    fn lookup8(self, table: &[f32; 8], idx: Self::I) -> Self::F {
        let repeated: [f32; 16] = core::array::from_fn(|i| table[i % 8]);
        self.lookup16(&repeated, idx)
    }

    /// Asks for the 64-byte cache line holding `ptr` to be brought into the
    /// first-level cache, for a read soon. A hint only: nothing is read, any
    /// address may be given (no fault, no effect on results).
    ///
    /// Cost: AVX2 and AVX-512 one `prefetcht0`, NEON one `prfm pldl1keep`
    /// (each a load-port operation without a destination); the scalar path
    /// does nothing.
    #[inline(always)]
    fn prefetch_read(self, ptr: *const u8) {
        if Self::PREFETCH {
            prefetch_hint::<false>(ptr);
        }
    }
    /// As [`Simd::prefetch_read`], for a line about to be written, so the
    /// stores that follow do not wait for it.
    ///
    /// Cost: AVX2 and AVX-512 one `prefetcht0` (the write hint `prefetchw`
    /// belongs to a feature, PRFCHW, that these paths do not require), NEON
    /// one `prfm pstl1keep`; the scalar path does nothing.
    #[inline(always)]
    fn prefetch_write(self, ptr: *const u8) {
        if Self::PREFETCH {
            prefetch_hint::<true>(ptr);
        }
    }

    /// Loads `LANES` 16-bit values, each zero-extended into its 32-bit lane.
    ///
    /// Cost: AVX2 one `vpmovzxwd`, AVX-512 one `vpmovzxwd`, NEON one `ld1`
    /// and one `uxtl`.
    ///
    /// # Safety
    /// `ptr` must be valid for reading `LANES` consecutive `u16`.
    unsafe fn load_u16(self, ptr: *const u16) -> Self::I;
    /// Stores the low 16 bits of each lane (the high bits are dropped, not
    /// saturated).
    ///
    /// Cost: AVX2 four operations (a mask, `vpackusdw`, `vpermq`, a
    /// 16-byte store), AVX-512 one `vpmovdw`, NEON one `xtn` and one `st1`.
    ///
    /// # Safety
    /// `ptr` must be valid for writing `LANES` consecutive `u16`.
    unsafe fn store_u16(self, ptr: *mut u16, v: Self::I);
    /// `a + b` on the 32-bit integer lanes, wrapping.
    ///
    /// Cost: one operation on every path (`vpaddd`, `add`), on any of the
    /// vector units (Zen 4: any of its four pipes, so beside FMAs it takes
    /// the adders' two; Intel: the ports of the FMAs among others).
    fn add_i32(self, a: Self::I, b: Self::I) -> Self::I;
    /// `a - b` on the 32-bit integer lanes, wrapping.
    ///
    /// Cost: one operation on every path (`vpsubd`, `sub`), as
    /// [`Simd::add_i32`].
    fn sub_i32(self, a: Self::I, b: Self::I) -> Self::I;
    /// The larger of `a` and `b` on the 32-bit signed integer lanes. On the
    /// bits of floats without their sign it orders them as numbers, with
    /// `+inf` above every finite value and every NaN above `+inf`.
    ///
    /// Cost: one operation on every path (`vpmaxsd`, `smax`), as
    /// [`Simd::add_i32`].
    fn max_i32(self, a: Self::I, b: Self::I) -> Self::I;

    /// Loads `LANES` IEEE binary16 values (`half::f16` bits), each widened
    /// exactly to `f32` (a NaN keeps its sign and payload, quieted).
    ///
    /// Cost: AVX2 one `vcvtph2ps` (F16C), AVX-512 one `vcvtph2ps`; NEON the
    /// portable form, fifteen operations after the load (see
    /// [`convert::f16_to_f32`]).
    ///
    /// # Safety
    /// `ptr` must be valid for reading `LANES` consecutive `u16`.
    #[inline(always)]
    unsafe fn load_f16(self, ptr: *const u16) -> Self::F {
        // SAFETY: the caller's guarantee.
        convert::f16_to_f32(self, unsafe { self.load_u16(ptr) })
    }
    /// Rounds each lane to binary16, to nearest even (subnormals kept,
    /// overflow to infinity, a NaN keeps its sign and the top of its
    /// payload, quieted: `half::f16::from_f32`'s bits), and stores them.
    ///
    /// Cost: AVX2 one `vcvtps2ph` (F16C), AVX-512 one `vcvtps2ph`; NEON the
    /// portable form, about twenty operations (see [`convert::f32_to_f16`]).
    ///
    /// # Safety
    /// `ptr` must be valid for writing `LANES` consecutive `u16`.
    #[inline(always)]
    unsafe fn store_f16(self, ptr: *mut u16, v: Self::F) {
        // SAFETY: the caller's guarantee.
        unsafe { self.store_u16(ptr, convert::f32_to_f16(self, v)) }
    }
    /// Loads `LANES` bfloat16 values (`half::bf16` bits), each widened exactly
    /// to `f32` (a shift into the high half; a NaN stays NaN).
    ///
    /// Cost: [`Simd::load_u16`] and one shift; on AVX2 a `vbroadcasti128`
    /// (a load alone, no shuffle µop) and one `vpshufb`, one µop fewer than
    /// `vpmovzxwd` from memory and the shift.
    ///
    /// # Safety
    /// `ptr` must be valid for reading `LANES` consecutive `u16`.
    #[inline(always)]
    unsafe fn load_bf16(self, ptr: *const u16) -> Self::F {
        // SAFETY: the caller's guarantee.
        self.from_bits(self.shl::<16>(unsafe { self.load_u16(ptr) }))
    }
    /// Rounds each lane to bfloat16, to nearest even (subnormals kept, a NaN
    /// keeps its sign and the top of its payload, quieted:
    /// `half::bf16::from_f32`'s bits), and stores them.
    ///
    /// Cost: AVX-512 on a CPU with AVX512_BF16, one `vcvtneps2bf16` (three
    /// µops on Sapphire Rapids) and three operations for the subnormal
    /// inputs, which it reads as zero (a `vfpclassps`, then a masked `vpord`
    /// before and a masked `vpsubw` after, that move them into the normal
    /// range and back); AVX2 nine operations (the rounding, then a byte
    /// shuffle and a `vpermq` that gather the high halves); AVX-512 without
    /// AVX512_BF16 and NEON eight operations and [`Simd::store_u16`] (the
    /// portable form, [`convert::f32_to_bf16`]).
    ///
    /// # Safety
    /// `ptr` must be valid for writing `LANES` consecutive `u16`.
    #[inline(always)]
    unsafe fn store_bf16(self, ptr: *mut u16, v: Self::F) {
        // SAFETY: the caller's guarantee.
        unsafe { self.store_u16(ptr, convert::f32_to_bf16(self, v)) }
    }
    /// [`Simd::store_bf16`] on `N` vectors, `v[k]` at `ptr + k * LANES`.
    ///
    /// Cost: [`Simd::store_bf16`]'s per vector, but on AVX-512 with
    /// AVX512_BF16, which tests the vectors for subnormal lanes together:
    /// one `vfpclassps` per vector and one test and branch for the `N`, then
    /// one `vcvtne2ps2bf16` and one 64-byte store per two vectors (and one
    /// `vcvtneps2bf16` for an odd last one) where no lane is subnormal (the
    /// per-vector form's masked `vpord` and `vpsubw` only where one is).
    ///
    /// # Safety
    /// `ptr` must be valid for writing `N * LANES` consecutive `u16`.
    #[inline(always)]
    unsafe fn store_bf16_group<const N: usize>(self, ptr: *mut u16, v: [Self::F; N]) {
        // SAFETY: the caller's guarantee.
        unsafe { store_bf16_each(self, ptr, v) }
    }
    /// As [`Simd::store_bf16`], with the same bits, for a `v` whose NaN
    /// lanes, if any, have their quiet bit set and their low 16 bits zero
    /// (the NaN `f32::NAN`, `0x7fc0_0000`, that a gated unit gives for
    /// `0 * inf`, and the default NaNs of x86 and Arm): the rounding alone,
    /// whose sum with `0x7fff` leaves such a NaN's high half as it is, with
    /// no NaN test. Called only where [`Simd::BF16_STORE_NO_NAN`]
    /// is true.
    ///
    /// Cost: AVX2 six operations (three fewer than [`Simd::store_bf16`]);
    /// AVX-512 without AVX512_BF16 five and a `vpmovdw` (four fewer);
    /// elsewhere as [`Simd::store_bf16`], which it calls.
    ///
    /// # Safety
    /// `ptr` must be valid for writing `LANES` consecutive `u16`.
    #[inline(always)]
    unsafe fn store_bf16_no_nan(self, ptr: *mut u16, v: Self::F) {
        // SAFETY: the caller's guarantee.
        unsafe { self.store_bf16(ptr, v) }
    }

    /// `a > b` (false when either is NaN).
    #[inline(always)]
    fn gt(self, a: Self::F, b: Self::F) -> Self::M {
        self.lt(b, a)
    }
    /// `a >= b` (false when either is NaN).
    #[inline(always)]
    fn ge(self, a: Self::F, b: Self::F) -> Self::M {
        self.le(b, a)
    }
    /// `-a` (flips the sign bit, NaN included).
    #[inline(always)]
    fn neg(self, a: Self::F) -> Self::F {
        self.xor(a, self.splat(-0.0))
    }
    /// `|a|` (clears the sign bit, NaN included).
    #[inline(always)]
    fn abs(self, a: Self::F) -> Self::F {
        self.and_not(a, self.splat(-0.0))
    }
    /// The sign bit of `a` alone: `+0.0` or `-0.0` per lane.
    #[inline(always)]
    fn sign_bit(self, a: Self::F) -> Self::F {
        self.and(a, self.splat(-0.0))
    }
    /// `a * b - c` with a single rounding.
    #[inline(always)]
    fn mul_sub(self, a: Self::F, b: Self::F, c: Self::F) -> Self::F {
        self.mul_add(a, b, self.neg(c))
    }
    /// `v * 2^floor(n)`, rounded once, for `n` in `[-250, 250]` and `|v|` in
    /// `[2^-24, 2^24]` (or `v` zero or infinite, or `floor(n) == 0`): the one
    /// correctly rounded result, subnormal or overflowing included.
    ///
    /// The portable form floors `n`, builds `2^n` in the exponent field and
    /// multiplies once when every lane has `|n| <= 126`; otherwise it scales in
    /// two exact steps by `2^(n/2)` and `2^(n - n/2)`, so only the last product
    /// rounds. AVX-512 overrides it with `vscalefps`, which computes the same
    /// correctly rounded value in one instruction.
    #[inline(always)]
    fn mul_exp2(self, v: Self::F, n: Self::F) -> Self::F {
        // Adding `1.5 * 2^23 + 127` to an integer `n` leaves `n + 127`, the
        // biased exponent of `2^n`, in the low bits.
        let biased = self.splat(12_583_039.0);
        let n = self.floor(n);
        let pow2 = |n: Self::F| self.from_bits(self.shl::<23>(self.to_bits(self.add(n, biased))));
        if !self.any(self.mask_not(self.le(self.abs(n), self.splat(126.0)))) {
            return self.mul(v, pow2(n));
        }
        let half = self.sub(self.mul_add(n, self.splat(0.5), biased), biased);
        self.mul(self.mul(v, pow2(half)), pow2(self.sub(n, half)))
    }
    /// `v * 2^n`, rounded once, for an integer `n` in `[-191, 62]` where
    /// `v * 2^(n + 65)` is exact (finite, and normal or zero unless
    /// `n >= -65`): e.g. `n` in `[-185, 0]` with `|v|` in `[2^-5, 2^60]`, or
    /// `n = 0` and any `|v| < 2^63`. Results in the subnormal range are
    /// rounded once.
    ///
    /// Cost: AVX-512 one `vscalefps`; AVX2 and NEON four operations (an add
    /// that puts `n + 192` in the low mantissa bits, a shift that makes it
    /// the exponent of `2^(n + 65)`, and two products, by that and by
    /// `2^-65`, of which only the second rounds), three where the caller has
    /// the sum already ([`Simd::mul_pow2_shifted`]). Cheaper than
    /// [`Simd::mul_exp2`] on AVX2 and NEON, which handles any `n` in
    /// `[-250, 250]` with a branch.
    #[cfg_attr(
        not(any(target_arch = "x86", target_arch = "x86_64", target_arch = "aarch64")),
        allow(
            dead_code,
            reason = "called by the NEON form (AVX-512 overrides it) and a test only"
        )
    )]
    #[inline(always)]
    fn mul_pow2(self, v: Self::F, n: Self::F) -> Self::F {
        self.mul_pow2_shifted(v, n, self.add(n, self.splat(POW2_SHIFTER)))
    }
    /// [`Simd::mul_pow2`] given `n` twice: as the integer `n` and as the
    /// shifter sum `shifted = n + POW2_SHIFTER`, which a reduction that
    /// rounds with [`POW2_SHIFTER`] has in hand. The two must agree on every
    /// lane: AVX-512 reads only `n`, the other paths only `shifted`.
    ///
    /// Cost: AVX-512 one `vscalefps` of `v` and `n`; AVX2 and NEON three
    /// operations, a shift that moves the low bits of `shifted`, `n + 192`,
    /// into the exponent field of `2^(n + 65)`, and the two products.
    #[inline(always)]
    fn mul_pow2_shifted(self, v: Self::F, _n: Self::F, shifted: Self::F) -> Self::F {
        mul_pow2_field(self, v, self.to_bits(shifted))
    }
    /// `v 2^n` for an integer `n` in `[-126, 127]` (where `2^n` is a normal
    /// `f32`), given as [`Simd::mul_pow2_shifted`] takes it, rounded once:
    /// exact wherever `v 2^n` is normal. For a kernel whose scaled value
    /// stays normal on the lanes it keeps, where the general scaling's wider
    /// range costs more.
    ///
    /// Cost: AVX-512 one `vscalefps` of `v` and `n`; AVX2 and NEON three
    /// operations, of which one product: a shift that moves the low bits of
    /// `shifted`, `n + 192`, into the exponent field, an integer subtraction
    /// of `65` from that field (off the FMA pipes on Zen 4), which leaves
    /// `2^n`, and the product by it.
    #[inline(always)]
    fn mul_pow2_normal(self, v: Self::F, _n: Self::F, shifted: Self::F) -> Self::F {
        // Wrapping: bit 8 of `n + 192` lands in the sign bit, which the
        // subtraction takes back out for `n + 127` in `[1, 254]`.
        let field = self.shl::<23>(self.to_bits(shifted));
        let bias = self.to_bits(self.splat(f32::from_bits(((POW2_BIAS - 127) as u32) << 23)));
        self.mul(v, self.from_bits(self.sub_i32(field, bias)))
    }
    /// `b + v 2^n` with the bits of [`Simd::mul_pow2_shifted`]'s `v 2^n`
    /// added to `b`, for `v` and `n` in its range, wherever `v 2^n` is
    /// exact (as it is for any `v` where `n = 0`), `b` is `-0.0` (both
    /// forms give the rounded `v 2^n`, the sign of a zero included), or
    /// `|b| >= 2^-100` (where `v 2^n` is not exact it is below `2^-126`, far
    /// under half an ulp of such a `b`, so either way the sum rounds to
    /// `b`).
    ///
    /// Cost: AVX-512 two operations (a `vscalefps` and the sum); AVX2 and
    /// NEON three, a shift, the exact product by `2^(n + 65)` and an FMA
    /// that multiplies by `2^-65` and adds `b` with one rounding, where
    /// the scaling and the sum apart take four.
    #[inline(always)]
    fn mul_pow2_shifted_add(
        self,
        b: Self::F,
        v: Self::F,
        _n: Self::F,
        shifted: Self::F,
    ) -> Self::F {
        mul_pow2_field_add::<Self, false>(self, b, v, self.to_bits(shifted))
    }
    /// `b - v 2^floor(n)`, `v 2^floor(n)` rounded once and subtracted from
    /// `b` (under the conditions of [`Simd::mul_pow2_shifted_add`], with one
    /// rounding), for `n` a multiple of `2^-F` (`F >= 1`) whose floor is in
    /// [`Simd::mul_pow2`]'s range, given twice: as `n` and as the shifter sum
    /// `shifted = n + 1.5 * 2^(23 - F) + 192` (a reduction that rounds to
    /// multiples of `2^-F` with that shifter has it in hand), whose low
    /// mantissa bits hold `2^F (n + 192)`, so that shifting them right by `F`
    /// leaves `floor(n) + 192`. The two must agree on every lane: AVX-512 and
    /// NEON read only `n`, AVX2 and the scalar path only `shifted`.
    ///
    /// Cost: AVX-512 two operations (a `vscalefps`, which floors `n` itself,
    /// and the difference); AVX2 four and no branch, where a floor alone
    /// (`vroundps`) is two µops on Intel: two shifts that move
    /// `floor(n) + 192` into the exponent field of `2^(floor(n) + 65)`, the
    /// exact product by it and an FMA (`vfnmadd`) that subtracts its product
    /// by `2^-65` from `b`; NEON six: `frintm`,
    /// [`Simd::mul_pow2`]'s add, shift and two products, and the
    /// difference (LLVM merges the two shifts into a shift and an `and`
    /// whose mask takes a register, which llvm-mca put 5% slower in the
    /// `gelu` loop, and the fused FMA made that loop three instructions
    /// longer and 3% slower).
    #[inline(always)]
    fn mul_pow2_floor_shifted_sub<const F: i32>(
        self,
        b: Self::F,
        v: Self::F,
        _n: Self::F,
        shifted: Self::F,
    ) -> Self::F {
        mul_pow2_field_add::<Self, true>(self, b, v, self.shr::<F>(self.to_bits(shifted)))
    }
    /// `v * 2^n`, rounded once, for an integer `n` in `[-190, 190]` and `|v|`
    /// in `[2^-60, 2^60]` (or `v` zero or infinite): results in the subnormal
    /// range are rounded once and results above `f32::MAX` overflow to
    /// infinity, the one correctly rounded value on every path.
    ///
    /// Cost: AVX-512 one `vscalefps`; AVX2 and NEON eight single-µop
    /// operations and no branch: `v 2^(n - s)`, exact, then the product by
    /// `2^s`, the only one that rounds, with `s = 64` for `n >= 0` and `-64`
    /// below, taken from the sign of `n` by a shift and a mask that moves
    /// both exponents by 128 (an add of `n` to a shifter constant and a shift
    /// make `2^(n - 64)`'s exponent field, an integer add and a `xor` apply
    /// the mask, then two products), where [`Simd::mul_exp2`] takes a floor,
    /// a range test and a branch. Where the first product is not exact, the
    /// result is zero or infinite anyway.
    #[inline(always)]
    fn mul_pow2_wide(self, v: Self::F, n: Self::F) -> Self::F {
        // `1.5 * 2^23 + 63`: the sum with `n` holds `n + 63`, the biased
        // exponent of `2^(n - 64)`, in its low nine bits.
        let biased = self.splat(12_583_039.0 - 64.0);
        // 128 in the exponent field (bit 30) where `n < 0`, else 0: it turns
        // `2^(n - 64)` into `2^(n + 64)` and `2^64` into `2^-64`.
        let shift = self.and(
            self.from_bits(self.shr::<31>(self.to_bits(n))),
            self.splat(f32::from_bits(0x4000_0000)),
        );
        let field = self.shl::<23>(self.to_bits(self.add(n, biased)));
        let pow2 = self.from_bits(self.add_i32(field, self.to_bits(shift)));
        let last = self.xor(self.splat(f32::from_bits(0x5f80_0000)), shift);
        self.mul(self.mul(v, pow2), last)
    }
    /// `y`, except in the lanes where `x` is NaN, which get `x` with its quiet
    /// bit set (payload and sign kept): the NaN rule of every function.
    #[inline(always)]
    fn keep_nan(self, x: Self::F, y: Self::F) -> Self::F {
        let quiet = self.or(x, self.splat(f32::from_bits(0x0040_0000)));
        self.select(self.is_nan(x), quiet, y)
    }
    /// `x` in the lanes where `x` is `±0` or `+inf`, `y` elsewhere (NaN lanes
    /// of `x` get `y`): the special values a kernel passes through
    /// unchanged, where its general form would give another zero or a NaN
    /// there.
    ///
    /// Cost: AVX-512 one `vfixupimmps` (`x`'s class picks `x` or `y`); the
    /// other paths two compares, an `or` of the masks, and a select.
    #[inline(always)]
    fn pass_zero_inf(self, x: Self::F, y: Self::F) -> Self::F {
        let zero = self.eq(x, self.splat(0.0));
        let inf = self.eq(x, self.splat(f32::INFINITY));
        self.select(self.mask_or(zero, inf), x, y)
    }
    /// `x` in the lanes where `x` is finite, `y` where it is infinite or NaN.
    ///
    /// Cost: AVX-512 one `vfixupimmps` (`x`'s class picks `x` or `y`); the
    /// other paths an `and` (the magnitude), a compare with `+inf` and a
    /// select.
    #[inline(always)]
    fn select_finite(self, x: Self::F, y: Self::F) -> Self::F {
        self.select(self.lt(self.abs(x), self.splat(f32::INFINITY)), x, y)
    }
    /// The lanes where `a` is `±0`, infinite or NaN.
    ///
    /// Cost: AVX-512 one `vfpclassps`; AVX2 three operations: an `and` (the
    /// magnitude), an integer add of -1, which turns a zero into a NaN
    /// pattern and `+inf` into `f32::MAX` while every other finite value
    /// stays below `f32::MAX`, and a compare that is true where the sum is
    /// not below `f32::MAX` or is NaN; NEON and the scalar path those with
    /// the ordered compare, then a `not` of the mask.
    #[inline(always)]
    fn is_zero_or_not_finite(self, a: Self::F) -> Self::M {
        self.mask_not(self.lt(zero_to_nan(self, a), self.splat(f32::MAX)))
    }
    /// The lanes where `a` is a normal number: neither zero, subnormal,
    /// infinite nor NaN.
    ///
    /// Cost: AVX-512 one `vfpclassps` (its mask inverted, which an `and`
    /// of masks takes for free as `kandn`); the other paths three
    /// operations: an integer subtraction of the least normal's bits, which
    /// lowers a normal's exponent by one and turns a zero or subnormal of
    /// either sign into a pattern of the other sign whose magnitude is at
    /// least `+inf`, and an infinite or NaN input into one of magnitude at
    /// least `2^127`; the magnitude (an `and`), and a compare below
    /// `2^127`.
    #[inline(always)]
    fn is_normal(self, a: Self::F) -> Self::M {
        let least = self.to_bits(self.splat(f32::MIN_POSITIVE));
        let moved = self.abs(self.from_bits(self.sub_i32(self.to_bits(a), least)));
        self.lt(moved, self.splat(TWO_POW_127))
    }
    /// `floor(x)` for `|x| < 2^22` (exact). The portable form rounds with the
    /// shifter trick and steps down where that rounded up.
    #[inline(always)]
    fn floor(self, x: Self::F) -> Self::F {
        let shifter = self.splat(12_582_912.0);
        let nearest = self.sub(self.add(x, shifter), shifter);
        self.select(
            self.gt(nearest, x),
            self.sub(nearest, self.splat(1.0)),
            nearest,
        )
    }
    /// The smaller of `a` and `b`. Where either is NaN, or both are zeros,
    /// the lane's result is unspecified (it may differ between paths): use it
    /// only where such lanes are overwritten or cannot occur.
    ///
    /// Cost: one operation on every path (`vminps`, `fmin`), where a compare
    /// and a select take two (three µops for `vblendvps` on Intel).
    fn min(self, a: Self::F, b: Self::F) -> Self::F;
    /// The larger of `a` and `b`, as [`Simd::min`] (NaN and zeros alike),
    /// but for one pair of zeros: `max(-0.0, b)` is `b` where `b` is a zero,
    /// on every path (x86 and the scalar form give the second operand at a
    /// tie, NEON's `fmax` orders `-0.0` below `+0.0`), so `max(-0.0, x)` is
    /// `x` for `x >= 0` (both zeros included) and `-0.0` for `x < 0`.
    fn max(self, a: Self::F, b: Self::F) -> Self::F;
    /// `min(|a|, b)` for `b > 0`, as [`Simd::min`] where `a` is NaN.
    ///
    /// Cost: AVX-512 one `vrangeps` (AVX512DQ: the smaller magnitude, its
    /// sign cleared); AVX2, NEON and the scalar path two operations,
    /// [`Simd::abs`] and [`Simd::min`].
    #[inline(always)]
    fn abs_min(self, a: Self::F, b: Self::F) -> Self::F {
        self.min(self.abs(a), b)
    }
    /// `min(max(x, lo), hi)` for `lo <= hi`, by [`Simd::max`] and
    /// [`Simd::min`] (two operations). For a NaN `x`, or a zero `x` at a
    /// zero bound, the lane's result is unspecified (it may differ between
    /// paths): use it only where such lanes are overwritten, as the driver
    /// does for every kernel's NaN lanes, or cannot occur.
    #[inline(always)]
    fn clamp(self, x: Self::F, lo: Self::F, hi: Self::F) -> Self::F {
        self.min(self.max(x, lo), hi)
    }
    /// `c - a * b` with a single rounding.
    #[inline(always)]
    fn neg_mul_add(self, a: Self::F, b: Self::F, c: Self::F) -> Self::F {
        self.mul_add(self.neg(a), b, c)
    }
}

/// A prefetch hint for the cache line holding `ptr`, for a read (`WRITE`
/// false) or a write: `prefetcht0` for both on x86, `prfm pldl1keep` or
/// `prfm pstl1keep` on aarch64, nothing elsewhere. The paths with
/// [`Simd::PREFETCH`] use it.
#[inline(always)]
fn prefetch_hint<const WRITE: bool>(ptr: *const u8) {
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    {
        #[cfg(target_arch = "x86")]
        use core::arch::x86::{_MM_HINT_T0, _mm_prefetch};
        #[cfg(target_arch = "x86_64")]
        use core::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: `prefetcht0` (SSE, in every x86-64 CPU) reads and writes
        // nothing and cannot fault, whatever `ptr`.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(ptr.cast::<i8>()) }
    }
    #[cfg(target_arch = "aarch64")]
    // SAFETY: `prfm` is a hint: it reads and writes nothing architecturally,
    // cannot fault whatever the address, and touches no register or flag.
    unsafe {
        if WRITE {
            core::arch::asm!("prfm pstl1keep, [{0}]", in(reg) ptr, options(nostack, preserves_flags, readonly));
        } else {
            core::arch::asm!("prfm pldl1keep, [{0}]", in(reg) ptr, options(nostack, preserves_flags, readonly));
        }
    }
    #[cfg(not(any(target_arch = "x86", target_arch = "x86_64", target_arch = "aarch64")))]
    let _ = ptr;
}

#[cfg(test)]
mod tests {
    use super::Simd;
    use super::scalar::Scalar;
    use crate::Isa;
    use crate::dispatch::{SimdJob, on_isa};

    /// An operation on `N` vectors, one from each input of [`lanewise`].
    trait VectorOp<const N: usize>: Copy {
        fn apply<S: Simd>(self, s: S, v: [S::F; N]) -> S::F;
    }

    /// Applies an operation over `N` input slices a vector at a time into
    /// `out`; see [`lanewise`].
    struct Lanewise<'a, const N: usize, O> {
        op: O,
        inputs: [&'a [f32]; N],
        out: &'a mut [f32],
    }

    impl<const N: usize, O: VectorOp<N>> SimdJob for Lanewise<'_, N, O> {
        type Output = ();

        #[inline(always)]
        fn run<S: Simd>(self, s: S) {
            for (i, out) in self.out.chunks_exact_mut(S::LANES).enumerate() {
                let at = i * S::LANES;
                let mut v = [s.splat(0.0); N];
                for (v, x) in v.iter_mut().zip(self.inputs) {
                    // SAFETY: every input is as long as `out` (`lanewise`
                    // checks), so each holds `LANES` elements from `at`.
                    *v = unsafe { s.load(x[at..].as_ptr()) };
                }
                // SAFETY: `out` is a chunk of `LANES` elements.
                unsafe { s.store(out.as_mut_ptr(), self.op.apply(s, v)) };
            }
        }
    }

    /// `op` on path `isa` over inputs of one length, a whole number of
    /// vectors of every path (16 lanes).
    fn lanewise<const N: usize, O: VectorOp<N>>(isa: Isa, op: O, inputs: [&[f32]; N]) -> Vec<f32> {
        let len = inputs[0].len();
        assert!(inputs.iter().all(|x| x.len() == len) && len.is_multiple_of(16));
        assert!(isa.is_available(), "{isa}");
        let mut out = vec![f32::NAN; len];
        // SAFETY: an available path (just checked); the job's slices are its
        // own, of the lengths just checked.
        unsafe {
            on_isa(
                isa,
                Lanewise {
                    op,
                    inputs,
                    out: &mut out,
                },
            )
        };
        out
    }

    /// [`Simd::pass_zero_inf`] (`WHICH` 0), [`Simd::select_finite`] (1), a
    /// select by [`Simd::is_zero_or_not_finite`] (2) or by
    /// [`Simd::is_normal`] (3) of `[x, y]`: `x`'s lanes where they pass,
    /// `y`'s elsewhere.
    #[derive(Clone, Copy)]
    struct ClassSelect<const WHICH: u8>;

    impl<const WHICH: u8> VectorOp<2> for ClassSelect<WHICH> {
        #[inline(always)]
        fn apply<S: Simd>(self, s: S, [x, y]: [S::F; 2]) -> S::F {
            match WHICH {
                0 => s.pass_zero_inf(x, y),
                1 => s.select_finite(x, y),
                2 => s.select(s.is_zero_or_not_finite(x), y, x),
                _ => s.select(s.is_normal(x), x, y),
            }
        }
    }

    /// On path `isa`, `pass_zero_inf` (`WHICH` 0) keeps exactly the lanes
    /// of `x` that are `±0` or `+inf`, `select_finite` (1) exactly the finite
    /// ones, the select by `is_zero_or_not_finite` (2) exactly the finite
    /// nonzero ones, and the select by `is_normal` (3) exactly the normal
    /// ones, bit for bit; every other lane gets `y`'s bits.
    fn check_class_select<const WHICH: u8>(isa: Isa, x: &[f32], y: &[f32]) {
        let out = lanewise(isa, ClassSelect::<WHICH>, [x, y]);
        for ((&x, &y), got) in x.iter().zip(y).zip(out) {
            let pass = match WHICH {
                0 => x == 0.0 || x == f32::INFINITY,
                1 => x.is_finite(),
                2 => x.is_finite() && x != 0.0,
                _ => x.is_normal(),
            };
            let want = if pass { x } else { y };
            assert_eq!(
                got.to_bits(),
                want.to_bits(),
                "{isa}, select {WHICH}: x = {x:e} ({:#010x})",
                x.to_bits()
            );
        }
    }

    /// [`Simd::pass_zero_inf`], [`Simd::select_finite`],
    /// [`Simd::is_zero_or_not_finite`] and [`Simd::is_normal`] on every
    /// path, over every class of `x`: zeros, infinities, quiet and
    /// signalling NaNs, subnormals (which `vfixupimmps` must not class as
    /// zero), normals of both signs (the least and the greatest, and those
    /// of the greatest exponent, which the portable `is_normal` moves to
    /// just below its bound), mixed in every vector.
    #[test]
    fn class_selects_keep_only_their_classes_on_every_path() {
        let specials = [
            0.0f32,
            -0.0,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
            f32::from_bits(0x7f80_0001),
            f32::from_bits(0xffc0_1234),
            f32::from_bits(1),
            -f32::from_bits(1),
            f32::from_bits(0x007f_ffff),
            -f32::MIN_POSITIVE,
            1.0,
            -1.0,
            f32::MAX,
            f32::MIN,
            3.25e-20,
            -7.5e12,
            f32::MIN_POSITIVE,
            f32::from_bits(0x0080_0001),
            -f32::from_bits(0x007f_ffff),
            -f32::from_bits(0x7f00_0000),
            f32::from_bits(0x7f7f_fffe),
            f32::from_bits(0xffc0_0000),
            f32::from_bits(0xff80_0001),
        ];
        let mut x: Vec<f32> = (0..16 * specials.len())
            .map(|i| specials[(i * 5 + i / specials.len()) % specials.len()])
            .collect();
        x.resize(x.len().next_multiple_of(16), 2.5);
        let y: Vec<f32> = (0..x.len()).map(|i| i as f32 * -0.375 - 1.0).collect();
        for &isa in Isa::available() {
            check_class_select::<0>(isa, &x, &y);
            check_class_select::<1>(isa, &x, &y);
            check_class_select::<2>(isa, &x, &y);
            check_class_select::<3>(isa, &x, &y);
        }
    }

    /// `max(-0.0, x)`.
    #[derive(Clone, Copy)]
    struct MaxOfNegZero;

    impl VectorOp<1> for MaxOfNegZero {
        #[inline(always)]
        fn apply<S: Simd>(self, s: S, [x]: [S::F; 1]) -> S::F {
            s.max(s.splat(-0.0), x)
        }
    }

    /// [`Simd::max`]'s one specified pair of zeros: `max(-0.0, x)` is `x`
    /// for `x >= 0`, both zeros with their signs, and `-0.0` for `x < 0`,
    /// on every path.
    #[test]
    fn max_of_negative_zero_keeps_the_sign_of_a_zero_on_every_path() {
        let values = [
            0.0f32,
            -0.0,
            f32::from_bits(1),
            -f32::from_bits(1),
            1.0,
            -1.0,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ];
        let x: Vec<f32> = (0..16 * values.len())
            .map(|i| values[(i * 3 + i / values.len()) % values.len()])
            .collect();
        for &isa in Isa::available() {
            let out = lanewise(isa, MaxOfNegZero, [&x]);
            for (&x, got) in x.iter().zip(out) {
                let want = if x < 0.0 { -0.0 } else { x };
                assert_eq!(got.to_bits(), want.to_bits(), "{isa}: x = {x:e}");
            }
        }
    }

    /// `kernels::recip_rough` (`NEG` false or true) of each lane.
    #[derive(Clone, Copy)]
    struct RecipRough<const NEG: bool>;

    impl<const NEG: bool> VectorOp<1> for RecipRough<NEG> {
        #[inline(always)]
        fn apply<S: Simd>(self, s: S, [d]: [S::F; 1]) -> S::F {
            crate::kernels::recip_rough::<S, NEG>(s, d)
        }
    }

    /// `recip_rough` is within 5.1% of `1/d` (or of `-1/d`) for positive
    /// normal `d` below `2^125`, the same bits on every path: every 97th
    /// mantissa of the binades at both ends of that range and around 1.
    #[test]
    fn recip_rough_is_within_its_bound_on_every_path() {
        let mut d: Vec<f32> = [-126, -1, 0, 1, 124]
            .iter()
            .flat_map(|&e: &i32| {
                let base = ((e + 127) as u32) << 23;
                (0..1u32 << 23)
                    .step_by(97)
                    .map(move |m| f32::from_bits(base | m))
            })
            .collect();
        d.resize(d.len().next_multiple_of(16), 1.0);
        let scalar = lanewise(Isa::Scalar, RecipRough::<false>, [&d]);
        for &isa in Isa::available() {
            let pos = lanewise(isa, RecipRough::<false>, [&d]);
            let neg = lanewise(isa, RecipRough::<true>, [&d]);
            for (((&d, &p), &n), &sc) in d.iter().zip(&pos).zip(&neg).zip(&scalar) {
                let err = (f64::from(p) * f64::from(d) - 1.0).abs();
                assert!(err <= 0.0506, "{isa}: d = {d:e}, r = {p:e}, error {err}");
                assert_eq!(n.to_bits(), (-p).to_bits(), "{isa}: d = {d:e}");
                assert_eq!(p.to_bits(), sc.to_bits(), "{isa}: d = {d:e}");
            }
        }
    }

    /// The portable `mul_pow2_wide` (the AVX2 and NEON form) is the correctly
    /// rounded `v 2^n` over its whole domain: subnormal results, overflow and
    /// both signs of `n` and `v`.
    #[test]
    fn mul_pow2_wide_rounds_once() {
        let vs = [
            1.0f32,
            -1.0,
            core::f32::consts::FRAC_1_SQRT_2,
            core::f32::consts::SQRT_2,
            1.000_000_1,
            -0.999_999_94,
            1.5,
            2f32.powi(-60),
            -2f32.powi(60) * 1.75,
            0.0,
            -0.0,
        ];
        for n in -190..=190 {
            for &v in &vs {
                let want = (f64::from(v) * 2f64.powi(n)) as f32;
                let got = Scalar.mul_pow2_wide(v, n as f32);
                assert_eq!(got.to_bits(), want.to_bits(), "v = {v:e}, n = {n}");
            }
        }
        assert_eq!(Scalar.mul_pow2_wide(f32::INFINITY, -150.0), f32::INFINITY);
    }

    /// `POW2_SHIFTER` rounds as `1.5 * 2^23` does, ties included, and its sum
    /// makes the portable `mul_pow2_shifted` (the AVX2 and NEON form) the
    /// correctly rounded `v 2^n` over `n` in `[-191, 62]`, subnormal results
    /// included.
    #[test]
    fn shifter_sum_scales_by_its_integer() {
        let shifter = 12_582_912.0f32;
        for k in -800i32..=800 {
            let t = k as f32 / 2.0 + [0.0, 0.25, -0.25][k.rem_euclid(3) as usize];
            let shifted = t + super::POW2_SHIFTER;
            let n = shifted - super::POW2_SHIFTER;
            assert_eq!(n, (t + shifter) - shifter, "t = {t}");
            assert_eq!(Scalar.to_bits(shifted) & 0x1ff, (n as i32 + 192) & 0x1ff);
        }
        let vs = [1.0f32, -1.999_999_9, 0.707_106_9, 1.000_000_1, -0.0];
        for n in -191..=62 {
            let nf = n as f32;
            for &v in &vs {
                let want = (f64::from(v) * 2f64.powi(n)) as f32;
                let got = Scalar.mul_pow2_shifted(v, nf, nf + super::POW2_SHIFTER);
                assert_eq!(got.to_bits(), want.to_bits(), "v = {v:e}, n = {n}");
                assert_eq!(Scalar.mul_pow2(v, nf).to_bits(), want.to_bits());
            }
        }
    }

    /// `[v, n, shifted]` through [`Simd::mul_pow2_normal`].
    #[derive(Clone, Copy)]
    struct Pow2Normal;

    impl VectorOp<3> for Pow2Normal {
        #[inline(always)]
        fn apply<S: Simd>(self, s: S, [v, n, shifted]: [S::F; 3]) -> S::F {
            s.mul_pow2_normal(v, n, shifted)
        }
    }

    /// [`Simd::mul_pow2_normal`] on every path is the correctly rounded
    /// `v 2^n` for every `n` in `[-126, 127]`, exact where that is normal
    /// (and rounded once below, `+inf` above, as a product rounds).
    #[test]
    fn mul_pow2_normal_scales_by_a_normal_power_on_every_path() {
        let vs = [
            1.0f32,
            -1.999_999_9,
            0.707_106_9,
            1.000_000_1,
            -0.0,
            0.5,
            3.0,
        ];
        let (mut v, mut n, mut shifted) = (Vec::new(), Vec::new(), Vec::new());
        for k in -126..=127 {
            for &x in &vs {
                v.push(x);
                n.push(k as f32);
                shifted.push(k as f32 + super::POW2_SHIFTER);
            }
        }
        while !v.len().is_multiple_of(16) {
            v.push(1.0);
            n.push(0.0);
            shifted.push(super::POW2_SHIFTER);
        }
        for &isa in Isa::available() {
            let out = lanewise(isa, Pow2Normal, [&v, &n, &shifted]);
            for (i, got) in out.iter().enumerate() {
                let want = (f64::from(v[i]) * 2f64.powf(f64::from(n[i]))) as f32;
                assert_eq!(
                    got.to_bits(),
                    want.to_bits(),
                    "{isa}: v = {:e}, n = {}",
                    v[i],
                    n[i]
                );
            }
        }
    }

    /// [`Simd::mul_pow2_shifted_add`] (`FLOOR` false) or
    /// [`Simd::mul_pow2_floor_shifted_sub`] in eighths (`FLOOR` true) of
    /// `[b, v, n, shifted]`.
    #[derive(Clone, Copy)]
    struct Pow2Sum<const FLOOR: bool>;

    impl<const FLOOR: bool> VectorOp<4> for Pow2Sum<FLOOR> {
        #[inline(always)]
        fn apply<S: Simd>(self, s: S, [b, v, n, shifted]: [S::F; 4]) -> S::F {
            if FLOOR {
                s.mul_pow2_floor_shifted_sub::<3>(b, v, n, shifted)
            } else {
                s.mul_pow2_shifted_add(b, v, n, shifted)
            }
        }
    }

    /// Cases of the two fused scalings: each `v` with each `n` and each `b`
    /// of `-0.0` (where subnormal results must be rounded once, and zeros
    /// keep the product's sign), `±2^-100` (where a subnormal scaled value
    /// must leave `b`) and larger values (exact scaled values, one rounding
    /// of the sum), padded to whole vectors: `b`, `v`, `n`, the shifter sums
    /// and the exact `v 2^floor(n)`.
    fn pow2_sum_cases(vs: &[f32], ns: &[f32], shifter: f32) -> [Vec<f64>; 5] {
        let bs = [-0.0f32, 2f32.powi(-100), -(2f32.powi(-100)), 0.75, -3.0];
        let mut cases: [Vec<f64>; 5] = Default::default();
        let mut push = |row: [f64; 5]| {
            for (column, value) in cases.iter_mut().zip(row) {
                column.push(value);
            }
        };
        let mut count = 0usize;
        for &n in ns {
            for &v in vs {
                for &b in &bs {
                    let scaled = f64::from(v) * 2f64.powf(f64::from(n).floor());
                    let [b, v, n, shifted] = [b, v, n, n + shifter].map(f64::from);
                    push([b, v, n, shifted, scaled]);
                    count += 1;
                }
            }
        }
        while !count.is_multiple_of(16) {
            push([0.75, 1.0, 0.0, f64::from(shifter), 1.0]);
            count += 1;
        }
        cases
    }

    /// Runs [`Pow2Sum`] over the cases on every path and checks each result
    /// against the two steps in `f32`: the scaled value rounded once from the
    /// exact one, then added to (or subtracted from) `b` with one rounding.
    fn check_pow2_sum<const FLOOR: bool>(cases: &[Vec<f64>; 5]) {
        let column = |i: usize| cases[i].iter().map(|&x| x as f32).collect::<Vec<f32>>();
        let (b, v, n, shifted) = (column(0), column(1), column(2), column(3));
        for &isa in Isa::available() {
            let out = lanewise(isa, Pow2Sum::<FLOOR>, [&b, &v, &n, &shifted]);
            for (i, got) in out.iter().enumerate() {
                let scaled = cases[4][i] as f32;
                let want = if FLOOR { b[i] - scaled } else { b[i] + scaled };
                assert_eq!(
                    got.to_bits(),
                    want.to_bits(),
                    "{isa}: b = {:e}, v = {:e}, n = {}",
                    b[i],
                    v[i],
                    n[i]
                );
            }
        }
    }

    /// [`Simd::mul_pow2_floor_shifted_sub`] on every path is `b` less the
    /// correctly rounded `v 2^floor(n)`, rounded once more, for `n` in
    /// eighths between the integers of `[-185, 62]` and on them, `|v|` in
    /// `[2^-5, 2]` (and any `v` where `floor(n) = 0`), `b` as in
    /// [`pow2_sum_cases`], with the sum rounded by the shifter
    /// `1.5 * 2^20 + 192`, ties to even as `1.5 * 2^20` alone.
    #[test]
    fn mul_pow2_floor_shifted_sub_rounds_as_two_steps_on_every_path() {
        let shifter = 1_572_864.0f32 + super::POW2_BIAS as f32;
        let ns: Vec<f32> = (-185 * 8..=62 * 8 + 7).map(|k| k as f32 / 8.0).collect();
        for &n in &ns {
            for t in [n, n + 1.0 / 32.0, n - 1.0 / 16.0] {
                let shifted = t + shifter;
                assert_eq!(
                    shifted - shifter,
                    (t + 1_572_864.0) - 1_572_864.0,
                    "t = {t}"
                );
            }
        }
        let vs = [
            2f32.powi(-5),
            -0.390_625_06,
            0.777_777_8,
            1.999_999_9,
            -1.0,
            0.0,
        ];
        check_pow2_sum::<true>(&pow2_sum_cases(&vs, &ns, shifter));
        check_pow2_sum::<true>(&pow2_sum_cases(&[f32::from_bits(3)], &[0.5], shifter));
    }

    /// [`Simd::mul_pow2_shifted_add`] on every path is `b` plus the
    /// correctly rounded `v 2^n`, rounded once more, for `n` in
    /// `[-185, 62]`, `b` as in [`pow2_sum_cases`].
    #[test]
    fn mul_pow2_shifted_add_rounds_as_two_steps_on_every_path() {
        let vs = [1.0f32, -1.999_999_9, 0.707_106_9, 1.000_000_1, -0.0];
        let ns: Vec<f32> = (-185..=62).map(|n| n as f32).collect();
        check_pow2_sum::<false>(&pow2_sum_cases(&vs, &ns, super::POW2_SHIFTER));
    }
}
