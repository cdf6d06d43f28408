-- Users, invites and password resets (PRODUCT.md §3).

-- The branding domain a user's emails and links use; NULL: their partner's first one.
ALTER TABLE users ADD COLUMN branding_domain TEXT;

-- Whether a membership takes one of its client account's seats: the roles that come
-- with a voice line do (see Role::holds_seat); an Account Manager does not.
ALTER TABLE memberships ADD COLUMN holds_seat INTEGER NOT NULL DEFAULT 1 CHECK (holds_seat IN (0, 1));
UPDATE memberships SET holds_seat = 0
WHERE ',' || roles || ',' NOT LIKE '%,client_admin,%'
  AND ',' || roles || ',' NOT LIKE '%,client_user,%'
  AND ',' || roles || ',' NOT LIKE '%,platform_admin,%';
CREATE INDEX memberships_seats ON memberships (node_id) WHERE holds_seat = 1;

-- Tokens now also reset passwords, and each is bound to the address it was sent to:
-- a link mailed to an old address dies when the user's address changes.
CREATE TABLE user_tokens_new (
    token_hash        TEXT    PRIMARY KEY,
    user_id           INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose           TEXT    NOT NULL CHECK (purpose IN ('activation', 'password_reset')),
    email_normalized  TEXT    NOT NULL,
    expires_at        INTEGER NOT NULL,
    used_at           INTEGER
);
INSERT INTO user_tokens_new (token_hash, user_id, purpose, email_normalized, expires_at, used_at)
SELECT t.token_hash, t.user_id, t.purpose, u.email_normalized, t.expires_at, t.used_at
FROM user_tokens t JOIN users u ON u.id = t.user_id;
DROP TABLE user_tokens;
ALTER TABLE user_tokens_new RENAME TO user_tokens;
CREATE INDEX user_tokens_user ON user_tokens (user_id, purpose);
