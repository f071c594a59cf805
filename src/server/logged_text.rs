//! What is kept of text that came from outside (a username typed at sign-in,
//! the reason a delivery was refused, a dedupe key): cut to a length, so a
//! flood of oversized input cannot grow the audit trail or the delivery log.

/// `text` cut to `max` characters (an ellipsis marks the cut).
pub fn capped(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logged_text_is_capped() {
        assert_eq!(capped("lina", 64), "lina");
        let long = "é".repeat(20_000);
        let cut = capped(&long, 64);
        assert_eq!(cut.chars().count(), 64 + 1);
        assert!(cut.ends_with('…'));
    }
}
