//! Kuaidi100 (快递100) subscription pushes.
//!
//! The body is `application/x-www-form-urlencoded`: `param=<json>&sign=<…>`,
//! where `sign` is `MD5(param + salt)` in upper-case hex when the subscription
//! has a salt. [`kuaidi100_param`] hands both to the endpoint, which verifies the
//! signature; [`parse`](super::parse) reads `param`:
//!
//! `{"status": "polling", "lastResult": {"nu": <waybill>, "com": <carrier code>,
//! "state": "0", "data": [{"time": "2026-11-20 18:02:11", "context": …,
//! "areaName": …, "status": "在途"}, …]}}`
//!
//! Each `lastResult.data[]` entry becomes one [`Fact::CarrierScan`], oldest first.
//! The newest entry carries the push's `lastResult.state` (dialect
//! `kuaidi100.state`, `0` 在途 … `14` 拒签); older entries carry their own
//! Chinese `status` text (dialect `kuaidi100.status_text`). Times are China
//! time (UTC+8). A push without `lastResult` (e.g. an aborted subscription)
//! carries no facts.
//!
//! Dedupe key: `sha256:` of the decoded `param`.

use super::{china_time, from_json_text, non_blank, sha256_key, Delivery, Fact, ParseError, Text};
use crate::model::ingest::mapping::dialect;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::cmp::Reverse;

#[derive(Deserialize)]
struct Form {
    #[serde(default)]
    param: Option<String>,
    #[serde(default)]
    sign: Option<String>,
}

/// The `param` JSON and the `sign` of a push body, for signature verification
/// (`MD5(param + salt)`, upper-case hex, is the endpoint's to check). `sign` is
/// empty when the subscription has no salt.
pub fn kuaidi100_param(body: &[u8]) -> Result<(String, String), ParseError> {
    let form: Form =
        serde_urlencoded::from_bytes(body).map_err(|e| ParseError::NotForm(e.to_string()))?;
    let param = form
        .param
        .filter(|p| !p.trim().is_empty())
        .ok_or(ParseError::MissingFormField("param"))?;
    Ok((param, form.sign.unwrap_or_default()))
}

#[derive(Deserialize)]
struct Push {
    #[serde(rename = "lastResult", default)]
    last_result: Option<LastResult>,
}

