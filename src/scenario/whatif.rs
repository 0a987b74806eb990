//! What-if grids: `--set PATH=VALUES` runs the scenario for every combination of FleetAutoscaler
//! settings (on every core), and `--goal` marks the cheapest setting that serves players well
//! enough.

use rayon::prelude::*;
use serde_json::Value;

use crate::model::autoscaling::FleetAutoscaler;

use super::run::{Model, Summary};
use super::{table, RunReport, Setup};

/// One `--set`: a FleetAutoscaler field and the values to try.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// As given, for the report.
    pub name: String,
    /// Steps under the object root (`spec`, `policy`, `buffer`, `bufferSize`; indices as numbers).
    pub path: Vec<PathPart>,
    pub values: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Key(String),
    Index(usize),
}

/// Most combinations a grid may have.
pub const MAX_SETTINGS: usize = 10_000;

/// Parses `spec.policy.buffer.bufferSize=5..40:5`, `sync.fixedInterval.seconds=2,5,10` or
/// `spec.policy.buffer.bufferSize=20%`. A path may leave out `spec.`.
pub fn parse_axis(s: &str) -> Result<Axis, String> {
    let (path, values) = s.split_once('=').ok_or_else(|| {
        format!("`{s}` is not PATH=VALUES (for example spec.policy.buffer.bufferSize=5..40:5)")
    })?;
    let path = path.trim();
    let full = if path.starts_with("spec.") {
        path.to_string()
    } else {
        format!("spec.{path}")
    };
    let mut parts = Vec::new();
    for seg in full.split('.') {
        let (key, rest) = seg.split_once('[').unwrap_or((seg, ""));
        if key.is_empty() {
            return Err(format!("`{path}` has an empty step"));
        }
        parts.push(PathPart::Key(key.to_string()));
        for idx in rest.split('[').filter(|x| !x.is_empty()) {
            let n = idx
                .trim_end_matches(']')
                .parse()
                .map_err(|_| format!("`{seg}` in `{path}` has a bad index"))?;
            parts.push(PathPart::Index(n));
        }
    }
    let values = parse_values(values.trim())?;
    Ok(Axis {
        name: path.to_string(),
        path: parts,
        values,
    })
}

fn scalar(v: &str) -> Value {
    v.parse::<i64>()
        .map(Value::from)
        .unwrap_or_else(|_| Value::String(v.to_string()))
}

fn parse_values(v: &str) -> Result<Vec<Value>, String> {
    if v.is_empty() {
        return Err("no values after `=`".into());
    }
    if let Some((range, step)) = v.split_once("..") {
        let (to, by) = step.split_once(':').unwrap_or((step, "1"));
        let (from, to, by): (i64, i64, i64) = match (range.parse(), to.parse(), by.parse()) {
            (Ok(f), Ok(t), Ok(b)) => (f, t, b),
            _ => {
                return Err(format!(
                    "`{v}` is not FROM..TO or FROM..TO:STEP with whole numbers"
                ))
            }
        };
        if by <= 0 || to < from {
            return Err(format!("`{v}`: TO must be at least FROM and STEP positive"));
        }
        if (to - from) / by >= MAX_SETTINGS as i64 {
            return Err(format!("`{v}` has more than {MAX_SETTINGS} values"));
        }
        return Ok((from..=to).step_by(by as usize).map(Value::from).collect());
    }
    Ok(v.split(',').map(|x| scalar(x.trim())).collect())
}

/// Sets `path` in a JSON value, creating objects on the way.
fn set(root: &mut Value, path: &[PathPart], value: Value) -> Result<(), String> {
    let Some((last, init)) = path.split_last() else {
        return Err("empty path".into());
    };
    let mut cur = root;
    for p in init {
        cur = match p {
            PathPart::Key(k) => {
                if !cur.is_object() {
                    *cur = Value::Object(Default::default());
                }
                cur.as_object_mut()
                    .ok_or("not an object")?
                    .entry(k.clone())
                    .or_insert(Value::Object(Default::default()))
            }
            PathPart::Index(i) => cur
                .as_array_mut()
                .and_then(|a| a.get_mut(*i))
                .ok_or_else(|| format!("there is no item {i} there"))?,
        };
    }
    match last {
        PathPart::Key(k) => {
            if !cur.is_object() {
                *cur = Value::Object(Default::default());
            }
            cur.as_object_mut()
                .ok_or("not an object")?
                .insert(k.clone(), value);
        }
        PathPart::Index(i) => {
            *cur.as_array_mut()
                .and_then(|a| a.get_mut(*i))
                .ok_or_else(|| format!("there is no item {i} there"))? = value;
        }
    }
    Ok(())
}

