//! Demo data: a believable world of partners, nested groups, client accounts and users
//! of every role. Safe to run again: existing nodes and users are found, not duplicated,
//! and existing passwords are left alone.

use std::time::Instant;

use app::auth::password::{generate_password, Passwords};
use app::auth::roles::{Role, RoleSet};
use app::db::Db;
use app::tenancy::repo::{ensure_child, ensure_platform};
use app::tenancy::{NodeId, NodeKind};
use app::users::repo::{find_by_email, insert_user, set_membership, NewUser};
use app::users::UserStatus;
use clap::Args;
use sqlx::AnyConnection;

use crate::cli::CliResult;

#[derive(Args, Debug)]
pub struct SeedArgs {
    /// Create the demo world (required: seeding has no other mode yet).
    #[arg(long)]
    demo: bool,
    /// Extra generated client accounts, spread over the demo groups (for benchmarks).
    #[arg(long, default_value_t = 0)]
    clients: usize,
    /// Password of the demo users created now; generated and printed when not given.
    #[arg(long, env = "SWITCHBOARD_DEMO_PASSWORD")]
    password: Option<String>,
}

const NAME_STARTS: [&str; 16] = [
    "Harbor",
    "Summit",
    "Maple",
    "Cedar",
    "Lakeside",
    "Granite",
    "Riverside",
    "Oakwood",
    "Beacon",
    "Pioneer",
    "Willow",
    "Northgate",
    "Sunrise",
    "Bayview",
    "Evergreen",
    "Foxglove",
];
const NAME_ENDS: [&str; 12] = [
    "Dental",
    "Law Group",
    "Plumbing",
    "Veterinary",
    "Realty",
    "Family Clinic",
    "Auto Repair",
    "Bakery",
    "Insurance",
    "Fitness",
    "Roofing",
    "Accounting",
];

struct DemoUser {
    email: &'static str,
    name: &'static str,
    language: &'static str,
    roles: &'static [Role],
}

const fn user(email: &'static str, name: &'static str, roles: &'static [Role]) -> DemoUser {
    DemoUser {
        email,
        name,
        language: "en",
        roles,
    }
}

pub async fn seed(db: &Db, passwords: &Passwords, args: SeedArgs) -> CliResult {
    if !args.demo {
        return Err("nothing to do: pass --demo".into());
    }
    let password = args.password.clone().unwrap_or_else(generate_password);
    let mut conn = db.pool().acquire().await?;
    let mut created_users = Vec::new();

    let platform = ensure_platform(&mut conn).await?;
    for demo in [
        user(
            "admin@switchboard.test",
            "Paula Platform",
            &[Role::PlatformAdmin],
        ),
        user(
            "support@switchboard.test",
            "Sam Support",
            &[Role::SupportAgent],
        ),
    ] {
        add_user(
            &mut conn,
            passwords,
            &password,
            platform,
            &demo,
            &mut created_users,
        )
        .await?;
    }

    let northwind =
        ensure_child(&mut conn, platform, NodeKind::Partner, "Northwind Telecom").await?;
    add_user(
        &mut conn,
        passwords,
        &password,
        northwind,
        &user("admin@northwind.test", "Nora North", &[Role::AccountAdmin]),
        &mut created_users,
    )
    .await?;
    let east = ensure_child(&mut conn, northwind, NodeKind::Group, "East Region").await?;
    add_user(
        &mut conn,
        passwords,
        &password,
        east,
        &user(
            "messaging@northwind.test",
            "Mia Message",
            &[Role::MessagingAgent],
        ),
        &mut created_users,
    )
    .await?;
    let boston = ensure_child(&mut conn, east, NodeKind::Group, "Boston Metro").await?;
    let back_bay = ensure_child(&mut conn, boston, NodeKind::Group, "Back Bay").await?;
    let west = ensure_child(&mut conn, northwind, NodeKind::Group, "West Region").await?;
    add_user(
        &mut conn,
        passwords,
        &password,
        west,
        &user("viewer@northwind.test", "Victor View", &[Role::User]),
        &mut created_users,
    )
    .await?;
    let seattle = ensure_child(&mut conn, west, NodeKind::Group, "Seattle").await?;

    let harbor = ensure_child(&mut conn, back_bay, NodeKind::Client, "Harbor Dental").await?;
    for demo in [
        user(
            "client.admin@harbor-dental.test",
            "Hana Harbor",
            &[Role::ClientAdmin],
        ),
        user(
            "manager@harbor-dental.test",
            "Max Manager",
            &[Role::AccountManager],
        ),
        DemoUser {
            language: "fr",
            ..user(
                "front.desk@harbor-dental.test",
                "Félix Fournier",
                &[Role::ClientUser],
            )
        },
    ] {
        add_user(
            &mut conn,
            passwords,
            &password,
            harbor,
            &demo,
            &mut created_users,
        )
        .await?;
    }

    let bluebird = ensure_child(&mut conn, platform, NodeKind::Partner, "Bluebird Voice").await?;
    add_user(
        &mut conn,
        passwords,
        &password,
        bluebird,
        &user("admin@bluebird.test", "Blake Bird", &[Role::AccountAdmin]),
        &mut created_users,
    )
    .await?;
    let residential = ensure_child(&mut conn, bluebird, NodeKind::Group, "Residential").await?;
    let pacific = ensure_child(&mut conn, residential, NodeKind::Group, "Pacific").await?;
    let business = ensure_child(&mut conn, bluebird, NodeKind::Group, "Business").await?;

    let client_groups = [
        east,
        boston,
        back_bay,
        west,
        seattle,
        residential,
        pacific,
        business,
    ];
    for index in 0..40 {
        let group = client_groups[index % client_groups.len()];
        ensure_child(&mut conn, group, NodeKind::Client, &client_name(index)).await?;
    }
    drop(conn);

    if args.clients > 0 {
        add_bulk_clients(db, &client_groups, args.clients).await?;
    }

    print_logins(&password, &created_users);
    Ok(())
}

