#!/usr/bin/env bash
# Evaluate intent classification and entity extraction on the held-out NLU set.
set -euo pipefail
cd "$(dirname "$0")/.."
model=$(ls -t models/*.tar.gz | head -1)
mkdir -p reports/nlu
.venv-rasa/bin/rasa test nlu --model "$model" --nlu tests/nlu_heldout --out reports/nlu
echo ">> report in reports/nlu (intent_report.json, DIETClassifier_report.json, confusion matrix)"
