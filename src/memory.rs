//! The process's memory as the system sees it.

use polars::prelude::{DataFrame, PolarsResult};

/// Gives memory the allocator holds but no longer uses back to the system. glibc
/// keeps freed blocks below its mapping threshold (which grows up to 32 MiB with the
/// blocks freed) for reuse; after a large frame is copied into one piece, the parts
/// it was copied from would stay counted against the process until it ends. Measured
/// on 12 M rows of CSV: 1,8 GB less held after the accepted rows are put together.
/// Elsewhere than glibc this does nothing.
pub fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists (under its locks)
    // and releases whole free pages; it touches no memory in use.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// How much freed memory at the top of a heap glibc keeps for reuse (instead of 128
/// KiB, or twice a mapping threshold grown with the blocks freed).
const KEPT_FOR_REUSE: usize = 256 << 20;

/// Blocks below this size come from the heap, not a mapping of their own: glibc's
/// largest dynamic threshold on 64 bits, which setting the trim threshold would
/// otherwise freeze wherever it happened to be.
const MAPPED_FROM: usize = 32 << 20;

/// Lets the allocator keep freed memory for reuse instead of giving it back at once
/// ([`KEPT_FOR_REUSE`]), and serves blocks up to [`MAPPED_FROM`] from the heap. The
/// disclosure audit copies one solver state of several MB per target and drops it
/// after a few steps: given back and taken again, every copy faulted in its pages
/// anew (Åsele over seventeen years: system time 0,25 → 0,12 s, 1,55 → 1,45 s in
/// all). [`return_freed_memory`] still gives back what it is asked to. Call it before
/// any other thread starts: glibc's `mallopt` is not safe while others allocate.
/// Elsewhere than glibc this does nothing.
pub fn keep_freed_memory_for_reuse() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt sets two of the allocator's own parameters; it is called before
    // the program starts any thread (see above), so no allocation runs beside it.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MAPPED_FROM as libc::c_int);
        libc::mallopt(libc::M_TRIM_THRESHOLD, KEPT_FOR_REUSE as libc::c_int);
    }
}

/// The least a column's parts must hold for giving them back to be worth its cost:
/// returning memory walks the whole heap (about 2 ms on a heap of a few GB, and the
/// threads take turns), so a store's small municipalities, read one per core, keep
/// theirs for reuse. Measured: `aggregate --all` over 290 municipalities went from
/// 16 s to 60 s when every column was given back.
const WORTH_RETURNING: usize = 8 << 20;

/// `frame` with every column in one chunk, copied a column per core at a time and each
/// column's old chunks given back once it is copied, so that the frame is never held
/// twice (only as many columns as there are cores). Later steps then work on whole
/// columns: a frame of many chunks (parts of a file, partitions of a store) is
/// otherwise copied by the first step that needs its columns aligned, all columns at
/// once.
pub fn in_one_chunk(frame: DataFrame) -> PolarsResult<DataFrame> {
    use rayon::prelude::*;
    let height = frame.height();
    // A column per core at a time: the frame is then held twice by at most as many
    // columns as there are cores.
    let columns = frame
        .into_columns()
        .into_par_iter()
        .map(|parts| {
            if parts.n_chunks() == 1 {
                return parts;
            }
            let large = parts.as_materialized_series().estimated_size() >= WORTH_RETURNING;
            let whole = parts.rechunk();
            drop(parts);
            if large {
                return_freed_memory();
            }
            whole
        })
        .collect();
    DataFrame::new(height, columns)
}
