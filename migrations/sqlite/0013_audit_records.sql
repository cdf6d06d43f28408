-- The record an audit event is about (`message:12`), when it is about one, so a
-- record's history reads from the chain: who opened a message, played its recording,
-- acknowledged it.
ALTER TABLE audit_events ADD COLUMN record TEXT;
CREATE INDEX audit_events_record ON audit_events (record, id);
