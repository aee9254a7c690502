//! Typed views of the model's sector x exporter x importer tables (tariffs, flows, shares).
//!
//! The tables stay flat `Vec<f64>`s, sector-major, then exporter, then importer, because the
//! solver's inner loops walk them row by row. Everywhere else a value is read and written through
//! these views, which name the exporter and the importer, so that the two cannot be swapped by a
//! hand-written `(k * n + j) * n + i`.
//!
//! ```
//! use reciprocity_model::pairs::{PairsMut, Shape};
//! let shape = Shape { sectors: 2, countries: 3 };
//! let mut rates = vec![0.0; shape.len()];
//! let mut t = PairsMut::new(shape, &mut rates);
//! t.set(1, 0, 2, 0.25); // importer 2 taxes exporter 0's sector-1 goods at 25 %
//! t.mirror(1, 0, 2); // and exporter 0 answers in kind on importer 2's sector-1 goods
//! assert_eq!(t.get(1, 2, 0), 0.25);
//! assert_eq!(t.view().bilateral(0, 2).collect::<Vec<_>>(), vec![0.0, 0.25]);
//! ```

/// The shape of a table: K sectors and N countries, N x N pairs per sector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// K.
    pub sectors: usize,
    /// N.
    pub countries: usize,
}

impl Shape {
    /// Number of values, K x N x N.
    pub fn len(self) -> usize {
        self.sectors * self.countries * self.countries
    }

    /// Whether the table holds no value.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Flat position of (sector, exporter, importer).
    #[inline]
    pub fn at(self, sector: usize, exporter: usize, importer: usize) -> usize {
        debug_assert!(
            sector < self.sectors && exporter < self.countries && importer < self.countries
        );
        (sector * self.countries + exporter) * self.countries + importer
    }
}

/// Read access to a table of values by sector and ordered country pair.
#[derive(Debug, Clone, Copy)]
pub struct Pairs<'a> {
    shape: Shape,
    values: &'a [f64],
}

impl<'a> Pairs<'a> {
    /// A view of `values`, which must hold `shape.len()` values (a programming error otherwise).
    pub fn new(shape: Shape, values: &'a [f64]) -> Self {
        assert_eq!(
            values.len(),
            shape.len(),
            "a table of {shape:?} has {} values",
            shape.len()
        );
        Pairs { shape, values }
    }

    /// The table's shape.
    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// The value for `exporter`'s sector-`sector` goods sold to `importer` (for tariffs: the rate
    /// `importer` levies on them).
    #[inline]
    pub fn get(&self, sector: usize, exporter: usize, importer: usize) -> f64 {
        self.values[self.shape.at(sector, exporter, importer)]
    }

    /// The values of one ordered pair, one per sector.
    pub fn bilateral(&self, exporter: usize, importer: usize) -> impl Iterator<Item = f64> + 'a {
        let (values, shape) = (self.values, self.shape);
        (0..shape.sectors).map(move |k| values[shape.at(k, exporter, importer)])
    }

    /// Sum over sectors of one ordered pair's values.
    pub fn bilateral_sum(&self, exporter: usize, importer: usize) -> f64 {
        self.bilateral(exporter, importer).sum()
    }

    /// `exporter`'s sector-`sector` values to every importer, in country order.
    pub fn sales(&self, sector: usize, exporter: usize) -> &'a [f64] {
        let start = self.shape.at(sector, exporter, 0);
        &self.values[start..start + self.shape.countries]
    }

    /// `importer`'s sector-`sector` values from every exporter, in country order.
    pub fn purchases(&self, sector: usize, importer: usize) -> impl Iterator<Item = f64> + 'a {
        let (values, shape) = (self.values, self.shape);
        (0..shape.countries).map(move |j| values[shape.at(sector, j, importer)])
    }
}

/// Write access to a table of values by sector and ordered country pair.
#[derive(Debug)]
pub struct PairsMut<'a> {
    shape: Shape,
    values: &'a mut [f64],
}

impl<'a> PairsMut<'a> {
    /// A view of `values`, which must hold `shape.len()` values (a programming error otherwise).
    pub fn new(shape: Shape, values: &'a mut [f64]) -> Self {
        assert_eq!(
            values.len(),
            shape.len(),
            "a table of {shape:?} has {} values",
            shape.len()
        );
        PairsMut { shape, values }
    }

    /// Read access to the same table.
    pub fn view(&self) -> Pairs<'_> {
        Pairs {
            shape: self.shape,
            values: self.values,
        }
    }

    /// See [`Pairs::get`].
    #[inline]
    pub fn get(&self, sector: usize, exporter: usize, importer: usize) -> f64 {
        self.values[self.shape.at(sector, exporter, importer)]
    }

    /// Set the value for `exporter`'s sector-`sector` goods sold to `importer`.
    #[inline]
    pub fn set(&mut self, sector: usize, exporter: usize, importer: usize, value: f64) {
        self.values[self.shape.at(sector, exporter, importer)] = value;
    }

    /// A mutable reference to one value (for `+=`).
    #[inline]
    pub fn get_mut(&mut self, sector: usize, exporter: usize, importer: usize) -> &mut f64 {
        &mut self.values[self.shape.at(sector, exporter, importer)]
    }

    /// Set one ordered pair's value in every sector.
    pub fn set_bilateral(&mut self, exporter: usize, importer: usize, value: f64) {
        for k in 0..self.shape.sectors {
            self.set(k, exporter, importer, value);
        }
    }

    /// The mirror (reciprocal) rule in one sector: `imposer` levies on `partner`'s goods the rate
    /// `partner` levies on its own.
    pub fn mirror(&mut self, sector: usize, imposer: usize, partner: usize) {
        let rate = self.get(sector, imposer, partner);
        self.set(sector, partner, imposer, rate);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_is_sector_then_exporter_then_importer() {
        let shape = Shape {
            sectors: 2,
            countries: 3,
        };
        let values: Vec<f64> = (0..shape.len()).map(|v| v as f64).collect();
        let t = Pairs::new(shape, &values);
        assert_eq!(t.get(1, 2, 0), 15.0); // (1 * 3 + 2) * 3 + 0
        assert_eq!(t.sales(1, 2), &[15.0, 16.0, 17.0]);
        assert_eq!(t.purchases(0, 1).collect::<Vec<_>>(), vec![1.0, 4.0, 7.0]);
        assert_eq!(t.bilateral(2, 1).collect::<Vec<_>>(), vec![7.0, 16.0]);
        assert_eq!(t.bilateral_sum(2, 1), 23.0);
    }

    #[test]
    fn mirror_copies_the_partners_rate_on_the_imposer() {
        let shape = Shape {
            sectors: 1,
            countries: 2,
        };
        let mut values = vec![0.0; shape.len()];
        let mut t = PairsMut::new(shape, &mut values);
        t.set(0, 1, 0, 0.34); // country 0 taxes country 1's goods at 34 %
        t.mirror(0, 1, 0); // country 1 answers: it taxes country 0's goods at the same rate
        assert_eq!(t.get(0, 0, 1), 0.34);
        t.set_bilateral(0, 1, 0.1);
        *t.get_mut(0, 0, 1) += 0.05;
        assert!((t.get(0, 0, 1) - 0.15).abs() < 1e-15);
    }
}
