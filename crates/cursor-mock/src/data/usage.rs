//! Usage events and spend: each member's billed requests per day and what they cost.

use time::Date;

use super::{TeamData, USAGE_MODELS, UserDay, pick, rng_for, round_to};
use crate::dates::{epoch_ms, midnight};

/// A token breakdown of a usage event.
#[derive(Debug, Clone, Copy)]
pub struct TokenUsage {
    /// Input tokens.
    pub input_tokens: u64,
    /// Output tokens.
    pub output_tokens: u64,
    /// Cache-write tokens.
    pub cache_write_tokens: u64,
    /// Cache-read tokens.
    pub cache_read_tokens: u64,
    /// Model cost in cents (fractional).
    pub total_cents: f64,
}

/// One usage event.
#[derive(Debug, Clone)]
pub struct UsageEvent {
    /// Epoch milliseconds.
    pub timestamp_ms: i64,
    /// Member index.
    pub member: usize,
    /// Model.
    pub model: &'static str,
    /// `Usage-based` or `Included in Business`.
    pub kind: &'static str,
    /// Max mode.
    pub max_mode: bool,
    /// Cost in request units.
    pub requests_costs: f64,
    /// Token breakdown; present exactly when the call is token based.
    pub token_usage: Option<TokenUsage>,
    /// Cursor Token Fee in cents.
    pub cursor_token_fee: f64,
    /// A free Bugbot use.
    pub is_free_bugbot: bool,
}

impl UsageEvent {
    /// What the event adds to the member's spend, in cents: model cost plus the token fee.
    pub fn charged_cents(&self) -> f64 {
        match (&self.token_usage, self.kind) {
            (Some(t), "Usage-based") => t.total_cents + self.cursor_token_fee,
            _ => 0.0,
        }
    }
}

impl TeamData {
    /// The usage events of a member on a day, oldest first.
    pub fn usage_events(&self, member: usize, date: Date) -> Vec<UsageEvent> {
        self.usage_events_of(member, &self.user_day(member, date))
    }

    /// [`usage_events`](Self::usage_events) for a day already computed (a handler that has the
    /// `UserDay` need not generate it twice).
    pub fn usage_events_of(&self, member: usize, user_day: &UserDay) -> Vec<UsageEvent> {
        let date = user_day.date;
        let day_start = epoch_ms(midnight(date));
        let mut rng = rng_for(self.seed, &[3, member as u64, date.to_julian_day() as u64]);
        let mut offsets: Vec<i64> = (0..user_day.usage_events).map(|_| rng.i64(0..86_400_000)).collect();
        offsets.sort_unstable();
        offsets
            .into_iter()
            .map(|offset| {
                let model = *pick(&mut rng, USAGE_MODELS);
                let roll = rng.f64();
                let max_mode = rng.bool();
                if roll < 0.6 {
                    let input_tokens = rng.u64(50..8_000);
                    let output_tokens = rng.u64(50..2_000);
                    let cache_write_tokens = rng.u64(0..12_000);
                    let cache_read_tokens = rng.u64(0..20_000);
                    let total_cents = input_tokens as f64 * 0.0015
                        + output_tokens as f64 * 0.0075
                        + cache_write_tokens as f64 * 0.001_875
                        + cache_read_tokens as f64 * 0.000_15;
                    let tokens = input_tokens + output_tokens + cache_write_tokens + cache_read_tokens;
                    UsageEvent {
                        timestamp_ms: day_start + offset,
                        member,
                        model,
                        kind: "Usage-based",
                        max_mode,
                        requests_costs: round_to(total_cents / 4.0, 1).max(0.1),
                        token_usage: Some(TokenUsage {
                            input_tokens,
                            output_tokens,
                            cache_write_tokens,
                            cache_read_tokens,
                            total_cents,
                        }),
                        cursor_token_fee: round_to(tokens as f64 / 1_000_000.0 * 25.0, 2),
                        is_free_bugbot: false,
                    }
                } else {
                    UsageEvent {
                        timestamp_ms: day_start + offset,
                        member,
                        model,
                        kind: "Included in Business",
                        max_mode,
                        requests_costs: round_to(rng.f64() * 2.0, 1),
                        token_usage: None,
                        cursor_token_fee: 0.0,
                        is_free_bugbot: roll > 0.95,
                    }
                }
            })
            .collect()
    }

    /// What a member was charged on a day up to `until_ms` (epoch ms), in cents.
    pub fn spend_cents(&self, member: usize, date: Date, until_ms: i64) -> f64 {
        self.usage_events(member, date)
            .iter()
            .filter(|e| e.timestamp_ms <= until_ms)
            .map(UsageEvent::charged_cents)
            .sum()
    }
}
