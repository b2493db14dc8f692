//! End-to-end tests of the endpoints and shapes of the current documents (NEWER.md) through
//! the SDK against the simulator: member removal, model access, skills, conversation insights,
//! Bugbot analytics and reviews, commits by hash, the usage-event filters, and answers in both
//! the seeds' and the current service's shapes.

use std::collections::BTreeSet;

use cursor_admin::{AdminClient, HostingType, Id, SpendQuery, UsageEventsQuery};
use cursor_aicode::{AiCodeClient, AiCodeQuery, CommitSource};
use cursor_analytics::{AnalyticsClient, AnalyticsQuery, BugbotQuery, InsightSection, PrState};
use cursor_bugbot::{BugbotClient, ReviewRequest};
use cursor_core::{DateRange, DateSpec};
use cursor_mock::{MockConfig, Shapes};
use cursor_tests::{client, json_body, query_param, requests_to, start_mock, start_mock_with};
use futures_util::TryStreamExt as _;

#[tokio::test]
async fn a_removed_member_stays_listed_as_removed_and_cannot_be_removed_twice() {
    let server = start_mock().await;
    let admin = AdminClient::new(client(&server, "key_remove_member"));
    let before = admin.members().await.expect("members");
    assert!(before.team_members.iter().all(|m| m.is_active() && m.id.is_some()));
    let leaving = before.team_members[7].email.clone();

    let outcome = admin.remove_member(leaving.as_str()).await.expect("removed");
    assert!(outcome.success);
    assert!(outcome.user_id.as_ref().and_then(Id::as_encoded).is_some_and(|id| id.starts_with("user_")));
    assert!(outcome.has_billing_cycle_usage.is_some());
    assert_eq!(
        json_body(&requests_to(&server, "POST", "/teams/remove-member")[0]),
        serde_json::json!({"email": leaving})
    );

    let after = admin.members().await.expect("members");
    let removed: Vec<_> = after.team_members.iter().filter(|m| !m.is_active()).map(|m| m.email.clone()).collect();
    assert_eq!(removed, std::slice::from_ref(&leaving));

    let again = admin.remove_member(leaving.as_str()).await.expect_err("already removed");
    assert_eq!(again.status(), Some(400), "{again}");
    let unknown = admin.remove_member("nobody@elsewhere.com").await.expect_err("not a member");
    assert!(unknown.is_not_found(), "{unknown}");
    // An id goes as `userId`; an empty member is refused before sending.
    let by_id = before.team_members[8].id.clone().expect("an id").to_string();
    admin.remove_member(by_id.as_str()).await.expect("removed by id");
    assert_eq!(json_body(&requests_to(&server, "POST", "/teams/remove-member")[3])["userId"], by_id);
    assert!(admin.remove_member(" ").await.expect_err("empty").is_invalid_request());
    assert_eq!(requests_to(&server, "POST", "/teams/remove-member").len(), 4);
}

