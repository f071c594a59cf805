//! Every native integration test in one binary, so the 2-core CI machine links
//! one test executable instead of one per file. Each module is one area; they
//! share the support module (a real server on port 0 over a fresh temp store).

mod support;

mod access;
mod adapters_fuzz;
mod assets;
mod auth;
mod customer;
mod desk_actions;
mod detectors;
mod edge;
mod exceptions;
mod export;
mod history;
mod ingest;
mod integrations;
mod language;
mod lens_notes;
mod lens_roles;
mod list_pages;
mod live_exactness;
mod live_stream;
mod mentions;
mod money;
mod projection;

mod request_logs;
mod routing;
mod search;
mod server_fns;
mod sign_in;
mod stream_session;
mod tracking;
mod tracking_edge;
mod user_roles;
mod warehouses;
