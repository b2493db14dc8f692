//! State that changes: billing groups, blocklists, spend limits and Bugbot, including the
//! group rules under concurrent requests.

mod common;

use common::{Harness, assert_plain_error, test_config};
use cursor_mock::RateLimits;
use reqwest::Method;
use serde_json::{Value, json};

async fn harness() -> Harness {
    let mut config = test_config();
    config.rate_limits = RateLimits::unlimited();
    Harness::start(config).await
}

fn ids(group: &Value) -> Vec<String> {
    group["group"]["members"].as_array().unwrap().iter().map(|m| m["userId"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_group_is_created_renamed_filled_emptied_and_deleted() {
    let h = harness().await;
    let key = "key_groups";
    let roster = h.roster().await;
    let (alex, sam) = (roster[40]["userId"].as_str().unwrap(), roster[41]["userId"].as_str().unwrap());

    let (status, created) = h.post_json("/teams/groups", key, json!({"name": "Platform"})).await;
    assert_eq!(status, 200);
    let group = &created["group"];
    assert_eq!(group["type"], "BILLING");
    assert_eq!(group["memberCount"], 0);
    assert!(group["directoryGroupId"].is_null());
    let id = group["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("group_"));

    let path = format!("/teams/groups/{id}");
    let (status, renamed) = h.send_json(Method::PATCH, &path, key, json!({"name": "Platform Eng"})).await;
    assert_eq!(status, 200);
    assert_eq!(renamed["group"]["name"], "Platform Eng");
    let (status, body) = h.send_json(Method::PATCH, &path, key, json!({"name": "X", "directoryGroupId": null})).await;
    assert_eq!(status, 400, "one field per PATCH");
    assert!(body["message"].as_str().unwrap().contains("one field"));
    assert_eq!(h.send_json(Method::PATCH, &path, key, json!({})).await.0, 400);

    let members_path = format!("{path}/members");
    let (status, filled) = h.post_json(&members_path, key, json!({"userIds": [alex, sam]})).await;
    assert_eq!(status, 200);
    assert_eq!(filled["group"]["memberCount"], 2);
    assert_eq!(ids(&filled), vec![alex.to_owned(), sam.to_owned()]);

    let (status, emptied) = h.send_json(Method::DELETE, &members_path, key, json!({"userIds": [sam]})).await;
    assert_eq!(status, 200);
    assert_eq!(ids(&emptied), vec![alex.to_owned()]);
    let (_, detail) = h.get_json(&path, key).await;
    assert_eq!(detail["group"]["formerMembers"][0]["userId"], sam);
    assert!(detail["group"]["formerMembers"][0]["leftAt"].is_string());
    let (_, groups) = h.get_json("/teams/groups", key).await;
    let unassigned: Vec<&str> = groups["unassignedGroup"]["currentMembers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["userId"].as_str().unwrap())
        .collect();
    assert!(unassigned.contains(&sam), "removed members go back to Unassigned");
    assert!(!unassigned.contains(&alex));

    let response = h.request(Method::DELETE, &path, key).send().await.unwrap();
    assert_eq!(response.status(), 204);
    assert!(response.bytes().await.unwrap().is_empty());
    let (status, _) = h.get_json(&path, key).await;
    assert_eq!(status, 404);
    let (_, groups) = h.get_json("/teams/groups", key).await;
    assert!(
        groups["unassignedGroup"]["currentMembers"].as_array().unwrap().iter().any(|m| m["userId"] == alex),
        "a deleted group's members go back to Unassigned"
    );
    let total: u64 =
        groups["groups"].as_array().unwrap().iter().map(|g| g["memberCount"].as_u64().unwrap()).sum::<u64>()
            + groups["unassignedGroup"]["memberCount"].as_u64().unwrap();
    assert_eq!(total, 60, "every member is in exactly one group");
}

#[tokio::test]
async fn group_rules_are_enforced() {
    let h = harness().await;
    let key = "key_group_rules";
    let roster = h.roster().await;
    let member = roster[45]["userId"].as_str().unwrap();
    let (_, a) = h.post_json("/teams/groups", key, json!({"name": "A"})).await;
    let (_, b) = h.post_json("/teams/groups", key, json!({"name": "B"})).await;
    let (a, b) = (a["group"]["id"].as_str().unwrap().to_owned(), b["group"]["id"].as_str().unwrap().to_owned());
    assert_eq!(h.post_json(&format!("/teams/groups/{a}/members"), key, json!({"userIds": [member]})).await.0, 200);
    let (status, body) = h.post_json(&format!("/teams/groups/{b}/members"), key, json!({"userIds": [member]})).await;
    assert_eq!(status, 400, "a member is in one group at most");
    assert_plain_error(&body, "Bad Request");
    let (status, body) =
        h.post_json(&format!("/teams/groups/{b}/members"), key, json!({"userIds": ["user_nobody"]})).await;
    assert_eq!(status, 400);
    assert_eq!(body["message"], "Some users are not in the team");
    assert_eq!(h.post_json("/teams/groups", key, json!({"name": ""})).await.0, 400);
    assert_eq!(h.post_json("/teams/groups", key, json!({"name": "Unassigned"})).await.0, 400);
    assert_eq!(h.post_json("/teams/groups", key, json!({"name": "C", "type": "TEAM"})).await.0, 400);
    assert_eq!(h.request(Method::DELETE, "/teams/groups/group_unassigned", key).send().await.unwrap().status(), 400);

    // Attaching a directory group makes the group SCIM-synced: member edits are refused.
    let (status, attached) =
        h.send_json(Method::PATCH, &format!("/teams/groups/{b}"), key, json!({"directoryGroupId": "dir_123"})).await;
    assert_eq!(status, 200);
    assert_eq!(attached["group"]["directoryGroupId"], "dir_123");
    let other = roster[46]["userId"].as_str().unwrap();
    let (status, body) = h.post_json(&format!("/teams/groups/{b}/members"), key, json!({"userIds": [other]})).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().contains("SCIM"));
    let (_, detached) =
        h.send_json(Method::PATCH, &format!("/teams/groups/{b}"), key, json!({"directoryGroupId": null})).await;
    assert!(detached["group"]["directoryGroupId"].is_null());
    assert_eq!(h.post_json(&format!("/teams/groups/{b}/members"), key, json!({"userIds": [other]})).await.0, 200);
    // The seeded Design group is SCIM-synced too.
    let (status, _) = h
        .send_json(
            Method::DELETE,
            "/teams/groups/group_kljUvI0ASZORvSEXf9hV0ydcso/members",
            key,
            json!({"userIds": [other]}),
        )
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn concurrent_adds_put_a_member_in_exactly_one_group() {
    let h = harness().await;
    let key = "key_concurrency";
    let roster = h.roster().await;
    let mut groups = Vec::new();
    for i in 0..8 {
        let (_, g) = h.post_json("/teams/groups", key, json!({"name": format!("G{i}")})).await;
        groups.push(g["group"]["id"].as_str().unwrap().to_owned());
    }
    for round in 0..5 {
        let member = roster[30 + round]["userId"].as_str().unwrap().to_owned();
        let attempts = groups.iter().map(|g| {
            let request =
                h.request(Method::POST, &format!("/teams/groups/{g}/members"), key).json(&json!({"userIds": [member]}));
            async move { request.send().await.unwrap().status().as_u16() }
        });
        let statuses = futures_util::future::join_all(attempts).await;
        assert_eq!(statuses.iter().filter(|&&s| s == 200).count(), 1, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|&&s| s == 400).count(), groups.len() - 1);
    }
    let (_, all) = h.get_json("/teams/groups", key).await;
    let mut seen = std::collections::HashSet::new();
    for g in all["groups"].as_array().unwrap().iter().chain(std::iter::once(&all["unassignedGroup"])) {
        for m in g["currentMembers"].as_array().unwrap() {
            assert!(seen.insert(m["userId"].as_str().unwrap().to_owned()), "member in two groups");
        }
    }
    assert_eq!(seen.len(), 60);
}

#[tokio::test]
async fn blocklists_upsert_by_url_and_delete() {
    let h = harness().await;
    let key = "key_blocklists";
    let (status, body) = h
        .post_json(
            "/settings/repo-blocklists/repos/upsert",
            key,
            json!({"repos": [
                {"url": "https://github.com/acme-corp/sensitive-repo", "patterns": ["*"]},
                {"url": "https://github.com/acme-corp/new-repo", "patterns": ["*.env", "config/*"]},
            ]}),
        )
        .await;
    assert_eq!(status, 200);
    let repos = body["repos"].as_array().unwrap();
    assert_eq!(repos.len(), 3, "one replaced, one added, one untouched");
    let replaced = repos.iter().find(|r| r["url"] == "https://github.com/acme-corp/sensitive-repo").unwrap();
    assert_eq!(replaced["id"], "repo_123");
    assert_eq!(replaced["patterns"], json!(["*"]));
    let added = repos.iter().find(|r| r["url"] == "https://github.com/acme-corp/new-repo").unwrap();
    let added_id = added["id"].as_str().unwrap().to_owned();

    let response =
        h.request(Method::DELETE, &format!("/settings/repo-blocklists/repos/{added_id}"), key).send().await.unwrap();
    assert_eq!(response.status(), 204);
    let (_, listed) = h.get_json("/settings/repo-blocklists/repos", key).await;
    assert!(listed["repos"].as_array().unwrap().iter().all(|r| r["id"] != added_id.as_str()));
    let again =
        h.request(Method::DELETE, &format!("/settings/repo-blocklists/repos/{added_id}"), key).send().await.unwrap();
    assert_eq!(again.status(), 404);
    let (status, _) =
        h.post_json("/settings/repo-blocklists/repos/upsert", key, json!({"repos": [{"url": "x"}]})).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn spend_limits_are_set_cleared_and_validated() {
    let h = harness().await;
    let key = "key_spend";
    let roster = h.roster().await;
    let email = roster[7]["email"].as_str().unwrap().to_owned();
    let (status, ok) =
        h.post_json("/teams/user-spend-limit", key, json!({"userEmail": email, "spendLimitDollars": 100})).await;
    assert_eq!(status, 200);
    assert_eq!(ok, json!({"outcome": "success", "message": format!("Spend limit set to $100 for user {email}")}));
    let limit_of = |spend: &Value| -> Value {
        spend["teamMemberSpend"].as_array().unwrap().iter().find(|m| m["email"] == email.as_str()).unwrap()["hardLimitOverrideDollars"].clone()
    };
    let (_, spend) = h.post_json("/teams/spend", key, json!({"searchTerm": email})).await;
    assert_eq!(limit_of(&spend), 100);
    let (status, _) =
        h.post_json("/teams/user-spend-limit", key, json!({"userEmail": email, "spendLimitDollars": null})).await;
    assert_eq!(status, 200);
    let (_, spend) = h.post_json("/teams/spend", key, json!({"searchTerm": email})).await;
    assert_eq!(limit_of(&spend), 0);

    for (body, message) in [
        (json!({"userEmail": "not-an-email", "spendLimitDollars": 5}), "Invalid email format"),
        (json!({"userEmail": email, "spendLimitDollars": 10.5}), "integer"),
        (json!({"userEmail": "stranger@elsewhere.com", "spendLimitDollars": 5}), "not a member"),
        (json!({"userEmail": email}), "spendLimitDollars"),
    ] {
        let (status, answer) = h.post_json("/teams/user-spend-limit", key, body.clone()).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(answer["outcome"], "error");
        assert!(answer["message"].as_str().unwrap().contains(message), "{answer}");
    }
}

#[tokio::test]
async fn bugbot_toggles_per_repository() {
    let h = harness().await;
    let key = "key_bugbot";
    let repo = "https://github.com/acme-corp/api-server";
    let (_, on) = h.post_json("/bugbot/repo/update", key, json!({"repoUrl": repo, "enabled": true})).await;
    assert_eq!(on, json!({"repoUrl": repo, "enabled": true}));
    let (_, off) = h.post_json("/bugbot/repo/update", key, json!({"repoUrl": repo, "enabled": false})).await;
    assert_eq!(off["enabled"], false);
    let (status, _) = h.post_json("/bugbot/repo/update", key, json!({"repoUrl": repo, "enabled": "yes"})).await;
    assert_eq!(status, 400);
    let (status, _) = h.post_json("/bugbot/repo/update", key, json!({"repoUrl": "acme/api", "enabled": true})).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn the_same_seed_gives_the_same_answers() {
    let a = Harness::start(test_config()).await;
    let b = Harness::start(test_config()).await;
    let mut other = test_config();
    other.seed = 99;
    let c = Harness::start(other).await;
    let path = "/analytics/ai-code/commits?startDate=3d";
    let (_, x) = a.get_json(path, "key_seed").await;
    let (_, y) = b.get_json(path, "key_seed").await;
    let (_, z) = c.get_json(path, "key_seed").await;
    assert_eq!(x, y);
    assert_ne!(x, z);
}
