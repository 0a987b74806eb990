//! The Buffer policy: upstream `applyBufferPolicy`.

use crate::model::agones::FleetStatus;
use crate::model::autoscaling::{BufferPolicy, IntOrString};

/// Desired replicas and, when min/max clamped them, which bound and why. Only allocated
/// replicas count (reserved ones do not, whatever the documentation says).
pub fn apply(b: &BufferPolicy, status: &FleetStatus) -> Result<(i32, Option<String>), String> {
    let allocated = i64::from(status.allocated_replicas);
    let mut replicas = match &b.buffer_size {
        IntOrString::Int(n) => allocated + n,
        IntOrString::Str(s) => {
            let pct = percent(s)?;
            // ceil(allocated * 100 / (100 - pct)): the fleet size at which `pct`% is not allocated.
            ((allocated * 100) as f64 / (100 - pct) as f64).ceil() as i64
        }
    };
    let wanted = replicas;
    let mut limited_by = None;
    if replicas < i64::from(b.min_replicas) {
        replicas = i64::from(b.min_replicas);
        limited_by = Some(format!(
            "minReplicas {}: the buffer asks for only {wanted}",
            b.min_replicas
        ));
    }
    if replicas > i64::from(b.max_replicas) {
        replicas = i64::from(b.max_replicas);
        limited_by = Some(format!(
            "maxReplicas {}: the buffer asks for {wanted}",
            b.max_replicas
        ));
    }
    Ok((replicas as i32, limited_by))
}

/// `intstr.GetValueFromIntOrPercent(v, 100, true)` for a string.
pub fn percent(s: &str) -> Result<i64, String> {
    let (body, is_percent) = match s.strip_suffix('%') {
        Some(b) => (b, true),
        None => (s, false),
    };
    let digits = body.strip_prefix(['+', '-']).unwrap_or(body);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "invalid value for IntOrString: invalid value {s:?}: not an integer"
        ));
    }
    if !is_percent {
        return Err(
            "invalid value for IntOrString: invalid type: string is not a percentage".into(),
        );
    }
    body.parse()
        .map_err(|_| format!("invalid value for IntOrString: {s:?} is out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(allocated: i32, ready: i32) -> FleetStatus {
        FleetStatus {
            replicas: allocated + ready,
            ready_replicas: ready,
            allocated_replicas: allocated,
            ..Default::default()
        }
    }

    fn buffer(size: IntOrString, min: i32, max: i32) -> BufferPolicy {
        BufferPolicy {
            buffer_size: size,
            min_replicas: min,
            max_replicas: max,
        }
    }

    /// Whether a bound applied, as upstream's tests state it.
    fn apply(b: &BufferPolicy, status: &FleetStatus) -> Result<(i32, bool), String> {
        super::apply(b, status).map(|(r, by)| (r, by.is_some()))
    }

    #[test]
    fn the_bound_that_applied_is_named() {
        let by = |min, max| {
            super::apply(&buffer(IntOrString::Int(20), min, max), &status(40, 10))
                .unwrap()
                .1
        };
        assert_eq!(
            by(0, 55).as_deref(),
            Some("maxReplicas 55: the buffer asks for 60")
        );
        assert_eq!(
            by(65, 100).as_deref(),
            Some("minReplicas 65: the buffer asks for only 60")
        );
        assert_eq!(by(0, 100), None);
    }

    /// The cases of upstream `TestApplyBufferPolicy`.
    #[test]
    fn upstream_cases() {
        let int = IntOrString::Int;
        let s = |v: &str| IntOrString::Str(v.into());
        assert_eq!(
            apply(&buffer(int(20), 0, 100), &status(40, 10)),
            Ok((60, false)),
            "increase replicas"
        );
        assert_eq!(
            apply(&buffer(int(20), 65, 100), &status(40, 10)),
            Ok((65, true)),
            "min replicas, limited"
        );
        assert_eq!(
            apply(&buffer(int(20), 0, 55), &status(40, 10)),
            Ok((55, true)),
            "max replicas, limited"
        );
        assert_eq!(
            apply(&buffer(s("20%"), 0, 100), &status(50, 0)),
            Ok((63, false)),
            "percent"
        );
        assert_eq!(
            apply(&buffer(s("10%"), 0, 10), &status(1, 0)),
            Ok((2, false)),
            "percent rounds up"
        );
        assert!(
            apply(&buffer(s("asd"), 0, 10), &status(1, 0)).is_err(),
            "invalid percent"
        );
    }

    #[test]
    fn reserved_replicas_do_not_count() {
        let st = FleetStatus {
            replicas: 10,
            ready_replicas: 2,
            reserved_replicas: 5,
            allocated_replicas: 3,
            ..Default::default()
        };
        assert_eq!(
            apply(&buffer(IntOrString::Int(2), 0, 100), &st),
            Ok((5, false))
        );
    }
}
