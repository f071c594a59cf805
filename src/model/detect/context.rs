//! What a detector may know besides the order itself: the settings, the same
//! customer's other recent orders, and the load of the order's warehouse. The
//! server gathers it with indexed reads before running the detectors; tests
//! build it by hand.

use super::settings::DetectorSettings;
use crate::model::order::Order;
use crate::model::views::warehouse_load::WarehouseLoad;

/// Everything around one order a detector may read.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub settings: &'a DetectorSettings,
    /// Other orders by the same phone, placed within the duplicate window
    /// before this one (any order, in any state).
    pub same_customer: &'a [Order],
    /// The load of the warehouse the order is allocated to (by the name on
    /// the order), when it is a warehouse kept.
    pub warehouse: Option<&'a WarehouseLoad>,
}

impl<'a> Context<'a> {
    /// The settings alone: nothing known around the order.
    pub fn bare(settings: &'a DetectorSettings) -> Context<'a> {
        Context {
            settings,
            same_customer: &[],
            warehouse: None,
        }
    }
}
