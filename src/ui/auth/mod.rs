//! Signing in and out, and which screens the signed-in person may open.
//!
//! - [`status`]: [`Auth`], the app's typed context of who is signed in.
//! - [`login`]: the `/login` page.
//! - [`guard`]: [`Guard`] around every staff screen (sign-in, then permission).
//! - [`forbidden`]: the "Not available for your role" page.
//! - [`sign_out`]: the "Sign out" button and the back/forward-cache reload.

pub mod forbidden;
pub mod guard;
pub mod login;
pub mod sign_out;
pub mod status;

pub use guard::Guard;
pub use login::LoginPage;
pub use sign_out::{leave_for_login, reload_restored_pages, SignOutButton};
pub use status::Auth;
