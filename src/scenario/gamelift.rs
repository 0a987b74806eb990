//! GameLift's fleet scaling policies (`aws gamelift describe-scaling-policies`), checked and
//! run beside the Agones autoscaler on the same demand: rule-based policies that count
//! consecutive minutes, fire and cool down, and target-based tracking of
//! PercentAvailableGameSessions.

use serde::Deserialize;
use serde_json::Value;

use super::run::{Scaler, Snapshot, Verdict, SECOND};

pub const METRICS: &[&str] = &[
    "ActivatingGameSessions",
    "ActiveGameSessions",
    "ActiveInstances",
    "AvailableGameSessions",
    "AvailablePlayerSessions",
    "CurrentPlayerSessions",
    "IdleInstances",
    "PercentAvailableGameSessions",
    "PercentIdleInstances",
    "QueueDepth",
    "WaitTime",
    "ConcurrentActivatableGameSessions",
];

/// The metrics the scenario model can compute (one game session per instance, no players).
pub const MODELLED: &[&str] = &[
    "ActiveGameSessions",
    "ActiveInstances",
    "AvailableGameSessions",
    "IdleInstances",
    "PercentAvailableGameSessions",
    "PercentIdleInstances",
    "QueueDepth",
    "WaitTime",
];

pub const OPERATORS: &[&str] = &[
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
];

pub const ADJUSTMENTS: &[&str] = &[
    "ChangeInCapacity",
    "ExactCapacity",
    "PercentChangeInCapacity",
];

/// One policy as the AWS CLI prints it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Policy {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub policy_type: Option<String>,
    #[serde(default)]
    pub metric_name: Option<String>,
    #[serde(default)]
    pub comparison_operator: Option<String>,
    #[serde(default)]
    pub threshold: Option<f64>,
    #[serde(default)]
    pub evaluation_periods: Option<i64>,
    #[serde(default)]
    pub scaling_adjustment: Option<i64>,
    #[serde(default)]
    pub scaling_adjustment_type: Option<String>,
    #[serde(default)]
    pub target_configuration: Option<TargetConfiguration>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetConfiguration {
    #[serde(default)]
    pub target_value: Option<f64>,
}

/// A problem in the policies, with the JSON path (`ScalingPolicies[1].Threshold`) it concerns.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// `GLF001`..; see `checks::rules`.
    pub code: &'static str,
    pub path: Vec<PathStep>,
    pub message: String,
    pub help: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    Key(String),
    Index(usize),
}

/// The policies of a `describe-scaling-policies` document (`{"ScalingPolicies": [...]}`) or a
/// bare list; each paired with its index.
pub fn parse(doc: &Value) -> Result<Vec<Policy>, String> {
    let list = match doc {
        Value::Array(a) => a.clone(),
        Value::Object(m) => match m.get("ScalingPolicies") {
            Some(Value::Array(a)) => a.clone(),
            _ => {
                return Err("expected `ScalingPolicies: [...]`, as `aws gamelift describe-scaling-policies` prints".into())
            }
        },
        _ => return Err("expected an object with `ScalingPolicies`, or a list of policies".into()),
    };
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            serde_json::from_value(p.clone()).map_err(|e| format!("ScalingPolicies[{i}]: {e}"))
        })
        .collect()
}

fn at(i: usize, key: &str) -> Vec<PathStep> {
    vec![
        PathStep::Key("ScalingPolicies".into()),
        PathStep::Index(i),
        PathStep::Key(key.into()),
    ]
}

fn near(value: &str, set: &[&str]) -> String {
    match crate::suggest::closest(value, set.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("use one of {}", set.join(", ")),
    }
}

/// Whether a rule-based policy adds capacity.
fn scales_up(p: &Policy) -> bool {
    match p.scaling_adjustment_type.as_deref() {
        Some("ExactCapacity") => false,
        _ => p.scaling_adjustment.unwrap_or(0) > 0,
    }
}