/// A goal's conditions: `abandoned=0,waitP95<=10s`.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub text: String,
    conditions: Vec<(String, String, f64)>,
}

const GOAL_METRICS: &[&str] = &[
    "abandoned",
    "allocated",
    "queuedAtEnd",
    "waitP50",
    "waitP95",
    "waitMax",
    "peakGameServers",
    "scaleEvents",
    "failedSyncs",
    "gameServerSeconds",
];

pub fn parse_goal(s: &str) -> Result<Goal, String> {
    let mut conditions = Vec::new();
    for c in s.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let op = ["<=", ">=", "=", "<", ">"]
            .into_iter()
            .find(|op| c.contains(op))
            .ok_or_else(|| format!("`{c}` has no comparison (=, <=, >=, <, >)"))?;
        let (metric, value) = c.split_once(op).unwrap_or((c, ""));
        let metric = metric.trim();
        if !GOAL_METRICS.contains(&metric) {
            let hint = crate::suggest::closest(metric, GOAL_METRICS.iter().copied())
                .map_or(format!("use one of {}", GOAL_METRICS.join(", ")), |m| {
                    format!("did you mean `{m}`?")
                });
            return Err(format!("`{metric}` is not a summary metric; {hint}"));
        }
        let value = value.trim();
        let v = match value.parse::<f64>() {
            Ok(v) => v,
            Err(_) => crate::golang::duration::parse(value)
                .map(|ns| ns as f64 / 1e9)
                .map_err(|_| format!("`{value}` is not a number or a duration (10s)"))?,
        };
        conditions.push((metric.to_string(), op.to_string(), v));
    }
    if conditions.is_empty() {
        return Err("the goal is empty".into());
    }
    Ok(Goal {
        text: s.to_string(),
        conditions,
    })
}

pub fn metric(s: &Summary, name: &str) -> f64 {
    match name {
        "abandoned" => s.abandoned as f64,
        "allocated" => s.allocated as f64,
        "queuedAtEnd" => s.queued_at_end as f64,
        "waitP50" => s.wait_p50,
        "waitP95" => s.wait_p95,
        "waitMax" => s.wait_max,
        "peakGameServers" => s.peak_game_servers as f64,
        "scaleEvents" => s.scale_events as f64,
        "failedSyncs" => s.failed_syncs as f64,
        "gameServerSeconds" => s.game_server_seconds,
        _ => f64::NAN,
    }
}

impl Goal {
    /// The metrics the goal's conditions name, in order.
    pub fn metrics(&self) -> Vec<&str> {
        self.conditions.iter().map(|c| c.0.as_str()).collect()
    }

    /// The conditions `s` breaks, as `waitP95 is 37`.
    pub fn missed(&self, s: &Summary) -> Vec<String> {
        self.conditions
            .iter()
            .filter(|(m, op, v)| !holds(metric(s, m), op, *v))
            .map(|(m, _, _)| {
                let x = metric(s, m);
                if x.fract() == 0.0 {
                    format!("{m} is {x:.0}")
                } else {
                    format!("{m} is {x:.1}")
                }
            })
            .collect()
    }

    pub fn met(&self, s: &Summary) -> bool {
        self.conditions
            .iter()
            .all(|(m, op, v)| holds(metric(s, m), op, *v))
    }
}

fn holds(x: f64, op: &str, v: f64) -> bool {
    match op {
        "=" => x == v,
        "<=" => x <= v,
        ">=" => x >= v,
        "<" => x < v,
        _ => x > v,
    }
}

/// One setting of the grid and how it went.
pub struct Row {
    pub values: Vec<Value>,
    /// Agones would reject the setting (its admission error), so it did not run.
    pub rejected: Option<String>,
    pub run: Option<RunReport>,
}

