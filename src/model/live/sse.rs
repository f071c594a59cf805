//! The names of the frames the live streams send, defined once for the server
//! that writes them and the browser that listens.

/// One kind of SSE frame (its `event:` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SseEvent {
    /// A log event for staff, through their lens; id = its log sequence number.
    OrderEvent,
    /// The stream fell behind; data `{"from":F,"to":T}`.
    Resync,
    /// The catch-up a `Resync` announced is done; data `{"to":T}`.
    CaughtUp,
    /// A step a customer may see, on a tracking link's stream; id = the step's
    /// number in the link's own count.
    TrackingStep,
}

impl SseEvent {
    /// The `event:` field.
    pub fn name(self) -> &'static str {
        match self {
            SseEvent::OrderEvent => "order_event",
            SseEvent::Resync => "resync",
            SseEvent::CaughtUp => "caught_up",
            SseEvent::TrackingStep => "tracking_step",
        }
    }
}
