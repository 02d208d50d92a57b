#!/usr/bin/env bash
# The Debian packages clinic-pos needs beyond Python: venv, Qt's runtime libraries (the
# offscreen platform still loads EGL, fontconfig and xkbcommon), a CJK font so Chinese
# renders in screenshots and PDFs, Xvfb for looking at the real window, and D-Bus with
# gnome-keyring: the OS keyring (Secret Service) the agency secret lives in on Linux, and
# PostgreSQL's server, which the tests start on a private port to run the store on it.
# Installs only what is missing, and only when it can (root with apt-get).
set -euo pipefail
packages=(python3-venv libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libglib2.0-0
          libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
          libxcb-xkb1 fonts-wqy-microhei xvfb poppler-utils dbus gnome-keyring postgresql)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "clinic-pos needs these system packages: ${missing[*]} (install them with apt-get as root)" >&2
  exit 0
fi
echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
