-- Uses of limited things (verification codes sent to a person and to a number,
-- password-reset requests from an address), counted in a sliding window.
CREATE TABLE quota_uses (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    -- What is limited, like 'codes-to:+16175550100'.
    quota    TEXT    NOT NULL,
    used_at  INTEGER NOT NULL
);
CREATE INDEX quota_uses_quota ON quota_uses (quota, used_at);
