#!/usr/bin/env bash
# Throughput of `tinmoi serve` against `python -m http.server`, on loopback only.
#
# Serves the same temporary folder (a generated ~60 KB rss.xml) with both servers on free
# ports and runs wrk (keep-alive) against each: a plain 200 GET of /rss.xml and a
# conditional GET answered 304 (If-None-Match with tinmoi's ETag; If-Modified-Since with
# the Last-Modified for http.server, which has no ETags). The two servers are measured in
# turn ROUNDS times; prints the median requests/s and the median of the rounds'
# tinmoi/http.server ratios (with their range: a wide one says the machine was busy).
# About 70 s with the defaults.
#
#   bash bench/serve.sh            # ROUNDS=3 DURATION=4s THREADS=2 CONNECTIONS=32 to tune
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-$REPO/.venv/bin/python}"
[ -x "$PY" ] || PY="$(command -v python3)"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-4s}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"

if ! command -v wrk >/dev/null 2>&1; then
    echo "wrk not found; installing it with apt-get..." >&2
    if ! { apt-get update -qq && apt-get install -y -qq wrk; } >/dev/null 2>&1 \
        || ! command -v wrk >/dev/null 2>&1; then
        echo "error: wrk is needed for this benchmark and could not be installed" \
            "(try: apt-get install wrk)" >&2
        exit 1
    fi
fi
command -v curl >/dev/null 2>&1 || { echo "error: curl is needed" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tinmoi-serve-bench.XXXXXX")"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK/public"
"$PY" - "$WORK/public/rss.xml" <<'EOF'
import sys
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape

tz = timezone(timedelta(hours=7))
start = datetime(2025, 8, 1, 9, 0, tzinfo=tz)
places = ["Quảng Ninh", "Lào Cai", "Nghệ An", "Thừa Thiên Huế", "Đắk Lắk", "Cà Mau"]
items = []
i = 0
while sum(len(item.encode()) for item in items) < 60_000:
    place = places[i % len(places)]
    when = format_datetime(start - timedelta(hours=3 * i))
    title = f"{place}: triển khai kế hoạch phát triển kinh tế - xã hội năm 2025 (kỳ {i + 1})"
    summary = (
        f"Sáng nay, UBND tỉnh {place} tổ chức hội nghị đánh giá tình hình thực hiện "
        "nhiệm vụ 6 tháng đầu năm, đề ra giải pháp trọng tâm cho những tháng cuối năm "
        "về đầu tư công, chuyển đổi số, cải cách hành chính và an sinh xã hội."
    )
    link = f"https://baotinh.example.vn/tin-tuc/{i + 1000}-ke-hoach-phat-trien.html"
    items.append(
        f"<item><title>{escape(title)}</title><link>{link}</link>"
        f'<guid isPermaLink="true">{link}</guid><pubDate>{when}</pubDate>'
        f"<category>{escape(place)}</category><description>{escape(summary)}</description></item>\n"
    )
    i += 1
feed = (
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
    "<title>Tin mới các tỉnh</title><link>https://tinmoi.example/</link>"
    "<description>Tin tổng hợp từ cổng thông tin các tỉnh</description><language>vi</language>\n"
    + "".join(items)
    + "</channel></rss>\n"
)
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write(feed)
EOF
SIZE=$(wc -c <"$WORK/public/rss.xml")

read -r PORT_T PORT_H < <("$PY" -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
for s in socks:
    s.close()
')

cd "$REPO"
"$PY" -m tinmoi.serve --root "$WORK/public" --host 127.0.0.1 --port "$PORT_T" \
    >"$WORK/tinmoi.log" 2>&1 &
PIDS+=($!)
"$PY" -m http.server --protocol HTTP/1.1 --bind 127.0.0.1 --directory "$WORK/public" \
    "$PORT_H" >"$WORK/http.server.log" 2>&1 &
PIDS+=($!)

wait_up() {
    for _ in $(seq 100); do
        curl -fs -o /dev/null "http://127.0.0.1:$1/rss.xml" && return 0
        sleep 0.1
    done
    echo "error: the server on port $1 did not come up" >&2
    cat "$WORK"/*.log >&2
    exit 1
}
wait_up "$PORT_T"
wait_up "$PORT_H"

header() {  # header URL NAME -> value of response header NAME
    curl -fsI "$1" | tr -d '\r' | awk -v name="$2" \
        'BEGIN { IGNORECASE = 1 } tolower($0) ~ "^" tolower(name) ":" { sub(/^[^:]*: */, ""); print; exit }'
}
ETAG=$(header "http://127.0.0.1:$PORT_T/rss.xml" ETag)
LASTMOD=$(header "http://127.0.0.1:$PORT_H/rss.xml" Last-Modified)
[ -n "$ETAG" ] || { echo "error: tinmoi sent no ETag" >&2; exit 1; }
[ -n "$LASTMOD" ] || { echo "error: http.server sent no Last-Modified" >&2; exit 1; }

