//! `--chart out.svg`: one panel per run with demand, queue, GameServers, Ready and Allocated
//! over time, readable in a browser and in a README.

use plotters::prelude::*;

use super::RunReport;

const PANEL_HEIGHT: u32 = 320;
const WIDTH: u32 = 960;

/// The SVG text of the chart.
pub fn render(title: &str, runs: &[RunReport]) -> Result<String, String> {
    let mut svg = String::new();
    {
        let height = PANEL_HEIGHT * runs.len().max(1) as u32 + 40;
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let root = root
            .titled(title, ("sans-serif", 20))
            .map_err(|e| e.to_string())?;
        let panels = root.split_evenly((runs.len().max(1), 1));
        for (panel, run) in panels.iter().zip(runs) {
            draw_panel(panel, run).map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    run: &RunReport,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let s = &run.series;
    let minutes: Vec<f64> = s.t.iter().map(|t| t / 60.0).collect();
    let t_max = minutes.last().copied().unwrap_or(1.0).max(1.0 / 60.0);
    // Demand as matches per minute, from the arrivals between samples.
    let step = if s.t.len() > 1 { s.t[1] - s.t[0] } else { 60.0 };
    let demand: Vec<f64> = s
        .arrivals
        .iter()
        .map(|a| *a as f64 * 60.0 / step.max(1e-9))
        .collect();
    let y_max = s
        .game_servers
        .iter()
        .chain(&s.queue)
        .chain(&s.desired)
        .map(|v| *v as f64)
        .chain(demand.iter().copied())
        .fold(1.0f64, f64::max)
        * 1.1;
    let mut chart = ChartBuilder::on(area)
        .caption(&run.label, ("sans-serif", 16))
        .margin(12)
        .x_label_area_size(32)
        .y_label_area_size(44)
        .build_cartesian_2d(0f64..t_max, 0f64..y_max)?;
    chart
        .configure_mesh()
        .x_desc("minutes")
        .y_desc("count (demand: matches/min)")
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    let lines: [(&str, RGBColor, Vec<f64>); 6] = [
        ("demand (matches/min)", RGBColor(150, 150, 150), demand),
        (
            "queue",
            RGBColor(214, 39, 40),
            s.queue.iter().map(|v| *v as f64).collect(),
        ),
        (
            "GameServers",
            RGBColor(31, 119, 180),
            s.game_servers.iter().map(|v| *v as f64).collect(),
        ),
        (
            "Ready",
            RGBColor(44, 160, 44),
            s.ready.iter().map(|v| *v as f64).collect(),
        ),
        (
            "Allocated",
            RGBColor(255, 127, 14),
            s.allocated.iter().map(|v| *v as f64).collect(),
        ),
        (
            "desired",
            RGBColor(148, 103, 189),
            s.desired.iter().map(|v| *v as f64).collect(),
        ),
    ];
    for (name, color, ys) in lines {
        let points: Vec<(f64, f64)> = minutes.iter().copied().zip(ys).collect();
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))?
            .label(name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::run::{Series, Summary};

    #[test]
    fn draws_a_panel_per_run() {
        let series = Series {
            t: vec![0.0, 60.0, 120.0],
            desired: vec![2, 4, 4],
            game_servers: vec![2, 4, 4],
            ready: vec![1, 2, 1],
            allocated: vec![1, 2, 3],
            starting: vec![0, 2, 0],
            queue: vec![0, 3, 0],
            arrivals: vec![1, 5, 2],
        };
        let run = |label: &str| RunReport {
            label: label.into(),
            engine: "agones",
            summary: Summary::default(),
            series: series.clone(),
            failure: None,
        };
        let svg = render("Scenario default/x", &[run("Agones"), run("GameLift")]).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..80]);
        assert!(svg.contains("Agones") && svg.contains("GameLift") && svg.contains("queue"));
        // Each panel has the six lines in its legend.
        for name in [
            "demand (matches/min)",
            "queue",
            "GameServers",
            "Ready",
            "Allocated",
            "desired",
        ] {
            assert_eq!(
                svg.matches(&format!("\n{name}\n</text>")).count(),
                2,
                "{name}"
            );
        }
    }
}
