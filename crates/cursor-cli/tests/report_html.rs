//! `cursor report --html` in a real browser: headless Chromium opens the page, a probe checks
//! that every chart has a size and drawn shapes and that nothing reached the console or the
//! network, and a screenshot is taken (copied to `docs/report.png` with
//! `CURSOR_UPDATE_SCREENSHOT=1`).
//!
//! Chromium is found through `CURSOR_TEST_CHROMIUM` or on `PATH`. Without one the test fails
//! when `CI` is set and only prints a note otherwise.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Put first in `<head>`: a Content-Security-Policy that lets nothing load from anywhere
/// (a fetch would show up as a violation), and a script that records errors, console errors
/// and warnings, and on load measures every `<svg>` into `<body data-check="…">`.
const PROBE: &str = r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"><script>
window.__problems = [];
window.addEventListener('error', e => __problems.push('error: ' + e.message));
document.addEventListener('securitypolicyviolation', e => __problems.push('blocked: ' + e.blockedURI));
for (const level of ['error', 'warn']) {
  const original = console[level];
  console[level] = (...args) => { __problems.push(level + ': ' + args.join(' ')); original.apply(console, args); };
}
window.addEventListener('load', () => {
  const charts = [...document.querySelectorAll('svg')].map(svg => {
    const box = svg.getBoundingClientRect();
    const drawn = [...svg.querySelectorAll('rect,line,path,circle,polyline,text')]
      .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 || r.height > 0; }).length;
    return { width: box.width, height: box.height, drawn };
  });
  document.body.setAttribute('data-check', JSON.stringify({ charts, problems: __problems }));
});
</script>"#;

/// The browser: `CURSOR_TEST_CHROMIUM`, else the first of the usual names on `PATH`.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CURSOR_TEST_CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Runs headless Chromium on `page` with `args`, with its own profile under `dir`.
/// A browser that exits with an error is started once more: on a machine loaded by the rest
/// of the test suite, headless Chromium now and then fails to start at all, which says
/// nothing about the page.
fn browse(browser: &Path, dir: &Path, profile: &str, args: &[&str], page: &Path) -> Output {
    let run = |attempt: u32| {
        Command::new(browser)
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars"])
            .arg(format!("--user-data-dir={}", dir.join(format!("{profile}-{attempt}")).display()))
            .args(args)
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("Chromium runs")
    };
    let first = run(1);
    if first.status.success() {
        return first;
    }
    eprintln!("Chromium ({profile}) failed once, starting it again: {}", String::from_utf8_lossy(&first.stderr));
    let output = run(2);
    assert!(output.status.success(), "Chromium failed twice: {}", String::from_utf8_lossy(&output.stderr));
    output
}

/// The page with the probe, loaded until idle; what the probe found, as JSON.
fn probe(browser: &Path, dir: &Path, html: &str, name: &str) -> serde_json::Value {
    let page = dir.join(format!("{name}.html"));
    std::fs::write(&page, html.replacen("<head>", &format!("<head>{PROBE}"), 1)).unwrap();
    let output = browse(browser, dir, name, &["--virtual-time-budget=5000", "--dump-dom"], &page);
    let dom = String::from_utf8_lossy(&output.stdout);
    let start = dom.find("data-check=\"").unwrap_or_else(|| panic!("the probe did not run:\n{dom}")) + 12;
    let end = start + dom[start..].find('"').unwrap();
    let json = dom[start..end].replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

#[test]
fn the_html_report_renders_every_chart_in_chromium_with_a_quiet_console() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but no Chromium was found: install the Debian package `chromium` or set CURSOR_TEST_CHROMIUM"
        );
        eprintln!("note: no Chromium found (set CURSOR_TEST_CHROMIUM); the browser test did not run");
        return;
    };
    let dir = std::env::temp_dir().join(format!("cursor-report-html-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report.html");

    let output = Command::new(env!("CARGO_BIN_EXE_cursor"))
        .args(["--mock", "report", "--html"])
        .arg(&file)
        .env_remove("CURSOR_API_KEY")
        .env("CURSOR_MOCK_STATE", "")
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stdout.is_empty(), "the page goes to the file only");
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, ["report.html"], "no temporary file is left behind");
    let html = std::fs::read_to_string(&file).unwrap();
    for external in ["<script", "<link", "src=", "http://", "https://", "@import", "url("] {
        assert!(!html.contains(external), "`{external}` in the page: it must need nothing at view time");
    }

    // Three browsers, one after another (at once they starve each other on a loaded 2-core
    // machine): the probe on the page; the probe on a control page with a planted console error and a planted fetch (to loopback,
    // blocked before any connection), which it must catch; and the screenshot.
    let broken = html.replacen(
        "</body>",
        r#"<img src="http://127.0.0.1:9/x.png"><script>console.error("planted")</script></body>"#,
        1,
    );
    let screenshot = dir.join("report.png");
    let shot_arg = format!("--screenshot={}", screenshot.display());
    let control = probe(&browser, &dir, &broken, "control");
    browse(&browser, &dir, "screenshot", &["--window-size=1100,2100", &shot_arg], &file);
    let found = probe(&browser, &dir, &html, "probe");
    let caught = control["problems"].to_string();
    assert!(caught.contains("planted") && caught.contains("blocked"), "the probe misses problems: {caught}");

    assert_eq!(found["problems"], serde_json::json!([]), "console or network problems");
    let charts = found["charts"].as_array().unwrap();
    // Active users per day, spend per day, spend by model, top spenders, AI share by repository.
    assert_eq!(charts.len(), 5, "{charts:?}");
    assert_eq!(charts.len(), html.matches("<svg").count());
    for chart in charts {
        assert!(chart["width"].as_f64().unwrap() > 100.0 && chart["height"].as_f64().unwrap() > 40.0, "{chart}");
        assert!(chart["drawn"].as_u64().unwrap() >= 5, "shapes drawn: {chart}");
    }

    let png = std::fs::read(&screenshot).expect("the screenshot is written");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "a real picture: {} bytes", png.len());
    if std::env::var_os("CURSOR_UPDATE_SCREENSHOT").is_some() {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/report.png");
        std::fs::write(&docs, &png).unwrap();
        eprintln!("updated {}", docs.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