/// Deterministic, varied company names; index 0 is not "Harbor Dental" (that one is
/// the demo client with users) thanks to the offset.
fn client_name(index: usize) -> String {
    let start = NAME_STARTS[(index + 1) % NAME_STARTS.len()];
    let end = NAME_ENDS[(index * 7 + 3) % NAME_ENDS.len()];
    format!("{start} {end}")
}

async fn add_user(
    conn: &mut AnyConnection,
    passwords: &Passwords,
    password: &str,
    node: NodeId,
    demo: &DemoUser,
    created: &mut Vec<&'static str>,
) -> CliResult {
    let id = match find_by_email(&mut *conn, demo.email).await? {
        Some(existing) => existing.id,
        None => {
            created.push(demo.email);
            insert_user(
                &mut *conn,
                NewUser {
                    email: demo.email,
                    name: demo.name,
                    language: demo.language,
                    status: UserStatus::Active,
                    password_hash: Some(passwords.hash(password.to_string()).await?),
                    must_change_password: false,
                },
            )
            .await?
        }
    };
    set_membership(conn, id, node, &RoleSet::new(demo.roles.iter().copied())).await?;
    Ok(())
}

/// Adds generated clients in batches of one transaction each, showing progress.
/// Numbering continues after those a previous run added.
async fn add_bulk_clients(db: &Db, groups: &[NodeId], how_many: usize) -> CliResult {
    const BATCH: usize = 2_000;
    let started = Instant::now();
    let existing: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM nodes WHERE kind = 'client' AND name LIKE '% #%'")
            .fetch_one(db.pool())
            .await?;
    let first = existing as usize;
    let mut done = 0;
    while done < how_many {
        let batch_end = (done + BATCH).min(how_many);
        let mut tx = db.begin().await?;
        for number in first + done..first + batch_end {
            let group = groups[number % groups.len()];
            let name = format!("{} #{}", client_name(number), number + 1);
            app::tenancy::repo::insert_node(&mut tx, Some(group), NodeKind::Client, &name).await?;
        }
        tx.commit().await?;
        done = batch_end;
        eprint!("\rAdded {done} of {how_many} client accounts");
    }
    eprintln!(" in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn print_logins(password: &str, created: &[&str]) {
    println!("Demo data is ready. Demo logins:");
    for (email, who) in [
        ("admin@switchboard.test", "Platform Admin"),
        ("support@switchboard.test", "Support Agent"),
        (
            "admin@northwind.test",
            "Account Admin of partner Northwind Telecom",
        ),
        ("messaging@northwind.test", "Messaging Agent, East Region"),
        ("viewer@northwind.test", "User (view only), West Region"),
        (
            "client.admin@harbor-dental.test",
            "Client Admin of Harbor Dental",
        ),
        (
            "manager@harbor-dental.test",
            "Account Manager of Harbor Dental",
        ),
        (
            "front.desk@harbor-dental.test",
            "Client User of Harbor Dental (French)",
        ),
        (
            "admin@bluebird.test",
            "Account Admin of partner Bluebird Voice",
        ),
    ] {
        println!("  {email:<34} {who}");
    }
    if created.is_empty() {
        println!("Password: unchanged (these users existed before this run).");
    } else {
        println!(
            "Password of the {} users created now: {password}",
            created.len()
        );
    }
}

/// A platform admin whose password must be replaced at first sign-in.
pub async fn create_platform_admin(db: &Db, email: &str, name: &str, hash: String) -> CliResult {
    let mut tx = db.begin().await?;
    let platform = ensure_platform(&mut tx).await?;
    let id = insert_user(
        &mut *tx,
        NewUser {
            email,
            name,
            language: "en",
            status: UserStatus::Active,
            password_hash: Some(hash),
            must_change_password: true,
        },
    )
    .await?;
    set_membership(&mut tx, id, platform, &RoleSet::new([Role::PlatformAdmin])).await?;
    tx.commit().await?;
    Ok(())
}
