//! Where orders come from (channels) and who produces events (source systems),
//! and the time zone the Chinese ones write local times in.

use chrono::FixedOffset;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// China Standard Time, UTC+8 all year: the local time Chinese channels,
/// carriers (Kuaidi100's tracks) and our warehouses write.
pub const CHINA_TIME: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// A sales channel with its own order ids and status dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Douyin,
    Tmall,
    Wechat,
    Xiaohongshu,
    Shopify,
    Pos,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::Douyin,
        Channel::Tmall,
        Channel::Wechat,
        Channel::Xiaohongshu,
        Channel::Shopify,
        Channel::Pos,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Douyin => "douyin",
            Channel::Tmall => "tmall",
            Channel::Wechat => "wechat",
            Channel::Xiaohongshu => "xiaohongshu",
            Channel::Shopify => "shopify",
            Channel::Pos => "pos",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Douyin => "Douyin 抖店",
            Channel::Tmall => "Tmall 天猫",
            Channel::Wechat => "WeChat Channels 视频号",
            Channel::Xiaohongshu => "Xiaohongshu 小红书",
            Channel::Shopify => "Shopify",
            Channel::Pos => "POS (store)",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// An unknown channel name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown channel {0:?}")]
pub struct UnknownChannel(pub String);

impl FromStr for Channel {
    type Err = UnknownChannel;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownChannel(s.to_string()))
    }
}

/// The system that produced an event.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Source {
    /// A sales channel's own system.
    Channel(Channel),
    /// A warehouse management system, by warehouse name.
    Warehouse(String),
    /// A carrier's tracking system, by carrier name.
    Carrier(String),
    /// The finance / payment system.
    Finance,
    /// A person working in the control room.
    Staff,
    /// The control room itself (detectors, decisions).
    ControlRoom,
}

impl Source {
    /// A short family name used for filtering (`channel`, `carrier`, …).
    pub fn family(&self) -> &'static str {
        match self {
            Source::Channel(_) => "channel",
            Source::Warehouse(_) => "warehouse",
            Source::Carrier(_) => "carrier",
            Source::Finance => "finance",
            Source::Staff => "staff",
            Source::ControlRoom => "control_room",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Channel(c) => write!(f, "{c}"),
            Source::Warehouse(w) => write!(f, "Warehouse · {w}"),
            Source::Carrier(c) => write!(f, "Carrier · {c}"),
            Source::Finance => f.write_str("Finance"),
            Source::Staff => f.write_str("Control room staff"),
            Source::ControlRoom => f.write_str("Control room"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_round_trip_by_name() {
        for c in Channel::ALL {
            assert_eq!(c.as_str().parse::<Channel>(), Ok(c));
        }
        assert!("ebay".parse::<Channel>().is_err());
    }

    #[test]
    fn sources_serialise_as_tagged_objects() {
        let s = Source::Carrier("SF Express".into());
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"{"kind":"carrier","name":"SF Express"}"#);
        assert_eq!(serde_json::from_str::<Source>(&json).unwrap(), s);
        assert_eq!(s.to_string(), "Carrier · SF Express");
    }
}
