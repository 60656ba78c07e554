#!/bin/bash
# A sweep split into 8 shards as a Slurm job array. Each task reads its index from
# SLURM_ARRAY_TASK_ID (0–7) and writes parts/part-I.json:
#   mkdir -p parts && sbatch --wait deploy/slurm-sweep.sh && nines merge parts/part-*.json
# (--wait returns when every task has ended; without it, submit the merge as a job with
# --dependency=afterok:JOBID).
#SBATCH --job-name=nines-sweep
#SBATCH --array=0-7
#SBATCH --cpus-per-task=1
#SBATCH --mem=256M
#SBATCH --output=slurm-%A_%a.log
set -euo pipefail
shards=8
mkdir -p parts
nines sweep models/license-plate-ha.yaml \
    --vary components.app.replicas=4..11 \
    --vary domains.us-east-1a.mttr=1h,4h \
    --shard "${SLURM_ARRAY_TASK_ID}/${shards}" \
    --output "parts/part-${SLURM_ARRAY_TASK_ID}.json"
