//! Scenario rules: the values `simulate --scenario` needs (SCN001) and GameLift policies given
//! inline (GLF*). Policies in a `policiesFile` are checked by `simulate --scenario`, which
//! reads the file and points into it.

use crate::scenario::gamelift::{self, PathStep, Policy};
use crate::scenario::plan;
use crate::scenario::spec::Scenario;
use crate::source::tree::Step;

use super::rules::{self, Rule};
use super::{Context, Raw};

pub fn check(s: &Scenario, ctx: &Context, out: &mut Vec<Raw>) {
    let planned = plan::plan(s, &ctx.default_namespace);
    if let Err(issues) = &planned {
        out.extend(issues.iter().map(|i| {
            Raw::new(&rules::SCN001, i.path.clone(), i.message.clone()).help(i.help.clone())
        }));
    }
    let Some(g) = &s.spec.gamelift else { return };
    let base = vec![Step::Key("spec".into()), Step::Key("gamelift".into())];
    let at = |k: &str| {
        let mut p = base.clone();
        p.push(Step::Key(k.into()));
        p
    };
    if g.min_size > g.max_size {
        out.push(
            Raw::new(
                &rules::SCN001,
                at("minSize"),
                format!("minSize {} is above maxSize {}", g.min_size, g.max_size),
            )
            .help("GameLift needs minSize ≤ maxSize"),
        );
    }
    match (&g.policies, &g.policies_file) {
        (Some(_), Some(_)) => out.push(
            Raw::new(&rules::SCN001, at("policiesFile"), "both `policies` and `policiesFile` are set")
                .help("keep one of them"),
        ),
        (None, None) => out.push(
            Raw::new(&rules::SCN001, base.clone(), "the GameLift comparison has no policies")
                .help("set `policiesFile` (what `aws gamelift describe-scaling-policies` prints) or `policies`"),
        ),
        _ => {}
    }
    let Some(list) = &g.policies else { return };
    let mut policies = Vec::new();
    for (i, v) in list.iter().enumerate() {
        match serde_json::from_value::<Policy>(v.clone()) {
            Ok(p) => policies.push(p),
            Err(e) => {
                let mut p = at("policies");
                p.push(Step::Index(i));
                out.push(
                    Raw::new(&rules::GLF001, p, format!("this is not a scaling policy: {e}"))
                        .help("write the policy as the AWS CLI prints it: PolicyType, MetricName, ComparisonOperator, Threshold, ..."),
                );
                return;
            }
        }
    }
    for p in gamelift::review(&policies, g.min_size, g.max_size, planned.as_ref().ok()) {
        out.push(located(&p, &at("policies")));
    }
}

/// A GameLift problem's path (`ScalingPolicies[i].X`) under `prefix` (`spec.gamelift.policies`).
pub fn located(p: &gamelift::Problem, prefix: &[Step]) -> Raw {
    let mut path = prefix.to_vec();
    for step in p.path.iter().skip(1) {
        path.push(match step {
            PathStep::Key(k) => Step::Key(k.as_str().into()),
            PathStep::Index(i) => Step::Index(*i),
        });
    }
    Raw::new(rule(p.code), path, p.message.clone()).help(p.help.clone())
}

pub fn rule(code: &str) -> &'static Rule {
    match code {
        "GLF002" => &rules::GLF002,
        "GLF003" => &rules::GLF003,
        "GLF004" => &rules::GLF004,
        "GLF005" => &rules::GLF005,
        _ => &rules::GLF001,
    }
}
