-- The directory's filters in company-name order (app/src/clients/repo.rs, Facet): one
-- row per client and facet ('status:active', 'tag:vip', 'feature:chat', 'credit:low'),
-- with the client's partner and sort key copied in, so a filtered page in a partner's
-- scope is a walk of one index, whatever the filter matches and however it lines up
-- with the names. The code that writes a client's status, name, tags, features or
-- credit rewrites its facets in the same transaction (repo::refresh_facets).
CREATE TABLE client_facets (
    client_id   INTEGER NOT NULL REFERENCES clients(node_id) ON DELETE CASCADE,
    facet       TEXT    NOT NULL,
    partner_id  INTEGER NOT NULL,
    name_key    TEXT    NOT NULL,
    PRIMARY KEY (client_id, facet)
) WITHOUT ROWID;
CREATE INDEX client_facets_in_order ON client_facets (facet, partner_id, name_key, client_id);

INSERT INTO client_facets (client_id, facet, partner_id, name_key)
SELECT node_id, 'status:' || status, partner_id, name_key FROM clients
UNION ALL
SELECT c.node_id, 'tag:' || t.tag, c.partner_id, c.name_key
FROM client_tags t JOIN clients c ON c.node_id = t.client_id
UNION ALL
SELECT c.node_id, 'feature:' || f.feature, c.partner_id, c.name_key
FROM client_features f JOIN clients c ON c.node_id = f.client_id
UNION ALL
SELECT node_id, 'credit:low', partner_id, name_key FROM clients
WHERE sms_balance < 100 OR voice_balance < 100;

-- The facets serve status and low credit now.
DROP INDEX clients_by_status;
DROP INDEX clients_low_credit;

-- Search: a trigram index over search_text finds the clients containing a text
-- without reading every row. Triggers keep it in step with the clients table.
CREATE VIRTUAL TABLE client_search USING fts5(
    search_text, content = 'clients', content_rowid = 'node_id', tokenize = 'trigram'
);
INSERT INTO client_search (client_search) VALUES ('rebuild');
CREATE TRIGGER client_search_insert AFTER INSERT ON clients BEGIN
    INSERT INTO client_search (rowid, search_text) VALUES (new.node_id, new.search_text);
END;
CREATE TRIGGER client_search_delete AFTER DELETE ON clients BEGIN
    INSERT INTO client_search (client_search, rowid, search_text)
    VALUES ('delete', old.node_id, old.search_text);
END;
CREATE TRIGGER client_search_update AFTER UPDATE OF search_text ON clients BEGIN
    INSERT INTO client_search (client_search, rowid, search_text)
    VALUES ('delete', old.node_id, old.search_text);
    INSERT INTO client_search (rowid, search_text) VALUES (new.node_id, new.search_text);
END;
