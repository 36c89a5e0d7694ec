//! A ratatui backend that writes less to the terminal, for readers on slow SSH links.
//!
//! ratatui's crossterm backend moves the cursor before every cell that does not directly follow
//! the one before; after a CJK character (two cells) that is every character, so a line of
//! Chinese costs a cursor move per character. This backend tracks where the cursor really is.
//!
//! It also keeps a copy of what the screen shows. When a frame is mostly the last one moved up
//! or down by whole rows (scrolling an article that fills the width, as `less` does), it asks
//! the terminal to scroll those rows itself (a scroll region, `CSI S`/`CSI T`) and then draws
//! only what is new, the way curses optimises scrolling.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::crossterm::style::Print;
use ratatui::crossterm::{cursor, queue, terminal};
use ratatui::layout::{Position, Rect, Size};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

/// Frames changing more cells than this are wrapped in synchronized-output marks.
const SYNCHRONIZE_ABOVE: usize = 400;

/// Fewer rows than this moving together are not worth a scroll command.
const MIN_SCROLLED_ROWS: u16 = 3;

/// The backend: the writer (the terminal) and what the screen shows now.
pub struct LeanBackend<W: Write> {
    writer: W,
    /// What the terminal shows, as ratatui last drew it; `None` when unknown.
    screen: Option<Buffer>,
    /// A fixed size (tests); `None` asks the terminal.
    fixed: Option<Size>,
}

impl<W: Write> LeanBackend<W> {
    /// A backend writing to `writer`, a terminal that was just cleared.
    pub fn new(writer: W) -> Self {
        LeanBackend {
            writer,
            screen: None,
            fixed: None,
        }
    }

    /// A backend of a fixed size (for tests, where there is no terminal to ask).
    pub fn with_size(writer: W, width: u16, height: u16) -> Self {
        LeanBackend {
            writer,
            screen: None,
            fixed: Some(Size { width, height }),
        }
    }

    /// The writer (tests read what was written).
    pub fn writer(&self) -> &W {
        &self.writer
    }

    fn blank_screen(&self) -> io::Result<Buffer> {
        let size = self.size()?;
        Ok(Buffer::empty(Rect::new(0, 0, size.width, size.height)))
    }

    /// Scrolls rows the terminal already shows when `next` is mostly `screen` moved by whole
    /// rows; updates `screen` to match what the terminal then shows.
    fn scroll_if_worth_it(&mut self, screen: &mut Buffer, next: &Buffer) -> io::Result<()> {
        let Some((top, bottom, shift)) = best_scroll(screen, next) else {
            return Ok(());
        };
        // Blank rows come in with the current background: reset it first.
        write!(self.writer, "\x1b[0m")?;
        let count = shift.unsigned_abs();
        write!(self.writer, "\x1b[{};{}r", top + 1, bottom + 1)?;
        if shift > 0 {
            write!(self.writer, "\x1b[{count}S")?;
        } else {
            write!(self.writer, "\x1b[{count}T")?;
        }
        write!(self.writer, "\x1b[r")?;
        scroll_rows(screen, top, bottom, shift);
        Ok(())
    }
}

impl<W: Write> LeanBackend<W> {
    /// Writes `cells`: a cursor move only where the cursor is not already (it advances by each
    /// character's width), one SGR sequence per change of style, and a large change inside
    /// synchronized-output marks (mode 2026; terminals without it ignore them) so that a popup
    /// never appears half drawn — a scrolled line does without the 16 bytes.
    fn write_cells(&mut self, cells: &[(u16, u16, &Cell)]) -> io::Result<()> {
        let synchronized = cells.len() > SYNCHRONIZE_ABOVE;
        if synchronized {
            write!(self.writer, "\x1b[?2026h")?;
        }
        let (mut fg, mut bg, mut modifier) = (Color::Reset, Color::Reset, Modifier::empty());
        let mut at: Option<(u16, u16)> = None;
        // Every draw ends with attributes reset, so one starts from there.
        for &(x, y, cell) in cells {
            if at != Some((x, y)) {
                queue!(self.writer, cursor::MoveTo(x, y))?;
            }
            // Attributes cannot be switched off one by one everywhere: a new set of them
            // starts from a reset.
            let mut params: Vec<String> = Vec::new();
            if cell.modifier != modifier {
                params.push("0".into());
                params.extend(modifier_codes(cell.modifier).map(|c| c.to_string()));
                modifier = cell.modifier;
                (fg, bg) = (Color::Reset, Color::Reset);
            }
            if cell.fg != fg {
                push_color(&mut params, cell.fg, 30);
                fg = cell.fg;
            }
            if cell.bg != bg {
                push_color(&mut params, cell.bg, 40);
                bg = cell.bg;
            }
            if !params.is_empty() {
                write!(self.writer, "\x1b[{}m", params.join(";"))?;
            }
            let symbol = cell.symbol();
            queue!(self.writer, Print(symbol))?;
            at = Some((x + symbol.width().max(1) as u16, y));
        }
        if (fg, bg, modifier) != (Color::Reset, Color::Reset, Modifier::empty()) {
            // Resets colours too.
            write!(self.writer, "\x1b[0m")?;
        }
        if synchronized {
            write!(self.writer, "\x1b[?2026l")?;
        }
        Ok(())
    }
}

