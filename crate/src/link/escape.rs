//! The escapes of a link's text: `%XX` and `+`, as browsers write them in a hash.

/// Decodes `%XX` escapes and `+` (spaces), as browsers write them in a hash.
fn percent_decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text.get(i + 1..i + 3).filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
                let hex = hex.ok_or_else(|| format!("broken escape in '{text}'"))?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| format!("broken escape in '{text}'"))?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| format!("'{text}' is not valid UTF-8"))
}

/// One `key=value` pair of a link, unescaped, the value trimmed.
pub fn decode_pair(pair: &str) -> Result<(String, String), String> {
    let (key, value) = pair.split_once('=').ok_or_else(|| format!("'{pair}' is not key=value"))?;
    Ok((percent_decode(key)?, percent_decode(value)?.trim().to_string()))
}

/// Escapes text for a link: every byte but ASCII letters, digits, `-._~` and `,` (left as is, so
/// lists stay readable) as `%XX` of its UTF-8.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~,".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
