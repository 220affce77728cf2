//! The one way lagesbild puts a file or a folder on disk: written whole under a
//! temporary name created exclusively (never through a symlink, never over an existing
//! name), then moved into place in one step, so that a reader – or a run killed at any
//! instant – finds the old version or the new one, never half of either.
//!
//! Temporary names are `.NAME.tmp-PID-RANDOM`, beside the target: a later run removes
//! those whose process is gone.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The files and folders this run reads, by their canonical paths. Nothing is written
/// over them or into them: an output named like an input (`aggregate in.csv -o in.csv`,
/// a table written into the store it was counted from) would destroy the input.
static READ_BY_THIS_RUN: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Records that this run reads `path` (a file, or a folder such as a store), so that
/// [`write_atomically`] and [`swap_in`] refuse to write over it or into it. A path that
/// cannot be resolved is not there, so nothing could overwrite it.
pub fn mark_read(path: &Path) {
    let Ok(path) = path.canonicalize() else {
        return;
    };
    let mut read = READ_BY_THIS_RUN.lock().unwrap_or_else(|e| e.into_inner());
    if !read.contains(&path) {
        read.push(path);
    }
}

/// The files this run has written, by their resolved paths: a second output of the
/// same run to one of them (`--rejects o.csv -o o.csv`) would replace the first.
static WRITTEN_BY_THIS_RUN: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Why a write was refused: it would replace another output of the same run.
#[derive(Debug)]
pub struct WrittenByThisRun;

impl std::fmt::Display for WrittenByThisRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("skrivs redan av körningen")
    }
}

impl std::error::Error for WrittenByThisRun {}

/// An error when this run has written `target` already: for a command's outputs named
/// on its command line, one of which would otherwise replace another (a library caller
/// may write a file again, such as the rejects of a project loaded twice).
pub fn refuse_second_output(target: &Path) -> std::io::Result<()> {
    let target = resolved(target);
    let written = WRITTEN_BY_THIS_RUN
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if written.contains(&target) {
        return Err(std::io::Error::other(WrittenByThisRun));
    }
    Ok(())
}

/// Records that this run wrote `target` ([`refuse_second_output`]).
fn record_output(target: &Path) {
    let target = resolved(target);
    let mut written = WRITTEN_BY_THIS_RUN
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if !written.contains(&target) {
        written.push(target);
    }
}

/// Why a write was refused: it would replace or go into something this run reads.
#[derive(Debug)]
pub struct WouldOverwriteInput {
    /// The file or folder read.
    pub input: PathBuf,
}

impl std::fmt::Display for WouldOverwriteInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} läses av körningen", self.input.display())
    }
}

impl std::error::Error for WouldOverwriteInput {}

/// `target` as the system will find it: canonical where it exists, else its nearest
/// existing ancestor made canonical with the rest of the path joined on.
fn resolved(target: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = std::path::absolute(target).unwrap_or_else(|_| target.to_owned());
    let parts: Vec<Component> = absolute.components().collect();
    for n in (1..=parts.len()).rev() {
        let Ok(real) = parts[..n].iter().collect::<PathBuf>().canonicalize() else {
            continue;
        };
        // What does not exist yet holds no symlink: its `..` and `.` are taken as
        // written, as the system will when the folders are made (`x/../o.csv`).
        return parts[n..].iter().fold(real, |mut path, part| {
            match part {
                Component::ParentDir => {
                    path.pop();
                }
                Component::CurDir => {}
                other => path.push(other),
            }
            path
        });
    }
    absolute
}

/// Whether `a` and `b` name the same file or folder, as the system resolves both
/// (`x/../in.csv` and `in.csv`; either may not exist yet).
pub fn same_place(a: &Path, b: &Path) -> bool {
    resolved(a) == resolved(b)
}

/// Whether `target` is `folder` or lies inside it, as the system resolves both.
pub fn lies_in(target: &Path, folder: &Path) -> bool {
    resolved(target).starts_with(resolved(folder))
}