#[tokio::test]
async fn model_access_is_a_conflict_until_restricted_then_blocks_providers_and_models() {
    let server = start_mock().await;
    let admin = AdminClient::new(client(&server, "key_model_access"));
    assert_eq!(admin.model_access_configuration().await.expect("configuration").restricted, Some(false));
    let conflict = admin.model_providers().await.expect_err("unrestricted");
    assert!(conflict.is_conflict(), "{conflict}");
    // The preview API's error shape is `{code, message}`: the message reaches the error.
    assert!(conflict.to_string().contains("unrestricted"), "{conflict}");

    assert_eq!(admin.set_model_access_restricted(true).await.expect("restrict").restricted, Some(true));
    let providers = admin.model_providers().await.expect("providers");
    assert!(providers.providers.len() >= 3);
    assert!(providers.providers.iter().all(|p| p.allowed == Some(true)));

    let blocked = admin.set_model_provider_allowed("openai", false).await.expect("block openai");
    assert_eq!((blocked.provider.as_str(), blocked.allowed), ("openai", Some(false)));
    let openai = admin.provider_models("openai").await.expect("openai models");
    assert!(!openai.models.is_empty() && openai.models.iter().all(|m| m.allowed == Some(false)));

    let anthropic = admin.provider_models("anthropic").await.expect("anthropic models");
    let model = anthropic.models[0].model.clone();
    let entry = admin.set_provider_model_allowed("anthropic", &model, false).await.expect("block one model");
    assert_eq!(entry.allowed, Some(false));
    let anthropic = admin.provider_models("anthropic").await.expect("anthropic models");
    let blocked: Vec<_> = anthropic.models.iter().filter(|m| m.allowed == Some(false)).map(|m| &m.model).collect();
    assert_eq!(blocked, [&model]);

    assert!(admin.provider_models("nobody").await.expect_err("unknown provider").is_not_found());
    // The writes went as the declared method, with the documented bodies.
    let writes = requests_to(&server, "PUT", "/teams/model-access/providers/openai");
    assert_eq!(json_body(&writes[0]), serde_json::json!({"allowed": false}));
}

#[tokio::test]
async fn skills_team_and_by_user_come_from_the_same_days() {
    let server = start_mock().await;
    let analytics = AnalyticsClient::new(client(&server, "key_skills"));
    let query = AnalyticsQuery::new().last_days(14);
    let team = analytics.skills(&query).await.expect("team skills");
    assert!(!team.data.is_empty());
    let team_total: u64 = team.data.iter().filter_map(|r| r.usage).sum();
    let by_user = analytics.skills_by_user_merged(&query).await.expect("by-user skills");
    let user_total: u64 = by_user.users.values().flatten().filter_map(|r| r.usage).sum();
    assert_eq!(team_total, user_total, "team totals are sums over users");
    assert!(by_user.users.keys().all(|email| by_user.user_id(email).is_some()));
}

#[tokio::test]
async fn conversation_insights_answer_the_sections_asked_for_and_401_when_off() {
    let server = start_mock().await;
    let analytics = AnalyticsClient::new(client(&server, "key_insights"));
    let sections = [InsightSection::Intents, InsightSection::WorkTypes];
    let insights =
        analytics.conversation_insights(&AnalyticsQuery::new().last_days(7), &sections).await.expect("insights");
    let sent = requests_to(&server, "GET", "/analytics/team/conversation-insights");
    assert_eq!(query_param(&sent[0], "include").as_deref(), Some("intents,workTypes"));
    let data = &insights.data;
    assert!(data.total_conversations.is_some_and(|n| n > 0));
    let intents = data.intents.as_ref().expect("intents");
    assert!(data.work_types.is_some() && data.complexity.is_none() && data.categories.is_none());
    let shares: f64 = intents.iter().filter_map(|b| b.share).sum();
    assert!((0.95..=1.05).contains(&shares), "{shares}");
    // A range longer than 30 days is refused, not split.
    let long = analytics.conversation_insights(&AnalyticsQuery::new().last_days(60), &[]).await;
    assert!(long.expect_err("too long").is_invalid_request());

    let mut config = MockConfig::for_tests();
    config.shapes.conversation_insights_enabled = false;
    let off = start_mock_with(config).await;
    let analytics = AnalyticsClient::new(client(&off, "key_insights_off"));
    let error = analytics.conversation_insights(&AnalyticsQuery::new(), &[]).await.expect_err("feature off");
    assert!(error.is_unauthorized(), "{error}");
}

