//! The headline index on disk, read in place: `kanbao find` and the reader's `F` map the file
//! and search it without building or decoding anything, so their cost no longer grows with
//! the archive's headlines (only with what a query looks at).
//!
//! Layout (native byte order, marked): a 256-byte header — magic word, format, byte-order mark,
//! the key of what the index is of, the file's length, a CRC-32 of everything after the header,
//! the sections' places and a CRC-32 of the header itself — then the sections, each aligned to
//! 64 bytes: the columns of [`HeadlineIndex`] as they are in memory, the character table, and
//! the files that failed when it was built (so that `find` still names them).
//!
//! Nothing in the file is trusted: opening checks the header, every section's bounds, the
//! checksum of the whole body and that every number that indexes something (character
//! numbers, posting lists) is in range, reading the file once through a small buffer (so the
//! check costs no memory); text and characters are checked again where they are used. A file
//! is only ever replaced by renaming a new one over it, so one already mapped never changes.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::Arc;

use zerocopy::IntoBytes;

use super::column::Column;
use super::index::{HeadlineIndex, Postings};
use super::table::CharTable;

/// The magic word; its last byte is the format generation.
const MAGIC: &[u8; 8] = b"KANBAOF1";
/// Bumped whenever a section's layout changes.
const FORMAT: u32 = 3;
/// Read back as this number only in the byte order it was written in.
const BYTE_ORDER: u32 = 0x0102_0304;
const HEADER: usize = 256;
const ALIGN: usize = 64;
/// How much of the file the opening check reads at a time.
const CHUNK: usize = 1 << 20;

/// The sections, in file order: the small ones every query reads first, then the columns a
/// pinyin query reads (and the results' text) side by side, then those a query of characters
/// reads. The kernel maps the page cache's large blocks (up to 2 MB) whole on a fault, so a
/// column read at all drags its neighbours in: ordered so, the mapped index's share of a
/// `kanbao find`'s memory fell by 2–5 MB (of 21–29 MB for 100,000 headlines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Table,
    PostingChars,
    PostingStarts,
    Failures,
    Records,
    Strings,
    Hot,
    FirstIds,
    Neighbours,
    Ids,
    Masks,
    PostingLists,
    Chars,
}

const SECTIONS: [Section; 13] = [
    Section::Table,
    Section::PostingChars,
    Section::PostingStarts,
    Section::Failures,
    Section::Records,
    Section::Strings,
    Section::Hot,
    Section::FirstIds,
    Section::Neighbours,
    Section::Ids,
    Section::Masks,
    Section::PostingLists,
    Section::Chars,
];

/// A mapped index with what its file says beside it.
#[derive(Debug)]
pub struct Opened {
    /// The index, its columns mapped.
    pub index: HeadlineIndex,
    /// The files that could not be read when the index was built: (source, why).
    pub failures: Vec<(String, String)>,
}

/// The file of `index`, the headline index of what `key` names, built while `failures` could
/// not be read.
pub fn encode(index: &HeadlineIndex, key: u64, failures: &[(String, String)]) -> Vec<u8> {
    let table: Vec<u32> = index.table.chars().iter().map(|&c| c as u32).collect();
    let failures = postcard::to_stdvec(failures).unwrap_or_default();
    let parts: [&[u8]; 13] = [
        table.as_bytes(),
        index.postings.chars.as_bytes(),
        index.postings.starts.as_bytes(),
        &failures,
        index.records.as_bytes(),
        index.strings.as_bytes(),
        index.hot.as_bytes(),
        index.first_ids.as_bytes(),
        index.neighbours.as_bytes(),
        index.ids.as_bytes(),
        index.char_masks.as_bytes(),
        index.postings.lists.as_bytes(),
        index.chars.as_bytes(),
    ];
    let mut out = vec![0u8; HEADER];
    let mut places = Vec::with_capacity(parts.len());
    for part in parts {
        out.resize(out.len().next_multiple_of(ALIGN), 0);
        places.push((out.len() as u64, part.len() as u64));
        out.extend_from_slice(part);
    }
    let body = crc32fast::hash(&out[HEADER..]);
    let len = out.len() as u64;
    let mut header = Vec::with_capacity(HEADER);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&FORMAT.to_ne_bytes());
    header.extend_from_slice(&BYTE_ORDER.to_ne_bytes());
    header.extend_from_slice(&key.to_ne_bytes());
    header.extend_from_slice(&len.to_ne_bytes());
    header.extend_from_slice(&body.to_ne_bytes());
    header.extend_from_slice(&(SECTIONS.len() as u32).to_ne_bytes());
    for (at, size) in places {
        header.extend_from_slice(&at.to_ne_bytes());
        header.extend_from_slice(&size.to_ne_bytes());
    }
    header.resize(HEADER - 4, 0);
    let sum = crc32fast::hash(&header);
    header.extend_from_slice(&sum.to_ne_bytes());
    out[..HEADER].copy_from_slice(&header);
    out
}

