//! Virtual time. The engine never reads a clock: the caller passes `now`.

use serde::{Deserialize, Serialize};

/// Nanoseconds since the Unix epoch, on the simulation's virtual clock.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Time(pub u64);

pub const NANOS_PER_SEC: u64 = 1_000_000_000;

/// The virtual clock's default start: a Monday morning class, 2026-01-05 09:00:00 UTC.
pub const DEFAULT_EPOCH: Time = Time(1_767_603_600 * NANOS_PER_SEC);

impl Time {
    pub const fn from_secs(s: u64) -> Time {
        Time(s * NANOS_PER_SEC)
    }
    pub const fn secs(self) -> u64 {
        self.0 / NANOS_PER_SEC
    }
    pub const fn plus_nanos(self, n: u64) -> Time {
        Time(self.0.saturating_add(n))
    }
    pub const fn plus_secs(self, s: u64) -> Time {
        self.plus_nanos(s.saturating_mul(NANOS_PER_SEC))
    }
    /// Nanoseconds from `earlier` to `self` (0 if `earlier` is later).
    pub const fn since(self, earlier: Time) -> u64 {
        self.0.saturating_sub(earlier.0)
    }

    /// RFC 3339 with nanoseconds, as Docker writes timestamps in inspect output
    /// (Go's `time.RFC3339Nano`, trailing zeros of the fraction trimmed).
    pub fn rfc3339_nano(self) -> String {
        let secs = self.secs();
        let nanos = self.0 % NANOS_PER_SEC;
        let (y, mo, d, h, mi, s) = civil(secs);
        let mut out = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
        if nanos != 0 {
            let frac = format!("{nanos:09}");
            out.push('.');
            out.push_str(frac.trim_end_matches('0'));
        }
        out.push('Z');
        out
    }

    /// `Mon Jan  2 15:04:05 2006` (Go's ANSIC layout; `docker version`'s "Built").
    pub fn ansic(self) -> String {
        const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let secs = self.secs();
        let (y, mo, d, h, mi, s) = civil(secs);
        let wd = DAYS[((secs / 86_400) % 7) as usize];
        format!(
            "{wd} {} {d:>2} {h:02}:{mi:02}:{s:02} {y}",
            MONTHS[(mo - 1) as usize]
        )
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.frac]Z`. Only for the built-in catalogue's dates.
    pub fn parse_rfc3339(s: &str) -> Option<Time> {
        let b = s.as_bytes();
        if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || !s.ends_with('Z') {
            return None;
        }
        let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u64>().ok();
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
        let mut nanos = 0u64;
        if b[19] == b'.' {
            let frac = &s[20..s.len() - 1];
            let digits: String = frac.chars().take(9).collect();
            nanos = format!("{digits:0<9}").parse().ok()?;
        }
        let days = days_from_civil(y as i64, mo as u32, d as u32);
        let secs = days as u64 * 86_400 + h * 3600 + mi * 60 + sec;
        Some(Time(secs * NANOS_PER_SEC + nanos))
    }
}

/// Howard Hinnant's civil-from-days: (year, month, day, hour, minute, second).
fn civil(secs: u64) -> (i64, u32, u32, u64, u64, u64) {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = if m <= 2 { y + 1 } else { y };
    (y, m, d, rem / 3600, (rem % 3600) / 60, rem % 60)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// go-units `HumanDuration`, which `docker ps` and `docker images` use.
pub fn human_duration(nanos: u64) -> String {
    let seconds = nanos / NANOS_PER_SEC;
    let minutes = seconds / 60;
    // Go: int(d.Hours() + 0.5)
    let hours = ((nanos as f64 / 3.6e12) + 0.5) as u64;
    if seconds < 1 {
        "Less than a second".into()
    } else if seconds == 1 {
        "1 second".into()
    } else if seconds < 60 {
        format!("{seconds} seconds")
    } else if minutes == 1 {
        "About a minute".into()
    } else if minutes < 60 {
        format!("{minutes} minutes")
    } else if hours == 1 {
        "About an hour".into()
    } else if hours < 48 {
        format!("{hours} hours")
    } else if hours < 24 * 7 * 2 {
        format!("{} days", hours / 24)
    } else if hours < 24 * 30 * 2 {
        format!("{} weeks", hours / 24 / 7)
    } else if hours < 24 * 365 * 2 {
        format!("{} months", hours / 24 / 30)
    } else {
        format!("{} years", (nanos / 3_600_000_000_000) / 24 / 365)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trip() {
        let t = Time::parse_rfc3339("2024-09-26T21:31:42.123Z").unwrap();
        assert_eq!(t.rfc3339_nano(), "2024-09-26T21:31:42.123Z");
        assert_eq!(DEFAULT_EPOCH.rfc3339_nano(), "2026-01-05T09:00:00Z");
        assert_eq!(DEFAULT_EPOCH.ansic(), "Mon Jan  5 09:00:00 2026");
    }

    #[test]
    fn human_durations_follow_go_units() {
        let s = NANOS_PER_SEC;
        assert_eq!(human_duration(s / 2), "Less than a second");
        assert_eq!(human_duration(s), "1 second");
        assert_eq!(human_duration(59 * s), "59 seconds");
        assert_eq!(human_duration(60 * s), "About a minute");
        assert_eq!(human_duration(3599 * s), "59 minutes");
        assert_eq!(human_duration(3600 * s), "About an hour");
        assert_eq!(human_duration(47 * 3600 * s), "47 hours");
        assert_eq!(human_duration(3 * 86_400 * s), "3 days");
        assert_eq!(human_duration(20 * 86_400 * s), "2 weeks");
        assert_eq!(human_duration(400 * 86_400 * s), "13 months");
        assert_eq!(human_duration(800 * 86_400 * s), "2 years");
    }
}
