//! The built-in template's outline: every heading with its level, title and parent, in order.

/// What kind of body a section gets; also the key the word banks are looked up by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    FrontMatter,
    Parent,
    ProblemOverview,
    Context,
    Goals,
    NonGoals,
    Assumptions,
    CurrentSolution,
    Overview,
    DataModel,
    BusinessLogic,
    ApiDesign,
    UserInterface,
    SystemComponents,
    DataFlow,
    ExternalDependencies,
    Scalability,
    Security,
    ErrorHandling,
    Monitoring,
    OtherTeams,
    CostAnalysis,
    Risks,
    Kpis,
    MeasurementPlan,
    Phases,
    DependenciesBlockers,
    FutureWork,
    OpenQuestions,
    References,
}

pub(crate) struct Entry {
    pub level: u8,
    pub title: &'static str,
    pub kind: Kind,
}

const fn entry(level: u8, title: &'static str, kind: Kind) -> Entry {
    Entry { level, title, kind }
}

/// The H1's fixed part.
pub(crate) const TITLE_SUFFIX: &str = "Technical Specification";

/// Every heading of `seed/tech-spec-template.md` below the H1, in order.
pub(crate) const OUTLINE: &[Entry] = &[
    entry(2, "Front Matter", Kind::FrontMatter),
    entry(2, "1. Introduction", Kind::Parent),
    entry(3, "Problem Overview", Kind::ProblemOverview),
    entry(3, "Context and Background", Kind::Context),
    entry(3, "Goals and Requirements", Kind::Goals),
    entry(3, "Non-Goals", Kind::NonGoals),
    entry(3, "Assumptions", Kind::Assumptions),
    entry(2, "2. Current Solution", Kind::CurrentSolution),
    entry(2, "3. Proposed Solution", Kind::Parent),
    entry(3, "Overview", Kind::Overview),
    entry(3, "Data Model", Kind::DataModel),
    entry(3, "Business Logic", Kind::BusinessLogic),
    entry(3, "API Design", Kind::ApiDesign),
    entry(3, "User Interface", Kind::UserInterface),
    entry(2, "4. Architecture", Kind::Parent),
    entry(3, "System Components", Kind::SystemComponents),
    entry(3, "Data Flow", Kind::DataFlow),
    entry(3, "External Dependencies", Kind::ExternalDependencies),
    entry(2, "5. Implementation Considerations", Kind::Parent),
    entry(3, "Scalability", Kind::Scalability),
    entry(3, "Security", Kind::Security),
    entry(3, "Error Handling", Kind::ErrorHandling),
    entry(3, "Monitoring and Observability", Kind::Monitoring),
    entry(2, "6. Impact Analysis", Kind::Parent),
    entry(3, "Other Teams", Kind::OtherTeams),
    entry(3, "Cost Analysis", Kind::CostAnalysis),
    entry(3, "Risks and Mitigation", Kind::Risks),
    entry(2, "7. Success Metrics", Kind::Parent),
    entry(3, "Key Performance Indicators", Kind::Kpis),
    entry(3, "Measurement Plan", Kind::MeasurementPlan),
    entry(2, "8. Implementation Plan", Kind::Parent),
    entry(3, "Phases/Milestones", Kind::Phases),
    entry(3, "Dependencies and Blockers", Kind::DependenciesBlockers),
    entry(3, "Future Work", Kind::FutureWork),
    entry(2, "9. Open Questions and Discussion", Kind::OpenQuestions),
    entry(2, "10. References and Related Work", Kind::References),
];

/// The index in [`OUTLINE`] of the `##` section that `index` belongs to.
pub(crate) fn parent_of(index: usize) -> usize {
    (0..=index)
        .rev()
        .find(|&i| OUTLINE[i].level == 2)
        .unwrap_or(0)
}
