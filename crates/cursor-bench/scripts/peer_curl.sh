#!/usr/bin/env bash
# Every audit-log event and usage event over the last DAYS days with curl, following the API
# overview's own advice: on a 429, wait 1, 2, 4, 8, 16 s (2^attempt) and try again, at most
# MAX_TRIES times (the advice's max_retries=5; 0 = never give up, waiting 16 s between tries
# after the fifth). Audit logs are read in 30-day windows (the documented cap), 500 a page;
# usage events in one range, 1000 a page. Delays are divided by SCALE, for a simulator whose
# clock runs SCALE times faster. Prints one JSON line at the end.
#
# Environment: BASE_URL, API_KEY, NOW_MS (end of the range, epoch ms), DAYS (90), SCALE (1),
# MAX_TRIES (5).
set -u
BASE_URL=${BASE_URL:?} API_KEY=${API_KEY:?} NOW_MS=${NOW_MS:?}
DAYS=${DAYS:-90} SCALE=${SCALE:-1} MAX_TRIES=${MAX_TRIES:-5}
DAY_MS=86400000
body=$(mktemp)
trap 'rm -f "$body"' EXIT
requests=0 too_many=0 audit_items=0 usage_items=0 gave_up=false

# request METHOD URL [JSON]: fills $body, returns 0 on 200; backs off on 429.
request() {
  local method=$1 url=$2 data=${3:-} attempt=0 status delay
  while :; do
    if [ -n "$data" ]; then
      status=$(curl -s -o "$body" -w '%{http_code}' -u "$API_KEY:" -X "$method" \
        -H 'Content-Type: application/json' -d "$data" "$url")
    else
      status=$(curl -s -o "$body" -w '%{http_code}' -u "$API_KEY:" -X "$method" "$url")
    fi
    requests=$((requests + 1))
    [ "$status" = 200 ] && return 0
    if [ "$status" != 429 ]; then
      echo "HTTP $status from $url: $(head -c 300 "$body")" >&2
      return 1
    fi
    too_many=$((too_many + 1))
    attempt=$((attempt + 1))
    if [ "$MAX_TRIES" -gt 0 ] && [ "$attempt" -ge "$MAX_TRIES" ]; then
      # The advice sleeps after the last 429 too, then gives up.
      sleep "$(awk -v a="$attempt" -v s="$SCALE" 'BEGIN { printf "%.4f", 2^(a-1) / s }')"
      echo "Max retries exceeded: $url" >&2
      return 2
    fi
    delay=$((attempt - 1)); [ "$delay" -gt 4 ] && delay=4
    sleep "$(awk -v a="$delay" -v s="$SCALE" 'BEGIN { printf "%.4f", 2^a / s }')"
  done
}

count() { grep -o "\"$1\"" "$body" | wc -l; }
has_next() { grep -q '"hasNextPage":true' "$body"; }

finish() {
  printf '{"client":"curl","requests":%d,"too_many":%d,"audit_items":%d,"usage_items":%d,"gave_up":%s}\n' \
    "$requests" "$too_many" "$audit_items" "$usage_items" "$gave_up"
  exit 0
}

start_ms=$((NOW_MS - DAYS * DAY_MS))
window_end=$NOW_MS
while [ "$window_end" -gt "$start_ms" ]; do
  window_start=$((window_end - 30 * DAY_MS))
  [ "$window_start" -lt "$start_ms" ] && window_start=$start_ms
  page=1
  while :; do
    request GET "$BASE_URL/teams/audit-logs?startTime=$window_start&endTime=$window_end&page=$page&pageSize=500" \
      || { gave_up=true; finish; }
    audit_items=$((audit_items + $(count event_id)))
    has_next || break
    page=$((page + 1))
  done
  window_end=$window_start
done

page=1
while :; do
  request POST "$BASE_URL/teams/filtered-usage-events" \
    "{\"startDate\":$start_ms,\"endDate\":$NOW_MS,\"page\":$page,\"pageSize\":1000}" || { gave_up=true; finish; }
  usage_items=$((usage_items + $(count isTokenBasedCall)))
  has_next || break
  page=$((page + 1))
done
finish