/// Checks the policies as GameLift's API would, plus the mistakes it accepts.
pub fn check(policies: &[Policy], min_size: i64, max_size: i64) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut push = |code, path, message: String, help: String| {
        out.push(Problem {
            code,
            path,
            message,
            help,
        })
    };
    for (i, p) in policies.iter().enumerate() {
        let ty = p.policy_type.as_deref();
        match ty {
            None => push(
                "GLF001",
                vec![PathStep::Key("ScalingPolicies".into()), PathStep::Index(i)],
                "the policy has no `PolicyType`".into(),
                "set `PolicyType` to RuleBased or TargetBased".into(),
            ),
            Some("RuleBased" | "TargetBased") => {}
            Some(other) => push(
                "GLF001",
                at(i, "PolicyType"),
                format!("`{other}` is not a policy type"),
                near(other, &["RuleBased", "TargetBased"]),
            ),
        }
        match p.metric_name.as_deref() {
            None => push(
                "GLF001",
                vec![PathStep::Key("ScalingPolicies".into()), PathStep::Index(i)],
                "the policy has no `MetricName`".into(),
                format!("use one of {}", METRICS.join(", ")),
            ),
            Some(m) if !METRICS.contains(&m) => push(
                "GLF001",
                at(i, "MetricName"),
                format!("`{m}` is not a GameLift fleet metric"),
                near(m, METRICS),
            ),
            Some(m) if !MODELLED.contains(&m) => push(
                "GLF005",
                at(i, "MetricName"),
                format!("the scenario model does not compute `{m}` (it has no players or activating sessions), so this policy never fires in the simulation"),
                format!("the modelled metrics are {}", MODELLED.join(", ")),
            ),
            Some(_) => {}
        }
        if ty == Some("TargetBased") {
            if p.metric_name.as_deref() != Some("PercentAvailableGameSessions") {
                push(
                    "GLF001",
                    at(i, "MetricName"),
                    "a target-based policy can only track PercentAvailableGameSessions".into(),
                    "set `MetricName: PercentAvailableGameSessions`".into(),
                );
            }
            match p.target_configuration.as_ref().and_then(|t| t.target_value) {
                None => push(
                    "GLF001",
                    vec![PathStep::Key("ScalingPolicies".into()), PathStep::Index(i)],
                    "a target-based policy needs `TargetConfiguration.TargetValue`".into(),
                    "set the percentage of game sessions to keep available, such as 20".into(),
                ),
                Some(v) if !(0.0..100.0).contains(&v) => push(
                    "GLF001",
                    at(i, "TargetConfiguration"),
                    format!("TargetValue {v} is outside 0 to 100 (exclusive)"),
                    "use a percentage such as 20".into(),
                ),
                Some(_) => {}
            }
            continue;
        }
        // Without a PolicyType the fields are checked as a rule-based policy's.
        if ty.is_some_and(|t| t != "RuleBased") {
            continue;
        }
        match p.comparison_operator.as_deref() {
            None => push(
                "GLF001",
                vec![PathStep::Key("ScalingPolicies".into()), PathStep::Index(i)],
                "a rule-based policy needs `ComparisonOperator`".into(),
                format!("use one of {}", OPERATORS.join(", ")),
            ),
            Some(o) if !OPERATORS.contains(&o) => push(
                "GLF001",
                at(i, "ComparisonOperator"),
                format!("`{o}` is not a comparison operator"),
                near(o, OPERATORS),
            ),
            Some(_) => {}
        }
        match p.threshold {
            None => push(
                "GLF001",
                vec![PathStep::Key("ScalingPolicies".into()), PathStep::Index(i)],
                "a rule-based policy needs `Threshold`".into(),
                "set the metric value that triggers the policy".into(),
            ),
            Some(t) if t <= 0.0 => push(
                "GLF001",
                at(i, "Threshold"),
                format!("Threshold must be positive, not {t}"),
                "GameLift rejects a threshold of 0 or less".into(),
            ),
            Some(_) => {}
        }
        match p.evaluation_periods {
            None => push(
                "GLF001",
                vec![PathStep::Key("ScalingPolicies".into()), PathStep::Index(i)],
                "a rule-based policy needs `EvaluationPeriods`".into(),
                "set how many consecutive minutes the condition must hold, such as 5".into(),
            ),
            Some(n) if n < 1 => push(
                "GLF001",
                at(i, "EvaluationPeriods"),
                format!("EvaluationPeriods must be at least 1, not {n}"),
                "set how many consecutive minutes the condition must hold".into(),
            ),
            Some(_) => {}
        }
        match p.scaling_adjustment_type.as_deref() {
            None => push(
                "GLF001",
                vec![PathStep::Key("ScalingPolicies".into()), PathStep::Index(i)],
                "a rule-based policy needs `ScalingAdjustmentType`".into(),
                format!("use one of {}", ADJUSTMENTS.join(", ")),
            ),
            Some(a) if !ADJUSTMENTS.contains(&a) => push(
                "GLF001",
                at(i, "ScalingAdjustmentType"),
                format!("`{a}` is not an adjustment type"),
                near(a, ADJUSTMENTS),
            ),
            Some("ExactCapacity") => {
                if let Some(n) = p.scaling_adjustment {
                    if n < min_size || n > max_size {
                        push(
                            "GLF003",
                            at(i, "ScalingAdjustment"),
                            format!("ExactCapacity {n} is outside the fleet's bounds [{min_size}, {max_size}]; GameLift clamps it to {}", n.clamp(min_size, max_size)),
                            "set a capacity within minSize..maxSize, or change the bounds".into(),
                        );
                    }
                }
            }
            Some(_) => {}
        }
        if p.scaling_adjustment.is_none() {
            push(
                "GLF001",
                vec![PathStep::Key("ScalingPolicies".into()), PathStep::Index(i)],
                "a rule-based policy needs `ScalingAdjustment`".into(),
                "set the amount to change the capacity by (or to, for ExactCapacity)".into(),
            );
        }
        if max_size <= 1 && scales_up(p) {
            push(
                "GLF002",
                at(i, "ScalingAdjustment"),
                format!("the fleet's maxSize is {max_size} (GameLift's default for a new fleet), so this scale-up policy can never add an instance"),
                "raise the fleet's maximum size (`gamelift.maxSize`, `aws gamelift update-fleet-capacity --max-size`)".into(),
            );
        }
    }
    out
}

