//! Why a step could not be rendered.

use crate::model::{Integration, OrderId, Refusal};

/// Why a step could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("no {0} secret to sign with")]
    NoSecret(Integration),
    #[error("the Douyin secret must be app_key:app_secret")]
    DouyinSecret,
    #[error("the WeChat secret must be token:EncodingAESKey[:AppID] (safe mode)")]
    WechatSecret,
    #[error("the {0} secret cannot key an HMAC")]
    BadKey(Integration),
    #[error("no API key for the timeline API")]
    NoApiKey,
    #[error("{format} cannot carry a {step} step")]
    Unsupported {
        format: &'static str,
        step: &'static str,
    },
    #[error("the script of {0} does not begin with its order being placed")]
    NotPlaced(OrderId),
    #[error("the lifecycle refuses the step: {0}")]
    Refused(#[from] Refusal),
    #[error("could not write the body: {0}")]
    Body(#[from] serde_json::Error),
    #[error("could not write the form: {0}")]
    Form(#[from] serde_urlencoded::ser::Error),
}
