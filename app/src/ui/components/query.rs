//! Links that carry a page's filters in the query string.

/// `path` with the non-empty `pairs` as its query.
pub fn href(path: &str, pairs: &[(&str, &str)]) -> String {
    let set: Vec<_> = pairs.iter().filter(|(_, v)| !v.is_empty()).collect();
    match serde_urlencoded::to_string(&set) {
        Ok(query) if !query.is_empty() => format!("{path}?{query}"),
        _ => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn empty_values_are_left_out_and_the_rest_encoded() {
        assert_eq!(
            super::href("/x", &[("a", ""), ("q", "a b&c")]),
            "/x?q=a+b%26c"
        );
        assert_eq!(super::href("/x", &[("a", "")]), "/x");
    }
}
