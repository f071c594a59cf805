//! The origins the app is served from — scheme, host and port as the browser
//! sees them. Configured with `--public-origin` (repeatable), or, when none is
//! given, derived from the address the server is bound to (for local use:
//! `http://127.0.0.1:<port>` and `http://localhost:<port>`). Browser requests
//! must name one of them in `Host`, and state-changing ones in `Origin`.

use axum::http::uri::{Authority, Scheme, Uri};
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;

/// Why a configured origin is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OriginError {
    #[error("{0:?} is not an origin like https://orders.example.com or http://127.0.0.1:3000")]
    NotAnOrigin(String),
    #[error("{0:?}: the scheme must be http or https")]
    Scheme(String),
    #[error("{0:?}: an origin has no path, query or user name")]
    Extra(String),
}

/// One origin: scheme, lower-case host and port (the scheme's default when
/// the text names none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicOrigin {
    https: bool,
    host: String,
    port: u16,
}

impl PublicOrigin {
    pub fn is_https(&self) -> bool {
        self.https
    }

    fn http(host: &str, port: u16) -> Self {
        PublicOrigin {
            https: false,
            host: host.to_string(),
            port,
        }
    }

    fn default_port(&self) -> u16 {
        if self.https {
            443
        } else {
            80
        }
    }
}

impl FromStr for PublicOrigin {
    type Err = OriginError;

    fn from_str(text: &str) -> Result<Self, OriginError> {
        let not_an_origin = || OriginError::NotAnOrigin(text.to_string());
        let uri: Uri = text.parse().map_err(|_| not_an_origin())?;
        let https = match uri.scheme() {
            Some(s) if *s == Scheme::HTTPS => true,
            Some(s) if *s == Scheme::HTTP => false,
            Some(_) => return Err(OriginError::Scheme(text.to_string())),
            None => return Err(not_an_origin()),
        };
        let authority = uri.authority().ok_or_else(not_an_origin)?;
        let path_is_bare = matches!(uri.path(), "" | "/");
        if authority.as_str().contains('@') || uri.query().is_some() || !path_is_bare {
            return Err(OriginError::Extra(text.to_string()));
        }
        if authority.host().is_empty() {
            return Err(not_an_origin());
        }
        Ok(PublicOrigin {
            https,
            host: authority.host().to_ascii_lowercase(),
            port: authority.port_u16().unwrap_or(if https { 443 } else { 80 }),
        })
    }
}

impl fmt::Display for PublicOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.https { "https" } else { "http" };
        if self.port == self.default_port() {
            write!(f, "{scheme}://{}", self.host)
        } else {
            write!(f, "{scheme}://{}:{}", self.host, self.port)
        }
    }
}

/// Every origin the server answers as.
#[derive(Debug, Clone)]
pub struct PublicOrigins(Arc<[PublicOrigin]>);

impl PublicOrigins {
    /// The configured origins, or when there are none, those of `bound`.
    pub fn resolve(configured: &[PublicOrigin], bound: SocketAddr) -> Self {
        if configured.is_empty() {
            Self::of_bound_address(bound)
        } else {
            PublicOrigins(configured.into())
        }
    }

    /// What a browser on this machine (or on the bound address) uses:
    /// the address itself, and `localhost` for a loopback or wildcard bind.
    pub fn of_bound_address(bound: SocketAddr) -> Self {
        let port = bound.port();
        let ip = bound.ip();
        let mut origins = Vec::new();
        if ip.is_unspecified() {
            origins.push(PublicOrigin::http("127.0.0.1", port));
            origins.push(PublicOrigin::http("[::1]", port));
        } else {
            origins.push(PublicOrigin::http(&host_of(ip), port));
        }
        if ip.is_loopback() || ip.is_unspecified() {
            origins.push(PublicOrigin::http("localhost", port));
        }
        PublicOrigins(origins.into())
    }

    pub fn iter(&self) -> impl Iterator<Item = &PublicOrigin> {
        self.0.iter()
    }

    /// Any of them is served over TLS (so cookies must be `Secure`).
    pub fn any_https(&self) -> bool {
        self.0.iter().any(PublicOrigin::is_https)
    }

    /// `Origin` names one of them exactly: scheme, host and port.
    pub fn allows_origin(&self, origin: &str) -> bool {
        origin
            .parse::<PublicOrigin>()
            .is_ok_and(|o| self.0.contains(&o))
    }

    /// `Host` (`host` or `host:port`) names one of them. Without a port, the
    /// origin's scheme's default port is meant.
    pub fn allows_host(&self, host: &str) -> bool {
        let Ok(authority) = host.parse::<Authority>() else {
            return false;
        };
        if authority.as_str().contains('@') {
            return false;
        }
        let name = authority.host().to_ascii_lowercase();
        self.0
            .iter()
            .any(|o| o.host == name && authority.port_u16().unwrap_or(o.default_port()) == o.port)
    }
}

