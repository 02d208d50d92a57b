#!/usr/bin/env bash
# Builds the clinic-pos folder with PyInstaller, checks that the built program works without
# the source tree (a quote, a demo store, a settlement, the sandbox agency), and packs it as
# dist/clinic-pos-VERSION-PLATFORM.tar.gz (CLINIC_POS_DIST names another folder).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${CLINIC_POS_PYTHON:-.venv/bin/python}
dist=$(realpath -m "${CLINIC_POS_DIST:-dist}")
"$python" -m pip install -q --disable-pip-version-check -e '.[packaging]'
version=$("$python" -c 'import importlib.metadata as m; print(m.version("clinic-pos"))')
"$python" -m PyInstaller --noconfirm --clean --distpath "$dist" --workpath "$dist/.build" packaging/clinic-pos.spec
app=$dist/clinic-pos/clinic-pos
check=$(mktemp -d)
trap 'rm -rf "$check"' EXIT
cd "$check"  # away from the source tree: the build must carry everything it reads
cat > visit.json <<'JSON'
{"policy": "nanchang-resident", "visit_date": "2024-05-10", "patient": {"birth_date": "1950-03-01",
 "contracted_facilities": ["F001"]}, "facility": {"id": "F001", "kind": "township_health_center"},
 "visit": {"items": [{"kind": "drug", "class": "A", "amount": "100.00"}]}}
JSON
"$app" quote visit.json | grep -q '"fund": "60.00"'
"$app" demo --db demo.sqlite3 --people 20 | grep -q '"settlement"'
"$app" check --db demo.sqlite3 --card A00000001 | grep -q '"person"'
"$app" agency-sandbox --port 0 --db agency.sqlite3 > agency.out &
agency=$!
for _ in $(seq 50); do grep -q "listening on" agency.out 2>/dev/null && break; sleep 0.2; done
grep -q "listening on http://127.0.0.1:" agency.out
kill "$agency"
cd "$OLDPWD"
archive="$dist/clinic-pos-${version}-$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m).tar.gz"
tar -C "$dist" -czf "$archive" clinic-pos
echo "built and checked: $archive"
