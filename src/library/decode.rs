//! Bytes → text → [`Issue`]: a BOM decides, UTF-8 (also with a few stray bytes) is UTF-8, and
//! anything else is detected (GB18030/GBK, Big5, EUC-KR, Shift_JIS …); empty, blank, binary and
//! endless-line files are refused with a reason.

use std::path::Path;

use encoding_rs::Encoding;

use super::files::{describe_io_error, read_limited};
use crate::model::Issue;
use crate::parse::layout::Layout;
use crate::parse::parse_issue_with;

/// A line longer than this means the file is not a newspaper issue (a minified or binary blob).
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// Bytes → decoded, parsed issue (its encoding recorded), or why they are not an issue.
pub fn parse_bytes(
    source: &str,
    bytes: &[u8],
    forced: Option<&'static Encoding>,
) -> Result<Issue, String> {
    parse_bytes_with(source, bytes, forced, &Layout::default())
}

/// [`parse_bytes`] with an archive's layout hints.
pub fn parse_bytes_with(
    source: &str,
    bytes: &[u8],
    forced: Option<&'static Encoding>,
    layout: &Layout,
) -> Result<Issue, String> {
    let decoded = decode(bytes, forced)?;
    let mut issue = parse_issue_with(source, &decoded.text, layout);
    issue.encoding = match decoded.invalid_bytes {
        0 => decoded.encoding.to_string(),
        1 => format!("{}, 1 invalid byte shown as �", decoded.encoding),
        n => format!("{}, {n} invalid bytes shown as �", decoded.encoding),
    };
    Ok(issue)
}

/// Reads (only reads) the file at `path`, decodes and parses it.
/// Its source name is the path made text (a name that is not UTF-8 shows `�` for the odd bytes).
pub fn read_issue(
    path: &Path,
    forced: Option<&'static Encoding>,
    layout: &Layout,
) -> Result<Issue, String> {
    #[cfg(test)]
    reads::record(path);
    let bytes = read_limited(path).map_err(|e| describe_io_error(&e))?;
    parse_bytes_with(&path.to_string_lossy(), &bytes, forced, layout)
}

/// How often each file was read as an issue (tests check that a change is read once).
#[cfg(test)]
pub(crate) mod reads {
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, PoisonError};

    static READS: Mutex<Option<HashMap<PathBuf, usize>>> = Mutex::new(None);

    pub(super) fn record(path: &Path) {
        let mut reads = READS.lock().unwrap_or_else(PoisonError::into_inner);
        *reads
            .get_or_insert_default()
            .entry(path.to_path_buf())
            .or_default() += 1;
    }

    /// Times `path` was read so far.
    pub(crate) fn of(path: &Path) -> usize {
        let reads = READS.lock().unwrap_or_else(PoisonError::into_inner);
        reads
            .as_ref()
            .and_then(|r| r.get(path))
            .copied()
            .unwrap_or(0)
    }
}

/// Text decoded from a file, and the encoding it was in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The encoding's name (`UTF-8`, `GB18030`, `Big5`, `UTF-16LE` …).
    pub encoding: &'static str,
    /// Bytes that were not valid in it, each shown as U+FFFD (a UTF-8 file with stray bytes).
    pub invalid_bytes: usize,
}

/// Looks up an encoding by a label users type (`gbk`, `gb18030`, `big5`, `utf-16le` …).
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding, String> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        format!("unknown encoding {label:?} (try utf-8, gb18030, gbk, big5, utf-16le, utf-16be, shift_jis, euc-kr)")
    })
}