/// One hash per row of `buffer` (symbols and styles), to compare rows cheaply.
fn row_hashes(buffer: &Buffer) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    let width = (buffer.area.width as usize).max(1);
    buffer
        .content
        .chunks(width)
        .map(|row| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            for cell in row {
                (cell.symbol(), cell.fg, cell.bg, cell.modifier).hash(&mut hasher);
            }
            hasher.finish()
        })
        .collect()
}

/// The scroll that saves most: `(top, bottom, shift)` rows of the region and how far its
/// content moves up (positive) or down (negative). `None` when nothing moved.
fn best_scroll(screen: &Buffer, next: &Buffer) -> Option<(u16, u16, i32)> {
    if screen.area != next.area {
        return None;
    }
    let height = screen.area.height;
    let (old, new) = (row_hashes(screen), row_hashes(next));
    let mut best: Option<(u16, u16, i32)> = None;
    let mut best_len = MIN_SCROLLED_ROWS - 1;
    for d in 1..height / 2 + 1 {
        for up in [true, false] {
            // Runs of rows r where next[r] == screen[r + d] (up) or screen[r - d] (down).
            let mut run = 0u16;
            for r in 0..height - d {
                let (new_row, old_row) = if up { (r, r + d) } else { (r + d, r) };
                let (new_row, old_row) = (new_row as usize, old_row as usize);
                let moved = new[new_row] == old[old_row] && new[new_row] != old[new_row];
                run = if moved { run + 1 } else { 0 };
                if run > best_len {
                    best_len = run;
                    let first = r + 1 - run;
                    best = Some(if up {
                        (first, r + d, d as i32)
                    } else {
                        (first, r + d, -(d as i32))
                    });
                }
            }
        }
    }
    best
}

/// Blanks the cells a wide character covers, as ratatui's own buffers hold them (the diff
/// skips them; stale content there would make it redraw the wrong neighbours).
fn normalise_wide(buffer: &mut Buffer) {
    let width = (buffer.area.width as usize).max(1);
    for row in buffer.content.chunks_mut(width) {
        let mut x = 0;
        while x < row.len() {
            let w = row[x].symbol().width();
            for covered in row.iter_mut().take(x + w).skip(x + 1) {
                covered.reset();
            }
            x += w.max(1);
        }
    }
}

/// What the terminal does to `screen` when rows `top..=bottom` scroll by `shift`.
fn scroll_rows(screen: &mut Buffer, top: u16, bottom: u16, shift: i32) {
    let width = screen.area.width as usize;
    let rows: Vec<Vec<Cell>> = (top..=bottom)
        .map(|r| {
            let start = r as usize * width;
            screen.content[start..start + width].to_vec()
        })
        .collect();
    let span = rows.len() as i32;
    for (i, r) in (top..=bottom).enumerate() {
        let from = i as i32 + shift;
        let start = r as usize * width;
        let target = &mut screen.content[start..start + width];
        if (0..span).contains(&from) {
            target.clone_from_slice(&rows[from as usize]);
        } else {
            target.iter_mut().for_each(Cell::reset);
        }
    }
}

