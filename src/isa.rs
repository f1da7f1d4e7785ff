//! The instruction-set paths, their detection and the cached dispatch choice.

use crate::error::{Error, ISA_ENV_VAR};
use core::fmt;
use core::str::FromStr;
use std::sync::atomic::{AtomicU8, Ordering};

/// An instruction-set path. Every path computes the same bits; they differ
/// only in speed. Later versions may add paths (the enum is
/// `#[non_exhaustive]`): [`Isa::ALL`] lists this version's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Isa {
    /// One lane of plain `f32` arithmetic with fused multiply-add. Runs
    /// everywhere; it is the reference the other paths are tested against.
    Scalar,
    /// x86-64 AVX2 with FMA and F16C (the x86-64-v3 level), 8 lanes.
    Avx2,
    /// x86-64 AVX-512 (F, BW, CD, DQ, VL: the x86-64-v4 level), 16 lanes.
    Avx512,
    /// aarch64 Advanced SIMD (NEON) with FMA, 4 lanes.
    Neon,
}

/// Paths in preference order (least capable first) for this build's target.
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
const LADDER: [Isa; 3] = [Isa::Scalar, Isa::Avx2, Isa::Avx512];
#[cfg(target_arch = "aarch64")]
const LADDER: [Isa; 2] = [Isa::Scalar, Isa::Neon];
#[cfg(not(any(target_arch = "x86", target_arch = "x86_64", target_arch = "aarch64")))]
const LADDER: [Isa; 1] = [Isa::Scalar];

impl Isa {
    /// Every path this crate knows, on any architecture.
    pub const ALL: &'static [Isa] = &[Isa::Scalar, Isa::Avx2, Isa::Avx512, Isa::Neon];

