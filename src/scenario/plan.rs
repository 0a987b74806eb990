//! From a Scenario document to the numbers a run needs, with every problem located by field
//! path: lint reports them (SCN001), `simulate --scenario` refuses to run with them.

use crate::golang::duration;
use crate::golang::time::{parse_rfc3339, Instant};
use crate::source::tree::Step;

use super::run::{Arrivals, Rate, Timing, SECOND};
use super::spec::{self, Scenario};

/// A problem in a Scenario, at a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub path: Vec<Step>,
    pub message: String,
    pub help: String,
}

/// A Scenario's numbers; arrivals and GameLift policies from files come later.
#[derive(Debug, Clone)]
pub struct Plan {
    pub namespace: String,
    pub fleet: String,
    pub start: Instant,
    pub duration: i64,
    pub tick: i64,
    pub patience: i64,
    pub startup: Timing,
    pub session: Timing,
    /// None when the arrivals come from `arrivalsFile`.
    pub arrivals: Option<Arrivals>,
}

fn path(parts: &[&str]) -> Vec<Step> {
    parts.iter().map(|p| Step::Key((*p).into())).collect()
}

fn go_duration(v: &str, at: Vec<Step>, issues: &mut Vec<Issue>) -> Option<i64> {
    match duration::parse(v) {
        Ok(n) => Some(n),
        Err(e) => {
            issues.push(Issue {
                path: at,
                message: e.0,
                help: "use Go duration syntax, such as 90s, 10m or 1h30m".into(),
            });
            None
        }
    }
}

fn positive(v: &str, at: Vec<Step>, issues: &mut Vec<Issue>) -> Option<i64> {
    let n = go_duration(v, at.clone(), issues)?;
    if n <= 0 {
        issues.push(Issue {
            path: at,
            message: format!("`{v}` must be longer than zero"),
            help: "use a positive duration, such as 1s".into(),
        });
        return None;
    }
    Some(n)
}

fn timing(t: &spec::Timing, at: Vec<Step>, issues: &mut Vec<Issue>) -> Option<Timing> {
    match t {
        spec::Timing::Fixed(s) => {
            let n = go_duration(s, at.clone(), issues)?;
            if n < 0 {
                issues.push(Issue {
                    path: at,
                    message: format!("`{s}` is negative"),
                    help: "use a duration of zero or more".into(),
                });
                return None;
            }
            Some(Timing::Fixed(n))
        }
        spec::Timing::Distribution(d) => {
            let lp = |k: &str| {
                let mut p = at.clone();
                p.extend(path(&["lognormal", k]));
                p
            };
            let p50 = positive(&d.lognormal.p50, lp("p50"), issues)?;
            let p95 = positive(&d.lognormal.p95, lp("p95"), issues)?;
            if p95 < p50 {
                issues.push(Issue {
                    path: lp("p95"),
                    message: format!(
                        "p95 ({}) is below p50 ({})",
                        d.lognormal.p95, d.lognormal.p50
                    ),
                    help: "the 95th percentile must be at least the median".into(),
                });
                return None;
            }
            Some(Timing::lognormal(p50, p95, d.seed))
        }
    }
}

/// Matches per second as an exact count per 10^6 seconds; at most 6 decimals.
pub fn rate_micros(per_second: f64) -> Option<i128> {
    if !per_second.is_finite() || !(0.0..=1e9).contains(&per_second) {
        return None;
    }
    let scaled = per_second * 1e6;
    let rounded = scaled.round();
    ((scaled - rounded).abs() <= 1e-6 * scaled.abs().max(1.0)).then_some(rounded as i128)
}

