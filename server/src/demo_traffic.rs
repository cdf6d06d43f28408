//! The demo world's traffic: a believable week of calls and messages for Harbor
//! Dental and a few other accounts, sent in through the same ingestion the platform's
//! API uses (so it is billed and kept as the API would), and a key for trying the API.

use app::api_keys::repo::{insert_key, keys_of, revoke, NewApiKey};
use app::api_keys::token;
use app::clients::repo::client_record;
use app::core::{NodeId, UserId};
use app::db::{now_ms, Db};
use app::inbox::ingest::{
    ingest_call, ingest_message, record_event, CustomField, EventBody, NewCall, NewMessage,
};
use app::inbox::recordings::store_recording;
use app::inbox::{CallStatus, Channel, Direction, MessageStatus, Priority};
use app::state::ServerSecret;
use app::storage::Storage;

use crate::cli::CliResult;
use crate::seed::HARBOR_RECEPTION;

const HOUR: i64 = 3_600_000;
const MINUTE: i64 = 60_000;
/// The demo key's name: each seeding revokes the one made before and makes a new one.
const DEMO_KEY: &str = "Demo call platform";

/// One demo message: hours before the seeding, and what the operator took.
struct Taken {
    hours_ago: i64,
    caller: &'static str,
    number: &'static str,
    channel: Channel,
    priority: Priority,
    text: &'static str,
    /// Seconds the call lasted (calls only).
    talked: i64,
    /// For the Client Users it is sent to, not only the admins.
    for_client_users: bool,
    acknowledged: bool,
    fields: &'static [(&'static str, &'static str)],
}

const fn taken(
    hours_ago: i64,
    caller: &'static str,
    number: &'static str,
    text: &'static str,
) -> Taken {
    Taken {
        hours_ago,
        caller,
        number,
        channel: Channel::Call,
        priority: Priority::Normal,
        text,
        talked: 95,
        for_client_users: false,
        acknowledged: false,
        fields: &[],
    }
}

const HARBOR_WEEK: [Taken; 14] = [
    Taken {
        priority: Priority::Urgent,
        for_client_users: true,
        fields: &[("Patient", "Lena Ortiz"), ("Date of birth", "1988-04-12")],
        ..taken(
            1,
            "Lena Ortiz",
            "+1 617 555 0142",
            "Cracked a molar last night, in pain. Asks for the first slot tomorrow.",
        )
    },
    Taken {
        channel: Channel::Sms,
        talked: 0,
        ..taken(
            2,
            "Marco Bellini",
            "+1 617 555 0177",
            "Running 10 minutes late for my 3pm cleaning, sorry!",
        )
    },
    Taken {
        for_client_users: true,
        fields: &[("Patient", "Ruth Cole"), ("Appointment", "Thursday 9:30")],
        ..taken(
            5,
            "Ruth Cole",
            "+1 617 555 0110",
            "Wants to move Thursday's appointment to the afternoon.",
        )
    },
    Taken {
        priority: Priority::Urgent,
        acknowledged: true,
        talked: 240,
        ..taken(
            14,
            "Dr. Amir Haddad",
            "+1 617 555 0191",
            "Lab called: the crown for Mr. Price is delayed to Monday. Please call the lab back.",
        )
    },
    Taken {
        talked: 30,
        ..taken(
            20,
            "",
            "+1 857 555 0123",
            "Caller asked for opening hours and hung up before leaving a name.",
        )
    },
    Taken {
        acknowledged: true,
        fields: &[("Insurance", "Delta Dental"), ("Member ID", "DD-44821")],
        ..taken(
            26,
            "Owen Price",
            "+1 617 555 0133",
            "Asks whether his insurance covers the crown. Please call after 5pm.",
        )
    },
    Taken {
        channel: Channel::Sms,
        talked: 0,
        for_client_users: true,
        ..taken(
            30,
            "Sofia Nguyen",
            "+1 617 555 0168",
            "Can I bring my son to my appointment on Friday? He needs a check-up too.",
        )
    },
    Taken {
        priority: Priority::Low,
        talked: 45,
        ..taken(
            44,
            "Brightsmile Supplies",
            "+1 800 555 0150",
            "Sales call about a new whitening kit. No callback needed.",
        )
    },
    Taken {
        acknowledged: true,
        for_client_users: true,
        ..taken(
            52,
            "Ana Lima",
            "+1 617 555 0105",
            "Confirms her appointment on Wednesday at 11.",
        )
    },
    Taken {
        priority: Priority::Urgent,
        acknowledged: true,
        talked: 180,
        ..taken(
            70,
            "Hotel Commonwealth",
            "+1 617 555 0199",
            "A guest lost a filling and asks for an emergency visit today.",
        )
    },
    Taken {
        priority: Priority::Spam,
        talked: 12,
        ..taken(
            75,
            "",
            "+1 202 555 0100",
            "Recorded message about an extended car warranty.",
        )
    },
    Taken {
        acknowledged: true,
        ..taken(
            98,
            "Peter Walsh",
            "+1 617 555 0187",
            "Needs a copy of his X-rays sent to Dr. Kim at Mass General.",
        )
    },
    Taken {
        channel: Channel::Sms,
        talked: 0,
        acknowledged: true,
        ..taken(
            120,
            "Grace Kim",
            "+1 617 555 0158",
            "Thanks for fitting me in yesterday, the tooth feels great.",
        )
    },
    Taken {
        acknowledged: true,
        for_client_users: true,
        ..taken(
            150,
            "Tom Becker",
            "+1 617 555 0114",
            "Asks for directions and where to park.",
        )
    },
];