/// Every combination of the axes, in order (the last axis varies fastest).
pub fn combinations(axes: &[Axis]) -> Result<Vec<Vec<Value>>, String> {
    let total = axes
        .iter()
        .try_fold(1usize, |n, a| n.checked_mul(a.values.len()));
    match total {
        Some(n) if n <= MAX_SETTINGS => {}
        _ => {
            return Err(format!(
                "the grid has more than {MAX_SETTINGS} settings; narrow the ranges"
            ))
        }
    }
    let mut out: Vec<Vec<Value>> = vec![Vec::new()];
    for a in axes {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                a.values.iter().map(move |v| {
                    let mut p = prefix.clone();
                    p.push(v.clone());
                    p
                })
            })
            .collect();
    }
    Ok(out)
}

/// The FleetAutoscaler with one setting applied.
pub fn variant(
    base: &FleetAutoscaler,
    axes: &[Axis],
    values: &[Value],
) -> Result<FleetAutoscaler, String> {
    let mut json = serde_json::to_value(base).map_err(|e| e.to_string())?;
    for (a, v) in axes.iter().zip(values) {
        set(&mut json, &a.path, v.clone()).map_err(|e| format!("--set {}: {e}", a.name))?;
    }
    serde_json::from_value(json)
        .map_err(|e| format!("the setting does not fit the FleetAutoscaler: {e}"))
}

/// Runs every setting on all cores. `admit` returns Agones' admission error for a variant.
#[allow(clippy::too_many_arguments)]
pub fn grid(
    setup: &Setup,
    axes: &[Axis],
    model: &Model,
    admit: &(dyn Fn(&FleetAutoscaler) -> Option<String> + Sync),
    run: &(dyn Fn(&FleetAutoscaler, &Model) -> RunReport + Sync),
) -> Result<Vec<Row>, String> {
    let settings = combinations(axes)?;
    Ok(settings
        .into_par_iter()
        .map(|values| match variant(&setup.autoscaler, axes, &values) {
            Err(e) => Row {
                values,
                rejected: Some(e),
                run: None,
            },
            Ok(fas) => match admit(&fas) {
                Some(e) => Row {
                    values,
                    rejected: Some(e),
                    run: None,
                },
                None => Row {
                    values,
                    rejected: None,
                    run: Some(run(&fas, model)),
                },
            },
        })
        .collect())
}

/// The cheapest (fewest GameServer-seconds) setting that meets the goal.
pub fn cheapest<'r>(rows: &'r [Row], goal: &Goal) -> Option<&'r Row> {
    rows.iter()
        .filter(|r| r.run.as_ref().is_some_and(|x| goal.met(&x.summary)))
        .min_by(|a, b| {
            let cost = |r: &Row| {
                r.run
                    .as_ref()
                    .map_or(f64::MAX, |x| x.summary.game_server_seconds)
            };
            cost(a).total_cmp(&cost(b))
        })
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Each row's setting in words: `bufferSize=10, minReplicas=4`.
pub fn labels(axes: &[Axis], rows: &[Row]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            axes.iter()
                .zip(&r.values)
                .map(|(a, v)| format!("{}={}", short_name(&a.name), show(v)))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect()
}