/// SGR parameters of `modifier` (bold 1, dim 2 … crossed out 9).
fn modifier_codes(modifier: Modifier) -> impl Iterator<Item = u8> {
    [
        Modifier::BOLD,
        Modifier::DIM,
        Modifier::ITALIC,
        Modifier::UNDERLINED,
        Modifier::SLOW_BLINK,
        Modifier::RAPID_BLINK,
        Modifier::REVERSED,
        Modifier::HIDDEN,
        Modifier::CROSSED_OUT,
    ]
    .into_iter()
    .zip(1u8..)
    .filter(move |(m, _)| modifier.contains(*m))
    .map(|(_, code)| code)
}

/// Appends the SGR parameters setting `color` as foreground (`base` 30) or background (40),
/// in the shortest form: `31` rather than `38;5;1` for the sixteen named colours.
fn push_color(params: &mut Vec<String>, color: Color, base: u8) {
    let named = |n: u8| {
        if n < 8 {
            (base + n).to_string()
        } else {
            (base + 60 + n - 8).to_string()
        }
    };
    params.push(match color {
        Color::Reset => (base + 9).to_string(),
        Color::Black => named(0),
        Color::Red => named(1),
        Color::Green => named(2),
        Color::Yellow => named(3),
        Color::Blue => named(4),
        Color::Magenta => named(5),
        Color::Cyan => named(6),
        Color::Gray => named(7),
        Color::DarkGray => named(8),
        Color::LightRed => named(9),
        Color::LightGreen => named(10),
        Color::LightYellow => named(11),
        Color::LightBlue => named(12),
        Color::LightMagenta => named(13),
        Color::LightCyan => named(14),
        Color::White => named(15),
        Color::Indexed(n) => format!("{};5;{n}", base + 8),
        Color::Rgb(r, g, b) => format!("{};2;{r};{g};{b}", base + 8),
    });
}