/// What the answering service took in French for Harbor's French-speaking front desk.
const HARBOR_WEEK_FR: [Taken; 4] = [
    Taken {
        priority: Priority::Urgent,
        for_client_users: true,
        fields: &[
            ("Patiente", "Élodie Marchand"),
            ("Date de naissance", "1991-06-03"),
        ],
        ..taken(
            1,
            "Élodie Marchand",
            "+1 514 555 0142",
            "Couronne descellée ce matin, elle a mal. Demande un rendez-vous aujourd’hui.",
        )
    },
    Taken {
        channel: Channel::Sms,
        talked: 0,
        for_client_users: true,
        ..taken(
            6,
            "Julien Roy",
            "+1 514 555 0177",
            "Je serai en retard de dix minutes pour mon détartrage de 15 h, désolé.",
        )
    },
    Taken {
        for_client_users: true,
        fields: &[("Patient", "Marc Gagnon"), ("Rendez-vous", "jeudi 9 h 30")],
        ..taken(
            27,
            "Marc Gagnon",
            "+1 514 555 0110",
            "Souhaite déplacer son rendez-vous de jeudi à l’après-midi.",
        )
    },
    Taken {
        acknowledged: true,
        for_client_users: true,
        ..taken(
            54,
            "Chloé Tremblay",
            "+1 514 555 0105",
            "Confirme son rendez-vous de mercredi à 11 h.",
        )
    },
];

/// Harbor's Client Users who read French, and so get the French messages.
pub const HARBOR_FRENCH_USERS: [&str; 2] = [
    "front.desk@harbor-dental.test",
    "accueil@harbor-dental.test",
];

/// A few messages for other demo accounts, so their inboxes are not empty.
const OTHERS: [Taken; 3] = [
    Taken {
        priority: Priority::Urgent,
        ..taken(
            3,
            "Jordan Reyes",
            "+1 206 555 0144",
            "Water leak in unit 4B, tenant asks for someone today.",
        )
    },
    taken(
        9,
        "Casey Morgan",
        "+1 206 555 0171",
        "Asks for a quote for the spring project. Call back any weekday.",
    ),
    taken(
        33,
        "Riley Park",
        "+1 206 555 0102",
        "Invoice 2291 was paid twice, asks for a refund.",
    ),
];

/// Sends the demo week in, with a recording of Harbor Dental's latest call. Its ids
/// are fixed, so seeding again changes nothing and bills nothing twice.
pub async fn seed_traffic(
    db: &Db,
    storage: &Storage,
    harbor: NodeId,
    others: &[NodeId],
) -> CliResult {
    let now = now_ms();
    // The hour, so a second seeding within it sends the same times (and so nothing).
    let base = now - now % HOUR;
    send_all(
        db,
        harbor,
        "harbor",
        &HARBOR_WEEK,
        base,
        &[HARBOR_RECEPTION],
    )
    .await?;
    send_all(
        db,
        harbor,
        "harbor-fr",
        &HARBOR_WEEK_FR,
        base,
        &HARBOR_FRENCH_USERS,
    )
    .await?;
    for (index, account) in others.iter().enumerate() {
        send_all(db, *account, &format!("demo{index}"), &OTHERS, base, &[]).await?;
    }
    let client = client_record(db.pool(), harbor)
        .await?
        .ok_or("Harbor Dental is missing")?;
    let audio = ringing_call()?;
    store_recording(
        db,
        storage,
        &client,
        "demo-harbor-000-call",
        "audio/wav",
        audio,
    )
    .await?;
    Ok(())
}

/// A few seconds of a call as WAV: two rings of the North American ringback tone
/// (440 and 480 Hz), then a short rising phrase, made fresh at each seeding.
fn ringing_call() -> Result<bytes::Bytes, String> {
    const RATE: u32 = 8_000;
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut samples: Vec<f32> = Vec::new();
    let mut tone = |frequencies: &[f32], seconds: f32, loudness: f32| {
        let count = (seconds * RATE as f32) as usize;
        for n in 0..count {
            let t = n as f32 / RATE as f32;
            let sum: f32 = frequencies
                .iter()
                .map(|f| (2.0 * std::f32::consts::PI * f * t).sin())
                .sum();
            samples.push(sum / frequencies.len().max(1) as f32 * loudness);
        }
    };
    for _ in 0..2 {
        tone(&[440.0, 480.0], 1.0, 0.4);
        tone(&[], 0.6, 0.0);
    }
    for note in [523.25, 587.33, 659.25, 783.99] {
        tone(&[note], 0.35, 0.3);
    }
    let mut cursor = std::io::Cursor::new(Vec::new());
    let fail = |error: hound::Error| format!("the demo recording: {error}");
    let mut writer = hound::WavWriter::new(&mut cursor, spec).map_err(fail)?;
    for sample in samples {
        writer
            .write_sample((sample * f32::from(i16::MAX)) as i16)
            .map_err(fail)?;
    }
    writer.finalize().map_err(fail)?;
    Ok(bytes::Bytes::from(cursor.into_inner()))
}

