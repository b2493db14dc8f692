//! Printing: aligned, width-aware text tables, pretty JSON, generic tables from JSON rows,
//! lists in every output mode ([`list`]) and files written atomically ([`mod@file`]).

pub(crate) mod file;
pub(crate) mod list;

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
    footer: Option<Vec<String>>,
}

impl Table {
    /// A table with these column headers.
    pub(crate) fn new<I, S>(headers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self { headers: headers.into_iter().map(Into::into).collect(), rows: Vec::new(), footer: None }
    }

    /// Sets a last row set apart from the data (the totals).
    pub(crate) fn footer<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.footer = Some(cells.into_iter().map(Into::into).collect());
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
        self.render_width(None)
    }

    /// The table as text no wider than `width` characters when given: the widest columns
    /// give way first, and a cut cell ends with `…`.
    pub(crate) fn render_width(&self, width: Option<usize>) -> String {
        let lines: Vec<&Vec<String>> =
            std::iter::once(&self.headers).chain(&self.rows).chain(self.footer.as_ref()).collect();
        let columns = lines.iter().map(|l| l.len()).max().unwrap_or(0);
        let mut widths = vec![0; columns];
        for line in &lines {
            for (i, cell) in line.iter().enumerate() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        if let Some(width) = width {
            let separators = 2 * columns.saturating_sub(1);
            // Narrow the widest column, one character at a time, down to a readable minimum.
            while widths.iter().sum::<usize>() + separators > width {
                let Some((widest, &w)) = widths.iter().enumerate().max_by_key(|(_, w)| **w) else { break };
                if w <= 6 {
                    break;
                }
                widths[widest] -= 1;
            }
        }
        let mut out = String::new();
        for (n, line) in lines.iter().enumerate() {
            if self.footer.is_some() && n == lines.len() - 1 {
                let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
                out.push_str(&rule.join("  "));
                out.push('\n');
            }
            let mut text = String::new();
            for (i, width) in widths.iter().enumerate() {
                let cell = fit(line.get(i).map(String::as_str).unwrap_or(""), *width);
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
            stdout.write_all(self.render_width(terminal_width()).as_bytes())?;
        }
        Ok(())
    }
}

/// A cell cut to `width` characters, ending with `…` when cut.
fn fit(cell: &str, width: usize) -> std::borrow::Cow<'_, str> {
    if cell.chars().count() <= width {
        return cell.into();
    }
    let mut cut: String = cell.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut.into()
}

/// How wide tables may be: `COLUMNS` when set, else the terminal's width when stdout is one,
/// else unlimited (a pipe or a file takes whole rows).
pub(crate) fn terminal_width() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()) {
        return Some(columns).filter(|c| *c > 0);
    }
    console::Term::stdout().size_checked().map(|(_rows, columns)| usize::from(columns))
}

/// Prints a single answer in the chosen format: pretty JSON, one NDJSON line (a line per item
/// of an array), CSV of its top-level fields (`field,value`; a record per item of an array),
/// or the command's own table.
pub(crate) fn print_object<T: Serialize + ?Sized>(
    format: crate::cli::Format,
    value: &T,
    table: impl FnOnce() -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    use crate::cli::Format;
    if matches!(format, Format::Ndjson | Format::Csv)
        && let Value::Array(items) = serde_json::to_value(value)?
    {
        // A list answered whole: a line or a record per item.
        let rows: Vec<(Vec<String>, Value)> = items.into_iter().map(|item| (Vec::new(), item)).collect();
        return print_rows(format, value, &[], &rows, "");
    }
    match format {
        Format::Table => table(),
        Format::Json => print_json(value),
        Format::Ndjson => {
            let mut stdout = std::io::stdout().lock();
            serde_json::to_writer(&mut stdout, value).map_err(std::io::Error::from)?;
            writeln!(stdout)?;
            Ok(())
        }
        Format::Csv => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(b"field,value\n")?;
            if let Value::Object(map) = serde_json::to_value(value)? {
                for (key, value) in &map {
                    stdout.write_all(list::csv_line(&[key.clone(), cell(value)]).as_bytes())?;
                }
            }
            Ok(())
        }
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

/// The keys of JSON rows in the order a reader wants them: dates first, then text (the
/// keys: names, models, extensions), then numbers, each group in order of first appearance.
fn row_keys<'a>(rows: impl IntoIterator<Item = &'a Value>) -> Vec<String> {
    let mut keys: Vec<(String, u8)> = Vec::new();
    for row in rows {
        if let Value::Object(map) = row {
            for (key, value) in map {
                if keys.iter().any(|(k, _)| k == key) {
                    continue;
                }
                let rank = if key.contains("date") || key == "day" {
                    0
                } else if value.is_string() {
                    1
                } else if value.is_number() || value.is_boolean() {
                    2
                } else {
                    3
                };
                keys.push((key.clone(), rank));
            }
        }
    }
    keys.sort_by_key(|(_, rank)| *rank);
    keys.into_iter().map(|(key, _)| key).collect()
}

