//! The check that the tree's stored counts of what lies below each node are exact.

use app::db::Db;

/// Every node's stored counts of groups and clients below it equal a fresh count from
/// the closure table.
pub async fn assert_counts_exact(db: &Db) {
    let wrong: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT n.id, n.groups_below, n.clients_below, \
         (SELECT COUNT(*) FROM node_paths p JOIN nodes d ON d.id = p.descendant_id \
          WHERE p.ancestor_id = n.id AND p.depth > 0 AND d.kind = 'group') AS groups, \
         (SELECT COUNT(*) FROM node_paths p JOIN nodes d ON d.id = p.descendant_id \
          WHERE p.ancestor_id = n.id AND p.depth > 0 AND d.kind = 'client') AS clients \
         FROM nodes n",
    )
    .fetch_all(db.pool())
    .await
    .unwrap()
    .into_iter()
    .filter(|(_, groups_below, clients_below, groups, clients)| {
        (groups_below, clients_below) != (groups, clients)
    })
    .collect();
    assert!(
        wrong.is_empty(),
        "(node, stored groups, stored clients, groups, clients): {wrong:?}"
    );
}
