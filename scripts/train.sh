#!/usr/bin/env bash
# Train the Rasa model only when bot/, the training data or the engine pins changed.
# The model is named after that content hash (config, domain, training data, engine pins)
# and cached outside the clone; endpoints and credentials are runtime-only.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=${HALO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/halo-warga}
TRAINING_DATA="data/nlu data/rules data/stories"
# bot/components: the custom NLU components (their code is part of the model).
hash=$({ find bot/config.yml bot/domain.yml $TRAINING_DATA requirements/rasa.txt -type f; \
         find bot/components -type f -name '*.py'; } | LC_ALL=C sort \
    | xargs sha256sum | sha256sum | cut -c1-16)
name="halo-warga-$hash"
model="models/$name.tar.gz"
mkdir -p models "$CACHE/models"

if [ -f "$model" ]; then
    touch "$model"   # the newest model in models/ is the one served
    echo ">> model up to date: $model"
elif [ -f "$CACHE/models/$name.tar.gz" ]; then
    cp "$CACHE/models/$name.tar.gz" "$model"
    echo ">> model restored from cache: $model"
else
    echo ">> training $model (bot/ or data/ changed)"
    start=$(date +%s)
    .venv-rasa/bin/rasa train --domain bot/domain.yml --config bot/config.yml \
        --data $TRAINING_DATA --out models --fixed-model-name "$name" --num-threads 2
    echo ">> trained in $(( $(date +%s) - start )) s"
    cp "$model" "$CACHE/models/$name.tar.gz.tmp" && mv "$CACHE/models/$name.tar.gz.tmp" "$CACHE/models/$name.tar.gz"
fi
echo "$model" > models/LATEST
