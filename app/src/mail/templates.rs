//! The messages themselves: each in the recipient's language, in the brand of the
//! partner they belong to, with links on that partner's branding domain.

use super::sms::Sms;
use crate::paths;
use crate::tr_in;

/// A message ready for the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    pub recipient: String,
    pub recipient_name: String,
    /// The display name the message comes from: the brand's product name.
    pub sender_name: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// What the message is for, as the outbox and the log name it.
    pub purpose: String,
}

/// What a message shows of the brand it is sent in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailBrand {
    pub product_name: String,
    /// A `#rrggbb` colour for the message's button.
    pub primary_colour: String,
    pub support_email: String,
    /// Where the message's links lead: scheme, host and port, without a final `/`.
    pub site: String,
}

pub use crate::core::Language;

/// A new account's first message: its username and how to get in, by a single-use
/// link to choose a password or with a temporary password to change at sign-in.
pub struct Welcome<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub first_access: FirstAccess<'a>,
}

pub enum FirstAccess<'a> {
    /// The token of an activation link.
    ActivationLink(&'a str),
    TemporaryPassword(&'a str),
}

pub fn welcome(brand: &MailBrand, language: Language, welcome: &Welcome) -> Email {
    let product = brand.product_name.as_str();
    let (instruction, button, link, password) = match &welcome.first_access {
        FirstAccess::ActivationLink(token) => (
            tr_in!(language, mail.welcome.link_instruction),
            tr_in!(language, mail.welcome.link_button),
            paths::activation(token),
            None,
        ),
        FirstAccess::TemporaryPassword(password) => (
            tr_in!(language, mail.welcome.password_instruction),
            tr_in!(language, sign_in.submit),
            paths::LOGIN.to_string(),
            Some((tr_in!(language, mail.welcome.password_label), *password)),
        ),
    };
    let mut details = vec![(
        tr_in!(language, mail.welcome.username),
        welcome.email,
        false,
    )];
    details.extend(password.map(|(label, password)| (label, password, true)));
    compose(
        brand,
        language,
        Message {
            recipient: welcome.email,
            recipient_name: welcome.name,
            subject: tr_in!(language, mail.welcome.subject, product = product),
            paragraphs: vec![
                tr_in!(language, mail.hello, name = welcome.name),
                tr_in!(language, mail.welcome.created, product = product),
            ],
            details,
            instruction: instruction.to_string(),
            button,
            link,
            purpose: "welcome",
        },
    )
}

/// A link to choose a new password, for someone who asked for one.
pub fn password_reset(
    brand: &MailBrand,
    language: Language,
    name: &str,
    email: &str,
    token: &str,
) -> Email {
    let product = brand.product_name.as_str();
    compose(
        brand,
        language,
        Message {
            recipient: email,
            recipient_name: name,
            subject: tr_in!(language, mail.reset.subject, product = product),
            paragraphs: vec![
                tr_in!(language, mail.hello, name = name),
                tr_in!(language, mail.reset.asked).to_string(),
            ],
            details: Vec::new(),
            instruction: tr_in!(language, mail.reset.instruction).to_string(),
            button: tr_in!(language, mail.reset.button),
            link: paths::password_reset(token),
            purpose: "password_reset",
        },
    )
}

/// A code proving the address is the recipient's, to type on the verification page.
pub fn verification_code(
    brand: &MailBrand,
    language: Language,
    name: &str,
    email: &str,
    code: &str,
) -> Email {
    let product = brand.product_name.as_str();
    compose(
        brand,
        language,
        Message {
            recipient: email,
            recipient_name: name,
            subject: tr_in!(language, mail.code.subject, product = product, code = code),
            paragraphs: vec![
                tr_in!(language, mail.hello, name = name),
                tr_in!(language, mail.code.why, product = product),
            ],
            details: vec![(tr_in!(language, mail.code.label), code, true)],
            instruction: tr_in!(language, mail.code.instruction).to_string(),
            button: tr_in!(language, mail.code.button),
            link: paths::VERIFY.to_string(),
            purpose: "verification_code",
        },
    )
}

/// The same code by text message: short, named for the brand.
pub fn verification_text(
    brand: &MailBrand,
    language: Language,
    name: &str,
    phone: &str,
    code: &str,
) -> Sms {
    let product = brand.product_name.as_str();
    Sms {
        recipient: phone.to_string(),
        recipient_name: name.to_string(),
        sender_name: product.to_string(),
        text: tr_in!(language, mail.code.text, code = code, product = product),
        purpose: "verification_code".into(),
    }
}

/// What a message says, in the order every message says it: paragraphs, labelled
/// details (a secret ones in a code font), then one link with its instruction.
struct Message<'a> {
    recipient: &'a str,
    recipient_name: &'a str,
    subject: String,
    paragraphs: Vec<String>,
    /// (label, value, whether the value is a secret to copy)
    details: Vec<(&'a str, &'a str, bool)>,
    instruction: String,
    button: &'a str,
    /// The link's path on the brand's site.
    link: String,
    purpose: &'a str,
}

