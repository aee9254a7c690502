//! Final demand by destination: the sourcing-share split of `icio2022/README.md`.
//!
//! For one sector, let Z_ji be the intermediate sales of exporter j to importer i (domestic diagonal
//! included) and F_j the exporter's final-plus-ROW sales. The destination's sourcing shares are
//! A_ji = Z_ji / Σ_o Z_oi. Assumption: a destination buys its final goods of the sector from the
//! same sources, in the same proportions, as its intermediates. Destination final demand D_i ≥ 0 is
//! fit by non-negative least squares to the row totals, A·D ≈ F, and the split is
//! FD_ji = A_ji D_i. The fit's residual is reported; each row is then scaled to reproduce F_j
//! exactly (so gross output is an identity), and that closing adjustment is reported too.

/// How the fit of one sector ended.
#[derive(Debug, Clone, PartialEq)]
pub struct SectorFit {
    /// The ICIO sector code.
    pub sector: String,
    /// Σ_j F_j: the sector's final-plus-ROW sales of the 80, million USD.
    pub final_sales: f64,
    /// Σ_j |(A·D)_j − F_j| / Σ_j F_j, before the rows are closed.
    pub relative_residual: f64,
    /// The median over exporters with F_j > 0 of |(A·D)_j − F_j| / F_j.
    pub median_relative_error: f64,
    /// The largest of those.
    pub max_relative_error: f64,
    /// Passive-set changes of the Lawson-Hanson NNLS (0 when the plain solve was non-negative).
    pub nnls_steps: usize,
    /// Exporters whose final sales had no destination in the fit and went to their own market.
    pub rows_to_domestic: usize,
}

/// Split one sector's final sales. `z` is N×N row-major (exporter × importer), `f` has N entries.
/// Returns FD (N×N, row sums equal to `f` exactly) and the fit report.
pub fn split_final_demand(sector: &str, z: &[f64], f: &[f64]) -> (Vec<f64>, SectorFit) {
    let n = f.len();
    let mut a = vec![0.0; n * n];
    for i in 0..n {
        let col: f64 = (0..n).map(|j| z[j * n + i]).sum();
        if col > 0.0 {
            (0..n).for_each(|j| a[j * n + i] = z[j * n + i] / col);
        }
    }
    let (d, nnls_steps) = nnls(&a, f, n);
    let mut fd = vec![0.0; n * n];
    for j in 0..n {
        for i in 0..n {
            fd[j * n + i] = a[j * n + i] * d[i];
        }
    }
    let mut errors = Vec::with_capacity(n);
    let mut abs_residual = 0.0;
    let mut rows_to_domestic = 0;
    for j in 0..n {
        let row: f64 = fd[j * n..(j + 1) * n].iter().sum();
        abs_residual += (row - f[j]).abs();
        if f[j] > 0.0 {
            errors.push((row - f[j]).abs() / f[j]);
        }
        // Close the row: reproduce F_j exactly.
        if row > 0.0 {
            let scale = f[j] / row;
            fd[j * n..(j + 1) * n].iter_mut().for_each(|v| *v *= scale);
        } else if f[j] > 0.0 {
            fd[j * n + j] = f[j];
            rows_to_domestic += 1;
        }
    }
    errors.sort_by(f64::total_cmp);
    let total: f64 = f.iter().sum();
    let fit = SectorFit {
        sector: sector.to_string(),
        final_sales: total,
        relative_residual: if total > 0.0 {
            abs_residual / total
        } else {
            0.0
        },
        median_relative_error: errors.get(errors.len() / 2).copied().unwrap_or(0.0),
        max_relative_error: errors.last().copied().unwrap_or(0.0),
        nnls_steps,
        rows_to_domestic,
    };
    (fd, fit)
}

/// Non-negative least squares min ‖A x − b‖², x ≥ 0, A n×n row-major (Lawson-Hanson on the normal
/// equations). Columns of A that are all zero get x = 0. Returns x and the passive-set changes.
pub(crate) fn nnls(a: &[f64], b: &[f64], n: usize) -> (Vec<f64>, usize) {
    // Gram matrix G = AᵀA and c = Aᵀb.
    let mut g = vec![0.0; n * n];
    let mut c = vec![0.0; n];
    for r in 0..n {
        let row = &a[r * n..(r + 1) * n];
        for p in 0..n {
            if row[p] == 0.0 {
                continue;
            }
            c[p] += row[p] * b[r];
            for q in 0..n {
                g[p * n + q] += row[p] * row[q];
            }
        }
    }
    let usable: Vec<bool> = (0..n).map(|p| g[p * n + p] > 0.0).collect();
    let scale = c.iter().fold(0.0_f64, |m, v| m.max(v.abs())).max(1e-300);
    let tol = 1e-13 * scale;
    let mut x = vec![0.0; n];
    let mut passive = vec![false; n];
    let mut steps = 0;
    // A fast path: the plain solve on every usable column, when it is non-negative.
    if let Some(s) = solve_subset(&g, &c, n, &usable) {
        if s.iter().all(|v| *v >= 0.0) {
            return (s, 0);
        }
    }
    for _outer in 0..3 * n {
        let w: Vec<f64> = (0..n)
            .map(|p| c[p] - (0..n).map(|q| g[p * n + q] * x[q]).sum::<f64>())
            .collect();
        let candidate = (0..n)
            .filter(|&p| usable[p] && !passive[p] && w[p] > tol)
            .max_by(|&p, &q| w[p].total_cmp(&w[q]));
        let Some(t) = candidate else { break };
        passive[t] = true;
        steps += 1;
        for _inner in 0..3 * n {
            let Some(s) = solve_subset(&g, &c, n, &passive) else {
                // A singular passive set: drop the column just added and stop growing.
                passive[t] = false;
                break;
            };
            if (0..n).all(|p| !passive[p] || s[p] > 0.0) {
                x = s;
                break;
            }
            let mut alpha = 1.0_f64;
            for p in 0..n {
                if passive[p] && s[p] <= 0.0 {
                    alpha = alpha.min(x[p] / (x[p] - s[p]));
                }
            }
            for p in 0..n {
                x[p] += alpha * (s[p] - x[p]);
                if passive[p] && x[p] <= 1e-15 * scale {
                    passive[p] = false;
                    x[p] = 0.0;
                    steps += 1;
                }
            }
        }
    }
    x.iter_mut().for_each(|v| *v = v.max(0.0));
    (x, steps)
}