    /// The lowercase name used by [`FromStr`] and `SIMD_ACTIVATIONS_ISA`:
    /// `scalar`, `avx2`, `avx512` or `neon`.
    pub fn name(self) -> &'static str {
        match self {
            Isa::Scalar => "scalar",
            Isa::Avx2 => "avx2",
            Isa::Avx512 => "avx512",
            Isa::Neon => "neon",
        }
    }

    /// `f32` lanes per vector on this path.
    pub fn lanes(self) -> usize {
        match self {
            Isa::Scalar => 1,
            Isa::Avx2 => 8,
            Isa::Avx512 => 16,
            Isa::Neon => 4,
        }
    }

    /// Whether this CPU runs this path.
    #[inline]
    pub fn is_available(self) -> bool {
        Isa::available().contains(&self)
    }

    /// Every path this CPU runs, scalar first and the most capable last.
    /// Detected once; later calls read a cached value.
    #[inline]
    pub fn available() -> &'static [Isa] {
        let mut count = AVAILABLE.load(Ordering::Relaxed) as usize;
        if count == 0 {
            count = detect_available();
        }
        &LADDER[..count]
    }

    /// The path dispatch uses: the limit set by [`Isa::set_limit`] if any,
    /// else the most capable available path, capped by the
    /// `SIMD_ACTIVATIONS_ISA` environment variable if it is set (read until
    /// a call finds it valid or unset, then cached).
    ///
    /// # Panics
    /// If no limit is set and `SIMD_ACTIVATIONS_ISA` is set to an unknown
    /// name or to a path this CPU lacks; the message names the variable and
    /// the valid values. [`Isa::try_best`] returns that error instead, and
    /// so do the functions that return a `Result`.
    pub fn best() -> Isa {
        Isa::try_best().unwrap_or_else(|e| panic!("{e}"))
    }

    /// [`Isa::best`] without the panic: the error when no limit is set and
    /// `SIMD_ACTIVATIONS_ISA` is unknown or unavailable (nothing is cached
    /// then, so each call reports it again).
    ///
    /// Once the path is known, a call is two atomic loads, inlined into the
    /// caller.
    #[inline]
    pub fn try_best() -> Result<Isa, Error> {
        if let Some(limit) = Isa::ALL.get(LIMIT.load(Ordering::Relaxed) as usize) {
            return Ok(*limit);
        }
        if let Some(isa) = Isa::ALL.get(CHOSEN.load(Ordering::Relaxed) as usize) {
            return Ok(*isa);
        }
        Isa::choose()
    }

    /// The first choice of [`Isa::try_best`] (or its error, every time
    /// until the variable is valid or unset), cached in `CHOSEN`.
    #[cold]
    #[inline(never)]
    fn choose() -> Result<Isa, Error> {
        let isa = match Isa::from_env()? {
            Some(isa) => isa,
            None => *Isa::available().last().unwrap_or(&Isa::Scalar),
        };
        let index = Isa::ALL.iter().position(|i| *i == isa).unwrap_or(0);
        CHOSEN.store(index as u8, Ordering::Relaxed);
        Ok(isa)
    }

    /// The path `SIMD_ACTIVATIONS_ISA` asks for: `Ok(None)` when the variable
    /// is unset or empty, an error when it names an unknown path or one this
    /// CPU lacks.
    pub fn from_env() -> Result<Option<Isa>, Error> {
        let Some(value) = std::env::var_os(ISA_ENV_VAR) else {
            return Ok(None);
        };
        let value = value.to_string_lossy().into_owned();
        if value.trim().is_empty() {
            return Ok(None);
        }
        let env_error = |reason: Error| Error::Env {
            value: value.clone(),
            reason: Box::new(reason),
        };
        let isa: Isa = value.trim().parse().map_err(env_error)?;
        if !isa.is_available() {
            return Err(env_error(Error::UnavailableIsa { isa }));
        }
        Ok(Some(isa))
    }

    /// Makes dispatch use `isa` from now on, in every thread, whatever
    /// `SIMD_ACTIVATIONS_ISA` says: for an engine that chooses the path in
    /// code (to compare paths, or to keep the same path on every machine of
    /// a fleet). It may be called before or after the first call of any
    /// function; [`Isa::clear_limit`] returns to the default choice. The
    /// register functions of a build that inlines their path keep it (see
    /// [`crate::register`]); every path gives the same bits.
    ///
    /// # Errors
    /// [`Error::UnavailableIsa`] if this CPU lacks `isa`; the limit is then
    /// unchanged.
    pub fn set_limit(isa: Isa) -> Result<(), Error> {
        let isa = isa.check()?;
        let index = Isa::ALL.iter().position(|i| *i == isa).unwrap_or(0);
        LIMIT.store(index as u8, Ordering::Relaxed);
        Ok(())
    }

    /// Removes the limit of [`Isa::set_limit`]: dispatch goes back to the
    /// most capable path, capped by `SIMD_ACTIVATIONS_ISA`.
    pub fn clear_limit() {
        LIMIT.store(u8::MAX, Ordering::Relaxed);
    }

    /// The limit set by [`Isa::set_limit`], if any.
    pub fn limit() -> Option<Isa> {
        Isa::ALL
            .get(LIMIT.load(Ordering::Relaxed) as usize)
            .copied()
    }

    /// `Ok(self)` if this CPU runs this path, else [`Error::UnavailableIsa`].
    #[inline]
    pub fn check(self) -> Result<Isa, Error> {
        if self.is_available() {
            Ok(self)
        } else {
            Err(Error::UnavailableIsa { isa: self })
        }
    }
}

impl fmt::Display for Isa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Isa {
    type Err = Error;

    /// Parses `scalar`, `avx2`, `avx512` or `neon` (ASCII case-insensitive).
    fn from_str(s: &str) -> Result<Isa, Error> {
        Isa::ALL
            .iter()
            .find(|isa| isa.name().eq_ignore_ascii_case(s))
            .copied()
            .ok_or_else(|| Error::UnknownIsa { name: s.to_owned() })
    }
}

/// The index in [`Isa::ALL`] of the limit set by [`Isa::set_limit`], or
/// `u8::MAX` for none.
static LIMIT: AtomicU8 = AtomicU8::new(u8::MAX);
/// The index in [`Isa::ALL`] of the path [`Isa::try_best`] chose without a
/// limit, or `u8::MAX` before its first successful call.
static CHOSEN: AtomicU8 = AtomicU8::new(u8::MAX);

/// The path the build target guarantees (`-C target-cpu=...`), if any: every
/// CPU that can run this binary runs it. Set by `build.rs`.
pub const NATIVE: Option<Isa> = if cfg!(simd_activations_native = "avx512") {
    Some(Isa::Avx512)
} else if cfg!(simd_activations_native = "avx2") {
    Some(Isa::Avx2)
} else if cfg!(simd_activations_native = "neon") {
    Some(Isa::Neon)
} else {
    None
};

