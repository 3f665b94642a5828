//! Output formatting as the docker CLI does it: Go's tabwriter tables, go-units sizes,
//! `Ellipsis`, `strconv.Quote`.

/// Go's `text/tabwriter` as the docker CLI configures it: minwidth 10, tabwidth 1,
/// padding 3, padchar ' '. Every row is cells separated by tabs; the last cell of a row
/// is not padded.
pub fn table(rows: &[Vec<String>]) -> String {
    table_min(rows, 10)
}

/// The same with another minimum column width (`docker top` uses 20).
pub fn table_min(rows: &[Vec<String>], min: usize) -> String {
    let cols = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if i + 1 < r.len() {
                widths[i] = widths[i].max(c.chars().count() + 3);
            }
        }
    }
    for w in widths.iter_mut() {
        *w = (*w).max(min);
    }
    let mut out = String::new();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            out.push_str(c);
            if i + 1 < r.len() {
                for _ in c.chars().count()..widths[i] {
                    out.push(' ');
                }
            }
        }
        out.push('\n');
    }
    out
}

/// go-units `HumanSizeWithPrecision(size, 3)`: decimal units, 3 significant digits.
pub fn human_size(size: u64) -> String {
    const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut v = size as f64;
    let mut i = 0;
    while v >= 1000.0 && i < UNITS.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    format!("{}{}", fmt_g3(v), UNITS[i])
}

/// go-units `HumanSizeWithPrecision(size, p)` (`HumanSize` is p = 4).
pub fn human_size_prec(size: u64, p: i32) -> String {
    const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut v = size as f64;
    let mut i = 0;
    while v >= 1000.0 && i < UNITS.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    format!("{}{}", fmt_g(v, p), UNITS[i])
}

/// go-units `BytesSize`: binary units, `%.4g`.
pub fn bytes_size(size: u64) -> String {
    const UNITS: [&str; 9] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];
    let mut v = size as f64;
    let mut i = 0;
    while v >= 1024.0 && i < UNITS.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    format!("{}{}", fmt_g(v, 4), UNITS[i])
}

fn fmt_g3(v: f64) -> String {
    fmt_g(v, 3)
}

/// Go's `%.{p}g` for values in [0, 10000): significant digits, trailing zeros dropped.
fn fmt_g(v: f64, p: i32) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let exp = v.abs().log10().floor() as i32;
    let decimals = (p - 1 - exp).max(0) as usize;
    let mut s = format!("{v:.decimals$}");
    // Rounding may carry into a new digit (999.7 → "1000"); Go would switch to e-notation.
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count() as i32;
    if !s.contains('.') && digits > p {
        return format!("{}e+{:02}", fmt_g(v / 10f64.powi(exp + 1), p), exp + 1);
    }
    s
}

/// docker/cli `formatter.Ellipsis`: at most `max` characters, the last one `…`.
pub fn ellipsis(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// Go's `strconv.Quote` for printable text.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// JSON indented by 4 spaces, as `docker inspect` prints it.
pub fn json_indent(v: &serde_json::Value) -> String {
    use serde::Serialize;
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if v.serialize(&mut ser).is_err() {
        return String::new();
    }
    String::from_utf8(buf).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_ps_header_matches_the_real_cli() {
        let header = [
            "CONTAINER ID",
            "IMAGE",
            "COMMAND",
            "CREATED",
            "STATUS",
            "PORTS",
            "NAMES",
        ];
        let t = table(&[header.iter().map(|s| s.to_string()).collect()]);
        assert_eq!(
            t,
            "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n"
        );
        let header = ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"];
        let t = table(&[header.iter().map(|s| s.to_string()).collect()]);
        assert_eq!(t, "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n");
    }

    #[test]
    fn sizes_follow_go_units() {
        assert_eq!(human_size(0), "0B");
        assert_eq!(human_size(999), "999B");
        assert_eq!(human_size(4_261_550), "4.26MB");
        assert_eq!(human_size(7_800_000), "7.8MB");
        assert_eq!(human_size(191_700_000), "192MB");
        assert_eq!(human_size(1_020_000_000), "1.02GB");
        assert_eq!(bytes_size(8 << 30), "8GiB");
        assert_eq!(bytes_size(8_321_499_136), "7.75GiB");
    }

    #[test]
    fn ellipsis_and_quote() {
        assert_eq!(
            ellipsis("sh -c 'while true; do sleep 1; done'", 20),
            "sh -c 'while true; …"
        );
        assert_eq!(go_quote("echo \"hi\""), "\"echo \\\"hi\\\"\"");
    }
}
