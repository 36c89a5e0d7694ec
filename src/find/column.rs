//! A column of the headline index: a slice of plain values that is either owned (an index
//! built in memory) or a range of a mapped file (an index opened from disk), so that one
//! search code path serves both and an opened index is never copied or decoded.

use std::ops::Deref;
use std::sync::Arc;

use zerocopy::{FromBytes, Immutable, KnownLayout};

/// What keeps a column's memory alive.
#[derive(Debug)]
enum Keep<T> {
    Owned(#[allow(dead_code)] Vec<T>),
    Mapped(#[allow(dead_code)] Arc<memmap2::Mmap>),
}

/// A read-only slice of `T` that owns or maps its memory. Dereferencing costs no branch: the
/// slice's start and length are kept beside what keeps it alive.
pub(crate) struct Column<T> {
    ptr: *const T,
    len: usize,
    keep: Keep<T>,
}

// SAFETY: a column is an immutable slice of `T` whose memory (a `Vec` it owns or a read-only
// mapping held by an `Arc`) lives as long as the column; sharing or sending it is sharing or
// sending `&[T]`.
unsafe impl<T: Sync> Sync for Column<T> {}
// SAFETY: as above; the owned `Vec<T>` moves with the column and its buffer does not move.
unsafe impl<T: Send + Sync> Send for Column<T> {}

impl<T> Deref for Column<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        // SAFETY: `ptr` and `len` describe the buffer of the `Vec` or the range of the mapping
        // held in `keep`, checked for size and alignment when the column was made
        // ([`Column::mapped`]); neither is ever written to or freed while the column exists.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl<T> From<Vec<T>> for Column<T> {
    fn from(values: Vec<T>) -> Column<T> {
        Column {
            ptr: values.as_ptr(),
            len: values.len(),
            keep: Keep::Owned(values),
        }
    }
}

impl<T> Default for Column<T> {
    fn default() -> Column<T> {
        Column::from(Vec::new())
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Column<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let from = match self.keep {
            Keep::Owned(_) => "owned",
            Keep::Mapped(_) => "mapped",
        };
        write!(f, "Column({from}, {} values)", self.len)
    }
}

impl<T: FromBytes + Immutable + KnownLayout> Column<T> {
    /// The values in `map[range]`; an error when the range is outside the mapping, is not a
    /// whole number of values or is not aligned for them.
    pub(crate) fn mapped(
        map: &Arc<memmap2::Mmap>,
        range: std::ops::Range<usize>,
    ) -> Result<Column<T>, String> {
        let bytes = map
            .get(range.clone())
            .ok_or_else(|| format!("a section ({range:?}) lies past the end"))?;
        let values = <[T]>::ref_from_bytes(bytes)
            .map_err(|_| format!("a section ({range:?}) is misaligned or cut short"))?;
        Ok(Column {
            ptr: values.as_ptr(),
            len: values.len(),
            keep: Keep::Mapped(Arc::clone(map)),
        })
    }
}

impl<T> Column<T> {
    /// True when the values are read from a mapped file (not trusted to be valid beyond
    /// their type: characters and UTF-8 are checked where they are used).
    pub(crate) fn is_mapped(&self) -> bool {
        matches!(self.keep, Keep::Mapped(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owned_column_reads_as_its_vector() {
        let column = Column::from(vec![3u32, 1, 4]);
        assert_eq!(&*column, &[3, 1, 4]);
        assert!(!column.is_mapped());
        assert!(Column::<u64>::default().is_empty());
    }

    #[test]
    fn a_mapped_column_checks_its_range() {
        let dir = crate::test_dir::TestDir::new("column");
        let path = dir.path().join("values");
        let bytes: Vec<u8> = [7u32, 8, 9].iter().flat_map(|v| v.to_ne_bytes()).collect();
        std::fs::write(&path, &bytes).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        // SAFETY: a test file nobody else writes.
        let map = Arc::new(unsafe { memmap2::Mmap::map(&file) }.unwrap());
        let column = Column::<u32>::mapped(&map, 4..12).unwrap();
        assert_eq!(&*column, &[8, 9]);
        assert!(column.is_mapped());
        assert!(Column::<u32>::mapped(&map, 4..16).is_err(), "past the end");
        assert!(
            Column::<u32>::mapped(&map, 0..6).is_err(),
            "not whole values"
        );
        assert!(Column::<u32>::mapped(&map, 2..6).is_err(), "misaligned");
    }
}
