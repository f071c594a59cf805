//! The service desk's answer to "where is my …?" in words: the suggested reply
//! to send the customer, and each item's place and next step for the agent.
//! Every sentence is made from one fact of [`Whereabouts`], itself taken from
//! an event of the order's log; nothing is estimated or promised beyond what
//! the log says. Dates and times read in China time (the time the carriers,
//! warehouses and most customers keep): `11月28日 14:05`, `Nov 28, 14:05`.

use super::{carrier, list_separator, scan};
use crate::i18n::*;
use crate::model::views::whereabouts::{Group, Item, LastScan, Place, Standing, Whereabouts};
use crate::model::{ComponentId, ScanKind, Stage, CHINA_TIME};
use chrono::{DateTime, Utc};

/// The day of an instant in China time: `11月28日`, `Nov 28`.
pub fn day(locale: Locale, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&CHINA_TIME);
    match locale {
        Locale::zh_CN => local.format("%-m月%-d日").to_string(),
        Locale::en => local.format("%b %-d").to_string(),
    }
}

/// The day and time of an instant in China time: `11月28日 14:05`, `Nov 28, 14:05`.
pub fn day_time(locale: Locale, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&CHINA_TIME);
    match locale {
        Locale::zh_CN => local.format("%-m月%-d日 %H:%M").to_string(),
        Locale::en => local.format("%b %-d, %H:%M").to_string(),
    }
}

fn names(locale: Locale, items: &[&Item]) -> String {
    let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
    names.join(list_separator(locale))
}

/// The carrier's latest word on a parcel: `最新物流：11月29日 08:10，杭州转运中心，运输中。`
fn last_scan(locale: Locale, s: &LastScan) -> String {
    let time = day_time(locale, s.at);
    let what = scan(locale, s.kind);
    match s.location.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(place) => td_string!(
            locale,
            desk.reply.scan_at_place,
            time = time,
            place = place,
            scan = what
        )
        .to_string(),
        None => td_string!(locale, desk.reply.scan_no_place, time = time, scan = what).to_string(),
    }
}

/// The sentences about one group of items in one place.
fn group(locale: Locale, g: &Group<'_>) -> Vec<String> {
    let items = names(locale, &g.items);
    match g.place {
        Place::Waiting {
            ships_later: false, ..
        } => vec![td_string!(locale, desk.reply.waiting, items = items).to_string()],
        Place::Waiting {
            ships_later: true, ..
        } => vec![td_string!(locale, desk.reply.waiting_later, items = items).to_string()],
        Place::Packed { at, .. } => {
            vec![td_string!(
                locale,
                desk.reply.packed,
                items = items,
                date = day(locale, *at)
            )
            .to_string()]
        }
        Place::OnTheWay {
            carrier: c,
            waybill,
            shipped_at,
            stage,
            last_scan: latest,
            ..
        } => {
            let mut out = vec![td_string!(
                locale,
                desk.reply.shipped,
                items = items,
                date = day(locale, *shipped_at),
                carrier = carrier(locale, c),
                waybill = waybill
            )
            .to_string()];
            if let Some(s) = latest {
                out.push(last_scan(locale, s));
            }
            if *stage == Stage::OutForDelivery {
                out.push(td_string!(locale, desk.reply.out_for_delivery).to_string());
            }
            out
        }
        Place::HeldUp {
            carrier: c,
            waybill,
            scan: s,
            ..
        } => {
            let detail = match s.location.as_deref().filter(|p| !p.trim().is_empty()) {
                Some(place) => format!("{place} {}", s.detail),
                None => s.detail.clone(),
            };
            vec![td_string!(
                locale,
                desk.reply.held_up,
                items = items,
                carrier = carrier(locale, c),
                waybill = waybill,
                time = day_time(locale, s.at),
                detail = detail
            )
            .to_string()]
        }
        Place::Delivered {
            carrier: c,
            waybill,
            at,
            ..
        } => vec![td_string!(
            locale,
            desk.reply.delivered,
            items = items,
            time = day_time(locale, *at),
            carrier = carrier(locale, c),
            waybill = waybill
        )
        .to_string()],
    }
}

