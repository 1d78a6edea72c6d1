//! Standard output, a line at a time: a reader that closes it (`evonas run ... | head -1`) ends
//! the command quietly with status 0, as `cat` and `grep` do.

use std::io::{ErrorKind, Write};

/// Why a command stopped early: its output was closed (not a failure), or a message.
pub enum Stop {
    Closed,
    Failed(String),
}

impl From<String> for Stop {
    fn from(message: String) -> Stop {
        Stop::Failed(message)
    }
}

impl From<&str> for Stop {
    fn from(message: &str) -> Stop {
        Stop::Failed(message.to_string())
    }
}

/// Writes one line to standard output and flushes it (a line per generation reaches a pipe as
/// it is made).
pub fn line(text: &str) -> Result<(), Stop> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Err(Stop::Closed),
        Err(e) => Err(Stop::Failed(format!("cannot write to standard output: {e}"))),
    }
}

/// `say!("...", args)`: `line(&format!(...))?`.
macro_rules! say {
    ($($arg:tt)*) => {
        out::line(&format!($($arg)*))?
    };
}
pub(crate) use say;