/// Bytes → text. A BOM decides (UTF-8, UTF-16); otherwise valid UTF-8 is UTF-8 and anything else
/// is detected (GB18030/GBK, Big5, …) with chardetng; `forced` overrides all of that. Empty,
/// blank and binary files and ones with absurdly long lines are refused with a reason.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, String> {
    if bytes.is_empty() {
        return Err("empty file".into());
    }
    let bom = Encoding::for_bom(bytes);
    let is_utf16 = |e: &'static Encoding| e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE;
    // Most files are UTF-8 without a BOM: validate once and keep the result.
    let plain_utf8 = match (forced, bom) {
        // SIMD validation: std's is byte-at-a-time for CJK and was a sixth of the parse time.
        (None, None) | (Some(_), None) => simdutf8::basic::from_utf8(bytes).ok(),
        _ => None,
    };
    // A file that is UTF-8 but for a few stray bytes is UTF-8 with those bytes shown as U+FFFD,
    // not a legacy encoding that would garble all of it.
    let invalid = match (forced, bom, plain_utf8) {
        (None, None, None) => mostly_utf8(bytes),
        _ => None,
    };
    let encoding = match (forced, bom) {
        (Some(forced), _) => forced,
        (None, Some((from_bom, _))) => from_bom,
        (None, None) if plain_utf8.is_some() || invalid.is_some() => encoding_rs::UTF_8,
        (None, None) => {
            // ISO-2022-JP is escape-sequence based: not something to guess for newspaper text.
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            detector.guess(None, chardetng::Utf8Detection::Allow)
        }
    };
    if !is_utf16(encoding)
        && let Some(at) = bytes.iter().position(|b| *b == 0)
    {
        return Err(format!(
            "binary file (NUL byte at offset {at}), not an issue"
        ));
    }
    let body = match bom {
        Some((from_bom, len)) if from_bom == encoding => &bytes[len..],
        _ => bytes,
    };
    // UTF-8 was validated above: copy it rather than decode (and validate) it again.
    let text: String = match plain_utf8 {
        Some(valid) if encoding == encoding_rs::UTF_8 => valid.to_owned(),
        _ => encoding.decode_without_bom_handling(body).0.into_owned(),
    };
    if text.trim().is_empty() {
        return Err("no text (only whitespace)".into());
    }
    // Lines as the parser splits them: a CR-only file (old Mac exports) has short lines too.
    if let Some(longest) = text
        .split(['\n', '\r'])
        .map(str::len)
        .max()
        .filter(|n| *n > MAX_LINE_BYTES)
    {
        return Err(format!(
            "a line of {} KB with no line break: not a newspaper issue",
            longest / 1024
        ));
    }
    Ok(Decoded {
        text,
        encoding: encoding.name(),
        invalid_bytes: invalid.unwrap_or(0),
    })
}

/// When `bytes` are UTF-8 apart from a few invalid bytes, how many: at least twenty valid
/// non-ASCII bytes for each invalid one. A legacy encoding (GBK, Big5, EUC-KR, Shift_JIS) is
/// almost never valid UTF-8 beyond a stray pair, so its files fail this and go to detection.
fn mostly_utf8(bytes: &[u8]) -> Option<usize> {
    let (mut valid_non_ascii, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid_non_ascii += chunk.valid().bytes().filter(|b| !b.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    (invalid > 0 && valid_non_ascii >= 20 * invalid).then_some(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cr_only_line_breaks_are_line_breaks() {
        let line = "加快制造业数字化转型提质提速提效。".repeat(20);
        let text = std::iter::repeat_n(line.as_str(), 3000)
            .collect::<Vec<_>>()
            .join("\r");
        assert!(text.len() > MAX_LINE_BYTES);
        assert!(decode(text.as_bytes(), None).is_ok());
        assert!(decode(text.replace('\r', "").as_bytes(), None).is_err());
    }
    #[test]
    fn nul_bytes_mean_binary() {
        let err = decode(b"abc\0def", None).unwrap_err();
        assert!(err.contains("binary"), "{err}");
    }
    #[test]
    fn empty_and_blank_files_are_refused() {
        assert_eq!(decode(b"", None).unwrap_err(), "empty file");
        assert!(
            decode(b" \n\t\r\n\xe3\x80\x80\n", None)
                .unwrap_err()
                .contains("only whitespace")
        );
    }
    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("标题".as_bytes(), None).unwrap().encoding, "UTF-8");
        let with_bom = decode(b"\xef\xbb\xbf\xe6\xa0\x87", None).unwrap();
        assert_eq!((with_bom.text.as_str(), with_bom.encoding), ("标", "UTF-8"));
    }
    #[test]
    fn gb18030_and_big5_are_detected() {
        let text = "本报讯 记者从市政府获悉，今年全市经济运行总体平稳，工业生产稳中有进，消费市场持续回暖。";
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        let decoded = decode(&gb, None).unwrap();
        assert_eq!(decoded.text, text);
        assert!(
            decoded.encoding == "GBK" || decoded.encoding == "gb18030",
            "{}",
            decoded.encoding
        );
        let traditional = "本報訊 記者從市政府獲悉，今年全市經濟運行總體平穩，工業生產穩中有進，消費市場持續回暖。";
        let (big5, _, _) = encoding_rs::BIG5.encode(traditional);
        let decoded = decode(&big5, None).unwrap();
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            (traditional, "Big5")
        );
    }
    #[test]
    fn utf16_with_bom_is_not_binary() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in "报纸\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            ("报纸\n", "UTF-16LE")
        );
    }
    #[test]
    fn a_forced_encoding_wins() {
        let (gb, _, _) = encoding_rs::GB18030.encode("看报");
        let forced = encoding_for_label("gb18030").unwrap();
        assert_eq!(decode(&gb, Some(forced)).unwrap().text, "看报");
        assert!(
            encoding_for_label("klingon")
                .unwrap_err()
                .contains("unknown encoding")
        );
    }
    #[test]
    fn an_endless_line_is_not_an_issue() {
        let line = "字".repeat(MAX_LINE_BYTES / 3 + 10);
        assert!(
            decode(line.as_bytes(), None)
                .unwrap_err()
                .contains("no line break")
        );
    }
}
