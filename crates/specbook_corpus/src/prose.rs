//! Sentence and list-item banks per template section; `{slot}` names are filled per spec.
//!
//! Nothing here may contain a TODO-style marker, and square brackets appear only in links, task
//! boxes and the planted placeholders: a finished spec gets those on purpose, never by accident.

use crate::outline::Kind;

pub(crate) struct Bank {
    pub sentences: &'static [&'static str],
    /// List items; empty when the section is prose only.
    pub items: &'static [&'static str],
    /// One-sentence lead-ins for the list.
    pub lead_ins: &'static [&'static str],
}

const NO_ITEMS: &[&str] = &[];

/// Sentences that fit any section, mixed in for variety.
pub(crate) const GENERIC: &[&str] = &[
    "This was discussed with {other} during the design review and nobody objected.",
    "The numbers above come from the last 30 days of production traffic.",
    "Where this document says \"must\", it means the launch is blocked without it.",
    "We will revisit this decision after the first full quarter in production.",
    "None of this changes the on-call rotation of {team}.",
    "The same approach already works well in the {comp}, so the risk is mostly operational.",
    "A prototype of this ran in staging for two weeks without incident.",
    "{person} owns this part of the work and will keep this section current.",
    "The trade-off is deliberate: simplicity now, with room to optimise later.",
    "Everything described here is behind a feature flag until the rollout completes.",
    "In practice this affects fewer than {pct}% of {entities}, but those are the expensive ones.",
    "The details below are the result of three rounds of review with {other}.",
    "Readers who only need the summary can skip to the next section.",
    "This keeps the blast radius of a bad deploy to a single region.",
    "We prefer boring, well-understood technology here over anything novel.",
];

