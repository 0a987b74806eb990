//! robfig/cron v3 as Agones uses it: `ParseStandard` (five fields or a descriptor) and
//! `Schedule.Next`, step for step, so that "when does this schedule fire" has the controller's
//! answer, including its five-year search limit and its daylight-saving corrections.

use crate::golang::duration;
use crate::golang::time::{Instant, Zone};

const STAR_BIT: u64 = 1 << 63;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schedule {
    Spec(Spec),
    /// `@every <duration>`, in whole seconds (at least one).
    Every(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub second: u64,
    pub minute: u64,
    pub hour: u64,
    pub dom: u64,
    pub month: u64,
    pub dow: u64,
}

struct Bounds {
    min: u32,
    max: u32,
    names: &'static [(&'static str, u32)],
}

const MINUTES: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
const HOURS: Bounds = Bounds {
    min: 0,
    max: 23,
    names: &[],
};
const DOM: Bounds = Bounds {
    min: 1,
    max: 31,
    names: &[],
};
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ],
};
const DOW: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &[
        ("sun", 0),
        ("mon", 1),
        ("tue", 2),
        ("wed", 3),
        ("thu", 4),
        ("fri", 5),
        ("sat", 6),
    ],
};

fn bits(min: u32, max: u32, step: u32) -> u64 {
    if step == 1 {
        return !(u64::MAX << (max + 1)) & (u64::MAX << min);
    }
    let mut b = 0;
    let mut i = min;
    while i <= max {
        b |= 1 << i;
        i += step;
    }
    b
}

fn all(r: &Bounds) -> u64 {
    bits(r.min, r.max, 1) | STAR_BIT
}

fn parse_uint(expr: &str) -> Result<u32, String> {
    // strconv.Atoi: optional sign, decimal digits.
    let n: i64 = expr
        .parse()
        .map_err(|_| format!("`{expr}` is not a number"))?;
    if expr.starts_with('+') && expr.len() == 1 {
        return Err(format!("`{expr}` is not a number"));
    }
    if n < 0 {
        return Err(format!("negative number `{expr}` is not allowed"));
    }
    u32::try_from(n).map_err(|_| format!("`{expr}` is too large"))
}

fn parse_int_or_name(expr: &str, r: &Bounds) -> Result<u32, String> {
    let lower = expr.to_ascii_lowercase();
    if let Some((_, v)) = r.names.iter().find(|(n, _)| *n == lower) {
        return Ok(*v);
    }
    parse_uint(expr)
}

fn get_range(expr: &str, r: &Bounds) -> Result<u64, String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_and_high.len() == 1;
    let (start, mut end, mut extra);
    if low_and_high[0] == "*" || low_and_high[0] == "?" {
        start = r.min;
        end = r.max;
        extra = STAR_BIT;
    } else {
        start = parse_int_or_name(low_and_high[0], r)?;
        end = match low_and_high.len() {
            1 => start,
            2 => parse_int_or_name(low_and_high[1], r)?,
            _ => return Err(format!("`{expr}` has too many hyphens")),
        };
        extra = 0;
    }
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = parse_uint(range_and_step[1])?;
            if single {
                end = r.max;
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
        _ => return Err(format!("`{expr}` has too many slashes")),
    };
    if start < r.min {
        return Err(format!("`{expr}` starts below the minimum {}", r.min));
    }
    if end > r.max {
        return Err(format!("`{expr}` ends above the maximum {}", r.max));
    }
    if start > end {
        return Err(format!("`{expr}` starts after it ends"));
    }
    if step == 0 {
        return Err(format!("`{expr}` has a step of 0"));
    }
    Ok(bits(start, end, step) | extra)
}

fn get_field(field: &str, r: &Bounds) -> Result<u64, String> {
    let mut b = 0;
    for expr in field.split(',').filter(|e| !e.is_empty()) {
        b |= get_range(expr, r)?;
    }
    Ok(b)
}