#[derive(Deserialize)]
struct LastResult {
    nu: Text,
    com: Text,
    #[serde(default)]
    state: Option<Text>,
    #[serde(default)]
    data: Option<Vec<Entry>>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    ftime: Option<String>,
    #[serde(default)]
    context: Option<String>,
    #[serde(rename = "areaName", default)]
    area_name: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

pub(crate) fn parse(body: &[u8]) -> Result<Delivery, ParseError> {
    let (param, _sign) = kuaidi100_param(body)?;
    let dedupe_key = sha256_key(param.as_bytes());
    let push: Push = from_json_text(&param, "param")?;
    let Some(last) = push.last_result else {
        return Ok(Delivery::new(dedupe_key, Vec::new()));
    };
    let waybill = last.nu.non_empty("param.lastResult.nu")?;
    let carrier = last.com.non_empty("param.lastResult.com")?;
    let state = last.state.and_then(|s| non_blank(Some(&s.0)));

    let mut entries: Vec<(DateTime<Utc>, usize, Entry)> = Vec::new();
    for (i, entry) in last.data.unwrap_or_default().into_iter().enumerate() {
        let field = format!("param.lastResult.data[{i}].time");
        let text = entry
            .time
            .as_deref()
            .or(entry.ftime.as_deref())
            .ok_or_else(|| ParseError::missing(field.clone()))?;
        entries.push((china_time(text, &field)?, i, entry));
    }
    // Kuaidi100 lists newest first; sort oldest first, and among equal times keep
    // the payload's newest-first order reversed.
    entries.sort_by_key(|(at, i, _)| (*at, Reverse(*i)));

    let newest = entries.len().checked_sub(1);
    let facts = entries
        .into_iter()
        .enumerate()
        .map(|(n, (at, _, entry))| {
            let text = non_blank(entry.status.as_deref()).unwrap_or_default();
            let (dialect, value) = match (&state, Some(n) == newest) {
                (Some(state), true) => (dialect::KUAIDI100_STATE, state.clone()),
                _ => (dialect::KUAIDI100_STATUS_TEXT, text),
            };
            Fact::CarrierScan {
                carrier: carrier.clone(),
                waybill: waybill.clone(),
                dialect,
                value,
                location: non_blank(entry.area_name.as_deref()),
                detail: entry.context.unwrap_or_default().trim().to_string(),
                at,
            }
        })
        .collect();
    Ok(Delivery::new(dedupe_key, facts))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{fixture, utc};
    use super::*;

    /// A form body as Kuaidi100 posts it.
    fn form(param: &str, sign: &str) -> Vec<u8> {
        serde_urlencoded::to_string([("param", param), ("sign", sign)])
            .unwrap()
            .into_bytes()
    }

    fn fixture_param() -> String {
        String::from_utf8(fixture("carriers/kuaidi100/subscribe-push.param.json")).unwrap()
    }

    #[test]
    fn push_becomes_scans_oldest_first_with_the_state_on_the_newest() {
        let param = fixture_param();
        let d = parse(&form(&param, "0F1E2D")).unwrap();
        assert_eq!(d.dedupe_key, sha256_key(param.as_bytes()));
        assert_eq!(
            d.facts,
            vec![
                Fact::CarrierScan {
                    carrier: "yuantong".into(),
                    waybill: "YT2506789012345".into(),
                    dialect: "kuaidi100.status_text",
                    value: "揽收".into(),
                    location: Some("上海".into()),
                    detail: "【上海市】圆通速递 已揽收".into(),
                    at: utc("2026-11-20T01:15:40Z"),
                },
                Fact::CarrierScan {
                    carrier: "yuantong".into(),
                    waybill: "YT2506789012345".into(),
                    dialect: "kuaidi100.state",
                    value: "0".into(),
                    location: Some("浙江,杭州市".into()),
                    detail: "【杭州市】快件已到达 杭州转运中心".into(),
                    at: utc("2026-11-20T10:02:11Z"),
                },
            ]
        );
    }

    #[test]
    fn param_and_sign_are_handed_out_for_verification() {
        let param = fixture_param();
        let (p, s) = kuaidi100_param(&form(&param, "ABC123")).unwrap();
        assert_eq!(p, param);
        assert_eq!(s, "ABC123");
        let (_, s) = kuaidi100_param(b"param=%7B%7D").unwrap();
        assert_eq!(s, "");
        // `+` in a form means a space; the signature is over the decoded text.
        let (p, _) = kuaidi100_param(b"param=%7B%22a%22%3A%22x+y%22%7D&sign=S").unwrap();
        assert_eq!(p, r#"{"a":"x y"}"#);
    }

    #[test]
    fn a_push_without_last_result_has_no_facts() {
        let d = parse(&form(r#"{"status":"abort","message":"3天查询无记录"}"#, "")).unwrap();
        assert!(d.facts.is_empty());
    }

    #[test]
    fn malformed_pushes_name_the_problem() {
        let err = |body: &[u8]| parse(body).unwrap_err().to_string();
        assert_eq!(err(b"sign=ABC"), "form field `param` is missing");
        assert_eq!(err(b""), "form field `param` is missing");
        assert_eq!(
            err(&form("{not json", "")),
            "field param is invalid: not valid JSON: key must be a string"
        );
        assert_eq!(
            err(&form(r#"{"lastResult":{"com":"yuantong","data":[]}}"#, "")),
            "field param.lastResult.nu is missing"
        );
        assert_eq!(
            err(&form(
                r#"{"lastResult":{"nu":"N1","com":"sf","state":"1","data":[{"context":"x"}]}}"#,
                ""
            )),
            "field param.lastResult.data[0].time is missing"
        );
        assert_eq!(
            err(&form(
                r#"{"lastResult":{"nu":"N1","com":"sf","data":[{"time":"20/11/2026"}]}}"#,
                ""
            )),
            "field param.lastResult.data[0].time is invalid: expected \"YYYY-MM-DD HH:MM:SS\" (China time), got \"20/11/2026\""
        );
        assert_eq!(
            err(&form(
                r#"{"lastResult":{"nu":"N1","com":"sf","data":{}}}"#,
                ""
            )),
            "field param.lastResult.data is invalid: invalid type: map, expected a sequence"
        );
    }
}
