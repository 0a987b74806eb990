//! `simulate --scenario`: replay a demand curve through a Fleet's autoscaler over time, beside
//! GameLift's rule-based and target-based policies.

pub mod agones;
pub mod chart;
pub mod gamelift;
pub mod plan;
pub mod run;
pub mod spec;
pub mod whatif;
pub mod whatif_chart;

use serde::Serialize;
use serde_json::{json, Value};

use crate::external::Runtime;
use crate::model::agones::Fleet;
use crate::model::autoscaling::FleetAutoscaler;
use crate::model::gates::FeatureGates;

use self::plan::Plan;
use self::run::{Arrivals, Model, Outcome, Summary};

/// Everything a scenario's runs need, resolved from the inputs.
pub struct Setup {
    /// `namespace/name` of the Scenario.
    pub name: String,
    pub plan: Plan,
    pub arrivals: Arrivals,
    pub fleet: Fleet,
    pub autoscaler: FleetAutoscaler,
    /// GameLift's policies and bounds, when the scenario compares with GameLift.
    pub gamelift: Option<(Vec<gamelift::Policy>, i64, i64)>,
}

impl Setup {
    pub fn model(&self, series_every: Option<i64>) -> Model {
        Model {
            duration: self.plan.duration,
            tick: self.plan.tick,
            patience: self.plan.patience,
            startup: self.plan.startup.clone(),
            session: self.plan.session.clone(),
            arrivals: self.arrivals.clone(),
            initial_replicas: i64::from(self.fleet.spec.replicas.unwrap_or(0)),
            series_every: series_every.map_or(1, |e| (e / self.plan.tick).max(1) as u64),
        }
    }

    pub fn autoscaler_label(fas: &FleetAutoscaler, default_namespace: &str) -> String {
        format!(
            "FleetAutoscaler {}/{}",
            fas.metadata
                .namespace
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| default_namespace.to_string()),
            fas.metadata.name.clone().unwrap_or_default()
        )
    }
}

/// One run's result, as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub label: String,
    pub engine: &'static str,
    pub summary: Summary,
    pub series: run::Series,
    /// Why syncs failed, when some did (the first failure).
    #[serde(skip)]
    pub failure: Option<String>,
}

/// Runs the Agones autoscaler and, when given, GameLift's policies on the scenario.
pub fn run_all(
    setup: &Setup,
    gates: &FeatureGates,
    runtime: &Runtime,
    series_every: Option<i64>,
    default_namespace: &str,
) -> Vec<RunReport> {
    let model = setup.model(series_every);
    let mut out = vec![run_agones(
        setup,
        &setup.autoscaler,
        gates,
        runtime,
        &model,
        default_namespace,
    )];
    if let Some((policies, min, max)) = &setup.gamelift {
        let mut g = gamelift::GameLift::new(policies.clone(), *min, *max);
        let o = run::run(&model, &mut g);
        let names: Vec<String> = policies
            .iter()
            .enumerate()
            .map(|(i, p)| p.name.clone().unwrap_or_else(|| format!("policy {i}")))
            .collect();
        out.push(report(
            format!(
                "GameLift {} (minSize {min}, maxSize {max})",
                names.join(" + ")
            ),
            "gamelift",
            o,
            None,
        ));
    }
    out
}

pub fn run_agones(
    setup: &Setup,
    fas: &FleetAutoscaler,
    gates: &FeatureGates,
    runtime: &Runtime,
    model: &Model,
    default_namespace: &str,
) -> RunReport {
    let mut scaler = agones::Autoscaler::new(fas, &setup.fleet, gates, runtime, setup.plan.start);
    let o = run::run(model, &mut scaler);
    let failure = scaler.first_failure.map(|(t, d)| {
        format!(
            "at {} the sync failed: {}",
            clock(t),
            d.error.unwrap_or_default()
        )
    });
    report(
        Setup::autoscaler_label(fas, default_namespace),
        "agones",
        o,
        failure,
    )
}

fn report(label: String, engine: &'static str, o: Outcome, failure: Option<String>) -> RunReport {
    RunReport {
        label,
        engine,
        summary: o.summary,
        series: o.series,
        failure,
    }
}

/// `mm:ss`, or `h:mm:ss` from an hour on.
pub fn clock(seconds: f64) -> String {
    let s = seconds.round() as i64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// A span of the run in words: `39 s`, `5 min 39 s`, `1 h 5 min 23 s`.
pub fn elapsed(seconds: f64) -> String {
    let s = seconds.round() as i64;
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, sec) => format!("{sec} s"),
        (0, min, sec) => format!("{min} min {sec} s"),
        (h, min, sec) => format!("{h} h {min} min {sec} s"),
    }
}

/// What a verdict is said against: the scenario's clock and the goal, when one is given.
#[derive(Clone, Copy)]
pub struct Frame<'g> {
    pub start: crate::golang::time::Instant,
    /// Seconds the scenario lasts; from an hour on, times are also given on the clock.
    pub duration: f64,
    pub goal: Option<&'g whatif::Goal>,
}

