//! The JSON of every answer: serde_json's compact output with one change, a negative zero is
//! written `0.0` (issue 15, item 12: `-0.0` came out of sums and products that rounded to nothing,
//! and clients print it as "-0"). Every route answers with this [`Json`], not axum's.

use std::io;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::ApiError;

/// A JSON answer (200 unless wrapped with a status).
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

/// serde_json's compact formatter, except that `-0.0` is written `0.0`.
struct NoNegativeZero;

impl serde_json::ser::Formatter for NoNegativeZero {
    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        // `-0.0 == 0.0`: the sign bit is dropped, every other value is written as it is.
        let value = if value == 0.0 { 0.0 } else { value };
        serde_json::ser::CompactFormatter.write_f64(writer, value)
    }

    fn write_f32<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        let value = if value == 0.0 { 0.0 } else { value };
        serde_json::ser::CompactFormatter.write_f32(writer, value)
    }
}

/// `value` as the API writes it: compact JSON without negative zeros.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(256);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, NoNegativeZero);
    value.serialize(&mut serializer)?;
    Ok(out)
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        match to_vec(&self.0) {
            Ok(bytes) => (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                bytes,
            )
                .into_response(),
            Err(e) => ApiError::internal(format!("the answer cannot be written as JSON: {e}"))
                .into_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_zero_is_written_as_zero_and_the_rest_as_serde_json_writes_it() {
        let v = serde_json::json!({"a": -0.0, "b": [-0.0_f64, 0.0, -1.5, 1e-300, -2.0e20], "c": 3});
        let text = String::from_utf8(to_vec(&v).unwrap()).unwrap();
        assert_eq!(text, r#"{"a":0.0,"b":[0.0,0.0,-1.5,1e-300,-2e+20],"c":3}"#);
        assert!(serde_json::to_string(&v).unwrap().contains("-0.0"));
        let f = String::from_utf8(to_vec(&[-0.0_f32, -1.0]).unwrap()).unwrap();
        assert_eq!(f, "[0.0,-1.0]");
    }
}
