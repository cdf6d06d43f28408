//! Text messages: verification codes by SMS, through the provider interface every
//! SMS provider can be put behind — an HTTP webhook that receives each message as
//! JSON — or, in development, into JSON files beside a line in the log.

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

/// A text message ready for the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sms {
    /// A mobile number in international form: `+` and digits.
    pub recipient: String,
    pub recipient_name: String,
    /// The brand's product name, for providers that show a sender name.
    pub sender_name: String,
    pub text: String,
    /// What the message is for, as the outbox and the log name it.
    pub purpose: String,
}

/// What the webhook receives (and a development file holds) for one message. `id`
/// stays the same across retries, so a provider can drop a repeat.
#[derive(Serialize)]
struct Payload<'a> {
    id: String,
    to: &'a str,
    body: &'a str,
    sender: &'a str,
    purpose: &'a str,
}

impl<'a> Payload<'a> {
    fn of(outbox_id: i64, sms: &'a Sms) -> Self {
        Payload {
            id: format!("switchboard-{outbox_id}"),
            to: &sms.recipient,
            body: &sms.text,
            sender: &sms.sender_name,
            purpose: &sms.purpose,
        }
    }
}

#[derive(Clone)]
enum Transport {
    Webhook {
        client: reqwest::Client,
        url: reqwest::Url,
        bearer: Option<String>,
    },
    Files(PathBuf),
}

/// Sends text messages through the configured provider.
#[derive(Clone)]
pub struct SmsSender {
    transport: Transport,
}

impl std::fmt::Debug for SmsSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The bearer token stays out of logs.
        match &self.transport {
            Transport::Webhook { url, .. } => write!(f, "SmsSender(webhook {url})"),
            Transport::Files(folder) => write!(f, "SmsSender(files in {})", folder.display()),
        }
    }
}

impl SmsSender {
    /// Through a provider's webhook: each message is POSTed as JSON
    /// `{id, to, body, sender, purpose}`, with `Authorization: Bearer <bearer>` when
    /// given; any 2xx answer means the provider took it.
    pub fn webhook(url: &str, bearer: Option<String>) -> Result<SmsSender, String> {
        let url: reqwest::Url = url
            .parse()
            .map_err(|error| format!("SMS webhook address {url:?}: {error}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("SMS webhook address {url}: use http or https"));
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .map_err(|error| format!("SMS webhook client: {error}"))?;
        Ok(SmsSender {
            transport: Transport::Webhook {
                client,
                url,
                bearer: bearer.filter(|token| !token.is_empty()),
            },
        })
    }

    /// Into one JSON file per message in `folder` (and a line in the log), for
    /// development and tests.
    pub fn files(folder: PathBuf) -> Result<SmsSender, String> {
        std::fs::create_dir_all(&folder)
            .map_err(|error| format!("SMS folder {}: {error}", folder.display()))?;
        Ok(SmsSender {
            transport: Transport::Files(folder),
        })
    }

    /// Hands the message with outbox id `outbox_id` to the provider.
    pub async fn send(&self, outbox_id: i64, sms: &Sms) -> Result<(), String> {
        let payload = Payload::of(outbox_id, sms);
        match &self.transport {
            Transport::Webhook {
                client,
                url,
                bearer,
            } => {
                let mut request = client.post(url.clone()).json(&payload);
                if let Some(bearer) = bearer {
                    request = request.bearer_auth(bearer);
                }
                let response = request.send().await.map_err(|error| error.to_string())?;
                let status = response.status();
                if status.is_success() {
                    Ok(())
                } else {
                    Err(format!("the SMS webhook answered {status}"))
                }
            }
            Transport::Files(folder) => {
                tracing::info!(to = %sms.recipient, purpose = %sms.purpose, "SMS written to a file");
                let json = serde_json::to_vec_pretty(&payload).map_err(|e| e.to_string())?;
                // Written aside, then renamed: a reader never sees half a message.
                let partial = folder.join(format!(".{}.json.partial", payload.id));
                tokio::fs::write(&partial, json)
                    .await
                    .map_err(|e| e.to_string())?;
                tokio::fs::rename(&partial, folder.join(format!("{}.json", payload.id)))
                    .await
                    .map_err(|e| e.to_string())
            }
        }
    }
}
