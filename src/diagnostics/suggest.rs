//! "Did you mean" advice for a misspelt name.

/// The candidate closest to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(&word, &candidate.to_lowercase()), candidate))
        .filter(|&(distance, candidate)| {
            let allowed = (candidate.chars().count().max(word.chars().count()) / 3).clamp(1, 3);
            distance <= allowed
        })
        .min_by_key(|&(distance, candidate)| (distance, candidate))
        .map(|(_, candidate)| candidate)
}

/// The hint text for a misspelt name, or a list of what is allowed when
/// nothing is close.
pub fn hint<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str> + Clone) -> String {
    match did_you_mean(word, candidates.clone()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => {
            let all: Vec<&str> = candidates.into_iter().collect();
            if all.is_empty() {
                "there is nothing of that kind to point to yet".to_owned()
            } else if all.len() <= 12 {
                format!(
                    "expected one of {}",
                    all.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
                )
            } else {
                "no close match; check the spelling".to_owned()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_close_spelling() {
        assert_eq!(did_you_mean("orign", ["origin", "valuation"]), Some("origin"));
        assert_eq!(did_you_mean("subjetcs", ["subjects", "status"]), Some("subjects"));
        assert_eq!(did_you_mean("zzz", ["origin", "valuation"]), None);
    }
}
