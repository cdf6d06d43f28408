//! What a call costs in voice units under a rounding rule, in carrier notation
//! "initial/increment" (60/60, 30/6, …): a call longer than `free_under_seconds` costs
//! one unit for its first `initial_seconds`, and one more for each `increment_seconds`
//! begun after that. Shorter calls, and calls never answered, cost nothing.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceRule {
    pub initial_seconds: i64,
    pub increment_seconds: i64,
    pub free_under_seconds: i64,
}

/// Longest a rule's increment or free allowance may be: an hour.
pub const MAX_RULE_SECONDS: i64 = 3_600;

impl Default for VoiceRule {
    /// A minute, then by the minute, as most carriers bill.
    fn default() -> Self {
        VoiceRule {
            initial_seconds: 60,
            increment_seconds: 60,
            free_under_seconds: 0,
        }
    }
}

/// What a call of some duration costs under a rule, and the seconds it bills.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceCharge {
    pub units: i64,
    pub billable_seconds: i64,
}

impl VoiceRule {
    pub fn charge(&self, duration_seconds: i64) -> VoiceCharge {
        if duration_seconds <= 0 || duration_seconds < self.free_under_seconds {
            return VoiceCharge {
                units: 0,
                billable_seconds: 0,
            };
        }
        let after_initial = (duration_seconds - self.initial_seconds).max(0);
        let increments = (after_initial + self.increment_seconds - 1) / self.increment_seconds;
        VoiceCharge {
            units: 1 + increments,
            billable_seconds: self.initial_seconds + increments * self.increment_seconds,
        }
    }

    /// The rule as carriers write it, the same in every record: "60/60", or
    /// "30/6, free under 3 s".
    pub fn notation(&self) -> String {
        self.worded(crate::i18n::Locale::en)
    }

    /// [`Self::notation`] in the language of the page: "30/6, gratuit sous 3 s".
    pub fn described(&self) -> String {
        self.worded(crate::core::words::current())
    }

    fn worded(&self, locale: crate::i18n::Locale) -> String {
        let rule = format!("{}/{}", self.initial_seconds, self.increment_seconds);
        match self.free_under_seconds {
            0 => rule,
            free => crate::i18n::td_string!(
                locale,
                clients.voice.free_under,
                rule = rule,
                seconds = free
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(initial_seconds: i64, increment_seconds: i64, free_under_seconds: i64) -> VoiceRule {
        VoiceRule {
            initial_seconds,
            increment_seconds,
            free_under_seconds,
        }
    }

    #[test]
    fn by_the_minute_a_61_second_call_costs_two_units() {
        let minute = VoiceRule::default();
        assert_eq!(minute.charge(61).units, 2);
        assert_eq!(minute.charge(61).billable_seconds, 120);
        assert_eq!(minute.charge(60).units, 1);
        assert_eq!(minute.charge(1).units, 1);
        assert_eq!(minute.charge(125).units, 3);
    }

    #[test]
    fn after_the_first_increment_each_one_begun_counts() {
        let fine = rule(30, 6, 0);
        assert_eq!(fine.charge(20).units, 1);
        assert_eq!(fine.charge(20).billable_seconds, 30);
        assert_eq!(fine.charge(31).units, 2);
        assert_eq!(fine.charge(31).billable_seconds, 36);
        assert_eq!(fine.charge(36).units, 2);
        assert_eq!(fine.charge(37).units, 3);
    }

    #[test]
    fn unanswered_and_short_calls_cost_nothing() {
        let allowance = rule(60, 60, 3);
        assert_eq!(allowance.charge(0).units, 0);
        assert_eq!(allowance.charge(2).units, 0);
        assert_eq!(allowance.charge(3).units, 1);
        assert_eq!(VoiceRule::default().charge(0).units, 0);
    }

    #[test]
    fn rules_are_written_as_carriers_write_them() {
        assert_eq!(VoiceRule::default().notation(), "60/60");
        assert_eq!(rule(30, 6, 3).notation(), "30/6, free under 3 s");
    }
}
