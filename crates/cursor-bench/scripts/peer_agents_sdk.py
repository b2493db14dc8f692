"""The small job with the PyPI package `cursor-agent-sdk`: list every agent, read each
conversation, one request at a time (the package is synchronous). Prints one JSON line.

The package's `list_agents()` takes no parameters (no `limit`, no `cursor`), so it reads only the
service's first page (20 agents); listing every agent goes through the client's own request
helper (`_json`) with `limit` and `cursor`, the same requests the Rust SDK sends.
"""
import json
import sys
import time

from cursor_agent import SyncClient

base_url, api_key = sys.argv[1], sys.argv[2]
wall0, cpu0 = time.perf_counter(), time.process_time()
client = SyncClient(api_key, base_url=base_url)
agents, cursor, requests = [], None, 0
while True:
    params = {"limit": 100}
    if cursor:
        params["cursor"] = cursor
    page = client._json("GET", "/v0/agents", params=params)
    requests += 1
    agents.extend(page.get("agents", []))
    cursor = page.get("nextCursor")
    if not cursor:
        break
messages = 0
for agent in agents:
    conversation = client.get_conversation(agent["id"])
    requests += 1
    messages += len(conversation.get("messages", []))
client.close()
print(json.dumps({
    "client": "cursor-agent-sdk",
    "wall_s": time.perf_counter() - wall0,
    "cpu_s": time.process_time() - cpu0,
    "requests": requests,
    "agents": len(agents),
    "messages": messages,
}))