/// Whether the CPU has AVX512_BF16, whose `vcvtneps2bf16` the AVX-512 path
/// uses to store bfloat16 (see `dispatch::on_isa`). The standard library
/// detects it once and caches it (later calls read an atomic), and answers
/// `true` without asking when the build target guarantees it.
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
pub(crate) fn has_avx512_bf16() -> bool {
    #[cfg(test)]
    if tests::WITHOUT_AVX512_BF16.get() {
        return false;
    }
    std::arch::is_x86_feature_detected!("avx512bf16")
}

/// Whether the slice loops hint the cache lines ahead of them
/// ([`Prefetch`](crate::driver::Prefetch)), on the paths that can: on every
/// CPU but AMD's x86 ones (and Hygon's, of the same design). The hints were
/// measured faster on an Intel Xeon and slower, in cache and from memory,
/// on an AMD EPYC (Zen 4); see the README's Throughput section. Read once
/// from CPUID's vendor string and cached (later calls read an atomic).
#[inline]
pub(crate) fn software_prefetch() -> bool {
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    {
        #[cfg(target_arch = "x86")]
        use core::arch::x86::__cpuid;
        #[cfg(target_arch = "x86_64")]
        use core::arch::x86_64::__cpuid;
        static WANTED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        *WANTED.get_or_init(|| {
            // SAFETY: CPUID's leaf 0 exists on every CPU that runs a path
            // with hints (AVX2 or AVX-512). (The intrinsic is a safe
            // function in newer Rust.)
            #[allow(unused_unsafe)]
            let id = unsafe { __cpuid(0) };
            let mut vendor = [0u8; 12];
            for (bytes, word) in vendor.chunks_exact_mut(4).zip([id.ebx, id.edx, id.ecx]) {
                bytes.copy_from_slice(&word.to_le_bytes());
            }
            !matches!(&vendor, b"AuthenticAMD" | b"HygonGenuine")
        })
    }
    #[cfg(not(any(target_arch = "x86", target_arch = "x86_64")))]
    {
        true
    }
}

/// The smallest output, in bytes, that a slice loop stores past the caches
/// ([`Simd::store_stream`](crate::simd::Simd::store_stream), on the paths
/// where it differs from a plain store): the size of the CPU's largest
/// cache, from CPUID (Intel's leaf 4, AMD's leaf `0x8000_001D`), or
/// `usize::MAX` (never) where CPUID does not give it. Read once and cached
/// (later calls read an atomic).
///
/// An output that large cannot stay in the caches for its reader, and a
/// plain store reads each line from memory before writing it: streaming
/// moves two bytes for each three in a one-input loop. Measured on Zen 4 (32
/// MiB of L3) with a loop of AVX-512 `max` from one buffer into another,
/// streaming against plain stores:
/// 1.30 to 1.39 times as fast at 16 Mi elements (64 MiB out), 1.17 to 1.34
/// at 8 Mi (32 MiB), 0.72 to 0.88 at 4 Mi (16 MiB, which the cache holds
/// with its input). In place it gained nothing (1.00 at 16 Mi, 0.71 at 8
/// Mi): the loop has read each line already, so the loops never stream
/// there.
#[inline]
pub(crate) fn stream_min_bytes() -> usize {
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    {
        static MIN: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
        *MIN.get_or_init(|| largest_cache_bytes().unwrap_or(usize::MAX))
    }
    #[cfg(not(any(target_arch = "x86", target_arch = "x86_64")))]
    {
        usize::MAX
    }
}

