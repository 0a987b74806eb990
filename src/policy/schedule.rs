//! When a Schedule policy is active: upstream `isScheduleActive`, step for step.
//!
//! Active iff `now` is inside `between` and, with a cron, the next fire after `now - duration`
//! (in the schedule's zone) started less than `duration` ago, with a 90 second tolerance before
//! each fire. An empty duration is 290 years (Go's largest), so an empty-duration schedule is
//! active from its first fire on.

use crate::golang::duration::{self, Nanos};
use crate::golang::time::{parse_rfc3339, Instant, Zone};
use crate::model::autoscaling::SchedulePolicy;

use super::cron;

/// `maxDuration` in upstream: 2540400h.
pub const MAX_DURATION: Nanos = 2_540_400 * duration::HOUR;
/// The tolerance before each cron fire (upstream's `cronDelta`).
pub const CRON_DELTA: Nanos = -90 * duration::SECOND;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Activity {
    Active {
        since: Option<Instant>,
    },
    BeforeStart {
        start: Instant,
    },
    AfterEnd {
        end: Instant,
    },
    /// Inside `between`, but not in an active period of the cron.
    BetweenPeriods {
        next_fire: Option<Instant>,
    },
}

impl Activity {
    pub fn is_active(&self) -> bool {
        matches!(self, Activity::Active { .. })
    }
}

/// Errors that upstream would hit as a panic or a failed decode; the linter reports them first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleError(pub String);

/// `metav1.Time` fields: unparseable means the zero time, as a failed decode would leave it.
fn time_field(v: &Option<String>) -> Option<Instant> {
    v.as_deref().and_then(|s| parse_rfc3339(s).ok())
}