/// GameLift's scaling for one fleet: its desired capacity and each policy's state.
pub struct GameLift {
    policies: Vec<Policy>,
    min: i64,
    max: i64,
    /// Consecutive minutes each rule's condition held.
    counts: Vec<i64>,
    /// When each policy last fired (its cooldown is 10 minutes).
    fired_at: Vec<Option<i64>>,
    /// Each policy's firings, for reports.
    pub firings: Vec<u64>,
    /// Evaluations in the last decision that changed the desired capacity.
    last_changes: u64,
}

pub const COOLDOWN: i64 = 600 * SECOND;

impl GameLift {
    pub fn new(policies: Vec<Policy>, min: i64, max: i64) -> GameLift {
        let n = policies.len();
        GameLift {
            policies,
            min,
            max,
            counts: vec![0; n],
            fired_at: vec![None; n],
            firings: vec![0; n],
            last_changes: 0,
        }
    }
}

/// A metric at a snapshot; one game session per instance.
pub fn metric(name: &str, s: &Snapshot) -> Option<f64> {
    let active = (s.ready + s.allocated) as f64;
    let pct = |x: i64| {
        if active > 0.0 {
            x as f64 * 100.0 / active
        } else {
            0.0
        }
    };
    Some(match name {
        "AvailableGameSessions" | "IdleInstances" => s.ready as f64,
        "ActiveGameSessions" => s.allocated as f64,
        "ActiveInstances" => active,
        "PercentAvailableGameSessions" | "PercentIdleInstances" => pct(s.ready),
        "QueueDepth" => s.queue as f64,
        "WaitTime" => s.oldest_wait as f64 / SECOND as f64,
        _ => return None,
    })
}