fn compose(brand: &MailBrand, language: Language, message: Message) -> Email {
    let url = format!("{}{}", brand.site, message.link);
    let help = support_line(brand, language);

    let mut text = message.paragraphs.join("\n\n");
    text.push('\n');
    if !message.details.is_empty() {
        text.push('\n');
    }
    for (label, value, _) in &message.details {
        text.push_str(&format!("{label} {value}\n"));
    }
    text.push_str(&format!("\n{}\n{url}\n", message.instruction));
    if let Some(help) = &help {
        text.push_str(&format!("\n{help}\n"));
    }

    let paragraphs: String = message
        .paragraphs
        .iter()
        .map(|paragraph| format!("<p>{}</p>", escape(paragraph)))
        .collect();
    let details: String = message
        .details
        .iter()
        .map(|(label, value, secret)| {
            if *secret {
                format!(
                    "<p>{label} <code style=\"font-size:16px\">{}</code></p>",
                    escape(value)
                )
            } else {
                format!("<p>{label} <strong>{}</strong></p>", escape(value))
            }
        })
        .collect();
    let html = page(
        brand,
        language,
        &format!(
            "{paragraphs}{details}<p>{}</p>{}{}",
            escape(&message.instruction),
            button_html(brand, message.button, &url),
            help.map(|help| format!("<p style=\"color:#6b7280\">{}</p>", escape(&help)))
                .unwrap_or_default(),
        ),
    );
    Email {
        recipient: message.recipient.to_string(),
        recipient_name: message.recipient_name.to_string(),
        sender_name: brand.product_name.clone(),
        subject: message.subject,
        text,
        html,
        purpose: message.purpose.into(),
    }
}

fn support_line(brand: &MailBrand, language: Language) -> Option<String> {
    let email = &brand.support_email;
    (!email.is_empty()).then(|| tr_in!(language, mail.support, email = email))
}

fn button_html(brand: &MailBrand, label: &str, url: &str) -> String {
    format!(
        "<p><a href=\"{}\" style=\"display:inline-block;padding:10px 18px;border-radius:6px;\
         background:{};color:#ffffff;text-decoration:none;font-weight:600\">{}</a></p>\
         <p style=\"color:#6b7280;font-size:13px\">{}</p>",
        escape(url),
        safe_colour(&brand.primary_colour),
        escape(label),
        escape(url),
    )
}

fn page(brand: &MailBrand, language: Language, content: &str) -> String {
    let lang = language.key();
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"></head>\
         <body style=\"margin:0;padding:24px;background:#f5f6f8;font-family:sans-serif;\
         color:#111827;line-height:1.5\"><div style=\"max-width:560px;margin:0 auto;\
         background:#ffffff;border-radius:8px;padding:24px\">\
         <p style=\"font-weight:700;font-size:18px;color:{}\">{}</p>{content}</div></body></html>",
        safe_colour(&brand.primary_colour),
        escape(&brand.product_name),
    )
}

