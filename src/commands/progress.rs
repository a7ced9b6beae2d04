//! Progress of a build on a terminal: a bar that appears once the build has
//! taken about a second (large editions, many letters), names the stage
//! and counts the documents typeset. Nothing is drawn when stderr is not a
//! terminal, nor for builds that finish sooner.

use std::io::IsTerminal;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before its progress is shown.
const DELAY: Duration = Duration::from_millis(1000);

/// The progress of one build; cleared from the terminal when dropped.
pub struct Progress {
    bar: ProgressBar,
    // Dropping the sender tells the thread that would show the bar that the
    // build is over.
    stop: Option<Sender<()>>,
    shower: Option<JoinHandle<()>>,
}

impl Progress {
    /// Progress shown on stderr after [`DELAY`], if stderr is a terminal.
    pub fn start() -> Progress {
        if std::io::stderr().is_terminal() {
            Progress::after(DELAY, ProgressDrawTarget::stderr())
        } else {
            Progress::hidden()
        }
    }

    /// Progress that is never shown.
    pub fn hidden() -> Progress {
        Progress {
            bar: ProgressBar::hidden(),
            stop: None,
            shower: None,
        }
    }

    /// Progress drawn to `target` once `delay` has passed.
    fn after(delay: Duration, target: ProgressDrawTarget) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} {msg:40!} [{bar:24}] {pos}/{len} documents, {elapsed}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let shown = bar.clone();
        let shower = std::thread::spawn(move || {
            if let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(delay) {
                shown.set_draw_target(target);
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress {
            bar,
            stop: Some(stop),
            shower: Some(shower),
        }
    }

    /// Names the stage the build is in.
    pub fn stage(&self, what: impl Into<String>) {
        self.bar.set_message(what.into());
    }

    /// Sets the number of documents to typeset.
    pub fn documents(&self, n: usize) {
        self.bar.set_length(n as u64);
    }

    /// Runs `print` with the bar hidden, so that messages and the bar do
    /// not garble each other.
    pub fn suspend<R>(&self, print: impl FnOnce() -> R) -> R {
        self.bar.suspend(print)
    }

    /// Counts one more document as typeset.
    pub fn document_done(&self) {
        self.bar.inc(1);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // Stop the thread first, so the bar cannot appear after it is cleared.
        drop(self.stop.take());
        if let Some(shower) = self.shower.take() {
            let _ = shower.join();
        }
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Debug;
    use std::io;
    use std::sync::{Arc, Mutex};

    use indicatif::TermLike;

    use super::*;

    /// A terminal that records what is written to it.
    #[derive(Debug, Clone, Default)]
    struct Recorder(Arc<Mutex<String>>);

    impl Recorder {
        fn text(&self) -> String {
            self.0.lock().unwrap().clone()
        }
    }

    impl TermLike for Recorder {
        fn width(&self) -> u16 {
            100
        }
        fn move_cursor_up(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> io::Result<()> {
            self.write_str(s)?;
            self.write_str("\n")
        }
        fn write_str(&self, s: &str) -> io::Result<()> {
            self.0.lock().unwrap().push_str(s);
            Ok(())
        }
        fn clear_line(&self) -> io::Result<()> {
            self.write_str("<clear>")
        }
        fn flush(&self) -> io::Result<()> {
            Ok(())
        }
    }

    fn recorded(delay: Duration, work: Duration) -> String {
        let term = Recorder::default();
        let progress =
            Progress::after(delay, ProgressDrawTarget::term_like(Box::new(term.clone())));
        progress.documents(17);
        progress.stage("typesetting korpsmonitor-2010.pdf");
        progress.document_done();
        progress.document_done();
        std::thread::sleep(work);
        drop(progress);
        term.text()
    }

    #[test]
    fn a_build_that_ends_before_the_delay_draws_nothing() {
        assert_eq!(recorded(Duration::from_secs(60), Duration::ZERO), "");
    }

    #[test]
    fn a_longer_build_draws_stage_and_count_and_clears_them() {
        let text = recorded(Duration::from_millis(10), Duration::from_millis(400));
        assert!(text.contains("typesetting korpsmonitor-2010.pdf"), "{text}");
        assert!(text.contains("2/17 documents"), "{text}");
        assert!(text.ends_with("<clear>"), "{text}");
    }
}
