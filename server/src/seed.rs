//! Demo data: a believable world of partners, nested groups, client accounts and users
//! of every role. Safe to run again: existing nodes and users are found, not duplicated,
//! and existing passwords are left alone.

use std::time::Instant;

use app::auth::repo::codes::mark_verified;
use app::auth::repo::live_grant;
use app::auth::repo::{find_by_email, mark_email_verified};
use app::clients::repo::{
    add_credit_entry, client_record, insert_client, set_verification, NewClientRecord,
    NewCreditEntry,
};
use app::clients::{CompanyInfo, CreditKind, EntryType, TIME_ZONES};
use app::core::roles::{Role, RoleSet};
use app::core::voice::VoiceRule;
use app::core::UserStatus;
use app::core::{ClientStatus, Feature, VerificationPolicy, VerifyChannel};
use app::core::{NodeId, NodeKind};
use app::db::{now_ms, Db};
use app::impersonation::repo::insert_grant;
use app::password::{generate_password, random_token, Passwords};
use app::tenancy::repo::{ensure_child, ensure_platform, find_child, insert_node};
use app::tenancy::settings_repo::ensure_partner_settings;
use app::tenancy::PartnerSettings;
use app::users::repo::{insert_user, set_membership, NewUser};
use clap::Args;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection};

use crate::cli::{secret_in, CliResult, RecordingArgs};
use crate::demo_briefing::seed_briefing;
use crate::demo_tasks::seed_tasks;
use crate::demo_traffic::{demo_api_key, seed_traffic};

type SeedError = Box<dyn std::error::Error>;

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
    /// The server's secret key file (as `serve` reads it): the demo API key is kept
    /// hashed under it.
    #[arg(
        long,
        env = "SWITCHBOARD_SECRET_FILE",
        default_value = "data/secret.key"
    )]
    secret_file: std::path::PathBuf,
    /// Where the demo call's recording goes (as for `serve`).
    #[command(flatten)]
    recordings: RecordingArgs,
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
    let mut seeder = Seeder {
        conn: db.pool().acquire().await?,
        passwords,
        password: args.password.clone().unwrap_or_else(generate_password),
        created: Vec::new(),
    };
    let platform = ensure_platform(&mut seeder.conn).await?;
    seeder.users(platform, &PLATFORM_STAFF).await?;
    let northwind = seed_northwind(&mut seeder, platform).await?;
    let harbor = seed_harbor(&mut seeder, northwind.back_bay, northwind.partner).await?;
    let bluebird = seed_bluebird(&mut seeder, platform).await?;
    // Partners of their own for trying out branding, so that changing theirs leaves
    // the brands of Northwind's and Bluebird's people as they are.
    for partner in [&KESTREL, &LARK] {
        seeder.partner(platform, partner).await?;
    }
    let client_groups = [
        (northwind.east, northwind.partner),
        (northwind.boston, northwind.partner),
        (northwind.back_bay, northwind.partner),
        (northwind.west, northwind.partner),
        (northwind.seattle, northwind.partner),
        (bluebird.residential, bluebird.partner),
        (bluebird.pacific, bluebird.partner),
        (bluebird.business, bluebird.partner),
    ];
    let mut busy_accounts = Vec::new();
    for index in 0..40 {
        let (group, partner) = client_groups[index % client_groups.len()];
        let client = demo_client(index, client_name(index));
        let id = ensure_client(&mut seeder.conn, group, partner, &client).await?;
        if index < 3 {
            busy_accounts.push(id);
        }
    }
    let Seeder {
        password, created, ..
    } = seeder;
    seed_briefing(db, harbor, &harbor_dental().company.time_zone).await?;
    seed_traffic(db, &args.recordings.storage()?, harbor, &busy_accounts).await?;
    seed_tasks(db, harbor, &harbor_dental().company.time_zone).await?;
    let key_maker = find_by_email(db.pool(), "admin@northwind.test")
        .await?
        .ok_or("the Northwind admin is missing")?;
    let key = demo_api_key(db, &secret_in(&args.secret_file)?, harbor, key_maker.id).await?;

    if args.clients > 0 {
        add_bulk_world(db, [northwind.partner, bluebird.partner], args.clients).await?;
    }

    print_logins(&password, &created);
    print_api_key(&key, harbor);
    Ok(())
}