async fn send_all(
    db: &Db,
    account: NodeId,
    prefix: &str,
    week: &[Taken],
    base: i64,
    client_users: &[&str],
) -> CliResult {
    let client = client_record(db.pool(), account)
        .await?
        .ok_or("a demo account is missing")?;
    let admins = ["client.admin@harbor-dental.test".to_string()];
    for (index, demo) in week.iter().enumerate() {
        let external_id = format!("demo-{prefix}-{index:03}");
        let received_at = base - demo.hours_ago * HOUR;
        let call_id = (demo.channel == Channel::Call).then(|| format!("{external_id}-call"));
        if let Some(call_id) = &call_id {
            let call = NewCall {
                external_id: call_id.clone(),
                direction: Direction::Inbound,
                from: demo.number.into(),
                to: "+1 617 555 0100".into(),
                caller_name: demo.caller.into(),
                status: CallStatus::Completed,
                started_at: received_at - demo.talked * 1000 - MINUTE,
                answered_at: Some(received_at - demo.talked * 1000),
                ended_at: Some(received_at),
                duration_seconds: Some(demo.talked),
                recipient: None,
                sequence: None,
            };
            ingest_call(db, &client, call, None).await?;
        }
        let mut recipients = Vec::new();
        if !client_users.is_empty() {
            recipients.extend(admins.iter().cloned());
        }
        if demo.for_client_users {
            recipients.extend(client_users.iter().map(|user| user.to_string()));
        }
        let message = NewMessage {
            external_id: external_id.clone(),
            channel: demo.channel,
            direction: Direction::Inbound,
            status: MessageStatus::Received,
            priority: demo.priority,
            received_at,
            caller_name: demo.caller.into(),
            callback_number: demo.number.into(),
            text: demo.text.into(),
            fields: demo
                .fields
                .iter()
                .map(|(label, value)| CustomField {
                    label: label.to_string(),
                    value: value.to_string(),
                })
                .collect(),
            call_external_id: call_id,
            taken_by: if demo.channel == Channel::Call {
                "Operator Jamie".into()
            } else {
                String::new()
            },
            recipients: Vec::new(),
            segments: None,
            encoding: None,
            sequence: None,
        };
        let ingested = ingest_message(db, &client, message, recipients).await?;
        if ingested.created {
            // Dispatched a minute after it was taken; acknowledged twenty minutes on.
            let dispatched = EventBody {
                kind: Some("dispatched".into()),
                at: rfc3339(received_at + MINUTE),
                channel: Some("email".into()),
                target: Some("office@harbor-dental.test".into()),
                ..EventBody::default()
            };
            record_event(db, &client, &external_id, &dispatched).await?;
            if demo.acknowledged {
                let acknowledged = EventBody {
                    kind: Some("acknowledged".into()),
                    at: rfc3339(received_at + 20 * MINUTE),
                    channel: Some("phone".into()),
                    ..EventBody::default()
                };
                record_event(db, &client, &external_id, &acknowledged).await?;
            }
        }
    }
    Ok(())
}

/// `ms` as the API takes times (RFC 3339).
fn rfc3339(ms: i64) -> Option<String> {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()?
        .format(&time::format_description::well_known::Rfc3339)
        .ok()
}

/// A new key for trying the API against `account` (the one made by the last seeding
/// is revoked), made in the name of `by`. Its text, to print.
pub async fn demo_api_key(
    db: &Db,
    secret: &ServerSecret,
    account: NodeId,
    by: UserId,
) -> Result<String, String> {
    let now = now_ms();
    let fail = |error: app::error::AppError| format!("the demo API key: {error}");
    for old in keys_of(db.pool(), account).await.map_err(fail)? {
        if old.key.name == DEMO_KEY {
            revoke(db.pool(), old.key.id, by, now).await.map_err(fail)?;
        }
    }
    let generated = token::generate();
    let mut conn = db
        .pool()
        .acquire()
        .await
        .map_err(|error| error.to_string())?;
    insert_key(
        &mut conn,
        NewApiKey {
            key_id: &generated.key_id,
            secret_hash: &secret.sign(generated.text.as_bytes()),
            owner: account,
            name: DEMO_KEY,
            scopes: "ingest:calls,ingest:messages,read:operator-view,read:balance",
            created_by: by,
            rotated_from: None,
            now,
        },
    )
    .await
    .map_err(fail)?;
    Ok(generated.text)
}
