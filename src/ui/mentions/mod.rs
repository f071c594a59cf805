//! The mentions desk: notes where a colleague wrote `@username` reach that
//! person. The shell shows how many are unread, live on the page's one
//! stream ([`MentionsCount`]); the inbox at `/mentions` lists them newest
//! first with a link to each order ([`MentionsPage`]).

mod count;
mod inbox;

pub use count::{provide_mentions, Mentions, MentionsCount};
pub use inbox::MentionsPage;
