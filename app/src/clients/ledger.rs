//! How a ledger entry moves one credit of a client account: credits added pay what is
//! owed first, and usage (which already happened, so is never refused) takes what the
//! balance holds and leaves the rest owed as an unbilled shortfall.

use serde::{Deserialize, Serialize};

/// One credit's balance and what is owed beyond it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditPosition {
    pub balance: i64,
    pub shortfall: i64,
}

/// The balances of an account, and what it owes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct Balances {
    pub sms: i64,
    pub voice: i64,
    pub sms_shortfall: i64,
    pub voice_shortfall: i64,
}

impl Balances {
    /// The position of one credit.
    pub fn of(&self, credit: super::CreditKind) -> CreditPosition {
        match credit {
            super::CreditKind::Sms => CreditPosition {
                balance: self.sms,
                shortfall: self.sms_shortfall,
            },
            super::CreditKind::Voice => CreditPosition {
                balance: self.voice,
                shortfall: self.voice_shortfall,
            },
        }
    }

    /// These balances with one credit at `position`.
    pub fn with(mut self, credit: super::CreditKind, position: CreditPosition) -> Balances {
        let (balance, shortfall) = match credit {
            super::CreditKind::Sms => (&mut self.sms, &mut self.sms_shortfall),
            super::CreditKind::Voice => (&mut self.voice, &mut self.voice_shortfall),
        };
        *balance = position.balance;
        *shortfall = position.shortfall;
        self
    }
}

/// What an entry did: the position after it, and how it moved each part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreditMove {
    pub after: CreditPosition,
    pub balance_change: i64,
    pub shortfall_change: i64,
}

impl CreditPosition {
    /// The move of an entry of `amount`: positive for credits added, negative for
    /// usage. Neither part ever goes below zero.
    pub fn moved_by(self, amount: i64) -> CreditMove {
        let (balance_change, shortfall_change) = if amount >= 0 {
            let pays = amount.min(self.shortfall);
            (amount - pays, -pays)
        } else {
            let cost = -amount;
            let paid = cost.min(self.balance);
            (-paid, cost - paid)
        };
        CreditMove {
            after: CreditPosition {
                balance: self.balance + balance_change,
                shortfall: self.shortfall + shortfall_change,
            },
            balance_change,
            shortfall_change,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::CreditKind;

    fn at(balance: i64, shortfall: i64) -> CreditPosition {
        CreditPosition { balance, shortfall }
    }

    #[test]
    fn balances_set_and_give_one_credit_leaving_the_other() {
        let balances = Balances {
            sms: 1,
            voice: 2,
            sms_shortfall: 3,
            voice_shortfall: 4,
        };
        let voice = balances.with(CreditKind::Voice, at(20, 0));
        assert_eq!(voice.of(CreditKind::Voice), at(20, 0));
        assert_eq!(voice.of(CreditKind::Sms), at(1, 3));
        assert_eq!(
            balances.with(CreditKind::Sms, at(0, 9)).of(CreditKind::Sms),
            at(0, 9)
        );
    }

    #[test]
    fn usage_beyond_the_balance_leaves_it_at_zero_and_owes_the_rest() {
        let moved = at(5, 0).moved_by(-7);
        assert_eq!(moved.after, at(0, 2));
        assert_eq!((moved.balance_change, moved.shortfall_change), (-5, 2));
        assert_eq!(at(0, 2).moved_by(-3).after, at(0, 5));
        assert_eq!(at(10, 0).moved_by(-7).after, at(3, 0));
    }

    #[test]
    fn credits_added_pay_the_shortfall_first() {
        let moved = at(0, 40).moved_by(150);
        assert_eq!(moved.after, at(110, 0));
        assert_eq!((moved.balance_change, moved.shortfall_change), (110, -40));
        assert_eq!(at(0, 40).moved_by(25).after, at(0, 15));
        assert_eq!(at(3, 0).moved_by(10).after, at(13, 0));
    }
}
