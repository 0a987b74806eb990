//! `--chart out.svg`: one panel per run, on one time axis and one y scale, so that the runs
//! compare at a glance. Demand is a rate (matches per minute over the last minute), sizes are
//! step lines, and the matches that gave up are drawn with the moment the first one did. Every
//! series has its own dash pattern and width as well as its colour (it prints in black and
//! white), the legend sits outside the plot, and the background is opaque (it reads on light
//! and dark pages alike).

#[cfg(feature = "charts")]
use plotters::prelude::*;

use super::run::Series;
use super::RunReport;

#[cfg(feature = "charts")]
const PANEL_HEIGHT: u32 = 460;
#[cfg(feature = "charts")]
const WIDTH: u32 = 1200;
#[cfg(feature = "charts")]
const LEGEND_WIDTH: u32 = 250;
#[cfg(feature = "charts")]
const TITLE_HEIGHT: u32 = 40;

#[cfg(feature = "charts")]
/// How one series is drawn.
struct Style {
    name: &'static str,
    color: RGBColor,
    width: u32,
    /// (dash, gap) in pixels; None for a solid line.
    dash: Option<(u32, u32)>,
}

#[cfg(feature = "charts")]
/// The series of a panel, in legend order.
const STYLES: [Style; 7] = [
    Style {
        name: "demand (matches per minute)",
        color: RGBColor(0, 150, 170),
        width: 1,
        dash: Some((8, 3)),
    },
    Style {
        name: "GameServers",
        color: RGBColor(31, 119, 180),
        width: 3,
        dash: None,
    },
    Style {
        name: "desired",
        color: RGBColor(148, 103, 189),
        width: 2,
        dash: Some((12, 6)),
    },
    Style {
        name: "Ready",
        color: RGBColor(44, 160, 44),
        width: 2,
        dash: Some((4, 4)),
    },
    Style {
        name: "Allocated",
        color: RGBColor(230, 115, 0),
        width: 1,
        dash: None,
    },
    Style {
        name: "queue",
        color: RGBColor(214, 39, 40),
        width: 2,
        dash: Some((2, 5)),
    },
    Style {
        name: "gave up (total, right axis)",
        color: RGBColor(0, 0, 0),
        width: 3,
        dash: Some((16, 4)),
    },
];

/// The demand as a rate: the arrivals of each minute (or of each sample interval, when samples
/// are further apart), in matches per minute, for every sample in that minute.
pub fn demand_per_minute(s: &Series) -> Vec<f64> {
    let step = match s.t.as_slice() {
        [a, b, ..] => (b - a).max(1e-9),
        _ => 60.0,
    };
    let window = step.max(60.0);
    let bin_of = |t: f64| (t / window + 1e-9).floor() as i64;
    // Arrivals and covered seconds per bin.
    let mut bins: std::collections::BTreeMap<i64, (u64, f64)> = Default::default();
    for (i, t) in s.t.iter().enumerate() {
        let b = bins.entry(bin_of(*t)).or_default();
        b.0 += s.arrivals.get(i).copied().unwrap_or(0);
        b.1 += step;
    }
    s.t.iter()
        .map(|t| {
            let (n, covered) = bins[&bin_of(*t)];
            n as f64 * 60.0 / covered.min(window)
        })
        .collect()
}

#[cfg(any(feature = "charts", test))]
/// A step line through `(t, y)`: each value holds until the next sample.
fn steps(t: &[f64], ys: &[f64]) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(t.len() * 2);
    for (i, (&x, &y)) in t.iter().zip(ys).enumerate() {
        if i > 0 {
            out.push((x, ys[i - 1]));
        }
        out.push((x, y));
    }
    out
}

/// `hh:mm` from the scenario's start, or `Nd hh:mm` for runs longer than 48 hours.
pub fn time_label(minutes: f64, with_days: bool) -> String {
    let m = minutes.round() as i64;
    if with_days {
        format!("{}d {:02}:{:02}", m / 1440, m / 60 % 24, m % 60)
    } else {
        format!("{:02}:{:02}", m / 60, m % 60)
    }
}

/// The y scales every panel shares, with headroom: GameServers (the upper plot), the demand
/// rate and the queue (the lower plot's left axis), and the matches that gave up so far (its
/// right axis).
#[cfg(feature = "charts")]
#[derive(Debug, Clone, Copy)]
struct Scales {
    servers: f64,
    matches: f64,
    gave_up: f64,
}

#[cfg(feature = "charts")]
fn shared_scales(runs: &[RunReport]) -> Scales {
    let max = |f: &dyn Fn(&Series) -> Vec<f64>| {
        runs.iter()
            .flat_map(|r| f(&r.series))
            .fold(1.0f64, f64::max)
            * 1.1
    };
    let floats = |v: &[i64]| v.iter().map(|x| *x as f64).collect::<Vec<_>>();
    Scales {
        servers: max(&|s| {
            let mut v = floats(&s.game_servers);
            v.extend(floats(&s.desired));
            v
        }),
        matches: max(&|s| {
            let mut v = floats(&s.queue);
            v.extend(demand_per_minute(s));
            v
        }),
        gave_up: max(&|s| s.abandoned.iter().map(|v| *v as f64).collect()),
    }
}

