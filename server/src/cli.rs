//! Command line and configuration: flags, each with an environment variable.

use std::net::SocketAddr;

use app::audit_trail::chain::ChainReport;
use app::db::Db;
use app::mail::delivery::{spawn_worker, Mailer, Senders};
use app::mail::sms::SmsSender;
use app::password::{generate_password, Passwords};
use app::state::{ApiLimit, AppState, ServerSecret, Settings};
use app::storage::Storage;
use clap::builder::FalseyValueParser;
use clap::{Args, Parser, Subcommand};

use crate::{seed, serve};

pub type CliResult = Result<(), Box<dyn std::error::Error>>;

#[derive(Parser, Debug)]
#[command(
    name = "switchboard",
    version,
    about = "The partner portal of a communications platform"
)]
pub struct Cli {
    /// sqlite:… (embedded, the default) or postgres://… to share one database between processes.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/switchboard.db?mode=rwc",
        global = true
    )]
    database_url: String,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server (the default). Migrations run first.
    Serve(Box<ServeArgs>),
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Create a platform admin with a one-time password that must be changed at first sign-in.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Platform Admin")]
        name: String,
    },
    /// Create demo data: partners, nested groups, client accounts and users of every role.
    Seed(seed::SeedArgs),
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Print a signed SSO login link for a user of a client account, as a partner's
    /// system would make one with the client's SSO token.
    SsoLink {
        #[arg(long)]
        client: i64,
        #[arg(long)]
        email: String,
        /// How long the link stays valid.
        #[arg(long, default_value_t = 300)]
        seconds: i64,
    },
}

#[derive(Subcommand, Debug)]
enum AuditCommand {
    /// Walk the audit log's hash chain and say whether any event was changed or
    /// removed; exits with an error where it is broken.
    Verify,
}

#[derive(Args, Debug, Default)]
pub struct ServeArgs {
    /// Address to listen on; defaults to LEPTOS_SITE_ADDR, then 127.0.0.1:3000.
    #[arg(long, env = "SWITCHBOARD_ADDR")]
    pub addr: Option<SocketAddr>,
    /// Send cookies without `Secure`, for plain http on a local machine only.
    #[arg(long, env = "SWITCHBOARD_INSECURE_COOKIES", value_parser = FalseyValueParser::new())]
    pub insecure_cookies: bool,
    /// Take the client address from the last X-Forwarded-For entry, the one a trusted
    /// proxy appends (only behind one such proxy).
    #[arg(long, env = "SWITCHBOARD_TRUST_PROXY", value_parser = FalseyValueParser::new())]
    pub trust_proxy: bool,
    /// Minutes without a request after which a session ends.
    #[arg(long, env = "SWITCHBOARD_SESSION_IDLE_MINUTES", default_value_t = 60)]
    pub session_idle_minutes: i64,
    /// Hours after sign-in after which a session ends, however active.
    #[arg(long, env = "SWITCHBOARD_SESSION_HOURS", default_value_t = 12)]
    pub session_hours: i64,
    /// Where people reach Switchboard, for links in email; defaults to http://ADDR.
    /// Links on a partner's branding domain keep its scheme and port.
    #[arg(long, env = "SWITCHBOARD_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Deliver email over SMTP: smtp://host:port (plain, or STARTTLS with
    /// ?tls=required), smtps://user:password@host. Without it, email is written
    /// to files in --mail-dir.
    #[arg(long, env = "SWITCHBOARD_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The address email comes from; the brand's product name is its display name.
    #[arg(
        long,
        env = "SWITCHBOARD_MAIL_FROM",
        default_value = "no-reply@localhost"
    )]
    pub mail_from: String,
    /// Where email goes as .eml files when there is no --smtp-url.
    #[arg(long, env = "SWITCHBOARD_MAIL_DIR", default_value = "data/mail")]
    pub mail_dir: std::path::PathBuf,
    /// Send text messages through the SMS provider's webhook: each is POSTed as JSON
    /// {id, to, body, sender, purpose}. Without it, they are written to --sms-dir.
    #[arg(long, env = "SWITCHBOARD_SMS_WEBHOOK")]
    pub sms_webhook: Option<String>,
    /// Sent to the webhook as `Authorization: Bearer <token>`.
    #[arg(long, env = "SWITCHBOARD_SMS_WEBHOOK_TOKEN", hide_env_values = true)]
    pub sms_webhook_token: Option<String>,
    /// Where text messages go as .json files when there is no --sms-webhook.
    #[arg(long, env = "SWITCHBOARD_SMS_DIR", default_value = "data/sms")]
    pub sms_dir: std::path::PathBuf,
    /// The server's secret key (64 hex digits), generated there at first start when
    /// the file does not exist. Processes sharing a database must use the same one.
    #[arg(
        long,
        env = "SWITCHBOARD_SECRET_FILE",
        default_value = "data/secret.key"
    )]
    pub secret_file: std::path::PathBuf,
    /// API requests per second one key may send on average (per process).
    #[arg(long, env = "SWITCHBOARD_API_RATE", default_value_t = 20)]
    pub api_rate: u32,
    /// API requests one key may send at once before the rate applies (per process).
    #[arg(long, env = "SWITCHBOARD_API_BURST", default_value_t = 100)]
    pub api_burst: u32,
    #[command(flatten)]
    pub recordings: RecordingArgs,
}

