//! The teams config: several teams, each a name and the environment variable holding its
//! key (JSON, so no extra parser is needed).

use std::path::Path;

use serde::Deserialize;

use crate::Error;

/// The teams to sync, as read from a JSON file:
///
/// ```json
/// {"teams": [
///   {"name": "acme", "keyEnv": "ACME_CURSOR_API_KEY"},
///   {"name": "labs", "keyEnv": "LABS_CURSOR_API_KEY", "baseUrl": "https://api.cursor.com"}
/// ]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamsConfig {
    /// The teams.
    pub teams: Vec<TeamConfig>,
}

/// One team of the config.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamConfig {
    /// The name stored in every row of the team.
    pub name: String,
    /// The environment variable that holds the team's API key (the key itself never goes in
    /// the file).
    pub key_env: String,
    /// Another base URL for this team (defaults to the API's).
    #[serde(default)]
    pub base_url: Option<String>,
}

impl TeamsConfig {
    /// Parses a config, refusing an empty list, empty or repeated names.
    pub fn parse(text: &str) -> Result<TeamsConfig, Error> {
        let config: TeamsConfig =
            serde_json::from_str(text).map_err(|e| Error::Config(format!("teams config: {e}")))?;
        if config.teams.is_empty() {
            return Err(Error::Config("teams config: `teams` is empty".into()));
        }
        let mut names = std::collections::HashSet::new();
        for team in &config.teams {
            if team.name.trim().is_empty() || team.key_env.trim().is_empty() {
                return Err(Error::Config("teams config: every team needs a `name` and a `keyEnv`".into()));
            }
            if !names.insert(team.name.as_str()) {
                return Err(Error::Config(format!("teams config: team `{}` is listed twice", team.name)));
            }
        }
        Ok(config)
    }

    /// Reads and parses a config file.
    pub fn load(path: &Path) -> Result<TeamsConfig, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Config(format!("cannot read teams config {}: {e}", path.display())))?;
        Self::parse(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_and_key_variables_and_refuses_repeats() {
        let config = TeamsConfig::parse(
            r#"{"teams":[{"name":"a","keyEnv":"A_KEY"},{"name":"b","keyEnv":"B_KEY","baseUrl":"http://x"}]}"#,
        )
        .unwrap();
        assert_eq!(config.teams[1].base_url.as_deref(), Some("http://x"));
        assert_eq!(config.teams[0].key_env, "A_KEY");
        assert!(TeamsConfig::parse(r#"{"teams":[{"name":"a","keyEnv":"A"},{"name":"a","keyEnv":"B"}]}"#).is_err());
        assert!(TeamsConfig::parse(r#"{"teams":[]}"#).is_err());
        assert!(TeamsConfig::parse(r#"{"teams":[{"name":"a","key":"key_secret"}]}"#).is_err());
    }
}