/// Reads a number of type `N` at `at` of `bytes` (which the caller made long enough).
fn number<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&bytes[at..at + N]);
    out
}

/// Opens the index in `file` if it is the index of what `key` names: `Ok(None)` when it is of
/// something else (files changed since; it is to be rebuilt, nothing is wrong), an error saying
/// what is wrong when it is not a sound index of this version.
pub fn open(file: &File, key: u64) -> Result<Option<Opened>, String> {
    let size = file.metadata().map_err(|e| e.to_string())?.len();
    let size = usize::try_from(size).map_err(|_| "too large".to_string())?;
    if size < HEADER {
        return Err("cut short (no header)".into());
    }
    let mut header = [0u8; HEADER];
    file.read_exact_at(&mut header, 0)
        .map_err(|e| e.to_string())?;
    if header[..7] != MAGIC[..7] {
        return Err("not a kanbao headline index".into());
    }
    if header[7] != MAGIC[7] || u32::from_ne_bytes(number(&header, 8)) != FORMAT {
        return Err("made by another version of kanbao".into());
    }
    if u32::from_ne_bytes(number(&header, 12)) != BYTE_ORDER {
        return Err("made on a machine of another byte order".into());
    }
    if crc32fast::hash(&header[..HEADER - 4]) != u32::from_ne_bytes(number(&header, HEADER - 4)) {
        return Err("corrupt (header checksum mismatch)".into());
    }
    if u64::from_ne_bytes(number(&header, 16)) != key {
        return Ok(None);
    }
    let said = u64::from_ne_bytes(number(&header, 24));
    if said != size as u64 {
        return Err(format!(
            "{} (header says {said} bytes, the file has {size})",
            if (size as u64) < said {
                "cut short"
            } else {
                "longer than written"
            }
        ));
    }
    if u32::from_ne_bytes(number(&header, 36)) as usize != SECTIONS.len() {
        return Err("made by another version of kanbao (sections)".into());
    }
    let mut places = Vec::with_capacity(SECTIONS.len());
    for i in 0..SECTIONS.len() {
        let at = u64::from_ne_bytes(number(&header, 40 + 16 * i));
        let len = u64::from_ne_bytes(number(&header, 48 + 16 * i));
        let end = at.checked_add(len).filter(|&end| end <= size as u64);
        match end {
            Some(end) if at as usize >= HEADER && (at as usize).is_multiple_of(ALIGN) => {
                places.push(at as usize..end as usize)
            }
            _ => return Err(format!("a section lies outside the file ({at}+{len})")),
        }
    }
    let place = |s: Section| places[s as usize].clone();
    let count = |s: Section, width: usize| place(s).len() / width;
    let entries = count(Section::Records, 32);
    let table_len = count(Section::Table, 4);
    check_body(
        file,
        size,
        u32::from_ne_bytes(number(&header, 32)),
        &[
            (place(Section::Chars), Bound::Char),
            (place(Section::Ids), Bound::Below(table_len as u32)),
            (
                place(Section::FirstIds),
                Bound::BelowOrNone(table_len as u32),
            ),
            (place(Section::PostingLists), Bound::Below(entries as u32)),
        ],
    )?;
    // SAFETY: the file is only ever replaced by renaming another over it, never written in
    // place (see the module's notes), so the mapping does not change while it is read; and
    // nothing read from it is trusted beyond its type.
    let map = Arc::new(unsafe { memmap2::Mmap::map(file) }.map_err(|e| e.to_string())?);
    if map.len() != size {
        return Err("changed while it was opened".into());
    }
    let table_bytes = map.get(place(Section::Table)).unwrap_or(&[]);
    let table = CharTable::of_chars(
        table_bytes
            .chunks_exact(4)
            .map(|b| char::from_u32(u32::from_ne_bytes(number(b, 0))).unwrap_or('\0')),
    );
    let failures: Vec<(String, String)> =
        postcard::from_bytes(map.get(place(Section::Failures)).unwrap_or(&[]))
            .map_err(|_| "corrupt (list of failed files)".to_string())?;
    let index = HeadlineIndex {
        records: Column::mapped(&map, place(Section::Records))?,
        strings: Column::mapped(&map, place(Section::Strings))?,
        chars: Column::mapped(&map, place(Section::Chars))?,
        hot: Column::mapped(&map, place(Section::Hot))?,
        char_masks: Column::mapped(&map, place(Section::Masks))?,
        ids: Column::mapped(&map, place(Section::Ids))?,
        first_ids: Column::mapped(&map, place(Section::FirstIds))?,
        neighbours: Column::mapped(&map, place(Section::Neighbours))?,
        table,
        postings: Postings {
            chars: Column::mapped(&map, place(Section::PostingChars))?,
            starts: Column::mapped(&map, place(Section::PostingStarts))?,
            lists: Column::mapped(&map, place(Section::PostingLists))?,
        },
    };
    let n = index.records.len();
    let consistent = index.hot.len() == n
        && index.char_masks.len() == n
        && index.first_ids.len() == n
        && index.neighbours.len() == n
        && index.chars.len() == index.ids.len()
        && index.postings.starts.len() == index.postings.chars.len() + 1;
    if !consistent {
        return Err("corrupt (columns of different lengths)".into());
    }
    Ok(Some(Opened { index, failures }))
}

