//! The directory query: which clients a viewer's scopes and filters select, in the
//! chosen order, a page at a time. A small starting set is read whole and sorted;
//! past it the plan walks the index that drives it (`client_facets`, per partner, in
//! company-name order), chosen by what each filter would cost.

use std::collections::HashMap;

use sqlx::{Any, AnyConnection, Executor, Row};

use super::directory::{parse_cursor, CursorValue, DirectoryQuery, SortKey};
use super::repo::status_from;
use crate::clients::{ClientRow, LOW_CREDIT};
use crate::core::{ClientStatus, Feature, NodeId};
use crate::db::{contains_pattern, Db, Param, SqlBuilder};
use crate::error::AppError;

/// A starting set of at most this many clients is read whole and sorted; past it the
/// directory walks an index in sort order instead.
const SMALL_SET: i64 = 2_000;

/// A directory filter whose clients `client_facets` lists, per partner, in company-name
/// order (migration 0004). Its key there is a prefix naming the filter and a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Facet {
    LowCredit,
    Tag(String),
    Feature(Feature),
    Status(ClientStatus),
}

const STATUS_FACET: &str = "status:";
const TAG_FACET: &str = "tag:";
const FEATURE_FACET: &str = "feature:";
const LOW_CREDIT_FACET: &str = "credit:low";

impl Facet {
    /// The facets `query` filters on, those likeliest to be selective first.
    pub fn of(query: &DirectoryQuery) -> Vec<Facet> {
        let mut facets = Vec::new();
        if query.low_credit {
            facets.push(Facet::LowCredit);
        }
        facets.extend(query.tag.clone().map(Facet::Tag));
        facets.extend(query.feature.map(Facet::Feature));
        facets.extend(query.status.map(Facet::Status));
        facets
    }

    fn key(&self) -> String {
        match self {
            Facet::LowCredit => LOW_CREDIT_FACET.into(),
            Facet::Tag(tag) => format!("{TAG_FACET}{tag}"),
            Facet::Feature(feature) => format!("{FEATURE_FACET}{}", feature.key()),
            Facet::Status(status) => format!("{STATUS_FACET}{}", status.key()),
        }
    }

    /// The same filter as a condition on the client `c`.
    fn condition(&self, sql: &mut SqlBuilder) -> String {
        match self {
            Facet::LowCredit => {
                let bound = sql.bind(Param::Int(LOW_CREDIT));
                format!("(c.sms_balance < {bound} OR c.voice_balance < {bound})")
            }
            Facet::Tag(tag) => format!(
                "EXISTS (SELECT 1 FROM client_tags t WHERE t.client_id = c.node_id AND t.tag = {})",
                sql.bind(Param::Text(tag.clone()))
            ),
            Facet::Feature(feature) => format!(
                "EXISTS (SELECT 1 FROM client_features f WHERE f.client_id = c.node_id \
                 AND f.feature = {})",
                sql.bind(Param::Text(feature.key().into()))
            ),
            Facet::Status(status) => {
                format!("c.status = {}", sql.bind(Param::Text(status.key().into())))
            }
        }
    }
}

/// Rewrites the facets of client `id` from its row, tags and features: called in the
/// transaction of every change to any of them.
pub async fn refresh_facets(conn: &mut AnyConnection, id: NodeId) -> Result<(), AppError> {
    sqlx::query("DELETE FROM client_facets WHERE client_id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    sqlx::query(&format!(
        "INSERT INTO client_facets (client_id, facet, partner_id, name_key) \
         SELECT c.node_id, f.facet, c.partner_id, c.name_key FROM clients c JOIN (\
           SELECT node_id AS client_id, '{STATUS_FACET}' || status AS facet \
           FROM clients WHERE node_id = $1 \
           UNION ALL SELECT client_id, '{TAG_FACET}' || tag FROM client_tags WHERE client_id = $1 \
           UNION ALL SELECT client_id, '{FEATURE_FACET}' || feature \
           FROM client_features WHERE client_id = $1 \
           UNION ALL SELECT node_id, '{LOW_CREDIT_FACET}' FROM clients \
           WHERE node_id = $1 AND (sms_balance < $2 OR voice_balance < $2)\
         ) f ON f.client_id = c.node_id"
    ))
    .bind(id.0)
    .bind(LOW_CREDIT)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The subtrees a directory query lists, and the one partner they all lie in, if so.
