//! The five sample issues built into the binary, opened when kanbao is given no path.

use crate::model::Archive;
use crate::parse::parse_issue;

/// The sample issues built into the binary, opened when kanbao is started with no path.
pub const BUILTIN_SAMPLES: &[(&str, &str)] = &[
    (
        "000_29319c79bb470c97.txt",
        include_str!("../../sample-data/000_29319c79bb470c97.txt"),
    ),
    (
        "001_84d0d68a418f73b1.txt",
        include_str!("../../sample-data/001_84d0d68a418f73b1.txt"),
    ),
    (
        "002_a00776a20fa094f5.txt",
        include_str!("../../sample-data/002_a00776a20fa094f5.txt"),
    ),
    (
        "003_8de9c7c95064a8e7.txt",
        include_str!("../../sample-data/003_8de9c7c95064a8e7.txt"),
    ),
    (
        "004_e8093578dd25d79e.txt",
        include_str!("../../sample-data/004_e8093578dd25d79e.txt"),
    ),
];

/// The archive of the sample issues built into the binary.
pub fn builtin_archive() -> Archive {
    Archive {
        issues: BUILTIN_SAMPLES
            .iter()
            .map(|(name, text)| parse_issue(&format!("(built-in)/{name}"), text))
            .collect(),
        failures: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_samples_parse() {
        let archive = builtin_archive();
        assert_eq!(archive.issues.len(), BUILTIN_SAMPLES.len());
        assert!(archive.issues.iter().all(|i| !i.articles.is_empty()));
    }
}