fn print_api_key(key: &str, harbor: NodeId) {
    println!(
        "API key of Harbor Dental (account {}), for trying the platform API:",
        harbor.0
    );
    println!("  {key}");
    println!(
        "  curl -H 'Authorization: Bearer {key}' http://127.0.0.1:3000{}",
        app::platform_api::BALANCE
    );
}

const PLATFORM_STAFF: [DemoUser; 2] = [
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
];

/// Northwind's groups, where its demo clients live.
struct Northwind {
    partner: NodeId,
    east: NodeId,
    boston: NodeId,
    back_bay: NodeId,
    west: NodeId,
    seattle: NodeId,
}

async fn seed_northwind(seeder: &mut Seeder<'_>, platform: NodeId) -> Result<Northwind, SeedError> {
    let partner = seeder.partner(platform, &NORTHWIND).await?;
    seeder
        .user(
            partner,
            &DemoUser {
                language: "fr",
                ..user(
                    "gestion@northwind.test",
                    "Gaëlle Garnier",
                    &[Role::AccountAdmin],
                )
            },
        )
        .await?;
    let east = ensure_child(&mut seeder.conn, partner, NodeKind::Group, "East Region").await?;
    seeder
        .user(
            east,
            &user(
                "messaging@northwind.test",
                "Mia Message",
                &[Role::MessagingAgent],
            ),
        )
        .await?;
    let boston = ensure_child(&mut seeder.conn, east, NodeKind::Group, "Boston Metro").await?;
    let back_bay = ensure_child(&mut seeder.conn, boston, NodeKind::Group, "Back Bay").await?;
    let west = ensure_child(&mut seeder.conn, partner, NodeKind::Group, "West Region").await?;
    seeder
        .user(
            west,
            &user("viewer@northwind.test", "Victor View", &[Role::User]),
        )
        .await?;
    let seattle = ensure_child(&mut seeder.conn, west, NodeKind::Group, "Seattle").await?;
    Ok(Northwind {
        partner,
        east,
        boston,
        back_bay,
        west,
        seattle,
    })
}

/// Harbor Dental, the demo client with users of every client role.
async fn seed_harbor(
    seeder: &mut Seeder<'_>,
    group: NodeId,
    partner: NodeId,
) -> Result<NodeId, SeedError> {
    let conn: &mut AnyConnection = &mut seeder.conn;
    let harbor = ensure_client(conn, group, partner, &harbor_dental()).await?;
    // Harbor's Client Users verify both: the demo's front desk is asked for a mobile
    // number at first sign-in.
    let version = client_record(&mut *conn, harbor)
        .await?
        .ok_or("Harbor Dental is missing")?
        .version;
    set_verification(&mut *conn, harbor, VerificationPolicy::EmailAndSms, version).await?;
    seeder.users(harbor, &HARBOR_USERS).await?;
    // Reception has proved both already, so the portal of a Client User opens at once.
    let reception = find_by_email(&mut *seeder.conn, HARBOR_RECEPTION)
        .await?
        .ok_or("Harbor Dental's reception is missing")?;
    let phone = "+16175550177";
    mark_verified(
        &mut seeder.conn,
        reception.id,
        VerifyChannel::Sms,
        phone,
        now_ms(),
    )
    .await?;
    grant_support_for_a_month(&mut seeder.conn, harbor, "client.admin@harbor-dental.test").await?;
    Ok(harbor)
}

/// Harbor Dental's Client User who has verified email and mobile.
pub const HARBOR_RECEPTION: &str = "reception@harbor-dental.test";

const HARBOR_USERS: [DemoUser; 5] = [
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
    DemoUser {
        language: "fr",
        ..user(
            "accueil@harbor-dental.test",
            "Aurélie Aubert",
            &[Role::ClientUser],
        )
    },
    user(HARBOR_RECEPTION, "Rosa Reyes", &[Role::ClientUser]),
];

/// Bluebird's groups, where its demo clients live.
struct Bluebird {
    partner: NodeId,
    residential: NodeId,
    pacific: NodeId,
    business: NodeId,
}

async fn seed_bluebird(seeder: &mut Seeder<'_>, platform: NodeId) -> Result<Bluebird, SeedError> {
    let partner = seeder.partner(platform, &BLUEBIRD).await?;
    let conn: &mut AnyConnection = &mut seeder.conn;
    let residential = ensure_child(&mut *conn, partner, NodeKind::Group, "Residential").await?;
    Ok(Bluebird {
        partner,
        residential,
        pacific: ensure_child(&mut *conn, residential, NodeKind::Group, "Pacific").await?,
        business: ensure_child(&mut *conn, partner, NodeKind::Group, "Business").await?,
    })
}

