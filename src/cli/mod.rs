//! Command-line front end.

pub mod bench;
pub mod verify;

use simd_activations::{Activation, Isa};
use verify::Sweep;

/// The functions the command measures, with PyTorch's default parameters.
pub fn functions() -> Vec<Activation> {
    vec![
        Activation::Exp,
        Activation::Erf,
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Silu,
        Activation::Gelu,
        Activation::GeluTanh,
        Activation::Softplus {
            beta: 1.0,
            threshold: 20.0,
        },
        Activation::Mish,
    ]
}

pub fn main(args: &[String]) -> i32 {
    if let Err(e) = Isa::from_env() {
        eprintln!("error: {e}");
        return 2;
    }
    match args.first().map(String::as_str) {
        Some("verify") => verify_cmd(&args[1..]),
        Some("speed") => speed_cmd(&args[1..]),
        _ => {
            eprintln!("usage: simd-activations [verify [--exhaustive] [--function NAME] [--range LO HI] [--stride N]]");
            2
        }
    }
}

fn verify_cmd(args: &[String]) -> i32 {
    let mut sweep = Sweep::Strided { stride: 256 };
    let mut only: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--exhaustive" => sweep = Sweep::Strided { stride: 1 },
            "--stride" => {
                i += 1;
                sweep = Sweep::Strided { stride: args[i].parse().expect("stride") };
            }
            "--range" => {
                sweep = Sweep::Range {
                    lo: args[i + 1].parse().expect("lo"),
                    hi: args[i + 2].parse().expect("hi"),
                };
                i += 2;
            }
            "--function" => {
                i += 1;
                only = Some(args[i].clone());
            }
            other => {
                eprintln!("unknown option {other}");
                return 2;
            }
        }
        i += 1;
    }
    println!("| function | max ULP (scalar) | at x | inputs | paths bit-identical to scalar |");
    println!("|---|---|---|---|---|");
    let mut ok = true;
    for a in functions() {
        if only.as_deref().is_some_and(|o| o != a.name()) {
            continue;
        }
        let r = verify::verify(a, sweep, true);
        let agree: Vec<String> = r
            .mismatches
            .iter()
            .map(|(isa, bad, first)| match first {
                None => format!("{isa}: yes"),
                Some(x) => {
                    ok = false;
                    format!("{isa}: NO ({bad} differ, first at {x:e})")
                }
            })
            .collect();
        println!(
            "| {} | {:.3} | {:e} | {} | {} |",
            a.name(),
            r.max_ulp,
            r.worst_x,
            r.count,
            agree.join(", ")
        );
    }
    if ok { 0 } else { 1 }
}

fn speed_cmd(args: &[String]) -> i32 {
    use rand::RngExt;
    let n: usize = args.first().map_or(4096, |a| a.parse().expect("size"));
    let mut rng = rand::rng();
    let x: Vec<f32> = (0..n).map(|_| rng.random_range(-10.0f32..10.0)).collect();
    let mut y = vec![0f32; n];
    for a in functions() {
        let mut line = format!("{:<10}", a.name());
        for isa in Isa::available() {
            let g = bench::throughput(a, *isa, &x, &mut y);
            line += &format!(" {}={:.2}", isa.name(), g);
        }
        line += &format!(" naive={:.2}", bench::naive_throughput(a, &x, &mut y));
        println!("{line}");
    }
    0
}
