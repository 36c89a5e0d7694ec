//! Citations of articles: GB/T 7714-2015 for newspapers by default
//! (`作者. 题名[N]. 报纸名, 出版日期(版次).`), BibTeX, RIS and CSL-JSON. Only what the issue
//! says goes in: a missing author, page or date is left out with its punctuation, never
//! guessed. The author is the article's metadata author, else the reporters its byline names
//! (`本报讯(记者 王某 李某)`).

use serde_json::json;

use crate::model::{Article, Issue};

/// A citation style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Style {
    /// GB/T 7714-2015, newspaper article (`[N]`).
    #[default]
    Gbt7714,
    /// BibTeX `@article`.
    Bibtex,
    /// RIS (`TY  - NEWS`).
    Ris,
    /// CSL-JSON (`article-newspaper`), as Zotero and pandoc read it.
    CslJson,
}

/// What a citation is made of, each part as the issue gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parts {
    /// Authors, in order.
    pub authors: Vec<String>,
    /// The title, with its subtitle after `：`.
    pub title: String,
    /// The paper.
    pub paper: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The page (`01`, `A2`).
    pub page: Option<String>,
    /// Where it was read from (source path), for the key and notes.
    pub source: String,
}

/// Reporters a byline names after `记者` / `通讯员` (`本报讯(记者 王某 李某)` → 王某, 李某):
/// up to the closing bracket, names of two to four Han characters separated by spaces.
fn byline_authors(byline: &str) -> Vec<String> {
    let mut out = Vec::new();
    for marker in ["记者", "通讯员"] {
        let mut rest = byline;
        while let Some(at) = rest.find(marker) {
            rest = &rest[at + marker.len()..];
            let span: String = rest
                .chars()
                .take_while(|c| !matches!(c, ')' | '）' | ']' | '】' | '，' | ',' | '。'))
                .collect();
            for word in span.split([' ', '\u{3000}', '、']) {
                let n = word.chars().count();
                let han = word.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                if (2..=4).contains(&n)
                    && han
                    && !matches!(word, "记者" | "通讯员" | "本报")
                    && !out.iter().any(|a| a == word)
                {
                    out.push(word.to_string());
                }
            }
        }
    }
    out
}

impl Parts {
    /// The parts of `article` of `issue`.
    pub fn of(issue: &Issue, article: &Article) -> Parts {
        let authors = match &article.author {
            Some(author) => author
                .split([' ', '\u{3000}', '、', ',', '，'])
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
            None => article
                .byline
                .as_deref()
                .map(byline_authors)
                .unwrap_or_default(),
        };
        let title = match (&article.title, &article.subtitle) {
            (Some(title), Some(sub)) => format!("{title}：{}", sub.trim_start_matches(['—', '-'])),
            (Some(title), None) => title.clone(),
            (None, _) => article.display_title(),
        };
        Parts {
            authors,
            title,
            paper: issue.paper.clone(),
            date: article.date.clone().or_else(|| issue.date.clone()),
            page: article.page.clone(),
            source: issue.source.clone(),
        }
    }

    fn date_parts(&self) -> Option<(u32, u32, u32)> {
        let date = self.date.as_deref()?;
        let mut it = date.split('-').map(|p| p.parse::<u32>().ok());
        Some((it.next()??, it.next()??, it.next()??))
    }

    /// The page as GB/T 7714 prints it: numbers two digits wide (`3` → `03`).
    fn page_gbt(&self) -> Option<String> {
        let page = self.page.as_deref()?;
        Some(match page.parse::<u32>() {
            Ok(n) => format!("{n:02}"),
            Err(_) => page.to_string(),
        })
    }

    /// The citation in `style`, without a trailing line break.
    pub fn render(&self, style: Style) -> String {
        match style {
            Style::Gbt7714 => self.gbt7714(),
            Style::Bibtex => self.bibtex(),
            Style::Ris => self.ris(),
            Style::CslJson => self.csl_json().to_string(),
        }
    }

