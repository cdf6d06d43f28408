-- Email outbox (PRODUCT.md §3): a message is written here in the transaction of the
-- change that causes it, so it is sent if and only if the change happened. A worker
-- in every server process delivers due messages; a claim (claimed_until) keeps two
-- processes sharing one database from sending the same message at once.

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient        TEXT    NOT NULL,
    recipient_name   TEXT    NOT NULL,
    -- The display name the message comes from: the product name of the brand.
    sender_name      TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    body_text        TEXT    NOT NULL,
    body_html        TEXT    NOT NULL,
    -- What the message is about ('activation', …), for the log and for tests.
    purpose          TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    claimed_until    INTEGER NOT NULL DEFAULT 0,
    sent_at          INTEGER,
    last_error       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
