-- Counts of what lies below each node, kept by the code that inserts, moves and
-- deletes nodes, so the tree, the home page and the directory's choice of query
-- read a number instead of scanning a subtree of 100k clients.
ALTER TABLE nodes ADD COLUMN groups_below  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE nodes ADD COLUMN clients_below INTEGER NOT NULL DEFAULT 0;

UPDATE nodes SET
    groups_below = (SELECT COUNT(*) FROM node_paths p JOIN nodes d ON d.id = p.descendant_id
                    WHERE p.ancestor_id = nodes.id AND p.depth > 0 AND d.kind = 'group'),
    clients_below = (SELECT COUNT(*) FROM node_paths p JOIN nodes d ON d.id = p.descendant_id
                     WHERE p.ancestor_id = nodes.id AND p.depth > 0 AND d.kind = 'client');

-- Where the directory starts when a filter is more selective than the subtree: the
-- clients of one status, and those low on credit (the code writes the same literal
-- bound, clients::LOW_CREDIT, so that the partial index applies).
CREATE INDEX clients_by_status ON clients (status, node_id);
CREATE INDEX clients_low_credit ON clients (node_id) WHERE sms_balance < 100 OR voice_balance < 100;
