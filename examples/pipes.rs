//! Which 512-bit operations compete with the FMAs for the FP pipes on this
//! CPU (the README's "Zen 4's pipes" table): a loop of eight independent
//! FMAs per iteration, beside eight independent operations of one kind, in
//! cycles per iteration (best of five runs of 20 million iterations; the
//! clock is measured by a chain of dependent integer adds, one cycle each).
//!
//! ```sh
//! cargo run --release --example pipes
//! ```
//!
//! x86-64 with AVX-512 (F, DQ, BW) only; elsewhere it says so and exits.

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::asm;
    use std::time::Instant;

    const ITERATIONS: u64 = 20_000_000;

    /// The best of five timings of `ITERATIONS` runs of the loop body,
    /// in seconds per iteration. The body may use `zmm0` to `zmm7` as
    /// accumulators, reads `zmm8` and `zmm9` (both 1.0) and `zmm10` (0),
    /// and writes `zmm11`, `zmm16` to `zmm23` and `k1`.
    macro_rules! seconds_per_iteration {
        ($body:expr) => {{
            let mut best = f64::MAX;
            for _ in 0..5 {
                let start = Instant::now();
                // SAFETY: the body touches only the registers declared
                // clobbered below; the loop reads one `f32` from `one`.
                unsafe {
                    asm!(
                        "vbroadcastss zmm8, [{one}]",
                        "vbroadcastss zmm9, [{one}]",
                        "vpxord zmm10, zmm10, zmm10",
                        "vmovaps zmm0, zmm8", "vmovaps zmm1, zmm8",
                        "vmovaps zmm2, zmm8", "vmovaps zmm3, zmm8",
                        "vmovaps zmm4, zmm8", "vmovaps zmm5, zmm8",
                        "vmovaps zmm6, zmm8", "vmovaps zmm7, zmm8",
                        "kxnorw k1, k1, k1",
                        "2:",
                        $body,
                        "dec {n}",
                        "jnz 2b",
                        n = inout(reg) ITERATIONS => _,
                        one = in(reg) &1.0f32,
                        out("zmm0") _, out("zmm1") _, out("zmm2") _, out("zmm3") _,
                        out("zmm4") _, out("zmm5") _, out("zmm6") _, out("zmm7") _,
                        out("zmm8") _, out("zmm9") _, out("zmm10") _, out("zmm11") _,
                        out("zmm16") _, out("zmm17") _, out("zmm18") _, out("zmm19") _,
                        out("zmm20") _, out("zmm21") _, out("zmm22") _, out("zmm23") _,
                        out("k1") _,
                        options(nostack),
                    );
                }
                best = best.min(start.elapsed().as_secs_f64());
            }
            best / ITERATIONS as f64
        }};
    }

    /// Eight FMAs into the accumulators `r0` to `r7` (`r` is `zmm` or
    /// `ymm`) from `r8` and `r9`.
    macro_rules! fmas {
        ($r:literal) => {
            concat!(
                "vfmadd231ps ",
                $r,
                "0, ",
                $r,
                "8, ",
                $r,
                "9\n",
                "vfmadd231ps ",
                $r,
                "1, ",
                $r,
                "8, ",
                $r,
                "9\n",
                "vfmadd231ps ",
                $r,
                "2, ",
                $r,
                "8, ",
                $r,
                "9\n",
                "vfmadd231ps ",
                $r,
                "3, ",
                $r,
                "8, ",
                $r,
                "9\n",
                "vfmadd231ps ",
                $r,
                "4, ",
                $r,
                "8, ",
                $r,
                "9\n",
                "vfmadd231ps ",
                $r,
                "5, ",
                $r,
                "8, ",
                $r,
                "9\n",
                "vfmadd231ps ",
                $r,
                "6, ",
                $r,
                "8, ",
                $r,
                "9\n",
                "vfmadd231ps ",
                $r,
                "7, ",
                $r,
                "8, ",
                $r,
                "9\n",
            )
        };
        () => {
            fmas!("zmm")
        };
    }

    /// `op` eight times, into `zmm16` to `zmm23` from `sources`.
    macro_rules! eight {
        ($op:literal, $sources:literal) => {
            concat!(
                $op, " zmm16, ", $sources, "\n", $op, " zmm17, ", $sources, "\n", $op, " zmm18, ",
                $sources, "\n", $op, " zmm19, ", $sources, "\n", $op, " zmm20, ", $sources, "\n",
                $op, " zmm21, ", $sources, "\n", $op, " zmm22, ", $sources, "\n", $op, " zmm23, ",
                $sources, "\n",
            )
        };
    }

    /// Sixteen 256-bit FMAs into `ymm0` to `ymm7`, two each (eight alone
    /// would wait on the FMAs' latency).
    macro_rules! ymm_fmas {
        () => {
            concat!(fmas!("ymm"), fmas!("ymm"))
        };
    }

    /// `line` eight times (an operation into the mask `k1`, or into one
    /// register).
    macro_rules! same {
        ($line:literal) => {
            concat!(
                $line, "\n", $line, "\n", $line, "\n", $line, "\n", $line, "\n", $line, "\n",
                $line, "\n", $line, "\n",
            )
        };
    }

    /// One row per `name => operations`: the operations alone, and beside
    /// eight FMAs.
    macro_rules! rows {
        ($cycle:expr; $($name:literal => $ops:expr),+ $(,)?) => {
            $(
                println!(
                    "| {} | {:.1} | {:.1} |",
                    $name,
                    seconds_per_iteration!($ops) / $cycle,
                    seconds_per_iteration!(concat!(fmas!(), $ops)) / $cycle,
                );
            )+
        };
    }

    pub fn main() {
        if !(is_x86_feature_detected!("avx512f")
            && is_x86_feature_detected!("avx512dq")
            && is_x86_feature_detected!("avx512bw"))
        {
            println!("this CPU has no AVX-512 (F, DQ, BW)");
            return;
        }
        // Eight dependent adds and subtractions on the loop counter, and
        // its decrement: nine cycles per iteration.
        let cycle = seconds_per_iteration!(concat!(
            "add {n}, 1\nsub {n}, 1\n",
            "add {n}, 1\nsub {n}, 1\n",
            "add {n}, 1\nsub {n}, 1\n",
            "add {n}, 1\nsub {n}, 1\n",
        )) / 9.0;
        println!("clock: {:.2} GHz", 1e-9 / cycle);
        println!("\n| 512-bit operation | eight alone | beside eight FMAs |");
        println!("|---|---|---|");
        rows!(cycle;
            "`vfmadd231ps`" => fmas!(),
            "`vaddps`" => eight!("vaddps", "zmm8, zmm9"),
            "`vmaxps`" => eight!("vmaxps", "zmm8, zmm9"),
            "`vminps`" => eight!("vminps", "zmm8, zmm9"),
            "`vrangeps`" => eight!("vrangeps", "zmm8, zmm9, 2"),
            "`vrndscaleps`" => eight!("vrndscaleps", "zmm8, 1"),
            "`vgetexpps`" => eight!("vgetexpps", "zmm8"),
            "`vcvtdq2ps`" => eight!("vcvtdq2ps", "zmm8"),
            "`vpsrld`" => eight!("vpsrld", "zmm8, 3"),
            "`vpslld`" => eight!("vpslld", "zmm8, 3"),
            "`vpsrad`" => eight!("vpsrad", "zmm8, 3"),
            "`vpaddd`" => eight!("vpaddd", "zmm8, zmm9"),
            "`vpsubd`" => eight!("vpsubd", "zmm8, zmm9"),
            "`vpandd`" => eight!("vpandd", "zmm8, zmm9"),
            "`vandps`" => eight!("vandps", "zmm8, zmm9"),
            "`vpminud`" => eight!("vpminud", "zmm8, zmm9"),
            "`vblendmps`" => same!("vblendmps zmm16 {{k1}}, zmm8, zmm9"),
            "`vpmovm2d`" => eight!("vpmovm2d", "k1"),
            "`vscalefps`" => eight!("vscalefps", "zmm8, zmm10"),
            "`vpermps`" => eight!("vpermps", "zmm8, zmm9"),
            "`vpermd`" => eight!("vpermd", "zmm8, zmm9"),
            "`vdivps`" => eight!("vdivps", "zmm8, zmm9"),
            "`vfixupimmps`" => eight!("vfixupimmps", "zmm8, zmm9, 0"),
            "`vfpclassps`" => same!("vfpclassps k1, zmm8, 0x99"),
            "`vrcp14ps`" => eight!("vrcp14ps", "zmm8"),
            "`vcmpps` into a mask" => same!("vcmpltps k1, zmm8, zmm9"),
            "`vpcmpgtd` into a mask" => same!("vpcmpgtd k1, zmm8, zmm9"),
            "`vptestmd`" => same!("vptestmd k1, zmm8, zmm9"),
            "`vpmovd2m`" => same!("vpmovd2m k1, zmm8"),
            "`vpmovzxwd`" => same!("vpmovzxwd zmm16, ymm8"),
            "`vcvtph2ps`" => same!("vcvtph2ps zmm16, ymm8"),
            "`vcvtps2ph`" => same!("vcvtps2ph ymm16, zmm8, 0"),
        );
        if is_x86_feature_detected!("avx512bf16") {
            rows!(cycle;
                "`vcvtneps2bf16`" => same!("vcvtneps2bf16 ymm16, zmm8"),
                "`vcvtne2ps2bf16`" => same!("vcvtne2ps2bf16 zmm16, zmm8, zmm9"),
            );
        }
        rows!(cycle;
            "`vpternlogd`" => eight!("vpternlogd", "zmm8, zmm9, 0x96"),
        );
        println!(
            "\n256-bit: sixteen FMAs {:.1}, beside eight `vcmpps` {:.1}, beside eight `vblendvps` {:.1}",
            seconds_per_iteration!(ymm_fmas!()) / cycle,
            seconds_per_iteration!(concat!(ymm_fmas!(), same!("vcmpltps ymm11, ymm8, ymm9")))
                / cycle,
            seconds_per_iteration!(concat!(
                ymm_fmas!(),
                same!("vblendvps ymm11, ymm8, ymm9, ymm10")
            )) / cycle,
        );
        println!(
            "adds and `vmaxps` together: {:.1}; FMAs, adds and `vpaddd`: {:.1}",
            seconds_per_iteration!(concat!(
                eight!("vaddps", "zmm8, zmm9"),
                eight!("vmaxps", "zmm8, zmm9")
            )) / cycle,
            seconds_per_iteration!(concat!(
                fmas!(),
                eight!("vaddps", "zmm8, zmm9"),
                eight!("vpaddd", "zmm8, zmm9")
            )) / cycle,
        );
    }
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    x86::main();
    #[cfg(not(target_arch = "x86_64"))]
    println!("x86-64 with AVX-512 only");
}