fn holds(op: &str, value: f64, threshold: f64) -> bool {
    match op {
        "GreaterThanOrEqualToThreshold" => value >= threshold,
        "GreaterThanThreshold" => value > threshold,
        "LessThanThreshold" => value < threshold,
        "LessThanOrEqualToThreshold" => value <= threshold,
        _ => false,
    }
}

/// EC2 Auto Scaling's rounding of a percent change: toward zero, but at least 1 in magnitude.
pub fn percent_change(desired: i64, pct: i64) -> i64 {
    let raw = desired * pct / 100;
    if raw == 0 && pct != 0 {
        pct.signum()
    } else {
        raw
    }
}

impl Scaler for GameLift {
    fn initial(&self, replicas: i64) -> i64 {
        replicas.clamp(self.min, self.max.max(self.min))
    }

    fn decide(&mut self, s: &Snapshot) -> Verdict {
        if s.t == 0 || s.t % (60 * SECOND) != 0 {
            return Verdict::Keep;
        }
        let mut desired = s.desired;
        let (min, max) = (self.min, self.max.max(self.min));
        self.last_changes = 0;
        for (i, p) in self.policies.iter().enumerate() {
            let before = desired;
            if p.status.as_deref().is_some_and(|st| st != "ACTIVE") {
                continue;
            }
            let Some(value) = p.metric_name.as_deref().and_then(|m| metric(m, s)) else {
                continue;
            };
            match p.policy_type.as_deref() {
                Some("TargetBased") => {
                    let Some(target) = p.target_configuration.as_ref().and_then(|t| t.target_value)
                    else {
                        continue;
                    };
                    if !(0.0..100.0).contains(&target) {
                        continue;
                    }
                    // ceil(ActiveGameSessions × 100 / (100 − target)), as an Agones percent buffer.
                    let want = (s.allocated as f64 * 100.0 / (100.0 - target)).ceil() as i64;
                    desired = want.clamp(min, max);
                }
                Some("RuleBased") => {
                    let (Some(op), Some(threshold), Some(periods), Some(adj)) = (
                        p.comparison_operator.as_deref(),
                        p.threshold,
                        p.evaluation_periods,
                        p.scaling_adjustment,
                    ) else {
                        continue;
                    };
                    if holds(op, value, threshold) {
                        self.counts[i] += 1;
                    } else {
                        self.counts[i] = 0;
                    }
                    let cooling = self.fired_at[i].is_some_and(|f| s.t < f + COOLDOWN);
                    if self.counts[i] >= periods.max(1) && !cooling {
                        desired = match p.scaling_adjustment_type.as_deref() {
                            Some("ChangeInCapacity") => desired + adj,
                            Some("ExactCapacity") => adj,
                            Some("PercentChangeInCapacity") => {
                                desired + percent_change(desired, adj)
                            }
                            _ => desired,
                        }
                        .clamp(min, max);
                        self.counts[i] = 0;
                        self.fired_at[i] = Some(s.t);
                        self.firings[i] += 1;
                    }
                }
                _ => {}
            }
            if desired != before {
                self.last_changes += 1;
            }
        }
        Verdict::Set(desired)
    }

    fn changes(&self) -> Option<u64> {
        Some(self.last_changes)
    }
}

/// Everything lint says about a set of policies: [`check`], and when the policies are valid
/// and a plan is at hand, the [`oscillation`] demonstration.
pub fn review(
    policies: &[Policy],
    min: i64,
    max: i64,
    plan: Option<&super::plan::Plan>,
) -> Vec<Problem> {
    let mut out = check(policies, min, max);
    if !out.iter().any(|p| p.code == "GLF001") {
        if let Some(o) = plan.and_then(|p| oscillation(policies, min, max, p)) {
            out.push(o);
        }
    }
    out
}

