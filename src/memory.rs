//! What the reader remembers of an archive between runs — where you were, what you marked —
//! in one SQLite database, `$XDG_STATE_HOME/kanbao/state.sqlite3`. WAL mode and a busy
//! timeout let two kanbao processes on the same archive (two SSH sessions) write at once
//! without losing either's changes; every change is written when it is made. The schema is
//! versioned (`PRAGMA user_version`) and migrated forward; a database from a newer kanbao, a
//! damaged or locked one, or a folder that cannot be written is reported and kanbao works on
//! without memory — it never refuses to read.
//!
//! An article is remembered by its issue's path, its place in the issue and a hash of its
//! headline, so a mark survives a re-parse that keeps the article (found again by its headline
//! when its place moved) and is not pinned to another article that took its place.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

use crate::library::summary_cache::hash64;

/// The migrations, in order: step `n` takes a database from schema `n` to `n + 1`. A step is
/// only ever added, never changed.
const MIGRATIONS: &[&str] = &[
    // 1: positions and marks.
    "CREATE TABLE IF NOT EXISTS positions (
         archive TEXT PRIMARY KEY,
         source TEXT NOT NULL,
         article INTEGER NOT NULL,
         top INTEGER NOT NULL,
         focus INTEGER NOT NULL,
         saved_at INTEGER NOT NULL
     );
     CREATE TABLE IF NOT EXISTS marks (
         archive TEXT NOT NULL,
         source TEXT NOT NULL,
         article INTEGER NOT NULL,
         title_hash TEXT NOT NULL,
         title TEXT NOT NULL,
         marked_at INTEGER NOT NULL,
         PRIMARY KEY (archive, source, article, title_hash)
     );",
    // 2: read state.
    "CREATE TABLE IF NOT EXISTS reads (
         archive TEXT NOT NULL,
         source TEXT NOT NULL,
         article INTEGER NOT NULL,
         title_hash TEXT NOT NULL,
         read_at INTEGER NOT NULL,
         PRIMARY KEY (archive, source, article, title_hash)
     );",
    // 3: notes on articles.
    "CREATE TABLE IF NOT EXISTS notes (
         archive TEXT NOT NULL,
         source TEXT NOT NULL,
         article INTEGER NOT NULL,
         title_hash TEXT NOT NULL,
         note TEXT NOT NULL,
         noted_at INTEGER NOT NULL,
         PRIMARY KEY (archive, source, article, title_hash)
     );",
];

/// The schema this kanbao writes; older databases are migrated up to it.
const SCHEMA: i64 = MIGRATIONS.len() as i64;

/// Where you were in an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// The source path.
    pub source: String,
    /// The article (0-based).
    pub article: usize,
    /// The body's first visible line.
    pub top: usize,
    /// Which pane had the keyboard (0 issues, 1 headlines, 2 body).
    pub focus: u8,
}

/// A remembered article: issue path, place, headline hash.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleKey {
    /// The source path.
    pub source: String,
    /// The article's place in the issue (0-based) when it was remembered.
    pub article: usize,
    /// A hash of its headline then (hex).
    pub title_hash: String,
}

impl ArticleKey {
    /// The key of article `article` of the issue at `source`, headed `title`.
    pub fn new(source: &str, article: usize, title: &str) -> ArticleKey {
        ArticleKey {
            source: source.to_string(),
            article,
            title_hash: title_hash(title),
        }
    }
}

/// The hash a headline is remembered by.
pub fn title_hash(title: &str) -> String {
    format!("{:016x}", hash64(title.as_bytes()))
}

/// An archive's memory.
#[derive(Debug)]
pub struct Memory {
    conn: Connection,
    archive: String,
    path: PathBuf,
}

/// `$XDG_STATE_HOME/kanbao`, or `~/.local/state/kanbao`.
pub fn state_dir() -> Option<PathBuf> {
    crate::config::xdg_dir("XDG_STATE_HOME", ".local/state")
}