/// Where call recordings are kept.
#[derive(Args, Debug, Default, Clone)]
pub struct RecordingArgs {
    /// Keep call recordings in this folder (when no --recordings-bucket is given).
    #[arg(
        long,
        env = "SWITCHBOARD_RECORDINGS_DIR",
        default_value = "data/recordings"
    )]
    pub recordings_dir: std::path::PathBuf,
    /// Keep call recordings in S3-compatible object storage instead, as
    /// s3://bucket; region, endpoint and credentials from the AWS_* variables.
    /// Several processes sharing a database need this (or one shared folder).
    #[arg(long, env = "SWITCHBOARD_RECORDINGS_BUCKET")]
    pub recordings_bucket: Option<String>,
    /// The largest recording the API takes, in MB.
    #[arg(long, env = "SWITCHBOARD_MAX_RECORDING_MB", default_value_t = 50)]
    pub max_recording_mb: usize,
}

impl RecordingArgs {
    pub fn storage(&self) -> Result<Storage, String> {
        match &self.recordings_bucket {
            Some(url) => Storage::s3(url),
            None => Storage::folder(&self.recordings_dir),
        }
    }
}

impl ServeArgs {
    fn settings(&self) -> Result<Settings, String> {
        Ok(Settings {
            secure_cookies: !self.insecure_cookies,
            trust_forwarded_for: self.trust_proxy,
            session_idle_ms: self.session_idle_minutes * 60_000,
            session_lifetime_ms: self.session_hours * 3_600_000,
            public_url: self.public_url.clone().unwrap_or_default(),
            secret: secret_in(&self.secret_file)?,
            api_limit: ApiLimit {
                per_second: self.api_rate.max(1),
                burst: self.api_burst.max(1),
            },
            storage: self.recordings.storage()?,
            max_recording_bytes: self.recordings.max_recording_mb.max(1) << 20,
            ..Settings::default()
        })
    }

    fn senders(&self) -> Result<Senders, String> {
        let mail = match &self.smtp_url {
            Some(url) => Mailer::smtp(url, &self.mail_from)?,
            None => {
                println!(
                    "Email is written to {} (no --smtp-url).",
                    self.mail_dir.display()
                );
                Mailer::files(self.mail_dir.clone(), &self.mail_from)?
            }
        };
        let sms = match &self.sms_webhook {
            Some(url) => SmsSender::webhook(url, self.sms_webhook_token.clone())?,
            None => {
                println!(
                    "Text messages are written to {} (no --sms-webhook).",
                    self.sms_dir.display()
                );
                SmsSender::files(self.sms_dir.clone())?
            }
        };
        Ok(Senders { mail, sms })
    }
}

