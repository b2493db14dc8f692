//! Members: their names, emails and ids, and how the team is built and searched.

use time::OffsetDateTime;

use super::{TeamData, base62, pick, rng_for};
use crate::config::DataSizes;
use crate::dates::epoch_ms;

const FIRST_NAMES: &[(&str, &str)] = &[
    ("Alex", "alex"),
    ("Sam", "sam"),
    ("José", "jose"),
    ("Zoë", "zoe"),
    ("Łukasz", "lukasz"),
    ("Søren", "soren"),
    ("Chloé", "chloe"),
    ("Priya", "priya"),
    ("Wei", "wei"),
    ("Aiko", "aiko"),
    ("Mateus", "mateus"),
    ("Fatima", "fatima"),
    ("Olu", "olu"),
    ("Ingrid", "ingrid"),
    ("Diego", "diego"),
    ("Hana", "hana"),
    ("Noah", "noah"),
    ("Emma", "emma"),
    ("Liam", "liam"),
    ("Mia", "mia"),
    ("Yuki", "yuki"),
    ("Omar", "omar"),
    ("Ana", "ana"),
    ("Björn", "bjorn"),
];

const LAST_NAMES: &[(&str, &str)] = &[
    ("García", "garcia"),
    ("Müller", "muller"),
    ("Nowak", "nowak"),
    ("Smith", "smith"),
    ("Chen", "chen"),
    ("Tanaka", "tanaka"),
    ("O'Brien", "obrien"),
    ("Kowalski", "kowalski"),
    ("Silva", "silva"),
    ("Okafor", "okafor"),
    ("Johansson", "johansson"),
    ("Nguyen", "nguyen"),
    ("Patel", "patel"),
    ("Rossi", "rossi"),
    ("Dubois", "dubois"),
    ("Kim", "kim"),
];

/// One team member.
#[derive(Debug, Clone)]
pub struct Member {
    /// Position in the team, stable for a seed.
    pub index: usize,
    /// Encoded id, `user_…`.
    pub user_id: String,
    /// Numeric id, also accepted by user filters.
    pub numeric_id: u64,
    /// Display name (may contain non-ASCII letters).
    pub name: String,
    /// Email address.
    pub email: String,
    /// `owner`, `member` or `free-owner`.
    pub role: &'static str,
    /// Whether the member's client runs in privacy mode (AI-code metadata loses `fileName`).
    pub privacy_mode: bool,
}

impl TeamData {
    /// Builds the team of a seed; commits and changes end at `anchor`.
    pub fn new(seed: u64, sizes: DataSizes, anchor: OffsetDateTime) -> Self {
        let mut members = Vec::with_capacity(sizes.members);
        let mut seen = std::collections::HashSet::new();
        for index in 0..sizes.members.max(1) {
            let mut rng = rng_for(seed, &[1, index as u64]);
            let (first, first_ascii) = *pick(&mut rng, FIRST_NAMES);
            let (last, last_ascii) = *pick(&mut rng, LAST_NAMES);
            let mut email = format!("{first_ascii}.{last_ascii}@acme-corp.com");
            if !seen.insert(email.clone()) {
                email = format!("{first_ascii}.{last_ascii}{index}@acme-corp.com");
                seen.insert(email.clone());
            }
            let role = match index {
                0 | 1 => "owner",
                2 => "free-owner",
                _ => "member",
            };
            members.push(Member {
                index,
                user_id: format!("user_{}", base62(&mut rng, 26)),
                numeric_id: 10_001 + index as u64,
                name: format!("{first} {last}"),
                email,
                role,
                privacy_mode: index % 9 == 4,
            });
        }
        let by_email = members.iter().map(|m| (m.email.to_ascii_lowercase(), m.index)).collect();
        let by_user_id = members.iter().map(|m| (m.user_id.clone(), m.index)).collect();
        let by_numeric_id = members.iter().map(|m| (m.numeric_id, m.index)).collect();
        Self { seed, sizes, members, by_email, by_user_id, by_numeric_id, anchor_ms: epoch_ms(anchor) }
    }

    /// All members, in team order.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// A member by email, `user_…` id or numeric id.
    pub fn find_member(&self, ident: &str) -> Option<&Member> {
        let ident = ident.trim();
        let index = if ident.contains('@') {
            self.by_email.get(&ident.to_ascii_lowercase()).copied()
        } else if ident.starts_with("user_") {
            self.by_user_id.get(ident).copied()
        } else {
            ident.parse::<u64>().ok().and_then(|n| self.by_numeric_id.get(&n).copied())
        };
        index.map(|i| &self.members[i])
    }
}
