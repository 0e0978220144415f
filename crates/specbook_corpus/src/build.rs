//! Writes a finished spec: every template section with varied prose, lists, code and tables,
//! grown until the spec reaches its target size.

use std::collections::HashSet;

use crate::date::{days_from_civil, format_days};
use crate::domains::{
    DOMAINS, Domain, FIRST_NAMES, LANGUAGES, LAST_NAMES, PREFIXES, QUEUES, STORES, SUFFIXES, TEAMS,
};
use crate::outline::{Kind, OUTLINE, TITLE_SUFFIX};
use crate::prose::{
    FOOTNOTES, GENERIC, LINK_SENTENCES, OPEN_QUESTION_LEADS, REFERENCES, RESOLVED_QUESTIONS, bank,
};
use crate::rng::Rng;
use crate::spec::{Block, Section, Spec};

pub(crate) const STATUSES: &[&str] = &["Draft", "Review", "Approved"];

/// Everything a spec's prose refers to, fixed once per spec so the text is consistent.
pub(crate) struct Ctx {
    pub rng: Rng,
    pub domain: &'static Domain,
    pub sys: String,
    store: &'static str,
    queue: &'static str,
    lang: &'static str,
    team: &'static str,
    others: Vec<&'static str>,
    people: Vec<String>,
    rps: usize,
    p99: usize,
    regions: usize,
    tenants: usize,
    /// When the current system was first built.
    year: i64,
    /// The spec's Created year, which dates in the plan follow.
    created_year: i64,
    /// Reference indices into [`REFERENCES`], in the order listed.
    refs: Vec<usize>,
    /// Whether references are written as reference-style links with definitions.
    ref_style: bool,
    /// Templates already used in this spec, by content (pointer identity would depend on how
    /// the compiler merges string literals, and so on the build).
    used: HashSet<&'static str>,
    footnotes: usize,
    code_blocks: usize,
    tables: usize,
}

