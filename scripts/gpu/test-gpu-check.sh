#!/usr/bin/env bash
# Tests the parts of scripts/gpu-check.sh that run without a GPU (docs/gpu.md, "What was tested"):
# pack makes a bundle of at most 64 MiB whose JRE starts; the generated JNI header names every
# function DJL's own JNI library exports; build-jni compiles a JNI from a source folder with
# CMake against a libtorch; run benchmarks on the CPU libtorch with DJL's JNI and prints a rate;
# bad arguments give one line and exit 2.
#
# Needs the built project (mvn package or verify: cli/target) and the CPU libtorch that the
# tests extract to ~/.cache/streamctr/djl (pack's probe run extracts it too). ~1.5 min on 2 cores.
# Prints "N passed, N failed[, N skipped]"; exits 1 when a test failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SCRIPT="$ROOT/scripts/gpu-check.sh"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/gpu-check-test.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0 skipped=0

ok() { echo "ok - $*"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1"; [[ -z "${2:-}" ]] || sed 's/^/    /' "$2" | tail -n 20; failed=$((failed + 1)); }
skip() { echo "skip - $1"; skipped=$((skipped + 1)); }

# expect_usage_error NAME WORDS CMD...: exit 2, one line on stderr that contains WORDS
expect_usage_error() {
  local name="$1" words="$2"
  shift 2
  "$@" >"$TMP/out" 2>"$TMP/err"
  local rc=$? lines
  lines="$(wc -l <"$TMP/err")"
  if [[ $rc == 2 && $lines == 1 ]] && grep -q -- "$words" "$TMP/err"; then
    ok "$name ($(cat "$TMP/err"))"
  else
    echo "    exit $rc, $lines stderr lines" >>"$TMP/err"
    not_ok "$name" "$TMP/err"
  fi
}

expect_usage_error "no command: one line, exit 2" "missing command" "$SCRIPT"
expect_usage_error "unknown command: one line, exit 2" "unknown command 'bogus'" "$SCRIPT" bogus
expect_usage_error "run outside a bundle: one line, exit 2" "unpacked bundle" \
  "$SCRIPT" run --jni "$TMP/fake.so"
expect_usage_error "pack with an unknown flag: one line, exit 2" "unknown argument" \
  "$SCRIPT" pack --bogus

if ! command -v jlink >/dev/null || ! command -v jdeps >/dev/null; then
  skip "pack and everything after it: no jlink/jdeps here (the pack step needs a full JDK 17)"
  echo "$passed passed, $failed failed, $skipped skipped"
  exit $((failed > 0))
fi

# ------------------------------------------------------------------------------------ pack
if "$SCRIPT" pack --out "$TMP/out-pack" >"$TMP/pack.log" 2>&1; then
  ok "pack ($(tail -n 1 "$TMP/pack.log"))"
else
  not_ok "pack" "$TMP/pack.log"
  echo "$passed passed, $failed failed, $skipped skipped"
  exit 1
fi
tarball="$TMP/out-pack/streamctr-gpu.tar.gz"
bytes="$(stat -c %s "$tarball")"
if ((bytes <= 64 * 1024 * 1024)); then
  ok "the bundle is at most 64 MiB ($((bytes / 1024)) KiB)"
else
  not_ok "the bundle is at most 64 MiB ($bytes bytes)"
fi
mkdir -p "$TMP/there"
tar -C "$TMP/there" -xzf "$tarball"
B="$TMP/there/streamctr-gpu"
if "$B/jre/bin/java" -version >"$TMP/java.log" 2>&1 && grep -q 'version "17' "$TMP/java.log"; then
  ok "the bundle's JRE starts ($(head -n 1 "$TMP/java.log"))"
else
  not_ok "the bundle's JRE starts" "$TMP/java.log"
fi
if ls "$B"/lib | grep -q '^pytorch-native'; then
  not_ok "the bundle carries no libtorch (pytorch-native jar found)"
else
  ok "the bundle carries no libtorch"
fi

# the CPU libtorch and DJL's JNI for it, as DJL extracted them
cache="${DJL_CACHE_DIR:-$HOME/.cache/streamctr/djl}"
L="$(ls -d "$cache"/pytorch/*-cpu-linux-x86_64 2>/dev/null | head -n 1)"
JNI="$(ls "$L"/*-libdjl_torch.so 2>/dev/null | head -n 1)"
V="$(basename "$L")"
V="${V%%-*}"

if [[ -z "$JNI" ]] || ! command -v nm >/dev/null; then
  skip "JNI header vs DJL's JNI exports: no nm or no DJL JNI in $cache"
else
  grep -o 'Java_[A-Za-z0-9_]*' "$B/jni/ai_djl_pytorch_jni_PyTorchLibrary.h" | sort >"$TMP/header.txt"
  nm -D --defined-only "$JNI" | awk '$3 ~ /^Java_/ {print $3}' | sort >"$TMP/exports.txt"
  if [[ -s "$TMP/header.txt" ]] && diff "$TMP/header.txt" "$TMP/exports.txt" >"$TMP/diff.txt"; then
    ok "the generated JNI header declares the $(wc -l <"$TMP/header.txt") functions DJL's JNI exports"
  else
    not_ok "the generated JNI header declares the functions DJL's JNI exports" "$TMP/diff.txt"
  fi
fi

# ------------------------------------------------------------------------- argument errors
touch "$TMP/fake.so"
expect_usage_error "run without --djl-src or --jni" "give --djl-src" "$B/gpu-check.sh" run
expect_usage_error "run with a missing --djl-src folder" "no such folder" \
  "$B/gpu-check.sh" run --djl-src "$TMP/nowhere" --libtorch "${L:-$TMP}" --torch-version 2.7.1
expect_usage_error "run with a --libtorch folder without libtorch" "no libtorch.so" \
  "$B/gpu-check.sh" run --jni "$TMP/fake.so" --libtorch "$TMP"
expect_usage_error "run on an unknown device" "not cpu, gpu" \
  "$B/gpu-check.sh" run --jni "$TMP/fake.so" --devices cpu,tpu
expect_usage_error "run without python3" "not found" \
  env GPU_CHECK_PYTHON="$TMP/no-python3" "$B/gpu-check.sh" run --jni "$TMP/fake.so"
printf '#!/bin/sh\necho "ModuleNotFoundError: No module named '"'"'torch'"'"'" >&2\nexit 1\n' \
  >"$TMP/python3-without-torch"
chmod +x "$TMP/python3-without-torch"
expect_usage_error "run with a python3 that has no torch" "cannot import torch" \
  env GPU_CHECK_PYTHON="$TMP/python3-without-torch" "$B/gpu-check.sh" run --jni "$TMP/fake.so"

# ------------------------------------------------------------------------------ build-jni
if [[ -z "$L" ]] || ! command -v cmake >/dev/null || ! command -v c++ >/dev/null; then
  skip "build-jni: no cmake, c++ or CPU libtorch here"
else
  # a JNI source folder laid out as DJL's, with one function; a libtorch root with the CPU
  # libraries and a stand-in header (the real headers are not on this machine)
  src="$TMP/djl/engines/pytorch/pytorch-native/src/main/native"
  mkdir -p "$src" "$TMP/libtorch/include/torch" "$TMP/libtorch/lib"
  touch "$TMP/libtorch/include/torch/script.h"
  for f in "$L"/lib*.so*; do ln -s "$f" "$TMP/libtorch/lib/"; done
  cat >"$src/seed.cc" <<'EOF'
#include "ai_djl_pytorch_jni_PyTorchLibrary.h"
#include <djl/utils.h>
#include <torch/script.h>

static jlong last_seed = 0;

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchManualSeed(
    JNIEnv* env, jobject jthis, jlong jseed) {
  last_seed = jseed;
}

// every helper of the fallback djl/utils.h, instantiated as the DJL sources use them
void use_helpers(JNIEnv* env, jlongArray handles, jstring name) {
  std::vector<int64_t> shape = djl::utils::jni::GetVecFromJLongArray(env, handles);
  std::vector<int> objects = djl::utils::jni::GetObjectVecFromJHandles<int>(env, handles);
  djl::utils::jni::GetPtrArrayFromContainer<std::vector<int>, int>(env, objects);
  std::vector<uintptr_t> pointers{reinterpret_cast<uintptr_t>(&shape)};
  djl::utils::jni::GetLongArrayFromVec(env, pointers);
  std::vector<std::string> names{djl::utils::jni::GetStringFromJString(env, name)};
  djl::utils::jni::GetStringArrayFromVec(env, names);
}
EOF
  if "$B/gpu-check.sh" build-jni --djl-src "$TMP/djl" --libtorch "$TMP/libtorch" \
      --torch-version "$V" --out "$TMP/libdjl_torch.so" --work "$TMP/work" >"$TMP/build.log" 2>&1 \
    && nm -D --defined-only "$TMP/libdjl_torch.so" \
      | grep -q ' T Java_ai_djl_pytorch_jni_PyTorchLibrary_torchManualSeed$'; then
    ok "build-jni compiles a JNI source folder with CMake; its function has C linkage"
  else
    cat "$TMP/work/jni-build.log" >>"$TMP/build.log" 2>/dev/null
    not_ok "build-jni compiles a JNI source folder with CMake" "$TMP/build.log"
  fi
fi

# ------------------------------------------------------------------------------ run on CPU
if [[ -z "$JNI" ]]; then
  skip "run on the CPU: no CPU libtorch with DJL's JNI in $cache"
else
  # found as on a GPU machine: through a python3 whose torch package is laid out as pip's (its
  # lib/ the CPU libtorch); this stand-in prints what gpu-check.sh asks torch for
  mkdir -p "$TMP/site/torch/lib" "$TMP/site/torch/include"
  for f in "$L"/lib*.so*; do ln -s "$f" "$TMP/site/torch/lib/"; done
  fake_python() { # $1: file, $2: torch.cuda.is_available()
    printf '#!/bin/sh\ncat >/dev/null\nprintf "%%s\\n" "%s" "%s+cpu" "" 1 %s ""\n' \
      "$TMP/site/torch" "$V" "$2" >"$1"
    chmod +x "$1"
  }
  fake_python "$TMP/python3-cpu-torch" 0
  expect_usage_error "run on gpu with a torch that sees no GPU" "sees no CUDA GPU" \
    env GPU_CHECK_PYTHON="$TMP/python3-cpu-torch" "$B/gpu-check.sh" run --jni "$JNI"
  GPU_CHECK_PYTHON="$TMP/python3-cpu-torch" "$B/gpu-check.sh" run --jni "$JNI" --devices cpu \
    --models dnn --batch-sizes 256 --seconds 1 --warmup-seconds 0.5 --work "$TMP/run" \
    >"$TMP/run.out" 2>"$TMP/run.err"
  rc=$?
  if [[ $rc == 0 ]] && grep -Eq '^dnn +fixed +256 +[0-9]+ +[0-9]+' "$TMP/run.out" \
    && grep -q "libtorch $V (cpu, C++11 ABI 1) in $TMP/site/torch/lib" "$TMP/run.err"; then
    ok "run on the CPU libtorch found through python3 prints a rate" \
      "($(grep -E '^dnn ' "$TMP/run.out" | tr -s ' '))"
  else
    cat "$TMP/run.out" >>"$TMP/run.err"
    not_ok "run on the CPU libtorch found through python3 prints a rate (exit $rc)" "$TMP/run.err"
  fi
fi

echo "$passed passed, $failed failed, $skipped skipped"
exit $((failed > 0))