/// An error when writing `target` would replace something this run reads or go into a
/// folder it reads; with `whole_folder`, also when `target` (a folder to be replaced)
/// holds something read.
fn refuse_writing_over_inputs(target: &Path, whole_folder: bool) -> std::io::Result<()> {
    let target = resolved(target);
    let read = READ_BY_THIS_RUN.lock().unwrap_or_else(|e| e.into_inner());
    let hit = read
        .iter()
        .find(|input| target.starts_with(input) || (whole_folder && input.starts_with(&target)));
    match hit {
        Some(input) => Err(std::io::Error::other(WouldOverwriteInput {
            input: input.clone(),
        })),
        None => Ok(()),
    }
}

/// A file-system error as a message that names the path, says what is wrong in plain
/// words and what to do, with the system's own words last; in both languages.
pub fn explain(path: &Path, error: &std::io::Error) -> crate::lang::Said {
    use std::io::ErrorKind as Kind;
    let at = path.display();
    let said = |sv: String, en: String| crate::lang::Said::new(sv, en);
    let advice = |sv: &str, en: &str| {
        said(
            format!("{at}: {sv} ({error})"),
            format!("{at}: {en} ({error})"),
        )
    };
    match error.kind() {
        Kind::NotFound => advice(
            "finns inte, eller en mapp på vägen dit saknas; kontrollera sökvägen",
            "does not exist, or a folder on the way is missing; check the path",
        ),
        Kind::PermissionDenied => advice(
            "behörighet saknas; välj en plats du får läsa och skriva i, eller ändra behörigheten",
            "permission denied; choose a place you may read and write, or change the permissions",
        ),
        Kind::AlreadyExists | Kind::NotADirectory => match file_on_the_way(path) {
            Some(file) => said(
                format!("{at}: {} är en fil, inte en mapp; byt namn på den eller välj en annan plats ({error})", file.display()),
                format!("{at}: {} is a file, not a folder; rename it or choose another place ({error})", file.display()),
            ),
            None => advice("finns redan; välj ett annat namn", "already exists; choose another name"),
        },
        Kind::IsADirectory => advice("är en mapp, inte en fil; ange ett filnamn", "is a folder, not a file; give a file name"),
        Kind::StorageFull => advice(
            "disken är full; frigör utrymme eller välj en annan disk",
            "the disk is full; free some space or choose another disk",
        ),
        Kind::ReadOnlyFilesystem => advice(
            "filsystemet är skrivskyddat; välj en annan plats",
            "the file system is read-only; choose another place",
        ),
        _ if error.get_ref().is_some_and(|e| e.is::<WrittenByThisRun>()) => said(
            format!("{at}: skrivs redan av den här körningen (två utdata till samma fil); välj olika filer"),
            format!("{at}: is already written by this run (two outputs to one file); choose different files"),
        ),
        _ => match error.get_ref().and_then(|e| e.downcast_ref::<WouldOverwriteInput>()) {
            Some(read) if read.input == resolved(path) => said(
                format!("{at}: är indata till den här körningen och skrivs inte över; välj en annan fil att skriva till"),
                format!("{at}: is an input of this run and is not overwritten; choose another file to write to"),
            ),
            Some(read) => said(
                format!("{at}: {} läses av den här körningen, och inget skrivs över eller in i det; välj en plats utanför", read.input.display()),
                format!("{at}: {} is read by this run, and nothing is written over it or into it; choose a place outside it", read.input.display()),
            ),
            None => said(format!("{at}: {error}"), format!("{at}: {error}")),
        },
    }
}

/// The nearest ancestor of `path` that exists and is not a folder.
fn file_on_the_way(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .filter(|a| !a.as_os_str().is_empty())
        .find(|a| std::fs::symlink_metadata(a).is_ok_and(|m| !m.is_dir()))
        .map(Path::to_path_buf)
}