#[tokio::test]
async fn bugbot_analytics_are_read_to_the_last_page_at_the_largest_size() {
    let server = start_mock().await;
    let analytics = AnalyticsClient::new(client(&server, "key_bugbot_analytics"));
    let query = BugbotQuery::new().last_days(14);
    let first = analytics.bugbot_page(&query.clone().page_size(20)).await.expect("first page");
    let total = first.pagination.as_ref().and_then(|p| p.total_items).expect("totalItems");
    assert!(total > 20, "several pages of 20: {total}");

    // The stream asks for 250 a page, the most allowed.
    let all: Vec<_> = analytics.bugbot(&query).try_collect().await.expect("every pull request");
    assert_eq!(all.len() as u64, total);
    let sent = requests_to(&server, "GET", "/analytics/team/bugbot");
    assert!(sent[1..].iter().all(|e| query_param(e, "pageSize").as_deref() == Some("250")));

    // A page size of 20 reads every page and still yields each pull request once.
    let paged: Vec<_> = analytics.bugbot(&query.clone().page_size(20)).try_collect().await.expect("paged");
    assert_eq!(paged, all);
    let urls: BTreeSet<_> = paged.iter().filter_map(|p| p.pr_url.clone()).collect();
    assert!(urls.len() as u64 <= total && !urls.is_empty());

    let merged: Vec<_> =
        analytics.bugbot(&query.clone().pr_state(PrState::Merged)).try_collect().await.expect("merged");
    assert!(!merged.is_empty() && merged.iter().all(|p| p.pr_state == Some(PrState::Merged)));
    assert!(analytics.bugbot_page(&query.clone().page_size(251)).await.expect_err("too big").is_invalid_request());

    let repo = all[0].repo.clone().expect("a repo");
    let number = all[0].pr_number.expect("a number");
    let reviews: Vec<_> = analytics
        .bugbot_reviews(&BugbotQuery::new().last_days(14).repo(repo.clone()).pr_number(number))
        .try_collect()
        .await
        .expect("reviews");
    assert!(!reviews.is_empty());
    assert!(reviews.iter().all(|r| r.repo.as_deref() == Some(repo.as_str()) && r.pr_number == Some(number)));
    let dry: Vec<_> =
        analytics.bugbot_reviews(&BugbotQuery::new().last_days(14).dry_run(true)).try_collect().await.expect("dry");
    assert!(!dry.is_empty() && dry.iter().all(|r| r.dry_run == Some(true)));
}

#[tokio::test]
async fn commits_are_found_by_hash_with_their_source() {
    let server = start_mock().await;
    let aicode = AiCodeClient::new(client(&server, "key_commit_lookup"));
    let page = aicode.commits_page(&AiCodeQuery::new().page_size(5)).await.expect("commits");
    let wanted: Vec<String> = page.items.iter().take(2).filter_map(|c| c.commit_hash.clone()).collect();
    let unknown = "0123456789abcdef0123456789abcdef01234567".to_owned();
    let found = aicode.commits_by_hash(wanted.iter().cloned().chain([unknown.clone()]), None).await.expect("lookup");
    let hashes: BTreeSet<_> = found.items.iter().filter_map(|c| c.commit_hash.clone()).collect();
    assert_eq!(hashes, wanted.iter().cloned().collect());
    assert_eq!(found.not_found.as_deref(), Some([unknown].as_slice()));
    assert!(
        found
            .items
            .iter()
            .all(|c| matches!(c.commit_source, Some(CommitSource::Ide | CommitSource::Cli | CommitSource::Cloud)))
    );
    // Several hashes go comma-separated in one path segment, with the branch in the query.
    let branch = page.items[0].branch_name.clone().expect("a branch");
    let on_branch = aicode.commits_by_hash([wanted[0].clone()], Some(&branch)).await.expect("on its branch");
    assert!(!on_branch.items.is_empty());
    assert!(on_branch.items.iter().all(|c| c.branch_name.as_deref() == Some(branch.as_str())));
    let sent = server.journal().into_iter().filter(|e| e.path.starts_with("/analytics/ai-code/commits/")).count();
    assert_eq!(sent, 2);
    assert!(aicode.commits_by_hash(["not-a-hash"], None).await.expect_err("refused").is_invalid_request());
}