/// A row whose one field maps names to objects (`model_breakdown: {"gpt-5": {"messages": 3}}`)
/// as one row per name (`model: gpt-5, messages: 3`) beside the other fields, so that a table
/// or CSV has columns instead of JSON in a cell. Other rows stay as they are.
pub(crate) fn explode(row: &Value) -> Vec<Value> {
    let Value::Object(fields) = row else { return vec![row.clone()] };
    let nested = fields.iter().find(|(_, value)| {
        value.as_object().is_some_and(|inner| !inner.is_empty() && inner.values().all(Value::is_object))
    });
    let Some((name, Value::Object(inner))) = nested else { return vec![row.clone()] };
    let label = name.trim_end_matches("_breakdown").trim_end_matches("Breakdown").to_owned();
    inner
        .iter()
        .map(|(key, values)| {
            let mut out = serde_json::Map::new();
            for (field, value) in fields {
                if field != name {
                    out.insert(field.clone(), value.clone());
                }
            }
            out.insert(label.clone(), Value::String(key.clone()));
            if let Value::Object(values) = values {
                out.extend(values.clone());
            }
            Value::Object(out)
        })
        .collect()
}

/// A header for people: `total_lines_added` and `totalLinesAdded` both become
/// `TOTAL LINES ADDED`.
pub(crate) fn human_header(key: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in key.chars() {
        if c == '_' || c == '-' {
            out.push(' ');
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower {
            out.push(' ');
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        out.extend(c.to_uppercase());
    }
    out
}

/// A table cell of a JSON row: a list shows how many items it has rather than its JSON.
fn row_cell(value: &Value) -> String {
    match value {
        Value::Array(items) => format!("{} items", items.len()),
        other => cell(other),
    }
}

/// A table from JSON objects: one column per key (dates, then text, then numbers), with
/// headers for people; `leading` cells (such as a user's email) come first on every row.
pub(crate) fn value_table<'a>(leading: &[&str], rows: impl IntoIterator<Item = (Vec<String>, &'a Value)>) -> Table {
    let rows: Vec<(Vec<String>, &Value)> = rows.into_iter().collect();
    let keys = row_keys(rows.iter().map(|(_, row)| *row));
    let headers = leading.iter().map(|s| human_header(s)).chain(keys.iter().map(|k| human_header(k)));
    let mut table = Table::new(headers);
    for (lead, row) in rows {
        let cells = keys.iter().map(|key| row.get(key).map(row_cell).unwrap_or_default());
        table.row(lead.into_iter().chain(cells));
    }
    table
}

/// A row of `today` (UTC) gets its date marked: the day is not over, so its numbers are
/// partial and would read as a drop.
fn mark_partial_day(mut row: Value, today: &str) -> Value {
    if let Value::Object(fields) = &mut row {
        for (key, value) in fields.iter_mut() {
            let is_date = key.contains("date") || key == "day";
            if is_date && value.as_str().is_some_and(|day| day.starts_with(today)) {
                *value = Value::String(format!("{today} (today, partial)"));
            }
        }
    }
    row
}

fn exploded(rows: &[(Vec<String>, Value)]) -> Vec<(Vec<String>, Value)> {
    rows.iter().flat_map(|(lead, row)| explode(row).into_iter().map(move |row| (lead.clone(), row))).collect()
}

