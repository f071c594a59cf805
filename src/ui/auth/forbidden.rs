//! The page for a screen the signed-in person's roles do not open: a real page
//! that says so and names their roles, instead of a redirect or a blank screen.

use crate::i18n::*;
use crate::model::access::account::Me;
use crate::model::Permission;

use crate::ui::language::tr;
use crate::ui::routes::StaffPage;
use leptos::prelude::*;

/// "Not available for your role", with the person's roles and a way on.
#[component]
pub fn Forbidden(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    crate::ui::kit::use_page_title(move || t_string!(i18n, auth.forbidden.title).to_string());
    let roles = me.roles.clone();
    let one_role = me.roles.len() == 1;
    let may_view_orders = me.may(Permission::ViewOrders);
    view! {
        <section class="forbidden" data-testid="forbidden">
            <h1>{tr(i18n, |l| td_string!(l, auth.forbidden.title))}</h1>
            <p>
                {tr(i18n, |l| td_string!(l, auth.forbidden.you_are))} <strong>{me.display_name.clone()}</strong>
                {move || if one_role {
                    t_string!(i18n, auth.forbidden.with_role)
                } else {
                    t_string!(i18n, auth.forbidden.with_roles)
                }}
                <strong data-testid="forbidden-roles">{move || words::roles(i18n.get_locale(), &roles)}</strong>
                {tr(i18n, |l| td_string!(l, auth.forbidden.needs))}
            </p>
            <Show when=move || may_view_orders>
                <p>
                    <a href=StaffPage::Orders.href()>{tr(i18n, |l| td_string!(l, auth.forbidden.to_orders))}</a>
                </p>
            </Show>
        </section>
    }
}
