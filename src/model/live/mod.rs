//! The live stream as both ends see it: the topics a page follows, how one
//! page's stream is shared by its widgets, and the names of its frames.

pub mod page_stream;
pub mod sse;
pub mod topic;