    fn gbt7714(&self) -> String {
        let mut out = String::new();
        if !self.authors.is_empty() {
            // More than three authors: the first three and 等.
            let shown: Vec<&str> = self.authors.iter().take(3).map(String::as_str).collect();
            out.push_str(&shown.join(", "));
            if self.authors.len() > 3 {
                out.push_str(", 等");
            }
            out.push_str(". ");
        }
        out.push_str(&self.title);
        out.push_str("[N]");
        let mut tail = String::new();
        if let Some(paper) = &self.paper {
            tail.push_str(paper);
        }
        if let Some(date) = &self.date {
            if !tail.is_empty() {
                tail.push_str(", ");
            }
            tail.push_str(date);
        }
        if let Some(page) = self.page_gbt() {
            tail.push_str(&format!("({page})"));
        }
        if !tail.is_empty() {
            out.push_str(". ");
            out.push_str(&tail);
        }
        out.push('.');
        out
    }

    /// A key from the date and the title's first characters: `2025-07-03-某某标题`.
    fn key(&self) -> String {
        let head: String = self
            .title
            .chars()
            .filter(|c| c.is_alphanumeric())
            .take(8)
            .collect();
        match &self.date {
            Some(date) => format!("{}{head}", date.replace('-', "")),
            None => head,
        }
    }

    fn bibtex(&self) -> String {
        let escape = |s: &str| s.replace(['{', '}'], "");
        let mut fields = vec![("title", format!("{{{}}}", escape(&self.title)))];
        if !self.authors.is_empty() {
            fields.push((
                "author",
                format!("{{{}}}", escape(&self.authors.join(" and "))),
            ));
        }
        if let Some(paper) = &self.paper {
            fields.push(("journal", format!("{{{}}}", escape(paper))));
        }
        if let Some((y, m, d)) = self.date_parts() {
            fields.push(("year", y.to_string()));
            fields.push(("month", m.to_string()));
            fields.push(("day", d.to_string()));
        }
        if let Some(page) = &self.page {
            fields.push(("pages", format!("{{{}}}", escape(page))));
        }
        let body: Vec<String> = fields.iter().map(|(k, v)| format!("  {k} = {v}")).collect();
        format!("@article{{{},\n{}\n}}", self.key(), body.join(",\n"))
    }

    fn ris(&self) -> String {
        let mut lines = vec!["TY  - NEWS".to_string()];
        for author in &self.authors {
            lines.push(format!("AU  - {author}"));
        }
        lines.push(format!("TI  - {}", self.title));
        if let Some(paper) = &self.paper {
            lines.push(format!("T2  - {paper}"));
        }
        if let Some((y, m, d)) = self.date_parts() {
            lines.push(format!("DA  - {y:04}/{m:02}/{d:02}"));
            lines.push(format!("PY  - {y:04}"));
        }
        if let Some(page) = &self.page {
            lines.push(format!("SP  - {page}"));
        }
        lines.push("ER  - ".to_string());
        lines.join("\n")
    }

    fn csl_json(&self) -> serde_json::Value {
        let mut item = json!({
            "id": self.key(),
            "type": "article-newspaper",
            "title": self.title,
        });
        if !self.authors.is_empty() {
            item["author"] = self
                .authors
                .iter()
                .map(|a| json!({ "literal": a }))
                .collect();
        }
        if let Some(paper) = &self.paper {
            item["container-title"] = json!(paper);
        }
        if let Some((y, m, d)) = self.date_parts() {
            item["issued"] = json!({ "date-parts": [[y, m, d]] });
        }
        if let Some(page) = &self.page {
            item["page"] = json!(page);
        }
        item
    }
}