/// The verdict in one line.
pub fn verdict(s: &Summary, frame: Frame<'_>) -> String {
    if s.arrivals == 0 {
        return "no match arrived".into();
    }
    let mut parts = Vec::new();
    if s.abandoned > 0 {
        let at = s.first_abandon.unwrap_or(0.0);
        let mut first = format!(
            "{} of {} matches gave up; the first gave up {} in",
            s.abandoned,
            s.arrivals,
            elapsed(at)
        );
        if frame.duration >= 3600.0 {
            let when = frame.start.add_nanos((at * 1e9) as i64).to_rfc3339();
            first.push_str(&format!(" (at {when})"));
        }
        parts.push(first);
    } else {
        // Served is not the same as served well: the wait is judged against the goal only.
        parts.push(format!("no match gave up (wait p95 {})", secs(s.wait_p95)));
    }
    if s.queued_at_end > 0 {
        parts.push(format!("{} still waiting at the end", s.queued_at_end));
    }
    if s.failed_syncs > 0 {
        parts.push(format!("{} syncs failed", s.failed_syncs));
    }
    if let Some(goal) = frame.goal {
        let missed = goal.missed(s);
        if missed.is_empty() {
            parts.push(format!("meets the goal {}", goal.text));
        } else {
            parts.push(format!(
                "misses the goal {}: {}",
                goal.text,
                missed.join(", ")
            ));
        }
    }
    if !s.limited_by.is_empty() {
        let bounds: Vec<String> = s
            .limited_by
            .iter()
            .map(|(bound, n)| format!("{bound} limited {n}"))
            .collect();
        parts.push(format!("syncs limited: {}", bounds.join(", ")));
    }
    parts.join("; ")
}

fn secs(s: f64) -> String {
    if s.fract() == 0.0 {
        format!("{s:.0}s")
    } else {
        format!("{s:.1}s")
    }
}

fn hours(s: f64) -> String {
    format!("{:.2}", s / 3600.0)
}

/// The human report: one table row per run, then each verdict.
pub fn render_human(name: &str, runs: &[RunReport], frame: Frame<'_>) -> String {
    let mut out = format!("Scenario {name}\n\n");
    let header = [
        "run",
        "matches",
        "allocated",
        "abandoned",
        "wait p50",
        "p95",
        "max",
        "GS-hours",
        "idle GS-h",
        "peak GS",
        "scale events",
        "failed syncs",
    ];
    let rows: Vec<Vec<String>> = runs
        .iter()
        .map(|r| {
            let s = &r.summary;
            vec![
                r.label.clone(),
                s.arrivals.to_string(),
                s.allocated.to_string(),
                s.abandoned.to_string(),
                secs(s.wait_p50),
                secs(s.wait_p95),
                secs(s.wait_max),
                hours(s.game_server_seconds),
                hours(s.ready_idle_seconds),
                s.peak_game_servers.to_string(),
                s.scale_events.to_string(),
                s.failed_syncs.to_string(),
            ]
        })
        .collect();
    out.push_str(&table(&header, &rows));
    out.push('\n');
    for r in runs {
        out.push_str(&format!("{}: {}\n", r.label, verdict(&r.summary, frame)));
        if let Some(f) = &r.failure {
            out.push_str(&format!("  {f}\n"));
        }
    }
    out
}

/// A plain table, left-aligned first column, right-aligned numbers.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            width[i] = width[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = width[i] - c.chars().count();
            if i == 0 {
                s.push_str(c);
                s.push_str(&" ".repeat(pad));
            } else {
                s.push_str("  ");
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(header.iter().map(|h| h.to_string()).collect());
    for r in rows {
        out.push_str(&line(r.clone()));
    }
    out
}

/// Numbers as the JSON contract shows them: whole values without a fraction.
fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

/// A run's summary in the JSON contract's shape.
pub fn summary_json(s: &Summary) -> Value {
    json!({
        "arrivals": s.arrivals, "allocated": s.allocated, "abandoned": s.abandoned,
        "queuedAtEnd": s.queued_at_end, "waitP50": number(s.wait_p50),
        "waitP95": number(s.wait_p95), "waitMax": number(s.wait_max),
        "gameServerSeconds": number(s.game_server_seconds),
        "readyIdleSeconds": number(s.ready_idle_seconds),
        "peakGameServers": s.peak_game_servers, "scaleEvents": s.scale_events,
        "failedSyncs": s.failed_syncs, "limitedBy": s.limited_by
    })
}

/// The JSON report (`version` 1).
pub fn render_json(name: &str, runs: &[RunReport]) -> String {
    serde_json::to_string(&report_json(name, runs)).unwrap_or_default() + "\n"
}

pub fn report_json(name: &str, runs: &[RunReport]) -> Value {
    let runs: Vec<Value> = runs
        .iter()
        .map(|r| {
            json!({
                "label": r.label,
                "engine": r.engine,
                "summary": summary_json(&r.summary),
                "series": {
                    "t": r.series.t.iter().map(|t| number(*t)).collect::<Vec<_>>(),
                    "desired": r.series.desired, "gameServers": r.series.game_servers,
                    "ready": r.series.ready, "allocated": r.series.allocated,
                    "starting": r.series.starting, "queue": r.series.queue
                }
            })
        })
        .collect();
    json!({"version": 1, "scenario": name, "runs": runs})
}