/// What the customer needs to hear first about the order as a whole.
fn standing(locale: Locale, standing: Standing) -> Option<&'static str> {
    Some(match standing {
        Standing::Open => return None,
        Standing::AwaitingPayment => td_string!(locale, desk.reply.awaiting_payment),
        Standing::OnHold => td_string!(locale, desk.reply.on_hold),
        Standing::Cancelled => td_string!(locale, desk.reply.cancelled),
        Standing::RefundRequested => td_string!(locale, desk.reply.refund_requested),
        Standing::Refunded => td_string!(locale, desk.reply.refunded),
        Standing::ReturnRequested => td_string!(locale, desk.reply.return_requested),
        Standing::Returned => td_string!(locale, desk.reply.returned),
    })
}

/// Whether the order is closed, so nothing more will ship.
fn closed(standing: Standing) -> bool {
    matches!(
        standing,
        Standing::Cancelled | Standing::Refunded | Standing::Returned
    )
}

/// The suggested reply in `locale`: a greeting, the order's standing when it
/// is not simply moving, a line per place (the one holding `asked` first),
/// and a closing. Items that will no longer ship (a closed order) are not
/// promised.
pub fn suggested_reply(
    locale: Locale,
    whereabouts: &Whereabouts,
    asked: Option<&ComponentId>,
) -> String {
    let mut lines = vec![td_string!(
        locale,
        desk.reply.greeting,
        order = whereabouts.channel_order_id.as_str()
    )
    .to_string()];
    lines.extend(standing(locale, whereabouts.standing).map(str::to_string));
    for g in whereabouts.groups(asked) {
        if closed(whereabouts.standing) && matches!(g.place, Place::Waiting { .. }) {
            continue;
        }
        let sentences = group(locale, &g);
        lines.push(match locale {
            Locale::zh_CN => sentences.concat(),
            Locale::en => sentences.join(" "),
        });
    }
    lines.push(td_string!(locale, desk.reply.closing).to_string());
    lines.join("\n")
}

/// Where one item is, for the agent: `包裹 P1 · 顺丰速运 · 运单号 SF1`.
pub fn place(locale: Locale, item: &Item) -> String {
    match &item.place {
        Place::Waiting {
            ships_later: false, ..
        } => td_string!(locale, desk.whereabouts.waiting).to_string(),
        Place::Waiting {
            ships_later: true, ..
        } => td_string!(locale, desk.whereabouts.waiting_later).to_string(),
        Place::Packed { parcel, .. } => {
            td_string!(locale, desk.whereabouts.packed, parcel = parcel).to_string()
        }
        Place::OnTheWay {
            parcel,
            carrier: c,
            waybill,
            ..
        }
        | Place::HeldUp {
            parcel,
            carrier: c,
            waybill,
            ..
        }
        | Place::Delivered {
            parcel,
            carrier: c,
            waybill,
            ..
        } => td_string!(
            locale,
            desk.whereabouts.on_the_way,
            parcel = parcel,
            carrier = carrier(locale, c),
            waybill = waybill
        )
        .to_string(),
    }
}

/// The carrier's latest scan of the item's parcel, for the agent, if any.
pub fn latest_scan(locale: Locale, item: &Item) -> Option<String> {
    match &item.place {
        Place::OnTheWay {
            last_scan: Some(s), ..
        }
        | Place::HeldUp { scan: s, .. } => {
            let mut words = format!("{} · {}", day_time(locale, s.at), scan(locale, s.kind));
            if let Some(place) = s.location.as_deref().filter(|p| !p.trim().is_empty()) {
                words.push_str(" · ");
                words.push_str(place);
            }
            if s.kind == ScanKind::Exception && !s.detail.is_empty() {
                words.push_str(" · ");
                words.push_str(&s.detail);
            }
            Some(words)
        }
        Place::Delivered { at, .. } => Some(format!(
            "{} · {}",
            day_time(locale, *at),
            scan(locale, ScanKind::Delivered)
        )),
        _ => None,
    }
}

