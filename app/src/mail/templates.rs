//! The messages themselves: each in the recipient's language, in the brand of the
//! partner they belong to, with links on that partner's branding domain.

use crate::paths;

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

pub use crate::users::Language;

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
    let product = &brand.product_name;
    let (subject, greeting, created, username_label) = match language {
        Language::English => (
            format!("Your {product} account"),
            format!("Hello {},", welcome.name),
            format!("An account has been opened for you on {product}."),
            "Username:",
        ),
        Language::French => (
            format!("Votre compte {product}"),
            format!("Bonjour {},", welcome.name),
            format!("Un compte a été ouvert pour vous sur {product}."),
            // French sets a (non-breaking) space before a colon.
            "Identifiant\u{a0}:",
        ),
    };
    let (instruction, button, link, password) = match (&welcome.first_access, language) {
        (FirstAccess::ActivationLink(token), Language::English) => (
            "Choose your password with this link. It works once, within 7 days.",
            "Choose my password",
            paths::activation(token),
            None,
        ),
        (FirstAccess::ActivationLink(token), Language::French) => (
            "Choisissez votre mot de passe avec ce lien. Il ne sert qu'une fois, pendant 7 jours.",
            "Choisir mon mot de passe",
            paths::activation(token),
            None,
        ),
        (FirstAccess::TemporaryPassword(password), Language::English) => (
            "Sign in with this temporary password; you will choose your own right after.",
            "Sign in",
            paths::LOGIN.to_string(),
            Some(("Temporary password:", *password)),
        ),
        (FirstAccess::TemporaryPassword(password), Language::French) => (
            "Connectez-vous avec ce mot de passe temporaire ; vous choisirez le vôtre juste après.",
            "Se connecter",
            paths::LOGIN.to_string(),
            Some(("Mot de passe temporaire\u{a0}:", *password)),
        ),
    };
    let url = format!("{}{link}", brand.site);
    let help = support_line(brand, language);

    let mut text = format!(
        "{greeting}\n\n{created}\n\n{username_label} {}\n",
        welcome.email
    );
    if let Some((label, password)) = password {
        text.push_str(&format!("{label} {password}\n"));
    }
    text.push_str(&format!("\n{instruction}\n{url}\n"));
    if let Some(help) = &help {
        text.push_str(&format!("\n{help}\n"));
    }

    let mut details = format!(
        "<p>{} <strong>{}</strong></p>",
        username_label,
        escape(welcome.email)
    );
    if let Some((label, password)) = password {
        details.push_str(&format!(
            "<p>{label} <code style=\"font-size:16px\">{}</code></p>",
            escape(password)
        ));
    }
    let html = page(
        brand,
        language,
        &format!(
            "<p>{}</p><p>{}</p>{details}<p>{}</p>{}{}",
            escape(&greeting),
            escape(&created),
            escape(instruction),
            button_html(brand, button, &url),
            help.map(|help| format!("<p style=\"color:#6b7280\">{}</p>", escape(&help)))
                .unwrap_or_default(),
        ),
    );
    Email {
        recipient: welcome.email.to_string(),
        recipient_name: welcome.name.to_string(),
        sender_name: product.clone(),
        subject,
        text,
        html,
        purpose: "welcome".into(),
    }
}

fn support_line(brand: &MailBrand, language: Language) -> Option<String> {
    let email = &brand.support_email;
    (!email.is_empty()).then(|| match language {
        Language::English => format!("Questions? Write to {email}."),
        Language::French => format!("Une question ? Écrivez à {email}."),
    })
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
    let lang = match language {
        Language::English => "en",
        Language::French => "fr",
    };
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
