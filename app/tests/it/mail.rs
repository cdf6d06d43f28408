//! Email and text messages: written with the change that causes them, delivered
//! once, retried with growing waits; email received by a real SMTP server in the
//! recipient's language and their partner's brand, text messages by a provider's
//! webhook.

use crate::common;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::db::{now_ms, Db};
use app::mail::delivery::{deliver_due, Mailer, Senders};
use app::mail::outbox::{enqueue, MAX_ATTEMPTS};
use app::mail::sms::SmsSender;
use app::mail::templates::{
    verification_text, welcome, Email, FirstAccess, Language, MailBrand, Welcome,
};
use common::on_every_database;
use sqlx::Row;

const FROM: &str = "no-reply@switchboard.test";

fn brand() -> MailBrand {
    MailBrand {
        product_name: "Northwind Connect".into(),
        primary_colour: "#7c3aed".into(),
        support_email: "help@northwind.test".into(),
        site: "http://portal.northwind.test:3000".into(),
    }
}

/// Senders for tests of email alone: no text message is ever queued there.
fn only_mail(mail: Mailer) -> Senders {
    let unused = std::env::temp_dir().join("switchboard-tests-unused-sms");
    Senders {
        mail,
        sms: SmsSender::files(unused).unwrap(),
    }
}

fn message(to: &str, language: Language) -> Email {
    welcome(
        &brand(),
        language,
        &Welcome {
            name: "Ada Lovelace",
            email: to,
            first_access: FirstAccess::ActivationLink("t0ken"),
        },
    )
}

async fn outbox_rows(db: &Db, recipient: &str) -> Vec<(String, i64, i64, String)> {
    sqlx::query(
        "SELECT status, attempts, next_attempt_at, last_error FROM outbox \
         WHERE recipient = $1 ORDER BY id",
    )
    .bind(recipient)
    .fetch_all(db.pool())
    .await
    .unwrap()
    .iter()
    .map(|row| {
        (
            row.try_get("status").unwrap(),
            row.try_get("attempts").unwrap(),
            row.try_get("next_attempt_at").unwrap(),
            row.try_get("last_error").unwrap(),
        )
    })
    .collect()
}

fn files_in(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .collect()
}

#[tokio::test]
async fn a_message_is_sent_once_and_only_if_its_change_was_committed() {
    on_every_database(|db| async move {
        let mut rolled_back = db.begin().await.unwrap();
        enqueue(
            &mut *rolled_back,
            message("gone@example.test", Language::English),
        )
        .await
        .unwrap();
        rolled_back.rollback().await.unwrap();
        let mut committed = db.begin().await.unwrap();
        enqueue(
            &mut *committed,
            message("kept@example.test", Language::English),
        )
        .await
        .unwrap();
        committed.commit().await.unwrap();

        let folder = tempfile::tempdir().unwrap();
        let mailer = only_mail(Mailer::files(folder.path().into(), FROM).unwrap());
        assert_eq!(deliver_due(&db, &mailer).await.unwrap(), 1);
        assert_eq!(deliver_due(&db, &mailer).await.unwrap(), 0, "sent once");

        let files = files_in(folder.path());
        assert_eq!(files.len(), 1);
        assert!(files[0].contains("kept@example.test"));
        assert!(outbox_rows(&db, "gone@example.test").await.is_empty());
        let sent = outbox_rows(&db, "kept@example.test").await;
        assert_eq!((sent[0].0.as_str(), sent[0].1), ("sent", 1));
    })
    .await;
}

