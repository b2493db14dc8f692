//! Lists in every output mode: a [`Listing`] says what a list endpoint's items look like (their
//! key columns, where the page says how many there are in all), and [`ListOutput`] prints the
//! items as they arrive: ndjson and csv a row at a time, json as one document at the end
//! (every item in server order, the page-level fields beside them), tables width-aware with
//! totals and "showing N of M" when cut.

use std::io::Write as _;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::file::Destination;
use super::{Table, cell, dollars, time_of_millis};
use crate::cli::Format;
use crate::progress::Ui;

/// How a column's values print in a table (CSV always has the raw value).
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    /// The value as text.
    Text,
    /// A count; summed in the totals row.
    Count,
    /// Cents shown as dollars; summed in the totals row.
    Cents,
    /// A spend limit in dollars: `null` or missing is "no limit", not `$0`.
    LimitDollars,
    /// Epoch milliseconds (a number or a numeric string) shown as a UTC time.
    Millis,
    /// Computed from the whole item for tables (CSV has the raw value at the path).
    Computed(fn(&Value) -> String),
}

/// One column: its header in tables, the item's field (a JSON pointer) and how it prints.
pub(crate) struct Column {
    /// The table header.
    pub(crate) header: &'static str,
    /// The JSON pointer of the value within an item (also the CSV header, without the `/`).
    pub(crate) path: &'static str,
    /// How it prints.
    pub(crate) kind: Kind,
}

/// A column (a `const` constructor keeps the listings' tables short).
pub(crate) const fn col(header: &'static str, path: &'static str, kind: Kind) -> Column {
    Column { header, path, kind }
}

/// What a list looks like.
pub(crate) struct Listing {
    /// The field of the page (and of the merged JSON document) that holds the items.
    pub(crate) items_key: &'static str,
    /// The columns of tables and CSV, key columns first.
    pub(crate) columns: &'static [Column],
    /// Where a page says how many items there are in all (a JSON pointer), if it does.
    pub(crate) total_path: Option<&'static str>,
    /// Page-level fields that describe one page only (its number, the page count), left out
    /// of the document that merges every page.
    pub(crate) page_only: &'static [&'static str],
    /// Whether a totals row adds up the count and money columns.
    pub(crate) totals: bool,
    /// What a table says when there are no items.
    pub(crate) empty: &'static str,
}

/// Where the items of a list go, in the chosen format, as they arrive.
pub(crate) struct ListOutput {
    format: Format,
    listing: &'static Listing,
    out: Destination,
    ui: Arc<Ui>,
    limit: Option<usize>,
    single_page: bool,
    shown: usize,
    cut: bool,
    total: Option<u64>,
    items: Vec<Value>,
    fields: Option<Map<String, Value>>,
    table: Vec<Vec<String>>,
    sums: Vec<f64>,
    csv_header_written: bool,
}

impl ListOutput {
    /// A list printed in `format` to `out`; at most `limit` items (`None`: all); `single_page`
    /// when one page was asked for (its page-level fields are then kept whole).
    pub(crate) fn new(
        format: Format,
        listing: &'static Listing,
        out: Destination,
        ui: Arc<Ui>,
        limit: Option<usize>,
        single_page: bool,
    ) -> Self {
        Self {
            format,
            listing,
            out,
            ui,
            limit,
            single_page,
            shown: 0,
            cut: false,
            total: None,
            items: Vec::new(),
            fields: None,
            table: Vec::new(),
            sums: vec![0.0; listing.columns.len()],
            csv_header_written: false,
        }
    }