#[expect(
    clippy::too_many_lines,
    reason = "a table of text, one arm per section"
)]
pub(crate) fn bank(kind: Kind) -> Bank {
    match kind {
        Kind::ProblemOverview => Bank {
            sentences: &[
                "Today every {entity} goes through a code path that was designed for a tenth of the current load.",
                "{actor} regularly report that {entities} are slow or fail without a clear reason.",
                "The {sys} exists to {action} reliably, even when a dependency misbehaves.",
                "During peak hours we see roughly {rps} {entities} per second, and the p99 latency climbs above {p99} ms.",
                "Operators cannot tell which {records} are stale, so they restart the {comp} as a precaution.",
                "The result is a steady stream of support tickets and at least one incident per month.",
                "Nothing in the current design lets us {action} without a manual step.",
                "Because each service implements this logic separately, behaviour differs in subtle ways across the fleet.",
                "The core problem is that state for {records} lives in three places that drift apart.",
                "A single slow {comp} can stall every {entity} behind it.",
                "We lose visibility the moment a {entity} leaves the {comp}.",
                "This proposal makes the {sys} the one place where that decision is made.",
            ],
            items: NO_ITEMS,
            lead_ins: NO_ITEMS,
        },
        Kind::Context => Bank {
            sentences: &[
                "The first version of this system was built in {year} by a team of two, for a single region.",
                "Since then the number of {actor} has grown by an order of magnitude.",
                "{team} took over ownership last year and inherited most of the operational burden.",
                "An incident review earlier this year named the {comp} as a contributing factor.",
                "The company-wide move to {store} makes the current storage layer a liability.",
                "Several teams have asked for the ability to {action}, and each built a workaround.",
                "Regulatory requirements that take effect next year make the audit trail mandatory.",
                "The contract with our current vendor ends in {quarter}, which sets a natural deadline.",
                "We looked at what comparable systems do; most of them converged on the design proposed here.",
                "A previous attempt at this change stalled because it tried to migrate everything at once.",
                "Traffic has doubled every eighteen months, and the next doubling is already in the forecast.",
            ],
            items: NO_ITEMS,
            lead_ins: NO_ITEMS,
        },
        Kind::Goals => Bank {
            sentences: &[
                "The goals are listed in priority order; the first two are launch blockers.",
                "Each goal has a measurable counterpart in the success metrics section.",
                "We will consider the project done when all of the requirements below hold in production for a month.",
            ],
            items: &[
                "Let {actor} {action} through one documented API.",
                "Keep p99 latency for {entities} under {p99} ms at {rps} requests per second.",
                "Survive the loss of one availability zone without dropping {entities}.",
                "Make every change to a {record} auditable: who, when and why.",
                "Remove the manual runbook step that operators perform today.",
                "Support {tenants} tenants without per-tenant configuration in code.",
                "Provide a migration path that needs no downtime.",
                "Expose metrics that let {team} answer \"is it healthy?\" in under a minute.",
                "Run in {regions} regions with the same configuration.",
                "Cut the cost per million {entities} by at least {pct}%.",
                "Keep the public contract backward compatible for existing {actor}.",
                "Ship the first usable version within one quarter.",
            ],
            lead_ins: &[
                "The design must meet the following requirements:",
                "In order of priority, the goals are:",
                "Success for this project means:",
            ],
        },
        Kind::NonGoals => Bank {
            sentences: &[
                "These are deliberately left out to keep the first version small.",
                "Some of them appear again under future work.",
                "If any of these turns out to be necessary, it gets its own specification.",
            ],
            items: &[
                "Replacing the {store} cluster itself.",
                "A graphical admin console; the CLI and API are enough for now.",
                "Changing how {actor} authenticate.",
                "Cross-region strong consistency for {records}.",
                "Migrating historical data older than two years.",
                "Supporting on-premises deployments.",
                "Per-user customisation beyond what exists today.",
                "Real-time analytics on {entities}; the nightly export stays as it is.",
                "Rewriting the {comp} in {lang}.",
                "Pricing or billing changes for {actor}.",
            ],
            lead_ins: &[
                "The following are explicitly out of scope:",
                "This proposal does not attempt:",
                "Out of scope for this version:",
            ],
        },
        Kind::Assumptions => Bank {
            sentences: &[
                "If any assumption turns out to be wrong, the affected sections will be revised.",
                "These assumptions were checked against the capacity plan for next year.",
            ],
            items: &[
                "Traffic stays below {rps} {entities} per second per region for the next 18 months.",
                "The {store} cluster keeps its current availability of 99.95%.",
                "{actor} can upgrade their client libraries within one release cycle.",
                "Clock skew between hosts stays below 500 ms.",
                "Most {entities} are small: the median payload is under 4 KB.",
                "{team} has two engineers available for the duration of the project.",
                "The {queue} cluster is shared but has headroom for at least {pct}% more throughput.",
                "Tenants number in the thousands, not the millions.",
                "No {record} needs to be retained for longer than seven years.",
            ],
            lead_ins: &["We assume that:", "The design relies on these assumptions:"],
        },
        Kind::CurrentSolution => Bank {
            sentences: &[
                "Today the {comp} handles every {entity} synchronously inside the request path.",
                "State for {records} is kept in a single {store} table with no partitioning.",
                "A nightly batch job reconciles the differences, which means errors surface a day late.",
                "Configuration lives in code, so every change needs a deploy of the monolith.",
                "The current implementation was written in {lang} and has few tests around its edge cases.",
                "When the {comp} is slow, callers retry aggressively and make the problem worse.",
                "About {pct}% of on-call pages last quarter traced back to this component.",
                "It has served us well for years, and much of its behaviour is worth keeping.",
                "There is no way to {action} without paging an engineer.",
                "Metrics exist but are aggregated per host, which hides per-tenant problems.",
            ],
            items: NO_ITEMS,
            lead_ins: NO_ITEMS,
        },
        Kind::Overview => Bank {
            sentences: &[
                "The {sys} becomes a standalone service that owns {records} end to end.",
                "Writes go to {store}; changes are published to {queue} for downstream consumers.",
                "Reads are served from a local cache that is invalidated by those change events.",
                "The key decision is to make every operation idempotent, keyed by a client-supplied id.",
                "We keep the existing API shape so that {actor} need no changes for the first phase.",
                "The service is written in {lang}, which the owning team already operates.",
                "All policy lives in data rather than code, so changes no longer need a deploy.",
                "The {comp} and the {comp2} are split so they can scale independently.",
                "We chose a pull model over push because it degrades more gracefully under load.",
                "Rollout happens tenant by tenant, with a shadow mode that compares old and new results.",
                "In short, the design trades a little write latency for much simpler reads.",
            ],
            items: NO_ITEMS,
            lead_ins: NO_ITEMS,
        },
        Kind::DataModel => Bank {
            sentences: &[
                "The central entity is the {record}, identified by a UUID generated by the writer.",
                "Each {record} belongs to exactly one tenant, and the tenant id leads every index.",
                "We store timestamps in UTC with microsecond precision.",
                "Soft deletes are avoided; deleted rows move to an archive table instead.",
                "Lookups use {code}, which is served from the primary key index.",
                "The schema is versioned and every migration must be reversible.",
                "Large payloads go to object storage; the row keeps only a reference and a checksum.",
                "Secondary indexes are limited to the two access patterns listed below.",
            ],
            items: NO_ITEMS,
            lead_ins: NO_ITEMS,
        },
        Kind::BusinessLogic => Bank {
            sentences: &[
                "Every {entity} passes through the same sequence of checks before it is accepted.",
                "The rules are evaluated in order and the first match wins.",
                "Ties are broken by creation time, then by id, so the outcome is deterministic.",
                "A {entity} that fails validation is rejected with a specific error code rather than retried.",
                "The algorithm is linear in the number of {records} touched, which is at most a handful.",
                "State transitions are explicit; there is no path from a final state back to a pending one.",
                "The {comp} applies {code} before anything is written.",
                "Concurrent updates are resolved with optimistic locking on a version column.",
                "When a rule needs external data, the lookup has a timeout of 50 ms and a safe default.",
            ],
            items: &[
                "Validate the {entity} and reject malformed input early.",
                "Load the {record} and its current version.",
                "Apply the tenant's policy to decide the outcome.",
                "Write the result and the audit event in one transaction.",
                "Publish a change event to {queue}.",
                "Return the decision to the caller with its reason code.",
            ],
            lead_ins: &[
                "For each {entity} the service does the following:",
                "The processing steps are:",
            ],
        },
        Kind::ApiDesign => Bank {
            sentences: &[
                "The API is JSON over HTTPS, versioned in the path.",
                "Every mutating call accepts an `Idempotency-Key` header and replays the first response for duplicates.",
                "Errors use the problem details format of RFC 9457, with a stable `type` per error.",
                "Pagination is cursor-based; offsets are not supported.",
                "Internal callers may use the gRPC interface, which mirrors the HTTP one.",
                "Responses include {code} so clients can back off without guessing.",
                "Breaking changes require a new version prefix and a six-month overlap.",
                "All endpoints require a service token; end-user tokens are rejected.",
            ],
            items: NO_ITEMS,
            lead_ins: NO_ITEMS,
        },
        Kind::UserInterface => Bank {
            sentences: &[
                "There is no new end-user interface in this phase.",
                "Operators get a read-only page in the existing admin console that lists {records} per tenant.",
                "The CLI gains one subcommand to inspect and override a {record}.",
                "Error messages shown to {actor} are rewritten to say what to do next, not just what failed.",
                "The dashboard follows the design system of the admin console, so no new components are needed.",
                "Accessibility review is part of the definition of done for the console page.",
                "Destructive actions in the console ask for the tenant name to be typed out.",
            ],
            items: NO_ITEMS,
            lead_ins: NO_ITEMS,
        },
        Kind::SystemComponents => Bank {
            sentences: &[
                "Each component is a separate deployment with its own scaling policy.",
                "The components communicate over gRPC inside the cluster and over {queue} across regions.",
                "Only the {comp} holds write access to {store}.",
            ],
            items: &[
                "**{comp}**: owns the write path and enforces invariants.",
                "**{comp}**: serves reads from a local cache.",
                "**{comp}**: runs periodic maintenance such as compaction and expiry.",
                "**{comp}**: translates between the public API and internal messages.",
                "**{comp}**: exports metrics and audit events.",
            ],
            lead_ins: &[
                "The system consists of these components:",
                "The main components and their responsibilities:",
            ],
        },
        Kind::DataFlow => Bank {
            sentences: &[
                "The write path is synchronous up to the commit; everything after it is asynchronous.",
                "A {entity} never crosses a region boundary on the hot path.",
                "Back-pressure propagates from {queue} to the API as 429 responses.",
                "The read path never touches {store} when the cache is warm.",
            ],
            items: &[
                "A client sends the {entity} to the API gateway, which authenticates it.",
                "The {comp} validates it and loads the affected {records}.",
                "The decision and the new state are committed to {store}.",
                "A change event is appended to {queue}.",
                "The {comp2} consumes the event and updates its projection.",
                "Caches in every region are invalidated within a few seconds.",
            ],
            lead_ins: &[
                "A typical {entity} flows through the system like this:",
                "The data flow, step by step:",
            ],
        },
        Kind::ExternalDependencies => Bank {
            sentences: &[
                "Every dependency has an owner and an escalation path listed in the service catalog.",
                "No new third-party vendor is introduced by this proposal.",
                "Library versions are pinned and updated by the usual automated pull requests.",
            ],
            items: &[
                "{store}, operated by the database team, for durable state.",
                "{queue} for change events, shared with other platform services.",
                "The internal identity service for service-to-service tokens.",
                "The secrets manager for credentials and signing keys.",
                "OpenTelemetry SDK for traces and metrics.",
                "The company CDN for static assets of the console page.",
                "A managed DNS provider for regional failover.",
            ],
            lead_ins: &["The system depends on:", "External dependencies:"],
        },
        Kind::Scalability => Bank {
            sentences: &[
                "The service is stateless apart from the cache and scales horizontally behind the load balancer.",
                "We sized the first deployment for {rps} {entities} per second with 50% headroom.",
                "The bottleneck at that load is {store} write throughput, not CPU.",
                "Partitioning by tenant spreads hot keys, except for the largest {pct} tenants, which get dedicated shards.",
                "Load tests at twice the expected peak kept p99 latency under {p99} ms.",
                "Autoscaling uses request concurrency rather than CPU, which reacts faster to bursts.",
                "Hot {records} are cached with a short TTL so that a stampede hits memory, not disk.",
                "The design scales to {regions} regions without cross-region coordination on the hot path.",
            ],
            items: NO_ITEMS,
            lead_ins: NO_ITEMS,
        },
        Kind::Security => Bank {
            sentences: &[
                "All traffic is encrypted in transit with TLS 1.3, including inside the cluster.",
                "Service-to-service calls use mTLS identities issued by the platform.",
                "Authorization is checked per tenant on every call; there is no global admin token.",
                "Data at rest is encrypted by {store} with keys managed in the KMS.",
                "Personal data is limited to ids; names and emails stay in the identity service.",
                "Audit events are append-only and retained for seven years.",
                "Inputs are validated against a schema before any processing, and sizes are capped.",
                "A threat model review with the security team is scheduled before the beta.",
                "Secrets are never written to logs; the logging library redacts known fields.",
            ],
            items: NO_ITEMS,
            lead_ins: NO_ITEMS,
        },
        Kind::ErrorHandling => Bank {
            sentences: &[
                "Transient failures are retried with exponential backoff and full jitter, at most five times.",
                "Permanent failures go to a dead letter queue and page nobody; a daily report lists them.",
                "If {store} is unavailable, writes fail fast and reads are served from the cache in degraded mode.",
                "Every error has a stable code that {actor} can match on.",
                "A circuit breaker around the {comp} opens after 20 consecutive failures.",
                "Partial failures are impossible by construction because each write is one transaction.",
                "Timeouts are set per call and always shorter than the caller's own deadline.",
                "Poison messages are detected after three attempts and quarantined.",
            ],
            items: NO_ITEMS,
            lead_ins: NO_ITEMS,
        },
        Kind::Monitoring => Bank {
            sentences: &[
                "Each component exports RED metrics: rate, errors and duration, labelled by tenant tier.",
                "Traces are sampled at 1% plus every request slower than {p99} ms.",
                "Logs are structured JSON with the request id and tenant id on every line.",
                "Alerts fire on SLO burn rate, not on raw thresholds.",
                "A dashboard per region shows the four golden signals and the queue depth of {queue}.",
                "The runbook links every alert to a first diagnostic step.",
                "Synthetic probes exercise the full write and read path every minute.",
            ],
            items: NO_ITEMS,
            lead_ins: NO_ITEMS,
        },
        Kind::OtherTeams => Bank {
            sentences: &[
                "{other} needs to update one client library call; we will send the pull request ourselves.",
                "The on-call rotation of {other} is not affected.",
                "Support gets a short guide on the new error messages before launch.",
                "Teams that read the old table directly must move to the API; there are four such consumers.",
                "The data platform team will add the new change events to the warehouse.",
                "Security reviewed the design and asked only for the audit retention change.",
            ],
            items: NO_ITEMS,
            lead_ins: NO_ITEMS,
        },
        Kind::CostAnalysis => Bank {
            sentences: &[
                "Infrastructure cost rises slightly during the migration while both systems run.",
                "After decommissioning the old path, the monthly bill drops by about {pct}%.",
                "Development takes two engineers for roughly one quarter.",
                "Operational cost goes down because the manual runbook disappears.",
                "Costs are estimated from list prices; actual prices are lower under our commitment.",
            ],
            items: NO_ITEMS,
            lead_ins: NO_ITEMS,
        },
        Kind::Risks => Bank {
            sentences: &[
                "The biggest risk is the migration itself, not the new design.",
                "Each risk has an owner who reviews it at the weekly project sync.",
                "Shadow mode lets us compare decisions before any traffic depends on them.",
            ],
            items: &[
                "**Migration drift**: old and new data disagree. Mitigation: dual writes with a nightly diff.",
                "**Hot tenants**: one tenant saturates a shard. Mitigation: per-tenant limits and dedicated shards.",
                "**Dependency outage**: {store} becomes unavailable. Mitigation: degraded read-only mode.",
                "**Schedule slip**: the team is pulled into incidents. Mitigation: phases are independently useful.",
                "**Client breakage**: an old client mishandles new errors. Mitigation: contract tests for the top clients.",
            ],
            lead_ins: &["The main risks and how we address them:", "Known risks:"],
        },
        Kind::Kpis => Bank {
            sentences: &[
                "Targets are measured over a rolling 28-day window.",
                "Baselines come from the current system over the last quarter.",
            ],
            items: &[
                "Latency p99: under {p99} ms",
                "Availability: 99.95% monthly",
                "Error rate: below 0.1% of {entities}",
                "Throughput: {rps} {entities} per second per region",
                "Pages per week: fewer than 2",
                "Time to onboard a tenant: under 1 day",
                "Cost per million {entities}: down {pct}%",
                "Support tickets about {entities}: down 40%",
            ],
            lead_ins: &[
                "We will track these indicators:",
                "Key indicators and their targets:",
            ],
        },
        Kind::MeasurementPlan => Bank {
            sentences: &[
                "Metrics are collected from day one of shadow mode, so the baseline and the new system overlap.",
                "The dashboard for these indicators is reviewed in the weekly operations meeting.",
                "We compare the two weeks before and after each rollout phase.",
                "Customer-facing metrics come from client-side telemetry, not only from the server.",
                "{person} reports the results to {team} at the end of each phase.",
                "If a target is missed two weeks in a row, the rollout pauses until we understand why.",
            ],
            items: NO_ITEMS,
            lead_ins: NO_ITEMS,
        },
        Kind::Phases => Bank {
            sentences: &[
                "Each phase ends with a go/no-go review.",
                "Phases can slip independently; none depends on a later one.",
            ],
            items: &[
                "**Phase 1: Foundations** ({quarter}): service skeleton, schema, CI and dashboards.",
                "**Phase 2: Shadow mode** (4 weeks): compute decisions in parallel and compare.",
                "**Phase 3: Gradual rollout** (6 weeks): move tenants over in cohorts of 10%.",
                "**Phase 4: Decommission** (2 weeks): remove the old code path and tables.",
                "**Phase 5: Hardening** (ongoing): chaos tests, load tests and runbook drills.",
            ],
            lead_ins: &["The work is split into phases:", "Milestones:"],
        },
        Kind::DependenciesBlockers => Bank {
            sentences: &[
                "None of these is blocking today, but two have dates that we do not control.",
                "The database team has confirmed capacity for the new cluster.",
                "We need sign-off from security before the beta, which is scheduled.",
                "The {queue} upgrade must land first because we rely on its idempotent producer.",
                "Budget approval for the extra capacity came through last month.",
            ],
            items: &[
                "Provisioning of the {store} cluster by the database team.",
                "The {queue} topic with the retention we need.",
                "Security review of the threat model.",
                "The client library release that supports the new error codes.",
            ],
            lead_ins: &["Before we can start:", "Prerequisites:"],
        },
        Kind::FutureWork => Bank {
            sentences: &[
                "These items came up during review and are worth doing once the core is stable.",
                "None of them needs a change to the data model described above.",
            ],
            items: &[
                "Self-service configuration for {actor}.",
                "Cross-region replication of {records} for disaster recovery.",
                "A public SDK in {lang}.",
                "Anomaly detection on {entities} using the new metrics.",
                "Archiving cold {records} to cheaper storage.",
                "Exposing the change stream to external partners.",
            ],
            lead_ins: &["Follow-up work we expect:", "Later, we may add:"],
        },
        Kind::FrontMatter | Kind::Parent | Kind::OpenQuestions | Kind::References => Bank {
            sentences: &[
                "This part of the document groups the subsections below.",
                "The subsections below go into detail.",
            ],
            items: NO_ITEMS,
            lead_ins: NO_ITEMS,
        },
    }
}