#[derive(Clone, Debug)]
pub struct Scope {
    nodes: Vec<NodeId>,
    partner: Option<NodeId>,
}

impl Scope {
    pub async fn resolve(db: &Db, nodes: &[NodeId]) -> Result<Scope, AppError> {
        let mut sql = SqlBuilder::new("");
        let ids = bind_ids(&mut sql, nodes);
        sql.push(&format!(
            "SELECT p.ancestor_id FROM node_paths p JOIN nodes a ON a.id = p.ancestor_id \
             WHERE a.kind = 'partner' AND p.descendant_id IN ({ids})"
        ));
        let partners: Vec<i64> = sql
            .query()
            .fetch_all(db.pool())
            .await?
            .iter()
            .map(|row| row.try_get(0))
            .collect::<Result<_, _>>()?;
        // Every node has at most one partner above it (or is one).
        let one_partner =
            partners.len() == nodes.len() && partners.windows(2).all(|w| w[0] == w[1]);
        Ok(Scope {
            nodes: nodes.to_vec(),
            partner: partners
                .first()
                .filter(|_| one_partner)
                .map(|&id| NodeId(id)),
        })
    }

    /// True when the scope is exactly one partner's whole tree, which the partner
    /// column of a client answers without the closure table.
    fn is_whole_partner(&self) -> bool {
        self.partner.is_some_and(|partner| self.nodes == [partner])
    }
}

/// Where a directory query starts: the set of clients it reads first, before the
/// other conditions and the sort. Every driver returns the same rows; they differ in
/// cost, which depends on how many clients the starting set holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Driver {
    /// Every client of the scope's subtrees, from the closure table.
    Subtree,
    /// The clients of the query's facet at this index of [`Facet::of`].
    Facet(usize),
    /// The clients containing the search text, from the trigram index.
    Search,
    /// Clients in sort order, keeping those that match, stopping after one page: for
    /// when every starting set is large, where matches are common.
    Walk,
    /// The clients of the query's first facet in the partner's company-name order: a
    /// walk that meets only clients of that facet (sorted by name, in one partner).
    FacetWalk,
}

impl Driver {
    /// The drivers that can answer `query` in `scope`.
    pub fn candidates(query: &DirectoryQuery, scope: &Scope) -> Vec<Driver> {
        let facets = Facet::of(query);
        let mut drivers = vec![Driver::Subtree, Driver::Walk];
        drivers.extend((0..facets.len()).map(Driver::Facet));
        if search_phrase(query).is_some() {
            drivers.push(Driver::Search);
        }
        if !facets.is_empty() && query.sort == SortKey::Name && scope.partner.is_some() {
            drivers.push(Driver::FacetWalk);
        }
        drivers
    }

    /// The facet whose clients this driver reads: its condition needs no checking.
    fn facet(self, facets: &[Facet]) -> Option<&Facet> {
        match self {
            Driver::Facet(index) => facets.get(index),
            Driver::FacetWalk => facets.first(),
            _ => None,
        }
    }
}

/// The search text when it is long enough for the trigram index (three characters).
fn search_phrase(query: &DirectoryQuery) -> Option<String> {
    let search = query.search.trim().to_lowercase();
    (search.chars().count() >= 3).then_some(search)
}

/// The rows that start the query under a driver that reads a whole set, as a
/// subquery of client ids; `None` for the others.
fn driver_source(
    db: &Db,
    driver: Driver,
    query: &DirectoryQuery,
    scope: &Scope,
    sql: &mut SqlBuilder,
) -> Option<String> {
    match driver {
        Driver::Facet(index) => {
            let facet = sql.bind(Param::Text(Facet::of(query).get(index)?.key()));
            let partner = scope.partner.map_or(String::new(), |partner| {
                format!(" AND partner_id = {}", sql.bind(Param::Int(partner.0)))
            });
            Some(format!(
                "(SELECT client_id AS id FROM client_facets WHERE facet = {facet}{partner})"
            ))
        }
        Driver::Search => {
            let search = search_phrase(query)?;
            let matches = db.clients_matching(sql, &search);
            // A search for "#id" also finds the client of that id.
            Some(match searched_id(&search) {
                Some(id) => format!("({matches} UNION SELECT {})", sql.bind(Param::Int(id))),
                None => format!("({matches})"),
            })
        }
        Driver::Subtree | Driver::Walk | Driver::FacetWalk => None,
    }
}

