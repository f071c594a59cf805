//! `demo-history`: a past written through the store's own append path. The
//! orders are spread over the days asked for and none happens after now; the
//! oldest have finished their lives while the newest are still under way;
//! the same seed writes the same orders; a second run next to the first adds
//! as many again and refuses none; the projections read what the log says.

use order_control_room::model::{Order, OrderQuery, PageAt, Status};
use order_control_room::server::demo::history::{write_history, HistorySettings};
use order_control_room::server::store::{projection_snapshot, Durability, OrderStore, SqliteStore};

fn settings(orders: u64, seed: u64) -> HistorySettings {
    HistorySettings {
        orders,
        days: 3,
        seed,
        batch: 200,
        ..HistorySettings::default()
    }
}

fn all(at: PageAt) -> OrderQuery {
    OrderQuery {
        status: None,
        channel: None,
        search: None,
        open_exceptions: false,
        page: 1,
        per_page: 100,
        at,
    }
}

#[tokio::test]
async fn a_history_spreads_over_its_days_finished_and_under_way() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path(), Durability::Normal).unwrap();
    let now = chrono::Utc::now();
    let mut batches = 0;
    let written = write_history(&store, settings(400, 7), now, |_| batches += 1)
        .await
        .unwrap();
    assert_eq!(written.orders, 400, "{written:?}");
    assert!(written.events > written.orders * 3, "{written:?}");
    assert!(batches > 1, "written in batches");

    let mut statuses = Vec::new();
    let mut at = PageAt::First;
    loop {
        let rows = store.list_orders(&all(at)).await.unwrap();
        for row in &rows.orders {
            assert!(row.placed_at <= now && row.placed_at >= now - chrono::Duration::days(3));
            statuses.push(row.status());
        }
        match rows.next {
            Some(key) => at = PageAt::After(key),
            None => break,
        }
    }
    assert_eq!(statuses.len() as u64, written.orders);
    assert!(
        statuses.contains(&Status::Delivered),
        "old orders have arrived"
    );
    assert!(
        statuses.iter().any(|s| matches!(
            s,
            Status::Placed
                | Status::Paid
                | Status::Allocated
                | Status::Picking
                | Status::Packed
                | Status::Shipped
                | Status::InTransit
                | Status::PickedUp
                | Status::OutForDelivery
                | Status::Confirmed
        )),
        "the newest are under way: {statuses:?}"
    );

    // The projections are what a rebuild from the log gives.
    let incremental = projection_snapshot(dir.path()).unwrap();
    store.rebuild_projection().await.unwrap();
    assert_eq!(projection_snapshot(dir.path()).unwrap(), incremental);
}

#[tokio::test]
async fn the_same_seed_writes_the_same_orders_and_a_second_run_adds_without_refusals() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let now = chrono::Utc::now();
    let (first, second) = (
        SqliteStore::open(a.path(), Durability::Normal).unwrap(),
        SqliteStore::open(b.path(), Durability::Normal).unwrap(),
    );
    write_history(&first, settings(50, 11), now, |_| {})
        .await
        .unwrap();
    write_history(&second, settings(50, 11), now, |_| {})
        .await
        .unwrap();
    let ids =
        |rows: Vec<Order>| -> Vec<String> { rows.into_iter().map(|r| r.id.to_string()).collect() };
    let one = ids(first.list_orders(&all(PageAt::First)).await.unwrap().orders);
    let two = ids(second
        .list_orders(&all(PageAt::First))
        .await
        .unwrap()
        .orders);
    assert_eq!(one, two);

    // The same seed again into the same store: the orders already there are
    // drawn again, not refused, and 50 new ones are added.
    let again = write_history(&first, settings(50, 11), now, |_| {})
        .await
        .unwrap();
    assert_eq!(again.orders, 50, "{again:?}");
    assert_eq!(
        first.list_orders(&all(PageAt::First)).await.unwrap().total,
        100
    );
}

#[tokio::test]
async fn the_desk_benchmark_times_every_read_on_a_written_history() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path(), Durability::Normal).unwrap();
    write_history(&store, settings(300, 21), chrono::Utc::now(), |_| {})
        .await
        .unwrap();
    let report = order_control_room::server::bench::bench_desk(&store, dir.path(), 5, 1)
        .await
        .unwrap();
    assert_eq!(report.orders, 300);
    assert!(report.store_bytes > 0);
    let reads: Vec<&str> = report.reads.iter().map(|m| m.what.as_str()).collect();
    for read in [
        "list: first page (25) with totals",
        "search: our order number",
        "search: channel order number",
        "search: waybill",
        "search: phone number",
        "search: last 4 digits + name",
        "search: name",
        "order page: the order and its log",
        "customer: orders of the last 30 days",
    ] {
        assert!(reads.contains(&read), "{read} missing from {reads:?}");
    }
    for m in &report.reads {
        assert_eq!(m.calls, 5);
        assert!(m.p50 <= m.p99 && m.p99 <= m.max, "{m:?}");
        // Each read found what it was asked for (values are drawn from the
        // store); a short history may have no exception left open.
        if !m.what.contains("open exceptions") {
            assert!(m.rows >= 1.0, "{m:?}");
        }
    }
    assert!(report.table().contains("| search: waybill | 5 |"));
}