/// The size of the largest data or unified cache that CPUID describes, in
/// bytes, from the leaf Linux reads for the vendor: AMD's and Hygon's cache
/// properties (leaf `0x8000_001D`, with the topology extensions), Intel's and
/// the others' deterministic cache parameters (leaf 4), in the same format.
/// `None` where that leaf does not exist or describes no cache. It describes
/// the core that asks: on a CPU whose cores differ in their caches, the
/// first call's core decides.
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
#[cold]
fn largest_cache_bytes() -> Option<usize> {
    #[cfg(target_arch = "x86")]
    use core::arch::x86::{__cpuid, __cpuid_count};
    #[cfg(target_arch = "x86_64")]
    use core::arch::x86_64::{__cpuid, __cpuid_count};
    // SAFETY (of each `__cpuid` and `__cpuid_count` below): CPUID exists on
    // every CPU the x86 and x86-64 targets support, and each leaf asked for
    // is at most the highest leaf of its range, which leaf 0 and leaf
    // `0x8000_0000` report. (The intrinsics are safe functions in newer
    // Rust.)
    #[allow(unused_unsafe)]
    let (id, extended_max) = unsafe { (__cpuid(0), __cpuid(0x8000_0000).eax) };
    let mut vendor = [0u8; 12];
    for (bytes, word) in vendor.chunks_exact_mut(4).zip([id.ebx, id.edx, id.ecx]) {
        bytes.copy_from_slice(&word.to_le_bytes());
    }
    let leaf = if matches!(&vendor, b"AuthenticAMD" | b"HygonGenuine") {
        #[allow(unused_unsafe)]
        let topology =
            extended_max >= 0x8000_001D && unsafe { __cpuid(0x8000_0001).ecx } & (1 << 22) != 0;
        topology.then_some(0x8000_001D)?
    } else {
        (id.eax >= 4).then_some(4)?
    };
    let mut largest = 0u64;
    for sub in 0..16 {
        #[allow(unused_unsafe)]
        let r = unsafe { __cpuid_count(leaf, sub) };
        match r.eax & 0x1f {
            0 => break,
            // An instruction cache.
            2 => continue,
            _ => {}
        }
        let ways = u64::from(r.ebx >> 22) + 1;
        let partitions = u64::from((r.ebx >> 12) & 0x3ff) + 1;
        let line = u64::from(r.ebx & 0xfff) + 1;
        let sets = u64::from(r.ecx) + 1;
        largest = largest.max(ways * partitions * line * sets);
    }
    (largest > 0).then(|| usize::try_from(largest).unwrap_or(usize::MAX))
}

/// How many paths of [`LADDER`] this CPU runs (the scalar path at least),
/// once detected; `0` before.
static AVAILABLE: AtomicU8 = AtomicU8::new(0);

/// Detects the paths of [`Isa::available`] and caches their count.
#[cold]
#[inline(never)]
fn detect_available() -> usize {
    let count = LADDER.iter().take_while(|isa| detect(**isa)).count();
    AVAILABLE.store(count as u8, Ordering::Relaxed);
    count
}

