#!/usr/bin/env bash
# gpu-check.sh: bench-model on a GPU machine that has no Java and no network (docs/gpu.md).
#
#   scripts/gpu-check.sh pack [--out DIR] [--no-build]
#       Here (JDK 17 + the built project): writes DIR/streamctr-gpu.tar.gz (at most 64 MiB): a
#       jlinked JRE, the jars bench-model loads (no libtorch), the files that build DJL's PyTorch
#       JNI, the bundled MovieLens and this script. Default DIR: target/gpu-check.
#   ./gpu-check.sh run --djl-src DIR | --jni FILE [options]
#       There, in the unpacked bundle: finds libtorch through python3's torch (or --libtorch),
#       builds DJL's JNI against it from DJL's JNI sources (--djl-src), runs bench-model for
#       dnn, optfusion-soft and interformer on cpu and gpu and prints the rates side by side.
#       Options: --models LIST (dnn,optfusion-soft,interformer), --batch-sizes LIST (256,4096),
#       --devices LIST (cpu,gpu; gpu:N), --seconds S (10), --warmup-seconds S (3), --threads N
#       (torch threads, 1), --libtorch DIR [--torch-version V], --work DIR (work/ in the bundle).
#       GPU_CHECK_PYTHON: the python3 to ask for torch; GPU_CHECK_CXX_STANDARD: 17 or 20 for the
#       JNI build (default: 20 for libtorch 2.12 and later, else 17).
#   ./gpu-check.sh build-jni --djl-src DIR [--libtorch DIR] [--out FILE]
#       The JNI build alone.
#
# Usage and input errors: one line on stderr, exit 2. A failed build or run: exit 1.
set -euo pipefail

SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
HERE="$(dirname "$SELF")"
MAX_BUNDLE_BYTES=$((64 * 1024 * 1024))
JNI_CLASS=ai.djl.pytorch.jni.PyTorchLibrary
PYTHON="${GPU_CHECK_PYTHON:-python3}"

