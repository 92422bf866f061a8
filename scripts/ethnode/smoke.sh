#!/usr/bin/env bash
# Smoke test of the local Ethereum node: start it with a temporary manifest,
# make a few JSON-RPC calls with curl, check the answers, stop it by PID.
# Exits non-zero on any failure. Usage: scripts/ethnode/smoke.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/ensure-python-env
py=.venv/bin/python
command -v curl >/dev/null || { echo "smoke: curl is required" >&2; exit 1; }

tmp=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "smoke: FAIL: $*" >&2; [ -f "$tmp/node.err" ] && tail -n 20 "$tmp/node.err" >&2; exit 1; }

manifest="$tmp/chain.json"
start=$(date +%s.%N)
$py scripts/ethnode/node.py --manifest "$manifest" --parent-pid $$ >"$tmp/node.out" 2>"$tmp/node.err" &
pid=$!
for _ in $(seq 1 600); do
  grep -q '^READY ' "$tmp/node.out" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || fail "node exited before READY"
  sleep 0.1
done
grep -q '^READY ' "$tmp/node.out" || fail "no READY within 60 s"
url=$(sed -n 's/^READY //p' "$tmp/node.out")
echo "smoke: node pid $pid ready at $url after $(echo "$(date +%s.%N) - $start" | bc 2>/dev/null || echo '?') s"

# Field from the manifest: m 'python expression over m'
m() { $py -c "import json,sys; m=json.load(open(sys.argv[1])); print($1)" "$manifest"; }
[ "$(m 'm["rpcUrl"]')" = "$url" ] || fail "manifest rpcUrl differs from READY url"
[ "$(m 'm["pid"]')" = "$pid" ] || fail "manifest pid differs"

rpc() { curl -sS --fail-with-body -H 'Content-Type: application/json' --data "$1" "$url"; }
# check NAME JSON 'python boolean expression over r (the parsed response)'
check() {
  local name=$1 out=$2 expr=$3
  $py -c "import json,sys; r=json.loads(sys.argv[1]); m=json.load(open(sys.argv[2])); sys.exit(0 if ($expr) else 1)" "$out" "$manifest" \
    || fail "$name: unexpected answer: $out"
  echo "smoke: ok  $name"
}

out=$(rpc '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}')
check eth_chainId "$out" 'r == {"jsonrpc":"2.0","id":1,"result":"0x7a69"}'

out=$(rpc '{"jsonrpc":"2.0","id":2,"method":"eth_blockNumber","params":[]}')
check eth_blockNumber "$out" 'int(r["result"],16) == m["blockNumberAfterSetup"] > 0'

ticket=$(m 'm["contracts"]["Ticket"]["address"]')
vip=$(m 'm["expected"]["Ticket"]["tokens"][0]["tokenId"]')
owner_of="0x6352211e${vip#0x}"
out=$(rpc "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"eth_call\",\"params\":[{\"to\":\"$ticket\",\"data\":\"$owner_of\"},\"latest\"]}")
check "eth_call Ticket.ownerOf(vip)" "$out" \
  'r["result"] == "0x" + "00"*12 + m["expected"]["Ticket"]["tokens"][0]["owner"][2:].lower()'

# eth_call at block 0 (before deployment): no code there, so empty result.
out=$(rpc "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"eth_call\",\"params\":[{\"to\":\"$ticket\",\"data\":\"$owner_of\"},\"0x0\"]}")
check "eth_call at block 0" "$out" 'r["result"] == "0x"'

unknown=$(m 'm["expected"]["Ticket"]["unknownTokenId"]')
out=$(rpc "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"eth_call\",\"params\":[{\"to\":\"$ticket\",\"data\":\"0x6352211e${unknown#0x}\"}]}")
check "eth_call revert" "$out" \
  'r["error"]["code"] == -32000 and r["error"]["message"] == "execution reverted: Ticket: unknown token" and r["error"]["data"].startswith("0x08c379a0")'

student=$(m 'm["expected"]["Ticket"]["tokens"][1]["tokenId"]')
redeemed_topic=0x33cbde82108d42bf87e0450db6a1624f7982773de1c2918243d7892f50352540
batch="[
 {\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"eth_chainId\",\"params\":[]},
 {\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"eth_call\",\"params\":[{\"to\":\"$ticket\",\"data\":\"0xd9548e53${student#0x}\"},\"latest\"]},
 {\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"eth_getLogs\",\"params\":[{\"fromBlock\":\"earliest\",\"address\":\"$ticket\",\"topics\":[\"$redeemed_topic\",[\"$student\",\"$vip\"],null]}]},
 {\"jsonrpc\":\"2.0\",\"id\":13,\"method\":\"no_such_method\",\"params\":[]},
 {\"jsonrpc\":\"2.0\",\"id\":14,\"method\":\"eth_getBalance\",\"params\":[\"not-an-address\",\"latest\"]}
]"
out=$(rpc "$batch")
check "batch" "$out" '
  len(r) == 5 and {x["id"] for x in r} == {10, 11, 12, 13, 14} and
  [x for x in r if x["id"] == 10][0]["result"] == "0x7a69" and
  [x for x in r if x["id"] == 11][0]["result"] == "0x" + "00"*31 + "01" and
  [x["data"] for x in [x for x in r if x["id"] == 12][0]["result"]] == ["0x" + "00"*31 + "03"] and
  [x for x in r if x["id"] == 12][0]["result"][0]["transactionHash"] == m["expected"]["Ticket"]["redeemed"][0]["transactionHash"] and
  [x for x in r if x["id"] == 13][0]["error"]["code"] == -32601 and
  [x for x in r if x["id"] == 14][0]["error"]["code"] == -32602'

tx=$(m 'm["expected"]["Ticket"]["redeemed"][0]["transactionHash"]')
out=$(rpc "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"eth_getTransactionReceipt\",\"params\":[\"$tx\"]}")
check eth_getTransactionReceipt "$out" 'r["result"]["status"] == "0x1" and len(r["result"]["logs"]) == 1'

# Stop by PID; the node must exit 0 and remove its manifest.
kill "$pid"
rc=0
wait "$pid" || rc=$?
pid=""
[ "$rc" -eq 0 ] || fail "node exited with $rc on SIGTERM"
[ ! -e "$manifest" ] || fail "manifest left behind after SIGTERM"
echo "smoke: ok  SIGTERM stop (exit 0, manifest removed)"
echo "smoke: 8 passed, 0 failed"
