//! Biproportional fitting (RAS, iterative proportional fitting): scale the rows and columns of a
//! non-negative prior matrix until its row and column sums match given targets.

use crate::Error;

/// When to stop RAS.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RasOptions {
    /// Stop when every row and column sum is within this relative error of its target.
    pub tolerance: f64,
    /// Give up (with an error) after this many row-and-column sweeps.
    pub max_iterations: usize,
}

impl Default for RasOptions {
    fn default() -> Self {
        RasOptions {
            tolerance: 1e-10,
            max_iterations: 10_000,
        }
    }
}

/// How a RAS run ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RasReport {
    /// Row-and-column sweeps done.
    pub iterations: usize,
    /// The largest |sum − target| / target over rows and columns with a positive target, at the end.
    pub max_relative_error: f64,
}

/// Fit `prior` (row-major, `row_targets.len()` × `col_targets.len()`) to the margins.
///
/// Rows and columns with a zero target end at zero. Fails when the inputs are inconsistent
/// (negative or non-finite values, target totals that differ by more than the tolerance, a positive
/// target on a row or column that the prior leaves empty) or when the sweeps do not reach the
/// tolerance within `max_iterations`: never returns an unconverged matrix.
///
/// ```
/// use reciprocity_data::world::{ras, RasOptions};
/// let prior = [1.0, 1.0, 1.0, 1.0];
/// let (fit, report) = ras(&prior, &[3.0, 1.0], &[2.0, 2.0], RasOptions::default()).unwrap();
/// assert!((fit[0] + fit[1] - 3.0).abs() < 1e-9 && (fit[0] + fit[2] - 2.0).abs() < 1e-9);
/// assert!(report.max_relative_error < 1e-10);
/// ```
pub fn ras(
    prior: &[f64],
    row_targets: &[f64],
    col_targets: &[f64],
    options: RasOptions,
) -> Result<(Vec<f64>, RasReport), Error> {
    let (rows, cols) = (row_targets.len(), col_targets.len());
    if prior.len() != rows * cols {
        return Err(Error::Invalid(format!(
            "RAS: the prior has {} cells, expected {rows} x {cols} = {}",
            prior.len(),
            rows * cols
        )));
    }
    let all = prior.iter().chain(row_targets).chain(col_targets);
    if let Some(bad) = all.into_iter().find(|v| !v.is_finite() || **v < 0.0) {
        return Err(Error::Invalid(format!(
            "RAS: expected finite non-negative inputs, found {bad}"
        )));
    }
    let row_total: f64 = row_targets.iter().sum();
    let col_total: f64 = col_targets.iter().sum();
    if (row_total - col_total).abs() > options.tolerance * row_total.max(col_total) {
        return Err(Error::Invalid(format!(
            "RAS: row targets sum to {row_total:.6e} but column targets to {col_total:.6e}"
        )));
    }
    for r in 0..rows {
        if row_targets[r] > 0.0 && prior[r * cols..(r + 1) * cols].iter().all(|&v| v == 0.0) {
            return Err(Error::Invalid(format!(
                "RAS: row {r} has a positive target but an empty prior"
            )));
        }
    }
    for c in 0..cols {
        if col_targets[c] > 0.0 && (0..rows).all(|r| prior[r * cols + c] == 0.0) {
            return Err(Error::Invalid(format!(
                "RAS: column {c} has a positive target but an empty prior"
            )));
        }
    }

    let mut x = prior.to_vec();
    let mut row_sums = vec![0.0; rows];
    let mut col_sums = vec![0.0; cols];
    let mut error = f64::INFINITY;
    for iteration in 1..=options.max_iterations {
        sums(&x, cols, &mut row_sums, &mut col_sums);
        for r in 0..rows {
            let f = factor(row_targets[r], row_sums[r]);
            x[r * cols..(r + 1) * cols].iter_mut().for_each(|v| *v *= f);
        }
        sums(&x, cols, &mut row_sums, &mut col_sums);
        for (c, col_sum) in col_sums.iter().enumerate() {
            let f = factor(col_targets[c], *col_sum);
            (0..rows).for_each(|r| x[r * cols + c] *= f);
        }
        sums(&x, cols, &mut row_sums, &mut col_sums);
        error = max_relative_error(&row_sums, row_targets)
            .max(max_relative_error(&col_sums, col_targets));
        if error <= options.tolerance {
            return Ok((
                x,
                RasReport {
                    iterations: iteration,
                    max_relative_error: error,
                },
            ));
        }
    }
    Err(Error::Invalid(format!(
        "RAS did not converge: max relative error {error:.3e} after {} iterations (tolerance {:.1e})",
        options.max_iterations, options.tolerance
    )))
}