/// The name an archive is remembered under: its roots, made absolute, in order.
pub fn archive_name(roots: &[PathBuf]) -> String {
    roots
        .iter()
        .map(|r| r.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

impl Memory {
    /// Opens (creating if need be) the database in `dir` and the memory of `archive`.
    pub fn open(dir: &Path, archive: &str) -> Result<Memory, String> {
        let path = dir.join("state.sqlite3");
        // The reason first: a status line cuts a long path, never what went wrong.
        let failed = |e: &dyn std::fmt::Display| format!("{e} ({})", path.display());
        std::fs::create_dir_all(dir).map_err(|e| failed(&e))?;
        let conn = Connection::open(&path).map_err(|e| failed(&e))?;
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| failed(&e))?;
        let migrated = Memory {
            conn,
            archive: archive.to_string(),
            path: path.clone(),
        };
        match migrated.migrate() {
            Ok(()) => Ok(migrated),
            Err(e) => Err(format!("{e} ({})", path.display())),
        }
    }

    /// Where the database is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn migrate(&self) -> Result<(), String> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(describe)?;
        if version > SCHEMA {
            return Err(format!(
                "made by a newer kanbao (schema {version}, this one knows {SCHEMA})"
            ));
        }
        // WAL: readers never wait for the writer, and two writers queue (busy timeout).
        let _: String = self
            .conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(describe)?;
        for (from, steps) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
            // Each step and its version number in one transaction: two processes starting at
            // once migrate once (the second waits, then finds the tables there).
            self.conn
                .execute_batch(&format!(
                    "BEGIN IMMEDIATE; {steps} PRAGMA user_version = {}; COMMIT;",
                    from + 1
                ))
                .map_err(describe)?;
        }
        Ok(())
    }

    /// Where you were in this archive, if it was saved.
    pub fn position(&self) -> Result<Option<Position>, String> {
        self.conn
            .query_row(
                "SELECT source, article, top, focus FROM positions WHERE archive = ?1",
                params![self.archive],
                |r| {
                    Ok(Position {
                        source: r.get(0)?,
                        article: r.get::<_, i64>(1)?.max(0) as usize,
                        top: r.get::<_, i64>(2)?.max(0) as usize,
                        focus: r.get::<_, i64>(3)?.clamp(0, 2) as u8,
                    })
                },
            )
            .optional()
            .map_err(describe)
    }

    /// Remembers where you are.
    pub fn save_position(&self, position: &Position) -> Result<(), String> {
        self.conn
            .execute(
                "INSERT INTO positions (archive, source, article, top, focus, saved_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(archive) DO UPDATE SET source = ?2, article = ?3, top = ?4,
                     focus = ?5, saved_at = ?6",
                params![
                    self.archive,
                    position.source,
                    position.article as i64,
                    position.top as i64,
                    i64::from(position.focus),
                    now()
                ],
            )
            .map(drop)
            .map_err(describe)
    }

    /// Every marked article of this archive, with the headline it had, oldest first.
    pub fn marks(&self) -> Result<Vec<(ArticleKey, String)>, String> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT source, article, title_hash, title FROM marks WHERE archive = ?1
                 ORDER BY marked_at, source, article",
            )
            .map_err(describe)?;
        let rows = statement
            .query_map(params![self.archive], |r| Ok((article_key(r)?, r.get(3)?)))
            .map_err(describe)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(describe)
    }

    /// Marks (`on`) or unmarks the article `key`, headed `title`.
    pub fn set_mark(&self, key: &ArticleKey, title: &str, on: bool) -> Result<(), String> {
        let result = if on {
            self.conn.execute(
                "INSERT OR IGNORE INTO marks (archive, source, article, title_hash, title, marked_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    self.archive,
                    key.source,
                    key.article as i64,
                    key.title_hash,
                    title,
                    now()
                ],
            )
        } else {
            self.remove(Table::Marks, key)
        };
        result.map(drop).map_err(describe)
    }

    /// Deletes the row of `key` from `table`.
    fn remove(&self, table: Table, key: &ArticleKey) -> rusqlite::Result<usize> {
        let table = match table {
            Table::Marks => "marks",
            Table::Reads => "reads",
            Table::Notes => "notes",
        };
        self.conn.execute(
            &format!(
                "DELETE FROM {table} WHERE archive = ?1 AND source = ?2 AND article = ?3
                 AND title_hash = ?4"
            ),
            params![self.archive, key.source, key.article as i64, key.title_hash],
        )
    }
}

/// The tables keyed by article.
#[derive(Debug, Clone, Copy)]
enum Table {
    Marks,
    Reads,
    Notes,
}

impl Memory {
    /// Every article of this archive that was read.
    pub fn reads(&self) -> Result<Vec<ArticleKey>, String> {
        let mut statement = self
            .conn
            .prepare("SELECT source, article, title_hash FROM reads WHERE archive = ?1")
            .map_err(describe)?;
        let rows = statement
            .query_map(params![self.archive], article_key)
            .map_err(describe)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(describe)
    }

