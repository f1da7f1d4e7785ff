//! `simd-activations`: measures the crate's kernels on this machine.
//!
//! `cargo run --release` prints the CPU's features, the dispatch path, and a
//! table of throughput and accuracy per function and path.
//! `cargo run --release -- verify [--exhaustive]` sweeps inputs for accuracy and
//! bitwise agreement across paths.

mod cli;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(cli::main(&args));
}
