-- Client users verify their email and/or phone before first access (PRODUCT.md §3),
-- as their account's policy says; codes go out by email or SMS through the outbox.

-- What a client account asks of its Client Users: 'email', 'sms' or 'email_and_sms'.
ALTER TABLE clients ADD COLUMN verification TEXT NOT NULL DEFAULT 'email'
    CHECK (verification IN ('email', 'sms', 'email_and_sms'));

-- A mobile number in international form (+ and digits), '' when none is known.
ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
ALTER TABLE users ADD COLUMN phone_verified_at BIGINT;
-- Following a mailed link proved the address.
UPDATE users SET email_verified_at = updated_at
WHERE id IN (SELECT user_id FROM user_tokens WHERE used_at IS NOT NULL);

-- The one live code per user and channel: a new code replaces the last. Only its
-- hash is kept, with the address or number it was sent to.
CREATE TABLE verification_codes (
    user_id      BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    channel      TEXT    NOT NULL CHECK (channel IN ('email', 'sms')),
    destination  TEXT    NOT NULL,
    code_hash    TEXT    NOT NULL,
    sent_at      BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    attempts     BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, channel)
);

-- The outbox carries text messages too: recipient is then the phone number.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'email'
    CHECK (channel IN ('email', 'sms'));