/// Runs the policies on constant demand (the scenario's mean arrival rate) for six hours and
/// reports capacity that keeps going up and down: two policies undoing each other.
pub fn oscillation(
    policies: &[Policy],
    min: i64,
    max: i64,
    plan: &super::plan::Plan,
) -> Option<Problem> {
    let super::run::Arrivals::Rates(rates) = plan.arrivals.as_ref()? else {
        return None;
    };
    let span: i128 = rates.iter().map(|r| (r.to - r.from) as i128).sum();
    if span == 0 {
        return None;
    }
    let micros = rates
        .iter()
        .map(|r| r.micros * (r.to - r.from) as i128)
        .sum::<i128>()
        / span;
    oscillation_at(policies, min, max, plan, micros)
}

/// As [`oscillation`], at `micros` matches per 10^6 seconds.
pub fn oscillation_at(
    policies: &[Policy],
    min: i64,
    max: i64,
    plan: &super::plan::Plan,
    micros: i128,
) -> Option<Problem> {
    use super::run::{run, Model, Rate};
    const HOURS: i64 = 6;
    let model = Model {
        duration: HOURS * 3600 * SECOND,
        tick: SECOND,
        patience: plan.patience,
        startup: plan.startup.clone(),
        session: plan.session.clone(),
        arrivals: super::run::Arrivals::Rates(vec![Rate {
            from: 0,
            to: HOURS * 3600 * SECOND,
            micros,
        }]),
        initial_replicas: min.max(1).min(max.max(min)),
        series_every: 60,
    };
    let mut g = GameLift::new(policies.to_vec(), min, max);
    let out = run(&model, &mut g);
    // Changes of desired capacity in the second half, when the demand has long been steady.
    let half = out.series.desired.len() / 2;
    let tail = &out.series.desired[half..];
    let changes: Vec<(i64, i64)> = tail
        .windows(2)
        .filter(|w| w[0] != w[1])
        .map(|w| (w[0], w[1]))
        .collect();
    let reversals = changes
        .windows(2)
        .filter(|c| (c[0].1 - c[0].0).signum() != (c[1].1 - c[1].0).signum())
        .count();
    if reversals < 3 {
        return None;
    }
    // Two rule-based policies must be at it, one adding and one removing capacity; a lone
    // policy that hunts around its target is not two policies undoing each other.
    let fired: Vec<usize> = (0..policies.len()).filter(|i| g.firings[*i] > 1).collect();
    let up = fired.iter().any(|i| scales_up(&policies[*i]));
    let down = fired.iter().any(|i| !scales_up(&policies[*i]));
    if !(up && down) {
        return None;
    }
    let name = |i: usize| {
        policies[i]
            .name
            .clone()
            .map_or(format!("ScalingPolicies[{i}]"), |n| format!("`{n}`"))
    };
    let names: Vec<String> = fired.iter().map(|i| name(*i)).collect();
    let mut seq = vec![changes[0].0.to_string()];
    seq.extend(changes.iter().take(6).map(|c| c.1.to_string()));
    let last = fired.last().copied().unwrap_or(0);
    Some(Problem {
        code: "GLF004",
        path: vec![PathStep::Key("ScalingPolicies".into()), PathStep::Index(last)],
        message: format!(
            "on constant demand ({} matches/s) {} undo each other: capacity goes {}… ({} changes in the last {} hours)",
            micros as f64 / 1e6,
            if names.is_empty() { "the policies".to_string() } else { names.join(" and ") },
            seq.join(" → "),
            changes.len(),
            HOURS / 2
        ),
        help: "leave a gap between the scale-up and scale-down thresholds larger than one instance moves the metric, or use one target-based policy".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn snap(t_min: i64, ready: i64, allocated: i64, desired: i64) -> Snapshot {
        Snapshot {
            t: t_min * 60 * SECOND,
            game_servers: ready + allocated,
            starting: 0,
            ready,
            allocated,
            queue: 0,
            oldest_wait: 0,
            desired,
        }
    }

    fn rule(metric: &str, op: &str, threshold: f64, periods: i64, adj: i64, ty: &str) -> Policy {
        serde_json::from_value(json!({
            "Name": "p", "Status": "ACTIVE", "PolicyType": "RuleBased", "MetricName": metric,
            "ComparisonOperator": op, "Threshold": threshold, "EvaluationPeriods": periods,
            "ScalingAdjustment": adj, "ScalingAdjustmentType": ty
        }))
        .unwrap()
    }

    /// Two policies firing in the same minute are two scale events, one per firing that changed
    /// the desired capacity; a firing that leaves it as it is (clamped at the maximum) is none.
    #[test]
    fn each_firing_that_changes_desired_is_one_scale_event() {
        let up = |adj| {
            rule(
                "AvailableGameSessions",
                "LessThanThreshold",
                6.0,
                1,
                adj,
                "ChangeInCapacity",
            )
        };
        let mut g = GameLift::new(vec![up(2), up(3)], 0, 100);
        assert_eq!(g.decide(&snap(1, 1, 4, 5)), Verdict::Set(10));
        assert_eq!(g.changes(), Some(2));
        let mut g = GameLift::new(vec![up(2), up(3)], 0, 7);
        assert_eq!(g.decide(&snap(1, 1, 4, 5)), Verdict::Set(7));
        assert_eq!(
            g.changes(),
            Some(1),
            "the second firing is clamped at maxSize"
        );
        // Through the run loop: the count reaches the summary.
        let mut g = GameLift::new(vec![up(2), up(3)], 0, 100);
        use crate::scenario::run::{Arrivals, Model, Timing};
        let m = Model {
            duration: 61 * SECOND,
            tick: SECOND,
            patience: 60 * SECOND,
            startup: Timing::Fixed(SECOND),
            session: Timing::Fixed(3600 * SECOND),
            arrivals: Arrivals::Rates(Vec::new()),
            initial_replicas: 5,
            series_every: 1,
        };
        let out = crate::scenario::run::run(&m, &mut g);
        assert_eq!(out.summary.scale_events, 2);
    }

    #[test]
    fn percent_changes_round_toward_zero_but_move_at_least_one() {
        assert_eq!(percent_change(10, 25), 2);
        assert_eq!(percent_change(10, -25), -2);
        assert_eq!(percent_change(3, 10), 1);
        assert_eq!(percent_change(3, -10), -1);
        assert_eq!(percent_change(0, 50), 1);
        assert_eq!(percent_change(10, 0), 0);
    }

    #[test]
    fn the_documented_example_fires_after_ten_minutes_then_cools_down() {
        // "Scale up when AGS<50": AvailableGameSessions < 50 for 10 minutes → +1.
        let p = rule(
            "AvailableGameSessions",
            "LessThanThreshold",
            50.0,
            10,
            1,
            "ChangeInCapacity",
        );
        let mut g = GameLift::new(vec![p], 0, 100);
        assert_eq!(g.decide(&snap(0, 5, 0, 5)), Verdict::Keep);
        let mut desired = 5;
        let mut changes = Vec::new();
        for m in 1..=25 {
            if let Verdict::Set(d) = g.decide(&snap(m, 5, 0, desired)) {
                if d != desired {
                    changes.push((m, d));
                }
                desired = d;
            }
        }
        // Fires at minute 10; counting goes on in the cooldown, so it fires again at 20.
        assert_eq!(changes, [(10, 6), (20, 7)]);
    }

    #[test]
    fn exact_and_target_policies_clamp() {
        let p = rule(
            "QueueDepth",
            "GreaterThanThreshold",
            1.0,
            1,
            500,
            "ExactCapacity",
        );
        let mut g = GameLift::new(vec![p], 1, 20);
        let mut s = snap(1, 0, 3, 3);
        s.queue = 4;
        assert_eq!(g.decide(&s), Verdict::Set(20));
        let t: Policy = serde_json::from_value(json!({"PolicyType": "TargetBased",
            "MetricName": "PercentAvailableGameSessions", "TargetConfiguration": {"TargetValue": 20}}))
        .unwrap();
        let mut g = GameLift::new(vec![t], 0, 100);
        // 8 active sessions at a 20% target: ceil(8 × 100 / 80) = 10.
        assert_eq!(g.decide(&snap(1, 2, 8, 4)), Verdict::Set(10));
    }

    #[test]
    fn opposing_policies_oscillate_on_constant_demand() {
        // Up when fewer than 2 are idle, down when 2 or more are: one instance flips the metric.
        let up = rule(
            "IdleInstances",
            "LessThanThreshold",
            2.0,
            1,
            1,
            "ChangeInCapacity",
        );
        let down = rule(
            "IdleInstances",
            "GreaterThanOrEqualToThreshold",
            2.0,
            1,
            -1,
            "ChangeInCapacity",
        );
        let doc: crate::scenario::spec::Scenario = serde_json::from_value(json!({
            "apiVersion": "agones-lint.dev/v1alpha1", "kind": "Scenario", "metadata": {"name": "s"},
            "spec": {"fleet": "f", "start": "2026-01-01T00:00:00Z", "duration": "1h",
                "gameServer": {"startup": "10s", "session": "5m"}, "patience": "60s",
                "arrivals": [{"from": "0s", "to": "1h", "perSecond": 0.01}]}
        }))
        .unwrap();
        let plan = crate::scenario::plan::plan(&doc, "default").unwrap();
        let p = oscillation(&[up.clone(), down], 0, 50, &plan).expect("an oscillation");
        assert_eq!(p.code, "GLF004");
        assert!(p.message.contains("→"), "{}", p.message);
        // The scale-up policy alone settles.
        assert!(oscillation(&[up], 0, 50, &plan).is_none());
    }

    #[test]
    fn checks_report_paths() {
        let mut bad = rule(
            "AvailableGameSession",
            "LessThan",
            0.0,
            0,
            1,
            "ChangeInCapacity",
        );
        bad.policy_type = None;
        let problems = check(&[bad], 0, 1);
        let codes: Vec<(&str, String)> = problems
            .iter()
            .map(|p| (p.code, format!("{:?}", p.path.last())))
            .collect();
        assert!(
            codes
                .iter()
                .any(|(c, p)| *c == "GLF001" && p.contains("MetricName")),
            "{codes:?}"
        );
        assert!(codes
            .iter()
            .any(|(c, p)| *c == "GLF001" && p.contains("ComparisonOperator")));
        assert!(codes
            .iter()
            .any(|(c, p)| *c == "GLF001" && p.contains("EvaluationPeriods")));
        assert!(problems
            .iter()
            .any(|p| p.message.contains("no `PolicyType`")));
        assert!(problems
            .iter()
            .any(|p| p.help.contains("AvailableGameSessions")));
        let ok = rule(
            "AvailableGameSessions",
            "LessThanThreshold",
            50.0,
            10,
            1,
            "ChangeInCapacity",
        );
        let problems = check(std::slice::from_ref(&ok), 0, 1);
        assert_eq!(
            problems.iter().map(|p| p.code).collect::<Vec<_>>(),
            ["GLF002"]
        );
        assert!(check(&[ok], 0, 100).is_empty());
        let exact = rule(
            "QueueDepth",
            "GreaterThanThreshold",
            5.0,
            1,
            200,
            "ExactCapacity",
        );
        assert_eq!(check(&[exact], 0, 100)[0].code, "GLF003");
    }
}