impl Ctx {
    fn new(mut rng: Rng) -> Self {
        let domain = rng.pick(DOMAINS);
        let sys = format!(
            "{}{}{}",
            rng.pick(PREFIXES),
            rng.pick(domain.systems),
            rng.pick(SUFFIXES)
        );
        let mut teams = rng.sample(TEAMS, 4);
        let team = teams.remove(0);
        let people = (0..4)
            .map(|_| format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)))
            .collect();
        let ref_count = rng.range(3, 8);
        let refs = rng.sample(&(0..REFERENCES.len()).collect::<Vec<_>>(), ref_count);
        Self {
            domain,
            sys,
            store: *rng.pick(STORES),
            queue: *rng.pick(QUEUES),
            lang: *rng.pick(LANGUAGES),
            team,
            others: teams,
            people,
            rps: *rng.pick(&[500, 1_200, 2_500, 5_000, 12_000, 40_000, 90_000]),
            p99: *rng.pick(&[20, 50, 80, 120, 200, 250, 400]),
            regions: rng.range(2, 6),
            tenants: *rng.pick(&[200, 1_500, 8_000, 25_000]),
            year: i64::try_from(rng.range(2012, 2018)).unwrap_or(2015),
            created_year: 2022,
            refs,
            ref_style: rng.chance(12),
            used: HashSet::new(),
            footnotes: 0,
            code_blocks: 0,
            tables: 0,
            rng,
        }
    }

    fn slot(&mut self, name: &str) -> Option<String> {
        let value = match name {
            "sys" => self.sys.clone(),
            "entity" => self.domain.entity.to_owned(),
            "entities" => self.domain.entities.to_owned(),
            "record" => self.domain.record.to_owned(),
            "records" => self.domain.records.to_owned(),
            "actor" => self.domain.actor.to_owned(),
            "comp" => (*self.rng.pick(self.domain.components)).to_owned(),
            "comp2" => self.domain.components[self.domain.components.len() - 1].to_owned(),
            "action" => (*self.rng.pick(self.domain.actions)).to_owned(),
            "code" => (*self.rng.pick(self.domain.code_spans)).to_owned(),
            "store" => self.store.to_owned(),
            "queue" => self.queue.to_owned(),
            "lang" => self.lang.to_owned(),
            "team" => self.team.to_owned(),
            "other" => (*self.rng.pick(&self.others)).to_owned(),
            "person" => self.rng.pick(&self.people).clone(),
            "rps" => group_thousands(self.rps),
            "p99" => self.p99.to_string(),
            "regions" => self.regions.to_string(),
            "tenants" => group_thousands(self.tenants),
            "pct" => self.rng.pick(&[5, 10, 15, 20, 30, 40]).to_string(),
            "year" => self.year.to_string(),
            "quarter" => format!(
                "Q{} {}",
                self.rng.range(1, 4),
                self.created_year + i64::from(self.rng.chance(50))
            ),
            _ => return None,
        };
        Some(value)
    }

    /// Fills `{slot}`s; the first letter is capitalised when a slot starts the sentence.
    pub(crate) fn fill(&mut self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            match self.slot(&after[..close]) {
                Some(value) => out.push_str(&value),
                None => out.push_str(&rest[open..=open + 1 + close]),
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        capitalize_first(&mut out);
        out
    }

    /// A template from `pool` not used yet in this spec, if any is left.
    fn fresh(&mut self, pool: &[&'static str]) -> Option<&'static str> {
        let unused: Vec<&'static str> = pool
            .iter()
            .copied()
            .filter(|s| !self.used.contains(s))
            .collect();
        if unused.is_empty() {
            return None;
        }
        let chosen = unused[self.rng.below(unused.len())];
        self.used.insert(chosen);
        Some(chosen)
    }

    /// One sentence for a section of `kind`, sometimes generic, a link, or with a citation.
    fn sentence(&mut self, kind: Kind) -> String {
        if self.rng.chance(6)
            && let Some(link) = self.fresh(LINK_SENTENCES)
        {
            return link.to_owned();
        }
        let template = if self.rng.chance(15) {
            self.fresh(GENERIC)
        } else {
            None
        };
        let template = template
            .or_else(|| self.fresh(bank(kind).sentences))
            .or_else(|| self.fresh(GENERIC))
            .unwrap_or_else(|| {
                let sentences = bank(kind).sentences;
                sentences[self.rng.below(sentences.len())]
            });
        let mut sentence = self.fill(template);
        if self.rng.chance(7) && sentence.ends_with('.') {
            let cited = self.rng.range(1, self.refs.len());
            sentence.pop();
            if self.rng.chance(25) && cited < self.refs.len() {
                sentence.push_str(&format!(" [{cited}, {}].", cited + 1));
            } else {
                sentence.push_str(&format!(" [{cited}]."));
            }
        }
        sentence
    }

    fn paragraph(&mut self, kind: Kind, sentences: usize) -> Vec<Block> {
        let mut out: Vec<String> = (0..sentences).map(|_| self.sentence(kind)).collect();
        let mut blocks = Vec::new();
        // A footnote on the last sentence, unless it already ends in a citation: `[3][^1]`
        // would read as a reference link in some parsers.
        if self.rng.chance(5)
            && let Some(last) = out.last_mut()
            && last.ends_with('.')
            && !last.ends_with("].")
        {
            self.footnotes += 1;
            let n = self.footnotes;
            last.pop();
            last.push_str(&format!("[^{n}]."));
            let note = *self.rng.pick(FOOTNOTES);
            blocks.push(Block::Paragraph(out));
            blocks.push(Block::Raw(vec![format!("[^{n}]: {note}")]));
            return blocks;
        }
        blocks.push(Block::Paragraph(out));
        blocks
    }

    /// The list a section starts with.
    fn items(&mut self, kind: Kind, count: usize) -> Vec<String> {
        match kind {
            Kind::SystemComponents => {
                let components = self.rng.sample(self.domain.components, count);
                components
                    .iter()
                    .map(|c| format!("**{c}**: {}", self.rng.pick(RESPONSIBILITIES)))
                    .collect()
            }
            Kind::Kpis => {
                let mut kpis: Vec<String> = self
                    .rng
                    .sample(self.domain.kpis, 2)
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                for _ in 2..count {
                    if let Some(t) = self.fresh(bank(kind).items) {
                        kpis.push(self.fill(t));
                    }
                }
                kpis
            }
            _ if is_ordered(kind) => {
                let steps = bank(kind).items;
                let n = count.clamp(2, steps.len());
                steps[..n].iter().map(|t| self.fill(t)).collect()
            }
            _ => {
                let mut items = Vec::with_capacity(count);
                for _ in 0..count {
                    if let Some(t) = self.fresh(bank(kind).items) {
                        items.push(self.fill(t));
                    }
                }
                items
            }
        }
    }

    /// One more item for a list that already has `existing`, if the bank has any left.
    fn one_more_item(&mut self, kind: Kind, existing: &[String]) -> Option<String> {
        match kind {
            _ if is_ordered(kind) => {
                let next = bank(kind).items.get(existing.len())?;
                Some(self.fill(next))
            }
            Kind::SystemComponents => {
                let unlisted: Vec<&str> = self
                    .domain
                    .components
                    .iter()
                    .copied()
                    .filter(|c| !existing.iter().any(|i| i.starts_with(&format!("**{c}**"))))
                    .collect();
                if unlisted.is_empty() {
                    return None;
                }
                let c = unlisted[self.rng.below(unlisted.len())];
                Some(format!("**{c}**: {}", self.rng.pick(RESPONSIBILITIES)))
            }
            _ => {
                let t = self.fresh(bank(kind).items)?;
                Some(self.fill(t))
            }
        }
    }
}

/// Sections whose list is a sequence of steps: numbered, in the bank's order.
fn is_ordered(kind: Kind) -> bool {
    matches!(kind, Kind::DataFlow | Kind::BusinessLogic | Kind::Phases)
}

const RESPONSIBILITIES: &[&str] = &[
    "owns the write path and enforces the invariants",
    "serves reads from a local cache",
    "runs periodic maintenance such as compaction and expiry",
    "translates between the public API and internal messages",
    "exports metrics and audit events",
    "schedules background work and tracks its progress",
    "validates configuration before it is applied",
];

fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn capitalize_first(s: &mut String) {
    if let Some(first) = s.chars().next()
        && first.is_lowercase()
    {
        let upper: String = first.to_uppercase().collect();
        s.replace_range(..first.len_utf8(), &upper);
    }
}

fn snake(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("_")
}

fn camel(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// How much a section grows relative to the others.
fn growth_weight(kind: Kind) -> usize {
    match kind {
        Kind::FrontMatter | Kind::Parent | Kind::OpenQuestions | Kind::References => 0,
        Kind::ProblemOverview | Kind::Overview => 5,
        Kind::Context
        | Kind::CurrentSolution
        | Kind::DataModel
        | Kind::BusinessLogic
        | Kind::ApiDesign => 4,
        Kind::Scalability | Kind::Security | Kind::ErrorHandling | Kind::Monitoring => 3,
        Kind::DataFlow | Kind::Risks | Kind::CostAnalysis | Kind::MeasurementPlan => 2,
        _ => 1,
    }
}

/// Builds a finished spec; the caller plants defects afterwards.
pub(crate) fn build(ctx: &mut Ctx) -> (Spec, &'static str) {
    let rng = &mut ctx.rng;
    let status = *rng.pick(STATUSES);
    let authors: Vec<String> = (0..rng.range(1, 3))
        .map(|_| format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)))
        .collect();
    let created_year = i64::try_from(rng.range(2019, 2025)).unwrap_or(2022);
    let created = days_from_civil(
        created_year,
        u32::try_from(rng.range(1, 12)).unwrap_or(1),
        u32::try_from(rng.range(1, 28)).unwrap_or(1),
    );
    let updated = created + i64::try_from(rng.below(400)).unwrap_or(0);
    ctx.created_year = created_year;
    let fields = vec![
        ("Author(s)", authors.join(", ")),
        ("Team", ctx.team.to_owned()),
        ("Created", format_days(created)),
        ("Last Updated", format_days(updated)),
        ("Status", status.to_owned()),
    ];
    let wrap = if ctx.rng.chance(35) {
        Some(ctx.rng.range(72, 100))
    } else {
        None
    };
    let airy = ctx.rng.chance(80);
    let mut spec = Spec {
        name: ctx.sys.clone(),
        title_suffix: TITLE_SUFFIX,
        fields,
        sections: Vec::with_capacity(OUTLINE.len() + 1),
        wrap,
        airy,
    };
    for (index, entry) in OUTLINE.iter().enumerate() {
        let blocks = initial_blocks(ctx, entry.kind);
        spec.sections.push(Section {
            level: entry.level,
            title: entry.title.to_owned(),
            outline: Some(index),
            blocks,
        });
    }
    grow(ctx, &mut spec);
    (spec, status)
}

/// A target size between 6 and 16 KB, most often near 11 KB.
fn target_size(rng: &mut Rng) -> usize {
    let spread = f64::midpoint(rng.unit(), rng.unit());
    #[expect(clippy::cast_sign_loss, reason = "spread is in [0, 1)")]
    let extra = (spread * 9_000.0) as usize;
    6_300 + extra
}

fn initial_blocks(ctx: &mut Ctx, kind: Kind) -> Vec<Block> {
    match kind {
        Kind::FrontMatter => Vec::new(),
        Kind::Parent => {
            if ctx.rng.chance(12) {
                let s = {
                    let t = ctx.any_of(bank(kind).sentences);
                    ctx.fill(t)
                };
                vec![Block::Paragraph(vec![s])]
            } else {
                Vec::new()
            }
        }
        Kind::OpenQuestions => open_questions(ctx),
        Kind::References => references(ctx),
        Kind::Kpis => {
            let mut blocks = Vec::new();
            if ctx.rng.chance(50) {
                let lead = {
                    let t = ctx.any_of(bank(kind).lead_ins);
                    ctx.fill(t)
                };
                blocks.push(Block::Paragraph(vec![lead]));
            }
            let n = ctx.rng.range(3, 6);
            blocks.push(Block::Bullets(ctx.items(kind, n)));
            blocks
        }
        Kind::Phases => {
            let mut blocks = Vec::new();
            if ctx.rng.chance(40) {
                let lead = {
                    let t = ctx.any_of(bank(kind).lead_ins);
                    ctx.fill(t)
                };
                blocks.push(Block::Paragraph(vec![lead]));
            }
            let n = ctx.rng.range(2, 5);
            blocks.push(Block::Numbered(ctx.items(kind, n)));
            blocks
        }
        _ => {
            let b = bank(kind);
            if b.items.is_empty() || kind == Kind::BusinessLogic || ctx.rng.chance(20) {
                let n = ctx.rng.range(1, 2);
                ctx.paragraph(kind, n)
            } else {
                let mut blocks = Vec::new();
                if ctx.rng.chance(60) {
                    let lead = {
                        let t = ctx.any_of(b.lead_ins);
                        ctx.fill(t)
                    };
                    blocks.push(Block::Paragraph(vec![lead]));
                }
                let n = ctx.rng.range(2, 3);
                let items = ctx.items(kind, n);
                blocks.push(list_block(kind, items));
                blocks
            }
        }
    }
}

fn list_block(kind: Kind, items: Vec<String>) -> Block {
    if is_ordered(kind) {
        Block::Numbered(items)
    } else {
        Block::Bullets(items)
    }
}

impl Ctx {
    fn any_of(&mut self, pool: &'static [&'static str]) -> &'static str {
        pool[self.rng.below(pool.len())]
    }
}

