//! Go's `time` package as Agones uses it: RFC 3339 parsing (`metav1.Time`), `LoadLocation`, and
//! `time.Date` normalisation in a zone (needed to follow robfig/cron exactly across DST).

use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveDateTime, Offset, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

/// A time zone as Go's `LoadLocation` returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Utc,
    /// `Local`: the controller's own zone. Agones runs in containers without a local zone
    /// configured, so this is UTC in practice.
    Local,
    Iana(Tz),
}

impl Zone {
    /// `time.LoadLocation`: "" and "UTC" are UTC, "Local" is the process zone, anything else is
    /// looked up in the IANA database (case-sensitive, as on Linux).
    pub fn load(name: &str) -> Result<Zone, String> {
        match name {
            "" | "UTC" => Ok(Zone::Utc),
            "Local" => Ok(Zone::Local),
            _ => {
                if name.contains("..") || name.starts_with('/') || name.starts_with('\\') {
                    return Err(format!("`{name}` is not a time zone name"));
                }
                Tz::from_str(name).map(Zone::Iana).map_err(|_| format!("`{name}` is not an IANA time zone (examples: UTC, Europe/Berlin, America/New_York)"))
            }
        }
    }

    /// Seconds east of UTC at the instant `unix`.
    pub fn offset_at(self, unix: i64) -> i64 {
        match self {
            Zone::Utc | Zone::Local => 0,
            Zone::Iana(tz) => match DateTime::<Utc>::from_timestamp(unix, 0) {
                Some(utc) => i64::from(
                    tz.offset_from_utc_datetime(&utc.naive_utc())
                        .fix()
                        .local_minus_utc(),
                ),
                None => 0,
            },
        }
    }

    /// The wall clock at `unix` in this zone.
    pub fn civil(self, unix: i64) -> Civil {
        let local = unix + self.offset_at(unix);
        let dt = DateTime::<Utc>::from_timestamp(local, 0)
            .map(|d| d.naive_utc())
            .unwrap_or_default();
        Civil::from_naive(&dt)
    }

    /// Go's `time.Date(y, m, d, h, mi, s, 0, loc)`: fields may overflow and are normalised; in a
    /// DST gap or overlap Go picks the offset the same way this does.
    pub fn date(self, year: i64, month: i64, day: i64, hour: i64, min: i64, sec: i64) -> i64 {
        let m0 = month - 1;
        let year = year + m0.div_euclid(12);
        let month = m0.rem_euclid(12) + 1;
        let days = days_from_civil(year, month, 1) + (day - 1);
        let unix = days * 86_400 + hour * 3600 + min * 60 + sec;
        let offset = self.offset_at(unix);
        if offset == 0 {
            return unix;
        }
        let utc = unix - offset;
        let offset2 = self.offset_at(utc);
        unix - if offset2 == offset { offset } else { offset2 }
    }

    pub fn name(self) -> String {
        match self {
            Zone::Utc => "UTC".into(),
            Zone::Local => "Local".into(),
            Zone::Iana(tz) => tz.name().into(),
        }
    }
}

/// A broken-down wall-clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// 0 = Sunday, as Go's `time.Weekday`.
    pub weekday: u32,
}

