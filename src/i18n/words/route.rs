//! Routing decisions in words: what the router chose or proposed and how
//! sure it was, each candidate's factors (`上海仓：库存 4 件，饱和度 62%，至浙江 2 天`)
//! and why the runner-up lost, made from the facts the decision keeps.

use super::carrier;
use crate::i18n::*;
use crate::model::route::{Candidate, RouteDecision};

/// A parcel's cost in fen as yuan: `¥18.00`.
fn yuan(fen: i64) -> String {
    format!("¥{}.{:02}", fen / 100, (fen % 100).abs())
}

/// The decision in one sentence: applied, or waiting for a person.
pub fn decision(locale: Locale, d: &RouteDecision) -> String {
    match &d.proposed {
        Some(w) if d.applies() => td_string!(
            locale,
            domain.route.applied,
            warehouse = w,
            confidence = d.confidence_pct,
            version = d.rule_version
        )
        .to_string(),
        Some(w) => td_string!(
            locale,
            domain.route.waits,
            warehouse = w,
            confidence = d.confidence_pct,
            threshold = d.threshold_pct,
            version = d.rule_version
        )
        .to_string(),
        None => td_string!(locale, domain.route.none, version = d.rule_version).to_string(),
    }
}

/// One candidate's factors: `Shanghai Jiading DC: stock 4, saturation 62%, 2 days to 浙江, SF Express ¥18.00`.
pub fn candidate(locale: Locale, c: &Candidate, destination: &str) -> String {
    let f = &c.factors;
    let mut parts = vec![if f.in_stock {
        td_string!(locale, domain.route.stock, units = f.stock).to_string()
    } else {
        td_string!(locale, domain.route.out_of_stock).to_string()
    }];
    parts.push(td_string!(locale, domain.route.saturation, pct = f.saturation_pct).to_string());
    parts.push(
        td_string!(
            locale,
            domain.route.days,
            days = f.days,
            province = destination
        )
        .to_string(),
    );
    if let Some((name, fen)) = &f.carrier {
        parts.push(format!("{} {}", carrier(locale, name), yuan(*fen)));
    }
    match f.meets_promise {
        Some(true) => parts.push(td_string!(locale, domain.route.promise_kept).to_string()),
        Some(false) => parts.push(td_string!(locale, domain.route.promise_missed).to_string()),
        None => {}
    }
    td_string!(
        locale,
        domain.route.candidate,
        warehouse = c.warehouse.clone(),
        factors = parts.join(td_string!(locale, domain.route.sep))
    )
    .to_string()
}

/// Why `loser` lost to `winner`: each factor it did worse on.
pub fn lost(locale: Locale, winner: &Candidate, loser: &Candidate) -> String {
    let (w, l) = (&winner.factors, &loser.factors);
    let mut why = Vec::new();
    if !l.in_stock {
        why.push(td_string!(locale, domain.route.out_of_stock).to_string());
    }
    if l.saturation_pct > w.saturation_pct {
        why.push(
            td_string!(
                locale,
                domain.route.more_saturated,
                theirs = l.saturation_pct,
                ours = w.saturation_pct
            )
            .to_string(),
        );
    }
    if l.days > w.days {
        why.push(
            td_string!(locale, domain.route.farther, theirs = l.days, ours = w.days).to_string(),
        );
    }
    if let (Some((_, theirs)), Some((_, ours))) = (&l.carrier, &w.carrier) {
        if theirs > ours {
            why.push(
                td_string!(
                    locale,
                    domain.route.costlier,
                    theirs = yuan(*theirs),
                    ours = yuan(*ours)
                )
                .to_string(),
            );
        }
    }
    if l.meets_promise == Some(false) && w.meets_promise == Some(true) {
        why.push(td_string!(locale, domain.route.promise_missed).to_string());
    }
    if why.is_empty() {
        why.push(td_string!(locale, domain.route.tie).to_string());
    }
    td_string!(
        locale,
        domain.route.lost,
        warehouse = loser.warehouse.clone(),
        reasons = why.join(td_string!(locale, domain.route.sep))
    )
    .to_string()
}

/// The decision's explanation: the proposal's factors and why the runner-up lost.
pub fn explanation(locale: Locale, d: &RouteDecision) -> Vec<String> {
    let to = &d.inputs.destination_province;
    let mut lines = Vec::new();
    if let Some(w) = d.winner() {
        lines.push(candidate(locale, w, to));
        if let Some(r) = d.runner_up() {
            lines.push(lost(locale, w, r));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::route::{decide, RouteInputs, RoutingRules, WarehouseSnapshot};
    use chrono::TimeZone;
    use std::collections::BTreeMap;

    fn close_call() -> RouteDecision {
        let w = |name: &str, province: &str, backlog, carrier: &str| WarehouseSnapshot {
            name: name.into(),
            province: province.into(),
            daily_capacity: 1000,
            backlog,
            stock: BTreeMap::from([("SER".to_string(), 4)]),
            carriers: vec![carrier.into()],
        };
        decide(
            RouteInputs {
                destination_province: "浙江".into(),
                items: BTreeMap::from([("SER".to_string(), 1)]),
                promised_by: None,
                warehouses: vec![
                    w("上海仓", "上海", 620, "SF Express"),
                    w("广州仓", "广东", 680, "ZTO Express"),
                ],
                at: chrono::Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap(),
            },
            &RoutingRules::default(),
        )
    }

    #[test]
    fn the_factors_and_the_runner_up_read_as_operations_say_them() {
        let d = close_call();
        let zh = explanation(Locale::zh_CN, &d);
        assert_eq!(
            zh[0],
            "上海仓：库存 4 件，饱和度 62%，至浙江 2 天，顺丰速运 ¥18.00"
        );
        assert_eq!(
            zh[1],
            "广州仓 未选：饱和度更高（68% 对 62%），更远（3 天对 2 天）"
        );
        let en = explanation(Locale::en, &d);
        assert_eq!(
            en[0],
            "上海仓: stock 4, saturation 62%, 2 days to 浙江, SF Express ¥18.00"
        );
        assert!(decision_words_say_who_decides(&d));
    }

    fn decision_words_say_who_decides(d: &RouteDecision) -> bool {
        super::decision(Locale::en, d).contains("waits for a person")
            && super::decision(Locale::zh_CN, d).contains("待人工确认")
    }
}
