//! A flowing A4 document on printpdf with DejaVu Sans embedded (so text
//! extracts and every reader shows the same glyphs): headings, wrapped
//! paragraphs and table rows, new pages as needed, and on every page the
//! title, "page i of n" and when it was generated.

use crate::domain::timestamp::Timestamp;
use crate::domain::trends::Chart;
use printpdf::path::PaintMode;
use printpdf::{
    Color, IndirectFontRef, Line, Mm, PdfDocument, PdfDocumentReference, PdfLayerIndex,
    PdfLayerReference, PdfPageIndex, Point, Rect, Rgb,
};

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

const WIDTH: f32 = 210.0;
const HEIGHT: f32 = 297.0;
const MARGIN: f32 = 18.0;
/// Millimetres per character of DejaVu Sans at 1 pt, on average: what
/// wrapping assumes.
const CHAR_MM_PER_PT: f32 = 0.2;
/// The series' colours, as on the pages: blue, red, green.
const SERIES: [(f32, f32, f32); 3] = [
    (0.043, 0.31, 0.424),
    (0.643, 0.212, 0.11),
    (0.176, 0.416, 0.18),
];
const GREY: (f32, f32, f32) = (0.8, 0.8, 0.8);
const INK: (f32, f32, f32) = (0.0, 0.0, 0.0);

fn colour((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb::new(r, g, b, None))
}

fn segment(layer: &PdfLayerReference, points: &[(f32, f32)]) {
    layer.add_line(Line {
        points: points
            .iter()
            .map(|(x, y)| (Point::new(Mm(*x), Mm(*y)), false))
            .collect(),
        is_closed: false,
    });
}

pub struct Document {
    doc: PdfDocumentReference,
    regular: IndirectFontRef,
    bold: IndirectFontRef,
    pages: Vec<(PdfPageIndex, PdfLayerIndex)>,
    /// Where the next line's baseline goes, from the bottom.
    y: f32,
    title: String,
    generated: String,
}

/// `text` in lines of at most `chars` characters, broken at spaces.
pub fn wrap(text: &str, chars: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > chars {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            while line.chars().count() > chars {
                let head: String = line.chars().take(chars).collect();
                line = line.chars().skip(chars).collect();
                lines.push(head);
            }
        }
        lines.push(line);
    }
    lines
}

fn chars_for(width_mm: f32, size: f32) -> usize {
    ((width_mm / (size * CHAR_MM_PER_PT)) as usize).max(4)
}

impl Document {
    pub fn new(title: &str, generated_at: Timestamp) -> anyhow::Result<Document> {
        let (doc, page, layer) = PdfDocument::new(title, Mm(WIDTH), Mm(HEIGHT), "content");
        let regular = doc.add_external_font(REGULAR)?;
        let bold = doc.add_external_font(BOLD)?;
        Ok(Document {
            doc,
            regular,
            bold,
            pages: vec![(page, layer)],
            y: HEIGHT - MARGIN - 6.0,
            title: title.to_string(),
            generated: generated_at.display_minutes(),
        })
    }

    fn put(&self, text: &str, size: f32, x: f32, bold: bool) {
        let (page, layer) = *self.pages.last().expect("a document has a page");
        let font = if bold { &self.bold } else { &self.regular };
        self.doc
            .get_page(page)
            .get_layer(layer)
            .use_text(text, size, Mm(x), Mm(self.y), font);
    }

    /// Starts a new page unless `height` millimetres still fit: to keep a
    /// heading with what follows it.
    pub fn room(&mut self, height: f32) {
        if self.y - height < MARGIN + 8.0 {
            let (page, layer) = self.doc.add_page(Mm(WIDTH), Mm(HEIGHT), "content");
            self.pages.push((page, layer));
            self.y = HEIGHT - MARGIN - 6.0;
        }
    }

    fn line_of(&mut self, text: &str, size: f32, bold: bool) {
        let height = size * 0.45;
        self.room(height);
        self.put(text, size, MARGIN, bold);
        self.y -= height;
    }

    pub fn heading(&mut self, text: &str) {
        self.room(20.0);
        self.y -= 3.0;
        self.line_of(text, 15.0, true);
        self.y -= 1.5;
    }

    pub fn subheading(&mut self, text: &str) {
        self.room(14.0);
        self.y -= 2.5;
        self.line_of(text, 11.5, true);
        self.y -= 0.5;
    }

    pub fn paragraph(&mut self, text: &str) {
        let size = 9.5;
        for line in wrap(text, chars_for(WIDTH - 2.0 * MARGIN, size)) {
            self.line_of(&line, size, false);
        }
        self.y -= 1.5;
    }

    /// One table row: each cell wrapped within its width (millimetres).
    pub fn row(&mut self, cells: &[&str], widths: &[f32], bold: bool) {
        let size = 8.5;
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .zip(widths)
            .map(|(t, w)| wrap(t, chars_for(*w - 2.0, size)))
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        let height = size * 0.45;
        self.room(height * lines as f32);
        for n in 0..lines {
            let mut x = MARGIN;
            for (cell, width) in wrapped.iter().zip(widths) {
                if let Some(text) = cell.get(n) {
                    self.put(text, size, x, bold);
                }
                x += width;
            }
            self.y -= height;
        }
        self.y -= 1.0;
    }