pub fn activity(s: &SchedulePolicy, now: Instant) -> Result<Activity, ScheduleError> {
    if let Some(start) = time_field(&s.between.start) {
        if now < start {
            return Ok(Activity::BeforeStart { start });
        }
    }
    if let Some(end) = time_field(&s.between.end) {
        if now > end {
            return Ok(Activity::AfterEnd { end });
        }
    }
    let ap = &s.active_period;
    if ap.start_cron.is_empty() {
        return Ok(Activity::Active { since: None });
    }
    let zone = Zone::load(&ap.timezone).map_err(ScheduleError)?;
    let schedule = cron::parse_standard(&ap.start_cron).map_err(ScheduleError)?;
    let dur = if ap.duration.is_empty() {
        MAX_DURATION
    } else {
        duration::parse(&ap.duration).unwrap_or(0)
    };
    let from = now.add_nanos(-dur);
    // A cron that never fires gives Go's zero time, year 1.
    let zero_time = Instant::from_secs(-62_135_596_800);
    let cron_start = schedule.next(from, zone).unwrap_or(zero_time);
    let cron_end = cron_start.add_nanos(dur);
    if now > cron_start.add_nanos(CRON_DELTA) && now < cron_end {
        return Ok(Activity::Active {
            since: Some(cron_start),
        });
    }
    let next_fire = if cron_start > now {
        Some(cron_start)
    } else {
        schedule.next(now, zone)
    };
    Ok(Activity::BetweenPeriods { next_fire })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::autoscaling::{ActivePeriod, Between};

    fn sched(start: &str, end: &str, tz: &str, cron: &str, dur: &str) -> SchedulePolicy {
        let opt = |s: &str| {
            if s.is_empty() {
                None
            } else {
                Some(s.to_string())
            }
        };
        SchedulePolicy {
            between: Between {
                start: opt(start),
                end: opt(end),
            },
            active_period: ActivePeriod {
                timezone: tz.into(),
                start_cron: cron.into(),
                duration: dur.into(),
            },
            policy: Default::default(),
        }
    }

    fn active(s: &SchedulePolicy, now: &str) -> bool {
        activity(s, parse_rfc3339(now).unwrap())
            .unwrap()
            .is_active()
    }

    /// The cases of upstream `TestApplySchedulePolicy`.
    #[test]
    fn upstream_cases() {
        assert!(
            active(
                &sched("", "2021-01-01T00:00:00Z", "UTC", "* * * * *", "48h"),
                "2020-12-26T08:30:00Z"
            ),
            "no start time"
        );
        assert!(
            active(
                &sched("2021-01-01T00:00:00Z", "", "UTC", "* * * * *", "1h"),
                "2021-01-02T00:00:00Z"
            ),
            "no end time"
        );
        assert!(
            active(
                &sched(
                    "2021-01-01T00:00:00Z",
                    "2021-01-01T01:00:00Z",
                    "UTC",
                    "",
                    "1h"
                ),
                "2021-01-01T00:30:00Z"
            ),
            "no cron time"
        );
        assert!(
            active(
                &sched(
                    "2021-01-01T00:00:00Z",
                    "2021-01-01T01:00:00Z",
                    "UTC",
                    "* * * * *",
                    ""
                ),
                "2021-01-01T00:30:00Z"
            ),
            "no duration"
        );
        assert!(
            active(&sched("", "", "", "", ""), "2021-01-01T00:00:00Z"),
            "nothing set"
        );
        assert!(
            active(
                &sched(
                    "2021-03-13T00:00:00Z",
                    "2021-03-15T00:00:00Z",
                    "UTC",
                    "* 2 * * *",
                    "1h"
                ),
                "2021-03-14T02:00:00Z"
            ),
            "daylight saving time start"
        );
        assert!(
            active(
                &sched(
                    "2021-11-07T00:00:00Z",
                    "2021-11-08T00:00:00Z",
                    "UTC",
                    "0 2 * * *",
                    "1h"
                ),
                "2021-11-07T01:59:59Z"
            ),
            "daylight saving time end"
        );
        // Upstream writes hour 24, which Go cannot parse: the start is the zero time.
        assert!(
            active(
                &sched(
                    "2020-12-31T24:59:59Z",
                    "2021-01-02T00:00:00Z",
                    "UTC",
                    "* 0 * * *",
                    "1h"
                ),
                "2021-01-01T00:00:00Z"
            ),
            "new year"
        );
        assert!(
            !active(
                &sched(
                    "2022-12-31T24:59:59Z",
                    "2023-03-02T00:00:00Z",
                    "UTC",
                    "* 0 * 3 *",
                    ""
                ),
                "2023-12-12T03:49:00Z"
            ),
            "inactive schedule"
        );
    }

    #[test]
    fn tolerance_and_period_edges() {
        let s = sched("", "", "UTC", "0 14 * * *", "1h");
        assert!(!active(&s, "2024-08-01T13:58:29Z"));
        assert!(
            active(&s, "2024-08-01T13:58:31Z"),
            "90 s before the fire counts"
        );
        assert!(active(&s, "2024-08-01T14:59:59Z"));
        assert!(!active(&s, "2024-08-01T15:00:00Z"));
        let next = activity(&s, parse_rfc3339("2024-08-01T16:00:00Z").unwrap()).unwrap();
        assert_eq!(
            next,
            Activity::BetweenPeriods {
                next_fire: Some(parse_rfc3339("2024-08-02T14:00:00Z").unwrap())
            }
        );
    }

    #[test]
    fn zero_and_negative_durations() {
        // Zero: only the 90 s before each fire.
        let s = sched("", "", "UTC", "0 14 * * *", "0s");
        assert!(active(&s, "2024-08-01T13:59:00Z"));
        assert!(!active(&s, "2024-08-01T14:00:30Z"));
        // Negative: never.
        let s = sched("", "", "UTC", "0 14 * * *", "-1h");
        for t in [
            "2024-08-01T13:59:00Z",
            "2024-08-01T14:00:30Z",
            "2024-08-01T14:30:00Z",
        ] {
            assert!(!active(&s, t), "{t}");
        }
    }

    #[test]
    fn empty_duration_is_active_after_the_first_fire_and_never_for_a_cron_that_never_fires() {
        assert!(active(
            &sched("", "", "UTC", "0 0 1 1 *", ""),
            "2024-08-01T13:59:00Z"
        ));
        assert!(!active(
            &sched("", "", "UTC", "0 0 31 2 *", ""),
            "2024-08-01T13:59:00Z"
        ));
    }
}
