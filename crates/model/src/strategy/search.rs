//! Derivative-free 1-D maximisation (bracketing + Brent) and a box-constrained quasi-Newton
//! maximiser (projected BFGS with an Armijo line search) for the strategy problems. Objectives
//! are GE welfare functions: smooth, costly (one equilibrium solve each) and possibly undefined
//! far out (a solve that fails is an error the caller may map to "reject this point").

use super::StrategyError;

/// The result of a 1-D maximisation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Max1d {
    /// The maximiser.
    pub x: f64,
    /// The maximum.
    pub value: f64,
    /// Objective evaluations used.
    pub evaluations: usize,
}

const GOLD: f64 = 1.618_033_988_749_895;
const CGOLD: f64 = 0.381_966_011_250_105;

/// Maximise `f` on [lower, upper], starting near `guess`: bracket the maximum by walking from
/// the guess in steps growing by the golden ratio, then Brent's parabolic/golden search to an
/// absolute tolerance `tol` in x. A maximum at a bound is returned at the bound.
pub(crate) fn maximize_1d<F>(
    f: F,
    guess: f64,
    lower: f64,
    upper: f64,
    step: f64,
    tol: f64,
    max_evaluations: usize,
) -> Result<Max1d, StrategyError>
where
    F: FnMut(f64) -> Result<f64, StrategyError>,
{
    if lower.is_nan() || upper.is_nan() || lower >= upper || !guess.is_finite() {
        return Err(StrategyError::InvalidInput(format!(
            "1-D search needs lower < upper and a finite guess ({lower}, {upper}, {guess})"
        )));
    }
    let mut f = Counted { f, evaluations: 0 };
    let bounds = (lower, upper);
    let (lo, hi, b, fb) = bracket(&mut f, guess, bounds, step, max_evaluations)?;
    brent(&mut f, (lo, hi), (b, fb), bounds, tol, max_evaluations)
}

/// An objective that counts its evaluations.
struct Counted<F> {
    f: F,
    evaluations: usize,
}

impl<F: FnMut(f64) -> Result<f64, StrategyError>> Counted<F> {
    fn at(&mut self, x: f64) -> Result<f64, StrategyError> {
        self.evaluations += 1;
        (self.f)(x)
    }
}

/// Bracket the maximum from `guess`: (lo, hi) around the best point b with f(b), or b at a bound.
fn bracket<F: FnMut(f64) -> Result<f64, StrategyError>>(
    f: &mut Counted<F>,
    guess: f64,
    (lower, upper): (f64, f64),
    step: f64,
    max_evaluations: usize,
) -> Result<(f64, f64, f64, f64), StrategyError> {
    let clamp = |x: f64| x.clamp(lower, upper);
    // Bracket: (a, b, c) with b between a and c and f(b) ≥ f(a), f(c), or b at a bound.
    let x0 = clamp(guess);
    let f0 = f.at(x0)?;
    let mut x1 = clamp(x0 + step);
    if x1 == x0 {
        x1 = clamp(x0 - step);
    }
    let f1 = f.at(x1)?;
    let (mut a, mut b, mut fb) = if f1 > f0 { (x0, x1, f1) } else { (x1, x0, f0) };
    // Walk from a through b while the objective rises.
    let mut c;
    loop {
        c = clamp(b + GOLD * (b - a));
        if c == b {
            // b is at a bound and still rising: the maximum is at the bound (or between a and b).
            c = a;
            break;
        }
        let fc = f.at(c)?;
        if fc <= fb {
            break;
        }
        a = b;
        b = c;
        fb = fc;
        if f.evaluations > max_evaluations {
            return Err(StrategyError::NotConverged {
                what: "bracketing the 1-D maximum".into(),
                iterations: f.evaluations,
                residual: (c - a).abs(),
            });
        }
    }
    let (mut lo, mut hi) = if a < c { (a, c) } else { (c, a) };
    if b == lower || b == upper {
        // Check the bound: the maximum is there unless the interior point next to it is higher.
        lo = lo.min(b);
        hi = hi.max(b);
    }
    Ok((lo, hi, b, fb))
}

