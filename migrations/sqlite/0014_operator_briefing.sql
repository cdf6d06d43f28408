-- What an account's operators should know, kept by the client: the status they read
-- first (with canned texts and an "until" after which the default returns), the
-- people they may reach with each one's ways of being reached, links and notes, and
-- the on-call calendar (weekly rules in the account's zone, and overrides).
-- Every change bumps the account's operator-view version, and every fetch of the
-- view by the platform is kept, so the portal can say whether operators have seen
-- the latest change.

CREATE TABLE operator_statuses (
    client_id     INTEGER PRIMARY KEY REFERENCES nodes(id) ON DELETE CASCADE,
    -- What operators read when no status is set, or once it has run out.
    default_text  TEXT    NOT NULL DEFAULT '',
    text          TEXT    NOT NULL DEFAULT '',
    -- When `text` gives way to the default, if it does.
    until_at      INTEGER,
    version       INTEGER NOT NULL DEFAULT 1,
    updated_at    INTEGER NOT NULL
);

-- The status each account had on its client page carries over as its status.
INSERT INTO operator_statuses (client_id, text, updated_at)
SELECT node_id, operator_status, updated_at FROM clients WHERE operator_status <> '';
ALTER TABLE clients DROP COLUMN operator_status;

CREATE TABLE status_templates (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id   INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    text        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (client_id, text)
);

CREATE TABLE contacts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id     INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL DEFAULT '',
    instructions  TEXT    NOT NULL DEFAULT '',
    position      INTEGER NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX contacts_of_client ON contacts (client_id, position);

-- A contact's ways of being reached, in the order operators try them; saved with
-- the contact (its version covers them).
CREATE TABLE contact_methods (
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('phone', 'mobile', 'email', 'pager')),
    value       TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (contact_id, position)
);

CREATE TABLE resources (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id   INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    title       TEXT    NOT NULL,
    url         TEXT    NOT NULL DEFAULT '',
    note        TEXT    NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX resources_of_client ON resources (client_id, position);

-- A weekly shift in the account's time zone: weekdays as a bit set (Monday bit 0),
-- start and end as minutes after local midnight, overnight when the end is not after
-- the start. A closed rule marks hours the account means to leave uncovered.
CREATE TABLE oncall_rules (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id     INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    weekdays      INTEGER NOT NULL CHECK (weekdays BETWEEN 1 AND 127),
    start_minute  INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute    INTEGER NOT NULL CHECK (end_minute BETWEEN 0 AND 1439),
    closed        INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    note          TEXT    NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX oncall_rules_of_client ON oncall_rules (client_id);

-- The contacts of a rule, rank 1 first; saved with the rule.
CREATE TABLE oncall_rule_contacts (
    rule_id     INTEGER NOT NULL REFERENCES oncall_rules(id) ON DELETE CASCADE,
    rank        INTEGER NOT NULL,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id),
    PRIMARY KEY (rule_id, rank)
);
CREATE INDEX oncall_rule_contacts_contact ON oncall_rule_contacts (contact_id);

-- A range of time (instants, the end excluded) that adds a contact, removes one, or
-- with both replaces one.
CREATE TABLE oncall_overrides (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id          INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    starts_at          INTEGER NOT NULL,
    ends_at            INTEGER NOT NULL,
    add_contact_id     INTEGER REFERENCES contacts(id),
    remove_contact_id  INTEGER REFERENCES contacts(id),
    note               TEXT    NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (add_contact_id IS NOT NULL OR remove_contact_id IS NOT NULL)
);
CREATE INDEX oncall_overrides_of_client ON oncall_overrides (client_id, ends_at);
CREATE INDEX oncall_overrides_add ON oncall_overrides (add_contact_id);
CREATE INDEX oncall_overrides_remove ON oncall_overrides (remove_contact_id);

-- The version of what the operator view shows, bumped by every change to it.
CREATE TABLE operator_view_versions (
    client_id   INTEGER PRIMARY KEY REFERENCES nodes(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    changed_at  INTEGER NOT NULL
);

-- Every fetch of an account's operator view: by which key, of which version, when.
CREATE TABLE operator_view_fetches (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id   INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    api_key_id  INTEGER NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    fetched_at  INTEGER NOT NULL
);
CREATE INDEX operator_view_fetches_of_client ON operator_view_fetches (client_id, id);
