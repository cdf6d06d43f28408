//! The text of an API key: `sbk_<key id>_<secret>_<checksum>`. The prefix makes a
//! leaked key recognizable; `_` is no base62 character, so a double click selects the
//! whole key; the checksum (CRC-32 of what precedes it) lets a scanner tell a real key
//! from a typo without asking the server.

use argon2::password_hash::rand_core::{OsRng, RngCore};

const PREFIX: &str = "sbk_";
const KEY_ID_LENGTH: usize = 8;
const SECRET_LENGTH: usize = 32;
const CHECKSUM_LENGTH: usize = 6;
const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A new key: its public id and its whole text.
pub struct GeneratedKey {
    pub key_id: String,
    pub text: String,
}

pub fn generate() -> GeneratedKey {
    let key_id = random_base62(KEY_ID_LENGTH);
    let body = format!("{PREFIX}{key_id}_{}", random_base62(SECRET_LENGTH));
    let text = format!("{body}_{}", checksum(&body));
    GeneratedKey { key_id, text }
}

/// The key id of `text`, if it has the shape and checksum of a key.
pub fn key_id_of(text: &str) -> Option<&str> {
    let rest = text.strip_prefix(PREFIX)?;
    let (key_id, rest) = rest.split_once('_')?;
    let (secret, sum) = rest.split_once('_')?;
    let base62 = |part: &str, length: usize| {
        part.len() == length && part.bytes().all(|byte| byte.is_ascii_alphanumeric())
    };
    let shaped = base62(key_id, KEY_ID_LENGTH)
        && base62(secret, SECRET_LENGTH)
        && base62(sum, CHECKSUM_LENGTH);
    // Shaped, the text is ASCII and ends in `_` and the checksum.
    (shaped && checksum(&text[..text.len() - CHECKSUM_LENGTH - 1]) == sum).then_some(key_id)
}

fn checksum(body: &str) -> String {
    let mut value = u64::from(crc32fast::hash(body.as_bytes()));
    let mut digits = [b'0'; CHECKSUM_LENGTH];
    for digit in digits.iter_mut().rev() {
        *digit = BASE62[(value % 62) as usize];
        value /= 62;
    }
    String::from_utf8_lossy(&digits).into_owned()
}

/// Uniform random base62 characters: bytes past the largest multiple of 62 are
/// thrown away, so no character is likelier than another.
fn random_base62(length: usize) -> String {
    let mut text = String::with_capacity(length);
    let mut bytes = [0u8; 64];
    while text.len() < length {
        OsRng.fill_bytes(&mut bytes);
        for byte in bytes {
            if byte < 248 && text.len() < length {
                text.push(BASE62[(byte % 62) as usize] as char);
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_has_its_shape_and_reads_back_its_id() {
        let key = generate();
        assert_eq!(key.text.len(), 4 + 8 + 1 + 32 + 1 + 6);
        assert!(key.text.starts_with("sbk_"));
        assert_eq!(key_id_of(&key.text), Some(key.key_id.as_str()));
    }

    #[test]
    fn keys_differ() {
        assert_ne!(generate().text, generate().text);
    }

    #[test]
    fn a_changed_character_fails_the_checksum() {
        let key = generate().text;
        let position = 20;
        let original = key.as_bytes()[position];
        let replacement = if original == b'a' { 'b' } else { 'a' };
        let mut typo = key.clone();
        typo.replace_range(position..=position, &replacement.to_string());
        assert_eq!(key_id_of(&typo), None);
    }

    #[test]
    fn what_is_not_a_key_is_refused() {
        for text in [
            "",
            "sbk_",
            "sbk___",
            "Bearer sbk_x",
            "ghp_abcdefgh_abcdefghabcdefghabcdefghabcdefgh_abcdef",
            "sbk_abcdefgh_abcdefghabcdefghabcdefghabcdefgh_abcdef_",
            "sbk_abcdéfgh_abcdefghabcdefghabcdefghabcdefgh_abcdef",
        ] {
            assert_eq!(key_id_of(text), None, "{text}");
        }
    }
}