/// Brent's parabolic/golden search for the maximum in [lo, hi], from the best point b known.
fn brent<F: FnMut(f64) -> Result<f64, StrategyError>>(
    f: &mut Counted<F>,
    (mut lo, mut hi): (f64, f64),
    (b, fb): (f64, f64),
    (lower, upper): (f64, f64),
    tol: f64,
    max_evaluations: usize,
) -> Result<Max1d, StrategyError> {
    // Brent's method on g = −f over [lo, hi] with the best point b known.
    let (mut x, mut w, mut v) = (b, b, b);
    let (mut fx, mut fw, mut fv) = (-fb, -fb, -fb);
    let mut d: f64 = 0.0;
    let mut e: f64 = 0.0;
    while f.evaluations < max_evaluations {
        let xm = 0.5 * (lo + hi);
        let tol1 = tol;
        let tol2 = 2.0 * tol1;
        if (x - xm).abs() <= tol2 - 0.5 * (hi - lo) {
            return Ok(Max1d {
                x,
                value: -fx,
                evaluations: f.evaluations,
            });
        }
        let mut golden = true;
        if e.abs() > tol1 {
            let r = (x - w) * (fx - fv);
            let mut q = (x - v) * (fx - fw);
            let mut p = (x - v) * q - (x - w) * r;
            q = 2.0 * (q - r);
            if q > 0.0 {
                p = -p;
            }
            q = q.abs();
            let etemp = e;
            if p.abs() < (0.5 * q * etemp).abs() && p > q * (lo - x) && p < q * (hi - x) {
                e = d;
                d = p / q;
                let u = x + d;
                if u - lo < tol2 || hi - u < tol2 {
                    d = tol1.copysign(xm - x);
                }
                golden = false;
            }
        }
        if golden {
            e = if x >= xm { lo - x } else { hi - x };
            d = CGOLD * e;
        }
        let u = if d.abs() >= tol1 {
            x + d
        } else {
            x + tol1.copysign(d)
        };
        let fu = -f.at(u.clamp(lower, upper))?;
        if fu <= fx {
            if u >= x {
                lo = x;
            } else {
                hi = x;
            }
            v = w;
            fv = fw;
            w = x;
            fw = fx;
            x = u;
            fx = fu;
        } else {
            if u < x {
                lo = u;
            } else {
                hi = u;
            }
            if fu <= fw || w == x {
                v = w;
                fv = fw;
                w = u;
                fw = fu;
            } else if fu <= fv || v == x || v == w {
                v = u;
                fv = fu;
            }
        }
    }
    Err(StrategyError::NotConverged {
        what: "the 1-D maximisation".into(),
        iterations: f.evaluations,
        residual: hi - lo,
    })
}

/// Settings of [`maximize_nd`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct NdOptions {
    /// Stop when the largest projected-gradient component is below this (objective units per unit x).
    pub gradient_tolerance: f64,
    /// Or when no coordinate moved by more than this in an accepted step.
    pub step_tolerance: f64,
    /// The largest change of any coordinate in one step.
    pub max_step: f64,
    /// Iteration limit.
    pub max_iterations: usize,
}

/// The result of a box-constrained maximisation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MaxNd {
    /// The maximiser.
    pub x: Vec<f64>,
    /// The maximum.
    pub value: f64,
    /// Quasi-Newton iterations.
    pub iterations: usize,
    /// Largest projected-gradient component at x.
    pub projected_gradient: f64,
}

