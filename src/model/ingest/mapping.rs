//! Status mapping tables: what each system's status dialect means in the canonical
//! lifecycle.
//!
//! Every channel, carrier and warehouse speaks its own dialect (Douyin message tag
//! `110`, Kuaidi100 `state` `1` = 揽收, 17TRACK `InTransit`, Shopify
//! `financial_status` `paid`, …). The ingest adapters report those values as they
//! arrive; a [`Mapping`] row says what one value of one dialect means as a
//! [`Target`]. The rows are plain data an operator can read and change; the
//! defaults below are deliberately conservative: a value whose meaning is not
//! certain maps to [`Target::NoChange`] rather than moving an order.

use crate::model::order::event::ScanKind;
use crate::model::ComponentKind;
use serde::{Deserialize, Serialize};

/// The dialect names used by the ingest adapters (`Mapping::dialect`).
pub mod dialect {
    /// Douyin shop (抖店) message `tag`, e.g. `110` (paid).
    pub const DOUYIN_TAG: &str = "douyin.tag";
    /// WeChat Channels shop event name, e.g. `channels_ec_order_pay`.
    pub const WECHAT_EVENT: &str = "wechat.event";
    /// WeChat Channels after-sale status (`finder_shop_aftersale_status_update.status`).
    pub const WECHAT_AFTERSALE_STATUS: &str = "wechat.aftersale_status";
    /// Shopify order `financial_status`.
    pub const SHOPIFY_FINANCIAL_STATUS: &str = "shopify.financial_status";
    /// Shopify order `fulfillment_status` (`null` is reported as `unfulfilled`).
    pub const SHOPIFY_FULFILLMENT_STATUS: &str = "shopify.fulfillment_status";
    /// Shopify webhook topic, for topics whose meaning no status field carries
    /// (`orders/cancelled`).
    pub const SHOPIFY_TOPIC: &str = "shopify.topic";
    /// Kuaidi100 push `lastResult.state` (numeric, `0` … `14`).
    pub const KUAIDI100_STATE: &str = "kuaidi100.state";
    /// Kuaidi100 track entry `status` text (揽收, 在途, 派件, 签收, …).
    pub const KUAIDI100_STATUS_TEXT: &str = "kuaidi100.status_text";
    /// 17TRACK main status (`latest_status.status`).
    pub const TRACK17_STATUS: &str = "17track.status";
    /// 17TRACK sub-status (`latest_status.sub_status`, an event's `sub_status`).
    pub const TRACK17_SUB_STATUS: &str = "17track.sub_status";
    /// 17TRACK v2.4 event `stage`, used when an event carries no `sub_status`.
    pub const TRACK17_STAGE: &str = "17track.stage";
    /// EasyPost tracking detail / tracker `status`.
    pub const EASYPOST_STATUS: &str = "easypost.status";
    /// What a line of an order is (`kind` of a timeline API `order_placed`
    /// component, the `_kind` property of a Shopify line item): 小样, 试用装,
    /// 体验装 are all a trial size. Its rows mean a [`super::Target::Kind`].
    pub const COMPONENT_KIND: &str = "component.kind";

    /// Every dialect the defaults cover.
    pub const ALL: [&str; 13] = [
        DOUYIN_TAG,
        WECHAT_EVENT,
        WECHAT_AFTERSALE_STATUS,
        SHOPIFY_FINANCIAL_STATUS,
        SHOPIFY_FULFILLMENT_STATUS,
        SHOPIFY_TOPIC,
        KUAIDI100_STATE,
        KUAIDI100_STATUS_TEXT,
        TRACK17_STATUS,
        TRACK17_SUB_STATUS,
        TRACK17_STAGE,
        EASYPOST_STATUS,
        COMPONENT_KIND,
    ];
}

/// What a dialect value means canonically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The buyer paid (the status usually carries the amount).
    Paid,
    /// The channel confirmed the order for fulfilment.
    Confirmed,
    /// The order was cancelled before shipping.
    Cancelled,
    /// The buyer asked for a refund (an after-sale case was opened).
    RefundRequested,
    /// The refund request ended without a refund: refused by the merchant,
    /// withdrawn by the buyer, or the after-sale case closed.
    RefundDeclined,
    /// The money went back to the buyer.
    Refunded,
    /// A carrier scan of a parcel.
    Scan(ScanKind),
    /// The channel says the order shipped (informational: the warehouse feed
    /// reports the parcel and waybill, the carrier feeds the scans).
    Shipped,
    /// A known value with no status meaning (e.g. "awaiting payment" for an order
    /// that is already placed, an address change, a memo).
    NoChange,
    /// What a line of an order is (only for [`dialect::COMPONENT_KIND`]).
    Kind(ComponentKind),
}

