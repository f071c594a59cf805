//! Delivery details and the requests made of warehouses and carriers, in the
//! reader's language: `电话 139****9000，地址 浙江 杭州 …`, `包裹 P1 改标`,
//! `待仓库确认改标`, `已拦截成功`.

use crate::i18n::*;
use crate::model::order::request::{Ask, ContactChange, Request, RequestState};
use crate::model::Address;

/// An address as the reader's language writes it: `浙江 杭州 西湖区文三路 1 号`,
/// `1 Wensan Rd, Hangzhou, Zhejiang, CN`.
pub fn address(locale: Locale, a: &Address) -> String {
    match locale {
        Locale::zh_CN => [&a.province, &a.city, &a.line]
            .into_iter()
            .filter(|part| !part.is_empty())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" "),
        Locale::en => [&a.line, &a.city, &a.province, &a.country]
            .into_iter()
            .filter(|part| !part.is_empty())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// New delivery details, part by part: `recipient 王芳; phone 13900139000`.
pub fn contact(locale: Locale, c: &ContactChange) -> String {
    let mut parts = Vec::new();
    if let Some(name) = &c.name {
        parts.push(td_string!(locale, domain.contact.name, name = name).to_string());
    }
    if let Some(phone) = &c.phone {
        parts.push(td_string!(locale, domain.contact.phone, phone = phone).to_string());
    }
    if let Some(a) = &c.address {
        parts.push(
            td_string!(locale, domain.contact.address, address = address(locale, a)).to_string(),
        );
    }
    parts.join(td_string!(locale, domain.contact.separator))
}

/// What a request asks, briefly: `包裹 P1 改标` / `Intercept parcel P2`.
pub fn ask(locale: Locale, ask: &Ask) -> String {
    match ask {
        Ask::Relabel { parcel, .. } => {
            td_string!(locale, domain.request.ask.relabel, parcel = parcel).to_string()
        }
        Ask::Redirect { parcel, .. } => {
            td_string!(locale, domain.request.ask.redirect, parcel = parcel).to_string()
        }
        Ask::WarehouseIntercept => {
            td_string!(locale, domain.request.ask.warehouse_intercept).to_string()
        }
        Ask::CarrierIntercept { parcel } => td_string!(
            locale,
            domain.request.ask.carrier_intercept,
            parcel = parcel
        )
        .to_string(),
    }
}

/// What a request asks, with the new details it carries: `包裹 P1 改标（电话 139…）`.
pub fn ask_in_full(locale: Locale, a: &Ask) -> String {
    match a.contact() {
        Some(c) => td_string!(
            locale,
            domain.request.with_contact,
            ask = ask(locale, a),
            contact = contact(locale, c)
        )
        .to_string(),
        None => ask(locale, a),
    }
}

/// Where a request stands: `待仓库确认改标`, `已拦截成功`, `拦截前已签收`.
pub fn request_state(locale: Locale, request: &Request) -> &'static str {
    use RequestState::*;
    match (&request.ask, &request.state) {
        (Ask::Relabel { .. }, Pending) => td_string!(locale, domain.request.state.relabel_pending),
        (Ask::Relabel { .. }, Confirmed { .. }) => {
            td_string!(locale, domain.request.state.relabel_confirmed)
        }
        (Ask::Relabel { .. }, Failed { .. }) => {
            td_string!(locale, domain.request.state.relabel_failed)
        }
        (Ask::Redirect { .. }, Pending) => {
            td_string!(locale, domain.request.state.redirect_pending)
        }
        (Ask::Redirect { .. }, Confirmed { .. }) => {
            td_string!(locale, domain.request.state.redirect_confirmed)
        }
        (Ask::Redirect { .. }, Failed { .. }) => {
            td_string!(locale, domain.request.state.redirect_failed)
        }
        (Ask::Redirect { .. }, DeliveredFirst) => {
            td_string!(locale, domain.request.state.redirect_delivered_first)
        }
        (Ask::WarehouseIntercept, Pending) => {
            td_string!(locale, domain.request.state.warehouse_intercept_pending)
        }
        (Ask::WarehouseIntercept, Confirmed { .. }) => {
            td_string!(locale, domain.request.state.warehouse_intercept_confirmed)
        }
        (Ask::WarehouseIntercept, Failed { .. }) => {
            td_string!(locale, domain.request.state.warehouse_intercept_failed)
        }
        (Ask::CarrierIntercept { .. }, Pending) => {
            td_string!(locale, domain.request.state.carrier_intercept_pending)
        }
        (Ask::CarrierIntercept { .. }, Confirmed { .. }) => {
            td_string!(locale, domain.request.state.carrier_intercept_confirmed)
        }
        (Ask::CarrierIntercept { .. }, Failed { .. }) => {
            td_string!(locale, domain.request.state.carrier_intercept_failed)
        }
        (Ask::CarrierIntercept { .. }, DeliveredFirst) => {
            td_string!(
                locale,
                domain.request.state.carrier_intercept_delivered_first
            )
        }
        // Only a carrier's request is overtaken by a delivery.
        (Ask::Relabel { .. } | Ask::WarehouseIntercept, DeliveredFirst) => {
            td_string!(locale, domain.request.state.delivered_first)
        }
    }
}

