//! The Agones side of a scenario: at every sync the FleetAutoscaler runs through the same
//! engine as `simulate` (one engine, never a second copy), with the Fleet status of that tick.

use crate::external::{FasState, Runtime};
use crate::golang::time::Instant;
use crate::model::agones::{Fleet, FleetStatus};
use crate::model::autoscaling::FleetAutoscaler;
use crate::model::gates::FeatureGates;
use crate::policy::engine::{simulate_with_state, Decision, Env};

use super::run::{Scaler, Snapshot, Verdict, SECOND};

pub struct Autoscaler<'a> {
    fas: &'a FleetAutoscaler,
    fleet: Fleet,
    gates: &'a FeatureGates,
    runtime: &'a Runtime,
    start: Instant,
    /// Sync interval in nanoseconds.
    sync: i64,
    /// Kept across syncs, as the controller keeps it: a Wasm plugin keeps its memory.
    state: FasState,
    /// The first failed sync's decision, for the report.
    pub first_failure: Option<(f64, Decision)>,
    /// The bound that limited the last sync.
    last_limited_by: Option<String>,
}

/// The sync interval Agones uses: `sync.fixedInterval.seconds`, 30 when absent or 0.
pub fn sync_seconds(fas: &FleetAutoscaler) -> i64 {
    fas.spec
        .as_ref()
        .and_then(|s| s.sync.as_ref())
        .and_then(|s| s.fixed_interval.as_ref())
        .map(|f| i64::from(f.seconds))
        .filter(|s| *s > 0)
        .unwrap_or(30)
}

impl<'a> Autoscaler<'a> {
    pub fn new(
        fas: &'a FleetAutoscaler,
        fleet: &Fleet,
        gates: &'a FeatureGates,
        runtime: &'a Runtime,
        start: Instant,
    ) -> Autoscaler<'a> {
        Autoscaler {
            fas,
            fleet: fleet.clone(),
            gates,
            runtime,
            start,
            sync: sync_seconds(fas) * SECOND,
            state: FasState::default(),
            first_failure: None,
            last_limited_by: None,
        }
    }
}

impl Scaler for Autoscaler<'_> {
    fn decide(&mut self, s: &Snapshot) -> Verdict {
        if s.t % self.sync != 0 {
            return Verdict::Keep;
        }
        self.fleet.spec.replicas = Some(s.desired as i32);
        self.fleet.status = Some(FleetStatus {
            replicas: s.game_servers as i32,
            ready_replicas: s.ready as i32,
            reserved_replicas: 0,
            allocated_replicas: s.allocated as i32,
            ..self.fleet.status.take().unwrap_or_default()
        });
        let env = Env::new(self.gates, self.start.add_nanos(s.t), &[]).with_runtime(self.runtime);
        let d = simulate_with_state(self.fas, &self.fleet, &env, &mut self.state);
        self.last_limited_by = d.limited_by.clone();
        match d.desired_replicas {
            Some(r) => Verdict::Set(i64::from(r)),
            None => {
                if self.first_failure.is_none() {
                    self.first_failure = Some((s.t as f64 / SECOND as f64, d));
                }
                Verdict::Failed
            }
        }
    }

    fn limited_by(&self) -> Option<&str> {
        self.last_limited_by.as_deref()
    }
}
