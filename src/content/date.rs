//! Calendar dates of the precision the sources give: a year, a year and a
//! month, or a full date. A date is never turned into a time, so no time zone
//! can move it to another day.

use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;

/// The earliest and latest years folio accepts; anything else is a typo.
pub const YEAR_RANGE: std::ops::RangeInclusive<i32> = 1800..=2200;

/// A date known to the year, the month or the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PartialDate {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12, when known.
    pub month: Option<u8>,
    /// The day of the month, when known (only with a month).
    pub day: Option<u8>,
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not of the form `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Shape,
    /// The year is outside [`YEAR_RANGE`].
    YearOutOfRange(i32),
    /// No such month.
    Month(u32),
    /// No such day in that month.
    Day { day: u32, month: u8, year: i32 },
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Shape => f.write_str("expected a date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`"),
            Self::YearOutOfRange(year) => write!(
                f,
                "the year {year} is outside {}..={}",
                YEAR_RANGE.start(),
                YEAR_RANGE.end()
            ),
            Self::Month(month) => write!(f, "there is no month {month}"),
            Self::Day { day, month, year } => {
                write!(f, "{} {year} has no day {day}", MONTHS[usize::from(*month) - 1])
            }
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const MONTHS_RU: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

const MONTHS_RU_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

impl PartialDate {
    /// Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let parts: Vec<&str> = text.trim().split('-').collect();
        let digits = |part: &str, len: usize| {
            (part.len() == len && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse::<u32>().ok())
                .flatten()
                .ok_or(DateError::Shape)
        };
        if parts.is_empty() || parts.len() > 3 {
            return Err(DateError::Shape);
        }
        let year = i32::try_from(digits(parts[0], 4)?).map_err(|_| DateError::Shape)?;
        if !YEAR_RANGE.contains(&year) {
            return Err(DateError::YearOutOfRange(year));
        }
        let month = parts.get(1).map(|part| digits(part, 2)).transpose()?;
        let day = parts.get(2).map(|part| digits(part, 2)).transpose()?;

        let month = match month {
            Some(m @ 1..=12) => Some(m as u8),
            Some(m) => return Err(DateError::Month(m)),
            None => None,
        };
        let day = match (day, month) {
            (Some(d), Some(m)) if d >= 1 && d <= days_in_month(year, m) => Some(d as u8),
            (Some(d), Some(m)) => return Err(DateError::Day { day: d, month: m, year }),
            _ => None,
        };
        Ok(Self { year, month, day })
    }

    /// The ISO form of the precision known: `1973`, `1973-05` or `1973-05-18`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// The reading form: `18 May 1973`, `May 1973` or `1973`.
    pub fn long(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", MONTHS[usize::from(m) - 1], self.year),
            (Some(m), None) => format!("{} {}", MONTHS[usize::from(m) - 1], self.year),
            _ => self.year.to_string(),
        }
    }

    /// The reading form in `language`: Russian dates read `18 мая 1973 г.`;
    /// any other language gets the English form.
    pub fn long_in(&self, language: &str) -> String {
        if language != "ru" {
            return self.long();
        }
        match (self.month, self.day) {
            (Some(m), Some(d)) => {
                format!("{d} {} {} г.", MONTHS_RU_GENITIVE[usize::from(m) - 1], self.year)
            }
            (Some(m), None) => format!("{} {} г.", MONTHS_RU[usize::from(m) - 1], self.year),
            _ => format!("{} г.", self.year),
        }
    }

    /// The earliest day this date can mean, as (year, month, day).
    pub fn earliest(&self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The latest day this date can mean.
    pub fn latest(&self) -> (i32, u8, u8) {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or(days_in_month(self.year, month) as u8);
        (self.year, month, day)
    }

    /// Whether this date is surely before `other` whatever the unknown parts are.
    pub fn surely_before(&self, other: &Self) -> bool {
        self.latest() < other.earliest()
    }
}

/// Orders by the earliest day meant, then by precision (a year before its days).
impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.earliest(), self.month.is_some(), self.day.is_some()).cmp(&(
            other.earliest(),
            other.month.is_some(),
            other.day.is_some(),
        ))
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.iso())
    }
}

fn days_in_month(year: i32, month: u8) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_precision_given() {
        assert_eq!(PartialDate::parse("1973").unwrap().iso(), "1973");
        assert_eq!(PartialDate::parse("1973-05").unwrap().long(), "May 1973");
        assert_eq!(PartialDate::parse("1973-05-18").unwrap().long(), "18 May 1973");
    }

    #[test]
    fn reads_in_russian() {
        assert_eq!(PartialDate::parse("1973-05-18").unwrap().long_in("ru"), "18 мая 1973 г.");
        assert_eq!(PartialDate::parse("1973-05").unwrap().long_in("ru"), "май 1973 г.");
        assert_eq!(PartialDate::parse("1973").unwrap().long_in("en"), "1973");
    }

    #[test]
    fn rejects_impossible_dates() {
        assert_eq!(
            PartialDate::parse("2021-02-29"),
            Err(DateError::Day { day: 29, month: 2, year: 2021 })
        );
        assert!(PartialDate::parse("2020-02-29").is_ok());
        assert_eq!(PartialDate::parse("1999-13"), Err(DateError::Month(13)));
        assert_eq!(PartialDate::parse("0999"), Err(DateError::YearOutOfRange(999)));
        assert_eq!(PartialDate::parse("18 May 1973"), Err(DateError::Shape));
        assert_eq!(PartialDate::parse("1973-5-18"), Err(DateError::Shape));
    }

    #[test]
    fn before_is_decided_only_when_certain() {
        let year = PartialDate::parse("1962").unwrap();
        let day = PartialDate::parse("1962-07-01").unwrap();
        assert!(!year.surely_before(&day));
        assert!(PartialDate::parse("1961-12-06").unwrap().surely_before(&year));
    }
}