    fn layer(&self) -> PdfLayerReference {
        let (page, layer) = *self.pages.last().expect("a document has a page");
        self.doc.get_page(page).get_layer(layer)
    }

    /// A line chart laid out by [`crate::domain::trends::chart`], drawn
    /// in vectors across the text width, with its legend and axes.
    pub fn line_chart(&mut self, caption: &str, chart: &Chart) {
        let scale = ((WIDTH - 2.0 * MARGIN) as f64 / chart.width) as f32;
        let height = chart.height as f32 * scale;
        self.room(height + 10.0);
        let legend: Vec<&str> = chart.lines.iter().map(|(name, _)| name.as_str()).collect();
        self.line_of(caption, 9.5, true);
        if chart.x_labels.is_empty() {
            self.paragraph("Nothing measured yet.");
            return;
        }
        let top = self.y;
        let at = |x: f64, y: f64| (MARGIN + x as f32 * scale, top - y as f32 * scale);
        let layer = self.layer();
        layer.set_outline_thickness(0.3);
        layer.set_outline_color(colour(GREY));
        layer.set_fill_color(colour(INK));
        for (y, label) in &chart.y_ticks {
            segment(&layer, &[at(48.0, *y), at(chart.width - 10.0, *y)]);
            let (x, y) = at(4.0, *y + 3.0);
            layer.use_text(label.as_str(), 6.5, Mm(x), Mm(y), &self.regular);
        }
        for (x, label) in &chart.x_labels {
            let (x, y) = at(*x - 20.0, chart.height - 6.0);
            layer.use_text(label.as_str(), 6.5, Mm(x), Mm(y), &self.regular);
        }
        layer.set_outline_thickness(0.8);
        for (i, (_, points)) in chart.lines.iter().enumerate() {
            let c = SERIES[i % SERIES.len()];
            layer.set_outline_color(colour(c));
            layer.set_fill_color(colour(c));
            let mapped: Vec<(f32, f32)> = points.iter().map(|(x, y)| at(*x, *y)).collect();
            if mapped.len() > 1 {
                segment(&layer, &mapped);
            }
            for (x, y) in &mapped {
                layer.add_rect(
                    Rect::new(Mm(x - 0.7), Mm(y - 0.7), Mm(x + 0.7), Mm(y + 0.7))
                        .with_mode(PaintMode::Fill),
                );
            }
        }
        layer.set_fill_color(colour(INK));
        self.y = top - height - 2.0;
        let legend = legend
            .iter()
            .enumerate()
            .map(|(i, name)| format!("{} {name}", ["blue:", "red:", "green:"][i % 3]))
            .collect::<Vec<_>>()
            .join("   ");
        self.line_of(&legend, 7.5, false);
        self.y -= 2.0;
    }

    /// Horizontal bars: each label, a bar as long as its share of `max`,
    /// and the value written after it.
    pub fn bars(&mut self, caption: &str, bars: &[(String, f64)], max: f64) {
        self.room(8.0 + 6.0 * bars.len() as f32);
        self.line_of(caption, 9.5, true);
        let full = WIDTH - 2.0 * MARGIN - 60.0;
        for (label, value) in bars {
            self.room(6.0);
            let layer = self.layer();
            layer.set_fill_color(colour(INK));
            self.put(label, 8.5, MARGIN, false);
            let length = if max > 0.0 {
                (value / max).clamp(0.0, 1.0) as f32 * full
            } else {
                0.0
            };
            let x = MARGIN + 40.0;
            layer.set_fill_color(colour(SERIES[0]));
            layer.add_rect(
                Rect::new(
                    Mm(x),
                    Mm(self.y - 1.0),
                    Mm(x + length.max(0.3)),
                    Mm(self.y + 3.0),
                )
                .with_mode(PaintMode::Fill),
            );
            layer.set_fill_color(colour(INK));
            self.put(&format!("{value:.0}"), 8.5, x + length + 2.0, false);
            self.y -= 6.0;
        }
        self.y -= 2.0;
    }

    /// The finished PDF, every page footed with its number.
    pub fn finish(self) -> anyhow::Result<Vec<u8>> {
        let total = self.pages.len();
        for (i, (page, layer)) in self.pages.iter().enumerate() {
            let footer = format!(
                "{} · page {} of {total} · generated {}",
                self.title,
                i + 1,
                self.generated
            );
            self.doc.get_page(*page).get_layer(*layer).use_text(
                footer,
                7.5,
                Mm(MARGIN),
                Mm(MARGIN - 6.0),
                &self.regular,
            );
        }
        Ok(self.doc.save_to_bytes()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_at_spaces_and_splits_long_words() {
        assert_eq!(wrap("one two three four", 9), ["one two", "three", "four"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("a\n\nb", 10), ["a", "", "b"]);
    }

    #[test]
    fn a_long_document_gets_pages_and_starts_as_a_pdf() {
        let at = Timestamp::parse("2026-11-26T10:00:00Z").unwrap();
        let mut doc = Document::new("Test", at).unwrap();
        doc.heading("Heading");
        for i in 0..200 {
            doc.row(
                &[
                    &format!("row {i}"),
                    "a cell that wraps over more than one line",
                ],
                &[40.0, 30.0],
                false,
            );
        }
        assert!(doc.pages.len() > 3);
        let bytes = doc.finish().unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
    }
}
