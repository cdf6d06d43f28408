//! What Harbor Dental's operators read in the demo: a default status and canned
//! ones, the people to reach, links and notes, and an on-call week with weekday
//! days, nights, a weekend override, closed Sunday daytime and the weekend nights
//! left uncovered on purpose (the calendar shows them as gaps). Seeded once: an
//! account that has contacts keeps what it has.

use app::briefing::repo::{
    self as briefing, add_template, insert_contact, insert_resource, ContactFields, ResourceFields,
    StatusChange,
};
use app::briefing::{ContactMethod, MethodKind};
use app::core::zone::{input_value, parse_input, zone, zoned};
use app::core::NodeId;
use app::db::{now_ms, Db};
use app::oncall::repo::{insert_override, insert_rule, OverrideFields, RuleFields};

use crate::cli::CliResult;

const DAY: i64 = 86_400_000;
const MONDAY_TO_THURSDAY: u8 = 0b000_1111;
const MONDAY_TO_FRIDAY: u8 = 0b001_1111;
const FRIDAY: u8 = 0b001_0000;
const SATURDAY: u8 = 0b010_0000;
const SUNDAY: u8 = 0b100_0000;

fn method(kind: MethodKind, value: &str, note: &str) -> ContactMethod {
    ContactMethod {
        kind,
        value: value.into(),
        note: note.into(),
    }
}

fn contact(
    name: &str,
    role: &str,
    instructions: &str,
    methods: Vec<ContactMethod>,
) -> ContactFields {
    ContactFields {
        name: name.into(),
        role: role.into(),
        instructions: instructions.into(),
        methods,
    }
}

fn rule(weekdays: u8, (start, end): (i64, i64), contacts: Vec<i64>, note: &str) -> RuleFields {
    RuleFields {
        weekdays,
        start_minute: start * 60,
        end_minute: end * 60,
        closed: contacts.is_empty(),
        note: note.into(),
        contacts,
    }
}

pub async fn seed_briefing(db: &Db, harbor: NodeId, time_zone: &str) -> CliResult {
    if !briefing::contacts(db, harbor).await?.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    let change = StatusChange {
        text: "",
        until_at: None,
        default_text: "Mon–Fri 8:00–18:00 · Sat 8:00–20:00",
    };
    briefing::set_status(&mut tx, harbor, &change, 1).await?;
    for template in [
        "At lunch until 13:00: take messages, urgent ones to the dentist on call.",
        "Closed for the holiday: dental emergencies to the dentist on call.",
        "Running late: tell patients we open at 10:00 today.",
        "Fire drill: take messages only, we call back within the hour.",
    ] {
        add_template(&mut tx, harbor, template).await?;
    }
    let kim = insert_contact(&mut tx, harbor, &contact(
        "Dr Maya Kim",
        "Dentist",
        "For dental emergencies: swelling, bleeding that will not stop, a knocked-out tooth. Text first at night, call if no answer in 10 minutes.",
        vec![
            method(MethodKind::Mobile, "+1 617 555 0101", "24/7"),
            method(MethodKind::Email, "maya.kim@harbor-dental.test", ""),
        ],
    ))
    .await?;
    let lee = insert_contact(
        &mut tx,
        harbor,
        &contact(
            "Dr Sam Lee",
            "Dentist",
            "Covers nights and weekends with Dr Kim. Page, then call the mobile.",
            vec![
                method(MethodKind::Pager, "+1 617 555 0190", "≤ 15 min"),
                method(MethodKind::Mobile, "+1 617 555 0102", ""),
            ],
        ),
    )
    .await?;
    let hana = insert_contact(
        &mut tx,
        harbor,
        &contact(
            "Hana Harbor",
            "Office manager",
            "Billing, insurance and anything about appointments.",
            vec![
                method(
                    MethodKind::Phone,
                    "+1 617 555 0100",
                    "the office, in office hours",
                ),
                method(MethodKind::Email, "client.admin@harbor-dental.test", ""),
            ],
        ),
    )
    .await?;
    let rosa = insert_contact(
        &mut tx,
        harbor,
        &contact(
            "Rosa Reyes",
            "Reception",
            "Bookings and changes to appointments.",
            vec![method(MethodKind::Phone, "+1 617 555 0103", "front desk")],
        ),
    )
    .await?;
    for resource in [
        ResourceFields {
            title: "Dental emergency: what to ask".into(),
            url: String::new(),
            note: "Ask where it hurts, since when, any swelling or fever, and a number to call back. Swelling of the face or trouble breathing: tell them to call 911.".into(),
        },
        ResourceFields {
            title: "Directions and parking".into(),
            url: "https://harbor-dental.test/visit".into(),
            note: "Parking behind the building, entrance on Atlantic Ave.".into(),
        },
        ResourceFields {
            title: "Insurance we accept".into(),
            url: "https://harbor-dental.test/insurance".into(),
            note: String::new(),
        },
    ] {
        insert_resource(&mut tx, harbor, &resource).await?;
    }
    let rules = [
        rule(MONDAY_TO_FRIDAY, (8, 18), vec![rosa, hana], "Office hours"),
        rule(MONDAY_TO_THURSDAY, (18, 8), vec![kim, lee], "Weeknights"),
        rule(FRIDAY, (18, 8), vec![lee, kim], "Friday night"),
        rule(SATURDAY, (8, 20), vec![kim], "Saturday clinic"),
        rule(SUNDAY, (8, 20), vec![], "Closed on Sunday daytime"),
    ];
    for rule in &rules {
        insert_rule(&mut tx, harbor, rule).await?;
    }
    if let Some(saturday) = next_saturday_at_eight(time_zone) {
        let swap = OverrideFields {
            starts_at: saturday,
            ends_at: saturday + 12 * 3_600_000,
            add: Some(lee),
            remove: Some(kim),
            note: "Dr Kim at a conference".into(),
        };
        insert_override(&mut tx, harbor, &swap).await?;
    }
    briefing::view_changed(&mut tx, harbor).await?;
    tx.commit().await?;
    Ok(())
}

/// The coming Saturday's 08:00 in `time_zone` (next week's, on a Saturday).
fn next_saturday_at_eight(time_zone: &str) -> Option<i64> {
    let zone = zone(time_zone);
    let now = now_ms();
    let day = (1..=7)
        .map(|days| now + days * DAY)
        .find(|&at| zoned(at, &zone).strftime("%a").to_string() == "Sat")?;
    let date = input_value(day, &zone);
    parse_input(&format!("{}T08:00", date.split('T').next()?), &zone)
}
