-- The audit log is append-only and tamper-evident (PRODUCT.md §5): each event carries
-- the SHA-256 of what it says and of the event before it (app/src/audit/chain.rs).
-- Events from before this migration keep an empty hash: the chain starts after them.
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_events ADD COLUMN hash TEXT NOT NULL DEFAULT '';

-- The end of the chain, kept with each event, so removing the last events shows too.
-- Appending takes this row first, which puts concurrent appends in one order.
CREATE TABLE audit_chain_head (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    events     INTEGER NOT NULL,
    last_hash  TEXT    NOT NULL
);
INSERT INTO audit_chain_head (id, events, last_hash) VALUES (1, 0, '');

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