#[tokio::test]
async fn a_failed_delivery_waits_longer_each_time_and_is_given_up_at_last() {
    on_every_database(|db| async move {
        enqueue(db.pool(), message("later@example.test", Language::English))
            .await
            .unwrap();
        // Nothing listens on the discard port: every attempt fails to connect.
        let mailer = only_mail(Mailer::smtp("smtp://127.0.0.1:9", FROM).unwrap());

        let before = now_ms();
        assert_eq!(deliver_due(&db, &mailer).await.unwrap(), 0);
        let (status, attempts, next, error) =
            outbox_rows(&db, "later@example.test").await.remove(0);
        assert_eq!((status.as_str(), attempts), ("pending", 1));
        assert!(next >= before + 30_000, "the first retry waits 30 s");
        assert!(!error.is_empty(), "the reason is kept");
        deliver_due(&db, &mailer).await.unwrap();
        assert_eq!(
            outbox_rows(&db, "later@example.test").await[0].1,
            1,
            "not due yet"
        );

        let mut waits = vec![next - before];
        for _ in 1..MAX_ATTEMPTS {
            sqlx::query("UPDATE outbox SET next_attempt_at = 0")
                .execute(db.pool())
                .await
                .unwrap();
            let attempted = now_ms();
            deliver_due(&db, &mailer).await.unwrap();
            waits.push(outbox_rows(&db, "later@example.test").await[0].2 - attempted);
        }
        let (status, attempts, _, _) = outbox_rows(&db, "later@example.test").await.remove(0);
        assert_eq!((status.as_str(), attempts), ("failed", MAX_ATTEMPTS));
        assert!(
            waits.windows(2).all(|pair| pair[1] >= pair[0]),
            "waits never shrink: {waits:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn two_workers_never_send_one_message_twice() {
    on_every_database(|db| async move {
        for n in 0..24 {
            enqueue(
                db.pool(),
                message(&format!("n{n}@example.test"), Language::English),
            )
            .await
            .unwrap();
        }
        let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let a = only_mail(Mailer::files(first.path().into(), FROM).unwrap());
        let b = only_mail(Mailer::files(second.path().into(), FROM).unwrap());
        loop {
            let (sent_a, sent_b) = tokio::join!(deliver_due(&db, &a), deliver_due(&db, &b));
            if sent_a.unwrap() + sent_b.unwrap() == 0 {
                break;
            }
        }
        let mut recipients: Vec<String> = files_in(first.path())
            .into_iter()
            .chain(files_in(second.path()))
            .map(|file| {
                file.lines()
                    .find(|line| line.starts_with("To: "))
                    .unwrap()
                    .to_string()
            })
            .collect();
        recipients.sort();
        let count = recipients.len();
        recipients.dedup();
        assert_eq!((count, recipients.len()), (24, 24));
    })
    .await;
}

/// An SMTP server on loopback that keeps what it receives in a maildir.
struct SmtpServer {
    process: Child,
    port: u16,
    maildir: tempfile::TempDir,
    python: String,
}

impl SmtpServer {
    /// Started with the Python that has aiosmtpd (scripts/setup.sh makes one), or
    /// `None` where there is none.
    fn start() -> Option<SmtpServer> {
        let python = std::env::var("SWITCHBOARD_SMTPD_PYTHON").ok()?;
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let maildir = tempfile::tempdir().unwrap();
        let process = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("inbox"))
            .stdout(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        Some(SmtpServer {
            process,
            port,
            maildir,
            python,
        })
    }

    async fn wait_until_listening(&self) {
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .is_ok()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("aiosmtpd did not start");
    }

    /// The messages received, decoded by Python's email package: subject, from, to
    /// and the plain-text and HTML bodies.
    fn received(&self) -> Vec<serde_json::Value> {
        let script = r#"
import json, mailbox, sys
out = []
for message in mailbox.Maildir(sys.argv[1], create=False):
    parts = {part.get_content_type(): part.get_payload(decode=True).decode(part.get_content_charset() or 'utf-8')
             for part in message.walk() if not part.is_multipart()}
    out.append({'subject': message['subject'], 'from': message['from'], 'to': message['to'],
                'text': parts.get('text/plain', ''), 'html': parts.get('text/html', '')})
print(json.dumps(out))
"#;
        let output = Command::new(&self.python)
            .args(["-c", script])
            .arg(self.maildir.path().join("inbox"))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

#[tokio::test]
async fn a_french_user_receives_their_message_in_french_and_in_the_brand_over_smtp() {
    let Some(server) = SmtpServer::start() else {
        eprintln!("SWITCHBOARD_SMTPD_PYTHON is not set: scripts/setup.sh installs aiosmtpd");
        return;
    };
    server.wait_until_listening().await;
    on_every_database(|db| {
        let server = &server;
        async move {
            let to = format!("ada.{}@example.test", now_ms());
            enqueue(db.pool(), message(&to, Language::French))
                .await
                .unwrap();
            let mailer = only_mail(
                Mailer::smtp(&format!("smtp://127.0.0.1:{}", server.port), FROM).unwrap(),
            );
            assert_eq!(deliver_due(&db, &mailer).await.unwrap(), 1);

            let received = server.received();
            let mail = received
                .iter()
                .find(|mail| mail["to"].as_str().unwrap().contains(&to))
                .expect("the message arrived");
            assert_eq!(mail["subject"], "Votre compte Northwind Connect");
            assert_eq!(mail["from"], format!("\"Northwind Connect\" <{FROM}>"));
            let text = mail["text"].as_str().unwrap();
            assert!(text.contains("Bonjour Ada Lovelace"), "{text}");
            assert!(text.contains("Un compte a été ouvert pour vous sur Northwind Connect."));
            assert!(text.contains("http://portal.northwind.test:3000/activate?token=t0ken"));
            let html = mail["html"].as_str().unwrap();
            assert!(html.contains("lang=\"fr\""));
            assert!(html.contains("background:#7c3aed"), "the brand's colour");
        }
    })
    .await;
}

/// An SMS provider's webhook on loopback: keeps each request's Authorization header
/// and JSON, and answers with the status it is set to.
struct Webhook {
    url: String,
    received: Arc<Mutex<Vec<(String, serde_json::Value)>>>,
    answer: Arc<AtomicU16>,
}

async fn start_webhook() -> Webhook {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sms", listener.local_addr().unwrap());
    let received = Arc::new(Mutex::new(Vec::new()));
    let answer = Arc::new(AtomicU16::new(202));
    let receive = {
        let (received, answer) = (received.clone(), answer.clone());
        move |headers: http::HeaderMap, axum::Json(body): axum::Json<serde_json::Value>| async move {
            let authorization = headers
                .get(http::header::AUTHORIZATION)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default()
                .to_string();
            received.lock().unwrap().push((authorization, body));
            http::StatusCode::from_u16(answer.load(Ordering::SeqCst)).unwrap()
        }
    };
    let app = axum::Router::new().route("/sms", axum::routing::post(receive));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Webhook {
        url,
        received,
        answer,
    }
}

#[tokio::test]
async fn a_text_message_goes_to_the_providers_webhook_and_is_retried_when_refused() {
    let webhook = start_webhook().await;
    on_every_database(|db| {
        let webhook = &webhook;
        async move {
            let number = format!("+1555{:07}", now_ms() % 10_000_000);
            let text = verification_text(&brand(), Language::English, "Ada", &number, "042917");
            enqueue(db.pool(), text).await.unwrap();
            let unused_mail = tempfile::tempdir().unwrap();
            let senders = Senders {
                mail: Mailer::files(unused_mail.path().into(), FROM).unwrap(),
                sms: SmsSender::webhook(&webhook.url, Some("s3cret".into())).unwrap(),
            };

            webhook.answer.store(503, Ordering::SeqCst);
            assert_eq!(deliver_due(&db, &senders).await.unwrap(), 0);
            let (status, attempts, _, error) = outbox_rows(&db, &number).await.remove(0);
            assert_eq!((status.as_str(), attempts), ("pending", 1));
            assert!(error.contains("503"), "{error}");

            webhook.answer.store(202, Ordering::SeqCst);
            sqlx::query("UPDATE outbox SET next_attempt_at = 0")
                .execute(db.pool())
                .await
                .unwrap();
            assert_eq!(deliver_due(&db, &senders).await.unwrap(), 1);
            assert_eq!(outbox_rows(&db, &number).await[0].0, "sent");

            let requests: Vec<_> = webhook
                .received
                .lock()
                .unwrap()
                .iter()
                .filter(|(_, body)| body["to"] == number.as_str())
                .cloned()
                .collect();
            assert_eq!(requests.len(), 2, "refused once, then taken");
            for (authorization, body) in &requests {
                assert_eq!(authorization, "Bearer s3cret");
                assert_eq!(
                    body["body"],
                    "042917 is your Northwind Connect verification code. It expires in 10 minutes."
                );
                assert_eq!(body["sender"], "Northwind Connect");
                assert_eq!(body["purpose"], "verification_code");
            }
            assert_eq!(
                requests[0].1["id"], requests[1].1["id"],
                "a retry keeps its id"
            );
        }
    })
    .await;
}