#[tokio::test]
async fn a_bugbot_review_runs_reports_a_400_as_an_error_and_limits_dry_runs() {
    let server = start_mock().await;
    let bugbot = BugbotClient::new(client(&server, "key_bugbot_review"));
    let pr = "https://github.com/acme-corp/web-app/pull/42";
    let result = bugbot.review(&ReviewRequest::new(pr).post_success_comment(true)).await.expect("review");
    assert_eq!(result.dry_run, Some(false));
    assert!(result.request_id.as_deref().is_some_and(|id| id.starts_with("req_")));
    assert_eq!(
        json_body(&requests_to(&server, "POST", "/bugbot/review")[0]),
        serde_json::json!({"prUrl": pr, "postSuccessComment": true})
    );

    // A repository URL is not a pull request: the server answers 400 `{"outcome":"error"}`.
    let error = bugbot
        .review(&ReviewRequest::new("https://github.com/acme-corp/web-app"))
        .await
        .expect_err("not a pull request");
    assert_eq!(error.status(), Some(400));
    assert!(error.to_string().contains("pull request"), "{error}");

    // Dry runs have their own budget of 10 a minute on top of the review bucket.
    for _ in 0..10 {
        bugbot.review(&ReviewRequest::new(pr).dry_run(true)).await.expect("dry run");
    }
    let limited = bugbot.review(&ReviewRequest::new(pr).dry_run(true)).await.expect_err("the 11th dry run");
    assert!(limited.is_rate_limited(), "{limited}");
    // A fresh client (this one paused its Bugbot bucket for the 429's Retry-After) finds the
    // server's review bucket still open: dry runs did not use up real reviews.
    let fresh = BugbotClient::new(client(&server, "key_bugbot_review"));
    fresh.review(&ReviewRequest::new(pr)).await.expect("a real review still has budget");
}

#[tokio::test]
async fn usage_event_filters_select_by_origin_and_the_stream_asks_for_1000() {
    let server = start_mock().await;
    let admin = AdminClient::new(client(&server, "key_usage_filters"));
    let week = DateRange::new(DateSpec::DaysAgo(7), DateSpec::Now);
    let agents: Vec<_> = admin
        .usage_events(&UsageEventsQuery::new().range(week).cloud_agent_id("*"))
        .try_collect()
        .await
        .expect("cloud-agent events");
    assert!(!agents.is_empty() && agents.iter().all(|e| e.cloud_agent_id.is_some()));
    assert!(
        requests_to(&server, "POST", "/teams/filtered-usage-events").iter().all(|e| json_body(e)["pageSize"] == 1000)
    );

    let one = agents[0].cloud_agent_id.clone().expect("an id");
    let page = admin.usage_events_page(&UsageEventsQuery::new().range(week).cloud_agent_id(one.clone())).await;
    assert!(page.expect("one agent").usage_events.iter().all(|e| e.cloud_agent_id.as_deref() == Some(one.as_str())));

    let self_hosted = admin
        .usage_events_page(&UsageEventsQuery::new().range(week).hosting_type(HostingType::SelfHosted))
        .await
        .expect("self-hosted");
    assert!(self_hosted.total_usage_events_count > 0);
    let cloud = admin
        .usage_events_page(&UsageEventsQuery::new().range(week).hosting_type(HostingType::Cloud))
        .await
        .expect("cloud");
    let all_agents = admin.usage_events_page(&UsageEventsQuery::new().range(week).cloud_agent_id("*")).await;
    assert_eq!(
        self_hosted.total_usage_events_count + cloud.total_usage_events_count,
        all_agents.expect("all").total_usage_events_count
    );
    // An unknown hosting type is sent as given, and the service refuses it.
    let unknown = admin
        .usage_events_page(&UsageEventsQuery::new().hosting_type(HostingType::from("ON_THE_MOON")))
        .await
        .expect_err("unknown hosting type");
    assert_eq!(unknown.status(), Some(400));
    assert!(
        admin
            .usage_events_page(&UsageEventsQuery::new().page_size(1001))
            .await
            .expect_err("too big")
            .is_invalid_request()
    );
    // Every event now carries its conversation.
    assert!(agents.iter().all(|e| e.conversation_id.is_some()));
}