/// Checks a Scenario and computes its plan. `default_namespace` applies to `spec.fleet`
/// without a namespace.
pub fn plan(s: &Scenario, default_namespace: &str) -> Result<Plan, Vec<Issue>> {
    let mut issues = Vec::new();
    let sp = &s.spec;
    let (namespace, fleet) = match sp.fleet.split_once('/') {
        Some((ns, name)) => (ns.to_string(), name.to_string()),
        None => (default_namespace.to_string(), sp.fleet.clone()),
    };
    if fleet.is_empty() || namespace.is_empty() {
        issues.push(Issue {
            path: path(&["spec", "fleet"]),
            message: format!("`{}` does not name a Fleet", sp.fleet),
            help: "write namespace/name, such as default/rps-game".into(),
        });
    }
    let start = match parse_rfc3339(&sp.start) {
        Ok(t) => Some(t),
        Err(e) => {
            issues.push(Issue {
                path: path(&["spec", "start"]),
                message: e,
                help: "write an RFC 3339 time, such as 2026-12-04T18:00:00Z".into(),
            });
            None
        }
    };
    let dur = positive(&sp.duration, path(&["spec", "duration"]), &mut issues);
    let tick = positive(
        sp.tick.as_deref().unwrap_or("1s"),
        path(&["spec", "tick"]),
        &mut issues,
    );
    let patience = positive(&sp.patience, path(&["spec", "patience"]), &mut issues);
    let startup = timing(
        &sp.game_server.startup,
        path(&["spec", "gameServer", "startup"]),
        &mut issues,
    );
    let session = timing(
        &sp.game_server.session,
        path(&["spec", "gameServer", "session"]),
        &mut issues,
    );
    if let (Some(d), Some(t)) = (dur, tick) {
        if t > d {
            issues.push(Issue {
                path: path(&["spec", "tick"]),
                message: format!(
                    "the tick ({}) is longer than the duration ({})",
                    sp.tick.as_deref().unwrap_or("1s"),
                    sp.duration
                ),
                help: "use a tick of 1s, or a longer duration".into(),
            });
        } else if d / t > 50_000_000 {
            issues.push(Issue {
                path: path(&["spec", "tick"]),
                message: format!("{} ticks is more than the 50,000,000 a run may have", d / t),
                help: "use a longer tick or a shorter duration".into(),
            });
        }
    }
    let arrivals = match (&sp.arrivals, &sp.arrivals_file) {
        (Some(_), Some(_)) => {
            issues.push(Issue {
                path: path(&["spec", "arrivalsFile"]),
                message: "both `arrivals` and `arrivalsFile` are set".into(),
                help: "keep one of them".into(),
            });
            None
        }
        (None, None) => {
            issues.push(Issue {
                path: path(&["spec"]),
                message: "the scenario has no demand: set `arrivals` or `arrivalsFile`".into(),
                help: "for example `arrivals: [{from: 0s, to: 10m, perSecond: 0.5}]`".into(),
            });
            None
        }
        (None, Some(_)) => None,
        (Some(segments), None) => {
            let mut rates = Vec::new();
            for (i, seg) in segments.iter().enumerate() {
                let at = |k: &str| {
                    let mut p = path(&["spec", "arrivals"]);
                    p.push(Step::Index(i));
                    p.push(Step::Key(k.into()));
                    p
                };
                let from = go_duration(&seg.from, at("from"), &mut issues);
                let to = go_duration(&seg.to, at("to"), &mut issues);
                let micros = rate_micros(seg.per_second);
                if micros.is_none() {
                    issues.push(Issue {
                        path: at("perSecond"),
                        message: format!("{} is not a rate of at most 6 decimals", seg.per_second),
                        help:
                            "round the rate to 6 decimals (arrivals are computed exactly from it)"
                                .into(),
                    });
                }
                if let (Some(from), Some(to)) = (from, to) {
                    if from < 0 || to <= from {
                        issues.push(Issue {
                            path: at("to"),
                            message: format!(
                                "the segment [{}, {}) is empty or starts before 0s",
                                seg.from, seg.to
                            ),
                            help: "`to` must be after `from`, both from t=0".into(),
                        });
                    } else if let Some(micros) = micros {
                        rates.push(Rate { from, to, micros });
                    }
                }
            }
            Some(Arrivals::Rates(rates))
        }
    };
    if !issues.is_empty() {
        return Err(issues);
    }
    match (start, dur, tick, patience, startup, session) {
        (Some(start), Some(duration), Some(tick), Some(patience), Some(startup), Some(session)) => {
            Ok(Plan {
                namespace,
                fleet,
                start,
                duration,
                tick,
                patience,
                startup,
                session,
                arrivals,
            })
        }
        _ => Err(issues),
    }
}

