//! The gravity prior: X⁰_ji = GDP_j · GDP_i / distance_ji between capitals, no flow for j = i.

/// Mean Earth radius in km (IUGG), for great-circle distances.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle (haversine) distance in km between two points given in degrees.
///
/// ```
/// use reciprocity_data::world::great_circle_km;
/// // A quarter of the equator.
/// let d = great_circle_km((0.0, 0.0), (0.0, 90.0));
/// assert!((d - std::f64::consts::FRAC_PI_2 * 6371.0088).abs() < 1e-9);
/// ```
pub fn great_circle_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// The gravity prior, row-major (exporter j, importer i), for countries with `gdp` and capital
/// coordinates `(lat, lon)`. The diagonal is zero. Two distinct countries whose capitals coincide
/// would divide by zero: the caller's data must not have them (checked by the tests).
pub fn gravity_prior(gdp: &[f64], capitals: &[(f64, f64)]) -> Vec<f64> {
    let n = gdp.len();
    let mut prior = vec![0.0; n * n];
    for j in 0..n {
        for i in 0..n {
            if i != j {
                prior[j * n + i] = gdp[j] * gdp[i] / great_circle_km(capitals[j], capitals[i]);
            }
        }
    }
    prior
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_symmetric_and_match_known_arcs() {
        // One degree of latitude along a meridian is R·π/180.
        let d = great_circle_km((10.0, 20.0), (11.0, 20.0));
        assert!((d - EARTH_RADIUS_KM * std::f64::consts::PI / 180.0).abs() < 1e-9);
        // Antipodes: half the circumference.
        let d = great_circle_km((30.0, 40.0), (-30.0, -140.0));
        assert!((d - EARTH_RADIUS_KM * std::f64::consts::PI).abs() < 1e-6);
        let (a, b) = ((38.9, -77.0), (39.9, 116.4));
        assert_eq!(great_circle_km(a, b), great_circle_km(b, a));
    }

    #[test]
    fn the_prior_is_gdp_product_over_distance_with_an_empty_diagonal() {
        let gdp = [2.0, 3.0, 5.0];
        let caps = [(0.0, 0.0), (0.0, 1.0), (0.0, 3.0)];
        let p = gravity_prior(&gdp, &caps);
        let degree = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;
        assert_eq!([p[0], p[4], p[8]], [0.0; 3]);
        assert!((p[1] - 6.0 / degree).abs() < 1e-12);
        assert!((p[2 * 3] - 10.0 / (3.0 * degree)).abs() < 1e-12);
        assert_eq!(p[1], p[3]);
    }
}
