//! The page for a screen the signed-in person's roles do not open: a real page
//! that says so and names their roles, instead of a redirect or a blank screen.

use crate::model::access::account::Me;
use crate::model::Permission;

use crate::ui::routes::StaffPage;
use leptos::prelude::*;

/// "Not available for your role", with the person's roles and a way on.
#[component]
pub fn Forbidden(me: Me) -> impl IntoView {
    crate::ui::kit::use_page_title(|| "Not available for your role".into());
    let roles = crate::i18n::words::roles(crate::i18n::Locale::en, &me.roles);
    let may_view_orders = me.may(Permission::ViewOrders);
    view! {
        <section class="forbidden" data-testid="forbidden">
            <h1>"Not available for your role"</h1>
            <p>
                "You are signed in as " <strong>{me.display_name.clone()}</strong> " with the "
                {if me.roles.len() == 1 { "role " } else { "roles " }}
                <strong data-testid="forbidden-roles">{roles}</strong>
                ". This page needs a role you do not have; an admin can change your roles."
            </p>
            <Show when=move || may_view_orders>
                <p>
                    <a href=StaffPage::Orders.href()>"Go to the order list"</a>
                </p>
            </Show>
        </section>
    }
}
