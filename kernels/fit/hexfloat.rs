//! Hexadecimal formatting of f32 values, C99 `%a` style with a fixed width.

/// Formats `x` as `±0x1.hhhhhhp±e`.
///
/// The 23 stored mantissa bits are shifted left by one to fill 24 bits, i.e.
/// exactly six hex digits; the exponent is unbiased and always signed.
/// Zero prints as `0x0.000000p+0`; subnormals print unnormalised as
/// `0x0.hhhhhhp-126`.
pub fn hex_f32(x: f32) -> String {
    if x.is_nan() {
        return "nan".to_string();
    }
    let bits = x.to_bits();
    let sign = if bits >> 31 != 0 { "-" } else { "" };
    if x.is_infinite() {
        return format!("{sign}inf");
    }
    let biased = ((bits >> 23) & 0xff) as i32;
    let mantissa = (bits & 0x7f_ffff) << 1;
    match (biased, mantissa) {
        (0, 0) => format!("{sign}0x0.000000p+0"),
        (0, _) => format!("{sign}0x0.{mantissa:06x}p-126"),
        _ => format!("{sign}0x1.{mantissa:06x}p{:+}", biased - 127),
    }
}

#[cfg(test)]
mod tests {
    use super::hex_f32;

    /// Reads back the format written by `hex_f32` (normal numbers only).
    fn parse(s: &str) -> f32 {
        let (neg, s) = s.strip_prefix('-').map_or((false, s), |r| (true, r));
        let body = s.strip_prefix("0x1.").unwrap();
        let (digits, exp) = body.split_once('p').unwrap();
        let mantissa = u32::from_str_radix(digits, 16).unwrap();
        let exp: i32 = exp.parse().unwrap();
        let v = (1.0 + f64::from(mantissa) / f64::from(1u32 << 24)) * 2f64.powi(exp);
        (if neg { -v } else { v }) as f32
    }

    #[test]
    fn known_values() {
        assert_eq!(hex_f32(std::f32::consts::LN_2), "0x1.62e430p-1");
        assert_eq!(hex_f32(1.0), "0x1.000000p+0");
        assert_eq!(hex_f32(-0.75), "-0x1.800000p-1");
        assert_eq!(hex_f32(0.0), "0x0.000000p+0");
        assert_eq!(hex_f32(f32::MAX), "0x1.fffffep+127");
    }

    #[test]
    fn round_trips() {
        for &x in &[0.1f32, -3.0e-5, 1.0e30, 0.499_999_97, f32::MIN_POSITIVE] {
            assert_eq!(parse(&hex_f32(x)).to_bits(), x.to_bits(), "{x:e}");
            // The decimal form printed next to it must round-trip too.
            assert_eq!(
                format!("{x:e}").parse::<f32>().unwrap().to_bits(),
                x.to_bits()
            );
        }
    }
}
