#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing: chromium (browser tests),
# webkit2gtk-driver and xvfb (the same lesson in WebKit, Safari's engine: WebKitWebDriver drives
# MiniBrowser on a private X display), postgresql (the store's PostgreSQL backend), poppler-utils
# (pdftoppm/pdftotext: the tests render every PDF the app makes), libdeflate0 (the student
# page's smallest gzip) and npm (the tests fetch axe-core, the accessibility checker, into a
# cache folder), podman & co. (the compose stack).
# Does nothing when all are present.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then missing+=(postgresql); fi
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ -x /usr/bin/WebKitWebDriver ] || missing+=(webkit2gtk-driver)
[ -x /usr/bin/Xvfb ] || missing+=(xvfb)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)  # several student servers behind one address
# the student page's smallest gzip (beeldwijs/serve/libdeflate.py; without it zlib's level 9)
/sbin/ldconfig -p 2>/dev/null | grep -q 'libdeflate\.so\.0 ' || missing+=(libdeflate0)
# the compose stack's tests (tests/test_container.py): podman with runc, a debootstrap base image
# (no image registry needed), podman-compose; openssl and certutil for the private test CA
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v runc >/dev/null 2>&1 || missing+=(runc)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v podman-compose >/dev/null 2>&1 || missing+=(podman-compose)
# podman 4.3's default network finds services by name only with the dnsname CNI plugin
[ -x /usr/lib/cni/dnsname ] || missing+=(golang-github-containernetworking-plugin-dnsname)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v certutil >/dev/null 2>&1 || missing+=(libnss3-tools)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || true
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
