//! Ids made from titles: transliterated to ASCII, lowercase, words joined by
//! hyphens, never empty. Heading anchors are not made here; they keep their
//! script (see `markdown::slug`).

use any_ascii::any_ascii;
use unicode_normalization::UnicodeNormalization;

/// The id a title gives: `Щука и ёж` → `shchuka-i-ezh`.
pub fn id_from_title(title: &str) -> String {
    let folded: String = title.nfkc().collect();
    let ascii = any_ascii(&folded).to_lowercase();
    let mut id = String::with_capacity(ascii.len());
    for word in
        ascii.split(|c: char| !c.is_ascii_alphanumeric() && c != '\'').filter(|w| !w.is_empty())
    {
        let word: String = word.chars().filter(char::is_ascii_alphanumeric).collect();
        if word.is_empty() {
            continue;
        }
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(&word);
    }
    if id.is_empty() { "instrument".to_owned() } else { id }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_cyrillic() {
        assert_eq!(id_from_title("Заголовок кириллицей"), "zagolovok-kirillitsey");
        assert_eq!(id_from_title("Щука и ёж"), "shchuka-i-ezh");
        assert_eq!(id_from_title("Съешь же"), "sesh-zhe");
    }

    #[test]
    fn is_never_empty() {
        assert_eq!(id_from_title("𝕋𝕖𝕤𝕥"), "test");
        assert_eq!(id_from_title("📌"), "pushpin");
        assert_eq!(id_from_title("—"), "instrument");
        assert_eq!(id_from_title("Kyoto Convention (1973)"), "kyoto-convention-1973");
    }
}