impl Target {
    /// What a status value can mean.
    pub const STATUSES: [Target; 14] = [
        Target::Paid,
        Target::Confirmed,
        Target::Cancelled,
        Target::RefundRequested,
        Target::RefundDeclined,
        Target::Refunded,
        Target::Shipped,
        Target::Scan(ScanKind::PickedUp),
        Target::Scan(ScanKind::InTransit),
        Target::Scan(ScanKind::Customs),
        Target::Scan(ScanKind::OutForDelivery),
        Target::Scan(ScanKind::Delivered),
        Target::Scan(ScanKind::Exception),
        Target::NoChange,
    ];

    /// What a component kind can mean.
    pub const KINDS: [Target; 4] = [
        Target::Kind(ComponentKind::Main),
        Target::Kind(ComponentKind::Gift),
        Target::Kind(ComponentKind::Trial),
        Target::Kind(ComponentKind::GiftBox),
    ];

    /// Every target.
    pub fn all() -> impl Iterator<Item = Target> {
        Target::STATUSES.into_iter().chain(Target::KINDS)
    }

    /// What a value of `dialect` can mean: a kind for component kinds, a
    /// status for every other dialect.
    pub fn choices(dialect: &str) -> &'static [Target] {
        if dialect == dialect::COMPONENT_KIND {
            &Target::KINDS
        } else {
            &Target::STATUSES
        }
    }

    /// Whether a value of `dialect` may mean this.
    pub fn fits(self, dialect: &str) -> bool {
        Target::choices(dialect).contains(&self)
    }

    /// The words people read (`Scan: out for delivery`).
    pub fn label(self) -> &'static str {
        match self {
            Target::Paid => "Paid",
            Target::Confirmed => "Confirmed",
            Target::Cancelled => "Cancelled",
            Target::RefundRequested => "Refund requested",
            Target::RefundDeclined => "Refund declined or withdrawn",
            Target::Refunded => "Refunded",
            Target::Scan(ScanKind::PickedUp) => "Scan: picked up",
            Target::Scan(ScanKind::InTransit) => "Scan: in transit",
            Target::Scan(ScanKind::Customs) => "Scan: in customs",
            Target::Scan(ScanKind::OutForDelivery) => "Scan: out for delivery",
            Target::Scan(ScanKind::Delivered) => "Scan: delivered",
            Target::Scan(ScanKind::Exception) => "Scan: delivery exception",
            Target::Shipped => "Shipped (channel)",
            Target::NoChange => "No status change",
            Target::Kind(ComponentKind::Main) => "Component: main item",
            Target::Kind(ComponentKind::Gift) => "Component: gift",
            Target::Kind(ComponentKind::Trial) => "Component: trial size",
            Target::Kind(ComponentKind::GiftBox) => "Component: gift box",
        }
    }
}

/// One row of a mapping table: `value` of `dialect` means `target`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Mapping {
    /// e.g. `douyin.tag`, `kuaidi100.state` (see [`dialect`]).
    pub dialect: String,
    /// The value exactly as the system sends it (`110`, `InTransit`, `揽收`).
    pub value: String,
    pub target: Target,
}

impl Mapping {
    pub fn new(dialect: &str, value: &str, target: Target) -> Self {
        Mapping {
            dialect: dialect.to_string(),
            value: value.to_string(),
            target,
        }
    }
}

/// What `value` of `dialect` means, if the table knows. The first matching row
/// wins; an unknown value is `None` (the caller decides: flag it for an operator).
pub fn lookup<'a>(mappings: &'a [Mapping], dialect: &str, value: &str) -> Option<&'a Target> {
    mappings
        .iter()
        .find(|m| m.dialect == dialect && m.value == value)
        .map(|m| &m.target)
}

/// A mapping table indexed by dialect and value for lookups without scanning;
/// as with [`lookup`], the first row for a dialect and value wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MappingIndex {
    by_dialect: std::collections::HashMap<String, std::collections::HashMap<String, Target>>,
}