fn open_questions(ctx: &mut Ctx) -> Vec<Block> {
    if ctx.rng.chance(25) {
        return vec![Block::Raw(vec!["None.".to_owned()])];
    }
    let mut blocks = Vec::new();
    if ctx.rng.chance(50) {
        blocks.push(Block::Paragraph(vec![
            (*ctx.rng.pick(OPEN_QUESTION_LEADS)).to_owned(),
        ]));
    }
    let n = ctx.rng.range(2, 5);
    let items = ctx
        .rng
        .sample(RESOLVED_QUESTIONS, n)
        .into_iter()
        .map(str::to_owned)
        .collect();
    blocks.push(Block::Bullets(items));
    blocks
}

fn references(ctx: &mut Ctx) -> Vec<Block> {
    let mut items = Vec::new();
    let mut definitions = Vec::new();
    for &i in &ctx.refs {
        let (title, url, description) = REFERENCES[i];
        if ctx.ref_style {
            items.push(format!("[{title}][]: {description}"));
            definitions.push(format!("[{title}]: {url}"));
        } else {
            items.push(format!("[{title}]({url}): {description}"));
        }
    }
    let mut blocks = Vec::new();
    if ctx.rng.chance(20) {
        blocks.push(Block::Paragraph(vec![
            "Numbers in brackets elsewhere in this document refer to this list.".to_owned(),
        ]));
    }
    blocks.push(Block::Bullets(items));
    if !definitions.is_empty() {
        blocks.push(Block::Raw(definitions));
    }
    blocks
}