/// Reads an arrivals trace: lines `second,count` (a header line, blank lines and `#`
/// comments are skipped). Errors name the line.
pub fn parse_trace(text: &str) -> Result<Arrivals, String> {
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((sec, count)) = line.split_once(',') else {
            return Err(format!(
                "line {}: expected `second,count`, got `{line}`",
                i + 1
            ));
        };
        let (sec, count) = (sec.trim(), count.trim());
        if i == 0 && sec.parse::<f64>().is_err() {
            continue; // a header
        }
        let secs: f64 = sec
            .parse()
            .ok()
            .filter(|s: &f64| s.is_finite() && *s >= 0.0 && *s < 1e12)
            .ok_or_else(|| {
                format!(
                    "line {}: `{sec}` is not a second (a number of 0 or more)",
                    i + 1
                )
            })?;
        let count: u64 = count
            .parse()
            .map_err(|_| format!("line {}: `{count}` is not a count (a whole number)", i + 1))?;
        lines.push(((secs * SECOND as f64).round() as i64, count));
    }
    lines.sort_by_key(|l| l.0);
    Ok(Arrivals::Trace(lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(yaml: &str) -> Scenario {
        let objects = crate::source::objects(yaml, &Default::default());
        serde_json::from_value(objects[0].root.to_json()).unwrap()
    }

    const GOOD: &str = "apiVersion: agones-lint.dev/v1alpha1
kind: Scenario
metadata: {name: launch}
spec:
  fleet: rps-game
  start: 2026-12-04T18:00:00Z
  duration: 10m
  gameServer: {startup: 15s, session: {lognormal: {p50: 60s, p95: 3m}, seed: 7}}
  patience: 60s
  arrivals:
    - {from: 0s, to: 30s, perSecond: 1.7}
";

    #[test]
    fn plans_a_good_scenario() {
        let p = plan(&scenario(GOOD), "games").unwrap();
        assert_eq!(
            (p.namespace.as_str(), p.fleet.as_str()),
            ("games", "rps-game")
        );
        assert_eq!(
            (p.duration, p.tick, p.patience),
            (600 * SECOND, SECOND, 60 * SECOND)
        );
        assert!(matches!(p.startup, Timing::Fixed(n) if n == 15 * SECOND));
        assert!(matches!(p.session, Timing::LogNormal { seed: 7, .. }));
        match p.arrivals {
            Some(Arrivals::Rates(r)) => assert_eq!(r[0].micros, 1_700_000),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reports_each_problem_at_its_path() {
        let bad = GOOD
            .replace("duration: 10m", "duration: 10 minutes")
            .replace("perSecond: 1.7", "perSecond: 0.1234567")
            .replace("to: 30s", "to: 0s")
            .replace("p95: 3m", "p95: 30s");
        let issues = plan(&scenario(&bad), "default").unwrap_err();
        let paths: Vec<String> = issues
            .iter()
            .map(|i| crate::source::tree::path_to_string(&i.path))
            .collect();
        assert_eq!(
            paths,
            [
                "spec.duration",
                "spec.gameServer.session.lognormal.p95",
                "spec.arrivals[0].perSecond",
                "spec.arrivals[0].to"
            ]
        );
    }

    #[test]
    fn rates_keep_six_decimals() {
        assert_eq!(rate_micros(0.2), Some(200_000));
        assert_eq!(rate_micros(1.000001), Some(1_000_001));
        assert_eq!(rate_micros(0.0000005), None);
        assert_eq!(rate_micros(-1.0), None);
    }

    #[test]
    fn traces_parse_with_headers_and_comments() {
        let a = parse_trace("second,count\n# burst\n0,3\n1.5,2\n\n60,1\n").unwrap();
        match a {
            Arrivals::Trace(l) => assert_eq!(l, [(0, 3), (1_500_000_000, 2), (60 * SECOND, 1)]),
            other => panic!("{other:?}"),
        }
        assert!(parse_trace("0,3\n1,x\n").unwrap_err().starts_with("line 2"));
        assert!(parse_trace("0;3\n").unwrap_err().starts_with("line 1"));
    }
}
