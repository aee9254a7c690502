//! Anderson acceleration (type II, Walker & Ni 2011) of the fixed point u = u + step(u).

/// The accelerator's memory of past iterates.
pub(super) struct Anderson {
    memory: usize,
    dim: usize,
    // Histories of Δu and Δf (f = step), newest last.
    du: Vec<Vec<f64>>,
    df: Vec<Vec<f64>>,
    prev_u: Vec<f64>,
    prev_f: Vec<f64>,
    has_prev: bool,
}

impl Anderson {
    pub(super) fn new(dim: usize, memory: usize) -> Self {
        Anderson {
            memory,
            dim,
            du: Vec::new(),
            df: Vec::new(),
            prev_u: vec![0.0; dim],
            prev_f: vec![0.0; dim],
            has_prev: false,
        }
    }

    pub(super) fn reset(&mut self) {
        self.du.clear();
        self.df.clear();
        self.has_prev = false;
    }

    /// Replace u by the accelerated iterate given f = G(u) − u.
    pub(super) fn next(&mut self, u: &mut [f64], f: &[f64]) {
        if self.memory == 0 {
            for (x, d) in u.iter_mut().zip(f) {
                *x += d;
            }
            return;
        }
        if self.has_prev {
            let (mut du, mut df) = if self.du.len() == self.memory {
                (self.du.remove(0), self.df.remove(0))
            } else {
                (vec![0.0; self.dim], vec![0.0; self.dim])
            };
            for i in 0..self.dim {
                du[i] = u[i] - self.prev_u[i];
                df[i] = f[i] - self.prev_f[i];
            }
            self.du.push(du);
            self.df.push(df);
        }
        self.prev_u.copy_from_slice(u);
        self.prev_f.copy_from_slice(f);
        self.has_prev = true;
        let m = self.df.len();
        if m == 0 {
            for (x, d) in u.iter_mut().zip(f) {
                *x += d;
            }
            return;
        }
        // γ = argmin ‖f − ΔF γ‖ via the normal equations with a small ridge (m ≤ memory, tiny: a
        // hand-written elimination is the right tool at this size).
        let mut gram = vec![0.0; m * m];
        let mut rhs = vec![0.0; m];
        for a in 0..m {
            for b in a..m {
                let v: f64 = self.df[a].iter().zip(&self.df[b]).map(|(x, y)| x * y).sum();
                gram[a * m + b] = v;
                gram[b * m + a] = v;
            }
            rhs[a] = self.df[a].iter().zip(f).map(|(x, y)| x * y).sum();
        }
        let trace: f64 = (0..m).map(|a| gram[a * m + a]).sum::<f64>() / m as f64;
        for a in 0..m {
            gram[a * m + a] += 1e-12 * trace.max(1e-300);
        }
        let gamma = match solve_small(&mut gram, &mut rhs, m) {
            Some(g) => g,
            None => {
                self.reset();
                for (x, d) in u.iter_mut().zip(f) {
                    *x += d;
                }
                return;
            }
        };
        for i in 0..self.dim {
            let mut correction = 0.0;
            for (a, g) in gamma.iter().enumerate() {
                correction += g * (self.du[a][i] + self.df[a][i]);
            }
            u[i] += f[i] - correction;
        }
    }
}

/// Gaussian elimination with partial pivoting for the accelerator's m × m system (m ≤ memory);
/// None if singular.
fn solve_small(a: &mut [f64], b: &mut [f64], m: usize) -> Option<Vec<f64>> {
    for col in 0..m {
        let pivot =
            (col..m).max_by(|&x, &y| a[x * m + col].abs().total_cmp(&a[y * m + col].abs()))?;
        if a[pivot * m + col].abs() < 1e-300 {
            return None;
        }
        if pivot != col {
            for c in 0..m {
                a.swap(col * m + c, pivot * m + c);
            }
            b.swap(col, pivot);
        }
        for row in col + 1..m {
            let factor = a[row * m + col] / a[col * m + col];
            for c in col..m {
                a[row * m + c] -= factor * a[col * m + c];
            }
            b[row] -= factor * b[col];
        }
    }
    let mut x = vec![0.0; m];
    for row in (0..m).rev() {
        let mut v = b[row];
        for c in row + 1..m {
            v -= a[row * m + c] * x[c];
        }
        x[row] = v / a[row * m + row];
    }
    if x.iter().all(|v| v.is_finite()) {
        Some(x)
    } else {
        None
    }
}
