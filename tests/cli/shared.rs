//! Access to the real public data sets in `../shared/data/` beside the project. A fresh
//! clone elsewhere has no `../shared`: tests then say plainly that they were skipped,
//! unless `LAGESBILD_REQUIRE_SHARED=1` (set by `.ci/run`) makes that a failure.

use std::path::PathBuf;

/// The path of a file under `../shared/data/`, or `None` (with a message) when the
/// shared folder is absent and not required.
pub fn shared_data(relative: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(relative);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("LAGESBILD_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!(
            "{} saknas, och LAGESBILD_REQUIRE_SHARED=1 kräver den",
            path.display()
        );
    }
    eprintln!(
        "SKIPPED: {} saknas (ingen ../shared bredvid projektet); testet hoppades över",
        path.display()
    );
    None
}
