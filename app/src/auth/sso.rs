//! Signed SSO login links: a partner's system signs (client, email,
//! expiry, nonce) with the client's SSO token, and the link signs that user in once,
//! before it expires. It signs in only the client account's own people (whose every
//! role is held there), never partner staff, and never into a suspended account.
//!
//! `GET /sso/login?client=ID&email=E&expires=UNIX_SECONDS&nonce=N&signature=HEX` where
//! `signature = hex(HMAC-SHA256(key = SSO token, "ID\nEMAIL\nEXPIRES\nNONCE"))`.

use axum::response::{IntoResponse, Redirect, Response};
use hmac::{Hmac, Mac};
use http::{header, request::Parts};
use serde::Deserialize;
use sha2::Sha256;

use super::{session, sso_link_refused};
use crate::auth::repo::{find_by_email, memberships_of, UserRecord};
use crate::core::{NodeId, UserStatus};
use crate::db::{now_ms, violates};
use crate::error::AppError;
use crate::request::Requester;
use crate::state::AppState;

/// A link may not be valid for longer than this: partners sign links just in time.
pub const MAX_LIFETIME_SECONDS: i64 = 10 * 60;

#[derive(Clone, Debug, Deserialize)]
pub struct SsoLink {
    pub client: i64,
    pub email: String,
    pub expires: i64,
    pub nonce: String,
    #[serde(default)]
    pub signature: String,
}

impl SsoLink {
    fn message(&self) -> String {
        format!(
            "{}\n{}\n{}\n{}",
            self.client, self.email, self.expires, self.nonce
        )
    }

    fn mac(&self, token: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(token.as_bytes())
            .expect("HMAC accepts keys of any length");
        mac.update(self.message().as_bytes());
        mac
    }

    /// The signature a partner's system computes with the client's SSO token.
    pub fn sign(&self, token: &str) -> String {
        hex::encode(self.mac(token).finalize().into_bytes())
    }

    /// Whether the signature is right, compared in constant time.
    pub fn is_signed_with(&self, token: &str) -> bool {
        match hex::decode(&self.signature) {
            Ok(signature) => self.mac(token).verify_slice(&signature).is_ok(),
            Err(_) => false,
        }
    }

    /// The link's path and query, signed.
    pub fn to_path(&self, token: &str) -> String {
        format!(
            "{}?client={}&email={}&expires={}&nonce={}&signature={}",
            crate::paths::SSO_LOGIN,
            self.client,
            crate::core::url::encode_query_value(&self.email),
            self.expires,
            crate::core::url::encode_query_value(&self.nonce),
            self.sign(token)
        )
    }
}

/// Checks the link and uses up its nonce; the user it signs in.
pub async fn redeem(state: &AppState, link: &SsoLink) -> Result<UserRecord, AppError> {
    let refused = || AppError::forbidden(sso_link_refused());
    let now_seconds = now_ms() / 1000;
    if link.expires <= now_seconds
        || link.expires > now_seconds + MAX_LIFETIME_SECONDS
        || link.nonce.len() < 8
        || link.nonce.len() > 128
    {
        return Err(refused());
    }
    let client = NodeId(link.client);
    let token = crate::auth::repo::sso_token(state.db.pool(), client)
        .await?
        .ok_or_else(refused)?;
    if !link.is_signed_with(&token) {
        return Err(refused());
    }
    let user = find_by_email(state.db.pool(), &link.email)
        .await?
        .filter(|user| user.status == UserStatus::Active)
        .ok_or_else(refused)?;
    // The client's token vouches for the client's own people only: someone who also
    // holds roles elsewhere (partner staff) would be signed in with all of them.
    let memberships = memberships_of(state.db.pool(), user.id).await?;
    if memberships.is_empty() || memberships.iter().any(|m| m.node_id != client) {
        return Err(refused());
    }

    let mut tx = state.db.begin().await?;
    sqlx::query("DELETE FROM sso_link_uses WHERE expires_at < $1")
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    let used =
        sqlx::query("INSERT INTO sso_link_uses (client_id, nonce, expires_at) VALUES ($1, $2, $3)")
            .bind(client.0)
            .bind(&link.nonce)
            .bind(link.expires * 1000)
            .execute(&mut *tx)
            .await;
    match used {
        Ok(_) => {}
        Err(error) if violates(&error, "sso_link_uses") => return Err(refused()),
        Err(error) => return Err(error.into()),
    }
    tx.commit().await?;
    Ok(user)
}

/// GET /sso/login: signs the link's user in and sends them home, or explains why not.
pub async fn sign_in_with_link(state: AppState, parts: Parts) -> Response {
    let client = Requester::from_parts(&parts, state.settings.trust_forwarded_for);
    let link = axum::extract::Query::<SsoLink>::try_from_uri(&parts.uri).map(|query| query.0);
    let signed_in = async {
        let link = link.map_err(|_| AppError::forbidden(sso_link_refused()))?;
        let user = redeem(&state, &link).await?;
        session::replace_session(&state, &user, &client, session::SignInMethod::Sso).await
    };
    match signed_in.await {
        Ok(token) => (
            [(
                header::SET_COOKIE,
                session::session_cookie(&state.settings, &token),
            )],
            Redirect::to(crate::paths::HOME),
        )
            .into_response(),
        // The sign-in page says why, in the brand of the address the link came to.
        Err(AppError::Forbidden(_)) => {
            Redirect::to(crate::paths::SSO_LINK_REFUSED_PAGE).into_response()
        }
        // A failure of ours (already logged) is not the link's fault: calling the link
        // invalid would send its user off to ask for another one.
        Err(error) => error.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link() -> SsoLink {
        SsoLink {
            client: 42,
            email: "hana@harbor.test".into(),
            expires: 1_800_000_000,
            nonce: "n0nce-123".into(),
            signature: String::new(),
        }
    }

    #[test]
    fn a_signature_verifies_only_with_its_token_and_fields() {
        let mut signed = link();
        signed.signature = signed.sign("token-a");
        assert_eq!(signed.signature.len(), 64);
        assert!(signed.is_signed_with("token-a"));
        assert!(!signed.is_signed_with("token-b"));
        let mut tampered = signed.clone();
        tampered.email = "mallory@harbor.test".into();
        assert!(!tampered.is_signed_with("token-a"));
        tampered = signed.clone();
        tampered.signature = "zz".into();
        assert!(!tampered.is_signed_with("token-a"));
    }

    #[test]
    fn the_link_carries_every_signed_field() {
        let path = link().to_path("token-a");
        assert!(path.starts_with("/sso/login?client=42&email=hana%40harbor.test&expires=1800000000&nonce=n0nce-123&signature="));
    }
}