/// Short notes for footnotes.
pub(crate) const FOOTNOTES: &[&str] = &[
    "Measured on the production dashboard over the last 30 days.",
    "The figure excludes internal test tenants.",
    "Approximate; the exact value depends on payload size.",
    "See the incident review for the full timeline.",
    "This matches the recommendation of the database team.",
    "Confirmed with finance in the last budget cycle.",
];

/// Sentences with a real link.
pub(crate) const LINK_SENTENCES: &[&str] = &[
    "The retry behaviour follows [Exponential Backoff and Jitter](https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).",
    "See [Handling Overload](https://sre.google/sre-book/handling-overload/) for the background on load shedding.",
    "HTTP semantics are as in [RFC 9110](https://www.rfc-editor.org/rfc/rfc9110).",
    "Error bodies use [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem details.",
    "Timestamps are formatted as in [RFC 3339](https://www.rfc-editor.org/rfc/rfc3339).",
    "The alerting approach is taken from [the SRE workbook](https://sre.google/workbook/alerting-on-slos/).",
    "Idempotency keys work like the [IETF draft on the Idempotency-Key header](https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/).",
    "Tracing uses [OpenTelemetry](https://opentelemetry.io/docs/) conventions for span names.",
];

/// Open questions as they read once settled: resolved, checked or struck through.
pub(crate) const RESOLVED_QUESTIONS: &[&str] = &[
    "Resolved: Should we shard by tenant or by region? By tenant; regions are handled by replication.",
    "Resolved: Do we need strong consistency for reads? No, read-your-writes per session is enough.",
    "Resolved: Who owns the dashboards after launch? The owning team, with a quarterly review.",
    "Resolved: Can we drop the legacy endpoint in phase 4? Yes, after the usage falls below 1%.",
    "[x] Decide whether the cache is per host or shared.",
    "[x] Confirm the retention period with legal.",
    "[x] Agree on the error code format with the client teams.",
    "~~Should the service also handle batch imports?~~",
    "~~Do we need a separate staging cluster?~~",
    "~~Should we expose a WebSocket API?~~",
];

