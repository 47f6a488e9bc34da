//! Group commit: the server's writes, batched into shared transactions by one writer thread.
//!
//! With `synchronous=FULL` every commit waits for the disk's fsync, and one writer connection
//! commits one transaction at a time. While one commit waits for the disk, the next requests
//! queue up here; the writer thread then runs all of them in one transaction, each inside its
//! own savepoint, and commits once. Each request keeps its guarantee:
//!
//! - its answer is sent only after the commit that holds its changes has returned, so an
//!   acknowledged ticket survives a power cut exactly as before;
//! - an operation that fails rolls back to its savepoint: its changes vanish, the others'
//!   stay (the same as one transaction each, run one after the other);
//! - if the transaction as a whole is lost (a failed commit, a full disk), every operation of
//!   the batch is answered with the error, and none of them happened.
//!
//! Each operation's `on_commit` runs on this thread right after the commit, in commit order,
//! before its caller hears the answer: the server publishes events there, so the event streams
//! see them in the order of their ids.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc;

use rusqlite::{Transaction, TransactionBehavior};
use tokio::sync::oneshot;

use super::{Store, StoreError};

/// The most operations in one transaction. The batch is as large as what queued during the
/// previous commit, so it is rarely reached; it bounds the wait of the batch's first request.
const MAX_BATCH: usize = 64;

