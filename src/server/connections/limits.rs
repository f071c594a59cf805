//! How many connections the server holds at once: a global cap and a cap per
//! peer address, counted apart for ordinary HTTP connections and for live
//! streams (a thousand viewers of one order must fit while a flood of idle
//! sockets does not). A connection holds a [`Permit`] for as long as it is
//! open; dropping the permit gives its place back.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// The caps, from the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// Ordinary connections (requests, keep-alive, streams not yet sorted).
    pub connections: usize,
    pub connections_per_address: usize,
    /// Connections serving a live stream.
    pub streams: usize,
    pub streams_per_address: usize,
}

impl Caps {
    /// The caps lowered so that, together, they fit in `descriptors` open
    /// files with `reserve` left for the store and everything else. Streams
    /// give up their share first; each pool keeps at least one place.
    pub fn within(self, descriptors: usize, reserve: usize) -> Caps {
        let room = descriptors.saturating_sub(reserve).max(2);
        let connections = self.connections.min(room / 2).max(1);
        let streams = self.streams.min(room - connections).max(1);
        Caps {
            connections,
            connections_per_address: self.connections_per_address.min(connections),
            streams,
            streams_per_address: self.streams_per_address.min(streams),
        }
    }
}

/// Descriptors kept for the store, the log and accepting, beyond the caps.
const RESERVED_FILES: usize = 64;

impl Caps {
    /// These caps, lowered to fit this process's open-file limit (raised to
    /// its hard maximum first), so a full server refuses connections instead
    /// of failing on "too many open files".
    pub fn fitted(self) -> Caps {
        let Some(files) = raise_open_file_limit() else {
            return self;
        };
        let fitted = self.within(files, RESERVED_FILES);
        if fitted != self {
            tracing::warn!(
                files,
                ?fitted,
                "connection caps lowered to fit the open-file limit"
            );
        }
        fitted
    }
}

/// Which count a permit is part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pool {
    Connections,
    Streams,
}

/// Why a connection was turned away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Full {
    #[error("the server holds as many {0:?} as it may")]
    Global(Pool),
    #[error("this address holds as many {0:?} as it may")]
    Address(Pool),
}

#[derive(Debug, Default, Clone, Copy)]
struct Held {
    connections: usize,
    streams: usize,
}

impl Held {
    fn of(&mut self, pool: Pool) -> &mut usize {
        match pool {
            Pool::Connections => &mut self.connections,
            Pool::Streams => &mut self.streams,
        }
    }
}

/// The counts, shared by every connection task.
#[derive(Debug)]
pub struct Limits {
    caps: Caps,
    held: Mutex<(Held, HashMap<IpAddr, Held>)>,
}

/// One connection's place; given back on drop.
#[derive(Debug)]
pub struct Permit {
    limits: Arc<Limits>,
    address: IpAddr,
    pool: Pool,
}

impl Limits {
    pub fn new(caps: Caps) -> Arc<Limits> {
        Arc::new(Limits {
            caps,
            held: Mutex::new((Held::default(), HashMap::new())),
        })
    }

    fn cap(&self, pool: Pool) -> (usize, usize) {
        match pool {
            Pool::Connections => (self.caps.connections, self.caps.connections_per_address),
            Pool::Streams => (self.caps.streams, self.caps.streams_per_address),
        }
    }

    /// A place for a new connection from `address`.
    pub fn admit(self: &Arc<Self>, address: IpAddr) -> Result<Permit, Full> {
        self.take(address, Pool::Connections)?;
        Ok(Permit {
            limits: self.clone(),
            address,
            pool: Pool::Connections,
        })
    }

    fn take(&self, address: IpAddr, pool: Pool) -> Result<(), Full> {
        let (global_cap, address_cap) = self.cap(pool);
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        let (total, per_address) = &mut *held;
        if *total.of(pool) >= global_cap {
            return Err(Full::Global(pool));
        }
        let mine = per_address.entry(address).or_default();
        if *mine.of(pool) >= address_cap {
            if mine.connections == 0 && mine.streams == 0 {
                per_address.remove(&address);
            }
            return Err(Full::Address(pool));
        }
        *mine.of(pool) += 1;
        *total.of(pool) += 1;
        Ok(())
    }

