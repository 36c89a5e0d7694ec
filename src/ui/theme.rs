//! Styles: 16 colours at most (no truecolor assumption), and with `NO_COLOR` only bold, dim,
//! italic and reverse.

use ratatui::style::{Color, Modifier, Style};

/// The styles the UI draws with.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    color: bool,
}

impl Theme {
    /// A theme with or without colour.
    pub fn new(color: bool) -> Self {
        Theme { color }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::default().fg(color)
        } else {
            Style::default()
        }
    }

    /// Plain text.
    pub fn normal(&self) -> Style {
        Style::default()
    }

    /// Secondary text: kicker, subtitle, byline, counts.
    pub fn dim(&self) -> Style {
        Style::default().add_modifier(Modifier::DIM)
    }

    /// Headlines.
    pub fn title(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// The selected row of a list.
    pub fn selected(&self, focused: bool) -> Style {
        if focused {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    /// Pane borders.
    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            self.fg(Color::DarkGray)
        }
    }

    /// Pane titles on the border.
    pub fn pane_title(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        }
    }

    /// The hit `n`/`N` moved to: set apart from the other hits.
    pub fn current_hit(&self) -> Style {
        if self.color {
            Style::default()
                .fg(Color::Black)
                .bg(Color::LightRed)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default()
                .add_modifier(Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    /// Search hits.
    pub fn hit(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Black).bg(Color::Yellow)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }

    /// The sparkline of hits over time.
    pub fn hit_bar(&self) -> Style {
        self.fg(Color::Yellow)
    }

    /// The reader's own notes under an article's header: not the paper's text.
    pub fn note(&self) -> Style {
        self.fg(Color::Yellow)
    }

    /// Photo markers and captions.
    pub fn photo(&self) -> Style {
        self.fg(Color::Magenta)
    }

    /// The status line.
    pub fn status(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Black).bg(Color::Gray)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }

    /// Messages and pending keys in the status line.
    pub fn status_message(&self) -> Style {
        self.status().add_modifier(Modifier::BOLD)
    }

    /// Line numbers in raw view.
    pub fn gutter(&self) -> Style {
        self.fg(Color::DarkGray)
    }
}
