//! The report as one self-contained HTML page: inline CSS and hand-drawn inline SVG charts,
//! no script, font or image fetched at view time. Every text that came from the API (names,
//! emails, repositories, models) goes through [`escape`].

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use super::compute::{Report, Skipped, titles};
use super::text::{model_cost_cells, share};
use crate::output::dollars;

/// `&`, `<`, `>`, `"` and `'` as entities: safe in element text and quoted attributes.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Writes `html` to `path` through a temporary file in the same directory and a rename, so
/// that an interrupted run leaves either the old file or the whole new one. `-` is stdout.
pub(crate) fn write(path: &Path, html: &str) -> anyhow::Result<()> {
    if path.as_os_str() == "-" {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(html.as_bytes())?;
        return Ok(stdout.flush()?);
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "report.html".into());
    let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::write(&temporary, html).and_then(|()| std::fs::rename(&temporary, path));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(anyhow::Error::new(error).context(format!("could not write {}", path.display())));
    }
    eprintln!("wrote {} ({} bytes)", path.display(), html.len());
    Ok(())
}

const STYLE: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328;margin:0 auto;max-width:1040px;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.sub{color:#59636e;margin:0 0 12px}.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
figure{margin:0;border:1px solid #d0d7de;border-radius:6px;padding:12px}figcaption{font-weight:600;margin-bottom:6px}
svg{display:block;max-width:100%;height:auto}svg text{font:11px system-ui,sans-serif;fill:#59636e}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eaeef2}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.skipped{color:#9a6700;background:#fff8c5;padding:6px 10px;border-radius:6px}
.kpis{display:flex;gap:12px;flex-wrap:wrap}.kpi{border:1px solid #d0d7de;border-radius:6px;padding:8px 14px}.kpi b{display:block;font-size:20px}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
";

const BLUE: &str = "#0969da";
const GREEN: &str = "#1a7f37";
const ORANGE: &str = "#bc4c00";
const PURPLE: &str = "#8250df";

/// Vertical bars, one per label, each a stack of `series` values (bottom first).
fn vertical_bars(labels: &[String], series: &[(&str, &str, Vec<f64>)], format: fn(f64) -> String) -> String {
    let (width, height, left, bottom, top) = (480.0, 220.0, 56.0, 34.0, 10.0);
    let totals: Vec<f64> = (0..labels.len()).map(|i| series.iter().map(|s| s.2[i]).sum()).collect();
    let max = totals.iter().copied().fold(0.0, f64::max);
    let scale = if max > 0.0 { (height - bottom - top) / max } else { 0.0 };
    let slot = (width - left - 8.0) / labels.len().max(1) as f64;
    let bar = (slot * 0.7).max(1.0);
    let base = height - bottom;
    let mut svg = format!(
        r##"<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img"><line x1="{left}" y1="{base}" x2="{}" y2="{base}" stroke="#8c959f"/>"##,
        width - 8.0
    );
    for (value, y) in [(max, top), (max / 2.0, top + (base - top) / 2.0)] {
        let _ = write!(
            svg,
            r##"<line x1="{left}" y1="{y}" x2="{}" y2="{y}" stroke="#eaeef2"/><text x="{}" y="{}" text-anchor="end">{}</text>"##,
            width - 8.0,
            left - 4.0,
            y + 4.0,
            escape(&format(value))
        );
    }
    for (i, label) in labels.iter().enumerate() {
        let x = left + slot * i as f64 + (slot - bar) / 2.0;
        let mut y = base;
        for (name, colour, values) in series {
            let h = values[i] * scale;
            y -= h;
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{:.1}" fill="{colour}"><title>{} {}: {}</title></rect>"#,
                h.max(0.5),
                escape(label),
                escape(name),
                escape(&format(values[i]))
            );
        }
        // Every label when they fit, else every other one.
        if labels.len() <= 10 || i % 2 == 0 {
            let short = label.get(5..).unwrap_or(label);
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
                x + bar / 2.0,
                base + 14.0,
                escape(short)
            );
        }
    }
    svg + "</svg>"
}

/// Horizontal bars, one per row, against `max` (the largest value when `None`).
fn horizontal_bars(
    width: f64,
    rows: &[(String, f64)],
    max: Option<f64>,
    colour: &str,
    format: fn(f64) -> String,
) -> String {
    let (row_height, label_width, value_width) = (22.0, 190.0, 70.0);
    let height = row_height * rows.len().max(1) as f64 + 4.0;
    let max = max.unwrap_or_else(|| rows.iter().map(|r| r.1).fold(0.0, f64::max));
    let scale = if max > 0.0 { (width - label_width - value_width) / max } else { 0.0 };
    let mut svg = format!(r#"<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img">"#);
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = i as f64 * row_height + 2.0;
        let shown: String =
            if label.chars().count() > 30 { label.chars().take(29).chain(['…']).collect() } else { label.clone() };
        let _ = write!(
            svg,
            r#"<text x="{}" y="{:.1}" text-anchor="end">{}</text><rect x="{label_width}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{colour}"><title>{}: {}</title></rect><text x="{:.1}" y="{:.1}">{}</text>"#,
            label_width - 6.0,
            y + 14.0,
            escape(&shown),
            (value * scale).max(0.5),
            row_height - 6.0,
            escape(label),
            escape(&format(*value)),
            label_width + value * scale + 4.0,
            y + 14.0,
            escape(&format(*value))
        );
    }
    svg + "</svg>"
}

fn money(cents: f64) -> String {
    dollars(cents)
}

fn count(n: f64) -> String {
    format!("{n:.0}")
}

fn percent(ratio: f64) -> String {
    format!("{:.0}%", ratio * 100.0)
}

fn figure(out: &mut String, caption: &str, body: &str) {
    let _ = write!(out, "<figure><figcaption>{}</figcaption>{body}</figure>", escape(caption));
}

fn skipped_note(report: &Report, titles: &[&str]) -> String {
    let found: Vec<&Skipped> = report.skipped.iter().filter(|s| titles.contains(&s.section.as_str())).collect();
    found
        .iter()
        .map(|s| format!(r#"<p class="skipped">{}: skipped, {}</p>"#, escape(&s.section), escape(&s.reason)))
        .collect()
}

fn table(headers: &[&str], rows: &[Vec<String>], numeric_from: usize) -> String {
    let mut out = String::from("<table><tr>");
    for (i, h) in headers.iter().enumerate() {
        let class = if i >= numeric_from { " class=\"n\"" } else { "" };
        let _ = write!(out, "<th{class}>{}</th>", escape(h));
    }
    out += "</tr>";
    for row in rows {
        out += "<tr>";
        for (i, cell) in row.iter().enumerate() {
            let class = if i >= numeric_from { " class=\"n\"" } else { "" };
            let _ = write!(out, "<td{class}>{}</td>", escape(cell));
        }
        out += "</tr>";
    }
    out + "</table>"
}

/// Renders the page.
pub(crate) fn render(report: &Report) -> String {
    let w = &report.window;
    let mut out = format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Cursor team report {} to {}</title><style>{STYLE}</style></head><body><h1>Cursor team report</h1><p class="sub">{} to {} ({} dates; {} is today, partial)</p>"#,
        escape(&w.first_date),
        escape(&w.last_date),
        escape(&w.first_date),
        escape(&w.last_date),
        w.days,
        escape(&w.partial_date)
    );

    out += r#"<div class="kpis">"#;
    let mut kpi = |label: &str, value: String| {
        let _ = write!(out, r#"<div class="kpi"><b>{}</b>{}</div>"#, escape(&value), escape(label));
    };
    if let Some(m) = &report.members {
        kpi("active members", m.active.to_string());
    }
    if let Some(s) = &report.spend {
        kpi(&format!("spent since {}", s.cycle_start), dollars(s.total_cents));
    }
    if let Some(ai) = &report.ai_code {
        kpi("of committed lines by AI", share(ai.total.ai_share));
    }
    if let Some(a) = &report.tab_acceptance {
        kpi("Tab suggestions accepted", share(a.rate));
    }
    if let Some(a) = &report.agent_acceptance {
        kpi("Agent diffs accepted", share(a.rate));
    }
    if let Some(a) = &report.agents {
        kpi("cloud agents", a.total.to_string());
    }
    out += "</div>";
    out += &skipped_note(report, &[titles::MEMBERS]);

    out += "<h2>Trend</h2><div class=\"grid\">";
    let labels: Vec<String> =
        report.daily.iter().map(|d| if d.partial { format!("{}*", d.date) } else { d.date.clone() }).collect();
    if report.daily.iter().all(|d| d.active_users.is_some()) {
        let users = report.daily.iter().map(|d| d.active_users.unwrap_or(0) as f64).collect();
        figure(&mut out, "Active users per day", &vertical_bars(&labels, &[("active users", BLUE, users)], count));
    } else {
        out += &skipped_note(report, &[titles::ACTIVE_USERS]);
    }
    if report.daily.iter().all(|d| d.cost.is_some()) {
        let included = report.daily.iter().map(|d| d.cost.map_or(0.0, |c| c.cents - c.on_demand_cents)).collect();
        let on_demand = report.daily.iter().map(|d| d.cost.map_or(0.0, |c| c.on_demand_cents)).collect();
        let legend = format!(
            r#"<div class="legend"><span style="background:{GREEN}"></span>included<span style="background:{ORANGE}"></span>on-demand</div>"#
        );
        let chart = vertical_bars(&labels, &[("included", GREEN, included), ("on-demand", ORANGE, on_demand)], money);
        figure(&mut out, "Spend per day (usage-event cost)", &(chart + &legend));
    } else {
        out += &skipped_note(report, &[titles::SPEND_BY_MODEL]);
    }
    out += "</div><p class=\"sub\">* today, partial</p>";

    out += "<h2>Spend this billing cycle</h2><div class=\"grid\">";
    match &report.spend_by_model {
        Some(s) => {
            let rows: Vec<(String, f64)> = s.models.iter().take(10).map(|m| (m.model.clone(), m.cost.cents)).collect();
            figure(
                &mut out,
                &format!("Spend by model since {}", s.since),
                &horizontal_bars(480.0, &rows, None, PURPLE, money),
            );
        }
        None => out += &skipped_note(report, &[titles::SPEND_BY_MODEL]),
    }
    match &report.spend {
        Some(s) => {
            let rows: Vec<(String, f64)> = s
                .top_spenders
                .iter()
                .map(|p| (if p.name.is_empty() { p.email.clone() } else { p.name.clone() }, p.spend_cents))
                .collect();
            figure(
                &mut out,
                &format!("Top spenders since {}", s.cycle_start),
                &horizontal_bars(480.0, &rows, None, BLUE, money),
            );
        }
        None => out += &skipped_note(report, &[titles::SPEND]),
    }
    out += "</div>";
    if let Some(s) = &report.spend_by_model {
        let rows: Vec<Vec<String>> = s
            .models
            .iter()
            .map(|m| (m.model.as_str(), &m.cost))
            .chain([("Total", &s.total)])
            .map(|(model, cost)| model_cost_cells(model, cost))
            .collect();
        out += &table(&["Model", "Events", "Cost", "Token fee", "Included", "On-demand"], &rows, 1);
    }

    out += "<h2>AI share of committed lines</h2>";
    match &report.ai_code {
        Some(ai) => {
            let rows: Vec<(String, f64)> =
                ai.repositories.iter().map(|r| (r.repository.clone(), r.ai_share.unwrap_or(0.0))).collect();
            figure(&mut out, "AI share by repository", &horizontal_bars(720.0, &rows, Some(1.0), GREEN, percent));
        }
        None => out += &skipped_note(report, &[titles::AI_CODE]),
    }

    out += "<h2>Usage</h2><div class=\"grid\">";
    match &report.top_models {
        Some(models) => {
            let rows: Vec<Vec<String>> = models
                .iter()
                .map(|m| vec![m.model.clone(), m.messages.to_string(), m.peak_daily_users.to_string()])
                .collect();
            out += &format!("<div>{}</div>", table(&["Model", "Messages", "Peak daily users"], &rows, 1));
        }
        None => out += &skipped_note(report, &[titles::MODELS]),
    }
    match &report.top_file_extensions {
        Some(extensions) => {
            let rows: Vec<Vec<String>> = extensions
                .iter()
                .map(|e| vec![format!(".{}", e.extension), e.lines_accepted.to_string(), e.accepts.to_string()])
                .collect();
            out += &format!("<div>{}</div>", table(&["Extension", "Lines accepted", "Accepts"], &rows, 1));
        }
        None => out += &skipped_note(report, &[titles::EXTENSIONS]),
    }
    out += "</div>";
    out += &skipped_note(report, &[titles::TAB, titles::AGENT, titles::ACTIVE_MEMBERS]);
    if let Some(a) = &report.agents {
        let statuses: Vec<String> = a.by_status.iter().map(|(s, n)| format!("{n} {s}")).collect();
        let _ = write!(
            out,
            "<h2>Cloud agents</h2><p>{} agents, {} created in the window: {}</p>",
            a.total,
            a.created_in_window,
            escape(&statuses.join(", "))
        );
    } else {
        out += &skipped_note(report, &[titles::AGENTS]);
    }
    out + "</body></html>\n"
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::super::compute::{RawData, SpendData, Window, compute};
    use super::*;

    const HOSTILE: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";

    #[test]
    fn escape_turns_markup_characters_into_entities() {
        assert_eq!(
            escape(HOSTILE),
            "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;"
        );
    }

    fn value<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
        serde_json::from_value(value).expect("a valid fixture")
    }

    #[test]
    fn hostile_names_emails_models_and_repositories_cannot_inject_markup() {
        let raw = RawData {
            members: Ok(value(
                serde_json::json!({"teamMembers": [{"name": HOSTILE, "email": HOSTILE, "role": HOSTILE}]}),
            )),
            spend: Ok(SpendData {
                cycle_start_ms: 0,
                members: vec![value(
                    serde_json::json!({"spendCents": 5, "fastPremiumRequests": 0, "name": HOSTILE, "email": HOSTILE, "role": "member"}),
                )],
            }),
            usage_events: Ok(vec![value(
                serde_json::json!({"timestamp": "1796126400000", "model": HOSTILE, "kind": HOSTILE,
                "maxMode": false, "requestsCosts": 1, "isTokenBasedCall": true, "tokenUsage": {"totalCents": 3}}),
            )]),
            daily_usage: Ok(Vec::new()),
            dau: Ok(Vec::new()),
            models: Ok(vec![value(
                serde_json::json!({"date": "2026-12-01", "model_breakdown": {HOSTILE: {"messages": 1}}}),
            )]),
            extensions: Ok(vec![value(serde_json::json!({"event_date": "2026-12-01", "file_extension": HOSTILE}))]),
            tabs: Ok(Vec::new()),
            agent_edits: Ok(Vec::new()),
            commits: Ok(vec![value(serde_json::json!({"repoName": HOSTILE, "totalLinesAdded": 3}))]),
            agents: Err(super::super::compute::Unavailable { reason: HOSTILE.into(), permission: true }),
        };
        let page = render(&compute(&raw, &Window::ending_today(7, date!(2026 - 12 - 01))));
        assert!(page.contains("&lt;script&gt;alert(1)"), "the hostile text is shown, escaped");
        assert!(!page.contains("<script") && !page.contains("<img") && !page.contains("onerror=alert(2)>"), "{page}");
        // Nothing is fetched at view time.
        for external in ["src=\"", "href=", "<link", "url(", "@import"] {
            assert!(!page.contains(external), "`{external}` in the page");
        }
    }
}