#[cfg(feature = "charts")]
/// The SVG text of the chart.
pub fn render(title: &str, runs: &[RunReport]) -> Result<String, String> {
    let mut svg = String::new();
    {
        let height = PANEL_HEIGHT * runs.len().max(1) as u32 + TITLE_HEIGHT;
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let root = root
            .titled(title, ("sans-serif", 20))
            .map_err(|e| e.to_string())?;
        let t_max = runs
            .iter()
            .filter_map(|r| r.series.t.last().copied())
            .fold(60.0f64, f64::max)
            / 60.0;
        let scales = shared_scales(runs);
        let panels = root.split_evenly((runs.len().max(1), 1));
        for (panel, run) in panels.iter().zip(runs) {
            let (plot, legend) = panel.split_horizontally(WIDTH - LEGEND_WIDTH);
            draw_panel(&plot, run, t_max, scales).map_err(|e| e.to_string())?;
            draw_legend(&legend).map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

#[cfg(feature = "charts")]
fn style_of(s: &Style) -> ShapeStyle {
    s.color.stroke_width(s.width)
}

#[cfg(feature = "charts")]
/// Draws `points` in `style`, dashed or solid.
fn line<'a, DB, X, Y>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    style: &Style,
    points: Vec<(f64, f64)>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
    DB: DrawingBackend + 'a,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    match style.dash {
        None => chart.draw_series(LineSeries::new(points, style_of(style)))?,
        Some((dash, gap)) => {
            chart.draw_series(DashedLineSeries::new(points, dash, gap, style_of(style)))?
        }
    };
    Ok(())
}

#[cfg(feature = "charts")]
/// One run: GameServers above; demand, queue and the matches that gave up below, on the same
/// time axis.
fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    run: &RunReport,
    t_max: f64,
    scales: Scales,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let s = &run.series;
    let with_days = t_max > 48.0 * 60.0;
    // The x axis counts minutes, hours or days, so that its ticks fall on round clock times
    // (00:30, 01:00), whatever the run's length; labels are `hh:mm` either way.
    let unit = if with_days {
        1440.0
    } else if t_max > 120.0 {
        60.0
    } else {
        1.0
    };
    let minutes: Vec<f64> = s.t.iter().map(|t| t / 60.0 / unit).collect();
    let x_max = t_max / unit;
    let floats = |v: &[i64]| v.iter().map(|x| *x as f64).collect::<Vec<_>>();
    let (upper, lower) = area.split_vertically(area.dim_in_pixel().1 * 58 / 100);
    let label_style = ("sans-serif", 14);
    let mut servers = ChartBuilder::on(&upper)
        .caption(&run.label, ("sans-serif", 18))
        .margin_left(12)
        .margin_right(12)
        .margin_top(6)
        .x_label_area_size(4)
        .y_label_area_size(76)
        .right_y_label_area_size(76)
        .build_cartesian_2d(0f64..x_max, 0f64..scales.servers)?;
    servers
        .configure_mesh()
        .y_desc("GameServers")
        .label_style(label_style)
        .axis_desc_style(label_style)
        .x_labels(0)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;
    line(
        &mut servers,
        &STYLES[1],
        steps(&minutes, &floats(&s.game_servers)),
    )?;
    line(
        &mut servers,
        &STYLES[2],
        steps(&minutes, &floats(&s.desired)),
    )?;
    line(&mut servers, &STYLES[3], steps(&minutes, &floats(&s.ready)))?;
    line(
        &mut servers,
        &STYLES[4],
        steps(&minutes, &floats(&s.allocated)),
    )?;
    let mut matches = ChartBuilder::on(&lower)
        .margin_left(12)
        .margin_right(12)
        .margin_bottom(6)
        .x_label_area_size(46)
        .y_label_area_size(76)
        .right_y_label_area_size(76)
        .build_cartesian_2d(0f64..x_max, 0f64..scales.matches)?
        .set_secondary_coord(0f64..x_max, 0f64..scales.gave_up);
    matches
        .configure_mesh()
        .x_desc(if with_days {
            "time since the start (days, hh:mm)"
        } else {
            "time since the start (hh:mm)"
        })
        .y_desc("matches/min, queue")
        .label_style(label_style)
        .axis_desc_style(label_style)
        .x_label_formatter(&|x| time_label(*x * unit, with_days))
        .y_labels(5)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;
    matches
        .configure_secondary_axes()
        .y_desc("gave up (total)")
        .label_style(label_style)
        .axis_desc_style(label_style)
        .y_labels(5)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .draw()?;
    line(
        &mut matches,
        &STYLES[0],
        steps(&minutes, &demand_per_minute(s)),
    )?;
    line(&mut matches, &STYLES[5], steps(&minutes, &floats(&s.queue)))?;
    let gave_up = steps(
        &minutes,
        &s.abandoned.iter().map(|v| *v as f64).collect::<Vec<_>>(),
    );
    let style = &STYLES[6];
    match style.dash {
        None => matches.draw_secondary_series(LineSeries::new(gave_up, style_of(style)))?,
        Some((dash, gap)) => matches.draw_secondary_series(DashedLineSeries::new(
            gave_up,
            dash,
            gap,
            style_of(style),
        ))?,
    };
    if let Some(first) = run.summary.first_abandon {
        let x = first / 60.0 / unit;
        servers.draw_series(DashedLineSeries::new(
            [(x, 0.0), (x, scales.servers)],
            3,
            3,
            BLACK.stroke_width(1),
        ))?;
        servers.draw_series(std::iter::once(Text::new(
            format!("first gave up {} in", super::elapsed(first)),
            (x + x_max * 0.005, scales.servers * 0.95),
            ("sans-serif", 13).into_font().color(&BLACK),
        )))?;
        matches.draw_series(DashedLineSeries::new(
            [(x, 0.0), (x, scales.matches)],
            3,
            3,
            BLACK.stroke_width(1),
        ))?;
    }
    Ok(())
}

