#!/bin/bash
# A sweep split into shards on one machine's cores (or with GNU parallel across hosts):
#   deploy/local-sweep.sh [SHARDS] [JOBS]
# runs SHARDS shards, JOBS at a time, then merges them; the output is exactly the single
# run's. With GNU parallel instead of xargs:
#   parallel -j 2 nines sweep models/license-plate-ha.yaml --vary components.app.replicas=4..11 \
#       --shard {}/8 --output parts/part-{}.json ::: $(seq 0 7)
set -euo pipefail
shards=${1:-8}
jobs=${2:-2}
nines=${NINES:-nines}
mkdir -p parts
seq 0 $((shards - 1)) | xargs -P "$jobs" -I{} "$nines" sweep models/license-plate-ha.yaml \
    --vary components.app.replicas=4..11 \
    --vary domains.us-east-1a.mttr=1h,4h \
    --shard {}/"$shards" --output parts/part-{}.json
"$nines" merge parts/part-*.json
