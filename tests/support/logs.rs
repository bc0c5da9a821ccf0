//! Every log line of the test process, in the service's production format
//! (`telemetry::subscriber`: JSON lines and EMF records), captured from every thread: the
//! test's own, a multi-threaded runtime's workers, and the blocking pool where the
//! embedded store runs its transactions. A test can so check that nothing logged
//! anywhere holds a secret; a subscriber of the test's thread alone would miss what the
//! other threads log.
//!
//! Captured: `info` and above from every crate (what production logs by default), and
//! everything the service's own crates log, down to `trace`. Printed for the test runner
//! (shown when a test fails): warnings and errors, or all that is captured when
//! `RUST_LOG` is set.

use std::io;
use std::sync::{Arc, Mutex, Once};

use invites_shared::telemetry;
use tracing::{Level, Metadata};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// The filter of the capture: `invites` is the prefix of the service's crates and targets.
const CAPTURED: &str = "info,invites=trace";

static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());
static INSTALL: Once = Once::new();

/// Installs the capture as the process's global subscriber, once (every `spawn_app`
/// does). A test that sets a subscriber of its own for its thread (`set_default`)
/// takes that thread's events out of the capture.
pub fn install() {
    INSTALL.call_once(|| {
        tracing::subscriber::set_global_default(telemetry::subscriber(Capture, EnvFilter::new(CAPTURED)))
            .expect("no other global subscriber is installed in a test process");
    });
}

/// Everything captured so far, from every test of this process.
pub fn captured() -> String {
    install();
    String::from_utf8(LOGS.lock().unwrap().clone()).expect("the logs are UTF-8")
}

#[derive(Clone, Copy)]
struct Capture;

struct CaptureWriter {
    print: bool,
}

impl io::Write for CaptureWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        LOGS.lock().unwrap().extend_from_slice(buf);
        if self.print {
            // `print!`, not stdout: the test runner captures it per test.
            print!("{}", String::from_utf8_lossy(buf));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = CaptureWriter;

    fn make_writer(&'a self) -> CaptureWriter {
        CaptureWriter { print: false }
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> CaptureWriter {
        CaptureWriter {
            print: *meta.level() <= Level::WARN || std::env::var_os("RUST_LOG").is_some(),
        }
    }
}

/// Log lines kept in memory: the writer of a subscriber a test installs for its own
/// thread (with the production formatting), read back as text or JSON lines.
#[derive(Clone, Default)]
pub struct Buffer(Arc<Mutex<Vec<u8>>>);

pub struct BufferWriter(Arc<Mutex<Vec<u8>>>);

impl io::Write for BufferWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = BufferWriter;

    fn make_writer(&'a self) -> BufferWriter {
        BufferWriter(self.0.clone())
    }
}

impl Buffer {
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).expect("the logs are UTF-8")
    }

    /// Every line, each asserted to be one JSON object.
    pub fn lines(&self) -> Vec<serde_json::Value> {
        self.text()
            .lines()
            .map(|line| {
                let value: serde_json::Value =
                    serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
                assert!(value.is_object(), "not a JSON object: {line}");
                value
            })
            .collect()
    }
}