/// One operation waiting for the writer.
pub(super) trait Job: Send {
    /// Runs inside the batch's transaction. `false` when it failed, so that its savepoint is
    /// rolled back.
    fn run(&mut self, tx: &Transaction<'_>) -> bool;
    /// Answers its caller once the batch's fate is known.
    fn finish(self: Box<Self>, committed: Result<(), &StoreError>);
}

/// A closure and its caller's reply channel.
pub(super) struct WriteJob<F, T, E, C> {
    pub(super) op: Option<F>,
    pub(super) outcome: Option<Result<T, E>>,
    pub(super) on_commit: Option<C>,
    pub(super) reply: oneshot::Sender<Result<T, E>>,
}

impl<F, T, E, C> Job for WriteJob<F, T, E, C>
where
    F: FnOnce(&Transaction<'_>) -> Result<T, E> + Send,
    T: Send,
    E: From<StoreError> + Send,
    C: FnOnce(&T) + Send,
{
    fn run(&mut self, tx: &Transaction<'_>) -> bool {
        let Some(op) = self.op.take() else {
            return false;
        };
        // A panic is one failed operation, not a dead writer: the savepoint undoes it.
        let outcome = catch_unwind(AssertUnwindSafe(|| op(tx))).unwrap_or_else(|_| {
            Err(E::from(StoreError::Task(
                "the operation panicked; nothing was changed".to_owned(),
            )))
        });
        let ok = outcome.is_ok();
        self.outcome = Some(outcome);
        ok
    }

    fn finish(self: Box<Self>, committed: Result<(), &StoreError>) {
        let this = *self;
        let answer = match (this.outcome, committed) {
            (Some(Ok(value)), Ok(())) => {
                if let Some(on_commit) = this.on_commit {
                    on_commit(&value);
                }
                Ok(value)
            }
            (Some(Err(e)), _) => Err(e),
            (_, Err(e)) if e.is_disk_full() => Err(E::from(StoreError::DiskFull)),
            (_, Err(e)) => Err(E::from(StoreError::Commit(e.to_string()))),
            (None, Ok(())) => Err(E::from(StoreError::Task(
                "the operation was not run".to_owned(),
            ))),
        };
        // The caller may have gone (a closed connection): its change stands all the same.
        let _ = this.reply.send(answer);
    }
}

/// The sending end: where [`super::Db`] queues its writes.
#[derive(Debug)]
pub(super) struct Writer {
    jobs: mpsc::Sender<Box<dyn Job>>,
}

impl Writer {
    /// Starts the writer thread on `store`. It ends when the last `Writer` is dropped.
    pub(super) fn start(store: Arc<Store>) -> std::io::Result<Writer> {
        let (jobs, queue) = mpsc::channel::<Box<dyn Job>>();
        std::thread::Builder::new()
            .name("seira-writer".to_owned())
            .spawn(move || {
                while let Ok(first) = queue.recv() {
                    let mut batch = vec![first];
                    while batch.len() < MAX_BATCH {
                        match queue.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                    store.write_batch(batch);
                }
            })?;
        Ok(Writer { jobs })
    }

    /// Queues a job; `false` when the writer thread is gone.
    pub(super) fn send(&self, job: Box<dyn Job>) -> bool {
        self.jobs.send(job).is_ok()
    }
}

impl Store {
    /// Runs `jobs` in one transaction, each in its own savepoint, commits, then answers each
    /// in order.
    pub(super) fn write_batch(&self, mut jobs: Vec<Box<dyn Job>>) {
        let result = {
            let mut conn = self.writer.lock().unwrap_or_else(|e| e.into_inner());
            run_batch(&mut conn, &mut jobs)
        };
        let committed = result.as_ref().map(|_| ());
        for job in jobs {
            // A panic after the commit (in publishing) must not take the writer down with it:
            // the change stands, and that caller alone hears that the writer failed it.
            if catch_unwind(AssertUnwindSafe(|| job.finish(committed))).is_err() {
                tracing::error!("publishing a committed change panicked");
            }
        }
    }
}

fn run_batch(conn: &mut rusqlite::Connection, jobs: &mut [Box<dyn Job>]) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let step = |sql: &str| tx.prepare_cached(sql).and_then(|mut s| s.execute([]));
    for job in jobs.iter_mut() {
        step("SAVEPOINT job")?;
        if job.run(&tx) {
            step("RELEASE job")?;
        } else {
            if tx.is_autocommit() {
                // SQLite rolled the whole transaction back (a full disk, an I/O error): the
                // batch's earlier operations are gone too.
                return Err(StoreError::Commit(
                    "the transaction was rolled back by the database".to_owned(),
                ));
            }
            tx.execute_batch("ROLLBACK TO job; RELEASE job")?;
        }
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::{Db, Store, StoreError};

    fn count(db: &Db) -> i64 {
        db.store()
            .read(|tx| {
                tx.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
                    .map_err(StoreError::from)
            })
            .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writes_share_commits_and_each_keeps_its_own_outcome() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(&dir.path().join("w.db")).unwrap());
        store
            .write(|tx| {
                tx.execute_batch("CREATE TABLE t (x INTEGER UNIQUE)")
                    .map_err(StoreError::from)
            })
            .unwrap();
        let db = Db::new(store).unwrap();
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for i in 0..200i64 {
            let db = db.clone();
            let order = order.clone();
            tasks.push(tokio::spawn(async move {
                db.write_then(
                    move |tx| {
                        tx.execute("INSERT INTO t (x) VALUES (?1)", [i])?;
                        match i % 10 {
                            // Fails after writing: its row must vanish, the others stay.
                            3 => Err(StoreError::Corrupt(format!("refused {i}"))),
                            // A panic is one failed operation, not a dead writer.
                            7 => panic!("operation {i} panics"),
                            _ => Ok(i),
                        }
                    },
                    move |i| order.lock().unwrap().push(*i),
                )
                .await
            }));
        }
        let mut ok = 0;
        for (i, task) in tasks.into_iter().enumerate() {
            match (i % 10, task.await.unwrap()) {
                (3, Err(StoreError::Corrupt(m))) => assert_eq!(m, format!("refused {i}")),
                (7, Err(StoreError::Task(_))) => {}
                (_, Ok(v)) => {
                    assert_eq!(v, i as i64);
                    ok += 1;
                }
                (_, other) => panic!("operation {i}: {other:?}"),
            }
        }
        assert_eq!(ok, 160);
        assert_eq!(count(&db), 160, "the failed operations left nothing behind");
        // `on_commit` ran once for each committed operation.
        assert_eq!(order.lock().unwrap().len(), 160);
        // The writer is still there.
        db.write(|tx| {
            tx.execute("INSERT INTO t (x) VALUES (1000)", [])
                .map_err(StoreError::from)
        })
        .await
        .unwrap();
        assert_eq!(count(&db), 161);
    }
}