/// Open questions that nobody has answered yet.
pub(crate) const OPEN_QUESTIONS: &[&str] = &[
    "Should we support per-user overrides, or only per-tenant ones?",
    "Should we keep the nightly reconciliation job after the migration?",
    "Should we charge internal teams for their usage?",
    "Should we block the launch on the console page?",
    "Should we run the shadow mode for longer than four weeks?",
    "Should we expose the change stream outside the company?",
];

/// Lead-in paragraphs for the open questions section.
pub(crate) const OPEN_QUESTION_LEADS: &[&str] = &[
    "The questions raised during review, and how they were settled:",
    "Questions from the design review:",
];

/// Real references: title, address, description.
pub(crate) const REFERENCES: &[(&str, &str, &str)] = &[
    (
        "RFC 9110",
        "https://www.rfc-editor.org/rfc/rfc9110",
        "HTTP semantics",
    ),
    (
        "RFC 9457",
        "https://www.rfc-editor.org/rfc/rfc9457",
        "problem details for HTTP APIs",
    ),
    (
        "RFC 3339",
        "https://www.rfc-editor.org/rfc/rfc3339",
        "date and time on the internet",
    ),
    (
        "RFC 6749",
        "https://www.rfc-editor.org/rfc/rfc6749",
        "the OAuth 2.0 authorization framework",
    ),
    (
        "The Tail at Scale",
        "https://research.google/pubs/the-tail-at-scale/",
        "why p99 latency dominates fan-out systems",
    ),
    (
        "Dynamo: Amazon's Highly Available Key-value Store",
        "https://www.allthingsdistributed.com/files/amazon-dynamo-sosp2007.pdf",
        "partitioning and replication trade-offs",
    ),
    (
        "Site Reliability Engineering",
        "https://sre.google/sre-book/table-of-contents/",
        "the SRE book, chapters on overload and SLOs",
    ),
    (
        "Designing Data-Intensive Applications",
        "https://dataintensive.net/",
        "background on replication and stream processing",
    ),
    (
        "Exponential Backoff and Jitter",
        "https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/",
        "retry strategy",
    ),
    (
        "OpenTelemetry documentation",
        "https://opentelemetry.io/docs/",
        "tracing and metrics conventions",
    ),
    (
        "The Twelve-Factor App",
        "https://12factor.net/",
        "configuration and deployment practices",
    ),
    (
        "Kafka: a Distributed Messaging System for Log Processing",
        "https://www.microsoft.com/en-us/research/publication/kafka-a-distributed-messaging-system-for-log-processing/",
        "the original Kafka paper",
    ),
    (
        "Spanner: Google's Globally-Distributed Database",
        "https://research.google/pubs/spanner-googles-globally-distributed-database-2/",
        "external consistency with TrueTime",
    ),
    (
        "OWASP Application Security Verification Standard",
        "https://owasp.org/www-project-application-security-verification-standard/",
        "security requirements checklist",
    ),
];

/// Placeholder texts planted as defects; each is template-like text an author forgot.
pub(crate) const PLACEHOLDERS: &[&str] = &[
    "[Describe the retry policy]",
    "[Add the capacity estimate]",
    "[Link to the dashboard]",
    "[Explain why the cache is safe]",
    "[Insert sequence diagram]",
    "[Owner name]",
    "[Fill in the rollout date]",
    "[Performance requirements, bottlenecks, scaling strategies]",
    "[Failure modes, recovery strategies]",
    "[How data moves through the system]",
    "[Describe the migration of existing data]",
    "[Number of tenants in phase 2]",
    "[Confirm with the database team]",
    "[What problem does this system/feature solve?]",
];

/// Appendix titles for the unknown-section defect.
pub(crate) const APPENDIX_TITLES: &[&str] = &[
    "Load Test Results",
    "Migration Runbook",
    "Glossary",
    "Alternatives Considered",
    "Meeting Notes",
    "Capacity Model",
];
