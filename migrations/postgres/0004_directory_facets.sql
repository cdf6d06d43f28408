-- The directory's filters in company-name order (app/src/clients/repo.rs, Facet): one
-- row per client and facet ('status:active', 'tag:vip', 'feature:chat', 'credit:low'),
-- with the client's partner and sort key copied in, so a filtered page in a partner's
-- scope is a walk of one index, whatever the filter matches and however it lines up
-- with the names. The code that writes a client's status, name, tags, features or
-- credit rewrites its facets in the same transaction (repo::refresh_facets).
CREATE TABLE client_facets (
    client_id   BIGINT NOT NULL REFERENCES clients(node_id) ON DELETE CASCADE,
    facet       TEXT    NOT NULL,
    partner_id  BIGINT NOT NULL,
    name_key    TEXT    NOT NULL,
    PRIMARY KEY (client_id, facet)
);
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

-- Search: a trigram index over search_text serves the directory's "contains" search
-- (LIKE '%text%') without reading every row.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX clients_search ON clients USING gin (search_text gin_trgm_ops);
