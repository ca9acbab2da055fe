# Sourced by ./run tests: make sure Debian's chromium is there for the report test
# (tests/report/test_report_html.py opens report.html in headless Chromium, offline).
# Installs the package when it is missing and we are root with apt, as on CI; elsewhere the
# test skips with that reason (and fails under CI).

chromium_ensure() {
  if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== Chromium: installing Debian's chromium package (for the report test)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null ||
      echo "Chromium install failed; the report's browser test will fail in CI" >&2
  else
    echo "== Chromium: not installed; the report's browser test will be skipped (fails in CI)"
  fi
}
