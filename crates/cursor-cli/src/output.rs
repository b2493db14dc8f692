//! Printing: aligned text tables, pretty JSON, and generic tables from JSON rows.

use std::fmt::Write as _;
use std::io::Write as _;

use serde::Serialize;
use serde_json::Value;

/// `println!` to stdout that returns the write error (a closed pipe ends the command quietly).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?
    }};
}
pub(crate) use outln;

/// A text table: a header row and data rows, printed with aligned columns.
#[derive(Debug, Default)]
pub(crate) struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers.
    pub(crate) fn new<I, S>(headers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self { headers: headers.into_iter().map(Into::into).collect(), rows: Vec::new() }
    }

    /// Adds a row (missing cells print empty, extra cells are kept).
    pub(crate) fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// Whether the table has no data rows.
    pub(crate) fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as text, each line ending with a newline; columns separated by two spaces.
    pub(crate) fn render(&self) -> String {
        let columns = self.rows.iter().map(Vec::len).chain([self.headers.len()]).max().unwrap_or(0);
        let mut widths = vec![0; columns];
        for line in std::iter::once(&self.headers).chain(&self.rows) {
            for (i, cell) in line.iter().enumerate() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let mut out = String::new();
        for line in std::iter::once(&self.headers).chain(&self.rows) {
            let mut text = String::new();
            for (i, width) in widths.iter().enumerate() {
                let cell = line.get(i).map(String::as_str).unwrap_or("");
                let _ = write!(text, "{cell:<width$}  ");
            }
            out.push_str(text.trim_end());
            out.push('\n');
        }
        out
    }

    /// Prints the table to stdout, or `empty` when it has no rows.
    pub(crate) fn print(&self, empty: &str) -> anyhow::Result<()> {
        let mut stdout = std::io::stdout().lock();
        if self.is_empty() {
            writeln!(stdout, "{empty}")?;
        } else {
            stdout.write_all(self.render().as_bytes())?;
        }
        Ok(())
    }
}

/// Prints a value as pretty JSON on stdout.
pub(crate) fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, value).map_err(std::io::Error::from)?;
    writeln!(stdout)?;
    Ok(())
}

/// One cell: strings as is, `null` empty, numbers as written, objects and arrays as compact JSON.
pub(crate) fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => format!("{f:.3}").trim_end_matches('0').trim_end_matches('.').to_owned(),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// A table from JSON objects: one column per key, in order of first appearance; `leading`
/// cells (such as a user's email) come first on every row.
pub(crate) fn value_table<'a>(leading: &[&str], rows: impl IntoIterator<Item = (Vec<String>, &'a Value)>) -> Table {
    let rows: Vec<(Vec<String>, &Value)> = rows.into_iter().collect();
    let mut keys: Vec<String> = Vec::new();
    for (_, row) in &rows {
        if let Value::Object(map) = row {
            for key in map.keys() {
                if !keys.contains(key) {
                    keys.push(key.clone());
                }
            }
        }
    }
    // Dates first (JSON objects come with their keys sorted).
    keys.sort_by_key(|key| !key.contains("date"));
    let mut table = Table::new(leading.iter().map(|s| (*s).to_owned()).chain(keys.iter().cloned()));
    for (lead, row) in rows {
        let cells = keys.iter().map(|key| row.get(key).map(cell).unwrap_or_default());
        table.row(lead.into_iter().chain(cells));
    }
    table
}

/// Dollars from cents, two decimals.
pub(crate) fn dollars(cents: f64) -> String {
    format!("${:.2}", cents / 100.0)
}

/// `YYYY-MM-DD` of an epoch-milliseconds instant (UTC), or the number when out of range.
pub(crate) fn day_of_millis(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map(|t| t.date().to_string())
        .unwrap_or_else(|_| ms.to_string())
}

/// `YYYY-MM-DD HH:MM:SS` (UTC) of an epoch-milliseconds instant, or the number when out of range.
pub(crate) fn time_of_millis(ms: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| ms.to_string())
}

/// A percentage with one decimal, or `n/a` when the total is zero.
pub(crate) fn percent(part: u64, total: u64) -> String {
    if total == 0 { "n/a".into() } else { format!("{:.1}%", part as f64 * 100.0 / total as f64) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_aligned_and_missing_cells_are_blank() {
        let mut table = Table::new(["name", "n"]);
        table.row(["alice", "1"]);
        table.row(["bo"]);
        assert_eq!(table.render(), "name   n\nalice  1\nbo\n");
    }

    #[test]
    fn json_rows_become_columns_in_first_seen_order() {
        let a = serde_json::json!({"date": "2025-01-01", "dau": 3});
        let b = serde_json::json!({"date": "2025-01-02", "cli_dau": 1.5});
        let table = value_table(&["user"], [(vec!["x".into()], &a), (vec!["y".into()], &b)]);
        assert_eq!(table.render(), "user  date        dau  cli_dau\nx     2025-01-01  3\ny     2025-01-02       1.5\n");
    }

    #[test]
    fn helpers_format_money_days_and_shares() {
        assert_eq!(dollars(12345.0), "$123.45");
        assert_eq!(day_of_millis(1_736_899_200_000), "2025-01-15");
        assert_eq!(time_of_millis(1_736_899_200_000), "2025-01-15 00:00:00");
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(1, 0), "n/a");
    }
}
