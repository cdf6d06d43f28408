-- Users, invites and password resets (PRODUCT.md §3).

-- The branding domain a user's emails and links use; NULL: their partner's first one.
ALTER TABLE users ADD COLUMN branding_domain TEXT;

-- Whether a membership takes one of its client account's seats: the roles that come
-- with a voice line do (see Role::holds_seat); an Account Manager does not.
ALTER TABLE memberships ADD COLUMN holds_seat BIGINT NOT NULL DEFAULT 1 CHECK (holds_seat IN (0, 1));
UPDATE memberships SET holds_seat = 0
WHERE ',' || roles || ',' NOT LIKE '%,client_admin,%'
  AND ',' || roles || ',' NOT LIKE '%,client_user,%'
  AND ',' || roles || ',' NOT LIKE '%,platform_admin,%';
CREATE INDEX memberships_seats ON memberships (node_id) WHERE holds_seat = 1;

-- Tokens now also reset passwords, and each is bound to the address it was sent to:
-- a link mailed to an old address dies when the user's address changes.
ALTER TABLE user_tokens DROP CONSTRAINT user_tokens_purpose_check;
ALTER TABLE user_tokens ADD CONSTRAINT user_tokens_purpose_check
    CHECK (purpose IN ('activation', 'password_reset'));
ALTER TABLE user_tokens ADD COLUMN email_normalized TEXT;
UPDATE user_tokens t SET email_normalized = u.email_normalized FROM users u WHERE u.id = t.user_id;
ALTER TABLE user_tokens ALTER COLUMN email_normalized SET NOT NULL;
DROP INDEX user_tokens_user;
CREATE INDEX user_tokens_user ON user_tokens (user_id, purpose);