#[tokio::test]
async fn spend_decodes_fractional_cents_and_the_seeds_whole_cents() {
    let current = start_mock().await;
    let spend: Vec<_> = AdminClient::new(client(&current, "key_spend_current"))
        .spend(&SpendQuery::new())
        .try_collect()
        .await
        .expect("current spend");
    assert!(spend.iter().any(|m| m.spend_cents.fract() != 0.0), "the current service sends fractional cents");
    assert!(spend.iter().all(|m| m.user_id.is_some() && m.overall_spend_cents.is_some()));

    let seeds = start_mock_with(MockConfig { shapes: Shapes::seeds(), ..MockConfig::for_tests() }).await;
    let spend: Vec<_> = AdminClient::new(client(&seeds, "key_spend_seeds"))
        .spend(&SpendQuery::new())
        .try_collect()
        .await
        .expect("seeds spend");
    assert!(spend.iter().any(|m| m.spend_cents > 0.0));
    assert!(spend.iter().all(|m| m.spend_cents.fract() == 0.0 && m.user_id.is_none()));
}

#[tokio::test]
async fn member_ids_decode_as_numbers_or_strings() {
    let numeric = start_mock().await;
    let members = AdminClient::new(client(&numeric, "key_ids_numeric")).members().await.expect("members");
    assert!(members.team_members.iter().all(|m| m.id.as_ref().and_then(Id::as_u64).is_some()));

    let mut config = MockConfig::for_tests();
    config.shapes.string_member_ids = true;
    let strings = start_mock_with(config).await;
    let members = AdminClient::new(client(&strings, "key_ids_strings")).members().await.expect("members");
    assert!(members.team_members.iter().all(|m| m.id.as_ref().and_then(Id::as_encoded).is_some()));
}

#[tokio::test]
async fn daily_usage_reads_the_seeds_unpaged_answer_in_one_request_per_window() {
    let server = start_mock_with(MockConfig { shapes: Shapes::seeds(), ..MockConfig::for_tests() }).await;
    let admin = AdminClient::new(client(&server, "key_daily_seeds"));
    let usage = admin.daily_usage(&DateRange::new(DateSpec::DaysAgo(7), DateSpec::Now)).await.expect("usage");
    assert_eq!(requests_to(&server, "POST", "/teams/daily-usage-data").len(), 1);
    assert!(usage.pagination.is_none());
    assert!(!usage.data.is_empty() && usage.data.iter().all(|r| r.user_id.is_none() && r.day.is_none()));

    let current = start_mock().await;
    let admin = AdminClient::new(client(&current, "key_daily_current"));
    let usage = admin.daily_usage(&DateRange::new(DateSpec::DaysAgo(7), DateSpec::Now)).await.expect("usage");
    let sent = requests_to(&current, "POST", "/teams/daily-usage-data");
    assert_eq!(sent.len(), 3, "210 members are three pages of 100");
    let members: BTreeSet<_> = usage.data.iter().filter_map(|r| r.email.clone()).collect();
    assert_eq!(members.len(), 210, "every member, inactive ones included");
    assert!(usage.data.iter().any(|r| !r.is_active));
    assert!(usage.data.iter().all(|r| r.user_id.is_some() && r.day.is_some()));
}

#[tokio::test]
async fn the_current_services_crsr_keys_are_accepted() {
    let server = start_mock().await;
    let members = AdminClient::new(client(&server, "crsr_0123456789abcdef")).members().await;
    assert!(!members.expect("a crsr_ key").team_members.is_empty());
}
