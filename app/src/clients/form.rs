//! Form parts shared by adding a client and editing one.

use leptos::prelude::*;

use crate::clients::{CompanyInfo, TIME_ZONES};
use crate::components::field::{field_error, SelectField, TextField};
use crate::error::AppError;
use crate::tr;

/// Company name, contact, email, phone, address, time zone and tags.
#[component]
pub fn CompanyFields(
    company: CompanyInfo,
    tags: Vec<String>,
    error: Signal<Option<AppError>>,
    /// On the add form, the contact becomes the account's first Client Admin.
    #[prop(optional)]
    new_account: bool,
) -> impl IntoView {
    let time_zones = TIME_ZONES
        .iter()
        .map(|zone| (zone.to_string(), zone.replace('_', " ")))
        .collect();
    let time_zone = if company.time_zone.is_empty() {
        "America/New_York".to_string()
    } else {
        company.time_zone
    };
    view! {
        <div class="form-grid">
            <TextField
                label=tr!(clients.form.company)
                name="name"
                value=company.name
                autocomplete="organization"
                error=field_error(error, "name")
            />
            <TextField
                label=tr!(clients.form.contact)
                name="contact_name"
                value=company.contact_name
                autocomplete="name"
                hint=if new_account { tr!(clients.form.contact_hint) } else { "" }
                error=field_error(error, "contact_name")
            />
            <TextField
                label=tr!(clients.form.email)
                name="email"
                input_type="email"
                value=company.email
                autocomplete="email"
                error=field_error(error, "email")
            />
            <TextField
                label=tr!(clients.form.phone)
                name="phone"
                input_type="tel"
                value=company.phone
                autocomplete="tel"
                error=field_error(error, "phone")
            />
            <TextField
                label=tr!(clients.form.address)
                name="address"
                value=company.address
                autocomplete="street-address"
                error=field_error(error, "address")
            />
            <SelectField
                label=tr!(clients.form.time_zone)
                name="time_zone"
                options=time_zones
                selected=Some(time_zone)
                error=field_error(error, "time_zone")
            />
            <TextField
                label=tr!(clients.form.tags)
                name="tags"
                value=tags.join(", ")
                hint=tr!(clients.form.tags_hint)
                error=field_error(error, "tags")
            />
        </div>
    }
}