/// Adds content to weighted random sections until the spec reaches its target size.
fn grow(ctx: &mut Ctx, spec: &mut Spec) {
    let target = target_size(&mut ctx.rng);
    let mut size = spec.render().len();
    let weights: Vec<usize> = spec
        .sections
        .iter()
        .map(|s| s.kind().map_or(0, growth_weight))
        .collect();
    let total: usize = weights.iter().sum();
    // A reference-style spec cites one of its references by shortcut link somewhere.
    if ctx.ref_style
        && let Some(section) = spec
            .sections
            .iter_mut()
            .find(|s| s.kind() == Some(Kind::Context))
    {
        let (title, _, _) = REFERENCES[ctx.refs[0]];
        let sentence = format!("Background reading: [{title}].");
        size += sentence.len() + 2;
        section.blocks.push(Block::Paragraph(vec![sentence]));
    }
    let mut guard = 0;
    while size < target && guard < 400 {
        guard += 1;
        let mut pick = ctx.rng.below(total);
        let mut index = 0;
        while pick >= weights[index] {
            pick -= weights[index];
            index += 1;
        }
        let kind = spec.sections[index].kind().unwrap_or(Kind::Parent);
        size += grow_section(ctx, &mut spec.sections[index].blocks, kind, spec.wrap);
    }
}