status() {  # status URL [HEADER] -> HTTP status code
    if [ $# -gt 1 ]; then
        curl -s -o /dev/null -w '%{http_code}' -H "$2" "$1"
    else
        curl -s -o /dev/null -w '%{http_code}' "$1"
    fi
}
T304=$(status "http://127.0.0.1:$PORT_T/rss.xml" "If-None-Match: $ETAG")
H304=$(status "http://127.0.0.1:$PORT_H/rss.xml" "If-Modified-Since: $LASTMOD")
if [ "$T304" != 304 ] || [ "$H304" != 304 ]; then
    echo "error: conditional GETs answered $T304 (tinmoi) and $H304 (http.server), not 304" >&2
    exit 1
fi

rps() {  # rps URL [HEADER] -> requests/s measured by wrk
    local out
    if [ $# -gt 1 ]; then
        out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -H "$2" "$1")
    else
        out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$1")
    fi
    echo "$out" >>"$WORK/wrk.log"
    if grep -q "Socket errors" <<<"$out"; then
        echo "  note: $(grep 'Socket errors' <<<"$out" | sed 's/^ *//') ($1)" >&2
    fi
    awk '/^Requests\/sec:/ { print $2 }' <<<"$out"
}

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION (keep-alive), /rss.xml of $SIZE bytes," \
    "$ROUNDS rounds, $(nproc) cores"
FIGURES=()
for _ in $(seq "$ROUNDS"); do
    FIGURES+=("$(rps "http://127.0.0.1:$PORT_T/rss.xml")")
    FIGURES+=("$(rps "http://127.0.0.1:$PORT_H/rss.xml")")
    FIGURES+=("$(rps "http://127.0.0.1:$PORT_T/rss.xml" "If-None-Match: $ETAG")")
    FIGURES+=("$(rps "http://127.0.0.1:$PORT_H/rss.xml" "If-Modified-Since: $LASTMOD")")
done

"$PY" - "${FIGURES[@]}" <<'EOF'
import statistics
import sys

values = [float(v) for v in sys.argv[1:]]
rounds = [values[i : i + 4] for i in range(0, len(values), 4)]
print()
print(f"{'requests/s':<12}{'tinmoi':>12}{'http.server':>14}{'ratio':>9}   ratio range")
verdict = ""
for name, col in (("200 GET", 0), ("304", 2)):
    ours = statistics.median(r[col] for r in rounds)
    theirs = statistics.median(r[col + 1] for r in rounds)
    ratios = [r[col] / r[col + 1] for r in rounds]
    ratio = statistics.median(ratios)
    print(
        f"{name:<12}{ours:>12,.0f}{theirs:>14,.0f}{ratio:>8.1f}x"
        f"   {min(ratios):.1f}x-{max(ratios):.1f}x"
    )
    if col == 2:
        verdict = "met" if ratio >= 3 else "NOT met"
print(f"\ntarget tinmoi >= 3x http.server on 304s (median of the rounds): {verdict}")
EOF
