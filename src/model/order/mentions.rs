//! Who a note mentions: `@li.na` names the colleague with that username. A
//! mention starts a word (after the start, a space, punctuation or a Chinese
//! character), so an e-mail address (`kf@brand.cn`) is not one. Pure: the
//! mentions inbox, its projection and the live topic all read notes with it.

/// The usernames a note's text mentions, lower-cased, each once, in the order
/// they first appear. A name that could not be a username is not a mention.
pub fn mentioned(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut previous: Option<char> = None;
    for (at, c) in text.char_indices() {
        let starts_word = previous.is_none_or(|p| !username_char(p));
        previous = Some(c);
        if c != '@' || !starts_word {
            continue;
        }
        let rest = &text[at + 1..];
        let end = rest
            .char_indices()
            .find(|(_, c)| !username_char(*c))
            .map_or(rest.len(), |(i, _)| i);
        // A sentence may end right after the name: `请 @li.na.`
        let name = rest[..end].trim_end_matches('.').to_lowercase();
        if could_be_username(&name) && !found.contains(&name) {
            found.push(name);
        }
    }
    found
}

/// Whether the note's text mentions `username`.
pub fn mentions(text: &str, username: &str) -> bool {
    mentioned(text).iter().any(|m| m == username)
}

/// Whether `name` could be someone's username: the characters new accounts
/// may use, from two long (the demo's `cs`) to 32.
pub fn could_be_username(name: &str) -> bool {
    (2..=32).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
}

fn username_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_found_in_chinese_and_english_sentences() {
        assert_eq!(mentioned("@li.na 请看一下礼盒"), ["li.na"]);
        assert_eq!(mentioned("请@wang_wei跟进，谢谢"), ["wang_wei"]);
        assert_eq!(
            mentioned("cc @Li.Na and @ops-2. @li.na again"),
            ["li.na", "ops-2"]
        );
        assert_eq!(mentioned("（@zhao）"), ["zhao"]);
    }

    #[test]
    fn an_email_address_or_a_bare_at_sign_is_not_a_mention() {
        assert!(mentioned("回复到 kf@brand.cn").is_empty());
        assert!(mentioned("@ 空格").is_empty());
        assert!(mentioned("@a is too short").is_empty());
        assert_eq!(mentioned("@cs 看一下"), ["cs"]);
        assert!(mentioned("").is_empty());
        assert!(!mentions("@li.nab", "li.na"));
        assert!(mentions("@li.na", "li.na"));
    }
}
