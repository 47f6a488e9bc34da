//! Giving freed memory back to the system.
//!
//! glibc keeps what a thread frees in that thread's arena for its next allocation, and the
//! server's threads (tokio's workers, the blocking pool, the writer) each get one. After a
//! busy hour, most of it is free but still counted in the process's memory. The housekeeping
//! calls [`give_back`] every 30 s, so a server at rest is as small as what it really holds.

/// Returns the free memory of every arena to the system. A no-op where the C library is not
/// glibc.
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists, under its own locks; it
    // takes no pointer from us and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