#[cfg(feature = "charts")]
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    for (i, style) in STYLES.iter().enumerate() {
        let y = 40 + i as i32 * 22;
        let line = [(8, y), (44, y)];
        match style.dash {
            None => area.draw(&PathElement::new(line, style_of(style)))?,
            Some((dash, gap)) => {
                // Dashes by hand: the legend sample shows the same pattern as the series.
                let mut x = 8;
                while x < 44 {
                    let end = (x + dash as i32).min(44);
                    area.draw(&PathElement::new([(x, y), (end, y)], style_of(style)))?;
                    x = end + gap as i32;
                }
            }
        }
        area.draw(&Text::new(
            style.name,
            (50, y - 7),
            ("sans-serif", 13).into_font().color(&BLACK),
        ))?;
    }
    Ok(())
}

/// Without the `charts` feature there is nothing to draw with.
#[cfg(not(feature = "charts"))]
pub fn render(_title: &str, _runs: &[RunReport]) -> Result<String, String> {
    Err(crate::features::missing("charts", "chart renderer"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "charts")]
    fn series() -> Series {
        Series {
            t: vec![0.0, 60.0, 120.0],
            desired: vec![2, 4, 4],
            game_servers: vec![2, 4, 4],
            ready: vec![1, 2, 1],
            allocated: vec![1, 2, 3],
            starting: vec![0, 2, 0],
            queue: vec![0, 3, 0],
            arrivals: vec![1, 5, 2],
            abandoned: vec![0, 0, 1],
        }
    }

    #[test]
    #[cfg(feature = "charts")]
    fn draws_a_panel_per_run_with_the_legend_once_each() {
        use crate::scenario::run::Summary;
        let run = |label: &str| RunReport {
            label: label.into(),
            engine: "agones",
            summary: Summary::default(),
            series: series(),
            failure: None,
        };
        let svg = render("Scenario default/x", &[run("Agones"), run("GameLift")]).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..80]);
        // The legend (left-anchored texts) names every series once per panel.
        let legend: Vec<&str> = svg
            .split("<text")
            .filter(|t| t.contains("text-anchor=\"start\""))
            .filter_map(|t| {
                t.split_once('>')
                    .map(|(_, rest)| rest.split("</text>").next().unwrap_or("").trim())
            })
            .collect();
        for style in &STYLES {
            assert_eq!(
                legend.iter().filter(|l| **l == style.name).count(),
                2,
                "{}",
                style.name
            );
        }
    }

    #[test]
    fn demand_is_the_rate_of_each_minute() {
        // One match every second, sampled every second: 60 per minute.
        let n = 180;
        let s = Series {
            t: (0..n).map(f64::from).collect(),
            arrivals: vec![1; n as usize],
            ..Series::default()
        };
        let d = demand_per_minute(&s);
        assert!(d.iter().all(|v| (*v - 60.0).abs() < 1e-9), "{d:?}");
        // Sampled every 30 s with 15 arrivals each: 30 per minute.
        let s = Series {
            t: vec![0.0, 30.0, 60.0, 90.0],
            arrivals: vec![15, 15, 15, 15],
            ..Series::default()
        };
        assert_eq!(demand_per_minute(&s), [30.0, 30.0, 30.0, 30.0]);
        // Hourly samples: the rate over each hour.
        let s = Series {
            t: vec![0.0, 3600.0],
            arrivals: vec![0, 120],
            ..Series::default()
        };
        assert_eq!(demand_per_minute(&s), [0.0, 2.0]);
    }

    #[test]
    fn the_time_axis_reads_hh_mm_or_days() {
        assert_eq!(time_label(0.0, false), "00:00");
        assert_eq!(time_label(200.0, false), "03:20");
        assert_eq!(time_label(3000.0, true), "2d 02:00");
    }

    #[test]
    fn sizes_are_step_lines() {
        assert_eq!(
            steps(&[0.0, 1.0, 2.0], &[1.0, 3.0, 2.0]),
            [(0.0, 1.0), (1.0, 1.0), (1.0, 3.0), (2.0, 3.0), (2.0, 2.0)]
        );
    }
}