/// Adds one piece of content to a section; returns about how many bytes it added.
fn grow_section(ctx: &mut Ctx, blocks: &mut Vec<Block>, kind: Kind, wrap: Option<usize>) -> usize {
    let b = bank(kind);
    if ctx.rng.chance(22)
        && let Some(block) = special(ctx, kind, blocks)
    {
        let len = block.rendered_len(wrap) + 1;
        blocks.push(block);
        return len;
    }
    match blocks.last_mut() {
        Some(Block::Paragraph(sentences)) if sentences.len() < 5 && ctx.rng.chance(50) => {
            let s = ctx.sentence(kind);
            let len = s.len() + 1;
            sentences.push(s);
            return len;
        }
        Some(Block::Bullets(items) | Block::Numbered(items))
            if !b.items.is_empty() && ctx.rng.chance(50) =>
        {
            if let Some(item) = ctx.one_more_item(kind, items) {
                let len = item.len() + 3;
                items.push(item);
                return len;
            }
        }
        _ => {}
    }
    let has_list = blocks
        .iter()
        .any(|b| matches!(b, Block::Bullets(_) | Block::Numbered(_)));
    if !b.items.is_empty() && !has_list && ctx.rng.chance(30) {
        let n = ctx.rng.range(2, 4);
        let items = ctx.items(kind, n);
        if items.is_empty() {
            return 0;
        }
        let mut new = Vec::new();
        if !b.lead_ins.is_empty() {
            let t = ctx.any_of(b.lead_ins);
            new.push(Block::Paragraph(vec![ctx.fill(t)]));
        }
        new.push(list_block(kind, items));
        let len = new.iter().map(|b| b.rendered_len(wrap) + 1).sum();
        blocks.extend(new);
        return len;
    }
    if ctx.rng.chance(4) {
        let s = ctx.sentence(kind);
        let len = s.len() + 4;
        blocks.push(Block::Quote(format!("**Note:** {s}")));
        return len;
    }
    let n = ctx.rng.range(2, 4);
    let new = ctx.paragraph(kind, n);
    let len = new.iter().map(|b| b.rendered_len(wrap) + 1).sum();
    blocks.extend(new);
    len
}