/// Maximise `f` over the box [lower, upper]ⁿ from `x0` by projected BFGS: variables at a bound
/// whose gradient points outward are held, the rest take a quasi-Newton step, the step is
/// projected on the box and backtracked until the Armijo condition holds. `f` returns `None`
/// where the objective is undefined (the point is rejected); `grad` returns ∇f at x given f(x).
pub(crate) fn maximize_nd<F, G>(
    f: F,
    grad: G,
    x0: &[f64],
    lower: f64,
    upper: f64,
    options: &NdOptions,
) -> Result<MaxNd, StrategyError>
where
    F: Fn(&[f64]) -> Result<Option<f64>, StrategyError>,
    G: Fn(&[f64], f64) -> Result<Vec<f64>, StrategyError>,
{
    let n = x0.len();
    let mut x: Vec<f64> = x0.iter().map(|v| v.clamp(lower, upper)).collect();
    let mut fx = f(&x)?.ok_or_else(|| {
        StrategyError::InvalidInput("the objective is undefined at the start point".into())
    })?;
    let mut g = grad(&x, fx)?;
    let projected = |x: &[f64], g: &[f64]| -> f64 {
        x.iter()
            .zip(g)
            .map(|(xi, gi)| ((xi + gi).clamp(lower, upper) - xi).abs())
            .fold(0.0, f64::max)
    };
    // Inverse-Hessian approximation of −f (positive definite), scaled so the first step moves
    // the largest coordinate by at most max_step.
    let identity_scale = |g: &[f64]| {
        let gmax = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if gmax > 0.0 {
            (options.max_step / gmax).min(1.0e3)
        } else {
            1.0
        }
    };
    let mut h = scaled_identity(n, identity_scale(&g));
    let mut fresh = true;
    for iteration in 0..options.max_iterations {
        let pg = projected(&x, &g);
        if pg < options.gradient_tolerance {
            return Ok(MaxNd {
                x,
                value: fx,
                iterations: iteration,
                projected_gradient: pg,
            });
        }
        let reset_scale = identity_scale(&g);
        let (d, slope) = ascent_direction(&mut h, &mut fresh, &g, &x, (lower, upper), reset_scale);
        let dmax = d.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if dmax == 0.0 || slope <= 0.0 {
            return Ok(MaxNd {
                x,
                value: fx,
                iterations: iteration,
                projected_gradient: pg,
            });
        }
        let alpha = (options.max_step / dmax).min(1.0);
        let accepted = armijo(&f, &x, fx, &g, &d, alpha, (lower, upper))?;
        let Some((x_new, f_new)) = accepted else {
            if !fresh {
                // The curvature model is stale: retry along the scaled gradient.
                h = scaled_identity(n, identity_scale(&g));
                fresh = true;
                continue;
            }
            // No ascent along the gradient at the resolution of the objective: a maximum.
            return Ok(MaxNd {
                x,
                value: fx,
                iterations: iteration,
                projected_gradient: pg,
            });
        };
        let g_new = grad(&x_new, f_new)?;
        let s: Vec<f64> = (0..n).map(|i| x_new[i] - x[i]).collect();
        // y for the minimisation of −f: y = ∇(−f)(x_new) − ∇(−f)(x) = g − g_new.
        let y: Vec<f64> = (0..n).map(|i| g[i] - g_new[i]).collect();
        let sy: f64 = s.iter().zip(&y).map(|(a, b)| a * b).sum();
        let step_size = s.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        x = x_new;
        fx = f_new;
        g = g_new;
        if sy > 1e-14 {
            bfgs_update(&mut h, &s, &y, sy);
            fresh = false;
        }
        if step_size < options.step_tolerance {
            let pg = projected(&x, &g);
            return Ok(MaxNd {
                x,
                value: fx,
                iterations: iteration + 1,
                projected_gradient: pg,
            });
        }
    }
    Err(StrategyError::NotConverged {
        what: "the quasi-Newton maximisation".into(),
        iterations: options.max_iterations,
        residual: projected(&x, &g),
    })
}

/// The ascent direction d = H g on the free variables (those not at a bound with the gradient
/// pointing out) and its slope g·d. When H g is no ascent direction, H is reset to the scaled
/// identity (`reset_scale`) and d is the scaled gradient.
fn ascent_direction(
    h: &mut Vec<f64>,
    fresh: &mut bool,
    g: &[f64],
    x: &[f64],
    (lower, upper): (f64, f64),
    reset_scale: f64,
) -> (Vec<f64>, f64) {
    let n = x.len();
    let free: Vec<bool> = (0..n)
        .map(|i| !((x[i] <= lower && g[i] < 0.0) || (x[i] >= upper && g[i] > 0.0)))
        .collect();
    let mut d = vec![0.0; n];
    for i in (0..n).filter(|&i| free[i]) {
        d[i] = (0..n)
            .filter(|&j| free[j])
            .map(|j| h[i * n + j] * g[j])
            .sum();
    }
    let mut slope: f64 = d.iter().zip(g).map(|(a, b)| a * b).sum();
    if slope <= 0.0 {
        *h = scaled_identity(n, reset_scale);
        *fresh = true;
        for i in 0..n {
            d[i] = if free[i] { h[i * n + i] * g[i] } else { 0.0 };
        }
        slope = d.iter().zip(g).map(|(a, b)| a * b).sum();
    }
    (d, slope)
}