die() { echo "gpu-check: $*" >&2; exit 2; }
fail() { echo "gpu-check: $*" >&2; exit 1; }
say() { echo "gpu-check: $*" >&2; }
need_value() { [[ $# -ge 2 && -n "$2" && "$2" != --* ]] || die "$1 needs a value"; }

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$SELF"
}

# ---------------------------------------------------------------------------------------- pack

# Copies jar $1 to $2, or, for a large jar that the probe loaded only a few classes from (Kafka's
# client and Flink's runtime, which the CLI links to for its other commands), writes a jar of
# those classes and the jar's other files. $3: the pack's work folder with classes.log.
slim_or_copy() {
  local jar="$1" to="$2" work="$3" total used
  if (($(stat -c %s "$jar") < 4 * 1024 * 1024)); then
    cp "$jar" "$to"
    return
  fi
  grep -F "source: file:$jar" "$work/classes.log" | awk '{print $2}' | tr . / \
    | sed 's/$/.class/' | sort -u >"$work/slim.txt"
  total="$(unzip -Z1 "$jar" | grep -c '\.class$' || true)"
  used="$(wc -l <"$work/slim.txt")"
  if ((used * 20 > total)); then
    cp "$jar" "$to"
    return
  fi
  rm -rf "$work/slim" && mkdir -p "$work/slim"
  # unzip exits 11 when a name is not in the jar (a class of a multi-release jar's versions/)
  (cd "$work/slim" && unzip -q "$jar" -x '*.class' && { xargs unzip -qq "$jar" <"$work/slim.txt" \
    || (($? == 123)); })
  (cd "$work/slim" && zip -q -r -X "$to" .)
  say "$(basename "$jar"): kept the $used of $total classes that bench-model loads"
}

pack() {
  local root out build=1
  root="$(cd "$HERE/.." && pwd)"
  out="$root/target/gpu-check"
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --out) need_value "$@"; out="$2"; shift 2 ;;
      --no-build) build=0; shift ;;
      *) die "pack: unknown argument '$1' (expected --out DIR, --no-build)" ;;
    esac
  done
  [[ -f "$root/pom.xml" && -d "$root/cli" ]] || die "pack runs from the project's scripts/ folder"
  local tool
  for tool in java jar jlink jdeps tar zip unzip; do
    command -v "$tool" >/dev/null || die "pack needs $tool on the PATH (a JDK 17)"
  done
  local cli_jar classpath_file="$root/cli/target/classpath.txt"
  cli_jar="$(ls "$root"/cli/target/streamctr-cli-*.jar 2>/dev/null | grep -v -- '-tests\.jar$' \
    | head -n 1 || true)"
  # as the launcher decides: no CLI jar, or a pom or main source newer than it
  if [[ -z "$cli_jar" || ! -f "$classpath_file" || -n "$(find "$root" -path "$root/.git" -prune -o \
      \( -name pom.xml -o -path '*/src/main/*' \) -newer "$cli_jar" -print -quit)" ]]; then
    [[ $build == 1 ]] || die "pack --no-build: cli/target/streamctr-cli-*.jar is missing or stale"
    say "building (mvn -B -q -DskipTests -DskipJobJar package) ..."
    (cd "$root" && mvn -B -q -DskipTests -DskipJobJar package)
    cli_jar="$(ls "$root"/cli/target/streamctr-cli-*.jar | head -n 1)"
  fi

  local work stage
  work="$(mktemp -d "${TMPDIR:-/tmp}/gpu-check-pack.XXXXXX")"
  trap '[[ -n "${GPU_CHECK_KEEP:-}" ]] || rm -rf "${work:-}"' EXIT
  stage="$work/streamctr-gpu"
  mkdir -p "$stage/lib" "$stage/jni/include/djl" "$stage/data"

  # 1. the jars: those a short CPU run of bench-model loads classes from (the JVM's class-load
  #    log), plus DJL's (GPU-only paths load classes from the same jars); never the
  #    pytorch-native-* jar: libtorch comes from the GPU machine.
  local full_cp="$cli_jar:$(cat "$classpath_file")"
  say "probing which jars bench-model loads (a short dnn run on the CPU) ..."
  if ! java -Xshare:off -Xmx1g -Xlog:class+load=info:file="$work/classes.log" \
      -Dstreamctr.repo.root="$root" \
      -cp "$full_cp" io.streamctr.cli.Main bench-model --models dnn --batch-sizes 64 \
      --seconds 0.2 --warmup-seconds 0.1 --profile-steps 0 --matmul-size 32 --device cpu \
      --data "$root/data/movielens-latest-small" >"$work/probe.log" 2>&1; then
    tail -n 20 "$work/probe.log" >&2
    fail "pack: the probe run of bench-model failed (above)"
  fi
  grep -o 'source: file:[^ ]*\.jar' "$work/classes.log" | sed 's/^source: file://' \
    | sort -u >"$work/used.txt"
  local jar name kept=() names=" "
  IFS=':' read -r -a all_jars <<<"$full_cp"
  for jar in "${all_jars[@]}"; do
    name="$(basename "$jar")"
    case "$name" in
      pytorch-native-*) continue ;;
      api-*.jar | pytorch-engine-*.jar | pytorch-jni-*.jar | jna-*.jar) ;;
      *) grep -qxF "$jar" "$work/used.txt" || continue ;;
    esac
    [[ "$names" != *" $name "* ]] || fail "pack: two jars named $name on the class path"
    names+="$name "
    kept+=("$stage/lib/$name")
    slim_or_copy "$jar" "$stage/lib/$name" "$work"
  done
  printf '%s\n' "${kept[@]}" | xargs -n1 basename | paste -sd: - >"$stage/lib/classpath.txt"

  # 2. the JRE: the modules jdeps finds in those jars' classes (unpacked together without their
  #    module-info: jdeps would otherwise resolve each modular jar's requires, also those never
  #    loaded) and the ones the probe loaded
  local modules
  mkdir -p "$work/classes"
  for jar in "${kept[@]}"; do
    # (a jar without classes, such as DJL's JNI jar, makes unzip exit 11)
    unzip -q -o "$jar" -d "$work/classes" '*.class' || (($? == 11))
  done
  find "$work/classes" -name module-info.class -delete
  modules="$(jdeps -q --multi-release 17 --ignore-missing-deps --print-module-deps "$work/classes")"
  modules="$( (echo "$modules" | tr ',' '\n'
    grep -o 'source: jrt:/[a-z.]*' "$work/classes.log" | sed 's|source: jrt:/||') | sort -u \
    | paste -sd, -)"
  say "jlink: $modules"
  # uncompressed: the tarball's gzip then packs the modules better than jlink's own zip does
  # (26 vs 33 MB for this JRE) in about the same time
  jlink --add-modules "$modules" --strip-debug --no-man-pages --include-locales=en \
    --output "$stage/jre"
  [[ -f "$stage/jre/include/jni.h" ]] || fail "pack: the jlinked JRE has no include/jni.h"

  # 3. the JNI build's inputs that DJL's JNI source folder lacks
  local engine_jar api_jar djl_version
  engine_jar="$(printf '%s\n' "${kept[@]}" | grep '/pytorch-engine-[^/]*\.jar$' | head -n 1)"
  api_jar="$(printf '%s\n' "${kept[@]}" | grep '/api-[^/]*\.jar$' | head -n 1)"
  [[ -n "$engine_jar" && -n "$api_jar" ]] || fail "pack: DJL's api or pytorch-engine jar not found"
  djl_version="$(basename "$engine_jar" .jar)"
  djl_version="${djl_version#pytorch-engine-}"
  java -cp "$engine_jar:$api_jar" "$HERE/gpu/JniHeader.java" "$JNI_CLASS" \
    >"$stage/jni/ai_djl_pytorch_jni_PyTorchLibrary.h"
  cp "$HERE/gpu/jni/CMakeLists.txt" "$stage/jni/"
  cp "$HERE/gpu/jni/include/djl/utils.h" "$stage/jni/include/djl/"

  # 4. the data, this script and what was packed
  cp -r "$root/data/movielens-latest-small" "$stage/data/"
  cp "$SELF" "$stage/gpu-check.sh"
  chmod +x "$stage/gpu-check.sh"
  {
    echo "djl_version=$djl_version"
    echo "commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "packed=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "modules=$modules"
  } >"$stage/BUILD-INFO"

  mkdir -p "$out"
  local tarball="$out/streamctr-gpu.tar.gz" bytes unpacked
  tar -C "$work" -czf "$tarball" streamctr-gpu
  bytes="$(stat -c %s "$tarball")"
  unpacked="$(du -sm "$stage" | cut -f1)"
  if ((bytes > MAX_BUNDLE_BYTES)); then
    fail "pack: $tarball is $((bytes / 1048576)) MiB, over the 64 MiB limit"
  fi
  echo "gpu-check: wrote $tarball ($((bytes / 1048576)) MiB; ${unpacked} MiB unpacked;" \
    "${#kept[@]} jars; DJL $djl_version)"
}

