//! What `specbook.toml` can tell the rules beyond the template.

/// Rule settings that derivation from the template cannot know.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Section keys (see `section_key`) that may be left out.
    pub optional_sections: Vec<String>,
    /// The lifecycle, replacing the statuses the template names (`[lifecycle] statuses`).
    pub statuses: Option<Vec<String>>,
    /// Statuses allowed beside the template's own, ending a spec's life.
    pub terminal_statuses: Vec<String>,
    /// Statuses in which unfinished work is an error. `None`: every template status after the first.
    pub strict_statuses: Option<Vec<String>>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            optional_sections: Vec::new(),
            statuses: None,
            terminal_statuses: vec!["Superseded".to_owned(), "Withdrawn".to_owned()],
            strict_statuses: None,
        }
    }
}
