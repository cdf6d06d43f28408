-- Tasks of an account: something to do, for one of its people, for the answering
-- service, or for nobody yet, with a due day (and time) in the account's zone. A task
-- made from a message keeps it, so each links to the other. Tasks are closed (done or
-- cancelled), never deleted: their history is in the audit trail.

CREATE TABLE tasks (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id              INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    title                  TEXT    NOT NULL,
    notes                  TEXT    NOT NULL DEFAULT '',
    -- A person of the account; none when it is for the answering service or nobody.
    assigned_to            INTEGER REFERENCES users(id) ON DELETE SET NULL,
    for_answering_service  INTEGER NOT NULL DEFAULT 0 CHECK (for_answering_service IN (0, 1)),
    -- The local day and time it is due, as the client wrote them.
    due_date               TEXT,
    due_time               TEXT,
    -- When it falls due: the time given, or the end of the day.
    due_at                 INTEGER,
    priority               TEXT    NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal', 'urgent')),
    status                 TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    source_message_id      INTEGER REFERENCES messages(id) ON DELETE SET NULL,
    created_by             INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at             INTEGER NOT NULL,
    closed_by              INTEGER REFERENCES users(id) ON DELETE SET NULL,
    closed_at              INTEGER,
    version                INTEGER NOT NULL DEFAULT 1,
    updated_at             INTEGER NOT NULL,
    CHECK (for_answering_service = 0 OR assigned_to IS NULL),
    CHECK (due_time IS NULL OR due_date IS NOT NULL)
);
CREATE INDEX tasks_of_client ON tasks (client_id, status, due_at);
CREATE INDEX tasks_assigned ON tasks (assigned_to, status);
CREATE INDEX tasks_created_by ON tasks (created_by);
CREATE INDEX tasks_of_message ON tasks (source_message_id);
CREATE INDEX tasks_closed_by ON tasks (closed_by);
