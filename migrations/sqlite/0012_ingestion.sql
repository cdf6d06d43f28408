-- The platform's side of the client portal: API keys, the calls and messages it sends
-- in, every callback kept as an event, and the idempotency keys of recent requests.

-- A key belongs to a client account (its own traffic) or to a partner (any account
-- below it, named in each request). Only a keyed hash of the whole key is kept; the
-- key id is public (shown in lists and logs).
CREATE TABLE api_keys (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    key_id             TEXT    NOT NULL UNIQUE,
    secret_hash        TEXT    NOT NULL,
    owner_id           INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    name               TEXT    NOT NULL,
    -- Comma-separated scope keys.
    scopes             TEXT    NOT NULL,
    created_by         INTEGER REFERENCES users(id),
    created_at         INTEGER NOT NULL,
    -- Set when the key is rotated: it keeps working until then.
    expires_at         INTEGER,
    revoked_at         INTEGER,
    revoked_by         INTEGER REFERENCES users(id),
    -- Written at most once a minute.
    last_used_at       INTEGER,
    last_used_address  TEXT,
    -- The key this one replaced, when it came from a rotation.
    rotated_from       INTEGER REFERENCES api_keys(id)
);
CREATE INDEX api_keys_owner ON api_keys (owner_id, created_at);

-- A call of a client account, by the platform's id. Its status only moves forward.
CREATE TABLE calls (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id          INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    external_id        TEXT    NOT NULL,
    direction          TEXT    NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    from_number        TEXT    NOT NULL,
    to_number          TEXT    NOT NULL,
    caller_name        TEXT    NOT NULL DEFAULT '',
    status             TEXT    NOT NULL,
    -- The platform's sequence number of the update applied last, if it sends them.
    sequence           INTEGER,
    started_at         INTEGER NOT NULL,
    answered_at        INTEGER,
    ended_at           INTEGER,
    duration_seconds   INTEGER,
    -- The account's user the call was for, when the platform says.
    recipient_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    -- Why it cost what it did, set once at the first final status.
    billable_seconds   INTEGER,
    voice_units        INTEGER,
    voice_rule         TEXT,
    billed_at          INTEGER,
    recording_key      TEXT,
    recording_type     TEXT,
    recording_bytes    INTEGER,
    recording_seconds  INTEGER,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    UNIQUE (client_id, external_id)
);
CREATE INDEX calls_client_started ON calls (client_id, started_at, id);

-- Every status callback of a call as it came, applied or not (stale, duplicate).
CREATE TABLE call_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id      INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    status       TEXT    NOT NULL,
    sequence     INTEGER,
    applied      INTEGER NOT NULL,
    received_at  INTEGER NOT NULL
);
CREATE INDEX call_events_call ON call_events (call_id, id);

-- A message operators took, or a text or chat message, by the platform's id.
CREATE TABLE messages (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id         INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    external_id       TEXT    NOT NULL,
    channel           TEXT    NOT NULL CHECK (channel IN ('call', 'sms', 'chat')),
    direction         TEXT    NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    status            TEXT    NOT NULL,
    sequence          INTEGER,
    priority          TEXT    NOT NULL CHECK (priority IN ('urgent', 'normal', 'low', 'spam')),
    caller_name       TEXT    NOT NULL DEFAULT '',
    callback_number   TEXT    NOT NULL DEFAULT '',
    body              TEXT    NOT NULL,
    -- The script's custom fields: a JSON array of {label, value}.
    fields            TEXT    NOT NULL DEFAULT '[]',
    -- The call it was taken on, by the platform's id: the call may arrive later.
    call_external_id  TEXT,
    taken_by          TEXT    NOT NULL DEFAULT '',
    received_at       INTEGER NOT NULL,
    -- Why a text cost what it did, set once when it first counts as sent or received.
    segments          INTEGER,
    encoding          TEXT,
    sms_units         INTEGER,
    billed_at         INTEGER,
    acknowledged_at   INTEGER,
    acknowledged_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    UNIQUE (client_id, external_id)
);
CREATE INDEX messages_client_received ON messages (client_id, received_at, id);

-- Whom a message is addressed to: a Client User sees only these.
CREATE TABLE message_recipients (
    message_id  INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (message_id, user_id)
);
CREATE INDEX message_recipients_user ON message_recipients (user_id, message_id);

-- What happened to a message after it was taken (dispatched, delivered, failed,
-- viewed, acknowledged, escalated, or a status callback), applied or not.
CREATE TABLE message_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id   INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL,
    at           INTEGER NOT NULL,
    channel      TEXT    NOT NULL DEFAULT '',
    target       TEXT    NOT NULL DEFAULT '',
    detail       TEXT    NOT NULL DEFAULT '',
    sequence     INTEGER,
    applied      INTEGER NOT NULL,
    received_at  INTEGER NOT NULL
);
CREATE INDEX message_events_message ON message_events (message_id, id);

-- Read state is per person.
CREATE TABLE message_reads (
    message_id  INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    read_at     INTEGER NOT NULL,
    PRIMARY KEY (message_id, user_id)
);

-- A request sent with an Idempotency-Key: in flight while response_status is null,
-- then its answer, replayed to a retry with the same body for 24 hours.
CREATE TABLE ingest_requests (
    api_key_id       INTEGER NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
    idempotency_key  TEXT    NOT NULL,
    request_hash     TEXT    NOT NULL,
    response_status  INTEGER,
    response_body    TEXT,
    created_at       INTEGER NOT NULL,
    PRIMARY KEY (api_key_id, idempotency_key)
);
CREATE INDEX ingest_requests_created ON ingest_requests (created_at);
