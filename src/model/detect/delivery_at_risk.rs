//! Detector 8: the channel's promised delivery date cannot be met. From what
//! is known of each part of the order not delivered yet, the expected
//! arrival is:
//! - not shipped: now + the transit time to the destination;
//! - shipped: shipping time + the carrier's transit time to the destination
//!   province, but never earlier than now + a day (now + 4 h once out for
//!   delivery), since it has not arrived.
//!
//! Transit times come from the settings' per-carrier table. Parts announced
//! to ship later (a pre-sale gift box) are outside the promise.

use super::{Context, Detector, Finding};
use crate::model::order::exceptions::{ExceptionCode, ExceptionFacts};
use crate::model::order::status::{Branch, Stage};
use crate::model::order::Order;
use chrono::{DateTime, Duration, Utc};

pub struct DeliveryAtRisk;

/// One part of the order on its way: a fixed arrival (when known) and the
/// least time still needed from now.
struct Leg {
    fixed: Option<DateTime<Utc>>,
    at_least: Duration,
}

fn legs(order: &Order, ctx: &Context<'_>) -> Vec<Leg> {
    if order.branch.is_some_and(Branch::is_terminal) {
        return Vec::new();
    }
    let province = &order.customer.address.province;
    let hours = |carrier: Option<&str>| {
        Duration::hours(i64::from(ctx.settings.transit.hours(carrier, province)))
    };
    let mut legs: Vec<Leg> = order
        .parcels
        .iter()
        .filter(|p| p.stage < Stage::Delivered)
        .map(|p| match p.shipped_at {
            Some(shipped) => Leg {
                fixed: shipped.checked_add_signed(hours(p.carrier.as_deref())),
                at_least: if p.stage >= Stage::OutForDelivery {
                    Duration::hours(4)
                } else {
                    Duration::days(1)
                },
            },
            None => Leg {
                fixed: None,
                at_least: hours(p.carrier.as_deref()),
            },
        })
        .collect();
    if order.unpacked().any(|c| !c.ships_later) {
        legs.push(Leg {
            fixed: None,
            at_least: hours(None),
        });
    }
    legs
}

/// When the order is expected to have arrived, seen at `now`.
fn expected_by(legs: &[Leg], now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    legs.iter()
        .map(|l| {
            l.fixed
                .into_iter()
                .chain(now.checked_add_signed(l.at_least))
                .max()
        })
        .max()
        .flatten()
}

impl Detector for DeliveryAtRisk {
    fn name(&self) -> &'static str {
        "delivery-promise detector"
    }

    fn code(&self) -> ExceptionCode {
        ExceptionCode::DeliveryAtRisk
    }

    fn findings(&self, order: &Order, ctx: &Context<'_>, now: DateTime<Utc>) -> Vec<Finding> {
        let Some(promised_by) = order.promised_by else {
            return Vec::new();
        };
        match expected_by(&legs(order, ctx), now) {
            Some(expected) if expected > promised_by => vec![Finding {
                parcel: None,
                facts: ExceptionFacts::DeliveryAtRisk {
                    promised_by,
                    expected_by: expected,
                },
                since: order.placed_at,
            }],
            _ => Vec::new(),
        }
    }

    /// The moment the least time still needed no longer fits before the promise.
    fn next_check(
        &self,
        order: &Order,
        ctx: &Context<'_>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let promised_by = order.promised_by?;
        legs(order, ctx)
            .iter()
            .filter_map(|l| promised_by.checked_sub_signed(l.at_least))
            .map(|t| t + Duration::seconds(1))
            .filter(|t| *t > now)
            .min()
    }
}