/// Deterministic, varied company names; index 0 is not "Harbor Dental" (that one is
/// the demo client with users) thanks to the offset.
fn client_name(index: usize) -> String {
    let start = NAME_STARTS[(index + 1) % NAME_STARTS.len()];
    let end = NAME_ENDS[(index * 7 + 3) % NAME_ENDS.len()];
    format!("{start} {end}")
}

/// A demo partner: its brand and its Account Admin.
struct DemoPartner {
    name: &'static str,
    product_name: &'static str,
    primary_colour: &'static str,
    accent_colour: &'static str,
    support_email: &'static str,
    domain: &'static str,
    grantable_features: &'static [Feature],
    admin: DemoUser,
}

const NORTHWIND: DemoPartner = DemoPartner {
    name: "Northwind Telecom",
    product_name: "Northwind Connect",
    primary_colour: "#0f766e",
    accent_colour: "#f59e0b",
    support_email: "support@northwind.test",
    domain: "portal.northwind.test",
    grantable_features: &[
        Feature::Voice,
        Feature::Sms,
        Feature::Chat,
        Feature::CallTracking,
        Feature::CallRecording,
    ],
    admin: user("admin@northwind.test", "Nora North", &[Role::AccountAdmin]),
};

const BLUEBIRD: DemoPartner = DemoPartner {
    name: "Bluebird Voice",
    product_name: "Bluebird Portal",
    primary_colour: "#1d4ed8",
    accent_colour: "#f97316",
    support_email: "help@bluebird.test",
    domain: "my.bluebird.test",
    grantable_features: &[
        Feature::Voice,
        Feature::Sms,
        Feature::Transcription,
        Feature::ApiAccess,
    ],
    admin: user("admin@bluebird.test", "Blake Bird", &[Role::AccountAdmin]),
};

const KESTREL: DemoPartner = DemoPartner {
    name: "Kestrel Networks",
    product_name: "Kestrel Connect",
    primary_colour: "#0f766e",
    accent_colour: "#eab308",
    support_email: "help@kestrel.test",
    domain: "portal.kestrel.test",
    grantable_features: &[Feature::Voice, Feature::Sms],
    admin: user("admin@kestrel.test", "Kit Kestrel", &[Role::AccountAdmin]),
};

const LARK: DemoPartner = DemoPartner {
    name: "Lark Telecom",
    product_name: "Lark Portal",
    primary_colour: "#9333ea",
    accent_colour: "#22c55e",
    support_email: "help@lark.test",
    domain: "portal.lark.test",
    grantable_features: &[Feature::Voice, Feature::Sms, Feature::Chat],
    admin: user("admin@lark.test", "Lee Lark", &[Role::AccountAdmin]),
};

/// What the demo world is written with: one connection, the demo users' password,
/// and the users made now (printed at the end; existing ones keep their password).
struct Seeder<'a> {
    conn: PoolConnection<Any>,
    passwords: &'a Passwords,
    password: String,
    created: Vec<&'static str>,
}

impl Seeder<'_> {
    /// The partner `demo` below the platform, with its brand and its admin.
    async fn partner(&mut self, platform: NodeId, demo: &DemoPartner) -> Result<NodeId, SeedError> {
        let conn: &mut AnyConnection = &mut self.conn;
        let partner = ensure_child(&mut *conn, platform, NodeKind::Partner, demo.name).await?;
        let settings = PartnerSettings {
            partner,
            product_name: demo.product_name.into(),
            logo_url: String::new(),
            primary_colour: demo.primary_colour.into(),
            accent_colour: demo.accent_colour.into(),
            support_email: demo.support_email.into(),
            grantable_features: demo.grantable_features.to_vec(),
            domains: vec![demo.domain.into()],
            voice_rule: VoiceRule::default(),
            version: 1,
        };
        ensure_partner_settings(&mut *conn, &settings).await?;
        self.user(partner, &demo.admin).await?;
        Ok(partner)
    }

    async fn users(&mut self, node: NodeId, demos: &[DemoUser]) -> CliResult {
        for demo in demos {
            self.user(node, demo).await?;
        }
        Ok(())
    }

    async fn user(&mut self, node: NodeId, demo: &DemoUser) -> CliResult {
        let conn: &mut AnyConnection = &mut self.conn;
        let id = match find_by_email(&mut *conn, demo.email).await? {
            Some(existing) => existing.id,
            None => {
                self.created.push(demo.email);
                let password_hash = self.passwords.hash(self.password.clone()).await?;
                let id = insert_user(
                    &mut *conn,
                    &NewUser {
                        email: demo.email,
                        name: demo.name,
                        language: demo.language,
                        branding_domain: None,
                        status: UserStatus::Active,
                        password_hash: Some(password_hash),
                        must_change_password: false,
                    },
                )
                .await?;
                // Demo addresses count as proved, as if each had followed their link.
                mark_email_verified(&mut *conn, id).await?;
                id
            }
        };
        let roles = RoleSet::new(demo.roles.iter().copied());
        set_membership(conn, id, node, &roles).await?;
        Ok(())
    }
}