impl<W: Write> Write for LeanBackend<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let updates: Vec<(u16, u16, &Cell)> = content.collect();
        let mut screen = match self.screen.take() {
            Some(screen) if Some(screen.area.as_size()) == self.size().ok() => screen,
            _ => self.blank_screen()?,
        };
        let mut rows: Vec<u16> = updates.iter().map(|&(_, y, _)| y).collect();
        rows.dedup();
        if rows.len() <= usize::from(MIN_SCROLLED_ROWS) {
            // Too few rows changed for a scroll to pay (a status line, a moved selection):
            // the changes are exactly what differs from the screen, so write them and update
            // the copy in place, without comparing whole screens.
            self.write_cells(&updates)?;
            for &(x, y, cell) in &updates {
                if let Some(c) = screen.cell_mut((x, y)) {
                    *c = cell.clone();
                }
            }
            normalise_wide(&mut screen);
            self.screen = Some(screen);
            return Ok(());
        }
        let mut next = screen.clone();
        for &(x, y, cell) in &updates {
            if let Some(c) = next.cell_mut((x, y)) {
                *c = cell.clone();
            }
        }
        normalise_wide(&mut next);
        self.scroll_if_worth_it(&mut screen, &next)?;
        self.write_cells(&screen.diff(&next))?;
        self.screen = Some(next);
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        queue!(self.writer, cursor::Hide)?;
        self.writer.flush()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        // Errors are swallowed: ratatui's `Terminal::drop` calls this and `eprintln!`s a failure,
        // which panics (and aborts) when stderr is the same terminal and it has hung up.
        let _ = queue!(self.writer, cursor::Show).and_then(|_| self.writer.flush());
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        // Asking the terminal would write the query to stdout (see term::start); kanbao never
        // needs the answer, so report the corner.
        Ok(Position::ORIGIN)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let Position { x, y } = position.into();
        queue!(self.writer, cursor::MoveTo(x, y))?;
        self.writer.flush()
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        let kind = match clear_type {
            ClearType::All => terminal::ClearType::All,
            ClearType::AfterCursor => terminal::ClearType::FromCursorDown,
            ClearType::BeforeCursor => terminal::ClearType::FromCursorUp,
            ClearType::CurrentLine => terminal::ClearType::CurrentLine,
            ClearType::UntilNewLine => terminal::ClearType::UntilNewLine,
        };
        queue!(self.writer, terminal::Clear(kind))?;
        // A cleared screen is blank; a partly cleared one is unknown until the next full clear
        // (ratatui only ever clears it all).
        self.screen = match clear_type {
            ClearType::All => Some(self.blank_screen()?),
            _ => None,
        };
        self.writer.flush()
    }

    fn size(&self) -> io::Result<Size> {
        match self.fixed {
            Some(size) => Ok(size),
            None => terminal::size().map(|(width, height)| Size { width, height }),
        }
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let columns_rows = self.size()?;
        let pixels = terminal::window_size()
            .map(|w| Size {
                width: w.width,
                height: w.height,
            })
            .unwrap_or_default();
        Ok(WindowSize {
            columns_rows,
            pixels,
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::style::Style;

    /// Draws `frames` (rows of text) through the backend into a terminal emulator; checks the
    /// emulated screen after each frame and returns the bytes each frame cost.
    fn run(width: u16, height: u16, frames: &[Vec<String>]) -> Vec<usize> {
        let backend = LeanBackend::with_size(Vec::new(), width, height);
        let mut terminal = Terminal::new(backend).unwrap();
        let nz = |n: u16| std::num::NonZeroU16::new(n).unwrap();
        let mut parser = vt100::Parser::new(nz(height), nz(width), 0);
        let mut costs = Vec::new();
        let mut seen = 0;
        for frame in frames {
            let completed = terminal
                .draw(|f| {
                    for (y, line) in frame.iter().enumerate() {
                        f.buffer_mut().set_stringn(
                            0,
                            y as u16,
                            line,
                            width as usize,
                            Style::default(),
                        );
                    }
                })
                .unwrap();
            // What ratatui meant to show: each row's symbols, covered cells left out.
            let wanted: Vec<String> = completed
                .buffer
                .content
                .chunks(width as usize)
                .map(|row| {
                    let mut text = String::new();
                    let mut covered = 0;
                    for cell in row {
                        if covered > 0 {
                            covered -= 1;
                            continue;
                        }
                        text.push_str(cell.symbol());
                        covered = cell.symbol().width().saturating_sub(1);
                    }
                    text.trim_end().to_string()
                })
                .collect();
            let written = terminal.backend().writer();
            parser.process(&written[seen..]);
            costs.push(written.len() - seen);
            seen = written.len();
            let shown: Vec<String> = parser
                .screen()
                .rows(0, width)
                .map(|row| row.trim_end().to_string())
                .collect();
            assert_eq!(shown, wanted);
        }
        costs
    }

    fn article(lines: usize) -> Vec<String> {
        (0..lines)
            .map(|i| format!("│第{i}行：这是一段用来滚动的中文正文，每行都不一样。{i}│"))
            .collect()
    }

    #[test]
    fn scrolling_a_full_width_article_sends_only_the_new_rows() {
        let text = article(60);
        let frame = |top: usize| -> Vec<String> {
            let mut rows = vec!["┌─ 正文 ─┐".to_string()];
            rows.extend(text[top..top + 20].iter().cloned());
            rows.push(format!("状态 {top}"));
            rows
        };
        let frames: Vec<Vec<String>> = [0, 1, 2, 5, 4, 4, 30, 29].map(frame).into();
        let costs = run(60, 22, &frames);
        let line_bytes = text[0].len();
        // One row down or up: about one new row of text, not twenty.
        for step in [1, 2, 4] {
            assert!(costs[step] < 3 * line_bytes, "{costs:?}");
        }
        assert!(costs[0] > 15 * line_bytes, "{costs:?}");
    }

    #[test]
    fn styles_reach_the_terminal_in_one_short_sequence() {
        let backend = LeanBackend::with_size(Vec::new(), 20, 1);
        let mut terminal = Terminal::new(backend).unwrap();
        terminal
            .draw(|f| {
                f.buffer_mut()
                    .set_string(0, 0, "正文", Style::new().bold().cyan());
                f.buffer_mut().set_string(
                    4,
                    0,
                    "x",
                    Style::new().fg(Color::Indexed(200)).on_gray(),
                );
            })
            .unwrap();
        let written = String::from_utf8_lossy(terminal.backend().writer()).into_owned();
        assert!(written.contains("\x1b[0;1;36m正文"), "{written:?}");
        assert!(written.contains("\x1b[0;38;5;200;47mx"), "{written:?}");
        let mut parser = vt100::Parser::new(
            std::num::NonZeroU16::new(1).unwrap(),
            std::num::NonZeroU16::new(20).unwrap(),
            0,
        );
        parser.process(terminal.backend().writer());
        let cell = parser.screen().cell(0, 0).unwrap();
        assert!(cell.bold());
        assert_eq!(cell.fgcolor(), vt100::Color::Idx(6));
        let x = parser.screen().cell(0, 4).unwrap();
        assert_eq!(
            (x.fgcolor(), x.bgcolor()),
            (vt100::Color::Idx(200), vt100::Color::Idx(7))
        );
    }

    #[test]
    fn large_changes_are_synchronized_small_ones_are_not() {
        let backend = LeanBackend::with_size(Vec::new(), 60, 20);
        let mut terminal = Terminal::new(backend).unwrap();
        let fill = |f: &mut ratatui::Frame, text: &str| {
            for y in 0..20 {
                f.buffer_mut().set_string(0, y, text, Style::default());
            }
        };
        terminal.draw(|f| fill(f, &"满屏的字".repeat(8))).unwrap();
        let first = terminal.backend().writer().len();
        let written = String::from_utf8_lossy(terminal.backend().writer()).into_owned();
        let (begin, end) = (written.find("\x1b[?2026h"), written.find("\x1b[?2026l"));
        assert!(
            matches!((begin, end), (Some(b), Some(e)) if b < written.find("满").unwrap() && e > written.rfind("字").unwrap()),
            "{written:?}"
        );
        terminal
            .draw(|f| {
                fill(f, &"满屏的字".repeat(8));
                f.buffer_mut().set_string(0, 0, "改", Style::default());
            })
            .unwrap();
        let small = String::from_utf8_lossy(&terminal.backend().writer()[first..]).into_owned();
        assert!(!small.contains("2026"), "{small:?}");
    }

    #[test]
    fn cjk_needs_no_cursor_move_per_character() {
        let costs = run(40, 2, &[vec!["中文标题在这里".into(), "正文".into()]]);
        // 9 characters of 3 bytes, two cursor moves and the resets; not a move per character.
        assert!(costs[0] < 27 + 40, "{costs:?}");
    }

    #[test]
    fn random_frames_always_show_what_was_drawn() {
        let words = ["中文", "ab", "「引号」", "——", "１２", "x", "测试行", "  "];
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize
        };
        let mut pool: Vec<String> = (0..40)
            .map(|_| {
                (0..next() % 8)
                    .map(|_| words[next() % words.len()])
                    .collect()
            })
            .collect();
        let mut frames = Vec::new();
        let mut top = 0;
        for _ in 0..60 {
            match next() % 4 {
                0 => top = (top + 1 + next() % 3).min(20),
                1 => top = top.saturating_sub(1 + next() % 3),
                2 => {
                    let i = next() % pool.len();
                    pool[i] = (0..next() % 8)
                        .map(|_| words[next() % words.len()])
                        .collect();
                }
                _ => {}
            }
            frames.push(pool[top..top + 12].to_vec());
        }
        run(24, 12, &frames);
    }

    #[test]
    fn scrolls_use_a_region_and_leave_it_reset() {
        let text = article(30);
        let frames: Vec<Vec<String>> = [0, 1, 0].map(|top| text[top..top + 10].to_vec()).into();
        let backend = LeanBackend::with_size(Vec::new(), 60, 12);
        let mut terminal = Terminal::new(backend).unwrap();
        for frame in &frames {
            terminal
                .draw(|f| {
                    for (y, line) in frame.iter().enumerate() {
                        f.buffer_mut()
                            .set_stringn(0, y as u16, line, 60, Style::default());
                    }
                })
                .unwrap();
        }
        let written = String::from_utf8_lossy(terminal.backend().writer()).into_owned();
        assert!(written.contains("\x1b[1;10r\x1b[1S\x1b[r"), "{written:?}");
        assert!(written.contains("\x1b[1;10r\x1b[1T\x1b[r"), "{written:?}");
    }
}
