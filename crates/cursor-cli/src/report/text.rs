//! The report as plain text: headed sections of aligned tables, no colour or terminal
//! control, so that it reads the same at a terminal, in a pipe and in an email.

use std::fmt::Write as _;

use super::compute::{Acceptance, CostSplit, Report, titles};
use crate::output::{Table, dollars, percent};

/// A ratio as a percentage with one decimal, or `n/a`.
pub(crate) fn share(ratio: Option<f64>) -> String {
    ratio.map_or_else(|| "n/a".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

/// The line under a section's heading when the section is skipped.
fn skip_line(report: &Report, title: &str) -> Option<String> {
    report.skipped.iter().find(|s| s.section == title).map(|s| format!("skipped: {}\n", s.reason))
}

fn heading(out: &mut String, title: &str) {
    let _ = write!(out, "\n== {title}\n");
}

/// A skipped section: its heading and the line saying why.
fn skipped_section(out: &mut String, report: &Report, title: &str) {
    heading(out, title);
    *out += &skip_line(report, title).unwrap_or_default();
}

/// A model's row of the spend-by-model table (text and HTML alike).
pub(crate) fn model_cost_cells(model: &str, c: &CostSplit) -> Vec<String> {
    vec![
        model.to_owned(),
        c.events.to_string(),
        dollars(c.cents),
        dollars(c.token_fee_cents),
        dollars(c.included_cents),
        dollars(c.on_demand_cents),
    ]
}

fn table_or_none(table: &Table) -> String {
    if table.is_empty() { "(none)\n".to_owned() } else { table.render() }
}

fn acceptance_line(what: &str, unit: &str, a: &Acceptance) -> String {
    format!(
        "{what}: {} of {} {unit} accepted ({}); {} of {} lines ({})\n",
        a.accepted,
        a.suggested,
        percent(a.accepted, a.suggested),
        a.lines_accepted,
        a.lines_suggested,
        percent(a.lines_accepted, a.lines_suggested)
    )
}

/// Renders the whole report.
pub(crate) fn render(report: &Report) -> String {
    let w = &report.window;
    let mut out = format!(
        "Team report: {} to {} ({} dates; {} is today, partial, marked *)\n",
        w.first_date, w.last_date, w.days, w.partial_date
    );

    match &report.members {
        Some(m) => {
            let roles: Vec<String> = m.by_role.iter().map(|(role, n)| format!("{n} {role}")).collect();
            let _ = write!(
                out,
                "\n== {}: {} active ({}); {} removed\n",
                titles::MEMBERS,
                m.active,
                roles.join(", "),
                m.removed
            );
        }
        None => skipped_section(&mut out, report, titles::MEMBERS),
    }

    match &report.spend {
        Some(s) => {
            heading(&mut out, &format!("{} (since {})", titles::SPEND, s.cycle_start));
            let _ = writeln!(out, "{} in all; {} members spent", dollars(s.total_cents), s.members_with_spend);
            let mut table = Table::new(["NAME", "EMAIL", "SPEND"]);
            for p in &s.top_spenders {
                table.row([p.name.clone(), p.email.clone(), dollars(p.spend_cents)]);
            }
            out += &table_or_none(&table);
        }
        None => skipped_section(&mut out, report, titles::SPEND),
    }

    match &report.spend_by_model {
        Some(s) => {
            heading(&mut out, &format!("{} (usage events since {})", titles::SPEND_BY_MODEL, s.since));
            let mut table = Table::new(["MODEL", "EVENTS", "COST", "TOKEN FEE", "INCLUDED", "ON-DEMAND"]);
            for (model, cost) in s.models.iter().map(|m| (m.model.as_str(), &m.cost)).chain([("TOTAL", &s.total)]) {
                table.row(model_cost_cells(model, cost));
            }
            out += &table.render();
        }
        None => skipped_section(&mut out, report, titles::SPEND_BY_MODEL),
    }

    heading(&mut out, &format!("Per day, last {} dates", w.days));
    let mut table = Table::new(["DATE", "ACTIVE USERS", "ACTIVE MEMBERS", "COST", "ON-DEMAND"]);
    let opt = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_else(|| "-".to_owned());
    for day in &report.daily {
        let date = if day.partial { format!("{}*", day.date) } else { day.date.clone() };
        let cost = day.cost.map_or_else(|| "-".to_owned(), |c| dollars(c.cents));
        let on_demand = day.cost.map_or_else(|| "-".to_owned(), |c| dollars(c.on_demand_cents));
        table.row([date, opt(day.active_users), opt(day.active_members), cost, on_demand]);
    }
    out += &table.render();
    out += "* today, partial\n";
    // The cost column comes from the usage events, whose skip is under spend by model.
    let columns = [
        ("Active users", titles::ACTIVE_USERS),
        ("Active members", titles::ACTIVE_MEMBERS),
        ("Cost", titles::SPEND_BY_MODEL),
    ];
    for (column, title) in columns {
        if let Some(line) = skip_line(report, title) {
            let _ = write!(out, "{column} per day {line}");
        }
    }

    match &report.ai_code {
        Some(ai) => {
            heading(&mut out, &format!("{}, last {} dates", titles::AI_CODE, w.days));
            let mut table = Table::new(["REPOSITORY", "COMMITS", "LINES ADDED", "AI LINES", "AI SHARE"]);
            let rows = ai.repositories.iter().map(|r| (r.repository.as_str(), r)).chain([("ALL", &ai.total)]);
            for (name, r) in rows {
                table.row([
                    name.to_owned(),
                    r.commits.to_string(),
                    r.lines_added.to_string(),
                    r.ai_lines_added.to_string(),
                    share(r.ai_share),
                ]);
            }
            out += &table.render();
            if ai.more_repositories > 0 {
                let _ = writeln!(out, "(and {} more repositories, counted in ALL)", ai.more_repositories);
            }
        }
        None => skipped_section(&mut out, report, titles::AI_CODE),
    }

    heading(&mut out, &format!("Tab and Agent acceptance, last {} dates", w.days));
    match &report.tab_acceptance {
        Some(a) => out += &acceptance_line("Tab", "suggestions", a),
        None => out += &format!("Tab {}", skip_line(report, titles::TAB).unwrap_or_default()),
    }
    match &report.agent_acceptance {
        Some(a) => out += &acceptance_line("Agent", "diffs", a),
        None => out += &format!("Agent {}", skip_line(report, titles::AGENT).unwrap_or_default()),
    }

    heading(&mut out, &format!("{}, last {} dates", titles::MODELS, w.days));
    match &report.top_models {
        Some(models) => {
            let mut table = Table::new(["MODEL", "MESSAGES", "PEAK DAILY USERS"]);
            for m in models {
                table.row([m.model.clone(), m.messages.to_string(), m.peak_daily_users.to_string()]);
            }
            out += &table_or_none(&table);
        }
        None => out += &skip_line(report, titles::MODELS).unwrap_or_default(),
    }

    heading(&mut out, &format!("{}, last {} dates", titles::EXTENSIONS, w.days));
    match &report.top_file_extensions {
        Some(extensions) => {
            let mut table = Table::new(["EXTENSION", "LINES ACCEPTED", "ACCEPTS"]);
            for e in extensions {
                table.row([format!(".{}", e.extension), e.lines_accepted.to_string(), e.accepts.to_string()]);
            }
            out += &table_or_none(&table);
        }
        None => out += &skip_line(report, titles::EXTENSIONS).unwrap_or_default(),
    }

    heading(&mut out, titles::AGENTS);
    match &report.agents {
        Some(a) => {
            let statuses: Vec<String> = a.by_status.iter().map(|(s, n)| format!("{n} {s}")).collect();
            let _ = writeln!(
                out,
                "{} agents ({} created in the last {} dates): {}",
                a.total,
                a.created_in_window,
                w.days,
                if statuses.is_empty() { "none".to_owned() } else { statuses.join(", ") }
            );
        }
        None => out += &skip_line(report, titles::AGENTS).unwrap_or_default(),
    }
    out
}