/// The other system's words on a settled request, if it gave any.
pub fn request_detail(request: &Request) -> Option<&str> {
    match &request.state {
        RequestState::Confirmed { detail } | RequestState::Failed { detail } => {
            Some(detail.as_str()).filter(|d| !d.trim().is_empty())
        }
        RequestState::Pending | RequestState::DeliveredFirst => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::ids::{ParcelId, RequestId};
    use chrono::{TimeZone, Utc};

    fn request(ask: Ask, state: RequestState) -> Request {
        Request {
            id: RequestId::parse("RQ-1").unwrap(),
            ask,
            reason: "customer moved".into(),
            state,
            made_at: Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap(),
            settled_at: None,
        }
    }

    #[test]
    fn a_request_state_reads_as_operations_say_it() {
        let p1 = || ParcelId::parse("P1").unwrap();
        let relabel = request(
            Ask::Relabel {
                parcel: p1(),
                contact: ContactChange::default(),
            },
            RequestState::Pending,
        );
        assert_eq!(request_state(Locale::zh_CN, &relabel), "待仓库确认改标");
        assert_eq!(
            request_state(Locale::en, &relabel),
            "Waiting for the warehouse to re-label"
        );
        let intercepted = request(
            Ask::CarrierIntercept { parcel: p1() },
            RequestState::Confirmed {
                detail: String::new(),
            },
        );
        assert_eq!(request_state(Locale::zh_CN, &intercepted), "已拦截成功");
        assert_eq!(request_detail(&intercepted), None, "no empty words shown");
        let late = request(
            Ask::CarrierIntercept { parcel: p1() },
            RequestState::DeliveredFirst,
        );
        assert_eq!(request_state(Locale::zh_CN, &late), "拦截前已签收");
        assert_eq!(ask_in_full(Locale::zh_CN, &late.ask), "拦截包裹 P1");
        let phone = ContactChange {
            phone: Some("13900139000".into()),
            ..Default::default()
        };
        let relabel = Ask::Relabel {
            parcel: p1(),
            contact: phone,
        };
        assert_eq!(
            ask_in_full(Locale::zh_CN, &relabel),
            "包裹 P1 改标（电话 13900139000）"
        );
        assert_eq!(
            ask_in_full(Locale::en, &relabel),
            "Re-label parcel P1: phone 13900139000"
        );
    }

    #[test]
    fn new_details_read_part_by_part_in_each_language() {
        let c = ContactChange {
            name: None,
            phone: Some("13900139000".into()),
            address: Some(Address {
                country: "CN".into(),
                province: "浙江".into(),
                city: "杭州".into(),
                line: "西湖区 文三路 259 号".into(),
            }),
        };
        assert_eq!(
            contact(Locale::zh_CN, &c),
            "电话 13900139000，地址 浙江 杭州 西湖区 文三路 259 号"
        );
        assert_eq!(
            contact(Locale::en, &c),
            "phone 13900139000; address 西湖区 文三路 259 号, 杭州, 浙江, CN"
        );
    }
}
