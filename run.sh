#!/usr/bin/env bash
# DecentralizedKD entry point.
#   ./run.sh            install what is missing, build, run the default experiment (real Fashion-MNIST)
#   ./run.sh test [--fast] [ARGS...]
#                       install what is missing, build, run the whole test suite (what CI runs); --fast leaves out the
#                       tests marked [Trait("Category", "Slow")] (child processes, clusters, long runs). ARGS go to
#                       dotnet test (e.g. --filter "FullyQualifiedName~Resume"; with --fast both filters apply)
#   ./run.sh dkd ARGS   build, then run the dkd CLI with ARGS (e.g. ./run.sh dkd topology ring --agents 16)
#   ./run.sh cluster N [CONFIG] [--set key=value]... [--out DIR]
#                       build, then run CONFIG (default: hocon/experiments/dpsgd-ring16-fmnist.conf) on 1 coordinator + N
#                       worker processes on this machine (loopback; port DKD_CLUSTER_PORT, default 4053)
#   ./run.sh cluster N --resume RUN [--set key=value]...
#                       continue RUN's last checkpoint on 1 coordinator + N workers (workers load RUN/config.conf)
#   ./run.sh cluster N --sweep SWEEP [--set key=value]... [--out DIR]
#                       run a sweep's runs on N worker processes (work pulling); the coordinator writes the sweep folder
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
FMNIST_DIR=/usr/share/datasets/fashion-mnist
CONFIG=${DKD_CONFIGURATION:-Release}

log() { printf '[run.sh] %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }

apt_updated=0
apt_install() {
  if [ $apt_updated = 0 ]; then log "apt-get update"; as_root apt-get update -qq; apt_updated=1; fi
  log "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

install_deps() {
  if ! command -v dotnet >/dev/null 2>&1; then
    log "the .NET SDK 10 is required (dotnet not on PATH); trying Debian's package"
    apt_install dotnet-sdk-10.0 || { log "error: could not install the .NET 10 SDK"; exit 2; }
  fi
  if [ ! -f "$FMNIST_DIR/train-images-idx3-ubyte.gz" ]; then
    apt_install dataset-fashion-mnist
  fi
}

build() {
  log "building ($CONFIG)"
  dotnet build "$ROOT/DecentralizedKD.sln" -c "$CONFIG" -nologo -clp:ErrorsOnly -v:quiet >&2
}

dkd() { "$ROOT/src/DecentralizedKD.Cli/bin/$CONFIG/net10.0/dkd" "$@"; }

cmd=${1:-default}
case "$cmd" in
  test)
    shift
    fast=0
    test_args=()
    for arg in "$@"; do
      if [ "$arg" = --fast ]; then fast=1; else test_args+=("$arg"); fi
    done
    if [ $fast = 1 ]; then
      # Without the slow tests: a --filter given too is combined with ours (dotnet test keeps only one).
      slow_filter="Category!=Slow"
      combined=0
      for i in "${!test_args[@]}"; do
        if [ "${test_args[$i]}" = --filter ] && [ $((i + 1)) -lt ${#test_args[@]} ]; then
          test_args[i + 1]="(${test_args[i + 1]})&$slow_filter"; combined=1
        elif [[ "${test_args[$i]}" == --filter=* ]]; then
          test_args[i]="--filter=(${test_args[$i]#--filter=})&$slow_filter"; combined=1
        fi
      done
      [ $combined = 1 ] || test_args+=(--filter "$slow_filter")
    fi
    hang_guard=()
    if [ $fast = 0 ]; then
      # A test still running after 10 minutes (none takes 2 on a loaded 2-core machine) stops its test host and fails
      # the run naming it: a hang in code a test cannot bound itself (a synchronous run) never stalls CI. Left out of
      # --fast, which someone watches, because the blame collector costs a few CPU seconds per test project.
      hang_guard=(--blame-hang-timeout 10m --blame-hang-dump-type none)
    fi
    install_deps
    build
    log "running the test suite$([ $fast = 1 ] && echo " without the slow tests")"
    dotnet test "$ROOT/DecentralizedKD.sln" -c "$CONFIG" --no-build -nologo "${hang_guard[@]}" "${test_args[@]}"
    ;;
  dkd)
    shift
    install_deps
    build
    dkd "$@"
    ;;
  cluster)
    shift
    workers=${1:-}
    if ! [[ "$workers" =~ ^[1-9][0-9]*$ ]]; then echo "usage: ./run.sh cluster N [CONFIG | --resume RUN | --sweep SWEEP] [--set key=value]... [--out DIR]" >&2; exit 2; fi
    shift
    config=hocon/experiments/dpsgd-ring16-fmnist.conf
    coordinator_args=()
    worker_args=()
    if [ $# -gt 0 ] && [ "$1" = --sweep ]; then
      if [ $# -lt 2 ]; then echo "usage: ./run.sh cluster N --sweep SWEEP [--set key=value]... [--out DIR]" >&2; exit 2; fi
      # Every worker process sees all of this machine's cores: split them, or N workers would run N× too many runs at once.
      slots=$(( $(nproc) / workers )); [ "$slots" -ge 1 ] || slots=1
      coordinator_args=(--sweep "$2"); worker_args=(--sweep "$2" --parallel "$slots"); shift 2
    elif [ $# -gt 0 ] && [ "$1" = --resume ]; then
      if [ $# -lt 2 ]; then echo "usage: ./run.sh cluster N --resume RUN [--set key=value]..." >&2; exit 2; fi
      run_dir=${2%/}; run_dir=${run_dir%/checkpoint}; shift 2
      # The coordinator continues RUN's checkpoint and ships the agents' states; the workers load the run's own config.
      coordinator_args=(--resume "$run_dir")
      worker_args=(--config "$run_dir/config.conf")
    else
      if [ $# -gt 0 ] && [[ "$1" != --* ]]; then config=$1; shift; fi
      coordinator_args=(--config "$config")
      worker_args=(--config "$config")
    fi
    install_deps
    build
    port=${DKD_CLUSTER_PORT:-4053}
    seed="akka.tcp://dkd@127.0.0.1:$port"
    log "cluster: coordinator at $seed + $workers worker process(es), ${coordinator_args[*]}"
    dkd host --role coordinator "${coordinator_args[@]}" --hostname 127.0.0.1 --port "$port" --workers "$workers" "$@" &
    coordinator=$!
    worker_pids=()
    for _ in $(seq 1 "$workers"); do
      dkd host --role worker "${worker_args[@]}" --seed-node "$seed" --workers "$workers" "$@" >&2 &
      worker_pids+=($!)
    done
    # Our own child processes only, by id: a worker left behind by a failed run must not outlive this script.
    trap 'kill "${worker_pids[@]}" "$coordinator" 2>/dev/null || true' EXIT
    rc=0
    wait "$coordinator" || rc=$?
    for pid in "${worker_pids[@]}"; do wait "$pid" || true; done
    exit $rc
    ;;
  default)
    install_deps
    build
    dkd default-run
    ;;
  *)
    echo "usage: ./run.sh [test [--fast] [ARGS...] | dkd ARGS... | cluster N [CONFIG | --resume RUN | --sweep SWEEP] [ARGS...]]" >&2
    exit 2
    ;;
esac