    fn give_back(&self, address: IpAddr, pool: Pool) {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        let (total, per_address) = &mut *held;
        *total.of(pool) = total.of(pool).saturating_sub(1);
        if let Some(mine) = per_address.get_mut(&address) {
            *mine.of(pool) = mine.of(pool).saturating_sub(1);
            if mine.connections == 0 && mine.streams == 0 {
                per_address.remove(&address);
            }
        }
    }

    /// Open connections and open streams now.
    pub fn open(&self) -> (usize, usize) {
        let held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        (held.0.connections, held.0.streams)
    }
}

impl Permit {
    /// Moves this connection from the ordinary pool to the streams pool. On
    /// refusal the connection keeps its ordinary place (and is answered, then
    /// closed, by the caller).
    pub fn into_stream(self) -> Result<Permit, (Permit, Full)> {
        if self.pool == Pool::Streams {
            return Ok(self);
        }
        match self.limits.take(self.address, Pool::Streams) {
            Ok(()) => {
                let stream = Permit {
                    limits: self.limits.clone(),
                    address: self.address,
                    pool: Pool::Streams,
                };
                drop(self);
                Ok(stream)
            }
            Err(full) => Err((self, full)),
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.limits.give_back(self.address, self.pool);
    }
}

/// Raises the soft limit on open files to the hard limit (as servers do:
/// the default soft limit is often 1,024) and returns the limit now in force,
/// if known.
fn raise_open_file_limit() -> Option<usize> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `getrlimit` and `setrlimit` read and write only the struct we own.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return None;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    (limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps() -> Caps {
        Caps {
            connections: 3,
            connections_per_address: 2,
            streams: 4,
            streams_per_address: 3,
        }
    }

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, last])
    }

    #[test]
    fn an_address_is_held_to_its_share_and_the_server_to_its_total() {
        let limits = Limits::new(caps());
        let a1 = limits.admit(ip(1)).unwrap();
        let _a2 = limits.admit(ip(1)).unwrap();
        assert_eq!(
            limits.admit(ip(1)).unwrap_err(),
            Full::Address(Pool::Connections)
        );
        let _b1 = limits.admit(ip(2)).unwrap();
        assert_eq!(
            limits.admit(ip(3)).unwrap_err(),
            Full::Global(Pool::Connections)
        );
        drop(a1);
        assert!(limits.admit(ip(3)).is_ok());
        assert_eq!(limits.open(), (2, 0));
    }

    #[test]
    fn streams_are_counted_apart_and_free_their_ordinary_place() {
        let limits = Limits::new(caps());
        let streams: Vec<Permit> = (0..3)
            .map(|_| limits.admit(ip(1)).unwrap().into_stream().unwrap())
            .collect();
        assert_eq!(limits.open(), (0, 3));
        // The address still has its ordinary places while it watches.
        let plain = limits.admit(ip(1)).unwrap();
        let (kept, full) = limits
            .admit(ip(1))
            .unwrap()
            .into_stream()
            .expect_err("a fourth stream from one address is refused");
        assert_eq!(full, Full::Address(Pool::Streams));
        assert_eq!(kept.pool, Pool::Connections);
        drop((streams, plain, kept));
        assert_eq!(limits.open(), (0, 0));
        assert!(limits.held.lock().unwrap().1.is_empty(), "no address left");
    }

    #[test]
    fn caps_shrink_to_fit_the_descriptors() {
        let wide = Caps {
            connections: 1024,
            connections_per_address: 256,
            streams: 10_000,
            streams_per_address: 4_000,
        };
        let fitted = wide.within(1024, 64);
        assert_eq!(fitted.connections, 480);
        assert_eq!(fitted.streams, 480);
        assert!(fitted.connections + fitted.streams <= 1024 - 64);
        assert_eq!(fitted.streams_per_address, 480);
        assert_eq!(wide.within(1_000_000, 64), wide);
    }
}