fn searched_id(search: &str) -> Option<i64> {
    search.trim_start_matches('#').parse().ok()
}

/// A query counting the clients `driver` starts from, up to just past [`SMALL_SET`];
/// `None` for the walks, which start from no set.
fn size_query(
    db: &Db,
    driver: Driver,
    scope: &Scope,
    query: &DirectoryQuery,
    sql: &mut SqlBuilder,
) -> Option<String> {
    match (driver, driver_source(db, driver, query, scope, sql)) {
        (_, Some(source)) => {
            let limit = sql.bind(Param::Int(SMALL_SET + 1));
            Some(format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM {source} AS d LIMIT {limit}) AS counted"
            ))
        }
        (Driver::Subtree, None) => Some(format!(
            "SELECT CAST(COALESCE(SUM(clients_below), 0) AS BIGINT) FROM nodes WHERE id IN ({})",
            bind_ids(sql, &scope.nodes)
        )),
        (_, None) => None,
    }
}

/// The driver for `query`: the walk in sort order when it keeps every row it meets;
/// otherwise the smallest starting set if it is small (all sets counted in one
/// query), else the walk.
async fn choose_driver(db: &Db, scope: &Scope, query: &DirectoryQuery) -> Result<Driver, AppError> {
    let candidates = Driver::candidates(query, scope);
    let walk = if candidates.contains(&Driver::FacetWalk) {
        Driver::FacetWalk
    } else {
        Driver::Walk
    };
    let walked_facets = usize::from(walk == Driver::FacetWalk);
    let walk_skips_nothing = scope.is_whole_partner()
        && query.search.trim().is_empty()
        && Facet::of(query).len() == walked_facets;
    if walk_skips_nothing {
        return Ok(walk);
    }
    let mut sql = SqlBuilder::new("");
    let mut counted = Vec::new();
    let mut sizes = Vec::new();
    for driver in candidates {
        if let Some(size) = size_query(db, driver, scope, query, &mut sql) {
            counted.push(driver);
            sizes.push(format!("({size})"));
        }
    }
    sql.push(&format!("SELECT {}", sizes.join(", ")));
    let row = sql.query().fetch_one(db.pool()).await?;
    let mut best = (walk, SMALL_SET);
    for (index, driver) in counted.into_iter().enumerate() {
        let size: i64 = row.try_get(index)?;
        if size <= best.1 {
            best = (driver, size);
        }
    }
    Ok(best.0)
}