/// Backtracking from the step `alpha` along d, projected on the box, until the Armijo condition
/// holds (at most 30 halvings); `None` when no point qualifies.
fn armijo<F>(
    f: &F,
    x: &[f64],
    fx: f64,
    g: &[f64],
    d: &[f64],
    mut alpha: f64,
    (lower, upper): (f64, f64),
) -> Result<Option<(Vec<f64>, f64)>, StrategyError>
where
    F: Fn(&[f64]) -> Result<Option<f64>, StrategyError>,
{
    let n = x.len();
    for _ in 0..30 {
        let trial: Vec<f64> = (0..n)
            .map(|i| (x[i] + alpha * d[i]).clamp(lower, upper))
            .collect();
        let gain: f64 = (0..n).map(|i| g[i] * (trial[i] - x[i])).sum();
        if let Some(ft) = f(&trial)? {
            if ft >= fx + 1e-4 * gain && ft.is_finite() {
                return Ok(Some((trial, ft)));
            }
        }
        alpha *= 0.5;
    }
    Ok(None)
}

fn scaled_identity(n: usize, scale: f64) -> Vec<f64> {
    let mut h = vec![0.0; n * n];
    for i in 0..n {
        h[i * n + i] = scale;
    }
    h
}

/// H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1/(yᵀs).
fn bfgs_update(h: &mut [f64], s: &[f64], y: &[f64], sy: f64) {
    let n = s.len();
    let rho = 1.0 / sy;
    let hy: Vec<f64> = (0..n)
        .map(|i| (0..n).map(|j| h[i * n + j] * y[j]).sum())
        .collect();
    let yhy: f64 = y.iter().zip(&hy).map(|(a, b)| a * b).sum();
    for i in 0..n {
        for j in 0..n {
            h[i * n + j] +=
                -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brent_finds_an_interior_maximum_and_a_bound() {
        let r = maximize_1d(
            |x| Ok(-(x - 0.37f64).powi(2) + 0.1 * (x - 0.37).powi(3)),
            0.1,
            0.0,
            5.0,
            0.02,
            1e-7,
            100,
        )
        .unwrap();
        assert!((r.x - 0.37).abs() < 1e-6, "{r:?}");
        assert!(r.evaluations < 40, "{r:?}");
        let r = maximize_1d(|x| Ok(-x), 0.3, 0.0, 5.0, 0.02, 1e-7, 100).unwrap();
        assert_eq!(r.x, 0.0);
        let r = maximize_1d(Ok, 0.3, 0.0, 2.0, 0.02, 1e-7, 100).unwrap();
        assert_eq!(r.x, 2.0);
    }

    #[test]
    fn projected_bfgs_solves_a_box_constrained_quadratic() {
        // max −Σ a_i (x_i − c_i)² with c_2 < 0 (held at the bound 0) and c_0, c_1 interior.
        let a = [1.0, 4.0, 2.0];
        let c = [0.3, 0.8, -0.5];
        let f = |x: &[f64]| {
            Ok(Some(
                -(0..3).map(|i| a[i] * (x[i] - c[i]).powi(2)).sum::<f64>(),
            ))
        };
        let grad = |x: &[f64], _fx: f64| Ok((0..3).map(|i| -2.0 * a[i] * (x[i] - c[i])).collect());
        let options = NdOptions {
            gradient_tolerance: 1e-10,
            step_tolerance: 1e-14,
            max_step: 0.5,
            max_iterations: 200,
        };
        let r = maximize_nd(f, grad, &[1.0, 1.0, 1.0], 0.0, 5.0, &options).unwrap();
        assert!(
            (r.x[0] - 0.3).abs() < 1e-8 && (r.x[1] - 0.8).abs() < 1e-8,
            "{r:?}"
        );
        assert_eq!(r.x[2], 0.0);
    }
}
