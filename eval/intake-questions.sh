#!/usr/bin/env bash
# How many questions the intake asks on the shipped demo (not a test, not a load benchmark: one server, a few messages).
# Starts the server on a fresh temporary data directory (demo directory, FAQ, 停水 notice and models as on first start),
# waits for the models, then plays each journey in the demo group 幸福里小区业主群 as its own resident, answering every
# question the way the tour does (the first category offered, 幸福里小区, "3号楼", 跳过, 提交), and prints the questions.
# With --tie the demo group is first tied to 幸福里小区 the way an office does it: 王芳 speaks in the group and presses
# 幸福里小区 on the private card she gets (a build without that card prints "no tie card" and goes on untied).
# Usage: eval/intake-questions.sh [--no-build] [--tie] [--port 5091]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build=1; tie=0; port=5091
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=0 ;;
    --tie) tie=1 ;;
    --port) port="$2"; shift ;;
  esac
  shift
done
if [[ $build == 1 ]]; then dotnet build "$root/bot" -c Release -v quiet -nologo >/dev/null; fi
bin="$root/bot/bin/Release/net10.0/CommunityBot"
tmp="$(mktemp -d)"
"$bin" --urls "http://127.0.0.1:$port" --data-dir "$tmp/data" >"$tmp/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 1 240); do
  grep -q "models ready" "$tmp/server.log" 2>/dev/null && break
  sleep 1
done
grep -q "models ready" "$tmp/server.log" || { echo "the models were not ready after 240 s"; tail -20 "$tmp/server.log"; exit 1; }

python3 - "http://127.0.0.1:$port" "$tie" <<'PY'
import json, sys, time, urllib.request
base, tie = sys.argv[1], sys.argv[2] == "1"
group = "demo-group"
seen = {}

def post(conversation, user, name, is_group, text=None, button=None):
    body = {"conversationId": conversation, "userId": user, "userName": name, "isGroup": is_group}
    if text is not None: body["text"] = text
    if button is not None: body["buttonValue"] = button
    req = urllib.request.Request(base + "/api/local/messages", json.dumps(body).encode(), {"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()

def bot_replies(conversation, user, wait=3):
    after = seen.get((conversation, user), 0)
    url = f"{base}/api/local/conversations/{conversation}/messages?after={after}&wait={wait}&userId={user}"
    data = json.loads(urllib.request.urlopen(url).read())
    seen[(conversation, user)] = data["watermark"]
    return [m for m in data["messages"] if m.get("from") == "bot"]

def settle(conversation, user):
    # The turn answers within the request; give the outbox a moment, then read everything new.
    time.sleep(0.3)
    return bot_replies(conversation, user, wait=1)

if tie:
    post(group, "worker-wangfang", "王芳", True, "@小灵通 你好")
    settle(group, "worker-wangfang")
    cards = [m for m in settle("private-worker-wangfang", "worker-wangfang") if any(b["title"] == "幸福里小区" for b in m.get("buttons") or [])]
    if cards:
        button = next(b for b in cards[-1]["buttons"] if b["title"] == "幸福里小区")
        post("private-worker-wangfang", "worker-wangfang", "王芳", False, button=button["value"])
        print("tied: " + " / ".join(m["text"] for m in settle("private-worker-wangfang", "worker-wangfang")))
    else:
        print("no tie card: the group stays untied")
    settle(group, "zhang")

journeys = [
    ("README tour: report a problem", "@小灵通 我要投诉 幸福里3号楼楼道灯坏了三天了"),
    ("README tour: the 停水 notice, asked", "@小灵通 5号楼怎么又停水了"),
    ("README tour: the 停水 notice, reported", "@小灵通 我要报修 幸福里5号楼没水了"),
    ("issue 15: noise, building only", "@小灵通 我家楼上天天半夜蹦迪 吵得睡不着 3号楼"),
    ("issue 15: 我要投诉 + problem", "@小灵通 我要投诉 幸福里小区5号楼楼下烧烤店天天半夜吵得睡不着"),
]
total = 0
for i, (name, text) in enumerate(journeys):
    user = f"tour{i}"
    settle(group, user)
    post(group, user, f"居民{i}", True, text)
    asked = []
    for _ in range(12):
        replies = settle(group, user)
        if not replies:
            break
        last = replies[-1]
        t, buttons = last["text"], last.get("buttons") or []
        if t.startswith("请问是哪类问题"):
            asked.append("类别"); post(group, user, f"居民{i}", True, button=buttons[0]["value"])
        elif t.startswith("在哪个小区"):
            asked.append("小区"); post(group, user, f"居民{i}", True, button=next(b["value"] for b in buttons if b["title"] == "幸福里小区"))
        elif t.startswith("具体在"):
            asked.append("位置"); post(group, user, f"居民{i}", True, "3号楼")
        elif t.startswith("请简单说说"):
            asked.append("描述"); post(group, user, f"居民{i}", True, "楼道灯不亮")
        elif t.startswith("有现场照片"):
            asked.append("照片"); post(group, user, f"居民{i}", True, "跳过")
        elif t.startswith("请确认"):
            asked.append("确认"); post(group, user, f"居民{i}", True, button=next(b["value"] for b in buttons if b["title"] == "提交"))
        else:
            print(f"{name}: {len(asked)} questions ({'、'.join(asked) or '-'}) → {t.splitlines()[0][:60]}")
            break
    total += len(asked)
print(f"total {total} questions over {len(journeys)} journeys")
PY
