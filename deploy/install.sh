#!/usr/bin/env bash
# Installs everything the platform needs, idempotently (a second run only checks):
# system packages from apt, the venv, and the Python packages (llama-cpp-python builds once from source).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv

# --- system packages ---------------------------------------------------------------------------------
apt_needed=()
command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx eng \
  || apt_needed+=(tesseract-ocr tesseract-ocr-eng)
# The code sandbox runs Debian's interpreter (RunnerConfig.python_path), not the venv's Python.
[ -x /usr/bin/python3.11 ] || apt_needed+=(python3.11)
command -v javac >/dev/null 2>&1 || apt_needed+=(default-jdk-headless)
command -v g++ >/dev/null 2>&1 || apt_needed+=(g++)
command -v node >/dev/null 2>&1 || apt_needed+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_needed+=(npm)  # builds the web app (frontend/)
# The web app's browser tests drive Debian's Chromium (never a downloaded browser).
command -v chromium >/dev/null 2>&1 || apt_needed+=(chromium)
command -v cmake >/dev/null 2>&1 || apt_needed+=(cmake)
command -v espeak-ng >/dev/null 2>&1 || apt_needed+=(espeak-ng)  # the TTS fallback engine
# The analytics tests run their repository suite on a real PostgreSQL server (initdb/pg_ctl, started by the
# tests themselves); the package's own always-on cluster is not wanted, so none is created.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt_needed+=(postgresql)
  pg_sudo=""; [ "$(id -u)" = 0 ] || pg_sudo="sudo"
  $pg_sudo mkdir -p /etc/postgresql-common/createcluster.d  # a drop-in: no packaged file is touched
  echo "create_main_cluster = false" | $pg_sudo tee /etc/postgresql-common/createcluster.d/prepai.conf >/dev/null
fi
if ((${#apt_needed[@]})); then
  echo ">> apt: installing ${apt_needed[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_needed[@]}"
fi

# --- Python ------------------------------------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
  echo ">> creating $VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
fi
echo ">> pip: platform and test dependencies"
"$VENV/bin/pip" install -q -r requirements.txt -r requirements-dev.txt
# Without their declared dependencies (torch): see requirements-nodeps.txt.
"$VENV/bin/pip" install -q --no-deps -r requirements-nodeps.txt

if ! "$VENV/bin/python" -c "import llama_cpp" >/dev/null 2>&1; then
  echo ">> pip: building llama-cpp-python from source (first run only: about 6-8 minutes on 2 cores)"
fi
# A lean, portable build: no examples/tools/server, no CPU-specific code (the wheel is cached by pip).
CMAKE_ARGS="-DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF \
-DLLAMA_BUILD_SERVER=OFF -DGGML_NATIVE=OFF" \
  "$VENV/bin/pip" install --progress-bar off -r requirements-llm.txt | grep -vE "^(Requirement already satisfied|Looking in)" || true
"$VENV/bin/python" -c "import llama_cpp" # fail loudly if the build did not produce a module
echo ">> dependencies ready"
