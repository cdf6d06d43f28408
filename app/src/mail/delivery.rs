//! Delivering the outbox: email over SMTP and text messages through the SMS webhook
//! in production, both into files in development, by a worker every server process
//! runs.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::file::AsyncFileTransport;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::outbox::{claim_due, mark_failed, mark_sent, Outgoing};
use super::sms::SmsSender;
use super::templates::Email;
use crate::db::Db;
use crate::error::AppError;

/// Messages taken per pass of the worker.
const BATCH: i64 = 20;
/// How often the worker looks for due messages.
const POLL: Duration = Duration::from_secs(2);

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

/// Sends messages from one address, with the brand's name as the sender's.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Address,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.transport {
            Transport::Smtp(_) => "smtp",
            Transport::Files(_) => "files",
        };
        write!(f, "Mailer({kind}, from {})", self.from)
    }
}

impl Mailer {
    /// Over SMTP: `smtp://host:port` (STARTTLS when offered… see lettre's URL
    /// format), `smtps://user:password@host`, `smtp://host:port?tls=required`.
    pub fn smtp(url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|error| format!("SMTP address {url:?}: {error}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(Mailer {
            transport: Transport::Smtp(transport),
            from: sender_address(from)?,
        })
    }

    /// Into one `.eml` file per message in `folder`, for development.
    pub fn files(folder: PathBuf, from: &str) -> Result<Mailer, String> {
        std::fs::create_dir_all(&folder)
            .map_err(|error| format!("mail folder {}: {error}", folder.display()))?;
        Ok(Mailer {
            transport: Transport::Files(AsyncFileTransport::new(folder)),
            from: sender_address(from)?,
        })
    }

    async fn send(&self, email: &Email) -> Result<(), String> {
        let message = self.message(email)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Transport::Files(files) => files
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
        }
    }

    fn message(&self, email: &Email) -> Result<Message, String> {
        let to: Address = email
            .recipient
            .parse()
            .map_err(|error| format!("recipient address: {error}"))?;
        Message::builder()
            .from(Mailbox::new(
                Some(email.sender_name.clone()),
                self.from.clone(),
            ))
            .to(Mailbox::new(Some(email.recipient_name.clone()), to))
            .subject(email.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                email.text.clone(),
                email.html.clone(),
            ))
            .map_err(|error| error.to_string())
    }
}

fn sender_address(from: &str) -> Result<Address, String> {
    from.parse()
        .map_err(|error| format!("sender address {from:?}: {error}"))
}

/// What the worker delivers with: one sender per channel.
#[derive(Clone, Debug)]
pub struct Senders {
    pub mail: Mailer,
    pub sms: SmsSender,
}

/// One pass: delivers what is due now, recording each success or failure. Returns
/// how many were sent.
pub async fn deliver_due(db: &Db, senders: &Senders) -> Result<usize, AppError> {
    let mut sent = 0;
    for claimed in claim_due(db, BATCH).await? {
        let outcome = match &claimed.message {
            Outgoing::Email(email) => senders.mail.send(email).await,
            Outgoing::Sms(sms) => senders.sms.send(claimed.id, sms).await,
        };
        match outcome {
            Ok(()) => {
                mark_sent(db, claimed.id).await?;
                sent += 1;
            }
            Err(error) => {
                tracing::warn!(id = claimed.id, purpose = %claimed.message.purpose(), %error, "message not delivered");
                mark_failed(db, &claimed, &error).await?;
            }
        }
    }
    Ok(sent)
}

/// Runs [`deliver_due`] every few seconds for as long as the server runs.
pub fn spawn_worker(db: Db, senders: Senders) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(POLL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = deliver_due(&db, &senders).await {
                tracing::error!(%error, "outbox delivery pass failed");
            }
        }
    })
}
