//! The autoscaler engine: what the Agones controller computes on a sync, policy by policy,
//! ported from upstream `pkg/fleetautoscalers`. `simulate` (in progress) is built on it; the
//! lint rules use the same schedule and cron semantics.

pub mod buffer;
pub mod capacity;
pub mod cron;
pub mod engine;
pub mod order;
pub mod schedule;
