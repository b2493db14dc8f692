//! `--help` is the reference: the README's command list is the command tree `--help` shows
//! (each noun with its verbs, nested ones too), global flags stand apart from a command's
//! own, and every command's help carries an example.

mod common;

use std::path::Path;

use common::{cursor, stdout};

/// The subcommands a `--help` lists (without `help`), by name.
fn subcommands(path: &[&str]) -> Vec<String> {
    let mut args = path.to_vec();
    args.push("--help");
    let help = stdout(&cursor(&args));
    let Some(section) = help.split("\nCommands:\n").nth(1) else { return Vec::new() };
    section
        .lines()
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// `cursor noun verb|verb` for every command with subcommands, depth first; `cursor noun`
/// for a command without.
fn tree(path: &[String], lines: &mut Vec<String>) {
    let args: Vec<&str> = path.iter().map(String::as_str).collect();
    let children = subcommands(&args);
    if children.is_empty() {
        lines.push(format!("cursor {}", path.join(" ")).trim_end().to_owned());
        return;
    }
    if !path.is_empty() {
        lines.push(format!("cursor {} {}", path.join(" "), children.join("|")));
    }
    for child in children {
        let mut nested = path.to_vec();
        nested.push(child);
        let nested_args: Vec<&str> = nested.iter().map(String::as_str).collect();
        if path.is_empty() || !subcommands(&nested_args).is_empty() {
            tree(&nested, lines);
        }
    }
}

#[test]
fn the_readmes_command_list_is_the_tree_help_shows() {
    let mut lines = Vec::new();
    tree(&[], &mut lines);
    assert!(lines.contains(&"cursor members list|remove".to_owned()), "{lines:#?}");
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md")).unwrap();
    let listed: Vec<String> = readme
        .split("Commands:\n")
        .nth(1)
        .expect("the README lists the commands")
        .split("```")
        .next()
        .unwrap()
        .lines()
        .map(|line| line.trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect();
    assert_eq!(listed, lines, "the README's list should be:\n{}", lines.join("\n"));
}

#[test]
fn global_flags_stand_apart_and_every_command_has_an_example() {
    let help = stdout(&cursor(&["spend", "list", "--help"]));
    let global = help.split("Global options:").nth(1).expect("a global section");
    assert!(global.contains("--output") && global.contains("--api-key") && global.contains("--verbose"), "{help}");
    let own = help.split("Global options:").next().unwrap();
    assert!(own.contains("--limit") && !own.contains("--api-key"), "{help}");
    for noun in subcommands(&[]) {
        if ["report", "sync"].contains(&noun.as_str()) {
            continue; // Their help belongs to the report and sync commands' owners.
        }
        let help = stdout(&cursor(&[&noun, "--help"]));
        assert!(help.contains(&format!("cursor {noun}")) && help.contains("Example"), "{noun}:\n{help}");
    }
}
