//! What demo orders are made of: the products, gifts, buyers' names and
//! addresses, warehouses, carriers and hubs the simulator draws from, and the
//! draws themselves.

use crate::model::{ComponentId, ParcelId};
use rand::rngs::StdRng;
use rand::Rng;

/// A product on sale, priced in fen.
pub(super) struct Product {
    pub sku: &'static str,
    pub name: &'static str,
    pub price_fen: i64,
}

pub(super) const MAIN_ITEMS: [Product; 6] = [
    Product {
        sku: "SER-ROSE-30",
        name: "玫瑰精华液 Rose serum 30 ml",
        price_fen: 26800,
    },
    Product {
        sku: "CRM-CAM-50",
        name: "山茶花面霜 Camellia cream 50 g",
        price_fen: 32900,
    },
    Product {
        sku: "TEA-LJ-250",
        name: "明前龙井 Longjing tea 250 g",
        price_fen: 19800,
    },
    Product {
        sku: "LIP-VEL-12",
        name: "丝绒口红 Velvet lipstick #12",
        price_fen: 15900,
    },
    Product {
        sku: "MSK-HYD-10",
        name: "保湿面膜 Hydrating masks ×10",
        price_fen: 9900,
    },
    Product {
        sku: "OIL-CLN-150",
        name: "卸妆油 Cleansing oil 150 ml",
        price_fen: 16800,
    },
];

pub(super) const GIFTS: [&str; 3] = [
    "旅行装洁面乳 Travel cleanser (gift)",
    "化妆包 Cosmetic pouch (gift)",
    "丝巾 Silk scarf (gift)",
];

pub(super) const NAMES_CN: [&str; 10] = [
    "王芳", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄磊", "周婷", "吴昊",
];
pub(super) const NAMES_EN: [&str; 5] = [
    "Emma Johnson",
    "Liam Smith",
    "Olivia Brown",
    "Noah Davis",
    "Ava Wilson",
];

/// Province, city and street line.
pub(super) const PLACES_CN: [(&str, &str, &str); 5] = [
    ("上海", "上海", "浦东新区 世纪大道 100 号"),
    ("北京", "北京", "朝阳区 建国路 88 号"),
    ("广东", "深圳", "南山区 科技园南路 15 号"),
    ("浙江", "杭州", "西湖区 文三路 259 号"),
    ("四川", "成都", "武侯区 天府大道 1700 号"),
];

pub(super) const WAREHOUSES: [&str; 3] = [
    "Shanghai Jiading DC",
    "Guangzhou Baiyun DC",
    "Chengdu Shuangliu DC",
];

/// Carrier name and waybill prefix.
pub(super) const CARRIERS_CN: [(&str, &str); 4] = [
    ("SF Express", "SF"),
    ("YTO Express", "YT"),
    ("ZTO Express", "ZT"),
    ("JD Logistics", "JDV"),
];

pub(super) const HUBS: [&str; 4] = [
    "杭州转运中心",
    "上海浦东分拨中心",
    "广州白云转运中心",
    "成都双流分拨中心",
];

/// One of `items`, drawn evenly.
pub(super) fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// `n` random decimal digits.
pub(super) fn digits(rng: &mut StdRng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// A component id written in the simulator's code.
pub(super) fn cid(s: &str) -> ComponentId {
    ComponentId::parse(s).expect("static component id")
}

/// A parcel id written in the simulator's code.
pub(super) fn pid(s: &str) -> ParcelId {
    ParcelId::parse(s).expect("static parcel id")
}
