//! The lobby boards, built once per change instead of once per read.
//!
//! A board changes only with an event (a call, a ticket issued, new settings) or when the
//! service day turns. Each site's board is kept with the id of the newest event it includes,
//! the configuration it was built with, and its service day; it is served again while all
//! three are current.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jiff::civil::Date;
use seira_protocol::Board;

use crate::config::Config;

struct Kept {
    board: Arc<Board>,
    config: Arc<Config>,
    day: Date,
}

#[derive(Default)]
pub struct BoardCache {
    boards: Mutex<HashMap<String, Kept>>,
}

impl BoardCache {
    /// The site's board, if it was built with `config` on `day` and includes exactly the
    /// events up to `newest_event`.
    pub fn get(
        &self,
        site: &str,
        config: &Arc<Config>,
        day: Date,
        newest_event: i64,
    ) -> Option<Arc<Board>> {
        let boards = self.boards.lock().unwrap_or_else(|e| e.into_inner());
        boards
            .get(site)
            .filter(|k| {
                k.board.last_event_id == newest_event
                    && k.day == day
                    && Arc::ptr_eq(&k.config, config)
            })
            .map(|k| k.board.clone())
    }

    pub fn put(&self, board: Arc<Board>, config: Arc<Config>, day: Date) {
        let mut boards = self.boards.lock().unwrap_or_else(|e| e.into_inner());
        boards.insert(board.site.clone(), Kept { board, config, day });
    }
}