    /// Records the article `key` as read (`true`) or unread.
    pub fn set_read(&self, key: &ArticleKey, read: bool) -> Result<(), String> {
        let result = if read {
            self.conn.execute(
                "INSERT OR IGNORE INTO reads (archive, source, article, title_hash, read_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    self.archive,
                    key.source,
                    key.article as i64,
                    key.title_hash,
                    now()
                ],
            )
        } else {
            self.remove(Table::Reads, key)
        };
        result.map(drop).map_err(describe)
    }
}

impl Memory {
    /// Every note on an article of this archive.
    pub fn notes(&self) -> Result<Vec<(ArticleKey, String)>, String> {
        let mut statement = self
            .conn
            .prepare("SELECT source, article, title_hash, note FROM notes WHERE archive = ?1")
            .map_err(describe)?;
        let rows = statement
            .query_map(params![self.archive], |r| Ok((article_key(r)?, r.get(3)?)))
            .map_err(describe)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(describe)
    }

    /// Keeps `note` on the article `key` (an empty note removes it).
    pub fn set_note(&self, key: &ArticleKey, note: &str) -> Result<(), String> {
        let result = if note.is_empty() {
            self.remove(Table::Notes, key)
        } else {
            self.conn.execute(
                "INSERT INTO notes (archive, source, article, title_hash, note, noted_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(archive, source, article, title_hash)
                 DO UPDATE SET note = ?5, noted_at = ?6",
                params![
                    self.archive,
                    key.source,
                    key.article as i64,
                    key.title_hash,
                    note,
                    now()
                ],
            )
        };
        result.map(drop).map_err(describe)
    }
}