# ------------------------------------------------------------------------ run and build-jni

BUNDLE=""
TORCH_LIB="" TORCH_INCLUDE="" TORCH_VERSION="" TORCH_FLAVOR="" TORCH_ABI="" TORCH_CUDA_OK=""
NVIDIA_LIBS=""

in_bundle() {
  BUNDLE="$HERE"
  [[ -x "$BUNDLE/jre/bin/java" && -f "$BUNDLE/lib/classpath.txt" ]] \
    || die "$1 runs in an unpacked bundle (scripts/gpu-check.sh pack makes one): no jre/ beside $SELF"
}

# Sets TORCH_*: from --libtorch DIR (a libtorch root with lib/ and include/, or its lib folder)
# or else from python3's torch package.
locate_torch() {
  local libtorch="$1" version="$2"
  if [[ -n "$libtorch" ]]; then
    [[ -d "$libtorch" ]] || die "--libtorch $libtorch: no such folder"
    if [[ -f "$libtorch/lib/libtorch.so" ]]; then
      TORCH_LIB="$(cd "$libtorch/lib" && pwd)"
    elif [[ -f "$libtorch/libtorch.so" ]]; then
      TORCH_LIB="$(cd "$libtorch" && pwd)"
    else
      die "--libtorch $libtorch: no libtorch.so in it or in its lib/"
    fi
    TORCH_INCLUDE="$(cd "$TORCH_LIB/.." && pwd)/include"
    if [[ -z "$version" && -f "$TORCH_LIB/../build-version" ]]; then
      version="$(head -n 1 "$TORCH_LIB/../build-version")"
    fi
    [[ -n "$version" ]] || die "--libtorch $libtorch: no build-version file; give --torch-version"
    TORCH_ABI=1
    # (grep -c, not -q: with pipefail an early exit of grep fails the pipe)
    if command -v nm >/dev/null \
      && [[ "$(nm -D "$TORCH_LIB/libc10.so" 2>/dev/null | grep -c __cxx11 || true)" == 0 ]]; then
      TORCH_ABI=0
    fi
    TORCH_FLAVOR=cpu
    [[ ! -f "$TORCH_LIB/libtorch_cuda.so" ]] || TORCH_FLAVOR=cu
    TORCH_CUDA_OK=unknown
  else
    command -v "$PYTHON" >/dev/null \
      || die "$PYTHON not found: give --libtorch DIR (a libtorch folder) instead"
    local info
    if ! info="$("$PYTHON" - 2>"$WORK/python.err" <<'EOF'
import glob, os, torch
d = os.path.dirname(torch.__file__)
print(d)
print(torch.__version__)
print(torch.version.cuda or "")
print(int(torch._C._GLIBCXX_USE_CXX11_ABI))
print(int(torch.cuda.is_available()))
print(":".join(sorted(glob.glob(os.path.join(os.path.dirname(d), "nvidia", "*", "lib")))))
EOF
)"; then
      die "$PYTHON cannot import torch ($(tail -n 1 "$WORK/python.err")): use a python3 with" \
        "PyTorch or give --libtorch DIR"
    fi
    local dir cuda
    { read -r dir; read -r version; read -r cuda; read -r TORCH_ABI; read -r TORCH_CUDA_OK
      read -r NVIDIA_LIBS || true; } <<<"$info"
    TORCH_LIB="$dir/lib"
    TORCH_INCLUDE="$dir/include"
    [[ -f "$TORCH_LIB/libtorch.so" ]] || die "$PYTHON's torch has no lib/libtorch.so in $dir"
    TORCH_FLAVOR=cpu
    [[ -z "$cuda" ]] || TORCH_FLAVOR="cu${cuda//./}"
  fi
  TORCH_VERSION="${version%%+*}"
  [[ "$TORCH_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || die "unexpected torch version '$version'"
  TORCH_VERSION="${BASH_REMATCH[0]}"
}

# Builds libdjl_torch.so from DJL's JNI sources in $1 against TORCH_*; writes it to $2.
build_jni() {
  local src="$1" out="$2" native root utils
  [[ -d "$src" ]] || die "--djl-src $src: no such folder"
  if [[ -d "$src/engines/pytorch/pytorch-native/src/main/native" ]]; then
    root="$src"
    native="$src/engines/pytorch/pytorch-native"
  elif [[ -d "$src/src/main/native" ]]; then
    native="$src"
    root="$src/../../.."
  else
    die "--djl-src $src: no engines/pytorch/pytorch-native/src/main/native in it"
  fi
  utils="$BUNDLE/jni/include"
  [[ ! -f "$root/api/src/main/native/djl/utils.h" ]] || utils="$root/api/src/main/native"
  command -v cmake >/dev/null || die "cmake not found: the JNI build needs CMake and a C++ compiler"
  [[ -f "$TORCH_INCLUDE/torch/script.h" ]] \
    || die "no libtorch headers ($TORCH_INCLUDE/torch/script.h): the JNI build needs them"
  local build="$WORK/jni-build" log="$WORK/jni-build.log" pt_version=""
  # the older libtorch APIs DJL's sources still cover, as its build.sh picks them
  [[ ! "$TORCH_VERSION" =~ ^(1\.13\.1|2\.0\.1|2\.1\.[0-9]+)$ ]] || pt_version=V1_13_X
  # libtorch 2.12 and later require C++20 of code that includes its headers
  local major minor cxx_std=17
  IFS=. read -r major minor _ <<<"$TORCH_VERSION"
  ((major < 2 || (major == 2 && minor < 12))) || cxx_std=20
  cxx_std="${GPU_CHECK_CXX_STANDARD:-$cxx_std}"
  rm -rf "$build"
  say "building DJL's PyTorch JNI (C++$cxx_std) from $native against $TORCH_LIB (log: $log) ..."
  if ! { cmake -S "$BUNDLE/jni" -B "$build" -DCMAKE_BUILD_TYPE=Release \
        -DDJL_NATIVE_DIR="$native" -DJNI_HEADER_DIR="$BUNDLE/jni" \
        -DDJL_UTILS_INCLUDE_DIR="$utils" -DJAVA_INCLUDE_DIR="$BUNDLE/jre/include" \
        -DTORCH_INCLUDE_DIR="$TORCH_INCLUDE" -DTORCH_LIB_DIR="$TORCH_LIB" \
        -DTORCH_CXX11_ABI="$TORCH_ABI" -DDJL_PT_VERSION="$pt_version" -DDJL_CXX_STANDARD="$cxx_std" \
      && cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    fail "the JNI build failed (above; whole log: $log)"
  fi
  cp "$build/libdjl_torch.so" "$out"
  say "built $out"
}

# The folder DJL loads libtorch from: links to the libraries it needs (DJL loads every library
# in the folder, and torch/lib of a pip install holds test libraries too), and libcudart.so for
# DJL's GPU count (JNA looks for that exact name).
stage_libtorch() {
  local stage="$1" f d
  rm -rf "$stage"
  mkdir -p "$stage"
  for f in libc10.so libtorch_cpu.so libtorch.so libc10_cuda.so libtorch_cuda.so; do
    [[ ! -f "$TORCH_LIB/$f" ]] || ln -s "$TORCH_LIB/$f" "$stage/$f"
  done
  for f in "$TORCH_LIB"/libgomp*.so*; do
    [[ ! -f "$f" ]] || ln -s "$f" "$stage/$(basename "$f")"
  done
  if [[ "$TORCH_FLAVOR" == cu* ]]; then
    for d in ${NVIDIA_LIBS//:/ } "$TORCH_LIB" /usr/local/cuda/lib64; do
      f="$(ls "$d"/libcudart.so* 2>/dev/null | head -n 1 || true)"
      if [[ -n "$f" ]]; then
        ln -s "$f" "$stage/libcudart.so"
        break
      fi
    done
  fi
}

# Prints bench-model's result rows of one device's output as "model stage batch train loop".
rows() {
  awk -v models=",$2," '
    index(models, "," $1 ",") && $3 ~ /^[0-9]+$/ && NF > 12 {
      gsub(",", "", $7); gsub(",", "", $(NF - 2)); print $1, $2, $3, $7, $(NF - 2)
    }' "$1"
}

summary() {
  local devices="$1" models="$2" dev
  local -a devs
  IFS=',' read -r -a devs <<<"$devices"
  echo
  echo "gpu-check: bench-model rates, events/s (train: the training step; loop: encode +" \
    "train, whose forward's scores are the predictions)"
  {
    printf 'model stage batch'
    for dev in "${devs[@]}"; do printf ' %s-train %s-loop' "$dev" "$dev"; done
    [[ ",$devices," != *,cpu,* || ",$devices," != *,gpu* ]] || printf ' gpu/cpu-train gpu/cpu-loop'
    echo
    for dev in "${devs[@]}"; do
      [[ ! -f "$WORK/bench-$dev.txt" ]] || rows "$WORK/bench-$dev.txt" "$models" | sed "s/^/$dev /"
    done | awk -v devs="$devices" '
      BEGIN { n = split(devs, d, ",") }
      { key = $2 " " $3 " " $4; if (!(key in seen)) { seen[key] = 1; order[++k] = key }
        train[key, $1] = $5; loop[key, $1] = $6 }
      END {
        for (i = 1; i <= k; i++) {
          line = order[i]; cpu = ""; gpu = ""
          for (j = 1; j <= n; j++) {
            t = ((order[i], d[j]) in train) ? train[order[i], d[j]] : "-"
            l = ((order[i], d[j]) in loop) ? loop[order[i], d[j]] : "-"
            line = line " " t " " l
            if (d[j] == "cpu") { cpu = j } else if (d[j] ~ /^gpu/) { gpu = j }
          }
          if (cpu && gpu) {
            ct = train[order[i], d[cpu]]; gt = train[order[i], d[gpu]]
            cl = loop[order[i], d[cpu]]; gl = loop[order[i], d[gpu]]
            line = line " " (ct > 0 && gt != "" ? sprintf("%.2f", gt / ct) : "-")
            line = line " " (cl > 0 && gl != "" ? sprintf("%.2f", gl / cl) : "-")
          }
          print line
        }
      }'
  } | if command -v column >/dev/null; then column -t; else cat; fi
}

run_check() {
  local djl_src="" jni="" libtorch="" version="" models="dnn,optfusion-soft,interformer"
  local batches="256,4096" devices="cpu,gpu" seconds=10 warmup=3 threads=1 work=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --djl-src) need_value "$@"; djl_src="$2"; shift 2 ;;
      --jni) need_value "$@"; jni="$2"; shift 2 ;;
      --libtorch) need_value "$@"; libtorch="$2"; shift 2 ;;
      --torch-version) need_value "$@"; version="$2"; shift 2 ;;
      --models) need_value "$@"; models="$2"; shift 2 ;;
      --batch-sizes) need_value "$@"; batches="$2"; shift 2 ;;
      --devices) need_value "$@"; devices="$2"; shift 2 ;;
      --seconds) need_value "$@"; seconds="$2"; shift 2 ;;
      --warmup-seconds) need_value "$@"; warmup="$2"; shift 2 ;;
      --threads) need_value "$@"; threads="$2"; shift 2 ;;
      --work) need_value "$@"; work="$2"; shift 2 ;;
      *) die "run: unknown argument '$1' (see ./gpu-check.sh --help)" ;;
    esac
  done
  in_bundle run
  [[ -n "$djl_src" || -n "$jni" ]] || die "run: give --djl-src DIR (DJL's JNI sources, to build" \
    "the JNI for this machine's libtorch) or --jni FILE (a libdjl_torch.so built for it)"
  [[ -z "$jni" || -f "$jni" ]] || die "--jni $jni: no such file"
  [[ -z "$djl_src" || -d "$djl_src" ]] || die "--djl-src $djl_src: no such folder"
  local dev
  for dev in ${devices//,/ }; do
    [[ "$dev" =~ ^(cpu|gpu(:[0-9]+)?)$ ]] || die "--devices: '$dev' is not cpu, gpu or gpu:N"
  done
  WORK="${work:-$BUNDLE/work}"
  mkdir -p "$WORK"
  WORK="$(cd "$WORK" && pwd)"
  locate_torch "$libtorch" "$version"
  if [[ "$TORCH_CUDA_OK" == 0 && ",$devices," == *,gpu* ]]; then
    die "$PYTHON's torch $TORCH_VERSION sees no CUDA GPU (torch.cuda.is_available() is False);" \
      "use --devices cpu, or run on a GPU machine"
  fi
  say "libtorch $TORCH_VERSION ($TORCH_FLAVOR, C++11 ABI $TORCH_ABI) in $TORCH_LIB"

  local djl_version built="$WORK/libdjl_torch.so"
  djl_version="$(sed -n 's/^djl_version=//p' "$BUNDLE/BUILD-INFO")"
  if [[ -n "$djl_src" ]]; then
    build_jni "$djl_src" "$built"
    jni="$built"
  fi
  local cache="$WORK/djl-cache" stage="$WORK/libtorch"
  local jni_dir="$cache/pytorch/$TORCH_VERSION-$TORCH_FLAVOR-linux-x86_64"
  mkdir -p "$jni_dir"
  cp "$jni" "$jni_dir/$djl_version-libdjl_torch.so"
  stage_libtorch "$stage"
  # DJL 0.35.1 looks for the JNI beside libtorch first, then in its cache folder
  cp "$jni" "$stage/$djl_version-libdjl_torch.so"

  local cp status=0
  cp="$(sed "s|[^:]*|$BUNDLE/lib/&|g" "$BUNDLE/lib/classpath.txt")"
  if command -v nvidia-smi >/dev/null; then
    say "GPU: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>&1 | head -n 1)"
  fi
  for dev in ${devices//,/ }; do
    say "bench-model on $dev: $models at batch $batches ($seconds s each after $warmup s)"
    if ! env -u ENGINE_CACHE_DIR PYTORCH_LIBRARY_PATH="$stage" PYTORCH_VERSION="$TORCH_VERSION" \
        PYTORCH_FLAVOR="$TORCH_FLAVOR" MALLOC_ARENA_MAX=2 OMP_WAIT_POLICY=PASSIVE \
        LD_LIBRARY_PATH="$stage:$TORCH_LIB${NVIDIA_LIBS:+:$NVIDIA_LIBS}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
        "$BUNDLE/jre/bin/java" -Xms1g -Xmx4g -XX:+UseParallelGC -DDJL_CACHE_DIR="$cache" \
        -Dai.djl.offline=true -Djna.library.path="$stage" -Dstreamctr.repo.root="$BUNDLE" \
        -cp "$cp" io.streamctr.cli.Main bench-model \
        --data "$BUNDLE/data/movielens-latest-small" --models "$models" --batch-sizes "$batches" \
        --seconds "$seconds" --warmup-seconds "$warmup" --threads "$threads" --device "$dev" \
        >"$WORK/bench-$dev.txt" 2> >(tee "$WORK/bench-$dev.log" >&2); then
      say "bench-model on $dev failed (above; output in $WORK/bench-$dev.txt and .log)"
      status=1
    fi
    grep -m1 '^streamctr bench-model' "$WORK/bench-$dev.txt" >&2 || true
  done
  summary "$devices" "$models"
  echo "gpu-check: full tables in $WORK/bench-*.txt"
  return "$status"
}

build_jni_command() {
  local djl_src="" libtorch="" version="" out=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --djl-src) need_value "$@"; djl_src="$2"; shift 2 ;;
      --libtorch) need_value "$@"; libtorch="$2"; shift 2 ;;
      --torch-version) need_value "$@"; version="$2"; shift 2 ;;
      --out) need_value "$@"; out="$2"; shift 2 ;;
      --work) need_value "$@"; WORK="$2"; shift 2 ;;
      *) die "build-jni: unknown argument '$1' (see ./gpu-check.sh --help)" ;;
    esac
  done
  in_bundle build-jni
  [[ -n "$djl_src" ]] || die "build-jni: give --djl-src DIR (DJL's JNI sources)"
  [[ -d "$djl_src" ]] || die "--djl-src $djl_src: no such folder"
  WORK="${WORK:-$BUNDLE/work}"
  mkdir -p "$WORK"
  WORK="$(cd "$WORK" && pwd)"
  locate_torch "$libtorch" "$version"
  build_jni "$djl_src" "${out:-$WORK/libdjl_torch.so}"
}

WORK=""
case "${1:-}" in
  pack) shift; pack "$@" ;;
  run) shift; run_check "$@" ;;
  build-jni) shift; build_jni_command "$@" ;;
  -h | --help) usage ;;
  "") die "missing command: pack, run or build-jni (--help for usage)" ;;
  *) die "unknown command '$1': expected pack, run or build-jni (--help for usage)" ;;
esac
