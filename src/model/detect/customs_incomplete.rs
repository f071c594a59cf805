//! Detector 6: a cross-border order (delivered outside China) that lacks
//! customs declaration attributes its destination requires (a list per
//! destination in the settings). Cleared once they are declared.

use super::{Context, Detector, Finding};
use crate::model::order::exceptions::{ExceptionCode, ExceptionFacts};
use crate::model::order::status::Branch;
use crate::model::order::Order;
use chrono::{DateTime, Utc};

pub struct CustomsIncomplete;

impl Detector for CustomsIncomplete {
    fn name(&self) -> &'static str {
        "customs-declaration check"
    }

    fn code(&self) -> ExceptionCode {
        ExceptionCode::CustomsIncomplete
    }

    fn findings(&self, order: &Order, ctx: &Context<'_>, _: DateTime<Utc>) -> Vec<Finding> {
        if !order.is_cross_border() || order.branch.is_some_and(Branch::is_terminal) {
            return Vec::new();
        }
        let destination = order.customer.address.country.trim().to_uppercase();
        let missing: Vec<String> = ctx
            .settings
            .customs_for(&destination)
            .iter()
            .filter(|f| order.customs.get(*f).is_none_or(|v| v.trim().is_empty()))
            .cloned()
            .collect();
        if missing.is_empty() {
            return Vec::new();
        }
        vec![Finding {
            parcel: None,
            facts: ExceptionFacts::CustomsIncomplete {
                destination,
                missing,
            },
            since: order.placed_at,
        }]
    }
}
