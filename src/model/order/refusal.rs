//! Why an event may not be applied to an order: the lifecycle's refusals,
//! carried in words to the person or system that sent the event (and kept on
//! a status report that was logged but not applied).

use crate::model::order::money::{Currency, Money};
use crate::model::order::status::Status;

/// Why an event may not be applied to an order. Nothing is written when refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum Refusal {
    #[error("order {0} does not exist")]
    UnknownOrder(String),
    #[error("order {0} already exists")]
    AlreadyExists(String),
    #[error("the order is {0} and is closed to this change")]
    Closed(Status),
    #[error("the order is not paid yet")]
    NotPaid,
    #[error("the order is on hold")]
    OnHold,
    #[error("the order is not on hold")]
    NotOnHold,
    #[error("a parcel has already shipped")]
    AlreadyShipped,
    #[error("the order has no component {0}")]
    UnknownComponent(String),
    #[error("component {0} is already packed")]
    AlreadyPacked(String),
    #[error("the order already has a parcel {0}")]
    DuplicateParcel(String),
    #[error("the order has no parcel {0}")]
    UnknownParcel(String),
    #[error("parcel {0} is not packed yet")]
    NotPacked(String),
    #[error("waybill {0} already belongs to another parcel")]
    DuplicateWaybill(String),
    #[error("the order has no parcel with waybill {0}")]
    UnknownWaybill(String),
    #[error("no refund has been requested")]
    NoRefundRequested,
    #[error("a refund of {requested} exceeds what is refundable ({refundable})")]
    RefundTooLarge { requested: Money, refundable: Money },
    #[error("the order has not been delivered")]
    NotDelivered,
    #[error("no return has been requested")]
    NoReturnRequested,
    #[error("amount is in {got}, the order is in {expected}")]
    WrongCurrency { got: Currency, expected: Currency },
    #[error("a payment must be a positive amount, got {0}")]
    PaymentNotPositive(Money),
    #[error("a payment of {paid} is more than what is still owed ({owed})")]
    PaymentTooLarge { paid: Money, owed: Money },
    #[error("the order's amounts are too large to add up")]
    AmountTooLarge,
    #[error("the order is {0} and cannot be put on hold")]
    CannotHold(Status),
    #[error(
        "parcel {0} is packed: a change of delivery details goes to the warehouse as a \
         re-label request"
    )]
    ParcelPacked(String),
    #[error(
        "parcel {0} has shipped: a change of delivery details goes to the carrier as a \
         redirect request"
    )]
    ParcelShipped(String),
    #[error("parcel {0} has not shipped yet: the warehouse stops it, not the carrier")]
    ParcelNotShipped(String),
    #[error("parcel {0} has been delivered")]
    ParcelDelivered(String),
    #[error("everything in the order has been delivered")]
    AllDelivered,
    #[error("every parcel has shipped: ask the carrier to intercept them")]
    AllShipped,
    #[error("the warehouse has been asked to stop this order for a refund")]
    Intercepted,
    #[error("the order has no request {0}")]
    UnknownRequest(String),
    #[error("the order already has a request {0}")]
    DuplicateRequest(String),
    #[error("request {0} is still waiting for its outcome")]
    RequestPending(String),
    #[error("request {0} already has its outcome")]
    RequestSettled(String),
    #[error("request {0} has already intercepted it")]
    AlreadyIntercepted(String),
    #[error("the order is already allocated to {0}")]
    AlreadyAllocated(String),
    #[error("no routing decision waits for a person on this order")]
    NoRouteWaiting,
    #[error("no such exception is open on the order")]
    ExceptionNotOpen,
    #[error("a snooze must end later than now")]
    SnoozeInPast,
    #[error("{0}")]
    Invalid(String),
}
