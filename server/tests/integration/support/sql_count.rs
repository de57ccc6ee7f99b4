//! Counting the SQL statements a piece of work runs, inside a test, the way the benchmark
//! counts them (`end2end/bench/sql-count.mjs`): sqlx emits one tracing event with target
//! `sqlx::query` per statement it executes. [`counted`] runs a future inside a span of its
//! own and counts only the events emitted under that span, so tests running at the same
//! time in the same binary do not disturb the count. sqlx's SQLite worker thread enters
//! the span of the task that sent the statement, and server functions run inline in the
//! request's task, so every statement of a request routed with `TestApp::request` counts.
//!
//! Like the benchmark this counts what sqlx logs: on PostgreSQL a transaction's `COMMIT`
//! is a statement and its `BEGIN` is not (sqlx sends it as a simple query); on SQLite
//! neither is.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Instrument, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

const SPAN: &str = "sql_count";

/// Statements seen under each counting span, by the span's `counter` field.
fn counts() -> &'static Mutex<HashMap<u64, Vec<String>>> {
    static COUNTS: OnceLock<Mutex<HashMap<u64, Vec<String>>>> = OnceLock::new();
    COUNTS.get_or_init(Default::default)
}

/// The `counter` field of a counting span, kept in the span's extensions.
struct CounterId(u64);

struct CounterField(Option<u64>);
impl Visit for CounterField {
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "counter" {
            self.0 = Some(value);
        }
    }
    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

/// The statement's summary (its first words), for the failure message.
struct Summary(String);
impl Visit for Summary {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "summary" {
            self.0 = value.to_string();
        }
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" && self.0.is_empty() {
            self.0 = format!("{value:?}");
        }
    }
}

struct CountLayer;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for CountLayer {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != SPAN {
            return;
        }
        let mut field = CounterField(None);
        attrs.record(&mut field);
        if let (Some(n), Some(span)) = (field.0, ctx.span(id)) {
            span.extensions_mut().insert(CounterId(n));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let Some(scope) = ctx.event_scope(event) else {
            return;
        };
        for span in scope {
            if let Some(CounterId(n)) = span.extensions().get::<CounterId>() {
                let mut summary = Summary(String::new());
                event.record(&mut summary);
                counts()
                    .lock()
                    .unwrap()
                    .entry(*n)
                    .or_default()
                    .push(summary.0);
                return;
            }
        }
    }
}

/// Install the counting subscriber for this test binary (once). It records nothing but
/// sqlx's statement events and the counting spans.
fn install() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let filter = tracing_subscriber::filter::filter_fn(|m| {
            m.target() == "sqlx::query" || m.name() == SPAN
        });
        let subscriber = tracing_subscriber::registry().with(CountLayer.with_filter(filter));
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other global tracing subscriber in the test binary");
    });
}

/// Run `work` and return its output with the statements (their summaries, in order) sqlx
/// executed for it.
pub async fn counted<T>(work: impl Future<Output = T>) -> (T, Vec<String>) {
    install();
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let span = tracing::info_span!(target: "sql_count", "sql_count", counter = n);
    let out = work.instrument(span).await;
    let statements = counts().lock().unwrap().remove(&n).unwrap_or_default();
    (out, statements)
}