    /// One page as the API sent it: its items are printed (or kept) and its page-level
    /// fields kept from the first page. Returns whether more items are wanted.
    pub(crate) fn page(&mut self, page: Value) -> anyhow::Result<bool> {
        let Value::Object(mut fields) = page else { anyhow::bail!("a page that is not a JSON object") };
        let items = match fields.remove(self.listing.items_key) {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        };
        if let Some(total) =
            self.listing.total_path.and_then(|path| Value::Object(fields.clone()).pointer(path).cloned())
        {
            self.total = total.as_u64().or(self.total);
        }
        if self.fields.is_none() {
            if !self.single_page {
                for key in self.listing.page_only {
                    fields.remove(*key);
                }
            }
            self.fields = Some(fields);
        }
        self.ui.add_page();
        for item in items {
            if !self.item(item)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The field of a page that holds the items.
    pub(crate) fn items_key(&self) -> &'static str {
        self.listing.items_key
    }

    /// A list the API answers whole, in one page: its length is the total.
    pub(crate) fn whole(mut self, answer: Value) -> anyhow::Result<()> {
        self.total = answer.get(self.listing.items_key).and_then(Value::as_array).map(|items| items.len() as u64);
        self.page(answer)?;
        self.finish()
    }

    /// One item. Returns whether more are wanted (false once the limit is reached: the item
    /// past the limit only tells that the list was cut).
    pub(crate) fn item(&mut self, item: Value) -> anyhow::Result<bool> {
        if self.limit.is_some_and(|limit| self.shown >= limit) {
            self.cut = true;
            return Ok(false);
        }
        self.shown += 1;
        self.ui.add_items(1);
        match self.format {
            Format::Json => self.items.push(item),
            Format::Ndjson => {
                let line = serde_json::to_string(&item)?;
                self.write_now(|out| writeln!(out, "{line}"))?;
            }
            Format::Csv => {
                let mut text = String::new();
                if !self.csv_header_written {
                    self.csv_header_written = true;
                    text.push_str(&self.csv_header());
                }
                let row: Vec<String> = self.listing.columns.iter().map(|c| csv_cell(c, &item)).collect();
                text.push_str(&csv_line(&row));
                self.write_now(|out| out.write_all(text.as_bytes()))?;
            }
            Format::Table => {
                for (i, column) in self.listing.columns.iter().enumerate() {
                    if let Some(n) = summable(column, &item) {
                        self.sums[i] += n;
                    }
                }
                self.table.push(self.listing.columns.iter().map(|c| table_cell(c, &item)).collect());
            }
        }
        Ok(true)
    }

    /// The CSV header: each column's field (`source.repository` for `/source/repository`).
    fn csv_header(&self) -> String {
        let header: Vec<String> =
            self.listing.columns.iter().map(|c| c.path.trim_start_matches('/').replace('/', ".")).collect();
        csv_line(&header)
    }

    /// Writes and flushes at once, so that a pipe sees each row as it is read.
    fn write_now(&mut self, write: impl FnOnce(&mut Destination) -> std::io::Result<()>) -> anyhow::Result<()> {
        let out = &mut self.out;
        self.ui.suspend(|| {
            write(out)?;
            out.flush()
        })?;
        Ok(())
    }

    /// Prints what is left (the JSON document, the table) and completes the output.
    pub(crate) fn finish(mut self) -> anyhow::Result<()> {
        self.ui.finish();
        match self.format {
            Format::Json => {
                let mut document = self.fields.take().unwrap_or_default();
                document.insert(self.listing.items_key.to_owned(), Value::Array(std::mem::take(&mut self.items)));
                serde_json::to_writer_pretty(&mut self.out, &document)?;
                writeln!(self.out)?;
            }
            Format::Ndjson => {}
            Format::Csv => {
                if !self.csv_header_written {
                    let header = self.csv_header();
                    self.out.write_all(header.as_bytes())?;
                }
            }
            Format::Table => self.print_table()?,
        }
        self.out.finish()?;
        Ok(())
    }

    fn print_table(&mut self) -> anyhow::Result<()> {
        if self.table.is_empty() {
            writeln!(self.out, "{}", self.listing.empty)?;
            return Ok(());
        }
        let mut table = Table::new(self.listing.columns.iter().map(|c| c.header));
        for row in std::mem::take(&mut self.table) {
            table.row(row);
        }
        if self.listing.totals && self.shown > 1 {
            let totals = self.listing.columns.iter().enumerate().map(|(i, column)| match column.kind {
                Kind::Count => format!("{}", self.sums[i] as u64),
                Kind::Cents => dollars(self.sums[i]),
                _ if i == 0 => "TOTAL".to_owned(),
                _ => String::new(),
            });
            table.footer(totals);
        }
        self.out.write_all(table.render_width(super::terminal_width()).as_bytes())?;
        if self.cut {
            match self.total {
                Some(total) => writeln!(self.out, "showing {} of {total} (--limit 0 shows all)", self.shown)?,
                None => writeln!(self.out, "showing the first {} (more follow; --limit 0 shows all)", self.shown)?,
            }
        }
        Ok(())
    }
}

fn value_at<'a>(column: &Column, item: &'a Value) -> Option<&'a Value> {
    item.pointer(column.path).filter(|v| !v.is_null())
}

fn number(value: &Value) -> Option<f64> {
    value.as_f64().or_else(|| value.as_str().and_then(|s| s.parse().ok()))
}

fn summable(column: &Column, item: &Value) -> Option<f64> {
    match column.kind {
        Kind::Count | Kind::Cents => value_at(column, item).and_then(number),
        _ => None,
    }
}

/// A column's cell in a table.
pub(crate) fn table_cell(column: &Column, item: &Value) -> String {
    let value = value_at(column, item);
    match column.kind {
        Kind::Computed(compute) => compute(item),
        Kind::LimitDollars => value.map_or_else(|| "no limit".to_owned(), |v| format!("${}", cell(v))),
        Kind::Cents => value.and_then(number).map(dollars).unwrap_or_default(),
        Kind::Millis => {
            value.map(|v| number(v).map_or_else(|| cell(v), |ms| time_of_millis(ms as i64))).unwrap_or_default()
        }
        Kind::Text | Kind::Count => value.map(cell).unwrap_or_default(),
    }
}

/// A column's cell in CSV: the API's raw value at the column's field, whatever the table
/// shows (objects and arrays as compact JSON), so that CSV holds the data, not its display.
fn csv_cell(column: &Column, item: &Value) -> String {
    match value_at(column, item) {
        Some(Value::Number(n)) => n.to_string(),
        Some(v) => cell(v),
        None => String::new(),
    }
}

/// One CSV record (RFC 4180: a field with a comma, quote or line break is quoted).
pub(crate) fn csv_line(fields: &[String]) -> String {
    let mut line = String::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&field.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(field);
        }
    }
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn csv_quotes_only_what_needs_it() {
        assert_eq!(csv_line(&["a".into(), "b,c".into(), "say \"hi\"".into()]), "a,\"b,c\",\"say \"\"hi\"\"\"\n");
    }

    #[test]
    fn limits_print_no_limit_for_null_and_dollars_for_zero() {
        let column = col("LIMIT", "/limit", Kind::LimitDollars);
        assert_eq!(table_cell(&column, &json!({"limit": null})), "no limit");
        assert_eq!(table_cell(&column, &json!({})), "no limit");
        assert_eq!(table_cell(&column, &json!({"limit": 0})), "$0");
        assert_eq!(table_cell(&column, &json!({"limit": 250})), "$250");
    }
}
