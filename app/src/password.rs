//! Password hashing with argon2id (m = 19456 KiB, t = 2, p = 1). Hashing is slow on
//! purpose, so it runs on blocking threads, a bounded number at a time, never on the
//! async workers.

use std::sync::Arc;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::error::AppError;

pub const MIN_PASSWORD_LENGTH: usize = 10;
pub const MAX_PASSWORD_LENGTH: usize = 256;

#[derive(Clone, Debug)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// Verified against when the email is unknown, so both cases take the same time.
    decoy_hash: Arc<str>,
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_now(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(AppError::internal)
}

impl Passwords {
    pub fn new(max_concurrent_hashes: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(max_concurrent_hashes.max(1))),
            decoy_hash: hash_now(&random_token())
                .expect("hashing a decoy password")
                .into(),
        }
    }

    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.run(move || hash_now(&password)).await?
    }

    /// Whether `password` matches `stored_hash`; a missing hash never matches but
    /// costs the same as a real check.
    pub async fn verify(
        &self,
        password: String,
        stored_hash: Option<String>,
    ) -> Result<bool, AppError> {
        let known = stored_hash.is_some();
        let hash = stored_hash.unwrap_or_else(|| self.decoy_hash.to_string());
        let matches = self
            .run(move || match PasswordHash::new(&hash) {
                Ok(parsed) => argon2()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok(),
                Err(_) => false,
            })
            .await?;
        Ok(known && matches)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(AppError::internal)
    }
}

/// How much of a password the guessability check reads: its cost grows quickly with
/// length, and a prefix this long that is easy to guess makes the whole weak enough.
const GUESSABILITY_PREFIX: usize = 64;

/// A readable reason why `password` cannot be a new password for someone known by
/// `user_inputs` (their email, their name), if it cannot: too short, too long, or
/// among the passwords guessed first (common ones, keyboard runs, their own name).
pub fn new_password_problem(password: &str, user_inputs: &[&str]) -> Option<String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_LENGTH {
        Some(crate::tr!(
            password.errors.too_short,
            least = MIN_PASSWORD_LENGTH
        ))
    } else if length > MAX_PASSWORD_LENGTH {
        Some(crate::tr!(
            errors.at_most_characters,
            count = MAX_PASSWORD_LENGTH
        ))
    } else if is_easily_guessed(password, user_inputs) {
        Some(crate::tr!(password.errors.guessable).to_string())
    } else {
        None
    }
}

fn is_easily_guessed(password: &str, user_inputs: &[&str]) -> bool {
    let prefix: String = password.chars().take(GUESSABILITY_PREFIX).collect();
    // Whole inputs and their words: "nora.north@northwind.test" gives "nora",
    // "north" and "northwind" too, each a guess an attacker would try.
    let words: Vec<String> = user_inputs
        .iter()
        .flat_map(|input| {
            let input = input.to_lowercase();
            let parts: Vec<String> = input
                .split(|c: char| !c.is_alphanumeric())
                .filter(|part| part.chars().count() >= 3)
                .map(str::to_string)
                .collect();
            std::iter::once(input).chain(parts)
        })
        .collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    // Score One: found within about a million guesses.
    zxcvbn::zxcvbn(&prefix, &words).score() <= zxcvbn::Score::One
}

/// 256 random bits, URL-safe: session tokens and decoys.
pub fn random_token() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A strong password a person can type: 4 groups of 5 letters and digits, with no
/// look-alike characters (about 100 bits).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut groups = Vec::with_capacity(4);
    for _ in 0..4 {
        let group: String = (0..5)
            .map(|_| {
                // Rejection sampling keeps every character equally likely.
                loop {
                    let byte = (OsRng.next_u32() & 0xff) as usize;
                    if byte < 256 - 256 % ALPHABET.len() {
                        break ALPHABET[byte % ALPHABET.len()] as char;
                    }
                }
            })
            .collect();
        groups.push(group);
    }
    groups.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_only_their_password() {
        let passwords = Passwords::new(2);
        let hash = passwords
            .hash("correct horse battery".into())
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(passwords
            .verify("correct horse battery".into(), Some(hash.clone()))
            .await
            .unwrap());
        assert!(!passwords
            .verify("wrong horse battery".into(), Some(hash))
            .await
            .unwrap());
        assert!(!passwords.verify("anything".into(), None).await.unwrap());
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let first = generate_password();
        assert_eq!(first.len(), 23);
        assert!(new_password_problem(&first, &[]).is_none());
        assert_ne!(first, generate_password());
    }

    #[test]
    fn short_passwords_are_refused_with_a_reason() {
        assert!(new_password_problem("short", &[])
            .unwrap()
            .contains("at least 10"));
        assert!(new_password_problem("four words make it", &[]).is_none());
    }

    #[test]
    fn very_common_passwords_are_refused_and_long_passphrases_accepted() {
        for common in [
            "password123",
            "qwertyuiop",
            "1234567890",
            "iloveyou12",
            "Password1!",
        ] {
            assert!(
                new_password_problem(common, &[]).is_some(),
                "{common} should be refused"
            );
        }
        let own_name = new_password_problem(
            "Nora.North@Northwind.test",
            &["nora.north@northwind.test", "Nora North"],
        );
        assert!(own_name.is_some());
        for passphrase in [
            "correct horse battery staple",
            "a long passphrase here",
            "the kettle sings at seven in the morning while the cat sleeps on the warm windowsill of our old house",
        ] {
            assert_eq!(new_password_problem(passphrase, &[]), None, "{passphrase}");
        }
        let very_long = "word ".repeat(52);
        assert!(new_password_problem(&very_long, &[])
            .unwrap()
            .contains("at most"));
    }
}
