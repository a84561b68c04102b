//! Spotting personal details in text a resident is about to publish: phone numbers, ID-card
//! numbers and email addresses. The check warns, it never blocks, so it errs on the side of
//! few false alarms (an ID number must pass its check digit; a phone number must look like a
//! mainland mobile or a landline with its area code). No regex: the app stays small. The
//! filing form runs it as the resident types; the server can run the same on what awaits review.

/// Which kinds of personal detail a text seems to hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonalDetails {
    /// A mainland mobile number or a landline with its area code.
    pub phone: bool,
    /// A resident ID-card number (18 characters, valid check digit).
    pub id_card: bool,
    /// An email address.
    pub email: bool,
}

impl PersonalDetails {
    /// What either found.
    pub fn or(self, other: Self) -> Self {
        Self {
            phone: self.phone || other.phone,
            id_card: self.id_card || other.id_card,
            email: self.email || other.email,
        }
    }

    /// Whether nothing was found.
    pub fn is_none(&self) -> bool {
        !(self.phone || self.id_card || self.email)
    }
}

/// ASCII digits for full-width ones (１３８…), which phones' Chinese keyboards often type.
fn normalise(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        'Ｘ' | 'ｘ' => 'X',
        _ => c,
    }
}

/// Looks for personal details in `text`.
pub fn find(text: &str) -> PersonalDetails {
    let chars: Vec<char> = text.chars().map(normalise).collect();
    let mut found = PersonalDetails::default();
    for token in number_runs(&chars) {
        if is_id_card(&token.compact) {
            found.id_card = true;
        } else if is_phone(&token) {
            found.phone = true;
        }
    }
    found.email = has_email(&chars);
    found
}

/// A run of digits, perhaps with single spaces or hyphens between groups (`138 0013 8000`,
/// `028-8765 4321`), and a trailing `X` (ID cards).
struct NumberRun {
    /// The digits (and a final `X`), separators dropped.
    compact: String,
    /// Whether a separator appeared in the run.
    separated: bool,
    /// Whether the run began with `+`.
    plus: bool,
}

fn number_runs(chars: &[char]) -> Vec<NumberRun> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let plus = chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        let start_ok = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        if !(start_ok && (plus || chars[i].is_ascii_digit())) {
            i += 1;
            continue;
        }
        let mut j = if plus { i + 1 } else { i };
        let mut compact = String::new();
        let mut separated = false;
        while j < chars.len() {
            let c = chars[j];
            if c.is_ascii_digit() {
                compact.push(c);
                j += 1;
            } else if matches!(c, ' ' | '-') && chars.get(j + 1).is_some_and(char::is_ascii_digit) {
                separated = true;
                j += 1;
            } else {
                break;
            }
        }
        if matches!(chars.get(j), Some('X' | 'x')) && compact.len() == 17 {
            compact.push('X');
            j += 1;
        }
        // A number glued to letters (a model code, say) is not a phone number.
        if !chars.get(j).is_some_and(char::is_ascii_alphabetic) {
            runs.push(NumberRun {
                compact,
                separated,
                plus,
            });
        }
        i = j.max(i + 1);
    }
    runs
}

fn is_phone(run: &NumberRun) -> bool {
    let digits = run.compact.as_str();
    let national = match digits.strip_prefix("86") {
        Some(rest) if run.plus || rest.len() == 11 => rest,
        _ => digits,
    };
    let bytes = national.as_bytes();
    let mobile = bytes.len() == 11 && bytes[0] == b'1' && (b'3'..=b'9').contains(&bytes[1]);
    // 028-8765 4321: an area code with its leading 0, then 7 or 8 digits.
    let landline = (10..=12).contains(&bytes.len()) && bytes[0] == b'0' && run.separated;
    !national.contains('X') && (mobile || landline)
}

/// An 18-character resident ID number whose last character is its ISO 7064 MOD 11-2 check.
fn is_id_card(text: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [u8; 11] = *b"10X98765432";
    let bytes = text.as_bytes();
    if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = bytes[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize] == bytes[17]
}

fn has_email(chars: &[char]) -> bool {
    let local = |c: &char| c.is_ascii_alphanumeric() || "._%+-".contains(*c);
    let domain = |c: &char| c.is_ascii_alphanumeric() || ".-".contains(*c);
    chars.iter().enumerate().any(|(at, c)| {
        if *c != '@' || at == 0 || !local(&chars[at - 1]) {
            return false;
        }
        let host: String = chars[at + 1..].iter().take_while(|c| domain(c)).collect();
        let host = host.trim_end_matches('.');
        match host.rsplit_once('.') {
            Some((name, tld)) => {
                !name.is_empty() && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
            }
            None => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> (bool, bool, bool) {
        let f = find(text);
        (f.phone, f.id_card, f.email)
    }

    #[test]
    fn finds_phone_numbers_as_people_write_them() {
        for text in [
            "请联系13800138000",
            "电话 138 0013 8000 谢谢",
            "call 138-0013-8000",
            "+86 13800138000",
            "8613800138000",
            "手机：１３８００１３８０００",
            "座机028-87654321",
            "(028) 8765 4321 is not caught but 028 8765 4321 is",
        ] {
            assert!(find(text).phone, "{text}");
        }
    }

    #[test]
    fn finds_id_card_numbers_by_their_check_digit() {
        // Valid check digits (computed with MOD 11-2), one ending in X.
        assert_eq!(kinds("身份证11010519491231002X"), (false, true, false));
        assert_eq!(kinds("ID 110105194912310029 ok"), (false, false, false));
        assert_eq!(kinds("身份证号 510104199001011230。"), (false, true, false));
        assert_eq!(kinds("身份证号 510104199001011234"), (false, false, false));
        assert!(is_id_card("11010519491231002X"));
        assert!(!is_id_card("110105194912310021"));
    }

    #[test]
    fn finds_email_addresses() {
        assert!(find("邮箱 zhang.san+civic@example.com.cn 请回复").email);
        assert!(find("write to a@b.io.").email);
        for text in ["@人民政府", "price 5@3", "me@localhost", "a@b.c"] {
            assert!(!find(text).email, "{text}");
        }
    }

    #[test]
    fn leaves_ordinary_numbers_alone() {
        for text in [
            "2026年11月26日晚上10点",
            "20261126-0042号诉求",
            "噪音持续了3个小时，分贝超过85",
            "第12345号",
            "编号 A13800138000B",
            "型号XJ13800138000",
            "金额 12,000.50 元",
            "地铁7号线",
            "1380013800",
        ] {
            assert!(find(text).is_none(), "{text}");
        }
    }
}
