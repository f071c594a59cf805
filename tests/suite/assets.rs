//! The built app as a browser gets it: precompressed copies chosen by
//! `Accept-Encoding`, hashed files cached for good, everything else
//! revalidated, the app page never stored.

use crate::support;

use support::TestServer;

const HASHED: &str = "app-0123456789abcdef_bg.wasm";

/// A dist with a hashed file and its compressed copies (their bytes are
/// markers: what matters is which one is sent), a plain file and the page.
fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &[u8]| std::fs::write(dir.path().join(name), body).unwrap();
    write("index.html", b"<!doctype html><title>app</title>");
    write("index.html.br", b"brotli page");
    write(HASHED, b"raw wasm bytes");
    write(&format!("{HASHED}.br"), b"brotli wasm bytes");
    write(&format!("{HASHED}.gz"), b"gzip wasm bytes");
    write("favicon.svg", b"<svg/>");
    dir
}

async fn get(server: &TestServer, path: &str, encoding: Option<&str>) -> reqwest::Response {
    let mut req = server.anon.get(format!("{}{path}", server.base));
    if let Some(encoding) = encoding {
        req = req.header("accept-encoding", encoding);
    }
    req.send().await.unwrap()
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn files_go_out_precompressed_and_hashed_ones_are_cached_for_good() {
    let data = tempfile::tempdir().unwrap();
    let dist = dist();
    let server = TestServer::spawn_with(data.path(), |a| a.dist = dist.path().to_path_buf()).await;
    let path = format!("/{HASHED}");

    for (accepts, encoding, body) in [
        (Some("gzip, deflate, br"), "br", "brotli wasm bytes"),
        (Some("gzip"), "gzip", "gzip wasm bytes"),
        (None, "", "raw wasm bytes"),
    ] {
        let res = get(&server, &path, accepts).await;
        assert_eq!(res.status(), 200);
        assert_eq!(header(&res, "content-encoding"), encoding, "{accepts:?}");
        assert_eq!(header(&res, "content-type"), "application/wasm");
        assert_eq!(
            header(&res, "cache-control"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(res.text().await.unwrap(), body);
    }

    let plain = get(&server, "/favicon.svg", Some("br")).await;
    assert_eq!(header(&plain, "cache-control"), "no-cache");

    // The page, and every deep link that is the page, is never stored, and
    // also goes out compressed.
    for page in ["/", "/orders/CR-1", "/missing-0123456789abcdef.js"] {
        let res = get(&server, page, Some("br")).await;
        assert_eq!(res.status(), 200, "{page}");
        assert_eq!(header(&res, "cache-control"), "no-store", "{page}");
        assert_eq!(header(&res, "content-encoding"), "br", "{page}");
    }
    server.stop().await;
}