/// A code block or table that suits the section, at most a few per spec.
fn special(ctx: &mut Ctx, kind: Kind, blocks: &[Block]) -> Option<Block> {
    let has_code = blocks.iter().any(|b| matches!(b, Block::Code { .. }));
    let has_table = blocks.iter().any(|b| matches!(b, Block::Table(_)));
    let code_ok = !has_code && ctx.code_blocks < 3;
    let table_ok = !has_table && ctx.tables < 2;
    let d = ctx.domain;
    let rec = snake(d.record);
    let block =
        match kind {
            Kind::DataModel if table_ok && ctx.rng.chance(50) => {
                let mut rows = vec![vec!["Field".into(), "Type".into(), "Notes".into()]];
                rows.extend(d.fields.iter().map(|(n, t, note)| {
                    vec![format!("`{n}`"), (*t).to_owned(), (*note).to_owned()]
                }));
                Block::Table(rows)
            }
            Kind::DataModel if code_ok => {
                if ctx.rng.chance(50) {
                    code("sql", sql_table(d, &rec))
                } else {
                    code("rust", rust_struct(d))
                }
            }
            Kind::ApiDesign if table_ok && ctx.rng.chance(50) => {
                let mut rows = vec![vec!["Method".into(), "Path".into(), "Purpose".into()]];
                rows.extend(d.endpoints.iter().map(|(m, p, what)| {
                    vec![(*m).to_owned(), format!("`{p}`"), (*what).to_owned()]
                }));
                Block::Table(rows)
            }
            Kind::ApiDesign if code_ok => code("http", http_example(d)),
            Kind::BusinessLogic if code_ok => code("python", python_logic(d, &rec)),
            Kind::Scalability | Kind::ErrorHandling if code_ok => {
                code("toml", toml_config(&snake(&ctx.sys), ctx.regions))
            }
            Kind::Monitoring if code_ok => code("yaml", alert_rule(&snake(&ctx.sys))),
            Kind::UserInterface if code_ok => code("text", cli_session(&snake(&ctx.sys), &rec)),
            Kind::CostAnalysis if table_ok => Block::Table(cost_table(ctx)),
            Kind::Risks if table_ok => Block::Table(vec![
                vec![
                    "Risk".into(),
                    "Likelihood".into(),
                    "Impact".into(),
                    "Mitigation".into(),
                ],
                vec![
                    "Data drift during migration".into(),
                    "Medium".into(),
                    "High".into(),
                    "Dual writes and a nightly diff".into(),
                ],
                vec![
                    format!("{} outage", ctx.store),
                    "Low".into(),
                    "High".into(),
                    "Read-only degraded mode".into(),
                ],
                vec![
                    "Hot tenant".into(),
                    "Medium".into(),
                    "Medium".into(),
                    "Per-tenant limits".into(),
                ],
            ]),
            Kind::OtherTeams if table_ok => {
                let mut rows = vec![vec!["Team".into(), "Impact".into(), "Action needed".into()]];
                for (team, (impact, action)) in ctx.others.clone().iter().zip(TEAM_IMPACTS) {
                    rows.push(vec![
                        (*team).to_owned(),
                        (*impact).to_owned(),
                        (*action).to_owned(),
                    ]);
                }
                Block::Table(rows)
            }
            _ => return None,
        };
    let Block::Code { fence, lang, lines } = block else {
        ctx.tables += 1;
        return Some(block);
    };
    ctx.code_blocks += 1;
    // Some authors fence with tildes.
    let fence = if ctx.rng.chance(15) { "~~~" } else { fence };
    Some(Block::Code { fence, lang, lines })
}

