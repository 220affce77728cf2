//! `audit`: a written report folder read back and checked, independently of the code
//! that hid its small counts ([`crate::analysis::disclosure::recheck`]).

use std::path::Path;

use crate::analysis::disclosure::recheck::{recheck, Finding};
use crate::ingest::published::read_report;

/// What the audit of a folder found.
pub struct Audited {
    /// Files read.
    pub files: Vec<String>,
    /// Figures read (cells and properties).
    pub readings: usize,
    /// Counts the manifest names.
    pub counts: usize,
    /// The leaks and inconsistencies found; none means the folder is safe to publish.
    pub findings: Vec<Finding>,
}

/// Reads the report folder `dir` and audits it.
pub fn audit_folder(dir: &Path) -> anyhow::Result<Audited> {
    let back = read_report(dir)?;
    let findings = recheck(&back.manifest, &back.readings)
        .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
    Ok(Audited {
        files: back.files,
        readings: back.readings.len(),
        counts: back
            .manifest
            .figures
            .iter()
            .filter(|f| matches!(f.figure, crate::model::publication::Figure::Count(_)))
            .count(),
        findings,
    })
}