/// `cron.ParseStandard`. A `TZ=`/`CRON_TZ=` prefix parses here (as in robfig) but Agones rejects
/// it separately; the zone it names is ignored because Agones always supplies its own.
pub fn parse_standard(spec: &str) -> Result<Schedule, String> {
    if spec.is_empty() {
        return Err("the expression is empty".into());
    }
    let mut spec = spec;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        let eq = spec.find('=').unwrap_or(0);
        let Some(sp) = spec.find(' ') else {
            return Err("a TZ= prefix needs a space before the schedule".into());
        };
        Zone::load(&spec[eq + 1..sp]).map_err(|e| format!("bad location: {e}"))?;
        spec = spec[sp..].trim();
    }
    if spec.starts_with('@') {
        return parse_descriptor(spec);
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields (minute hour day-of-month month day-of-week), found {}",
            fields.len()
        ));
    }
    Ok(Schedule::Spec(Spec {
        second: 1,
        minute: get_field(fields[0], &MINUTES).map_err(|e| format!("minute field: {e}"))?,
        hour: get_field(fields[1], &HOURS).map_err(|e| format!("hour field: {e}"))?,
        dom: get_field(fields[2], &DOM).map_err(|e| format!("day-of-month field: {e}"))?,
        month: get_field(fields[3], &MONTHS).map_err(|e| format!("month field: {e}"))?,
        dow: get_field(fields[4], &DOW).map_err(|e| format!("day-of-week field: {e}"))?,
    }))
}

fn parse_descriptor(d: &str) -> Result<Schedule, String> {
    let spec = |dom: u64, month: u64, dow: u64, hour: u64| Spec {
        second: 1,
        minute: 1,
        hour,
        dom,
        month,
        dow,
    };
    let s = match d {
        "@yearly" | "@annually" => spec(1 << DOM.min, 1 << MONTHS.min, all(&DOW), 1),
        "@monthly" => spec(1 << DOM.min, all(&MONTHS), all(&DOW), 1),
        "@weekly" => spec(all(&DOM), all(&MONTHS), 1 << DOW.min, 1),
        "@daily" | "@midnight" => spec(all(&DOM), all(&MONTHS), all(&DOW), 1),
        "@hourly" => spec(all(&DOM), all(&MONTHS), all(&DOW), all(&HOURS)),
        _ => {
            if let Some(rest) = d.strip_prefix("@every ") {
                let n = duration::parse(rest).map_err(|e| format!("@every: {}", e.0))?;
                let secs = (n / duration::SECOND).max(1);
                return Ok(Schedule::Every(secs));
            }
            return Err(format!("`{d}` is not a known descriptor (@yearly, @monthly, @weekly, @daily, @hourly, @every <duration>)"));
        }
    };
    Ok(Schedule::Spec(s))
}

fn has(bits: u64, v: u32) -> bool {
    bits & (1 << v) != 0
}

impl Schedule {
    /// The first activation strictly after `t`, in `zone`; None when robfig gives up (it searches
    /// five years ahead and returns the zero time).
    pub fn next(&self, t: Instant, zone: Zone) -> Option<Instant> {
        match self {
            Schedule::Every(secs) => Some(Instant::from_secs(t.secs.checked_add(*secs)?)),
            Schedule::Spec(s) => s.next(t, zone),
        }
    }
}

impl Spec {
    fn day_matches(&self, c: &crate::golang::time::Civil) -> bool {
        let dom = has(self.dom, c.day);
        let dow = has(self.dow, c.weekday);
        if self.dom & STAR_BIT != 0 || self.dow & STAR_BIT != 0 {
            dom && dow
        } else {
            dom || dow
        }
    }