/// A client account to seed, with its credits.
struct DemoClient {
    company: CompanyInfo,
    status: ClientStatus,
    tags: Vec<String>,
    features: Vec<Feature>,
    seat_limit: i64,
    sms: i64,
    voice: i64,
}

fn harbor_dental() -> DemoClient {
    DemoClient {
        company: CompanyInfo {
            name: "Harbor Dental".into(),
            contact_name: "Hana Harbor".into(),
            email: "office@harbor-dental.test".into(),
            phone: "+1 617 555 0100".into(),
            address: "12 Atlantic Ave, Boston MA".into(),
            time_zone: "America/New_York".into(),
        },
        status: ClientStatus::Active,
        tags: vec!["dental".into(), "vip".into()],
        features: vec![Feature::Voice, Feature::Sms, Feature::CallRecording],
        seat_limit: 10,
        sms: 2_500,
        voice: 1_200,
    }
}

const CONTACTS: [&str; 10] = [
    "Ava Stone",
    "Ben Ortiz",
    "Chloé Martin",
    "Dev Patel",
    "Emma Lee",
    "Farid Haddad",
    "Grace Kim",
    "Hugo Petit",
    "Iris Novak",
    "Jon Berg",
];
const TAGS: [&str; 6] = [
    "vip",
    "trial",
    "priority",
    "seasonal",
    "legacy",
    "multi-site",
];

/// A varied, deterministic client account: statuses, tags, features and credits differ
/// from one index to the next, and some accounts run low on credit.
fn demo_client(index: usize, name: String) -> DemoClient {
    let slug: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let status = match index % 10 {
        0 => ClientStatus::Suspended,
        3 | 7 => ClientStatus::Pending,
        _ => ClientStatus::Active,
    };
    let tags = (0..index % 3)
        .map(|i| TAGS[(index + i * 2) % TAGS.len()].to_string())
        .collect();
    let features = [
        Feature::Voice,
        Feature::Sms,
        Feature::Chat,
        Feature::CallRecording,
    ]
    .into_iter()
    .enumerate()
    .filter(|(bit, _)| *bit < 2 || (index >> bit) & 1 == 1)
    .map(|(_, feature)| feature)
    .collect();
    DemoClient {
        company: CompanyInfo {
            contact_name: CONTACTS[index % CONTACTS.len()].to_string(),
            email: format!("office{}@{}.test", index + 1, slug.trim_matches('-')),
            phone: format!("+1 {} 555 {:04}", 200 + index % 700, index % 10_000),
            address: format!("{} Main Street", 1 + index % 400),
            time_zone: TIME_ZONES[index % 8].to_string(),
            name,
        },
        status,
        tags,
        features,
        seat_limit: 3 + (index % 5) as i64 * 5,
        sms: ((index * 137) % 5_000) as i64,
        voice: ((index * 89) % 3_000) as i64,
    }
}

/// The client named like `client` in `group`, created with its initial credits if new.
/// Features are kept to what the partner grants.
async fn ensure_client(
    conn: &mut AnyConnection,
    group: NodeId,
    partner: NodeId,
    client: &DemoClient,
) -> Result<NodeId, Box<dyn std::error::Error>> {
    if let Some(existing) =
        find_child(&mut *conn, group, NodeKind::Client, &client.company.name).await?
    {
        return Ok(existing);
    }
    Ok(add_client(conn, group, partner, client).await?)
}

