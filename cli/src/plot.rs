//! `plot DIR`: SVG charts of every function: its graph over [-6, 6], the max
//! ULP error per binade of the input on each path, and the throughput of
//! each path beside the naive loop.

use crate::STOP;
use crate::catalog;
use crate::measure;
use crate::target::{Aux, Target};
use plotters::prelude::*;
use simd_activations::{Activation, Isa, reference};
use std::path::Path;
use std::sync::atomic::Ordering;

/// Inputs per binade (and sign) in the error chart.
const PER_BINADE: u32 = 1 << 10;
/// Columns of the grids of small charts.
const COLUMNS: usize = 4;

const COLORS: [RGBColor; 5] = [BLUE, RED, GREEN, MAGENTA, BLACK];

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Writes `graphs.svg`, `ulp.svg` and `throughput.svg` into `dir`.
pub fn plot(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let functions = catalog::functions();
    graphs(&dir.join("graphs.svg"), &functions)?;
    eprintln!("wrote {}", dir.join("graphs.svg").display());
    ulp(&dir.join("ulp.svg"), &functions)?;
    eprintln!("wrote {}", dir.join("ulp.svg").display());
    throughput(&dir.join("throughput.svg"))?;
    eprintln!("wrote {}", dir.join("throughput.svg").display());
    Ok(())
}

fn rows(n: usize) -> usize {
    n.div_ceil(COLUMNS)
}

/// Each elementwise function over [-6, 6] (the scalar path's values).
fn graphs(file: &Path, functions: &[Activation]) -> Result<(), String> {
    let root =
        SVGBackend::new(file, (1200, 260 * rows(functions.len()) as u32)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let areas = root.split_evenly((rows(functions.len()), COLUMNS));
    let x: Vec<f32> = (0..=1200).map(|i| -6.0 + i as f32 * 0.01).collect();
    for (f, area) in functions.iter().zip(&areas) {
        let mut y = vec![0f32; x.len()];
        f.forward_on(Isa::Scalar, &x, &mut y).map_err(err)?;
        let lo = y.iter().copied().fold(f32::INFINITY, f32::min).max(-10.0);
        let hi = y
            .iter()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max)
            .min(10.0);
        let pad = 0.05 * (hi - lo).max(1e-3);
        let mut chart = ChartBuilder::on(area)
            .caption(f.to_string(), ("sans-serif", 16))
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(36)
            .build_cartesian_2d(-6f32..6f32, (lo - pad)..(hi + pad))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(7)
            .y_labels(5)
            .draw()
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(x.iter().copied().zip(y), &BLUE))
            .map_err(err)?;
    }
    root.present().map_err(err)
}

/// Max ULP per binade of `|x|` (subnormals as binade -127), both signs, on
/// every path.
fn ulp(file: &Path, functions: &[Activation]) -> Result<(), String> {
    let root =
        SVGBackend::new(file, (1200, 260 * rows(functions.len()) as u32)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let areas = root.split_evenly((rows(functions.len()), COLUMNS));
    for (f, area) in functions.iter().zip(&areas) {
        let mut series: Vec<(Isa, Vec<(i32, f64)>)> = Vec::new();
        for &isa in Isa::available() {
            let mut points = Vec::new();
            for e in -127..=127i32 {
                if STOP.load(Ordering::Relaxed) {
                    return Err("interrupted".into());
                }
                let biased = (e + 127) as u32;
                let x: Vec<f32> = (0..PER_BINADE)
                    .flat_map(|i| {
                        let bits = (biased << 23) | (i * ((1 << 23) / PER_BINADE) + 1);
                        [f32::from_bits(bits), -f32::from_bits(bits)]
                    })
                    .collect();
                let mut y = vec![0f32; x.len()];
                f.forward_on(isa, &x, &mut y).map_err(err)?;
                let worst = x
                    .iter()
                    .zip(&y)
                    .filter(|(x, _)| x.is_finite())
                    .map(|(&x, &y)| reference::ulp_error(y, reference::eval(*f, x)))
                    .fold(0.0f64, f64::max);
                points.push((e, worst));
            }
            series.push((isa, points));
        }
        let top = series
            .iter()
            .flat_map(|(_, p)| p.iter().map(|q| q.1))
            .filter(|v| v.is_finite())
            .fold(f.max_ulp(), f64::max)
            .max(0.5)
            * 1.1;
        let mut chart = ChartBuilder::on(area)
            .caption(
                format!("{} (bound {})", f.name(), f.max_ulp()),
                ("sans-serif", 16),
            )
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(36)
            .build_cartesian_2d(-127i32..127i32, 0f64..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(6)
            .y_labels(5)
            .x_desc("binade of |x| (floor log2; -127: subnormal)")
            .y_desc("max ULP")
            .draw()
            .map_err(err)?;
        for (k, (isa, points)) in series.into_iter().enumerate() {
            let color = COLORS[k % COLORS.len()];
            chart
                .draw_series(LineSeries::new(points, &color))
                .map_err(err)?
                .label(isa.name())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(err)?;
    }
    root.present().map_err(err)
}

/// Gelem/s of every function on each path and of the naive loop at N = 4096.
fn throughput(file: &Path) -> Result<(), String> {
    const N: usize = 4096;
    let targets = Target::all();
    let x = catalog::inputs(N);
    let mut y = vec![0f32; N];
    let mut labels: Vec<String> = Isa::available()
        .iter()
        .map(|i| i.name().to_string())
        .collect();
    labels.push("naive loop".into());
    let mut values: Vec<Vec<f64>> = Vec::new();
    for &t in &targets {
        if STOP.load(Ordering::Relaxed) {
            return Err("interrupted".into());
        }
        let aux = Aux::for_inputs(t, &x);
        let mut v: Vec<f64> = Isa::available()
            .iter()
            .map(|&isa| measure::throughput(t, isa, &x, &aux, &mut y))
            .collect();
        v.push(measure::naive_throughput(t, &x, &aux, &mut y));
        values.push(v);
    }
    let top = values.iter().flatten().copied().fold(0.0, f64::max) * 1.05;
    let height = 28 * targets.len() as u32 + 100;
    let root = SVGBackend::new(file, (1000, height)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let names: Vec<String> = targets.iter().map(|t| t.name().to_string()).collect();
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("Gelem/s at N = {N}, one thread ({})", measure::cpu_name()),
            ("sans-serif", 18),
        )
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(100)
        .build_cartesian_2d(0f64..top, -0.5f64..targets.len() as f64 - 0.5)
        .map_err(err)?;
    chart
        .configure_mesh()
        .y_labels(targets.len())
        .y_label_formatter(&|v| {
            // Function `i` is drawn around `y = n - 1 - i`, the first on top.
            let i = names.len() as f64 - 1.0 - v.round();
            if (v - v.round()).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .disable_y_mesh()
        .x_desc("Gelem/s")
        .draw()
        .map_err(err)?;
    let k = labels.len() as f64;
    for (s, label) in labels.iter().enumerate() {
        let color = COLORS[s % COLORS.len()];
        chart
            .draw_series(values.iter().enumerate().map(|(i, v)| {
                let row = (targets.len() - 1 - i) as f64;
                let y0 = row + 0.4 - 0.8 * (s as f64 + 1.0) / k;
                let y1 = y0 + 0.8 / k;
                Rectangle::new([(0.0, y0), (v[s], y1)], color.filled())
            }))
            .map_err(err)?
            .label(label.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(err)?;
    root.present().map_err(err)
}
