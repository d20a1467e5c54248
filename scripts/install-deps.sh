#!/usr/bin/env bash
# Installs the Debian packages (and, with --test, the npm packages) idpd needs, only those that
# are missing, so running it again costs a few dpkg queries. Uses sudo when not root.
# --bench adds what `make bench` drives: wrk, gnuplot, taskset, MariaDB, argon2 and node/npm;
# --tidy adds clang-tidy-16 for `make tidy`.
set -euo pipefail
cd "$(dirname "$0")/.."

build_packages=(
  build-essential cmake pkg-config ccache git
  libpistache-dev libssl-dev libmysqlcppconn-dev libsqlite3-dev libcpp-httplib-dev
  libmstch-dev nlohmann-json3-dev libargon2-dev libqrencode-dev libtomlplusplus-dev
  libcli11-dev libspdlog-dev libgtest-dev libgmock-dev libcurl4-openssl-dev libicu-dev
  libpng-dev libjpeg62-turbo-dev libwebp-dev
  libexpat1-dev
)
# What the tests drive: a real MariaDB, openssl for test certificates, oathtool, zbarimg and
# rsvg-convert to check TOTP codes and QR codes independently, node for the
# independent JOSE and OIDC implementations, chromium (driven by the npm playwright-core, which
# brings no browser) as the e2e tests' user, CJK fonts so zh-CN pages render in screenshots, and
# a real SMTP server (aiosmtpd) for mail delivery.
test_packages=(mariadb-server openssl oathtool zbar-tools librsvg2-bin python3-aiosmtpd chromium
  fonts-noto-cjk)
bench_packages=(wrk gnuplot-nox util-linux mariadb-server openssl curl argon2)

want=("${build_packages[@]}")
with_test=0
if [[ "${1:-}" == "--test" ]]; then
  with_test=1
  want+=("${test_packages[@]}")
  command -v node >/dev/null 2>&1 || want+=(nodejs)
  command -v npm >/dev/null 2>&1 || want+=(npm)
elif [[ "${1:-}" == "--tidy" ]]; then
  want+=(clang-tidy-16)
elif [[ "${1:-}" == "--bench" ]]; then
  want+=("${bench_packages[@]}")
  command -v node >/dev/null 2>&1 || want+=(nodejs)
  command -v npm >/dev/null 2>&1 || want+=(npm)
fi

missing=()
for pkg in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    sudo=(sudo)
  fi
  echo "install-deps: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends \
    "${missing[@]}"
fi

if ((with_test)) && [[ -f tests/e2e/package-lock.json ]]; then
  # Reinstall only when the lock file changed since the last install.
  stamp=tests/e2e/node_modules/.package-lock.json
  if [[ ! -f "$stamp" || tests/e2e/package-lock.json -nt "$stamp" ]]; then
    echo "install-deps: npm ci in tests/e2e"
    npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
  fi
fi
