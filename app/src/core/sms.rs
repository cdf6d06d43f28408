//! How many SMS segments a text takes, the way carriers count them: GSM-7 when every
//! character is in the GSM 03.38 alphabet (160 septets alone, 153 per part when
//! split; extension characters take two and are never split), otherwise UCS-2 for
//! the whole text (70 UTF-16 units alone, 67 per part; a character outside the BMP
//! takes two and is never split). One segment costs one SMS credit.

use serde::{Deserialize, Serialize};

crate::keyed_enum! {
    /// How a text message's characters are encoded on the air.
    pub enum SmsEncoding {
        Gsm7 = ("gsm7", labels.sms_encoding.gsm7),
        Ucs2 = ("ucs2", labels.sms_encoding.ucs2),
    }
}

/// The ledger's note for what a text cost, in a notation the same in every language
/// ("M7 · 2 × GSM-7"): the entry's credit and type beside it are worded for the reader.
pub fn ledger_note(about: &str, segments: i64, encoding: SmsEncoding) -> String {
    format!("{about} · {segments} × {}", encoding.label())
}

/// What a text costs and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsCount {
    pub encoding: SmsEncoding,
    pub segments: u32,
    /// Septets (GSM-7) or UTF-16 units (UCS-2) the text takes.
    pub units: u32,
    /// The first character that made the text UCS-2, if one did.
    pub first_wide: Option<char>,
}

const SINGLE_GSM: u32 = 160;
const PART_GSM: u32 = 153;
const SINGLE_UCS2: u32 = 70;
const PART_UCS2: u32 = 67;

/// The GSM 03.38 basic alphabet, in table order (0x1B, the escape, is left out).
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// The extension table: each takes an escape septet and its own.
const GSM_EXTENSION: &str = "\u{0C}^{}\\[~]|€";

/// How many septets `ch` takes in GSM-7, or none when GSM-7 cannot carry it.
fn septets(ch: char) -> Option<u32> {
    if GSM_BASIC.contains(ch) {
        Some(1)
    } else if GSM_EXTENSION.contains(ch) {
        Some(2)
    } else {
        None
    }
}

/// Counts the segments of `text`. An empty text still goes out as one segment.
pub fn count(text: &str) -> SmsCount {
    let gsm: Option<Vec<u32>> = text.chars().map(septets).collect();
    match gsm {
        Some(sizes) => counted(SmsEncoding::Gsm7, &sizes, SINGLE_GSM, PART_GSM, None),
        None => {
            let sizes: Vec<u32> = text.chars().map(|ch| ch.len_utf16() as u32).collect();
            let first_wide = text.chars().find(|ch| septets(*ch).is_none());
            counted(
                SmsEncoding::Ucs2,
                &sizes,
                SINGLE_UCS2,
                PART_UCS2,
                first_wide,
            )
        }
    }
}

/// Fills parts of `part` units with characters of `sizes` units, never splitting
/// one; a text that fits `single` units is one segment.
fn counted(
    encoding: SmsEncoding,
    sizes: &[u32],
    single: u32,
    part: u32,
    first_wide: Option<char>,
) -> SmsCount {
    let units: u32 = sizes.iter().sum();
    let segments = if units <= single {
        1
    } else {
        let (mut segments, mut used) = (1, 0);
        for &size in sizes {
            if used + size > part {
                segments += 1;
                used = 0;
            }
            used += size;
        }
        segments
    };
    SmsCount {
        encoding,
        segments,
        units,
        first_wide,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gsm_alphabet_has_its_128_characters_less_the_escape() {
        assert_eq!(GSM_BASIC.chars().count(), 127);
        assert_eq!(GSM_EXTENSION.chars().count(), 10);
    }

    #[test]
    fn a_plain_text_of_160_characters_is_one_segment_and_161_are_two() {
        let plain = "a".repeat(160);
        assert_eq!(count(&plain).segments, 1);
        assert_eq!(count(&plain).encoding, SmsEncoding::Gsm7);
        assert_eq!(count(&format!("{plain}b")).segments, 2);
        assert_eq!(count(&"a".repeat(306)).segments, 2);
        assert_eq!(count(&"a".repeat(307)).segments, 3);
    }

    #[test]
    fn extension_characters_count_twice_and_are_not_split() {
        // One euro sign in 159 characters: 160 septets would fit, 161 do not.
        let with_euro = format!("{}€", "a".repeat(158));
        assert_eq!(count(&with_euro).units, 160);
        assert_eq!(count(&with_euro).segments, 1);
        let longer = format!("{}€", "a".repeat(159));
        assert_eq!(count(&longer).units, 161);
        assert_eq!(count(&longer).segments, 2);
        // 152 septets, then a euro that would straddle the first part's end.
        let straddling = format!("{}€{}", "a".repeat(152), "a".repeat(10));
        let counted = count(&straddling);
        assert_eq!(counted.units, 164);
        assert_eq!(counted.segments, 2);
        assert_eq!(counted.encoding, SmsEncoding::Gsm7);
    }

    #[test]
    fn one_character_outside_the_alphabet_makes_the_whole_text_ucs2() {
        let counted = count("Running late 😊");
        assert_eq!(counted.encoding, SmsEncoding::Ucs2);
        assert_eq!(counted.first_wide, Some('😊'));
        assert_eq!(counted.units, 15);
        assert_eq!(counted.segments, 1);
        assert_eq!(count(&"é".repeat(70)).encoding, SmsEncoding::Gsm7);
        assert_eq!(count(&"ç".repeat(70)).segments, 1);
        assert_eq!(count(&"ç".repeat(71)).segments, 2);
        assert_eq!(count(&"ç".repeat(134)).segments, 2);
        assert_eq!(count(&"ç".repeat(135)).segments, 3);
    }

    #[test]
    fn characters_outside_the_bmp_take_two_units_and_are_not_split() {
        // 66 units, then an emoji that would straddle the first part's end.
        let text = format!("{}😊{}", "ç".repeat(66), "ç".repeat(10));
        let counted = count(&text);
        assert_eq!(counted.units, 78);
        assert_eq!(counted.segments, 2);
        assert_eq!(count(&"😊".repeat(35)).segments, 1);
        assert_eq!(count(&"😊".repeat(36)).segments, 2);
    }

    #[test]
    fn an_empty_text_is_one_segment() {
        assert_eq!(count("").segments, 1);
    }
}
