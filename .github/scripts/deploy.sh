#!/usr/bin/env bash
# Deploys k8s/overlays/cloud with one image into one namespace, migrations first:
#   1. everything except the API Deployment and Service (namespace, config, secret, migration Job, ...),
#   2. wait for the migration Job to succeed (fail the deploy, with its logs, if it fails),
#   3. everything, then wait for the rollout.
#
# Usage: deploy.sh <namespace> <image name> <image digest sha256:...>
# Environment: APP_SECRETS_ENV = contents of k8s/overlays/cloud/secrets.env (DATABASE_URL, CACHE_URL,
# JWT_SECRET); kubectl must already point at the target cluster.
set -euo pipefail

namespace=${1:?namespace}
image_name=${2:?image name}
image_digest=${3:?image digest}
: "${APP_SECRETS_ENV:?APP_SECRETS_ENV must hold the secrets.env contents}"

root=$(cd "$(dirname "$0")/../.." && pwd)
overlay="$root/k8s/overlays/cloud"
# A throwaway overlay next to the real ones, so relative paths resolve the same way.
work=$(mktemp -d "$root/k8s/overlays/.deploy-XXXXXX")
trap 'rm -rf "$work" "$overlay/secrets.env"' EXIT

umask 077
printf '%s\n' "$APP_SECRETS_ENV" > "$overlay/secrets.env"
cat > "$work/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${namespace}
resources:
  - ../cloud
images:
  - name: calendar-api
    newName: ${image_name}
    digest: ${image_digest}
YAML

kubectl kustomize "$work" > "$work/manifests.yaml"

# A Job's pod template is immutable: replace the previous migration Job.
kubectl -n "$namespace" delete job calendar-api-migrate --ignore-not-found --wait=true

kubectl apply -f "$work/manifests.yaml" -l 'app.kubernetes.io/component!=api'

echo "Waiting for the migrations..."
for _ in $(seq 1 180); do
  state=$(kubectl -n "$namespace" get job calendar-api-migrate \
    -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}')
  case "$state" in
    *Complete*) echo "Migrations applied."; break ;;
    *Failed*)
      kubectl -n "$namespace" logs job/calendar-api-migrate --all-containers --tail=200 || true
      echo "The migration Job failed; the running version was left in place." >&2
      exit 1 ;;
  esac
  sleep 5
done
case "${state:-}" in *Complete*) ;; *) echo "Timed out waiting for the migration Job." >&2; exit 1 ;; esac

kubectl apply -f "$work/manifests.yaml"
kubectl -n "$namespace" rollout status deployment/calendar-api --timeout=10m
