//! CSV for the AI-code `.csv` endpoints: RFC 4180 quoting, and a chunked body generated
//! lazily so that a million rows never sit in memory.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use futures_util::stream;
use serde_json::{Value, json};

use crate::data::{Change, Commit, TeamData};
use crate::dates::iso_millis;

/// Columns of `commits.csv`.
pub const COMMIT_HEADER: &str = "commit_hash,user_id,user_email,repo_name,branch_name,is_primary_branch,total_lines_added,total_lines_deleted,tab_lines_added,tab_lines_deleted,composer_lines_added,composer_lines_deleted,non_ai_lines_added,non_ai_lines_deleted,message,commit_ts,created_at";
/// Columns of `changes.csv`.
pub const CHANGE_HEADER: &str =
    "change_id,user_id,user_email,source,model,total_lines_added,total_lines_deleted,created_at,metadata_json";

/// Rows generated per chunk of the body.
const ROWS_PER_CHUNK: u64 = 1_000;

fn needs_quotes(value: &str) -> bool {
    value.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
}

/// Appends a field, quoted when it holds a comma, quote, CR or LF (or always, when asked).
/// Rows are built by appending to one buffer: this runs for every cell of million-row files.
pub fn push_field(out: &mut String, value: &str, always_quote: bool) {
    if always_quote || needs_quotes(value) {
        out.push('"');
        for (i, part) in value.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// A field as a string (see [`push_field`]).
pub fn field(value: &str, always_quote: bool) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    push_field(&mut out, value, always_quote);
    out
}

/// Appends a number in decimal, zero-padded to `width`.
fn push_padded(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let start = i.min(digits.len() - width.min(digits.len()));
    out.push_str(std::str::from_utf8(&digits[start..]).unwrap_or("0"));
}

/// Appends a number in decimal.
fn push_u64(out: &mut String, n: u64) {
    push_padded(out, n, 1);
}

/// Appends `2025-07-30T14:12:03.000Z`.
fn push_iso(out: &mut String, at: time::OffsetDateTime) {
    let at = at.to_offset(time::UtcOffset::UTC);
    let (year, month, day) = at.to_calendar_date();
    let (hour, minute, second, milli) = at.to_hms_milli();
    push_padded(out, year.max(0) as u64, 4);
    out.push('-');
    push_padded(out, u64::from(u8::from(month)), 2);
    out.push('-');
    push_padded(out, u64::from(day), 2);
    out.push('T');
    push_padded(out, u64::from(hour), 2);
    out.push(':');
    push_padded(out, u64::from(minute), 2);
    out.push(':');
    push_padded(out, u64::from(second), 2);
    out.push('.');
    push_padded(out, u64::from(milli), 3);
    out.push('Z');
}

/// One `commits.csv` line, newline included. Unknown values are empty fields.
pub fn commit_row(data: &TeamData, c: &Commit) -> String {
    let mut out = String::with_capacity(320);
    push_commit_row(&mut out, data, c);
    out
}

/// Appends one `commits.csv` line.
pub fn push_commit_row(out: &mut String, data: &TeamData, c: &Commit) {
    let m = &data.members()[c.member];
    push_field(out, &c.commit_hash, false);
    out.push(',');
    push_field(out, &m.user_id, false);
    out.push(',');
    push_field(out, &m.email, false);
    out.push(',');
    push_field(out, c.repo_name.unwrap_or_default(), false);
    out.push(',');
    push_field(out, c.branch_name.as_deref().unwrap_or_default(), false);
    out.push(',');
    if let Some(primary) = c.is_primary_branch {
        out.push_str(if primary { "true" } else { "false" });
    }
    for n in [
        c.total_lines_added,
        c.total_lines_deleted,
        c.tab_lines_added,
        c.tab_lines_deleted,
        c.composer_lines_added,
        c.composer_lines_deleted,
        c.non_ai_lines_added(),
        c.non_ai_lines_deleted(),
    ] {
        out.push(',');
        push_u64(out, n);
    }
    out.push(',');
    // The documented sample quotes every message, so messages are always quoted.
    if let Some(message) = &c.message {
        push_field(out, message, true);
    }
    out.push(',');
    if let Some(ts) = c.commit_ts {
        push_iso(out, ts);
    }
    out.push(',');
    push_iso(out, c.created_at);
    out.push('\n');
}

/// The `metadata` array of a change (no `fileName` in privacy mode).
pub fn change_metadata(c: &Change) -> Value {
    Value::Array(
        c.files
            .iter()
            .map(|f| {
                let mut entry = json!({
                    "fileExtension": f.file_extension,
                    "linesAdded": f.lines_added,
                    "linesDeleted": f.lines_deleted,
                });
                if let Some(name) = &f.file_name {
                    entry["fileName"] = json!(name);
                }
                entry
            })
            .collect(),
    )
}

/// One `changes.csv` line, newline included.
pub fn change_row(data: &TeamData, c: &Change) -> String {
    let m = &data.members()[c.member];
    let cells = [
        field(&c.change_id, false),
        field(&m.user_id, false),
        field(&m.email, false),
        c.source.to_owned(),
        field(c.model.unwrap_or_default(), false),
        c.total_lines_added().to_string(),
        c.total_lines_deleted().to_string(),
        iso_millis(c.created_at),
        field(&change_metadata(c).to_string(), true),
    ];
    let mut line = cells.join(",");
    line.push('\n');
    line
}

/// A chunked body: the header, then the rows of indices `range` (newest first) that
/// `render` keeps (it returns `None` to skip a row), a thousand at a time.
pub fn stream_rows<S: Send + Sync + 'static>(
    owner: Arc<S>,
    header: &'static str,
    range: std::ops::Range<u64>,
    render: fn(&S, u64) -> Option<String>,
) -> Body {
    let head = stream::once(async move { Ok::<_, std::convert::Infallible>(Bytes::from(format!("{header}\n"))) });
    let rows = stream::unfold(range.start, move |next| {
        let owner = Arc::clone(&owner);
        let end = range.end;
        async move {
            if next >= end {
                return None;
            }
            let stop = (next + ROWS_PER_CHUNK).min(end);
            let mut chunk = String::with_capacity(256 * (stop - next) as usize);
            for i in next..stop {
                if let Some(row) = render(&owner, i) {
                    chunk.push_str(&row);
                }
            }
            Some((Ok(Bytes::from(chunk)), stop))
        }
    });
    use futures_util::StreamExt;
    Body::from_stream(head.chain(rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal RFC 4180 reader for one record, written independently of the writer.
    fn parse_record(line: &str) -> Vec<String> {
        let mut fields = vec![String::new()];
        let mut chars = line.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    fields.last_mut().unwrap().push('"');
                }
                (_, '"') => quoted = !quoted,
                (false, ',') => fields.push(String::new()),
                (_, c) => fields.last_mut().unwrap().push(c),
            }
        }
        fields
    }

    /// Many random fields, drawn from an alphabet rich in separators, read back unchanged.
    /// (A seeded loop rather than proptest, which the workspace lock file does not carry.)
    #[test]
    fn random_fields_read_back_unchanged() {
        const ALPHABET: &[char] = &['a', 'Z', '0', ',', '"', '\n', '\r', ' ', 'é', '日', '🚀', '\''];
        let mut rng = fastrand::Rng::with_seed(42);
        for _ in 0..2_000 {
            let values: Vec<String> = (0..rng.usize(1..6))
                .map(|_| (0..rng.usize(0..12)).map(|_| ALPHABET[rng.usize(..ALPHABET.len())]).collect())
                .collect();
            let quote_all = rng.bool();
            let line: Vec<String> = values.iter().map(|v| field(v, quote_all)).collect();
            assert_eq!(parse_record(&line.join(",")), values);
        }
    }

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(field("plain", false), "plain");
        assert_eq!(field("a,b", false), "\"a,b\"");
        assert_eq!(field("say \"hi\"", false), "\"say \"\"hi\"\"\"");
        assert_eq!(field("line\nbreak", false), "\"line\nbreak\"");
        assert_eq!(field("plain", true), "\"plain\"");
    }

    #[test]
    fn row_timestamps_and_numbers_match_the_json_formats() {
        let data = TeamData::new(7, Default::default(), time::macros::datetime!(2025-06-15 12:00 UTC));
        let commit = data.commit(3);
        let row = commit_row(&data, &commit);
        assert!(row.ends_with(&format!(",{}\n", iso_millis(commit.created_at))), "{row}");
        assert!(row.contains(&format!(",{},{},", commit.total_lines_added, commit.total_lines_deleted)));
        let mut padded = String::new();
        push_padded(&mut padded, 7, 3);
        push_padded(&mut padded, 2025, 4);
        push_padded(&mut padded, 0, 2);
        assert_eq!(padded, "007202500");
    }

    #[test]
    fn rows_have_as_many_fields_as_the_header() {
        let data = TeamData::new(7, Default::default(), time::macros::datetime!(2025-06-15 12:00 UTC));
        for i in 0..300 {
            let row = commit_row(&data, &data.commit(i));
            // Count separators outside quotes.
            let mut in_quotes = false;
            let mut commas = 0;
            for ch in row.chars() {
                match ch {
                    '"' => in_quotes = !in_quotes,
                    ',' if !in_quotes => commas += 1,
                    _ => {}
                }
            }
            assert_eq!(commas, COMMIT_HEADER.matches(',').count(), "row {i}: {row}");
        }
    }
}
