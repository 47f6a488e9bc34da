//! The estimated wait of a new ticket, from recent service times and the desks open now.
//!
//! Deliberately simple and explainable to staff: the people ahead, times the typical service
//! time, shared among the open desks that serve the service. Its error is to be measured on
//! simulated days (statistics issue) before it is made cleverer.

use jiff::SignedDuration;

/// How many recent services the typical service time is taken from.
pub const RECENT_SERVICES: usize = 20;

/// The typical service time: the median of the recent ones, or the configured default when
/// there are none yet (a new day, a new service).
pub fn typical_service(recent: &[SignedDuration], default: SignedDuration) -> SignedDuration {
    if recent.is_empty() {
        return default;
    }
    let mut sorted = recent.to_vec();
    sorted.sort();
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2
    }
}

/// The wait of someone with `ahead` people before them, when `open_desks` desks serve the
/// service. With no desk open the estimate is made as if one were (it will open).
pub fn estimate_wait(ahead: u32, typical: SignedDuration, open_desks: u32) -> SignedDuration {
    let desks = open_desks.max(1) as i64;
    let total = typical.as_secs() * ahead as i64;
    SignedDuration::from_secs((total + desks - 1) / desks)
}

/// How wide an estimate may be before it is shown as a range: five minutes.
const RANGE_FROM: SignedDuration = SignedDuration::from_mins(5);

/// The likely range of the wait: the same sum with the quicker and the slower quarter of
/// the recent services (their quartiles). With fewer than four recent services there is
/// nothing to measure a spread by, and the range is half to one and a half of the estimate.
/// `None` when the range is narrower than five minutes (then one figure says it).
pub fn wait_range(
    recent: &[SignedDuration],
    default: SignedDuration,
    ahead: u32,
    open_desks: u32,
) -> Option<(SignedDuration, SignedDuration)> {
    if ahead == 0 {
        return None;
    }
    let (quick, slow) = if recent.len() < 4 {
        let typical = typical_service(recent, default);
        (typical / 2, typical * 3 / 2)
    } else {
        let mut sorted = recent.to_vec();
        sorted.sort();
        (sorted[sorted.len() / 4], sorted[(sorted.len() * 3) / 4])
    };
    let low = estimate_wait(ahead, quick, open_desks);
    let high = estimate_wait(ahead, slow, open_desks);
    (high - low >= RANGE_FROM).then_some((low, high))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mins(m: i64) -> SignedDuration {
        SignedDuration::from_mins(m)
    }

    #[test]
    fn typical_service_is_the_median_or_the_default() {
        let table: &[(&[i64], i64)] = &[
            (&[], 12),
            (&[5], 5),
            (&[5, 50, 7], 7),
            (&[4, 8], 6),
            (&[1, 2, 4, 100], 3),
        ];
        for (recent, expected) in table {
            let recent: Vec<_> = recent.iter().map(|&m| mins(m)).collect();
            assert_eq!(
                typical_service(&recent, mins(12)),
                mins(*expected),
                "{recent:?}"
            );
        }
    }

    #[test]
    fn a_wide_estimate_is_a_range_and_a_narrow_one_is_not() {
        let steady: Vec<_> = [10, 10, 11, 10, 9, 10].iter().map(|&m| mins(m)).collect();
        assert_eq!(wait_range(&steady, mins(15), 2, 1), None, "20 ± 1 minutes");
        let spread: Vec<_> = [4, 6, 8, 10, 12, 20, 30, 9]
            .iter()
            .map(|&m| mins(m))
            .collect();
        assert_eq!(
            wait_range(&spread, mins(15), 3, 1),
            Some((mins(24), mins(60))),
            "quartiles 8 and 20 minutes, three ahead"
        );
        assert_eq!(
            wait_range(&[], mins(12), 2, 1),
            Some((mins(12), mins(36))),
            "no history: half to one and a half of the default"
        );
        assert_eq!(wait_range(&spread, mins(15), 0, 1), None, "nobody ahead");
    }

    #[test]
    fn wait_is_shared_among_open_desks() {
        let table = [
            (0, 10, 1, 0),
            (1, 10, 1, 10),
            (3, 10, 1, 30),
            (3, 10, 2, 15),
            (3, 10, 0, 30),
            (5, 10, 3, 17), // 50/3 = 16.67, rounded up to whole seconds: 16m40s ≤ 17m
        ];
        for (ahead, typical, desks, expected_min) in table {
            let wait = estimate_wait(ahead, mins(typical), desks);
            assert!(
                wait <= mins(expected_min) && wait > mins(expected_min) - mins(1)
                    || wait == mins(expected_min),
                "{ahead} ahead, {desks} desks: {wait:?}"
            );
        }
    }
}
