-- Usage already happened, so it is never refused: what a balance cannot pay is owed
-- as an unbilled shortfall, and the next grant or top-up pays that first.
ALTER TABLE clients ADD COLUMN sms_shortfall BIGINT NOT NULL DEFAULT 0 CHECK (sms_shortfall >= 0);
ALTER TABLE clients ADD COLUMN voice_shortfall BIGINT NOT NULL DEFAULT 0 CHECK (voice_shortfall >= 0);

-- Each entry says how it moved the shortfall: up for usage the balance could not
-- pay, down for the part of a grant or top-up that paid it.
ALTER TABLE credit_entries ADD COLUMN shortfall_change BIGINT NOT NULL DEFAULT 0;
ALTER TABLE credit_entries ADD COLUMN shortfall_after BIGINT NOT NULL DEFAULT 0 CHECK (shortfall_after >= 0);

-- How the partner's clients' calls are rounded into voice units: one unit for the
-- first `initial` seconds, one more for each `increment` begun after; calls shorter
-- than `free_under` seconds cost nothing.
ALTER TABLE partner_settings ADD COLUMN voice_initial_seconds INTEGER NOT NULL DEFAULT 60;
ALTER TABLE partner_settings ADD COLUMN voice_increment_seconds INTEGER NOT NULL DEFAULT 60;
ALTER TABLE partner_settings ADD COLUMN voice_free_under_seconds INTEGER NOT NULL DEFAULT 0;

-- An account's own voice rule, when it has one (all three set); otherwise its
-- partner's applies.
ALTER TABLE clients ADD COLUMN voice_initial_seconds INTEGER;
ALTER TABLE clients ADD COLUMN voice_increment_seconds INTEGER;
ALTER TABLE clients ADD COLUMN voice_free_under_seconds INTEGER;