const TEAM_IMPACTS: &[(&str, &str)] = &[
    ("Client library update", "Upgrade before phase 3"),
    ("New events to consume", "Optional"),
    ("Dashboards move", "None"),
];

fn code(lang: &'static str, lines: Vec<String>) -> Block {
    Block::Code {
        fence: "```",
        lang,
        lines,
    }
}

fn sql_type(t: &str) -> &'static str {
    match t {
        "UUID" => "uuid",
        "timestamp" => "timestamptz",
        "u64" | "i64" => "bigint",
        "u32" | "u16" | "u8" => "integer",
        "f64" => "double precision",
        "bool" => "boolean",
        "json" => "jsonb",
        "date" => "date",
        "sha256" | "bytes(32)" => "bytea",
        _ => "text",
    }
}

fn rust_type(t: &str) -> &'static str {
    match t {
        "UUID" => "Uuid",
        "timestamp" => "Timestamp",
        "u64" => "u64",
        "i64" => "i64",
        "u32" => "u32",
        "u16" => "u16",
        "u8" => "u8",
        "f64" => "f64",
        "bool" => "bool",
        "json" => "serde_json::Value",
        "date" => "Date",
        "sha256" | "bytes(32)" => "[u8; 32]",
        "enum" => "State",
        _ => "String",
    }
}

fn sql_table(d: &Domain, rec: &str) -> Vec<String> {
    let mut lines = vec![
        format!("-- One row per {}.", d.record),
        format!("CREATE TABLE {rec}s ("),
    ];
    for (name, t, _) in d.fields {
        lines.push(format!("    {name} {} NOT NULL,", sql_type(t)));
    }
    lines.push(format!("    PRIMARY KEY ({})", d.fields[0].0));
    lines.push(");".into());
    lines.push("-- TODO: partition by month once the table passes a billion rows".into());
    lines.push(format!(
        "CREATE INDEX {rec}s_by_{f} ON {rec}s ({f});",
        f = d.fields[1].0
    ));
    lines
}

fn rust_struct(d: &Domain) -> Vec<String> {
    let name = camel(d.record);
    let mut lines = vec![
        format!("/// One {}.", d.record),
        format!("pub struct {name} {{"),
    ];
    for (field, t, note) in d.fields {
        lines.push(format!("    /// {}", capitalized(note)));
        lines.push(format!("    pub {field}: {},", rust_type(t)));
    }
    lines.push("}".into());
    lines.push(String::new());
    lines.push(format!("fn nth(all: &[{name}], idx: usize) -> &{name} {{"));
    lines.push("    &all[idx] // TODO: callers check bounds today".into());
    lines.push("}".into());
    lines
}

fn capitalized(s: &str) -> String {
    let mut s = s.to_owned();
    capitalize_first(&mut s);
    s
}