/// What happens next to the item.
pub fn next_step(locale: Locale, item: &Item, standing: Standing) -> &'static str {
    if closed(standing) && !matches!(item.place, Place::Delivered { .. }) {
        return td_string!(locale, desk.whereabouts.next_closed);
    }
    match &item.place {
        Place::Waiting {
            ships_later: false, ..
        } => td_string!(locale, desk.whereabouts.next_waiting),
        Place::Waiting {
            ships_later: true, ..
        } => td_string!(locale, desk.whereabouts.next_waiting_later),
        Place::Packed { .. } => td_string!(locale, desk.whereabouts.next_pickup),
        Place::OnTheWay { stage, .. } => match stage {
            Stage::Shipped => td_string!(locale, desk.whereabouts.next_pickup),
            Stage::OutForDelivery => td_string!(locale, desk.whereabouts.next_out_for_delivery),
            _ => td_string!(locale, desk.whereabouts.next_transit),
        },
        Place::HeldUp { .. } => td_string!(locale, desk.whereabouts.next_held_up),
        Place::Delivered { .. } => td_string!(locale, desk.whereabouts.next_delivered),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::order::sample_log::Log;
    use crate::model::EventKind;

    fn shipped_serum_box_later() -> Log {
        let mut log = Log::new();
        log.paid().packed("P1", &["serum", "gift"]);
        log.shipped("P1", "SF", "SF1234567890");
        log.scan("SF1234567890", ScanKind::InTransit, Some("杭州转运中心"));
        log
    }

    #[test]
    fn the_gift_box_question_is_answered_from_the_log_in_chinese() {
        let log = shipped_serum_box_later();
        let w = Whereabouts::of(log.order(), log.events());
        let gift_box = ComponentId::parse("box").unwrap();
        let reply = suggested_reply(Locale::zh_CN, &w, Some(&gift_box));
        assert_eq!(
            reply,
            "亲，您好！您的订单 3123456789 目前情况如下：\n\
             礼盒将单独发货，发出后我们会第一时间告知运单号。\n\
             您购买的玫瑰精华、化妆包已于11月28日由顺丰速运发出，运单号 SF1234567890。\
             最新物流：11月28日 10:04，杭州转运中心，运输中。\n\
             如还有其他问题，随时联系我们。"
        );
    }

    #[test]
    fn the_same_reply_in_english_names_the_carrier_and_the_scan() {
        let log = shipped_serum_box_later();
        let w = Whereabouts::of(log.order(), log.events());
        let reply = suggested_reply(Locale::en, &w, None);
        let lines: Vec<&str> = reply.lines().collect();
        assert_eq!(
            lines[0],
            "Hello! Here is where your order 3123456789 stands:"
        );
        assert_eq!(
            lines[1],
            "玫瑰精华, 化妆包 shipped on Nov 28 with SF Express, waybill SF1234567890. \
             Latest update: Nov 28, 10:04, 杭州转运中心, in transit."
        );
        assert_eq!(
            lines[2],
            "礼盒 ships separately; we will send you the waybill number as soon as it does."
        );
    }

    #[test]
    fn a_cancelled_order_promises_nothing_more() {
        let mut log = Log::new();
        log.paid().push(EventKind::OrderCancelled {
            reason: "customer changed mind".into(),
        });
        let w = Whereabouts::of(log.order(), log.events());
        let reply = suggested_reply(Locale::zh_CN, &w, None);
        assert!(reply.contains("订单已取消。"), "{reply}");
        assert!(!reply.contains("发货"), "{reply}");
        assert_eq!(
            next_step(Locale::en, &w.items[0], w.standing),
            "Order closed; nothing more ships"
        );
    }

    #[test]
    fn a_held_up_parcel_tells_the_carriers_words_and_the_agent_follows_up() {
        let mut log = shipped_serum_box_later();
        log.scan("SF1234567890", ScanKind::Exception, Some("杭州"));
        let w = Whereabouts::of(log.order(), log.events());
        let reply = suggested_reply(Locale::zh_CN, &w, None);
        assert!(
            reply.contains("在11月28日 10:05出现物流异常：杭州 Exception。"),
            "{reply}"
        );
        assert_eq!(
            next_step(Locale::zh_CN, &w.items[0], w.standing),
            "跟进快递异常"
        );
        assert_eq!(
            latest_scan(Locale::en, &w.items[0]).as_deref(),
            Some("Nov 28, 10:05 · delivery problem · 杭州 · Exception")
        );
    }
}