async fn add_client(
    conn: &mut AnyConnection,
    group: NodeId,
    partner: NodeId,
    client: &DemoClient,
) -> Result<NodeId, app::error::AppError> {
    let grantable = app::clients::repo::grantable_features(&mut *conn, partner).await?;
    let features: Vec<Feature> = client
        .features
        .iter()
        .copied()
        .filter(|feature| grantable.contains(feature))
        .collect();
    let id = insert_client(
        conn,
        NewClientRecord {
            group,
            partner,
            company: &client.company,
            status: client.status,
            seat_limit: client.seat_limit,
            features: &features,
            tags: &client.tags,
            sso_token: &random_token(),
        },
    )
    .await?;
    for (credit, amount) in [
        (CreditKind::Sms, client.sms),
        (CreditKind::Voice, client.voice),
    ] {
        if amount > 0 {
            add_credit_entry(
                conn,
                NewCreditEntry {
                    client: id,
                    credit,
                    entry_type: EntryType::Grant,
                    amount,
                    note: "Initial credits",
                    actor: None,
                },
            )
            .await?;
        }
    }
    Ok(id)
}

/// A large world for benchmarks: a group for every ten clients, nested ten to a
/// parent under both partners, and `how_many` clients spread over them, added in
/// batches of one transaction each with progress shown. Numbering continues after
/// what a previous run added.
async fn add_bulk_world(db: &Db, partners: [NodeId; 2], how_many: usize) -> CliResult {
    const BATCH: usize = 1_000;
    const TOP_GROUPS: usize = 20;
    let started = Instant::now();
    let first: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM nodes WHERE kind = 'client' AND name LIKE '% #%'")
            .fetch_one(db.pool())
            .await?;
    let first = first as usize;

    let group_count = (how_many / 10).max(TOP_GROUPS);
    let mut groups: Vec<(NodeId, NodeId)> = Vec::with_capacity(group_count);
    let mut tx = db.begin().await?;
    for number in 0..group_count {
        let (parent, partner) = if number < TOP_GROUPS {
            let partner = partners[number % 2];
            (partner, partner)
        } else {
            groups[(number - TOP_GROUPS) / 10]
        };
        let name = format!("Area {} #{}", number + 1, first + number + 1);
        let id = insert_node(&mut tx, Some(parent), NodeKind::Group, &name).await?;
        groups.push((id, partner));
        if number % BATCH == BATCH - 1 {
            tx.commit().await?;
            tx = db.begin().await?;
            eprint!("\rAdded {} of {group_count} groups", number + 1);
        }
    }
    tx.commit().await?;
    eprintln!(
        "\rAdded {group_count} groups in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut done = 0;
    while done < how_many {
        let batch_end = (done + BATCH).min(how_many);
        let mut tx = db.begin().await?;
        for number in first + done..first + batch_end {
            let (group, partner) = groups[number % groups.len()];
            let name = format!("{} #{}", client_name(number), number + 1);
            add_client(&mut tx, group, partner, &demo_client(number, name)).await?;
        }
        tx.commit().await?;
        done = batch_end;
        eprint!("\rAdded {done} of {how_many} client accounts");
    }
    eprintln!(" in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Harbor Dental lets support in, so the support agent's list has an account.
async fn grant_support_for_a_month(
    conn: &mut AnyConnection,
    account: NodeId,
    granted_by: &str,
) -> CliResult {
    let now = app::db::now_ms();
    if live_grant(&mut *conn, account, now).await?.is_some() {
        return Ok(());
    }
    let admin = find_by_email(&mut *conn, granted_by)
        .await?
        .ok_or("the granting admin is missing")?;
    insert_grant(conn, account, admin.id, now, now + 30 * 86_400_000).await?;
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
        (
            "gestion@northwind.test",
            "Account Admin of Northwind Telecom (French)",
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
            "Client User of Harbor Dental (French; verifies a mobile number first)",
        ),
        (
            "accueil@harbor-dental.test",
            "Client User of Harbor Dental (French, like the front desk)",
        ),
        (
            "admin@bluebird.test",
            "Account Admin of partner Bluebird Voice",
        ),
        (
            "admin@kestrel.test",
            "Account Admin of partner Kestrel Networks",
        ),
        ("admin@lark.test", "Account Admin of partner Lark Telecom"),
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
        &NewUser {
            email,
            name,
            language: "en",
            branding_domain: None,
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