/// The brand's colour where it is a plain `#rrggbb`, else a neutral one: the value
/// goes into a style attribute.
fn safe_colour(colour: &str) -> &str {
    let plain = colour.len() == 7
        && colour.starts_with('#')
        && colour[1..].chars().all(|c| c.is_ascii_hexdigit());
    if plain {
        colour
    } else {
        "#374151"
    }
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brand(colour: &str) -> MailBrand {
        MailBrand {
            product_name: "Northwind <Connect>".into(),
            primary_colour: colour.into(),
            support_email: String::new(),
            site: "https://portal.northwind.com".into(),
        }
    }

    #[test]
    fn names_are_escaped_in_html_and_a_colour_that_is_not_plain_is_replaced() {
        let email = welcome(
            &brand("red;background:url(x)"),
            Language::English,
            &Welcome {
                name: "<b>Eve</b>",
                email: "eve@example.test",
                first_access: FirstAccess::ActivationLink("tok"),
            },
        );
        assert!(email.html.contains("Hello &lt;b&gt;Eve&lt;/b&gt;,"));
        assert!(email.html.contains("Northwind &lt;Connect&gt;"));
        assert!(!email.html.contains("url(x)"));
        assert!(
            email.text.contains("Hello <b>Eve</b>,"),
            "plain text stays as typed"
        );
    }

    #[test]
    fn a_reset_link_is_on_the_brands_site_in_the_users_language() {
        let email = password_reset(
            &brand("#112233"),
            Language::French,
            "Zoé",
            "zoe@example.test",
            "tok",
        );
        assert!(email.subject.starts_with("Réinitialisez"));
        assert!(email
            .text
            .contains("https://portal.northwind.com/reset-password?token=tok"));
        assert!(email.text.contains("Bonjour Zoé,"));
        assert_eq!(email.purpose, "password_reset");
    }

    #[test]
    fn a_verification_code_comes_by_email_and_by_text_in_the_users_language() {
        let email = verification_code(
            &brand("#112233"),
            Language::French,
            "Zoé",
            "zoe@example.test",
            "042917",
        );
        assert!(email.subject.ends_with("\u{a0}: 042917"));
        assert!(email.text.contains("Code\u{a0}: 042917"));
        assert!(email.text.contains("https://portal.northwind.com/verify"));
        let sms = verification_text(
            &brand("#112233"),
            Language::English,
            "Zoé",
            "+33612345678",
            "042917",
        );
        assert_eq!(
            sms.text,
            "042917 is your Northwind <Connect> verification code. It expires in 10 minutes."
        );
        assert_eq!(sms.recipient, "+33612345678");
        let in_french = verification_text(
            &brand("#112233"),
            Language::French,
            "Zoé",
            "+33612345678",
            "042917",
        );
        assert_eq!(
            in_french.text,
            "042917 est votre code de vérification Northwind <Connect>. Il expire dans 10\u{a0}minutes."
        );
    }

    #[test]
    fn a_temporary_password_comes_with_the_sign_in_page_and_no_support_line_without_an_address() {
        let email = welcome(
            &brand("#112233"),
            Language::French,
            &Welcome {
                name: "Zoé",
                email: "zoe@example.test",
                first_access: FirstAccess::TemporaryPassword("Ae5gC-x49ta"),
            },
        );
        assert!(email
            .text
            .contains("Mot de passe temporaire\u{a0}: Ae5gC-x49ta"));
        assert!(email.text.contains("https://portal.northwind.com/login"));
        assert!(!email.text.contains("Écrivez"));
        assert_eq!(email.subject, "Votre compte Northwind <Connect>");
    }
}
