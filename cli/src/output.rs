//! Results as tables on stdout: Markdown for people, CSV and JSON for
//! programs. Rows go out as they are measured (Markdown, CSV) or all at the
//! end (JSON), and never mix with the progress bar on stderr.

use clap::ValueEnum;
use indicatif::ProgressBar;
use std::fmt::Write as _;

/// The format of the results on stdout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A header of notes and a Markdown table.
    Markdown,
    /// One header line and one line per row, comma-separated.
    Csv,
    /// One JSON object: the notes as fields, the rows as an array of objects.
    Json,
}

/// One value of a row.
#[derive(Clone, Debug)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A number, shown with the given decimals in Markdown (full precision
    /// in CSV and JSON).
    Num(f64, usize),
    /// An `f32` input, in scientific notation in Markdown.
    Sci(f32),
    /// A count.
    Int(u64),
    /// Nothing (null in JSON).
    Empty,
}

impl Cell {
    fn human(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Num(v, d) => format!("{v:.d$}"),
            Cell::Sci(v) => format!("{v:e}"),
            Cell::Int(v) => v.to_string(),
            Cell::Empty => String::new(),
        }
    }

    fn csv(&self) -> String {
        match self {
            Cell::Text(s) if s.contains([',', '"', '\n']) => {
                format!("\"{}\"", s.replace('"', "\"\""))
            }
            Cell::Text(s) => s.clone(),
            Cell::Num(v, _) => v.to_string(),
            Cell::Sci(v) => format!("{v:e}"),
            Cell::Int(v) => v.to_string(),
            Cell::Empty => String::new(),
        }
    }

    fn json(&self) -> String {
        match self {
            Cell::Text(s) => json_string(s),
            Cell::Num(v, _) if v.is_finite() => format!("{v:?}"),
            Cell::Sci(v) if v.is_finite() => format!("{v:e}"),
            Cell::Num(..) | Cell::Sci(..) | Cell::Empty => "null".into(),
            Cell::Int(v) => v.to_string(),
        }
    }
}

/// `s` as a JSON string literal.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes one table of results in the chosen format.
pub struct Sheet {
    format: Format,
    command: &'static str,
    notes: Vec<(String, Cell)>,
    columns: Vec<String>,
    rows: Vec<String>,
    started: bool,
    bar: ProgressBar,
}

impl Sheet {
    /// A sheet for `command` with these columns; `bar` is suspended while a
    /// line is printed.
    pub fn new(
        format: Format,
        command: &'static str,
        columns: Vec<String>,
        bar: ProgressBar,
    ) -> Sheet {
        Sheet {
            format,
            command,
            notes: Vec::new(),
            columns,
            rows: Vec::new(),
            started: false,
            bar,
        }
    }

    /// A note above the table (a line in Markdown, a field in JSON, left
    /// out of CSV).
    pub fn note(&mut self, key: &str, value: Cell) {
        self.notes.push((key.to_string(), value));
    }

    /// Prints a line on stdout; if stdout is closed (`| head`), asks the
    /// job to stop.
    fn print(&self, text: &str) {
        use std::io::Write;
        self.bar.suspend(|| {
            if writeln!(std::io::stdout().lock(), "{text}").is_err() {
                crate::STOP.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        });
    }

    fn start(&mut self) {
        if self.started {
            return;
        }
        self.started = true;
        match self.format {
            Format::Markdown => {
                let mut head = String::new();
                for (k, v) in &self.notes {
                    let _ = writeln!(head, "{k}: {}", v.human());
                }
                let _ = writeln!(head);
                let _ = writeln!(head, "| {} |", self.columns.join(" | "));
                let _ = write!(head, "|{}", "---|".repeat(self.columns.len()));
                self.print(&head);
            }
            Format::Csv => {
                let cols: Vec<String> = self
                    .columns
                    .iter()
                    .map(|c| Cell::Text(c.clone()).csv())
                    .collect();
                self.print(&cols.join(","));
            }
            Format::Json => {}
        }
    }

    /// Adds a row (as many cells as columns).
    pub fn row(&mut self, cells: Vec<Cell>) {
        debug_assert_eq!(cells.len(), self.columns.len());
        self.start();
        match self.format {
            Format::Markdown => {
                let cells: Vec<String> = cells.iter().map(Cell::human).collect();
                self.print(&format!("| {} |", cells.join(" | ")));
            }
            Format::Csv => {
                let cells: Vec<String> = cells.iter().map(Cell::csv).collect();
                self.print(&cells.join(","));
            }
            Format::Json => {
                let fields: Vec<String> = self
                    .columns
                    .iter()
                    .zip(&cells)
                    .map(|(c, v)| format!("{}: {}", json_string(c), v.json()))
                    .collect();
                self.rows.push(format!("{{{}}}", fields.join(", ")));
            }
        }
    }

    /// Ends the table; `interrupted` says whether it stopped early (Ctrl-C).
    pub fn finish(mut self, interrupted: bool) {
        self.start();
        match self.format {
            Format::Markdown if interrupted => {
                self.print("\n(interrupted: the results measured so far; empty cells and rows marked partial were cut short)");
            }
            Format::Markdown | Format::Csv => {}
            Format::Json => {
                let mut out = format!("{{\"command\": {}", json_string(self.command));
                for (k, v) in &self.notes {
                    let _ = write!(out, ", {}: {}", json_string(k), v.json());
                }
                let _ = write!(out, ", \"interrupted\": {interrupted}, \"rows\": [");
                let _ = write!(out, "{}]}}", self.rows.join(", "));
                self.print(&out);
            }
        }
    }
}