impl Civil {
    fn from_naive(dt: &NaiveDateTime) -> Civil {
        Civil {
            year: i64::from(dt.year()),
            month: dt.month(),
            day: dt.day(),
            hour: dt.hour(),
            minute: dt.minute(),
            second: dt.second(),
            weekday: dt.weekday().num_days_from_sunday(),
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// An instant with nanoseconds, as Unix time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    pub secs: i64,
    pub nanos: u32,
}

impl Instant {
    pub fn from_secs(secs: i64) -> Instant {
        Instant { secs, nanos: 0 }
    }

    pub fn add_nanos(self, n: i64) -> Instant {
        let total = i128::from(self.secs) * 1_000_000_000 + i128::from(self.nanos) + i128::from(n);
        let secs = total.div_euclid(1_000_000_000);
        Instant {
            secs: secs.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64,
            nanos: total.rem_euclid(1_000_000_000) as u32,
        }
    }

    pub fn nanos_since(self, earlier: Instant) -> i128 {
        (i128::from(self.secs) - i128::from(earlier.secs)) * 1_000_000_000 + i128::from(self.nanos)
            - i128::from(earlier.nanos)
    }

    pub fn to_rfc3339(self) -> String {
        match DateTime::<Utc>::from_timestamp(self.secs, self.nanos) {
            Some(dt) => dt.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            None => format!("@{}", self.secs),
        }
    }

    pub fn now() -> Instant {
        let now = Utc::now();
        Instant {
            secs: now.timestamp(),
            nanos: now.timestamp_subsec_nanos(),
        }
    }
}

/// Go's `time.Parse(time.RFC3339, s)`: `2006-01-02T15:04:05Z07:00`, with optional fractional
/// seconds, `Z` or a `±hh:mm` offset. Go is stricter than most RFC 3339 parsers: the `T` and
/// `Z` must be upper case and every field has its exact width.
pub fn parse_rfc3339(s: &str) -> Result<Instant, String> {
    let err = || format!("`{s}` is not an RFC 3339 time (example: 2026-12-04T18:00:00Z)");
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let (year, month, day) = (
        num(0, 4).ok_or_else(err)?,
        num(5, 2).ok_or_else(err)?,
        num(8, 2).ok_or_else(err)?,
    );
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || b.get(10) != Some(&b'T') {
        return Err(err());
    }
    // Go's strict RFC 3339 fast path wants two hour digits, but `time.Parse` then falls back to
    // the general layout parser, which reads the hour ("15") with one or two digits.
    let h = if b.get(12) == Some(&b':') { 1 } else { 2 };
    let (hour, min, sec) = (
        num(11, h).ok_or_else(err)?,
        num(12 + h, 2).ok_or_else(err)?,
        num(15 + h, 2).ok_or_else(err)?,
    );
    if b.get(11 + h) != Some(&b':') || b.get(14 + h) != Some(&b':') {
        return Err(err());
    }
    if !(1..=12).contains(&month) || hour > 23 || min > 59 || sec > 59 {
        return Err(format!("`{s}` has a field out of range"));
    }
    let days_in_month = days_from_civil(
        year + i64::from(month == 12),
        if month == 12 { 1 } else { month + 1 },
        1,
    ) - days_from_civil(year, month, 1);
    if day < 1 || day > days_in_month {
        return Err(format!("`{s}` has a day out of range"));
    }
    let mut i = 17 + h;
    let mut nanos: u32 = 0;
    if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(err());
        }
        let digits = &s[start..i.min(start + 9)];
        nanos = format!("{digits:0<9}").parse().map_err(|_| err())?;
    }
    let offset = match &b[i..] {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2]
            if [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()) =>
        {
            let h = i64::from((h1 - b'0') * 10 + (h2 - b'0'));
            let m = i64::from((m1 - b'0') * 10 + (m2 - b'0'));
            if h > 23 || m > 59 {
                return Err(format!("`{s}` has an offset out of range"));
            }
            let o = h * 3600 + m * 60;
            if *sign == b'-' {
                -o
            } else {
                o
            }
        }
        _ => return Err(err()),
    };
    let secs = days_from_civil(year, month, day) * 86_400 + hour * 3600 + min * 60 + sec - offset;
    Ok(Instant { secs, nanos })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_like_go() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z").unwrap().secs, 0);
        assert_eq!(
            parse_rfc3339("2024-07-01T15:59:59Z").unwrap().secs,
            1_719_849_599
        );
        assert_eq!(parse_rfc3339("1970-01-01T01:00:00+01:00").unwrap().secs, 0);
        assert_eq!(
            parse_rfc3339("1970-01-01T00:00:00.5Z").unwrap().nanos,
            500_000_000
        );
        for bad in [
            "2024-07-01",
            "2024-07-01 15:59:59Z",
            "2024-07-01t15:59:59Z",
            "2024-07-01T15:59:59z",
            "2024-02-30T00:00:00Z",
            "2024-07-01T15:59:59",
            "",
            "24-07-01T15:59:59Z",
        ] {
            assert!(parse_rfc3339(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn zones_like_load_location() {
        assert_eq!(Zone::load(""), Ok(Zone::Utc));
        assert_eq!(Zone::load("Local"), Ok(Zone::Local));
        assert!(Zone::load("America/New_York").is_ok());
        assert!(Zone::load("america/new_york").is_err());
        assert!(Zone::load("Mars/Olympus").is_err());
        assert!(Zone::load("../etc/passwd").is_err());
    }

    #[test]
    fn date_normalises_and_handles_dst_gaps() {
        let utc = Zone::Utc;
        assert_eq!(
            utc.date(2024, 13, 1, 0, 0, 0),
            utc.date(2025, 1, 1, 0, 0, 0)
        );
        assert_eq!(
            utc.date(2024, 1, 32, 0, 0, 0),
            utc.date(2024, 2, 1, 0, 0, 0)
        );
        let ny = Zone::load("America/New_York").unwrap();
        // 2024-03-10 02:30 does not exist in New York; Go applies the later offset: 06:30 UTC.
        let t = ny.date(2024, 3, 10, 2, 30, 0);
        assert_eq!(Instant::from_secs(t).to_rfc3339(), "2024-03-10T06:30:00Z");
        // 2024-11-03 01:30 happens twice; Go picks the first (EDT, 05:30 UTC).
        let t = ny.date(2024, 11, 3, 1, 30, 0);
        assert_eq!(Instant::from_secs(t).to_rfc3339(), "2024-11-03T05:30:00Z");
    }
}