/// Whether the CPU runs `isa`: `true` without asking for paths the build target
/// guarantees, else runtime detection through pulp.
fn detect(isa: Isa) -> bool {
    if let Some(native) = NATIVE
        && LADDER.iter().position(|i| *i == isa) <= LADDER.iter().position(|i| *i == native)
    {
        return true;
    }
    match isa {
        Isa::Scalar => true,
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        Isa::Avx2 => pulp::x86::V3::is_available() && std::arch::is_x86_feature_detected!("f16c"),
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        Isa::Avx512 => pulp::x86::V4::is_available(),
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => pulp::aarch64::Neon::is_available(),
        #[allow(unreachable_patterns)]
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    use crate::{Activation, GatedUnit, Isa, Mask, MaskedRows, bf16};

    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    std::thread_local! {
        /// Set on a test's thread: [`super::has_avx512_bf16`] answers
        /// `false` there, so that the AVX-512 path stores `bf16` with the
        /// portable integer rounding, as on a CPU without AVX512_BF16.
        pub(super) static WITHOUT_AVX512_BF16: core::cell::Cell<bool> =
            const { core::cell::Cell::new(false) };
    }

    /// The entry points that store `bf16` on the AVX-512 path give the
    /// same bits with AVX512_BF16's conversions as with the portable
    /// rounding that CPUs without it (Skylake-X, Ice Lake) run: every
    /// `bf16` input through every function, both row functions with and
    /// without a mask, `prelu`, `frelu`, the gated units and their rows,
    /// and `f32` and `f16` into `bf16`. A CPU without AVX512_BF16 runs only
    /// the portable form, so there is nothing to compare on it.
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    #[test]
    fn avx512_bf16_stores_give_the_portable_bits() {
        if !Isa::Avx512.is_available() || !super::has_avx512_bf16() {
            return;
        }
        let isa = Isa::Avx512;
        let x: Vec<bf16> = (0..=u16::MAX).map(bf16::from_bits).collect();
        let wide: Vec<f32> = (0..1 << 16)
            .map(|i: u32| f32::from_bits(i.wrapping_mul(0x9e37_79b9)))
            .collect();
        let finite: Vec<bf16> = x.iter().copied().filter(|v| v.is_finite()).collect();
        let rows = &finite[..finite.len() / 61 * 61];
        let mask: Vec<bf16> = (0..61)
            .map(|i| bf16::from_f32(if i % 4 == 0 { f32::NEG_INFINITY } else { -0.5 }))
            .collect();
        let run = |without: bool| -> Vec<Vec<u16>> {
            WITHOUT_AVX512_BF16.set(without);
            let mut out = Vec::new();
            let mut keep = |y: &[bf16]| out.push(y.iter().map(|h| h.to_bits()).collect());
            let mut y = vec![bf16::ZERO; x.len()];
            for (f, _) in crate::reference::cases() {
                f.forward_on(isa, &x, &mut y).unwrap();
                keep(&y);
            }
            Activation::Gelu
                .forward_mixed_on(isa, &wide, &mut y)
                .unwrap();
            keep(&y);
            let halves: Vec<crate::f16> = (0..=u16::MAX).map(crate::f16::from_bits).collect();
            Activation::Silu
                .forward_mixed_on(isa, &halves, &mut y)
                .unwrap();
            keep(&y);
            let mut r = vec![bf16::ZERO; rows.len()];
            crate::softmax_on(isa, rows, &mut r, 61).unwrap();
            keep(&r);
            crate::log_softmax_on(isa, rows, &mut r, 61).unwrap();
            keep(&r);
            let options = (0.5, Mask::Row(&mask), MaskedRows::Zero);
            crate::softmax_masked_on(isa, rows, &mut r, 61, options).unwrap();
            keep(&r);
            crate::log_softmax_masked_on(isa, rows, &mut r, 61, options).unwrap();
            keep(&r);
            crate::prelu_on(isa, &x, &mut y, &[0.25, -3.0], 2, 8).unwrap();
            keep(&y);
            let up: Vec<bf16> = x.iter().rev().copied().collect();
            crate::frelu_on(isa, &x, &up, &mut y).unwrap();
            keep(&y);
            for &unit in GatedUnit::ALL {
                unit.forward_on(isa, &x, &up, &mut y).unwrap();
                keep(&y);
                let mut h = vec![bf16::ZERO; x.len() / 2];
                unit.forward_rows_on(isa, &x, &mut h, 128, false).unwrap();
                keep(&h);
            }
            WITHOUT_AVX512_BF16.set(false);
            out
        };
        let (native, portable) = (run(false), run(true));
        assert_eq!(native.len(), portable.len());
        for (k, (a, b)) in native.iter().zip(&portable).enumerate() {
            let first = a.iter().zip(b).position(|(p, q)| p != q);
            assert!(first.is_none(), "output {k}: first difference at {first:?}");
        }
    }

    /// CPUID's largest cache against Linux's own reading of the caches, in
    /// sysfs (where the system has it and CPUID gives a size): the largest
    /// data or unified cache of one of the CPUs (this thread's, which may
    /// be any, and whose caches may differ from the others').
    #[cfg(all(target_os = "linux", any(target_arch = "x86", target_arch = "x86_64")))]
    #[test]
    fn largest_cache_matches_sysfs() {
        let Some(bytes) = super::largest_cache_bytes() else {
            return;
        };
        let mut sizes = Vec::new();
        for cpu in 0.. {
            let mut largest = None;
            for index in 0.. {
                let dir = format!("/sys/devices/system/cpu/cpu{cpu}/cache/index{index}");
                let read = |field: &str| std::fs::read_to_string(format!("{dir}/{field}"));
                let (Ok(kind), Ok(size)) = (read("type"), read("size")) else {
                    break;
                };
                if kind.trim() == "Instruction" {
                    continue;
                }
                let size = size.trim();
                let (digits, unit) = size.split_at(size.len().saturating_sub(1));
                let scale = match unit {
                    "K" => 1 << 10,
                    "M" => 1 << 20,
                    _ => panic!("size {size}"),
                };
                let size = digits.parse::<usize>().expect(size) * scale;
                largest = Some(largest.map_or(size, |l: usize| l.max(size)));
            }
            match largest {
                Some(size) => sizes.push(size),
                None => break,
            }
        }
        if sizes.is_empty() {
            return;
        }
        assert!(sizes.contains(&bytes), "CPUID {bytes}, sysfs {sizes:?}");
        // The cached size comes from the core of the first call, which may
        // be another.
        let cached = super::stream_min_bytes();
        assert!(sizes.contains(&cached), "cached {cached}, sysfs {sizes:?}");
    }
}
