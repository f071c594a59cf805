//! Detector 3: the customer asked for a refund while nothing has shipped and
//! the warehouse has not been asked to stop the goods. Customer service
//! intercepts from the order page (its refund interception), which settles it.

use super::{Context, Detector, Finding};
use crate::model::order::exceptions::{ExceptionCode, ExceptionFacts};
use crate::model::order::Order;
use chrono::{DateTime, Utc};

pub struct RefundBeforeShipping;

impl Detector for RefundBeforeShipping {
    fn name(&self) -> &'static str {
        "refund-before-shipping detector"
    }

    fn code(&self) -> ExceptionCode {
        ExceptionCode::RefundBeforeShipping
    }

    fn findings(&self, order: &Order, _: &Context<'_>, _: DateTime<Utc>) -> Vec<Finding> {
        if !order.awaits_intercept() {
            return Vec::new();
        }
        vec![Finding {
            parcel: None,
            facts: ExceptionFacts::RefundBeforeShipping,
            since: order.placed_at,
        }]
    }
}
