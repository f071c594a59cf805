//! The router over hand-made snapshots: the factors it weighs, the proposal
//! and runner-up, the confidence against the threshold (the human gate), and
//! the same decision again from the same inputs.

use super::*;
use chrono::TimeZone;

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap()
}

fn warehouse(
    name: &str,
    province: &str,
    backlog: u64,
    stock: u64,
    carrier: &str,
) -> WarehouseSnapshot {
    WarehouseSnapshot {
        name: name.into(),
        province: province.into(),
        daily_capacity: 1000,
        backlog,
        stock: BTreeMap::from([("SER-ROSE-30".to_string(), stock)]),
        carriers: vec![carrier.into()],
    }
}

fn inputs(to: &str, warehouses: Vec<WarehouseSnapshot>) -> RouteInputs {
    RouteInputs {
        destination_province: to.into(),
        items: BTreeMap::from([("SER-ROSE-30".to_string(), 1)]),
        promised_by: None,
        warehouses,
        at: at(),
    }
}

#[test]
fn the_near_unsaturated_warehouse_in_stock_wins_with_its_factors_and_runner_up() {
    let d = decide(
        inputs(
            "浙江",
            vec![
                warehouse("Shanghai", "上海", 620, 4, "SF Express"),
                warehouse("Guangzhou", "广东", 400, 50, "ZTO Express"),
            ],
        ),
        &RoutingRules::default(),
    );
    assert_eq!(d.proposed.as_deref(), Some("Shanghai"));
    let w = d.winner().unwrap();
    assert_eq!(
        (w.factors.stock, w.factors.saturation_pct, w.factors.days),
        (4, 62, 2)
    );
    let r = d.runner_up().unwrap();
    assert_eq!((r.warehouse.as_str(), r.factors.days), ("Guangzhou", 3));
    assert_eq!(d.rule_version, 1);
    assert!(
        d.confidence_pct < 85,
        "a close call goes to a person: {}",
        d.confidence_pct
    );
    assert!(!d.applies());
}

#[test]
fn a_clear_winner_is_applied_and_a_lone_one_is_sure() {
    let clear = decide(
        inputs(
            "上海",
            vec![
                warehouse("Shanghai", "上海", 0, 40, "ZTO Express"),
                warehouse("Chengdu", "四川", 950, 40, "SF Express"),
            ],
        ),
        &RoutingRules::default(),
    );
    assert!(clear.confidence_pct >= 85, "{}", clear.confidence_pct);
    assert!(clear.applies());
    let alone = decide(
        inputs(
            "上海",
            vec![
                warehouse("Shanghai", "上海", 0, 0, "ZTO Express"),
                warehouse("Chengdu", "四川", 950, 40, "SF Express"),
            ],
        ),
        &RoutingRules::default(),
    );
    assert_eq!(
        alone.proposed.as_deref(),
        Some("Chengdu"),
        "the only one in stock"
    );
    assert_eq!(alone.confidence_pct, 99);
}

#[test]
fn nothing_in_stock_anywhere_proposes_nothing_and_waits_for_a_person() {
    let d = decide(
        inputs(
            "上海",
            vec![warehouse("Shanghai", "上海", 0, 0, "ZTO Express")],
        ),
        &RoutingRules::default(),
    );
    assert_eq!(d.proposed, None);
    assert_eq!(d.confidence_pct, 0);
    assert!(!d.applies());
}

#[test]
fn the_threshold_is_a_setting_and_the_decision_names_its_rules() {
    let mut rules = RoutingRules::default();
    let ws = vec![
        warehouse("Shanghai", "上海", 620, 4, "SF Express"),
        warehouse("Guangzhou", "广东", 400, 50, "ZTO Express"),
    ];
    let strict = decide(inputs("浙江", ws.clone()), &rules);
    rules.confidence_threshold_pct = 50;
    rules.version = 2;
    let lax = decide(inputs("浙江", ws), &rules);
    assert_eq!(
        strict.confidence_pct, lax.confidence_pct,
        "same inputs, same confidence"
    );
    assert!(lax.applies() && !strict.applies());
    assert_eq!(lax.rule_version, 2);
}

#[test]
fn a_promise_the_warehouse_cannot_keep_costs_it_points() {
    let mut i = inputs(
        "浙江",
        vec![
            warehouse("Shanghai", "上海", 500, 40, "ZTO Express"),
            warehouse("Chengdu", "四川", 500, 40, "ZTO Express"),
        ],
    );
    i.promised_by = Some(at() + Duration::days(2));
    let d = decide(i, &RoutingRules::default());
    assert_eq!(d.winner().unwrap().factors.meets_promise, Some(true));
    assert_eq!(d.runner_up().unwrap().factors.meets_promise, Some(false));
}

#[test]
fn the_same_inputs_give_the_same_decision() {
    let i = inputs(
        "浙江",
        vec![
            warehouse("B", "上海", 10, 4, "SF Express"),
            warehouse("A", "上海", 10, 4, "SF Express"),
        ],
    );
    let d1 = decide(i.clone(), &RoutingRules::default());
    assert_eq!(d1, decide(i, &RoutingRules::default()));
    assert_eq!(d1.proposed.as_deref(), Some("A"), "a tie goes by name");
    assert_eq!(d1.confidence_pct, 50);
}