fn bind_ids(sql: &mut SqlBuilder, ids: &[NodeId]) -> String {
    ids.iter()
        .map(|id| sql.bind(Param::Int(id.0)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One page of the directory under any of `scopes` (whole subtrees), plus whether more
/// rows lie beyond it in the direction of travel. Keyset pagination: the page starts
/// after (or ends before) the cursor's row, so no query scans the rows it skips.
pub async fn directory_rows(
    db: &Db,
    scopes: &[NodeId],
    query: &DirectoryQuery,
    page_size: usize,
) -> Result<(Vec<ClientRow>, bool), AppError> {
    if scopes.is_empty() {
        return Ok((Vec::new(), false));
    }
    let scope = Scope::resolve(db, scopes).await?;
    let driver = choose_driver(db, &scope, query).await?;
    directory_rows_driven(db, &scope, query, page_size, driver).await
}

/// [`directory_rows`] started from the set the caller chooses (tests run them all).
pub async fn directory_rows_driven(
    db: &Db,
    scope: &Scope,
    query: &DirectoryQuery,
    page_size: usize,
    driver: Driver,
) -> Result<(Vec<ClientRow>, bool), AppError> {
    let backwards = query.before.is_some();
    // Walking backwards reverses the order; rows are put back in order below.
    let ascending = query.descending == backwards;
    let order = Order::of(driver, query.sort, ascending);
    let mut page = PageSql::default();
    let from = page.driving_set(db, driver, query, scope)?;
    page.within_scope(driver, query, scope);
    page.filtered(driver, query);
    page.after_cursor(query, &order)?;
    let direction = if ascending { "ASC" } else { "DESC" };
    let limit = page.sql.bind(Param::Int(page_size as i64 + 1));
    let Order {
        sort_column,
        id_column,
        ..
    } = order;
    // The page's ids first, its rows' details after (`rows_of`): one query with the
    // name and group joins as well took PostgreSQL three times as long to plan and run.
    page.sql.push(&format!(
        "SELECT {id_column} AS node_id {from} WHERE {} \
         ORDER BY {sort_column} {direction}, {id_column} {direction} LIMIT {limit}",
        page.conditions.join(" AND ")
    ));

    let mut ids: Vec<i64> = page
        .sql
        .query()
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|row| row.try_get("node_id"))
        .collect::<Result<_, _>>()?;
    let more = ids.len() > page_size;
    ids.truncate(page_size);
    if backwards {
        ids.reverse();
    }
    Ok((rows_of(db, &ids).await?, more))
}

/// The columns a page is ordered by (the sort key, then the id that breaks ties)
/// and which way it walks them.
struct Order {
    sort_column: &'static str,
    id_column: &'static str,
    ascending: bool,
    is_text: bool,
}

impl Order {
    fn of(driver: Driver, sort: SortKey, ascending: bool) -> Order {
        let (sort_column, id_column) = match (driver, sort) {
            (Driver::FacetWalk, _) => ("d.name_key", "d.client_id"),
            (_, SortKey::Name) => ("c.name_key", "c.node_id"),
            (_, SortKey::Created) => ("c.created_at", "c.node_id"),
            (_, SortKey::SmsCredit) => ("c.sms_balance", "c.node_id"),
            (_, SortKey::VoiceCredit) => ("c.voice_balance", "c.node_id"),
        };
        Order {
            sort_column,
            id_column,
            ascending,
            is_text: sort == SortKey::Name,
        }
    }
}

/// A directory page's query as it is assembled: its bound values and the conditions
/// its rows meet.
#[derive(Default)]
struct PageSql {
    sql: SqlBuilder,
    conditions: Vec<String>,
}

impl PageSql {
    /// The FROM clause: the set `driver` starts from, joined to the clients.
    fn driving_set(
        &mut self,
        db: &Db,
        driver: Driver,
        query: &DirectoryQuery,
        scope: &Scope,
    ) -> Result<String, AppError> {
        // CROSS JOIN keeps SQLite from reordering: the starting set is the outer loop.
        if let Some(source) = driver_source(db, driver, query, scope, &mut self.sql) {
            self.conditions.push("c.node_id = d.id".to_string());
            return Ok(format!("FROM {source} AS d CROSS JOIN clients c"));
        }
        match driver {
            Driver::Subtree => {
                let nodes = bind_ids(&mut self.sql, &scope.nodes);
                self.conditions
                    .push("c.node_id = p.descendant_id".to_string());
                self.conditions.push(format!("p.ancestor_id IN ({nodes})"));
                Ok("FROM node_paths p CROSS JOIN clients c".to_string())
            }
            Driver::FacetWalk => {
                let facets = Facet::of(query);
                let facet = facets
                    .first()
                    .ok_or_else(|| AppError::internal("no facet to walk"))?;
                let partner = scope
                    .partner
                    .ok_or_else(|| AppError::internal("no partner"))?;
                let facet = self.sql.bind(Param::Text(facet.key()));
                let partner = self.sql.bind(Param::Int(partner.0));
                self.conditions.push(format!("d.facet = {facet}"));
                self.conditions.push(format!("d.partner_id = {partner}"));
                self.conditions.push("c.node_id = d.client_id".to_string());
                Ok("FROM client_facets d CROSS JOIN clients c".to_string())
            }
            _ => Ok("FROM clients c".to_string()),
        }
    }

    /// Only clients of the scope's partner, below the scope's nodes.
    fn within_scope(&mut self, driver: Driver, query: &DirectoryQuery, scope: &Scope) {
        if let Some(partner) = scope.partner.filter(|_| driver != Driver::FacetWalk) {
            // A walk by company name follows the partner's own name index; any other
            // query only checks the partner (`+ 0` keeps that index from serving it,
            // which would read the partner's every client to sort them).
            let column = if driver == Driver::Walk && query.sort == SortKey::Name {
                "c.partner_id"
            } else {
                "c.partner_id + 0"
            };
            let partner = self.sql.bind(Param::Int(partner.0));
            self.conditions.push(format!("{column} = {partner}"));
        }
        if driver != Driver::Subtree && !scope.is_whole_partner() {
            let nodes = bind_ids(&mut self.sql, &scope.nodes);
            self.conditions.push(format!(
                "EXISTS (SELECT 1 FROM node_paths p WHERE p.descendant_id = c.node_id \
                 AND p.ancestor_id IN ({nodes}))"
            ));
        }
    }

    /// The filters and the search the driving set does not already apply.
    fn filtered(&mut self, driver: Driver, query: &DirectoryQuery) {
        let facets = Facet::of(query);
        let driving = driver.facet(&facets);
        for facet in facets.iter().filter(|facet| Some(*facet) != driving) {
            let condition = facet.condition(&mut self.sql);
            self.conditions.push(condition);
        }
        let search = query.search.trim().to_lowercase();
        if !search.is_empty() {
            let pattern = self.sql.bind(Param::Text(contains_pattern(&search)));
            let by_text = format!("c.search_text LIKE {pattern} ESCAPE '\\'");
            let condition = match searched_id(&search) {
                Some(id) => format!(
                    "({by_text} OR c.node_id = {})",
                    self.sql.bind(Param::Int(id))
                ),
                None => by_text,
            };
            self.conditions.push(condition);
        }
    }

    /// Keyset pagination: only rows past the cursor's, in the direction of travel.
    fn after_cursor(&mut self, query: &DirectoryQuery, order: &Order) -> Result<(), AppError> {
        let cursor = query
            .after
            .as_deref()
            .or(query.before.as_deref())
            .and_then(|cursor| parse_cursor(cursor, query.sort));
        let Some((value, id)) = cursor else {
            return Ok(());
        };
        let value = match value {
            CursorValue::Text(text) if order.is_text => self.sql.bind(Param::Text(text)),
            CursorValue::Number(number) if !order.is_text => self.sql.bind(Param::Int(number)),
            _ => return Err(AppError::internal("cursor of another sort")),
        };
        let id = self.sql.bind(Param::Int(id.0));
        let comparison = if order.ascending { ">" } else { "<" };
        let Order {
            sort_column,
            id_column,
            ..
        } = order;
        self.conditions.push(format!(
            "({sort_column}, {id_column}) {comparison} ({value}, {id})"
        ));
        Ok(())
    }
}

/// The directory rows of clients `ids`, in that order.
async fn rows_of(db: &Db, ids: &[i64]) -> Result<Vec<ClientRow>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = SqlBuilder::new("");
    let placeholders: Vec<String> = ids.iter().map(|id| sql.bind(Param::Int(*id))).collect();
    sql.push(&format!(
        "SELECT c.node_id, n.name, g.name AS group_name, c.contact_name, c.email, c.phone, \
         c.status, c.sms_balance, c.voice_balance, c.created_at \
         FROM clients c JOIN nodes n ON n.id = c.node_id JOIN nodes g ON g.id = n.parent_id \
         WHERE c.node_id IN ({})",
        placeholders.join(", ")
    ));
    let mut rows: HashMap<i64, ClientRow> = HashMap::new();
    for row in sql.query().fetch_all(db.pool()).await? {
        let id: i64 = row.try_get("node_id")?;
        rows.insert(
            id,
            ClientRow {
                id: NodeId(id),
                name: row.try_get("name")?,
                group_name: row.try_get("group_name")?,
                contact_name: row.try_get("contact_name")?,
                email: row.try_get("email")?,
                phone: row.try_get("phone")?,
                status: status_from(&row)?,
                tags: Vec::new(),
                sms_balance: row.try_get("sms_balance")?,
                voice_balance: row.try_get("voice_balance")?,
                created_at: row.try_get("created_at")?,
            },
        );
    }
    // A client deleted between the two reads is left out.
    Ok(ids.iter().filter_map(|id| rows.remove(id)).collect())
}

/// Fills in the tags of directory rows with one query.
pub async fn attach_tags<'e>(
    db: impl Executor<'e, Database = Any>,
    rows: &mut [ClientRow],
) -> Result<(), AppError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut sql = SqlBuilder::new("SELECT client_id, tag FROM client_tags WHERE client_id IN (");
    let ids: Vec<String> = rows
        .iter()
        .map(|row| sql.bind(Param::Int(row.id.0)))
        .collect();
    sql.push(&ids.join(", ")).push(") ORDER BY tag");
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    for row in sql.query().fetch_all(db).await? {
        tags.entry(row.try_get("client_id")?)
            .or_default()
            .push(row.try_get("tag")?);
    }
    for row in rows {
        row.tags = tags.remove(&row.id.0).unwrap_or_default();
    }
    Ok(())
}