impl fmt::Display for PublicOrigins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let all: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&all.join(", "))
    }
}

fn host_of(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origins(list: &[&str]) -> PublicOrigins {
        let parsed: Vec<PublicOrigin> = list.iter().map(|s| s.parse().unwrap()).collect();
        PublicOrigins::resolve(&parsed, "127.0.0.1:9".parse().unwrap())
    }

    #[test]
    fn origins_are_parsed_strictly() {
        let o: PublicOrigin = "HTTPS://Orders.Example.com".parse().unwrap();
        assert_eq!(o.to_string(), "https://orders.example.com");
        assert_eq!(
            "http://127.0.0.1:3000/"
                .parse::<PublicOrigin>()
                .unwrap()
                .to_string(),
            "http://127.0.0.1:3000"
        );
        for bad in [
            "evil://127.0.0.1:3000",
            "ftp://orders.example.com",
            "orders.example.com",
            "https://orders.example.com/app",
            "https://user@orders.example.com",
            "https://orders.example.com?x=1",
            "null",
            "",
        ] {
            assert!(bad.parse::<PublicOrigin>().is_err(), "{bad}");
        }
    }

    #[test]
    fn an_origin_must_match_in_scheme_host_and_port() {
        let allowed = origins(&["https://orders.example.com", "http://127.0.0.1:3000"]);
        assert!(allowed.allows_origin("https://orders.example.com"));
        assert!(allowed.allows_origin("https://orders.example.com:443"));
        assert!(allowed.allows_origin("http://127.0.0.1:3000"));
        for refused in [
            "http://orders.example.com",
            "https://orders.example.com:8443",
            "evil://orders.example.com",
            "evil://127.0.0.1:3000",
            "http://127.0.0.1:3001",
            "https://127.0.0.1:3000",
            "https://orders.example.com.evil.example",
            "null",
        ] {
            assert!(!allowed.allows_origin(refused), "{refused}");
        }
    }

    #[test]
    fn a_host_must_name_an_origin() {
        let allowed = origins(&["https://orders.example.com", "http://127.0.0.1:3000"]);
        assert!(allowed.allows_host("orders.example.com"));
        assert!(allowed.allows_host("Orders.Example.com:443"));
        assert!(allowed.allows_host("127.0.0.1:3000"));
        for refused in [
            "127.0.0.1",
            "127.0.0.1:3001",
            "evil.example",
            "orders.example.com:80",
            "user@orders.example.com",
            "",
        ] {
            assert!(!allowed.allows_host(refused), "{refused}");
        }
    }

    #[test]
    fn without_configuration_the_bound_address_is_the_origin() {
        let local = PublicOrigins::of_bound_address("127.0.0.1:41234".parse().unwrap());
        assert_eq!(
            local.to_string(),
            "http://127.0.0.1:41234, http://localhost:41234"
        );
        assert!(local.allows_host("localhost:41234"));
        assert!(local.allows_origin("http://localhost:41234"));
        assert!(!local.any_https());
        let v6 = PublicOrigins::of_bound_address("[::1]:8080".parse().unwrap());
        assert!(v6.allows_host("[::1]:8080"));
        assert!(v6.allows_origin("http://[::1]:8080"));
        let lan = PublicOrigins::of_bound_address("192.168.1.5:3000".parse().unwrap());
        assert_eq!(lan.to_string(), "http://192.168.1.5:3000");
        let any = PublicOrigins::of_bound_address("0.0.0.0:3000".parse().unwrap());
        assert!(any.allows_host("127.0.0.1:3000") && any.allows_host("localhost:3000"));
        assert!(!any.allows_host("0.0.0.0:3000"));
    }

    #[test]
    fn the_command_line_takes_several_origins_and_refuses_bad_ones() {
        use crate::server::config::{Cli, Command};
        use clap::Parser;
        let parsed = Cli::try_parse_from([
            "control-room",
            "serve",
            "--public-origin",
            "https://orders.example.com",
            "--public-origin",
            "http://10.0.0.5:3000",
        ])
        .unwrap();
        let Command::Serve(args) = parsed.command else {
            panic!("serve")
        };
        assert_eq!(args.public_origins.len(), 2);
        for bad in [
            "evil://127.0.0.1:3000",
            "orders.example.com",
            "https://x/app",
        ] {
            let refused = Cli::try_parse_from(["control-room", "serve", "--public-origin", bad]);
            assert!(refused.is_err(), "{bad}");
        }
    }

    #[test]
    fn configured_origins_replace_the_derived_ones() {
        let configured = origins(&["https://orders.example.com"]);
        assert!(configured.any_https());
        assert!(!configured.allows_host("127.0.0.1:9"));
    }
}
