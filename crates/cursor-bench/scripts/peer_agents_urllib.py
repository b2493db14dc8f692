"""The small job in plain Python (urllib, no package): list every agent, read each
conversation, one request at a time. Used when `cursor-agent-sdk` cannot be installed.
Prints one JSON line.
"""
import base64
import json
import sys
import time
import urllib.parse
import urllib.request

base_url, api_key = sys.argv[1].rstrip("/"), sys.argv[2]
auth = "Basic " + base64.b64encode((api_key + ":").encode()).decode()


def get(path, params=None):
    url = base_url + path + ("?" + urllib.parse.urlencode(params) if params else "")
    request = urllib.request.Request(url, headers={"Authorization": auth, "Accept": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


wall0, cpu0 = time.perf_counter(), time.process_time()
agents, cursor, requests = [], None, 0
while True:
    params = {"limit": 100}
    if cursor:
        params["cursor"] = cursor
    page = get("/v0/agents", params)
    requests += 1
    agents.extend(page.get("agents", []))
    cursor = page.get("nextCursor")
    if not cursor:
        break
messages = 0
for agent in agents:
    messages += len(get("/v0/agents/" + urllib.parse.quote(agent["id"]) + "/conversation").get("messages", []))
    requests += 1
print(json.dumps({
    "client": "urllib",
    "wall_s": time.perf_counter() - wall0,
    "cpu_s": time.process_time() - cpu0,
    "requests": requests,
    "agents": len(agents),
    "messages": messages,
}))