    fn next(&self, t: Instant, zone: Zone) -> Option<Instant> {
        // Start at the next whole second.
        let mut u = t.secs.checked_add(1)?;
        let mut added = false;
        let year_limit = zone.civil(u).year + 5;
        'wrap: loop {
            let c = zone.civil(u);
            if c.year > year_limit {
                return None;
            }
            let mut c = c;
            while !has(self.month, c.month) {
                if !added {
                    added = true;
                    u = zone.date(c.year, i64::from(c.month), 1, 0, 0, 0);
                    c = zone.civil(u);
                }
                u = zone.date(
                    c.year,
                    i64::from(c.month) + 1,
                    i64::from(c.day),
                    i64::from(c.hour),
                    i64::from(c.minute),
                    i64::from(c.second),
                );
                c = zone.civil(u);
                if c.month == 1 {
                    continue 'wrap;
                }
            }
            while !self.day_matches(&c) {
                if !added {
                    added = true;
                    u = zone.date(c.year, i64::from(c.month), i64::from(c.day), 0, 0, 0);
                    c = zone.civil(u);
                }
                u = zone.date(
                    c.year,
                    i64::from(c.month),
                    i64::from(c.day) + 1,
                    i64::from(c.hour),
                    i64::from(c.minute),
                    i64::from(c.second),
                );
                c = zone.civil(u);
                // Daylight saving can move midnight; robfig pulls it back to the day's start.
                if c.hour != 0 {
                    if c.hour > 12 {
                        u += i64::from(24 - c.hour) * 3600;
                    } else {
                        u -= i64::from(c.hour) * 3600;
                    }
                    c = zone.civil(u);
                }
                if c.day == 1 {
                    continue 'wrap;
                }
            }
            while !has(self.hour, c.hour) {
                if !added {
                    added = true;
                    u = zone.date(
                        c.year,
                        i64::from(c.month),
                        i64::from(c.day),
                        i64::from(c.hour),
                        0,
                        0,
                    );
                }
                u += 3600;
                c = zone.civil(u);
                if c.hour == 0 {
                    continue 'wrap;
                }
            }
            while !has(self.minute, c.minute) {
                if !added {
                    added = true;
                    u -= u.rem_euclid(60);
                }
                u += 60;
                c = zone.civil(u);
                if c.minute == 0 {
                    continue 'wrap;
                }
            }
            while !has(self.second, c.second) {
                if !added {
                    added = true;
                }
                u += 1;
                c = zone.civil(u);
                if c.second == 0 {
                    continue 'wrap;
                }
            }
            return Some(Instant::from_secs(u));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golang::time::parse_rfc3339;

    fn next(expr: &str, from: &str, zone: &str) -> Option<String> {
        let s = parse_standard(expr).unwrap();
        s.next(parse_rfc3339(from).unwrap(), Zone::load(zone).unwrap())
            .map(|i| i.to_rfc3339())
    }

    #[test]
    fn parses_like_robfig() {
        for ok in [
            "* * * * *",
            "0 0 * * 1-5",
            "*/15 9-17 * JAN-mar mon,FRI",
            "0 0 31 2 *",
            "@daily",
            "@every 90m",
            "@every 1h30m",
            "5/10 * * * *",
            "? * * * ?",
            "1,,2 * * * *",
            "TZ=UTC 0 0 * * *",
        ] {
            assert!(parse_standard(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "* * * *",
            "* * * * * *",
            "60 * * * *",
            "* 24 * * *",
            "* * 0 * *",
            "* * * 13 *",
            "* * * * 7",
            "5-1 * * * *",
            "*/0 * * * *",
            "1-2-3 * * * *",
            "1/2/3 * * * *",
            "@often",
            "@every 5",
            "@every -",
            " @daily",
            "TZ=Mars/Base * * * * *",
            "-1 * * * *",
            "a * * * *",
        ] {
            assert!(parse_standard(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn next_fire_times() {
        assert_eq!(
            next("0 14 * * *", "2024-08-01T14:30:00Z", "UTC").as_deref(),
            Some("2024-08-02T14:00:00Z")
        );
        assert_eq!(
            next("*/15 * * * *", "2024-08-01T14:30:00Z", "UTC").as_deref(),
            Some("2024-08-01T14:45:00Z")
        );
        assert_eq!(
            next("0 0 29 2 *", "2025-03-01T00:00:00Z", "UTC").as_deref(),
            Some("2028-02-29T00:00:00Z")
        );
        assert_eq!(next("0 0 31 2 *", "2025-03-01T00:00:00Z", "UTC"), None);
        // Both day fields restricted: either may match (the 13th, or a Friday).
        assert_eq!(
            next("0 0 13 * 5", "2024-09-01T00:00:00Z", "UTC").as_deref(),
            Some("2024-09-06T00:00:00Z")
        );
        assert_eq!(
            next("0 9 * * *", "2024-08-01T00:00:00Z", "America/New_York").as_deref(),
            Some("2024-08-01T13:00:00Z")
        );
        assert_eq!(
            next("@every 90m", "2024-08-01T00:00:00Z", "UTC").as_deref(),
            Some("2024-08-01T01:30:00Z")
        );
    }

    #[test]
    fn next_across_dst() {
        // 02:30 does not exist on 2024-03-10 in New York; robfig skips to the next day.
        assert_eq!(
            next("30 2 * * *", "2024-03-09T12:00:00Z", "America/New_York").as_deref(),
            Some("2024-03-11T06:30:00Z")
        );
        // The day after the change, 09:00 is EDT (13:00 UTC).
        assert_eq!(
            next("0 9 * * *", "2024-03-10T12:00:00Z", "America/New_York").as_deref(),
            Some("2024-03-10T13:00:00Z")
        );
    }

    /// robfig walks hours by adding 60 minutes; when Lord Howe falls back by 30 minutes that walk
    /// lands on half hours and skips 00:00..00:29 on the next day. The controller behaves the
    /// same, so the port must too.
    #[test]
    fn robfig_skips_minutes_in_half_hour_dst_zones() {
        // 2025-04-06 00:59 LHDT is 2025-04-05T13:59:00Z.
        assert_eq!(
            next("* 0 * * *", "2025-04-05T13:59:00Z", "Australia/Lord_Howe").as_deref(),
            Some("2025-04-06T14:00:00Z")
        );
    }
}
