//! Where an event came from and who did it, as a timeline names them:
//! `快递 · 顺丰速运` / `Carrier · SF Express`, `王芳（客服）` / `Wang Fang
//! (Customer service)`. Names of systems and people are shown as given.

use super::{carrier, channel, role};
use crate::i18n::*;
use crate::model::{Actor, Source};

/// The system an event came from.
pub fn source(locale: Locale, source: &Source) -> String {
    match source {
        Source::Channel(c) => channel(locale, *c).to_string(),
        Source::Warehouse(name) => {
            td_string!(locale, domain.source.warehouse, name = name).to_string()
        }
        Source::Carrier(name) => {
            td_string!(locale, domain.source.carrier, name = carrier(locale, name)).to_string()
        }
        Source::Finance => td_string!(locale, domain.source.finance).to_string(),
        Source::Staff => td_string!(locale, domain.source.staff).to_string(),
        Source::ControlRoom => td_string!(locale, domain.source.control_room).to_string(),
    }
}

/// Who acted.
pub fn actor(locale: Locale, actor: &Actor) -> String {
    match actor {
        Actor::Customer => td_string!(locale, domain.actor.customer).to_string(),
        Actor::System { name } => td_string!(locale, domain.actor.system, name = name).to_string(),
        Actor::Staff { name, role: r, .. } => td_string!(
            locale,
            domain.actor.staff,
            name = name,
            role = role(locale, *r)
        )
        .to_string(),
        Actor::Anonymous => td_string!(locale, domain.actor.anonymous).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;

    #[test]
    fn sources_and_actors_read_in_each_language() {
        let sf = Source::Carrier("顺丰".into());
        assert_eq!(source(Locale::en, &sf), "Carrier · SF Express");
        assert_eq!(source(Locale::zh_CN, &sf), "快递 · 顺丰速运");
        let staff = Actor::Staff {
            user_id: "u_1".into(),
            name: "王芳".into(),
            role: Role::CustomerService,
        };
        assert_eq!(actor(Locale::en, &staff), "王芳 (Customer service)");
        assert_eq!(actor(Locale::zh_CN, &staff), "王芳（客服）");
        let erp = Actor::System {
            name: "ERP (API)".into(),
        };
        assert_eq!(actor(Locale::en, &erp), erp.to_string());
    }
}
