//! The log output: tracing events from every crate, written to standard error as readable
//! lines or as JSON objects (one per line), filtered by `[log] level`.

use std::io::IsTerminal as _;

use anyhow::{Context, Result};
use tracing_subscriber::EnvFilter;

use crate::config::{LogConfig, LogFormat};

/// The filter of `niveau serve` when `[log] level` is not set.
pub const SERVE_LEVEL: &str = "info";
/// The filter of the other commands when `[log] level` is not set: their results are
/// their output, so only warnings and errors are logged.
pub const COMMAND_LEVEL: &str = "warn";

/// Install the global subscriber with `default_level` unless `[log] level` is set. Call
/// once, before anything logs; a second call (which only tests could make) leaves the
/// first subscriber in place.
pub fn init(config: &LogConfig, default_level: &str) -> Result<()> {
    let level = config.filter(default_level);
    let filter = EnvFilter::try_new(level)
        .with_context(|| format!("log.level: '{level}' is not a log filter"))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let result = match config.format {
        LogFormat::Human => builder
            .with_ansi(std::io::stderr().is_terminal())
            .with_target(true)
            .try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .try_init(),
    };
    // The only error is "a subscriber is already set", which keeps the first one.
    let _ = result;
    Ok(())
}
