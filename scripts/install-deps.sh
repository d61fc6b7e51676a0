#!/usr/bin/env bash
# scripts/install-deps.sh — installs, as root on Debian 12, every package depthmon builds and
# tests with (only what is missing; idempotent). Nothing is downloaded outside apt.
set -euo pipefail
pkgs=(
  build-essential cmake pkg-config git python3
  libboost1.81-dev libboost-url1.81-dev
  libsimdjson-dev libspdlog-dev libfmt-dev libtomlplusplus-dev
  libssl-dev libsqlite3-dev libsystemd-dev python3-yaml
  zlib1g-dev
  catch2 libbenchmark-dev
  clang libclang-rt-14-dev
  prometheus-cpp-dev prometheus prometheus-alertmanager
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