/// Rows of a JSON answer in the chosen format: `document` whole for json; each row (with the
/// `leading` fields in front) one a line for ndjson, or one a record for csv; a table.
pub(crate) fn print_rows<T: Serialize + ?Sized>(
    format: crate::cli::Format,
    document: &T,
    leading: &[&str],
    rows: &[(Vec<String>, Value)],
    empty: &str,
) -> anyhow::Result<()> {
    use crate::cli::Format;
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Json => {
            drop(stdout);
            return print_json(document);
        }
        Format::Ndjson => {
            for (lead, row) in rows {
                let mut object = serde_json::Map::new();
                for (key, value) in leading.iter().zip(lead) {
                    object.insert((*key).to_owned(), Value::String(value.clone()));
                }
                if let Value::Object(fields) = row {
                    object.extend(fields.clone());
                }
                serde_json::to_writer(&mut stdout, &object).map_err(std::io::Error::from)?;
                writeln!(stdout)?;
            }
        }
        Format::Csv => {
            let rows = exploded(rows);
            let keys = row_keys(rows.iter().map(|(_, row)| row));
            let header: Vec<String> = leading.iter().map(|s| (*s).to_owned()).chain(keys.iter().cloned()).collect();
            stdout.write_all(list::csv_line(&header).as_bytes())?;
            for (lead, row) in &rows {
                let cells = keys.iter().map(|key| match row.get(key) {
                    Some(Value::Number(n)) => n.to_string(),
                    Some(value) => cell(value),
                    None => String::new(),
                });
                let record: Vec<String> = lead.iter().cloned().chain(cells).collect();
                stdout.write_all(list::csv_line(&record).as_bytes())?;
            }
        }
        Format::Table => {
            drop(stdout);
            let today = time::OffsetDateTime::now_utc().date().to_string();
            let rows: Vec<(Vec<String>, Value)> =
                exploded(rows).into_iter().map(|(lead, row)| (lead, mark_partial_day(row, &today))).collect();
            return value_table(leading, rows.iter().map(|(lead, row)| (lead.clone(), row))).print(empty);
        }
    }
    Ok(())
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
    fn narrow_terminals_cut_the_widest_column_with_an_ellipsis() {
        let mut table = Table::new(["ID", "DESCRIPTION"]);
        table.row(["1", "a rather long description of the row"]);
        table.footer(["TOTAL", ""]);
        let text = table.render_width(Some(20));
        assert!(text.lines().all(|l| l.chars().count() <= 20), "{text}");
        assert!(text.contains('…'), "{text}");
        assert!(text.lines().last().unwrap().starts_with("TOTAL"), "{text}");
    }

    #[test]
    fn json_rows_become_columns_dates_then_text_then_numbers() {
        let a = serde_json::json!({"dau": 3, "date": "2025-01-01"});
        let b = serde_json::json!({"date": "2025-01-02", "cli_dau": 1.5, "model": "o3"});
        let table = value_table(&["user"], [(vec!["x".into()], &a), (vec!["y".into()], &b)]);
        assert_eq!(
            table.render(),
            "USER  DATE        MODEL  DAU  CLI DAU\nx     2025-01-01         3\ny     2025-01-02  o3          1.5\n"
        );
        assert_eq!(human_header("totalLinesAdded"), "TOTAL LINES ADDED");
    }

    #[test]
    fn breakdowns_become_one_row_per_name() {
        let row = serde_json::json!({"date": "d", "model_breakdown": {"a": {"messages": 1}, "b": {"messages": 2}}});
        let rows = explode(&row);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1], serde_json::json!({"date": "d", "model": "b", "messages": 2}));
        let flat = serde_json::json!({"date": "d", "n": 1});
        assert_eq!(explode(&flat), vec![flat.clone()]);
    }

    #[test]
    fn todays_row_is_marked_partial() {
        let row = serde_json::json!({"date": "2026-12-01", "dau": 3});
        assert_eq!(mark_partial_day(row.clone(), "2026-12-01")["date"], "2026-12-01 (today, partial)");
        assert_eq!(mark_partial_day(row.clone(), "2026-12-02"), row);
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
