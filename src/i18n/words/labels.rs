//! Names of the model's closed sets: status, role, channel.

use crate::i18n::*;
use crate::model::{Channel, Role, Status};

/// `待发货` / `Awaiting shipment`.
pub fn status(locale: Locale, status: Status) -> &'static str {
    match status {
        Status::Placed => td_string!(locale, domain.status.placed),
        Status::Paid => td_string!(locale, domain.status.paid),
        Status::Confirmed => td_string!(locale, domain.status.confirmed),
        Status::Allocated => td_string!(locale, domain.status.allocated),
        Status::Picking => td_string!(locale, domain.status.picking),
        Status::Packed => td_string!(locale, domain.status.packed),
        Status::Shipped => td_string!(locale, domain.status.shipped),
        Status::PickedUp => td_string!(locale, domain.status.picked_up),
        Status::InTransit => td_string!(locale, domain.status.in_transit),
        Status::Customs => td_string!(locale, domain.status.customs),
        Status::OutForDelivery => td_string!(locale, domain.status.out_for_delivery),
        Status::Delivered => td_string!(locale, domain.status.delivered),
        Status::OnHold => td_string!(locale, domain.status.on_hold),
        Status::DeliveryException => td_string!(locale, domain.status.delivery_exception),
        Status::RefundRequested => td_string!(locale, domain.status.refund_requested),
        Status::Refunded => td_string!(locale, domain.status.refunded),
        Status::Cancelled => td_string!(locale, domain.status.cancelled),
        Status::ReturnRequested => td_string!(locale, domain.status.return_requested),
        Status::Returned => td_string!(locale, domain.status.returned),
    }
}

/// `客服` / `Customer service`.
pub fn role(locale: Locale, role: Role) -> &'static str {
    match role {
        Role::CustomerService => td_string!(locale, domain.role.customer_service),
        Role::Logistics => td_string!(locale, domain.role.logistics),
        Role::Finance => td_string!(locale, domain.role.finance),
        Role::Admin => td_string!(locale, domain.role.admin),
    }
}

/// Roles in a list: `财务、管理员` / `Finance, Admin`.
pub fn roles(locale: Locale, roles: &[Role]) -> String {
    let names: Vec<&str> = roles.iter().map(|r| role(locale, *r)).collect();
    names.join(super::list_separator(locale))
}

/// `抖店` / `Douyin`.
pub fn channel(locale: Locale, channel: Channel) -> &'static str {
    match channel {
        Channel::Douyin => td_string!(locale, domain.channel.douyin),
        Channel::Tmall => td_string!(locale, domain.channel.tmall),
        Channel::Wechat => td_string!(locale, domain.channel.wechat),
        Channel::Xiaohongshu => td_string!(locale, domain.channel.xiaohongshu),
        Channel::Shopify => td_string!(locale, domain.channel.shopify),
        Channel::Pos => td_string!(locale, domain.channel.pos),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_name_in_each_language_and_the_names_differ() {
        for s in Status::ALL {
            let (en, zh) = (status(Locale::en, s), status(Locale::zh_CN, s));
            assert!(!en.is_empty() && !zh.is_empty(), "{s:?}");
            assert_ne!(en, zh, "{s:?} is not translated");
        }
        assert_eq!(status(Locale::zh_CN, Status::Paid), "待发货");
        assert_eq!(status(Locale::zh_CN, Status::PickedUp), "已揽收");
        assert_eq!(status(Locale::zh_CN, Status::OutForDelivery), "派送中");
    }

    #[test]
    fn roles_are_listed_the_way_each_language_lists() {
        let both = [Role::Finance, Role::Admin];
        assert_eq!(roles(Locale::en, &both), "Finance, Admin");
        assert_eq!(roles(Locale::zh_CN, &both), "财务、管理员");
    }
}