/// Citations of several articles in `style`: one per line (GB/T 7714), blank-line separated
/// (BibTeX, RIS), or one JSON array (CSL-JSON).
pub fn citations(parts: &[Parts], style: Style) -> String {
    match style {
        Style::Gbt7714 => parts.iter().map(|p| p.render(style) + "\n").collect(),
        Style::Bibtex | Style::Ris => {
            parts
                .iter()
                .map(|p| p.render(style))
                .collect::<Vec<_>>()
                .join("\n\n")
                + "\n"
        }
        Style::CslJson => {
            let items: Vec<serde_json::Value> = parts.iter().map(Parts::csl_json).collect();
            serde_json::Value::Array(items).to_string() + "\n"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(authors: &[&str], page: Option<&str>, date: Option<&str>) -> Parts {
        Parts {
            authors: authors.iter().map(|a| a.to_string()).collect(),
            title: "某某标题".into(),
            paper: Some("某某日报".into()),
            date: date.map(str::to_string),
            page: page.map(str::to_string),
            source: "a.txt".into(),
        }
    }

    #[test]
    fn gbt7714_leaves_out_what_is_missing_with_its_punctuation() {
        let full = parts(&["李某"], Some("1"), Some("2025-07-03"));
        assert_eq!(
            full.render(Style::Gbt7714),
            "李某. 某某标题[N]. 某某日报, 2025-07-03(01)."
        );
        let no_author = parts(&[], Some("A2"), Some("2025-07-03"));
        assert_eq!(
            no_author.render(Style::Gbt7714),
            "某某标题[N]. 某某日报, 2025-07-03(A2)."
        );
        let no_page = parts(&["李某", "王某"], None, Some("2025-07-03"));
        assert_eq!(
            no_page.render(Style::Gbt7714),
            "李某, 王某. 某某标题[N]. 某某日报, 2025-07-03."
        );
        let nothing = Parts {
            title: "某某标题".into(),
            ..Parts::default()
        };
        assert_eq!(nothing.render(Style::Gbt7714), "某某标题[N].");
        let many = parts(&["甲某", "乙某", "丙某", "丁某"], None, None);
        assert_eq!(
            many.render(Style::Gbt7714),
            "甲某, 乙某, 丙某, 等. 某某标题[N]. 某某日报."
        );
    }

    #[test]
    fn the_other_styles_carry_the_same_parts() {
        let full = parts(&["李某"], Some("1"), Some("2025-07-03"));
        let bib = full.render(Style::Bibtex);
        assert!(bib.starts_with("@article{20250703某某标题,"), "{bib}");
        for field in [
            "title = {某某标题}",
            "author = {李某}",
            "journal = {某某日报}",
            "year = 2025",
            "pages = {1}",
        ] {
            assert!(bib.contains(field), "{field} in {bib}");
        }
        let ris = full.render(Style::Ris);
        assert!(
            ris.starts_with(
                "TY  - NEWS\nAU  - 李某\nTI  - 某某标题\nT2  - 某某日报\nDA  - 2025/07/03"
            ),
            "{ris}"
        );
        assert!(ris.ends_with("ER  - "));
        let csl: serde_json::Value =
            serde_json::from_str(&full.render(Style::CslJson)).expect("json");
        assert_eq!(csl["type"], "article-newspaper");
        assert_eq!(csl["issued"]["date-parts"][0][2], 3);
        assert_eq!(csl["author"][0]["literal"], "李某");
        let bare: serde_json::Value =
            serde_json::from_str(&parts(&[], None, None).render(Style::CslJson)).expect("json");
        assert!(bare.get("author").is_none() && bare.get("issued").is_none());
    }

    #[test]
    fn reporters_are_read_from_the_byline() {
        assert_eq!(byline_authors("本报讯(记者 马琳)"), ["马琳"]);
        assert_eq!(
            byline_authors("本报讯(记者 李亚楠 通讯员 张庆华)"),
            ["李亚楠", "张庆华"]
        );
        assert!(byline_authors("本报讯").is_empty());
    }
}