/// The last segment of an axis path (`spec.policy.buffer.bufferSize` → `bufferSize`).
fn short_name(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// The grid as a table, with the baseline's cost for comparison and the goal's answer.
pub fn render(axes: &[Axis], rows: &[Row], baseline: &Summary, goal: Option<&Goal>) -> String {
    let best = goal
        .and_then(|g| cheapest(rows, g))
        .map(|r| r as *const Row);
    let mut header: Vec<&str> = axes.iter().map(|a| a.name.as_str()).collect();
    header.extend(["abandoned", "wait p95", "max", "GS-hours", "cost", ""]);
    let cost_base = baseline.game_server_seconds.max(1e-9);
    let table_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut cells: Vec<String> = r.values.iter().map(show).collect();
            match (&r.run, &r.rejected) {
                (Some(x), _) => {
                    let s = &x.summary;
                    cells.extend([
                        s.abandoned.to_string(),
                        format!("{:.0}s", s.wait_p95),
                        format!("{:.0}s", s.wait_max),
                        format!("{:.2}", s.game_server_seconds / 3600.0),
                        format!("{:.2}×", s.game_server_seconds / cost_base),
                        if best == Some(r as *const Row) {
                            "← cheapest meeting the goal".into()
                        } else {
                            String::new()
                        },
                    ]);
                }
                (None, Some(e)) => {
                    cells.extend([
                        "-".into(),
                        "-".into(),
                        "-".into(),
                        "-".into(),
                        "-".into(),
                        format!("rejected: {e}"),
                    ]);
                }
                (None, None) => cells.extend(std::iter::repeat_n(String::from("-"), 6)),
            }
            cells
        })
        .collect();
    let mut out = table(&header, &table_rows);
    if let Some(g) = goal {
        out.push('\n');
        match best.and_then(|b| rows.iter().find(|r| std::ptr::eq(*r, b))) {
            Some(r) => {
                let s = &r
                    .run
                    .as_ref()
                    .map(|x| x.summary.clone())
                    .unwrap_or_default();
                let setting: Vec<String> = axes
                    .iter()
                    .zip(&r.values)
                    .map(|(a, v)| format!("{} {}", a.name, show(v)))
                    .collect();
                out.push_str(&format!(
                    "Goal {}: {} meets it at {:.2}× the GameServer-hours of the current setting ({} abandoned, wait p95 {:.0}s).\n",
                    g.text,
                    setting.join(" and "),
                    s.game_server_seconds / cost_base,
                    s.abandoned,
                    s.wait_p95
                ));
            }
            None => out.push_str(&format!(
                "Goal {}: no setting in the grid meets it; widen the ranges.\n",
                g.text
            )),
        }
    }
    out
}

/// The grid for `--format json`: the axes, one row per setting (its values, and its summary
/// or why Agones would reject it) and the goal's answer (an index into `rows`).
pub fn to_json(axes: &[Axis], rows: &[Row], goal: Option<&Goal>) -> Value {
    let best = goal.and_then(|g| cheapest(rows, g));
    serde_json::json!({
        "axes": axes.iter().map(|a| a.name.clone()).collect::<Vec<_>>(),
        "rows": rows.iter().map(|r| serde_json::json!({
            "values": r.values,
            "rejected": r.rejected,
            "summary": r.run.as_ref().map(|x| super::summary_json(&x.summary)),
        })).collect::<Vec<_>>(),
        "goal": goal.map(|g| g.text.clone()),
        "cheapest": best.and_then(|b| rows.iter().position(|r| std::ptr::eq(r, b))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_axes() {
        let a = parse_axis("spec.policy.buffer.bufferSize=5..20:5").unwrap();
        assert_eq!(a.values, [5, 10, 15, 20].map(Value::from));
        assert_eq!(a.path.len(), 4);
        let a = parse_axis("sync.fixedInterval.seconds=2,5,10").unwrap();
        assert_eq!(a.path[0], PathPart::Key("spec".into()));
        assert_eq!(a.values.len(), 3);
        let a = parse_axis("policy.chain[1].buffer.bufferSize=20%").unwrap();
        assert_eq!(a.path[3], PathPart::Index(1));
        assert_eq!(a.values, [Value::from("20%")]);
        assert!(parse_axis("x").is_err());
        assert!(parse_axis("a=5..1").is_err());
        assert!(parse_axis("a=1..100000000").is_err());
    }

    #[test]
    fn parses_goals() {
        let g = parse_goal("abandoned=0, waitP95<=10s").unwrap();
        let mut s = Summary {
            wait_p95: 10.0,
            ..Summary::default()
        };
        assert!(g.met(&s));
        s.wait_p95 = 10.5;
        assert!(!g.met(&s));
        s.wait_p95 = 1.0;
        s.abandoned = 1;
        assert!(!g.met(&s));
        assert!(parse_goal("abandonned=0")
            .unwrap_err()
            .contains("did you mean `abandoned`"));
        assert!(parse_goal("waitP95~3").is_err());
    }

    #[test]
    fn combines_and_sets() {
        let axes = [
            parse_axis("a=1,2").unwrap(),
            parse_axis("b.c=x,y,z").unwrap(),
        ];
        let c = combinations(&axes).unwrap();
        assert_eq!(c.len(), 6);
        assert_eq!(c[1], vec![Value::from(1), Value::from("y")]);
        let mut v = serde_json::json!({"spec": {"a": 0}});
        set(&mut v, &axes[1].path, Value::from("x")).unwrap();
        assert_eq!(v["spec"]["b"]["c"], "x");
    }
}