impl MappingIndex {
    pub fn new(rows: &[Mapping]) -> MappingIndex {
        let mut index = MappingIndex::default();
        for m in rows {
            index
                .by_dialect
                .entry(m.dialect.clone())
                .or_default()
                .entry(m.value.clone())
                .or_insert(m.target);
        }
        index
    }

    /// What `value` of `dialect` means, if the table knows.
    pub fn get(&self, dialect: &str, value: &str) -> Option<&Target> {
        self.by_dialect.get(dialect)?.get(value)
    }

    /// The component kind a spelling means (`小样` → trial size), if the
    /// table knows it; surrounding spaces and letter case do not matter.
    pub fn component_kind(&self, spelling: &str) -> Option<ComponentKind> {
        let spelling = spelling.trim();
        let row = self
            .get(dialect::COMPONENT_KIND, spelling)
            .or_else(|| self.get(dialect::COMPONENT_KIND, &spelling.to_lowercase()))?;
        match row {
            Target::Kind(kind) => Some(*kind),
            _ => None,
        }
    }
}

/// The default table: every documented value of every dialect the adapters report.
pub fn default_mappings() -> Vec<Mapping> {
    use dialect::*;
    use ScanKind::*;
    use Target::*;

    let rows: &[(&str, &[(&str, Target)])] = &[
        (
            // Douyin shop (抖店) message tags. Trade messages 1xx, after-sale 2xx.
            DOUYIN_TAG,
            &[
                ("0", NoChange),          // order created, awaiting payment (also the push check)
                ("100", NoChange),        // trade_TradeCreate: order created
                ("101", Paid),            // trade_TradePaid: paid / confirmed
                ("102", Shipped),         // trade_TradeSellerShip: seller shipped
                ("103", NoChange),        // trade_TradeSuccess: trade completed (buyer confirmed)
                ("104", NoChange),        // trade_TradeLogisticsChanged: waybill edited
                ("105", NoChange),        // trade_TradeAddressChanged: receiver changed
                ("106", Cancelled),       // trade_TradeCanceled
                ("108", Shipped),         // trade_TradePartlySellerShip: part shipped
                ("109", NoChange),        // trade_TradeAmountChanged: price changed
                ("110", Paid),            // trade_TradePending: paid, pending handling
                ("111", NoChange), // trade_TradeAddressChangeApplied: buyer asks to change address
                ("112", NoChange), // trade_TradeAppointment: delivery appointment
                ("113", NoChange), // trade_TradeMemoModify: seller memo
                ("200", RefundRequested), // refund_RefundCreated: after-sale opened
                ("201", NoChange), // refund_RefundAgreed: seller agreed (money moves with 206)
                ("202", NoChange), // refund_ReturnApplyAgreed: return agreed
                ("203", NoChange), // refund_BuyerReturnGoods: buyer sent the goods back
                ("204", RefundDeclined), // refund_RefundRefused
                ("205", RefundDeclined), // refund_ReturnApplyRefused
                ("206", Refunded), // refund_RefundSuccess
                ("207", RefundDeclined), // refund_RefundClosed: after-sale closed without refund
                ("208", NoChange), // refund_RefundModified: buyer changed the request
                ("209", NoChange), // refund_ExpirationChange: deadline moved
                ("211", NoChange), // refund_ExchangeComfirmed: exchange received
                ("212", NoChange), // refund_ArbitrateApplied
                ("216", NoChange), // refund_ArbitrateAudited
                ("217", NoChange), // refund_ArbitrateServiceIntervene
                ("218", NoChange), // refund_ArbitrateDiscussUpload
            ],
        ),
        (
            WECHAT_EVENT,
            &[
                ("channels_ec_order_new", NoChange),
                ("channels_ec_order_pay", Paid),
                ("channels_ec_order_deliver", Shipped),
                ("channels_ec_order_cancel", Cancelled),
                ("channels_ec_order_confirm", NoChange), // buyer confirmed receipt
                ("channels_ec_order_settle", NoChange),
                ("channels_ec_order_ext_info_update", NoChange),
                // Only reported when the event carries no after-sale status.
                ("channels_ec_aftersale_update", RefundRequested),
            ],
        ),
        (
            WECHAT_AFTERSALE_STATUS,
            &[
                ("MERCHANT_PROCESSING", RefundRequested),
                ("USER_WAIT_RETURN", NoChange),
                ("MERCHANT_WAIT_RECEIPT", NoChange),
                ("MERCHANT_OVERDUE_REFUND", NoChange),
                ("PLATFORM_REFUNDING", NoChange),
                ("PLATFORM_REFUND_FAIL", NoChange),
                ("USER_WAIT_CONFIRM", NoChange),
                ("USER_WAIT_CONFIRM_UPDATE", NoChange),
                ("USER_WAIT_HANDLE_MERCHANT_AFTER_SALE", NoChange),
                ("MERCHANT_REFUND_SUCCESS", Refunded),
                ("MERCHANT_RETURN_SUCCESS", Refunded),
                ("MERCHANT_REJECT_REFUND", RefundDeclined),
                ("MERCHANT_REJECT_RETURN", RefundDeclined),
                ("RETURN_CLOSED", RefundDeclined),
                ("USER_CANCELD", RefundDeclined), // sic: WeChat's spelling
                ("MERCHANT_REFUND_RETRY_FAIL", RefundDeclined),
                ("MERCHANT_FAIL", RefundDeclined),
            ],
        ),
        (
            SHOPIFY_FINANCIAL_STATUS,
            &[
                ("pending", NoChange),
                ("authorized", NoChange), // authorised, not captured
                ("partially_paid", NoChange),
                ("paid", Paid),
                ("partially_refunded", NoChange),
                ("refunded", Refunded),
                ("voided", Cancelled),
                ("expired", NoChange),
            ],
        ),
        (
            SHOPIFY_FULFILLMENT_STATUS,
            &[
                ("unfulfilled", NoChange),
                ("partial", Shipped),
                ("fulfilled", Shipped),
                ("restocked", NoChange),
            ],
        ),
        (SHOPIFY_TOPIC, &[("orders/cancelled", Cancelled)]),
        (
            // The seeds' spellings: a trial size arrives as 小样, 试用装 or 体验装.
            COMPONENT_KIND,
            &[
                ("main", Kind(ComponentKind::Main)),
                ("gift", Kind(ComponentKind::Gift)),
                ("trial", Kind(ComponentKind::Trial)),
                ("gift_box", Kind(ComponentKind::GiftBox)),
                ("正品", Kind(ComponentKind::Main)),
                ("主品", Kind(ComponentKind::Main)),
                ("赠品", Kind(ComponentKind::Gift)),
                ("小样", Kind(ComponentKind::Trial)),
                ("试用装", Kind(ComponentKind::Trial)),
                ("体验装", Kind(ComponentKind::Trial)),
                ("sample", Kind(ComponentKind::Trial)),
                ("礼盒", Kind(ComponentKind::GiftBox)),
                ("gift box", Kind(ComponentKind::GiftBox)),
            ],
        ),
        (
            KUAIDI100_STATE,
            &[
                ("0", Scan(InTransit)),      // 在途
                ("1", Scan(PickedUp)),       // 揽收
                ("2", Scan(Exception)),      // 疑难
                ("3", Scan(Delivered)),      // 签收
                ("4", Scan(Exception)),      // 退签
                ("5", Scan(OutForDelivery)), // 派件
                ("6", Scan(Exception)),      // 退回
                ("7", Scan(InTransit)),      // 转投
                ("8", Scan(Customs)),        // 清关
                ("14", Scan(Exception)),     // 拒签
            ],
        ),
        (
            KUAIDI100_STATUS_TEXT,
            &[
                ("在途", Scan(InTransit)),
                ("揽收", Scan(PickedUp)),
                ("疑难", Scan(Exception)),
                ("签收", Scan(Delivered)),
                ("退签", Scan(Exception)),
                ("派件", Scan(OutForDelivery)),
                ("退回", Scan(Exception)),
                ("转投", Scan(InTransit)),
                ("清关", Scan(Customs)),
                ("拒签", Scan(Exception)),
            ],
        ),
        (
            TRACK17_STATUS,
            &[
                ("NotFound", NoChange),
                ("InfoReceived", NoChange),
                ("InTransit", Scan(InTransit)),
                ("Expired", Scan(Exception)),
                ("AvailableForPickup", Scan(OutForDelivery)),
                ("OutForDelivery", Scan(OutForDelivery)),
                ("DeliveryFailure", Scan(Exception)),
                ("Delivered", Scan(Delivered)),
                ("Exception", Scan(Exception)),
            ],
        ),
        (
            TRACK17_SUB_STATUS,
            &[
                ("NotFound_Other", NoChange),
                ("NotFound_InvalidCode", NoChange),
                ("InfoReceived", NoChange),
                ("InTransit_PickedUp", Scan(PickedUp)),
                ("InTransit_Other", Scan(InTransit)),
                ("InTransit_Departure", Scan(InTransit)),
                ("InTransit_Arrival", Scan(InTransit)),
                ("InTransit_CustomsProcessing", Scan(Customs)),
                ("InTransit_CustomsReleased", Scan(InTransit)),
                // Customs is waiting for documents: someone has to act.
                ("InTransit_CustomsRequiringInformation", Scan(Exception)),
                ("Expired_Other", Scan(Exception)),
                ("AvailableForPickup_Other", Scan(OutForDelivery)),
                ("OutForDelivery_Other", Scan(OutForDelivery)),
                ("DeliveryFailure_Other", Scan(Exception)),
                ("DeliveryFailure_NoBody", Scan(Exception)),
                ("DeliveryFailure_Security", Scan(Exception)),
                ("DeliveryFailure_Rejected", Scan(Exception)),
                ("DeliveryFailure_InvalidAddress", Scan(Exception)),
                ("Delivered_Other", Scan(Delivered)),
                ("Exception_Other", Scan(Exception)),
                ("Exception_Returning", Scan(Exception)),
                ("Exception_Returned", Scan(Exception)),
                ("Exception_NoBody", Scan(Exception)),
                ("Exception_Security", Scan(Exception)),
                ("Exception_Damage", Scan(Exception)),
                ("Exception_Rejected", Scan(Exception)),
                ("Exception_Delayed", Scan(Exception)),
                ("Exception_Lost", Scan(Exception)),
                ("Exception_Destroyed", Scan(Exception)),
                ("Exception_Cancel", Scan(Exception)),
            ],
        ),
        (
            TRACK17_STAGE,
            &[
                ("InfoReceived", NoChange),
                ("PickedUp", Scan(PickedUp)),
                ("Departure", Scan(InTransit)),
                ("Arrival", Scan(InTransit)),
                ("AvailableForPickup", Scan(OutForDelivery)),
                ("OutForDelivery", Scan(OutForDelivery)),
                ("Delivered", Scan(Delivered)),
                ("Returning", Scan(Exception)),
                ("Returned", Scan(Exception)),
            ],
        ),
        (
            EASYPOST_STATUS,
            &[
                ("unknown", NoChange),
                ("pre_transit", NoChange), // label created, not handed over yet
                ("in_transit", Scan(InTransit)),
                ("out_for_delivery", Scan(OutForDelivery)),
                ("available_for_pickup", Scan(OutForDelivery)),
                ("delivered", Scan(Delivered)),
                ("return_to_sender", Scan(Exception)),
                ("failure", Scan(Exception)),
                ("cancelled", Scan(Exception)),
                ("error", NoChange), // the tracker failed, not the parcel
            ],
        ),
    ];

    rows.iter()
        .flat_map(|(dialect, values)| {
            values
                .iter()
                .map(move |(value, target)| Mapping::new(dialect, value, *target))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn target(dialect: &str, value: &str) -> Option<Target> {
        lookup(&default_mappings(), dialect, value).copied()
    }

    #[test]
    fn defaults_have_one_row_per_dialect_value_and_only_known_dialects() {
        let rows = default_mappings();
        let mut seen = HashSet::new();
        for row in &rows {
            assert!(
                seen.insert((row.dialect.clone(), row.value.clone())),
                "{} {} appears twice",
                row.dialect,
                row.value
            );
            assert!(
                dialect::ALL.contains(&row.dialect.as_str()),
                "{}",
                row.dialect
            );
        }
        for d in dialect::ALL {
            assert!(rows.iter().any(|r| r.dialect == d), "{d} has no rows");
        }
    }

    #[test]
    fn every_default_row_means_what_its_dialect_can_mean() {
        for row in default_mappings() {
            assert!(row.target.fits(&row.dialect), "{row:?}");
        }
        assert!(!Target::Paid.fits(dialect::COMPONENT_KIND));
        assert!(!Target::Kind(ComponentKind::Gift).fits(dialect::DOUYIN_TAG));
        assert_eq!(
            Target::all().count(),
            Target::STATUSES.len() + Target::KINDS.len()
        );
    }

    #[test]
    fn the_seeds_spellings_of_a_trial_size_are_one_kind() {
        let index = MappingIndex::new(&default_mappings());
        for spelling in ["小样", "试用装", "体验装", "trial", " Sample "] {
            assert_eq!(
                index.component_kind(spelling),
                Some(ComponentKind::Trial),
                "{spelling}"
            );
        }
        assert_eq!(index.component_kind("赠品"), Some(ComponentKind::Gift));
        assert_eq!(
            index.component_kind("Gift Box"),
            Some(ComponentKind::GiftBox)
        );
        assert_eq!(index.component_kind("正品"), Some(ComponentKind::Main));
        assert_eq!(index.component_kind("试吃装"), None);
        // A status row of another dialect is never a kind.
        assert_eq!(index.component_kind("101"), None);
        // An admin's row is a spelling like the others.
        let mut rows = vec![Mapping::new(
            dialect::COMPONENT_KIND,
            "试吃装",
            Target::Kind(ComponentKind::Trial),
        )];
        rows.extend(default_mappings());
        assert_eq!(
            MappingIndex::new(&rows).component_kind("试吃装"),
            Some(ComponentKind::Trial)
        );
    }

    #[test]
    fn kuaidi100_states_cover_the_documented_values() {
        for (state, expected) in [
            ("0", ScanKind::InTransit),
            ("1", ScanKind::PickedUp),
            ("2", ScanKind::Exception),
            ("3", ScanKind::Delivered),
            ("4", ScanKind::Exception),
            ("5", ScanKind::OutForDelivery),
            ("6", ScanKind::Exception),
            ("7", ScanKind::InTransit),
            ("8", ScanKind::Customs),
            ("14", ScanKind::Exception),
        ] {
            assert_eq!(
                target(dialect::KUAIDI100_STATE, state),
                Some(Target::Scan(expected)),
                "state {state}"
            );
        }
        for (text, expected) in [
            ("揽收", ScanKind::PickedUp),
            ("在途", ScanKind::InTransit),
            ("派件", ScanKind::OutForDelivery),
            ("签收", ScanKind::Delivered),
            ("疑难", ScanKind::Exception),
            ("退回", ScanKind::Exception),
            ("退签", ScanKind::Exception),
            ("清关", ScanKind::Customs),
        ] {
            assert_eq!(
                target(dialect::KUAIDI100_STATUS_TEXT, text),
                Some(Target::Scan(expected)),
                "{text}"
            );
        }
    }

    #[test]
    fn carrier_main_statuses_are_all_mapped() {
        for status in [
            "NotFound",
            "InfoReceived",
            "InTransit",
            "Expired",
            "AvailableForPickup",
            "OutForDelivery",
            "DeliveryFailure",
            "Delivered",
            "Exception",
        ] {
            assert!(
                target(dialect::TRACK17_STATUS, status).is_some(),
                "{status}"
            );
        }
        assert_eq!(
            target(dialect::TRACK17_SUB_STATUS, "Exception_Returning"),
            Some(Target::Scan(ScanKind::Exception))
        );
        assert_eq!(
            target(dialect::TRACK17_SUB_STATUS, "InTransit_CustomsProcessing"),
            Some(Target::Scan(ScanKind::Customs))
        );
        let sub_statuses = default_mappings()
            .into_iter()
            .filter(|m| m.dialect == dialect::TRACK17_SUB_STATUS)
            .count();
        assert_eq!(sub_statuses, 30, "17TRACK v2.4 documents 30 sub-statuses");
        for status in [
            "pre_transit",
            "in_transit",
            "out_for_delivery",
            "delivered",
            "available_for_pickup",
            "return_to_sender",
            "failure",
            "cancelled",
            "error",
        ] {
            assert!(
                target(dialect::EASYPOST_STATUS, status).is_some(),
                "{status}"
            );
        }
        assert_eq!(
            target(dialect::EASYPOST_STATUS, "delivered"),
            Some(Target::Scan(ScanKind::Delivered))
        );
    }

    #[test]
    fn channel_statuses_map_conservatively() {
        use Target::*;
        assert_eq!(target(dialect::DOUYIN_TAG, "0"), Some(NoChange));
        assert_eq!(target(dialect::DOUYIN_TAG, "110"), Some(Paid));
        assert_eq!(target(dialect::DOUYIN_TAG, "200"), Some(RefundRequested));
        assert_eq!(target(dialect::DOUYIN_TAG, "206"), Some(Refunded));
        assert_eq!(target(dialect::DOUYIN_TAG, "207"), Some(RefundDeclined));
        assert_eq!(target(dialect::DOUYIN_TAG, "106"), Some(Cancelled));
        assert_eq!(
            target(dialect::WECHAT_EVENT, "channels_ec_order_pay"),
            Some(Paid)
        );
        assert_eq!(
            target(dialect::WECHAT_EVENT, "channels_ec_order_deliver"),
            Some(Shipped)
        );
        assert_eq!(
            target(dialect::WECHAT_EVENT, "channels_ec_order_cancel"),
            Some(Cancelled)
        );
        assert_eq!(
            target(dialect::WECHAT_EVENT, "channels_ec_aftersale_update"),
            Some(RefundRequested)
        );
        for status in [
            "pending",
            "authorized",
            "paid",
            "partially_refunded",
            "refunded",
            "voided",
        ] {
            assert!(
                target(dialect::SHOPIFY_FINANCIAL_STATUS, status).is_some(),
                "{status}"
            );
        }
        assert_eq!(
            target(dialect::SHOPIFY_FINANCIAL_STATUS, "paid"),
            Some(Paid)
        );
        assert_eq!(
            target(dialect::SHOPIFY_FINANCIAL_STATUS, "authorized"),
            Some(NoChange)
        );
        for status in ["unfulfilled", "partial", "fulfilled"] {
            assert!(
                target(dialect::SHOPIFY_FULFILLMENT_STATUS, status).is_some(),
                "{status}"
            );
        }
    }

    #[test]
    fn unknown_values_and_dialects_are_not_guessed() {
        let rows = default_mappings();
        assert_eq!(lookup(&rows, dialect::DOUYIN_TAG, "999"), None);
        assert_eq!(lookup(&rows, "tmall.status", "paid"), None);
        // Values are exact: no trimming, no case folding.
        assert_eq!(lookup(&rows, dialect::EASYPOST_STATUS, "Delivered"), None);
    }

    #[test]
    fn the_first_matching_row_wins() {
        let rows = vec![
            Mapping::new("x", "1", Target::Paid),
            Mapping::new("x", "1", Target::NoChange),
        ];
        assert_eq!(lookup(&rows, "x", "1"), Some(&Target::Paid));
        assert_eq!(
            MappingIndex::new(&rows).get("x", "1"),
            Some(&Target::Paid),
            "the index keeps the first row too"
        );
    }

    #[test]
    fn targets_serialise_in_snake_case_and_round_trip() {
        assert_eq!(
            serde_json::to_string(&Target::RefundRequested).unwrap(),
            "\"refund_requested\""
        );
        assert_eq!(
            serde_json::to_string(&Target::Scan(ScanKind::OutForDelivery)).unwrap(),
            r#"{"scan":"out_for_delivery"}"#
        );
        assert_eq!(
            serde_json::to_string(&Target::Kind(ComponentKind::GiftBox)).unwrap(),
            r#"{"kind":"gift_box"}"#
        );
        let labels: HashSet<&str> = Target::all().map(|t| t.label()).collect();
        assert_eq!(labels.len(), Target::all().count(), "labels are distinct");
        for t in Target::all() {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(serde_json::from_str::<Target>(&json).unwrap(), t);
        }
        let row = Mapping::new(
            dialect::KUAIDI100_STATE,
            "1",
            Target::Scan(ScanKind::PickedUp),
        );
        let json = serde_json::to_string(&row).unwrap();
        assert_eq!(
            json,
            r#"{"dialect":"kuaidi100.state","value":"1","target":{"scan":"picked_up"}}"#
        );
        assert_eq!(serde_json::from_str::<Mapping>(&json).unwrap(), row);
    }
}