/// Solve G_PP s_P = c_P (Gaussian elimination with partial pivoting); s is 0 off P.
/// `None` when the subsystem is singular.
fn solve_subset(g: &[f64], c: &[f64], n: usize, set: &[bool]) -> Option<Vec<f64>> {
    let idx: Vec<usize> = (0..n).filter(|&p| set[p]).collect();
    let m = idx.len();
    let mut s = vec![0.0; n];
    if m == 0 {
        return Some(s);
    }
    let mut mat: Vec<f64> = Vec::with_capacity(m * (m + 1));
    for &p in &idx {
        for &q in &idx {
            mat.push(g[p * n + q]);
        }
        mat.push(c[p]);
    }
    let w = m + 1;
    let max_diag = idx.iter().fold(0.0_f64, |a, &p| a.max(g[p * n + p]));
    for col in 0..m {
        let pivot =
            (col..m).max_by(|&r, &q| mat[r * w + col].abs().total_cmp(&mat[q * w + col].abs()))?;
        if mat[pivot * w + col].abs() <= 1e-14 * max_diag {
            return None;
        }
        if pivot != col {
            for k in 0..w {
                mat.swap(col * w + k, pivot * w + k);
            }
        }
        let d = mat[col * w + col];
        for r in col + 1..m {
            let f = mat[r * w + col] / d;
            if f != 0.0 {
                for k in col..w {
                    mat[r * w + k] -= f * mat[col * w + k];
                }
            }
        }
    }
    for col in (0..m).rev() {
        let mut v = mat[col * w + m];
        for k in col + 1..m {
            v -= mat[col * w + k] * s[idx[k]];
        }
        s[idx[col]] = v / mat[col * w + col];
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_three_countries_recover_the_known_final_demand() {
        // Synthetic example (not data): three countries, one sector. Intermediate sales Z (exporter
        // × importer) give the sourcing shares of each destination column:
        // column 0: 6/10, 3/10, 1/10; column 1: 2/10, 7/10, 1/10; column 2: 1/5, 1/5, 3/5.
        let z = [6.0, 2.0, 1.0, 3.0, 7.0, 1.0, 1.0, 1.0, 3.0];
        // Known destination final demand D = (100, 50, 20): row totals F = A·D.
        let f = [
            0.6 * 100.0 + 0.2 * 50.0 + 0.2 * 20.0,
            0.3 * 100.0 + 0.7 * 50.0 + 0.2 * 20.0,
            0.1 * 100.0 + 0.1 * 50.0 + 0.6 * 20.0,
        ];
        let (fd, fit) = split_final_demand("SYN", &z, &f);
        let expected = [60.0, 10.0, 4.0, 30.0, 35.0, 4.0, 10.0, 5.0, 12.0];
        for (got, want) in fd.iter().zip(expected) {
            assert!((got - want).abs() < 1e-9, "{fd:?}");
        }
        assert!(fit.relative_residual < 1e-12, "{fit:?}");
        assert_eq!(fit.rows_to_domestic, 0);
    }

    #[test]
    fn synthetic_infeasible_totals_are_fit_non_negatively_and_rows_closed() {
        // Synthetic: country 1 sells final goods but nobody sources intermediates from it except
        // itself, and the totals ask for a negative D somewhere: NNLS keeps D ≥ 0, reports the
        // residual, and the closed rows still reproduce F.
        let z = [5.0, 5.0, 0.0, 1.0];
        let f = [10.0, 30.0];
        let (fd, fit) = split_final_demand("SYN", &z, &f);
        assert!(fd.iter().all(|v| *v >= 0.0), "{fd:?}");
        assert!((fd[0] + fd[1] - 10.0).abs() < 1e-9 && (fd[2] + fd[3] - 30.0).abs() < 1e-9);
        assert!(fit.relative_residual > 0.0 && fit.nnls_steps > 0, "{fit:?}");
    }
}