/// Writes a file through a temporary sibling that is flushed, synced and renamed into
/// place. The temporary file is created exclusively with a random name, so a planted
/// symlink or file at a predictable name is never written through.
pub fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    write_atomically_as(path, 0o666, fill)
}

/// [`write_atomically`] for a file only its owner may read (a key).
pub fn write_privately(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    write_atomically_as(path, 0o600, fill)
}

/// [`write_atomically`] with the permissions `mode` (less the umask).
fn write_atomically_as(
    path: &Path,
    mode: u32,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    refuse_writing_over_inputs(path, false)?;
    let dir = parent_of(path);
    std::fs::create_dir_all(dir)?;
    clean_leftovers(path);
    let prefix = temporary_prefix(&file_name(path));
    let mut tmp = temporary(&prefix, mode).tempfile_in(dir)?;
    {
        let mut writer = std::io::BufWriter::new(tmp.as_file_mut());
        fill(&mut writer)?;
        writer.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map(drop).map_err(|e| e.error)?;
    record_output(path);
    Ok(())
}

/// A new, empty folder beside `target`, created exclusively, to fill before
/// [`swap_in`]. It is removed if dropped before that.
pub fn temporary_folder(target: &Path) -> std::io::Result<tempfile::TempDir> {
    refuse_writing_over_inputs(target, true)?;
    let dir = parent_of(target);
    std::fs::create_dir_all(dir)?;
    let prefix = temporary_prefix(&file_name(target));
    temporary(&prefix, 0o777).tempdir_in(dir)
}

/// Puts the filled `folder` in place of `target` in one step. An existing `target` is
/// exchanged atomically where the system can (Linux `renameat2(RENAME_EXCHANGE)`) and
/// then removed; elsewhere it is first renamed aside to `.NAME.old-PID-…`, which
/// [`clean_leftovers`] puts back if the run dies before the new folder is in place.
pub fn swap_in(folder: tempfile::TempDir, target: &Path) -> std::io::Result<()> {
    refuse_writing_over_inputs(target, true)?;
    let tmp = folder.keep();
    let result = swap(&tmp, target);
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

fn swap(tmp: &Path, target: &Path) -> std::io::Result<()> {
    if std::fs::symlink_metadata(target).is_err() {
        return rename_no_replace(tmp, target);
    }
    if exchange(tmp, target)? {
        // `tmp` now holds the old folder.
        return remove_folder(tmp);
    }
    let aside = temporary_name(target, "old");
    std::fs::rename(target, &aside)?;
    std::fs::rename(tmp, target)?;
    remove_folder(&aside)
}

fn remove_folder(path: &Path) -> std::io::Result<()> {
    std::fs::remove_dir_all(path)
}

/// Exchanges two paths atomically; `Ok(false)` where the system or file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::NOTSUP) => {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// Renames `from` to `to`, failing if `to` appeared in the meantime.
#[cfg(target_os = "linux")]
fn rename_no_replace(from: &Path, to: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::NOTSUP) => {
            std::fs::rename(from, to)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn rename_no_replace(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::rename(from, to)
}

/// Removes what killed runs left beside `target`: temporary files and folders whose
/// process is gone. An old folder set aside by the two-step swap is put back when
/// `target` is missing (the run died between the two renames), else removed. Only names
/// lagesbild makes are touched, and only where the system can tell a process is gone.
pub fn clean_leftovers(target: &Path) {
    let (dir, name) = (parent_of(target), file_name(target));
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut found: Vec<(PathBuf, bool)> = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        for (kind, old) in [("tmp", false), ("old", true)] {
            let Some(rest) = file.strip_prefix(&format!(".{name}.{kind}-")) else {
                continue;
            };
            let pid = rest.split('-').next().unwrap_or_default();
            let gone = pid.parse::<u32>().is_ok_and(|pid| {
                pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists()
            });
            if gone {
                found.push((entry.path(), old));
            }
        }
    }
    found.sort();
    for (path, old) in found {
        let is_folder = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if old && is_folder && std::fs::symlink_metadata(target).is_err() {
            let _ = std::fs::rename(&path, target);
        } else if is_folder {
            let _ = std::fs::remove_dir_all(&path);
        } else {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// A builder for a temporary name for `name`, made with ordinary permissions (`mode`
/// less the umask) rather than a temporary file's owner-only ones: a report is there
/// to be read.
fn temporary<'a>(prefix: &'a str, mode: u32) -> tempfile::Builder<'a, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).rand_bytes(8);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    builder
}

/// The prefix of every temporary name lagesbild makes for `name`.
fn temporary_prefix(name: &str) -> String {
    format!(".{name}.tmp-{}-", std::process::id())
}

fn temporary_name(target: &Path, kind: &str) -> PathBuf {
    // The name need not be unpredictable: a rename onto an existing name fails for a
    // folder that is not empty, and `rename` never follows a symlink at the target.
    parent_of(target).join(format!(
        ".{}.{kind}-{}-{}",
        file_name(target),
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ))
}

fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| "fil".into(), |n| n.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path through folders that do not exist yet resolves as the system will take
    /// it once they are made: `x/../o.csv` is `o.csv`.
    #[test]
    fn a_path_through_missing_folders_resolves_to_where_it_will_be() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        assert_eq!(resolved(&dir.path().join("x/../o.csv")), real.join("o.csv"));
        assert_eq!(
            resolved(&dir.path().join("x/./y/../o.csv")),
            real.join("x/o.csv")
        );
        assert!(!lies_in(&dir.path().join("x/../../elsewhere"), dir.path()));
    }

    /// The pid of a process that has ended.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true")
            .spawn()
            .expect("run true");
        let pid = child.id();
        child.wait().expect("wait");
        pid
    }

    #[test]
    fn a_run_killed_between_the_two_renames_gets_its_old_folder_back() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("rapport");
        let pid = dead_pid();
        // The state a two-step swap leaves when killed between its renames: the old
        // report set aside, the new one still temporary, nothing at the target.
        let old = dir.path().join(format!(".rapport.old-{pid}-1"));
        let new = dir.path().join(format!(".rapport.tmp-{pid}-abcdefgh"));
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join("index.html"), "gammal").unwrap();
        std::fs::create_dir_all(&new).unwrap();
        std::fs::write(new.join("index.html"), "halv").unwrap();
        let stale_file = dir.path().join(format!(".rapport.tmp-{pid}-zzzzzzzz"));
        std::fs::write(&stale_file, "halv fil").unwrap();
        clean_leftovers(&target);
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "gammal"
        );
        assert!(!old.exists() && !new.exists() && !stale_file.exists());
    }

    #[test]
    fn leftovers_of_a_living_process_or_of_other_names_are_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("rapport");
        let mine = dir
            .path()
            .join(format!(".rapport.tmp-{}-x", std::process::id()));
        let other = dir.path().join(".annat.tmp-1-x");
        let users = dir.path().join(".rapport.tmp-inte-ett-pid");
        for path in [&mine, &other, &users] {
            std::fs::create_dir_all(path).unwrap();
        }
        clean_leftovers(&target);
        assert!(mine.exists() && other.exists() && users.exists());
    }

    #[test]
    fn a_swap_replaces_a_folder_whole_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("rapport");
        for content in ["första", "andra"] {
            let folder = temporary_folder(&target).unwrap();
            std::fs::write(folder.path().join("index.html"), content).unwrap();
            swap_in(folder, &target).unwrap();
            assert_eq!(
                std::fs::read_to_string(target.join("index.html")).unwrap(),
                content
            );
        }
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["rapport"]);
    }

    #[test]
    fn a_symlink_at_the_target_is_replaced_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("offer.txt");
        std::fs::write(&victim, "orörd").unwrap();
        let path = dir.path().join("ut.csv");
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        write_atomically(&path, |w| w.write_all(b"ny")).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "orörd");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "ny");
        assert!(!std::fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_symlink());
    }
}