/// What every number of a section must be.
#[derive(Debug, Clone, Copy)]
enum Bound {
    /// A character.
    Char,
    /// Less than this.
    Below(u32),
    /// Less than this, or `u32::MAX` (none).
    BelowOrNone(u32),
}

impl Bound {
    fn holds(self, n: u32) -> bool {
        match self {
            Bound::Char => char::from_u32(n).is_some(),
            Bound::Below(end) => n < end,
            Bound::BelowOrNone(end) => n < end || n == u32::MAX,
        }
    }
}

/// Reads everything after the header once, a chunk at a time: its CRC-32 must be `sum`, and
/// the numbers of each checked section must hold their bound.
fn check_body(
    file: &File,
    size: usize,
    sum: u32,
    checked: &[(std::ops::Range<usize>, Bound)],
) -> Result<(), String> {
    let mut hasher = crc32fast::Hasher::new();
    let mut buffer = vec![0u8; CHUNK.min(size - HEADER)];
    let mut at = HEADER;
    while at < size {
        let len = CHUNK.min(size - at);
        let chunk = &mut buffer[..len];
        file.read_exact_at(chunk, at as u64)
            .map_err(|e| format!("cut short while read ({e})"))?;
        hasher.update(chunk);
        for (range, bound) in checked {
            let (from, to) = (range.start.max(at), range.end.min(at + len));
            if from >= to {
                continue;
            }
            // Sections and chunks start at multiples of 4 bytes.
            let fine = chunk[from - at..to - at]
                .chunks_exact(4)
                .all(|b| bound.holds(u32::from_ne_bytes(number(b, 0))));
            if !fine {
                return Err("corrupt (a number out of range)".into());
            }
        }
        at += len;
    }
    if hasher.finalize() != sum {
        return Err("corrupt (checksum mismatch)".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ArticleKind, Headline};
    use crate::test_dir::TestDir;

    fn headlines(n: usize) -> Vec<Vec<Headline>> {
        let words = [
            "数字化转型",
            "曹县",
            "企业",
            "Rust 1.80",
            "乡村振兴",
            "长江",
            "重庆",
        ];
        (0..n)
            .map(|i| {
                (0..(i % 4 + 1))
                    .map(|j| Headline {
                        kind: ArticleKind::Article,
                        kicker: (j == 1).then(|| format!("第{i}期")),
                        title: format!("{}{}与{}", words[i % 7], i, words[(i + j) % 7]),
                        subtitle: (j == 2).then(|| "——副题".to_string()),
                        lines: Default::default(),
                    })
                    .collect()
            })
            .collect()
    }

    fn built(n: usize) -> HeadlineIndex {
        let issues = headlines(n);
        HeadlineIndex::from_headlines(issues.iter().map(Vec::as_slice).enumerate())
    }

    fn written(dir: &TestDir, index: &HeadlineIndex, key: u64) -> std::path::PathBuf {
        let path = dir.path().join("index.find");
        let failures = vec![("bad.txt".to_string(), "not text".to_string())];
        std::fs::write(&path, encode(index, key, &failures)).unwrap();
        path
    }

    fn opened(path: &std::path::Path, key: u64) -> Result<Option<Opened>, String> {
        open(&File::open(path).unwrap(), key)
    }

    #[test]
    fn a_mapped_index_answers_as_the_built_one() {
        let dir = TestDir::new("mapped-same");
        let index = built(400);
        let path = written(&dir, &index, 7);
        let mapped = opened(&path, 7).unwrap().unwrap();
        assert_eq!(mapped.failures, [("bad.txt".into(), "not text".into())]);
        assert!(mapped.index.records.is_mapped());
        assert_eq!(mapped.index.len(), index.len());
        for e in (0..index.len()).step_by(37) {
            let (a, b) = (index.entry(e), mapped.index.entry(e));
            assert_eq!((a.issue, a.article, a.text), (b.issue, b.article, b.text));
            assert_eq!(
                (a.title_start, a.subtitle_start),
                (b.title_start, b.subtitle_start)
            );
        }
        for query in [
            "曹县",
            "szh",
            "shuzi",
            "qiye 12",
            "rust",
            "'长江",
            "^乡村",
            "!企业 重",
        ] {
            let ours = index.search(query, None, 30);
            let theirs = mapped.index.search(query, None, 30);
            assert!(!ours.is_empty() || query.starts_with('!'), "{query}");
            assert_eq!(ours, theirs, "{query}");
            for hit in &ours {
                assert_eq!(
                    index.positions(hit.entry, query),
                    mapped.index.positions(hit.entry, query)
                );
            }
        }
    }

    #[test]
    fn an_index_of_something_else_is_not_an_error_but_not_taken() {
        let dir = TestDir::new("mapped-key");
        let path = written(&dir, &built(20), 7);
        assert!(opened(&path, 8).unwrap().is_none());
    }

    #[test]
    fn every_corruption_is_detected() {
        let dir = TestDir::new("mapped-corrupt");
        let path = written(&dir, &built(300), 7);
        let good = std::fs::read(&path).unwrap();
        let reject = |bytes: &[u8], why: &str| {
            std::fs::write(&path, bytes).unwrap();
            match opened(&path, 7) {
                Err(e) => e,
                Ok(_) => panic!("{why}: taken"),
            }
        };
        // Truncated anywhere: in the header, in a section, by one byte.
        for cut in [0, 100, HEADER, good.len() / 2, good.len() - 1] {
            let e = reject(&good[..cut], "cut");
            assert!(e.contains("cut short"), "{cut}: {e}");
        }
        // Another version of kanbao.
        let mut other = good.clone();
        other[7] = b'9';
        assert!(reject(&other, "magic").contains("another version"));
        let mut other = good.clone();
        other[8] ^= 0x40;
        assert!(reject(&other, "format").contains("another version"));
        // A byte flipped anywhere in the body (every 97th, so every section is hit).
        for at in (HEADER..good.len()).step_by(97) {
            let mut flipped = good.clone();
            flipped[at] ^= 0x10;
            let e = reject(&flipped, "flip");
            assert!(e.contains("corrupt"), "{at}: {e}");
        }
        // In the header's fields (its own checksum).
        for at in (16..HEADER - 4).step_by(7) {
            let mut flipped = good.clone();
            flipped[at] ^= 0x01;
            let e = reject(&flipped, "header");
            assert!(e.contains("corrupt") || e.contains("another"), "{at}: {e}");
        }
        // Grown at the end.
        let mut longer = good.clone();
        longer.extend_from_slice(b"more");
        assert!(reject(&longer, "grown").contains("longer"));
    }

    #[test]
    fn a_resealed_index_with_numbers_out_of_range_is_rejected() {
        // Checksums made anew over bad numbers (as a bug or a hostile writer would): the
        // range checks still keep every read in bounds.
        let dir = TestDir::new("mapped-range");
        let index = built(50);
        let mut bytes = encode(&index, 7, &[]);
        let ids_at = u64::from_ne_bytes(number(&bytes, 40 + 16 * Section::Ids as usize)) as usize;
        bytes[ids_at..ids_at + 4].copy_from_slice(&u32::MAX.to_ne_bytes());
        let body = crc32fast::hash(&bytes[HEADER..]);
        bytes[32..36].copy_from_slice(&body.to_ne_bytes());
        let sum = crc32fast::hash(&bytes[..HEADER - 4]);
        bytes[HEADER - 4..HEADER].copy_from_slice(&sum.to_ne_bytes());
        let path = dir.path().join("index.find");
        std::fs::write(&path, &bytes).unwrap();
        assert!(opened(&path, 7).unwrap_err().contains("out of range"));
    }

    #[test]
    fn a_mapped_index_is_not_changed_by_a_new_file_renamed_over_it() {
        let dir = TestDir::new("mapped-rename");
        let index = built(100);
        let path = written(&dir, &index, 7);
        let mapped = opened(&path, 7).unwrap().unwrap();
        let before = mapped.index.search("曹县", None, 10);
        // Another process re-indexes: a new file renamed over the old one.
        let temp = dir.path().join("index.find.tmp");
        std::fs::write(&temp, encode(&built(3), 7, &[])).unwrap();
        std::fs::rename(&temp, &path).unwrap();
        assert_eq!(mapped.index.search("曹县", None, 10), before);
        assert_eq!(
            opened(&path, 7).unwrap().unwrap().index.len(),
            built(3).len()
        );
    }
}
