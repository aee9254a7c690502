//! The caption of a report figure: its scenario, its source and the date of its data. Drawn along
//! the bottom of the chart itself (SVG and PNG), wrapped at spaces to the chart's width so that no
//! line runs off the edge, and repeated in the report's Markdown under the figure.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{font, text_width};

/// Text size of the caption, pixels.
const SIZE: f64 = 13.0;
/// Distance between two baselines, pixels.
const LINE: u32 = 18;
/// Space above the first line and below the last one, pixels.
const PAD_TOP: u32 = 6;
const PAD_BOTTOM: u32 = 14;
/// Left (and right) inset of the lines, pixels.
pub const INSET: u32 = 16;
const GREY: RGBColor = RGBColor(80, 80, 80);

/// What a figure shows, where its numbers come from, and as of when.
#[derive(Debug, Clone, PartialEq)]
pub struct Caption {
    /// The scenario (the policy, its parameters, what is selected), in words.
    pub scenario: String,
    /// Where the numbers come from.
    pub source: String,
    /// The data's "as of" date (YYYY-MM-DD) and what it dates.
    pub date: String,
}

impl Caption {
    /// "Scenario: …", "Source: …", "Date: …", each a sentence.
    fn parts(&self) -> [String; 3] {
        [
            format!("Scenario: {}", sentence(&self.scenario)),
            format!("Source: {}", sentence(&self.source)),
            format!("Date: {}", sentence(&self.date)),
        ]
    }

    /// The lines drawn in a chart `width` pixels wide: each part starts a line and wraps at spaces.
    pub fn lines(&self, width: u32) -> Vec<String> {
        // A few pixels of slack against rounding in the glyph layout.
        let room = width.saturating_sub(2 * INSET + 8);
        let mut out = Vec::new();
        for part in self.parts() {
            wrap(&part, room, &mut out);
        }
        out
    }

    /// The height of the strip the caption takes at the bottom of a chart `width` pixels wide.
    pub fn height(&self, width: u32) -> u32 {
        PAD_TOP + LINE * self.lines(width).len() as u32 + PAD_BOTTOM
    }

    /// Fill `root` white, draw the caption along its bottom and return the area above it.
    pub fn draw_below<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> anyhow::Result<DrawingArea<DB, Shift>> {
        let err = |e| anyhow::anyhow!("drawing the caption: {e:?}");
        root.fill(&WHITE).map_err(err)?;
        let (width, height) = root.dim_in_pixel();
        let (body, strip) = root.split_vertically(height.saturating_sub(self.height(width)));
        let style = TextStyle::from(font(SIZE))
            .pos(Pos::new(HPos::Left, VPos::Top))
            .color(&GREY);
        for (i, line) in self.lines(width).into_iter().enumerate() {
            let y = (PAD_TOP + LINE * i as u32) as i32;
            strip
                .draw(&Text::new(line, (INSET as i32, y), style.clone()))
                .map_err(err)?;
        }
        Ok(body)
    }

    /// The caption as one Markdown paragraph, for the line under the figure.
    pub fn markdown(&self) -> String {
        let [scenario, source, date] = self.parts();
        let bold = |s: &str| match s.split_once(": ") {
            Some((label, rest)) => format!("*{label}:* {rest}"),
            None => s.to_string(),
        };
        format!("{} {} {}", bold(&scenario), bold(&source), bold(&date))
    }
}

/// `text` ending with a full stop.
fn sentence(text: &str) -> String {
    let t = text.trim();
    match t.ends_with('.') {
        true => t.to_string(),
        false => format!("{t}."),
    }
}

/// Append `text` to `out` as lines no wider than `room` pixels, broken at spaces (a word wider
/// than the room alone is broken between characters).
fn wrap(text: &str, room: u32, out: &mut Vec<String>) {
    let fits = |s: &str| text_width(s, SIZE) <= room;
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = match line.is_empty() {
            true => word.to_string(),
            false => format!("{line} {word}"),
        };
        if fits(&candidate) {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if !fits(&line) && line.chars().count() > 1 {
                line.pop();
                out.push(std::mem::replace(&mut line, c.to_string()));
            }
        }
    }
    if !line.is_empty() {
        out.push(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caption() -> Caption {
        Caption {
            scenario: "the April 2, 2025 rates, no retaliation".into(),
            source: "Reciprocity GE model on the embedded world (Census 2024, WDI, BACI 2023 totals; flows imputed from public totals, docs/embedded-world.md)".into(),
            date: "rates of 2025-04-02.".into(),
        }
    }

    #[test]
    fn lines_wrap_to_the_width_and_keep_every_word() {
        super::super::ensure_fonts();
        let c = caption();
        let lines = c.lines(400);
        assert!(lines.len() > 3, "{lines:?}");
        assert!(lines[0].starts_with("Scenario: the April"), "{lines:?}");
        for l in &lines {
            assert!(text_width(l, SIZE) <= 400 - 2 * INSET, "{l}");
        }
        let joined = lines.join(" ");
        for part in c.parts() {
            assert!(joined.contains(&part), "{part} in {joined}");
        }
        assert_eq!(c.lines(3000).len(), 3);
        assert_eq!(c.height(3000), PAD_TOP + 3 * LINE + PAD_BOTTOM);
        // A word wider than the room is broken, never left to run off the edge.
        let mut out = Vec::new();
        wrap(&"x".repeat(200), 100, &mut out);
        assert!(out.len() > 1 && out.iter().all(|l| text_width(l, SIZE) <= 100));
    }

    #[test]
    fn markdown_names_scenario_source_and_date() {
        assert_eq!(
            caption().markdown(),
            "*Scenario:* the April 2, 2025 rates, no retaliation. *Source:* Reciprocity GE model on the embedded world \
             (Census 2024, WDI, BACI 2023 totals; flows imputed from public totals, docs/embedded-world.md). \
             *Date:* rates of 2025-04-02."
        );
    }
}
