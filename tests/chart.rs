//! The scenario chart, rendered to pixels (resvg) and looked at the way a reader would: the
//! demand line is a rate that stays inside the plot and below the true peak, the panels share
//! their axes, and the legend and titles stay clear of the plot and of each other.
//! `CHART_PNG_DIR=DIR` also writes the PNGs there, to look at them.

mod common;

use resvg::tiny_skia::Pixmap;

const MIGRATION: &str = "examples/scenarios/gamelift-migration";

fn chart(dir: &str, fleet: &str) -> String {
    let out = tempfile::tempdir().unwrap();
    let svg = out.path().join("chart.svg");
    let r = common::run(
        &[
            "simulate",
            "--now",
            "2026-12-01T00:00:00Z",
            "--scenario",
            &format!("{dir}/scenario.yaml"),
            &format!("{dir}/{fleet}"),
            "--chart",
            svg.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    std::fs::read_to_string(svg).unwrap()
}

fn render(svg: &str, name: &str) -> Pixmap {
    let mut opt = resvg::usvg::Options::default();
    opt.fontdb_mut().load_system_fonts();
    // plotters asks for the generic `sans-serif`; fontdb maps it to Arial unless told.
    let sans = ["DejaVu Sans", "Liberation Sans", "Noto Sans"]
        .into_iter()
        .find(|f| {
            opt.fontdb
                .faces()
                .any(|face| face.families.iter().any(|(n, _)| n == f))
        });
    if let Some(f) = sans {
        opt.fontdb_mut().set_sans_serif_family(f);
    }
    let tree = resvg::usvg::Tree::from_str(svg, &opt).unwrap();
    let size = tree.size().to_int_size();
    let mut pixmap = Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    if let Some(dir) = std::env::var_os("CHART_PNG_DIR") {
        pixmap
            .save_png(std::path::Path::new(&dir).join(format!("{name}.png")))
            .unwrap();
    }
    pixmap
}

/// A text element of the SVG: where it is anchored, how, and what it says.
#[derive(Debug)]
struct Label {
    x: f64,
    y: f64,
    anchor: String,
    size: f64,
    text: String,
}

fn labels(svg: &str) -> Vec<Label> {
    let attr = |tag: &str, name: &str| {
        tag.split(&format!(" {name}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .map(str::to_string)
    };
    svg.split("<text")
        .skip(1)
        .map(|chunk| {
            let (tag, rest) = chunk.split_once('>').unwrap();
            let text = rest.split("</text>").next().unwrap().trim().to_string();
            Label {
                x: attr(tag, "x").unwrap().parse().unwrap(),
                y: attr(tag, "y").unwrap().parse().unwrap(),
                anchor: attr(tag, "text-anchor").unwrap_or_default(),
                size: attr(tag, "font-size").unwrap().parse().unwrap(),
                text,
            }
        })
        .collect()
}

/// The numeric tick labels with `anchor` (`end`: left axis, `start`: right axis), by panel.
fn ticks<'l>(all: &'l [Label], anchor: &str, plot_right: f64) -> Vec<Vec<&'l Label>> {
    let mut panels: Vec<Vec<&Label>> = Vec::new();
    let mut last_y = f64::MAX;
    for l in all.iter().filter(|l| {
        l.anchor == anchor
            && l.text.parse::<f64>().is_ok()
            && (anchor == "end" || l.x < plot_right + 80.0)
    }) {
        // Tick labels run bottom to top; a jump down starts the next panel.
        if l.y > last_y + 1.0 || panels.is_empty() {
            panels.push(Vec::new());
        }
        panels.last_mut().unwrap().push(l);
        last_y = l.y;
    }
    panels
}

/// value → pixel row on an axis, from two of its tick labels.
fn axis(ticks: &[&Label]) -> impl Fn(f64) -> f64 {
    let (a, b) = (ticks[0], ticks[ticks.len() - 1]);
    let (va, vb): (f64, f64) = (a.text.parse().unwrap(), b.text.parse().unwrap());
    let (ya, yb) = (a.y, b.y);
    move |v| ya + (v - va) * (yb - ya) / (vb - va)
}

/// The demand line's colour (0, 150, 170), blended with white by anti-aliasing.
fn is_demand(p: resvg::tiny_skia::PremultipliedColorU8) -> bool {
    let (r, g, b) = (
        i32::from(p.red()),
        i32::from(p.green()),
        i32::from(p.blue()),
    );
    r + 60 < g && r + 60 < b && (g - b).abs() < 30
}

#[test]
fn demand_is_a_rate_inside_the_plot_and_below_the_true_peak() {
    // The migration's busy hour is 0.08 matches per second: 4.8 per minute (5 in some
    // minutes). The launch rush is 1.5 per second: 90 per minute.
    demand_check(MIGRATION, "gamelift-migration", 5.0);
    demand_check("examples/scenarios/launch", "launch", 90.0);
}

fn demand_check(dir: &str, name: &str, peak_rate: f64) {
    let svg = chart(dir, "fleet.yaml");
    let pixmap = render(&svg, name);
    // An opaque white page: the chart reads the same on GitHub's light and dark themes.
    for (x, y) in [(0, 0), (pixmap.width() - 1, pixmap.height() - 1)] {
        let p = pixmap.pixel(x, y).unwrap();
        assert_eq!(
            (p.red(), p.green(), p.blue(), p.alpha()),
            (255, 255, 255, 255)
        );
    }
    let all = labels(&svg);
    // The plot's right edge: where the right axis's tick labels start.
    let right_axis = all
        .iter()
        .filter(|l| l.anchor == "start" && l.text.parse::<f64>().is_ok())
        .map(|l| l.x)
        .fold(f64::MAX, f64::min);
    // Left axes, top to bottom: each panel's GameServers plot, then its matches plot.
    let left = ticks(&all, "end", 0.0);
    assert_eq!(left.len() % 2, 0, "panels of two plots: {left:?}");
    let demand_axes: Vec<&Vec<&Label>> = left.iter().skip(1).step_by(2).collect();
    let legend_left = all
        .iter()
        .find(|l| l.text.starts_with("demand"))
        .map(|l| l.x)
        .unwrap();
    assert!(
        legend_left > right_axis + 20.0,
        "the legend is outside the plot"
    );
    let width = pixmap.width() as usize;
    for (panel, t) in demand_axes.iter().enumerate() {
        let y_of = axis(t);
        let (top, bottom) = (y_of(t.last().unwrap().text.parse().unwrap()), y_of(0.0));
        let mut highest = f64::MAX;
        let mut seen = 0;
        for y in
            (top as usize).saturating_sub(30)..(bottom as usize + 30).min(pixmap.height() as usize)
        {
            for x in 0..(legend_left as usize - 10) {
                if is_demand(pixmap.pixels()[y * width + x]) {
                    assert!(
                        (x as f64) < right_axis && (y as f64) <= bottom + 2.0,
                        "panel {panel}: a demand pixel at ({x}, {y}) is outside the plot"
                    );
                    highest = highest.min(y as f64);
                    seen += 1;
                }
            }
        }
        assert!(
            seen > 100,
            "panel {panel}: the demand line is drawn ({seen} pixels)"
        );
        // Higher on the page is a smaller row: the line's top stays at or below the peak rate.
        let tolerance = 3.0;
        assert!(
            highest + tolerance >= y_of(peak_rate),
            "panel {panel}: demand reaches row {highest}, above the peak rate's row {}",
            y_of(peak_rate)
        );
        assert!(
            highest <= y_of(peak_rate * 0.5),
            "panel {panel}: the busy hour shows"
        );
    }
}

#[test]
fn the_panels_share_their_axes_and_labels_do_not_collide() {
    let svg = chart(MIGRATION, "fleet.yaml");
    render(&svg, "gamelift-migration-axes");
    let all = labels(&svg);
    let texts = |ls: &[&Label]| ls.iter().map(|l| l.text.clone()).collect::<Vec<_>>();
    let left = ticks(&all, "end", 0.0);
    assert_eq!(left.len(), 4);
    assert_eq!(texts(&left[0]), texts(&left[2]), "one GameServers scale");
    assert_eq!(texts(&left[1]), texts(&left[3]), "one matches scale");
    let right_axis = all
        .iter()
        .filter(|l| l.anchor == "start" && l.text.parse::<f64>().is_ok())
        .map(|l| l.x)
        .fold(f64::MAX, f64::min);
    // Right axes, top to bottom: GameServers again, then the matches that gave up.
    let right = ticks(&all, "start", right_axis);
    assert_eq!(right.len(), 4);
    assert_eq!(texts(&right[0]), texts(&left[0]));
    assert_eq!(texts(&right[1]), texts(&right[3]), "one gave-up scale");
    // One time axis, in hh:mm from the start.
    let times: Vec<&str> = all
        .iter()
        .filter(|l| l.text.len() == 5 && l.text.as_bytes()[2] == b':')
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(times.len() % 2, 0);
    let (a, b) = times.split_at(times.len() / 2);
    assert_eq!(a, b);
    assert_eq!(a[0], "00:00");
    // The rotated axis titles sit left of the left tick labels' text (estimated at 0.6 em per
    // character) and right of the right ones'.
    for l in all
        .iter()
        .filter(|l| l.anchor == "end" && l.text.parse::<f64>().is_ok())
    {
        let start = l.x - 0.6 * l.size * l.text.len() as f64;
        assert!(
            start > 12.0 + l.size,
            "`{}` runs into the axis title",
            l.text
        );
    }
    for l in all
        .iter()
        .filter(|l| l.anchor == "start" && l.text.parse::<f64>().is_ok() && l.x < right_axis + 10.0)
    {
        let end = l.x + 0.6 * l.size * l.text.len() as f64;
        let title_x = all
            .iter()
            .filter(|t| t.text.starts_with("gave up (total)"))
            .map(|t| t.x)
            .fold(f64::MAX, f64::min);
        assert!(
            end < title_x - l.size / 2.0,
            "`{}` runs into the right axis title",
            l.text
        );
    }
}

/// The what-if chart: one point per setting, cost against the goal's metric that tells the
/// settings apart, and the cheapest setting that meets the goal marked.
#[test]
fn the_whatif_chart_marks_the_cheapest_setting() {
    let out = tempfile::tempdir().unwrap();
    let svg_path = out.path().join("whatif.svg");
    let k6 = "examples/scenarios/k6-burst";
    let r = common::run(
        &[
            "simulate",
            "--now",
            "2026-12-01T00:00:00Z",
            "--scenario",
            &format!("{k6}/scenario.yaml"),
            k6,
            "--set",
            "spec.policy.buffer.bufferSize=10..40:5",
            "--set",
            "sync.fixedInterval.seconds=1,2,5",
            "--goal",
            "abandoned=0,waitP95<=10s",
            "--whatif-chart",
            svg_path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    render(&svg, "whatif");
    let all = labels(&svg);
    // 21 settings, each a point; settings on one spot share a label.
    assert_eq!(
        svg.matches("r=\"5\"").count(),
        21,
        "7 buffer sizes × 3 intervals"
    );
    assert_eq!(
        all.iter()
            .filter(|l| l.text == "cheapest that meets the goal")
            .count(),
        1
    );
    // Nothing is abandoned anywhere, so the chart plots the wait.
    assert!(all.iter().any(|l| l.text == "waitP95"), "y axis: the wait");
    // The ring marks the setting the table names: the label right of the ringed point.
    let ring = svg
        .split("<circle")
        .find(|c| c.contains("r=\"11\""))
        .unwrap();
    let num = |name: &str| -> f64 {
        ring.split(&format!("{name}=\""))
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let (cx, cy) = (num("cx"), num("cy"));
    let marked = all
        .iter()
        .filter(|l| l.text.starts_with("bufferSize="))
        .min_by(|a, b| {
            let d = |l: &Label| (l.x - cx - 9.0).abs() + (l.y - cy + 8.0).abs();
            d(a).total_cmp(&d(b))
        })
        .unwrap();
    assert!(
        marked.text.split(" | ").next() == Some("bufferSize=20, seconds=5"),
        "{marked:?}"
    );
    // Labels do not pile up: no two labels start at the same place.
    let mut starts: Vec<(i64, i64)> = all.iter().map(|l| (l.x as i64, l.y as i64)).collect();
    let n = starts.len();
    starts.sort();
    starts.dedup();
    assert_eq!(starts.len(), n);
}
