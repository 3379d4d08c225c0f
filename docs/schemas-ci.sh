#!/bin/sh
# Schemas in git: `plan` on every pull request, `propose` on merge. Runs in any CI with
# sh, curl and python3. Needs MEMADMIN_URL and MEMADMIN_TOKEN (an Operator's API token,
# kept as a CI secret); STORE and DIR say which store the directory describes.
set -eu
: "${MEMADMIN_URL:?}" "${MEMADMIN_TOKEN:?}"
STORE=${STORE:-production}
DIR=${DIR:-schemas/$STORE}
MESSAGE=${MESSAGE:-}
body=$(mktemp) && answer=$(mktemp) && trap 'rm -f "$body" "$answer"' EXIT

# The directory's files as the API takes them: {"files": [{name, content}], "message"}.
python3 - "$DIR" "$MESSAGE" >"$body" <<'PY'
import json, pathlib, sys
files = [
    {"name": p.name, "content": p.read_text(encoding="utf-8")}
    for p in sorted(pathlib.Path(sys.argv[1]).iterdir())
    if p.suffix in (".yaml", ".yml", ".json")
]
print(json.dumps({"files": files, "message": sys.argv[2]}))
PY

case "${1:?say plan or propose}" in
  plan) endpoint=plan ;;
  propose) endpoint=proposals ;;
  *) echo "say plan or propose" >&2; exit 2 ;;
esac
status=$(curl --silent --show-error --output "$answer" --write-out '%{http_code}' \
  -H "Authorization: Bearer $MEMADMIN_TOKEN" -H "Content-Type: application/json" \
  --data-binary "@$body" "$MEMADMIN_URL/api/stores/$STORE/$endpoint/")
cat "$answer"; echo
# 200 planned, 201 proposed; 422 names each invalid file's line and reason.
case "$status" in 200|201) exit 0 ;; *) exit 1 ;; esac