/// The secret kept in `path`, made and written there (readable by its owner only)
/// when the file does not exist yet.
pub fn secret_in(path: &std::path::Path) -> Result<ServerSecret, String> {
    let unreadable = |error: std::io::Error| format!("secret file {}: {error}", path.display());
    match std::fs::read_to_string(path) {
        Ok(text) => ServerSecret::from_hex(&text).ok_or_else(|| {
            format!(
                "secret file {} does not hold {} bytes as hex",
                path.display(),
                ServerSecret::LENGTH
            )
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let secret = ServerSecret::generate();
            if let Some(folder) = path
                .parent()
                .filter(|folder| !folder.as_os_str().is_empty())
            {
                std::fs::create_dir_all(folder).map_err(unreadable)?;
            }
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options.open(path).map_err(unreadable)?;
            std::io::Write::write_all(&mut file, format!("{}\n", secret.to_hex()).as_bytes())
                .map_err(unreadable)?;
            println!("A new server secret is in {}.", path.display());
            Ok(secret)
        }
        Err(error) => Err(unreadable(error)),
    }
}

impl Default for Command {
    fn default() -> Self {
        Command::Serve(Box::default())
    }
}

pub async fn run(cli: Cli) -> CliResult {
    let db = Db::connect(&cli.database_url).await?;
    let result = match cli.command.unwrap_or_default() {
        Command::Serve(args) => {
            db.migrate().await?;
            spawn_worker(db.clone(), args.senders()?);
            let state = AppState {
                db: db.clone(),
                settings: args.settings()?,
                passwords: Passwords::new(hashing_threads()),
            };
            serve::serve(state, args.addr).await
        }
        Command::Migrate => {
            db.migrate().await?;
            println!("Database is up to date.");
            Ok(())
        }
        Command::CreateAdmin { email, name } => {
            db.migrate().await?;
            create_admin(&db, &email, &name).await
        }
        Command::Seed(args) => {
            db.migrate().await?;
            seed::seed(&db, &Passwords::new(hashing_threads()), args).await
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => audit_verify(&db).await,
        Command::SsoLink {
            client,
            email,
            seconds,
        } => sso_link(&db, client, email, seconds).await,
    };
    db.close().await;
    result
}

/// Password hashing takes a core each; leave one for everything else.
fn hashing_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get().saturating_sub(1).max(1))
        .unwrap_or(1)
}

async fn create_admin(db: &Db, email: &str, name: &str) -> CliResult {
    if let Some(problem) = app::core::validate::email_problem(email) {
        return Err(problem.into());
    }
    let password = generate_password();
    let hash = Passwords::new(1).hash(password.clone()).await?;
    seed::create_platform_admin(db, email, name, hash).await?;
    println!("Created platform admin {email}.");
    println!("One-time password: {password}");
    println!("It must be changed at first sign-in.");
    Ok(())
}

async fn audit_verify(db: &Db) -> CliResult {
    let report = app::audit_trail::chain::verify(db).await?;
    let (said, intact) = describe(&report);
    println!("{said}");
    if intact {
        Ok(())
    } else {
        Err("the audit log was tampered with".into())
    }
}

/// What `audit verify` says of a report, and whether the chain is whole.
fn describe(report: &ChainReport) -> (String, bool) {
    match report {
        ChainReport::Intact {
            unchained,
            chained,
            head,
        } => {
            let mut said = format!("Audit log intact: {chained} events chained.");
            if *unchained > 0 {
                said.push_str(&format!(
                    " {unchained} earlier events were written before the chain and are not covered."
                ));
            }
            if !head.is_empty() {
                said.push_str(&format!(
                    "\nLast hash: {head} (note it down: a later check proves nothing up to here was rewritten)."
                ));
            }
            (said, true)
        }
        ChainReport::Broken { event: 0, problem } => {
            (format!("Audit log BROKEN at its end: {problem}."), false)
        }
        ChainReport::Broken { event, problem } => (
            format!("Audit log BROKEN at event #{event}: {problem}."),
            false,
        ),
    }
}

async fn sso_link(db: &Db, client: i64, email: String, seconds: i64) -> CliResult {
    use app::auth::sso::{SsoLink, MAX_LIFETIME_SECONDS};
    let token = app::auth::repo::sso_token(db.pool(), app::core::NodeId(client))
        .await?
        .ok_or("no client account has that id")?;
    let link = SsoLink {
        client,
        email,
        expires: app::db::now_ms() / 1000 + seconds.clamp(1, MAX_LIFETIME_SECONDS),
        nonce: app::password::random_token(),
        signature: String::new(),
    };
    println!("{}", link.to_path(&token));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_names_the_broken_event_or_the_last_hash() {
        let intact = ChainReport::Intact {
            unchained: 2,
            chained: 40,
            head: "ab12".into(),
        };
        let (said, whole) = describe(&intact);
        assert!(whole);
        assert!(said.starts_with("Audit log intact: 40 events chained. 2 earlier events"));
        assert!(said.contains("Last hash: ab12"));
        let broken = ChainReport::Broken {
            event: 17,
            problem: "what it says was changed after it was written".into(),
        };
        let (said, whole) = describe(&broken);
        assert!(!whole);
        assert_eq!(
            said,
            "Audit log BROKEN at event #17: what it says was changed after it was written."
        );
    }

    #[test]
    fn a_secret_is_made_once_kept_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/secret.key");
        let made = secret_in(&path).unwrap();
        assert_eq!(secret_in(&path).unwrap().to_hex(), made.to_hex());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{mode:o}");
        }
        std::fs::write(&path, "not hex").unwrap();
        assert!(secret_in(&path).unwrap_err().contains("hex"));
    }
}
