//! `simulate --scenario`: replay a demand curve through a Fleet's autoscaler over time, beside
//! GameLift's rule-based and target-based policies.

pub mod agones;
pub mod gamelift;
pub mod plan;
pub mod run;
pub mod spec;
