//! `--whatif-chart out.svg`: what each setting of a `--set` grid costs (GameServer-hours)
//! against the goal's metric, one point per setting, the cheapest that meets the goal marked.

#[cfg(feature = "charts")]
use plotters::prelude::*;

#[cfg(feature = "charts")]
use super::whatif::{cheapest, metric};
use super::whatif::{Goal, Row};

#[cfg(feature = "charts")]
const WIDTH: u32 = 1200;
#[cfg(feature = "charts")]
const HEIGHT: u32 = 620;

/// The SVG text of the chart. `labels[i]` names row `i`'s setting.
#[cfg(feature = "charts")]
pub fn render(
    title: &str,
    rows: &[Row],
    labels: &[String],
    goal: Option<&Goal>,
) -> Result<String, String> {
    // The goal's first metric that tells the settings apart (with `abandoned=0,waitP95<=10s`
    // and nothing abandoned anywhere, the wait); `abandoned` without a goal.
    let summaries: Vec<_> = rows.iter().filter_map(|r| r.run.as_ref()).collect();
    let varies = |m: &str| {
        let mut vs = summaries.iter().map(|r| metric(&r.summary, m));
        let first = vs.next();
        vs.any(|v| Some(v) != first)
    };
    let metrics = goal.map_or(vec!["abandoned"], Goal::metrics);
    let y_metric = metrics
        .iter()
        .find(|m| varies(m))
        .or(metrics.first())
        .copied()
        .unwrap_or("abandoned");
    let points: Vec<(f64, f64, &str, bool)> = rows
        .iter()
        .zip(labels)
        .filter_map(|(r, label)| {
            let s = &r.run.as_ref()?.summary;
            let meets = goal.is_some_and(|g| g.met(s));
            Some((
                s.game_server_seconds / 3600.0,
                metric(s, y_metric),
                label.as_str(),
                meets,
            ))
        })
        .collect();
    let best = goal.and_then(|g| cheapest(rows, g)).and_then(|b| {
        rows.iter()
            .position(|r| std::ptr::eq(r, b))
            .and_then(|i| labels.get(i))
    });
    // Room on the right for the labels of the costliest settings.
    let x_max = points.iter().map(|p| p.0).fold(1.0f64, f64::max) * 1.45;
    let y_max = points.iter().map(|p| p.1).fold(1.0f64, f64::max) * 1.15;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(16)
            .margin_top(24)
            .x_label_area_size(50)
            .y_label_area_size(76)
            .build_cartesian_2d(0f64..x_max, 0f64..y_max)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc("cost: GameServer-hours")
            .y_desc(y_metric)
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 14))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(|e| e.to_string())?;
        let font = ("sans-serif", 14).into_font().color(&BLACK);
        // Settings that land on one spot share one label; a label that would cover another is
        // left out (its point stays). The cheapest setting is labelled first.
        let mut order: Vec<usize> = (0..points.len()).collect();
        order.sort_by_key(|&i| best.is_none_or(|b| b != points[i].2));
        let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
        let mut spots: Vec<((i32, i32), Vec<&str>)> = Vec::new();
        for &i in &order {
            let (x, y, label, _) = points[i];
            let px = chart.backend_coord(&(x, y));
            match spots
                .iter_mut()
                .find(|(p, _)| (p.0 - px.0).abs() < 4 && (p.1 - px.1).abs() < 4)
            {
                Some((_, labels)) => labels.push(label),
                None => spots.push((px, vec![label])),
            }
        }
        for (x, y, label, meets) in &points {
            // Meeting the goal: a filled circle; missing it: a hollow one (reads in grey).
            let style = if *meets {
                RGBColor(44, 160, 44).filled()
            } else {
                RGBColor(214, 39, 40).stroke_width(2)
            };
            chart
                .draw_series(std::iter::once(Circle::new((*x, *y), 5, style)))
                .map_err(|e| e.to_string())?;
            if best.is_some_and(|b| b == label) {
                chart
                    .draw_series(std::iter::once(Circle::new(
                        (*x, *y),
                        11,
                        BLACK.stroke_width(2),
                    )))
                    .map_err(|e| e.to_string())?;
                let px = chart.backend_coord(&(*x, *y));
                root.draw(&Text::new(
                    "cheapest that meets the goal",
                    (px.0 + 14, px.1 - 30),
                    ("sans-serif", 14).into_font().color(&BLACK),
                ))
                .map_err(|e| e.to_string())?;
                placed.push((px.0 + 14, px.1 - 30, px.0 + 14 + 200, px.1 - 14));
            }
        }
        for ((px, py), labels) in &spots {
            let text = labels.join(" | ");
            let (x0, y0) = (px + 9, py - 8);
            let bbox = (x0, y0, x0 + (text.chars().count() as i32) * 8, y0 + 16);
            let overlaps = placed
                .iter()
                .any(|b| bbox.0 < b.2 && b.0 < bbox.2 && bbox.1 < b.3 && b.1 < bbox.3);
            if overlaps {
                continue;
            }
            placed.push(bbox);
            root.draw(&Text::new(text, (x0, y0), font.clone()))
                .map_err(|e| e.to_string())?;
        }
        if let Some(g) = goal {
            root.draw(&Text::new(
                format!("goal {} (filled: meets it; hollow: misses it)", g.text),
                (WIDTH as i32 - 460, HEIGHT as i32 - 26),
                ("sans-serif", 13).into_font().color(&BLACK),
            ))
            .map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// Without the `charts` feature there is nothing to draw with.
#[cfg(not(feature = "charts"))]
pub fn render(
    _title: &str,
    _rows: &[Row],
    _labels: &[String],
    _goal: Option<&Goal>,
) -> Result<String, String> {
    Err(crate::features::missing("charts", "chart renderer"))
}