fn sums(x: &[f64], cols: usize, row_sums: &mut [f64], col_sums: &mut [f64]) {
    row_sums.iter_mut().for_each(|v| *v = 0.0);
    col_sums.iter_mut().for_each(|v| *v = 0.0);
    for (r, row) in x.chunks_exact(cols).enumerate() {
        for (c, &v) in row.iter().enumerate() {
            row_sums[r] += v;
            col_sums[c] += v;
        }
    }
}

fn factor(target: f64, sum: f64) -> f64 {
    if sum > 0.0 {
        target / sum
    } else {
        0.0
    }
}

fn max_relative_error(sums: &[f64], targets: &[f64]) -> f64 {
    sums.iter()
        .zip(targets)
        .map(|(&s, &t)| if t > 0.0 { (s - t).abs() / t } else { s.abs() })
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rank_one_prior_fits_in_one_sweep_to_the_product_of_margins() {
        // With a constant prior the RAS solution is r_i c_j / total (independence), reached at once.
        let (fit, report) = ras(
            &[1.0; 6],
            &[1.0, 2.0, 3.0],
            &[4.0, 2.0],
            RasOptions::default(),
        )
        .unwrap();
        assert_eq!(report.iterations, 1);
        for r in 0..3 {
            for c in 0..2 {
                let expected = [1.0, 2.0, 3.0][r] * [4.0, 2.0][c] / 6.0;
                assert!((fit[r * 2 + c] - expected).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn zeros_in_the_prior_stay_zero_and_cross_ratios_are_kept() {
        // A 3x3 prior with a zero diagonal, as for trade flows.
        let prior = [0.0, 2.0, 1.0, 3.0, 0.0, 1.0, 1.0, 4.0, 0.0];
        let (fit, report) = ras(
            &prior,
            &[5.0, 6.0, 7.0],
            &[8.0, 6.0, 4.0],
            RasOptions::default(),
        )
        .unwrap();
        assert!(report.iterations > 1 && report.max_relative_error <= 1e-10);
        for d in 0..3 {
            assert_eq!(fit[d * 3 + d], 0.0);
        }
        // RAS keeps the odds ratios of the prior: x01 x12 x20 / (x02 x10 x21) = 2·1·1 / (1·3·4).
        let ratio = fit[1] * fit[5] * fit[6] / (fit[2] * fit[3] * fit[7]);
        assert!((ratio - 2.0 / 12.0).abs() < 1e-9, "{ratio}");
    }

    #[test]
    fn inconsistent_inputs_are_refused() {
        let opts = RasOptions::default();
        let err = ras(&[1.0; 4], &[1.0, 1.0], &[1.0, 2.0], opts)
            .unwrap_err()
            .to_string();
        assert!(err.contains("row targets sum to"), "{err}");
        let err = ras(&[0.0, 0.0, 1.0, 1.0], &[1.0, 1.0], &[1.0, 1.0], opts)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("row 0 has a positive target but an empty prior"),
            "{err}"
        );
        let err = ras(&[1.0; 4], &[-1.0, 3.0], &[1.0, 1.0], opts)
            .unwrap_err()
            .to_string();
        assert!(err.contains("non-negative"), "{err}");
    }

    #[test]
    fn an_infeasible_problem_fails_loudly_instead_of_returning_a_bad_fit() {
        // Row 0 must send 10 but can only sell to column 1, whose target is 1: no fit exists.
        let prior = [0.0, 1.0, 1.0, 1.0];
        let err = ras(
            &prior,
            &[10.0, 1.0],
            &[10.0, 1.0],
            RasOptions {
                tolerance: 1e-10,
                max_iterations: 500,
            },
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("RAS did not converge"), "{err}");
    }
}