/// The article key in the first three columns of `row` (source, article, title hash).
fn article_key(row: &rusqlite::Row) -> rusqlite::Result<ArticleKey> {
    Ok(ArticleKey {
        source: row.get(0)?,
        article: row.get::<_, i64>(1)?.max(0) as usize,
        title_hash: row.get(2)?,
    })
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// SQLite's error in words a user can act on.
fn describe(error: rusqlite::Error) -> String {
    match &error {
        rusqlite::Error::SqliteFailure(code, _) => match code.code {
            rusqlite::ErrorCode::NotADatabase => "not a kanbao state database (damaged?)".into(),
            rusqlite::ErrorCode::DatabaseCorrupt => "damaged".into(),
            rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => {
                "locked by another program".into()
            }
            rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen => {
                format!("cannot be written ({error})")
            }
            _ => error.to_string(),
        },
        _ => error.to_string(),
    }
}

/// Where a remembered article is in an issue whose headlines are `titles` now: at its place
/// if the headline there still hashes the same, else wherever that headline moved; `None`
/// when it is gone.
pub fn locate(key: &ArticleKey, titles: &[String]) -> Option<usize> {
    if titles
        .get(key.article)
        .is_some_and(|t| title_hash(t) == key.title_hash)
    {
        return Some(key.article);
    }
    titles.iter().position(|t| title_hash(t) == key.title_hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_dir::TestDir;

    #[test]
    fn position_and_marks_come_back_and_stay_with_their_archive() {
        let test = TestDir::new("mem-back");
        let dir = test.path().to_path_buf();
        let memory = Memory::open(&dir, "/a").expect("open");
        assert_eq!(memory.position().expect("read"), None);
        let here = Position {
            source: "/a/1.txt".into(),
            article: 3,
            top: 12,
            focus: 2,
        };
        memory.save_position(&here).expect("save");
        let key = ArticleKey::new("/a/1.txt", 3, "标题");
        memory.set_mark(&key, "标题", true).expect("mark");
        memory.set_mark(&key, "标题", true).expect("twice is once");
        drop(memory);
        let memory = Memory::open(&dir, "/a").expect("reopen");
        assert_eq!(memory.position().expect("read"), Some(here));
        assert_eq!(
            memory.marks().expect("marks"),
            vec![(key.clone(), "标题".into())]
        );
        let other = Memory::open(&dir, "/b").expect("other archive");
        assert!(other.marks().expect("marks").is_empty());
        assert_eq!(other.position().expect("read"), None);
        memory.set_mark(&key, "标题", false).expect("unmark");
        assert!(memory.marks().expect("marks").is_empty());
    }

    #[test]
    fn two_writers_at_once_lose_nothing() {
        let test = TestDir::new("mem-two");
        let dir = test.path().to_path_buf();
        Memory::open(&dir, "/a").expect("create");
        let writers: Vec<_> = (0..2)
            .map(|w| {
                let dir = dir.clone();
                std::thread::spawn(move || {
                    let memory = Memory::open(&dir, "/a").expect("open");
                    for i in 0..100 {
                        let key = ArticleKey::new(&format!("/a/{w}.txt"), i, "t");
                        memory.set_mark(&key, "t", true).expect("mark");
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.join().expect("writer");
        }
        let memory = Memory::open(&dir, "/a").expect("open");
        assert_eq!(memory.marks().expect("marks").len(), 200);
    }

    #[test]
    fn a_damaged_or_newer_database_is_an_error_not_a_panic() {
        let test = TestDir::new("mem-bad");
        let dir = test.path().to_path_buf();
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("state.sqlite3"), vec![0x5a; 8192]).expect("garbage");
        let err = Memory::open(&dir, "/a").expect_err("garbage");
        assert!(err.contains("state.sqlite3"), "{err}");
        std::fs::remove_file(dir.join("state.sqlite3")).expect("rm");
        let memory = Memory::open(&dir, "/a").expect("fresh");
        memory
            .conn
            .execute_batch("PRAGMA user_version = 99")
            .expect("bump");
        drop(memory);
        let err = Memory::open(&dir, "/a").expect_err("newer");
        assert!(err.contains("newer kanbao"), "{err}");
    }

    #[test]
    fn a_schema_1_database_is_migrated_and_keeps_its_marks() {
        let test = TestDir::new("mem-migrate");
        let dir = test.path().to_path_buf();
        std::fs::create_dir_all(&dir).expect("mkdir");
        {
            // A database as the first version of this schema wrote it.
            let conn = Connection::open(dir.join("state.sqlite3")).expect("open");
            conn.execute_batch(
                "CREATE TABLE positions (archive TEXT PRIMARY KEY, source TEXT NOT NULL,
                     article INTEGER NOT NULL, top INTEGER NOT NULL, focus INTEGER NOT NULL,
                     saved_at INTEGER NOT NULL);
                 CREATE TABLE marks (archive TEXT NOT NULL, source TEXT NOT NULL,
                     article INTEGER NOT NULL, title_hash TEXT NOT NULL, title TEXT NOT NULL,
                     marked_at INTEGER NOT NULL,
                     PRIMARY KEY (archive, source, article, title_hash));
                 INSERT INTO marks VALUES ('/a', '/a/1.txt', 0, 'ff', '标题', 1);
                 PRAGMA user_version = 1;",
            )
            .expect("schema 1");
        }
        let memory = Memory::open(&dir, "/a").expect("migrated");
        assert_eq!(memory.marks().expect("marks").len(), 1, "kept");
        let key = ArticleKey::new("/a/1.txt", 0, "标题");
        memory.set_read(&key, true).expect("read");
        assert_eq!(memory.reads().expect("reads"), vec![key.clone()]);
        memory.set_read(&key, false).expect("unread");
        assert!(memory.reads().expect("reads").is_empty());
        // Schema 3's notes: kept, replaced, removed by an empty note.
        memory.set_note(&key, "第一版\n第二行").expect("note");
        memory.set_note(&key, "改过的笔记").expect("note again");
        assert_eq!(
            memory.notes().expect("notes"),
            vec![(key.clone(), "改过的笔记".to_string())]
        );
        memory.set_note(&key, "").expect("cleared");
        assert!(memory.notes().expect("notes").is_empty());
        let version: i64 = memory
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(version, SCHEMA);
    }

    #[test]
    fn a_state_folder_that_cannot_be_made_is_an_error() {
        // A file where the folder should be: what an unwritable place looks like even to root
        // (which permission bits do not stop).
        let test = TestDir::new("mem-blocked");
        let dir = test.path().to_path_buf();
        std::fs::create_dir_all(&dir).expect("mkdir");
        let blocked = dir.join("kanbao");
        std::fs::write(&blocked, "not a folder").expect("write");
        let err = Memory::open(&blocked, "/a").expect_err("blocked");
        assert!(
            err.contains("state.sqlite3") || err.contains("kanbao"),
            "{err}"
        );
    }

    #[test]
    fn a_mark_follows_its_headline_and_is_dropped_when_it_is_gone() {
        let key = ArticleKey::new("a", 1, "乙");
        let titles = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(locate(&key, &titles(&["甲", "乙", "丙"])), Some(1));
        assert_eq!(locate(&key, &titles(&["新", "甲", "乙"])), Some(2), "moved");
        assert_eq!(locate(&key, &titles(&["甲", "丙"])), None, "gone");
    }
}