fn python_logic(d: &Domain, rec: &str) -> Vec<String> {
    let ent = snake(d.entity);
    vec![
        format!("# Decide the outcome for one {}.", d.entity),
        "# not a heading: Python comments start with a hash".into(),
        format!("def handle({ent}, {rec}s):"),
        format!("    current = {rec}s[{ent}.key]"),
        "    if current is None:".into(),
        format!("        raise NotFound({ent}.key)"),
        "    # TODO: move validation into the schema layer".into(),
        format!("    decision = policy.evaluate(current, {ent})"),
        "    journal.append(decision)".into(),
        "    return decision".into(),
    ]
}

fn http_example(d: &Domain) -> Vec<String> {
    let (method, path, _) = d.endpoints[0];
    let (f0, _, _) = d.fields[0];
    let (f1, _, _) = d.fields[1];
    vec![
        format!(
            "{method} {} HTTP/1.1",
            path.replace(":id", "42").replace(":tenant", "acme")
        ),
        "Content-Type: application/json".into(),
        "Idempotency-Key: 5f0c2a1e-9b7d-4e61-a1c3-2d8f6b0e7a94".into(),
        String::new(),
        format!("{{\"{f0}\": \"8d1e\", \"{f1}\": 3, \"tags\": [\"beta\", \"eu\"]}}"),
        String::new(),
        "HTTP/1.1 201 Created".into(),
        format!("{{\"{f0}\": \"8d1e\", \"warnings\": []}}"),
    ]
}

fn toml_config(service: &str, regions: usize) -> Vec<String> {
    vec![
        "# not a heading: a TOML comment".into(),
        "[service]".into(),
        format!("name = \"{service}\""),
        format!("regions = {regions}"),
        String::new(),
        "[retry]".into(),
        "max_attempts = 5".into(),
        "base_delay_ms = 100 # TODO: tune after the load test".into(),
        "jitter = \"full\"".into(),
    ]
}

fn alert_rule(service: &str) -> Vec<String> {
    vec![
        "# Page when the error budget burns 14x too fast".into(),
        "groups:".into(),
        format!("  - name: {service}"),
        "    rules:".into(),
        "      - alert: ErrorBudgetBurn".into(),
        "        expr: sum(rate(errors_total[5m])) / sum(rate(requests_total[5m])) > 0.0144".into(),
        "        for: 5m".into(),
        "        labels: {severity: page}".into(),
    ]
}

fn cli_session(service: &str, rec: &str) -> Vec<String> {
    vec![
        format!("$ {service} inspect --tenant acme"),
        "# not a heading: the CLI prints one line per entry".into(),
        format!("{rec}[0]  state=ready   updated=2m ago"),
        format!("{rec}[1]  state=stale   updated=3h ago  (TODO marker from the old tool)"),
    ]
}

fn cost_table(ctx: &mut Ctx) -> Vec<Vec<String>> {
    let compute = ctx.rng.range(2, 30) * 100;
    let storage = ctx.rng.range(1, 20) * 100;
    vec![
        vec!["Item".into(), "Monthly cost".into(), "Notes".into()],
        vec![
            "Compute".into(),
            format!("${}", group_thousands(compute)),
            format!("{} regions", ctx.regions),
        ],
        vec![
            format!("{} storage", ctx.store),
            format!("${}", group_thousands(storage)),
            "with replicas".into(),
        ],
        vec![
            format!("{} throughput", ctx.queue),
            "$300".into(),
            "shared cluster".into(),
        ],
        vec![
            "Old system (removed)".into(),
            format!("-${}", group_thousands(compute + storage / 2)),
            "after phase 4".into(),
        ],
    ]
}

pub(crate) fn new_ctx(seed: u64, index: u64) -> Ctx {
    Ctx::new(Rng::for_item(seed, index))
}

pub(crate) fn slug(name: &str) -> String {
    snake(name).replace('_', "-")
}
