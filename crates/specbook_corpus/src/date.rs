//! Proleptic Gregorian dates as day numbers, enough to plant valid and out-of-order dates.

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number, as `YYYY-MM-DD`.
pub(crate) fn format_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(format_days(0), "1970-01-01");
        assert_eq!(format_days(days_from_civil(2024, 2, 29)), "2024-02-29");
        assert_eq!(format_days(days_from_civil(2024, 2, 29) + 1), "2024-03-01");
        assert_eq!(format_days(days_from_civil(2023, 12, 31) + 1), "2024-01-01");
        for d in -1000..40_000 {
            let s = format_days(d);
            let y: i64 = s[..4].parse().unwrap();
            let m: u32 = s[5..7].parse().unwrap();
            let dd: u32 = s[8..].parse().unwrap();
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }
}
