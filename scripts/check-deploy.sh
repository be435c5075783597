#!/usr/bin/env bash
# Checks the deployment artefacts (deploy/) and the configuration files (config/) without building or running
# anything. Prints one line per check (ok / FAIL / skip) and a closing count; exits non-zero on any failure.
#
#   scripts/check-deploy.sh          (from any directory)
#
# What it checks:
#   - every YAML file under deploy/ and config/ parses (all documents of a multi-document file), and so do the
#     files embedded in the Kubernetes ConfigMap; every JSON file under deploy/ and config/ parses
#   - deploy/Dockerfile is multi-stage and its final stage runs as a non-root USER
#   - every Kubernetes manifest under deploy/k8s/ validates (strictly: unknown fields fail) against the
#     Kubernetes JSON schemas of each version in OTPPOOL_K8S_VERSIONS (default "1.30 latest"), through the
#     PyPI package kubernetes-validate; KEDA's ScaledObject is a custom resource with no schema there and is
#     skipped for that check only
#   - the artefacts agree with each other: Secret and ConfigMap references, Service/PDB selectors, probes on
#     the `admin` port, OTPPOOL_ADMIN_HOST=0.0.0.0, an API-key variable for every catalogue supplier, the
#     ScaledObject's target, group, topic, brokers and its partition ceiling, the compose file's depends_on
#     graph, and the Grafana dashboard's datasource input and metric names
#   - the Prometheus alerting rules under deploy/prometheus/: structure, severities, runbooks, and every metric
#     they use is one the sources export; `promtool check rules` when promtool is installed (else: skip)
#   - `docker compose -f deploy/compose.yaml config -q` when docker compose is available (else: skip)
#
# Python tools live in a scratch virtual environment outside the repository ($OTPPOOL_CHECK_VENV, default
# ~/.cache/otppool/check-deploy-venv): created and filled from PyPI on the first run (a few seconds), reused
# offline afterwards. Needs python3 with the venv module (installed with apt when missing, as scripts/deps.sh
# does for the build's packages).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${OTPPOOL_CHECK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/otppool/check-deploy-venv}"
# Pinned: the schemas it bundles decide what passes. PyYAML and jsonschema come with it.
requirements="kubernetes-validate==1.37.0"

log() { echo "check-deploy.sh: $*" >&2; }

# Installs Debian packages with apt-get (with sudo when not root), like scripts/deps.sh.
apt_install() {
    command -v apt-get >/dev/null 2>&1 || return 1
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || return 1
        sudo="sudo"
    fi
    log "installing $*"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >&2
}

# Creates the virtual environment and installs $requirements into it, unless it already has them.
ensure_venv() {
    if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.requirements" 2>/dev/null)" = "$requirements" ]; then
        return 0
    fi
    command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv || {
        log "python3 is missing and could not be installed"; return 1; }
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
        # Debian's python3 ships venv without ensurepip until python3-venv is installed.
        rm -rf "$venv"
        if ! { apt_install python3-venv && python3 -m venv "$venv"; }; then
            log "cannot create a virtual environment with python3 -m venv"
            return 1
        fi
    fi
    log "installing $requirements into $venv (first run only)"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$requirements" >&2 || {
        log "pip could not install $requirements (PyPI is needed once)"; return 1; }
    echo "$requirements" >"$venv/.requirements"
}

if ! ensure_venv; then
    echo "FAIL  tooling: no Python environment with $requirements (see the messages above)"
    echo "check-deploy: 0 passed, 1 failed"
    exit 1
fi

# The Python part prints its check lines to standard output (fd 4 here: the script's own) and, last,
# "<passed> <failed> <skipped>" on file descriptor 3, which is what the command substitution captures.
exec 4>&1
counts="$(OTPPOOL_K8S_VERSIONS="${OTPPOOL_K8S_VERSIONS:-1.30 latest}" \
    "$venv/bin/python" - "$repo" 3>&1 1>&4 <<'PY'
import json
import os
import re
import sys
from pathlib import Path

import yaml
import kubernetes_validate
from kubernetes_validate import utils as kv

repo = Path(sys.argv[1])
deploy, config = repo / "deploy", repo / "config"
counts = {"ok": 0, "FAIL": 0, "skip": 0}


def report(status, what, why=""):
    counts[status] += 1
    print(f"{status:<5} {what}" + (f": {why}" if why else ""), flush=True)


def check(what, problems):
    """One check line: ok when `problems` is empty, else FAIL with the problems."""
    report("FAIL", what, "; ".join(problems)) if problems else report("ok", what)


def rel(path):
    return path.relative_to(repo).as_posix()


def files(*suffixes):
    found = [p for root in (deploy, config) for p in root.rglob("*") if p.is_file() and p.suffix in suffixes]
    return sorted(found)


# ── Syntax: every YAML and JSON file ──────────────────────────────────────────────────────────────────────
documents = {}  # path -> list of parsed documents
for path in files(".yaml", ".yml"):
    try:
        documents[path] = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d is not None]
        report("ok", f"YAML {rel(path)} ({len(documents[path])} document(s))")
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        report("FAIL", f"YAML {rel(path)}", str(error).replace("\n", " "))

parsed_json = {}
for path in files(".json"):
    try:
        parsed_json[path] = json.loads(path.read_text(encoding="utf-8"))
        report("ok", f"JSON {rel(path)}")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        report("FAIL", f"JSON {rel(path)}", str(error))

# Kubernetes objects, by kind and name, and the files embedded in ConfigMaps.
objects = [(path, d) for path, docs in documents.items() if path.is_relative_to(deploy / "k8s")
           for d in docs if isinstance(d, dict)]
by_kind = {}
for _, obj in objects:
    by_kind.setdefault(obj.get("kind"), {})[obj.get("metadata", {}).get("name")] = obj

embedded = {}  # ConfigMap name -> {file name -> parsed content}
for name, configmap in by_kind.get("ConfigMap", {}).items():
    for key, text in (configmap.get("data") or {}).items():
        if not key.endswith((".yaml", ".yml", ".json")):
            continue
        try:
            embedded.setdefault(name, {})[key] = json.loads(text) if key.endswith(".json") else yaml.safe_load(text)
            report("ok", f"ConfigMap {name}: {key} parses")
        except (yaml.YAMLError, json.JSONDecodeError) as error:
            report("FAIL", f"ConfigMap {name}: {key} parses", str(error).replace("\n", " "))

# ── Dockerfile ────────────────────────────────────────────────────────────────────────────────────────────
dockerfile = deploy / "Dockerfile"
if not dockerfile.is_file():
    report("FAIL", "Dockerfile", "deploy/Dockerfile is missing")
else:
    # Instructions with their continuation lines joined, comments dropped.
    logical, current = [], ""
    for line in dockerfile.read_text(encoding="utf-8").splitlines():
        if not current and line.lstrip().startswith("#"):
            continue
        current += line.rstrip().removesuffix("\\") + " "
        if not line.rstrip().endswith("\\"):
            if current.strip():
                logical.append(current.strip())
            current = ""
    stages = [i for i, text in enumerate(logical) if text.split()[0].upper() == "FROM"]
    check(f"Dockerfile is multi-stage ({len(stages)} FROM stages)",
          [] if len(stages) >= 2 else ["a build stage and a slim runtime stage are expected"])
    users = [text.split()[1] for text in logical[stages[-1]:] if text.split()[0].upper() == "USER"] if stages else []
    user = users[-1] if users else None
    check(f"Dockerfile final stage runs as a non-root USER ({user})",
          [] if user and user.split(":")[0] not in ("root", "0") else ["the final stage must set USER to a non-root user"])

# ── Kubernetes schemas ────────────────────────────────────────────────────────────────────────────────────
versions = [kv.latest_version() if v == "latest" else v for v in os.environ["OTPPOOL_K8S_VERSIONS"].split()]
for path, obj in objects:
    what = f"schema {obj.get('kind')}/{obj.get('metadata', {}).get('name')} ({rel(path)})"
    if str(obj.get("apiVersion", "")).startswith("keda.sh/"):
        report("skip", what, "KEDA custom resource (CRD); kubernetes-validate has schemas for built-in kinds only")
        continue
    problems = []
    for version in versions:
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            location = ".".join(str(p) for p in error.path) or "(top)"
            problems.append(f"Kubernetes {version}: {location}: {error.message}")
        except (kv.SchemaNotFoundError, kv.VersionNotSupportedError) as error:
            problems.append(f"Kubernetes {version}: {error.message}")
    check(f"{what} against Kubernetes {', '.join(versions)}", problems)

# ── Kubernetes: the objects agree with each other ─────────────────────────────────────────────────────────
secrets = by_kind.get("Secret", {})
configmaps = by_kind.get("ConfigMap", {})
deployments = by_kind.get("Deployment", {})
workloads = {**{("Deployment", n): o for n, o in deployments.items()},
             **{("Job", n): o for n, o in by_kind.get("Job", {}).items()}}


def secret_keys(name):
    secret = secrets.get(name) or {}
    return set((secret.get("stringData") or {}).keys()) | set((secret.get("data") or {}).keys())


def labels_match(selector, labels):
    return all(labels.get(k) == v for k, v in (selector or {}).items())


def env_of(workload):
    """Environment variables of a workload's containers: name -> literal value (None when from a reference)."""
    return {e["name"]: e.get("value") for c in workload["spec"]["template"]["spec"]["containers"] for e in c.get("env", [])}


for (kind, name), obj in sorted(workloads.items()):
    pod = obj["spec"]["template"]["spec"]
    problems = []
    for volume in pod.get("volumes", []):
        if "secret" in volume:
            secret = volume["secret"]["secretName"]
            if secret not in secrets:
                problems.append(f"volume {volume['name']}: no Secret {secret} in deploy/k8s")
            missing = {i["key"] for i in volume["secret"].get("items", [])} - secret_keys(secret)
            problems += [f"volume {volume['name']}: Secret {secret} has no key {k}" for k in sorted(missing)]
        if "configMap" in volume and volume["configMap"]["name"] not in configmaps:
            problems.append(f"volume {volume['name']}: no ConfigMap {volume['configMap']['name']} in deploy/k8s")
    for container in pod["containers"]:
        for env in container.get("env", []):
            ref = (env.get("valueFrom") or {}).get("secretKeyRef")
            if ref and ref["key"] not in secret_keys(ref["name"]):
                problems.append(f"{container['name']}: env {env['name']} needs key {ref['key']} of Secret {ref['name']}")
    check(f"{kind} {name}: Secret and ConfigMap references resolve", problems)

for name, obj in sorted(deployments.items()):
    problems = []
    for container in obj["spec"]["template"]["spec"]["containers"]:
        env = {e["name"]: e.get("value") for e in container.get("env", [])}
        if env.get("OTPPOOL_ADMIN_HOST") != "0.0.0.0":
            problems.append(f"{container['name']}: OTPPOOL_ADMIN_HOST must be 0.0.0.0 for probes and scraping")
        ports = {p.get("name"): p["containerPort"] for p in container.get("ports", [])}
        if ports.get("admin") != 9464:
            problems.append(f"{container['name']}: needs containerPort 9464 named admin")
        for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
            get = (container.get(probe) or {}).get("httpGet") or {}
            if get.get("path") != path or get.get("port") != "admin":
                problems.append(f"{container['name']}: {probe} must GET {path} on port admin")
        context = container.get("securityContext") or {}
        if context.get("readOnlyRootFilesystem") is not True:
            problems.append(f"{container['name']}: readOnlyRootFilesystem must be true")
    if (obj["spec"]["template"]["spec"].get("securityContext") or {}).get("runAsNonRoot") is not True:
        problems.append("pod securityContext.runAsNonRoot must be true")
    check(f"Deployment {name}: admin port, probes, bind address, non-root", problems)

pod_labels = {n: o["spec"]["template"]["metadata"]["labels"] for n, o in deployments.items()}
for kind, selector_of in (("Service", lambda o: o["spec"].get("selector")),
                          ("PodDisruptionBudget", lambda o: o["spec"]["selector"].get("matchLabels"))):
    for name, obj in sorted(by_kind.get(kind, {}).items()):
        matched = sorted(n for n, labels in pod_labels.items() if labels_match(selector_of(obj), labels))
        check(f"{kind} {name} selects Deployment pods ({', '.join(matched) or 'none'})",
              [] if matched else ["its selector matches no Deployment's pod labels"])

# The ConfigMap's otppool.yaml names the catalogue and rules files: they must be files of the same ConfigMap
# (it is mounted at /etc/otppool), and every supplier of that catalogue must find its API key in the worker's
# environment, or the worker fails at start-up.
worker_env = env_of(deployments["otppool-worker"]) if "otppool-worker" in deployments else {}
for name, files_of in sorted(embedded.items()):
    settings = files_of.get("otppool.yaml")
    if not isinstance(settings, dict):
        continue
    problems = []
    paths = {"catalogue": settings.get("catalogue"), "escalation.rules": (settings.get("escalation") or {}).get("rules")}
    for key, value in paths.items():
        if value and Path(value).name not in configmaps[name]["data"]:
            problems.append(f"{key} names {value}, but the ConfigMap has no {Path(value).name}")
    catalogue = files_of.get(Path(paths["catalogue"]).name) if paths["catalogue"] else None
    if isinstance(catalogue, dict):
        for supplier in catalogue.get("suppliers", []):
            variable = supplier.get("api_key_env") or \
                "OTPPOOL_SUPPLIER_" + re.sub(r"[^A-Za-z0-9]", "_", supplier["name"]).upper() + "_API_KEY"
            if "api_key" not in supplier and variable not in worker_env and variable + "_FILE" not in worker_env:
                problems.append(f"supplier {supplier['name']}: the worker Deployment sets neither {variable} nor {variable}_FILE")
        names = {s["name"] for s in catalogue.get("suppliers", [])}
        for pool in catalogue.get("pools", []):
            problems += [f"pool {pool['name']}: unknown supplier {s}" for s in pool.get("suppliers", []) if s not in names]
    check(f"ConfigMap {name}: catalogue and rules files present, every supplier's API key set, pools known", problems)

# The KEDA ScaledObject: right target, group and topic, and no more workers than partitions. The group and
# topic prefix are the ConfigMap's when it sets them, else the defaults.
pool_settings = next((f["otppool.yaml"] for f in embedded.values() if isinstance(f.get("otppool.yaml"), dict)), {})
group = (pool_settings.get("worker") or {}).get("group", "otppool-activation")
requests_topic = (pool_settings.get("kafka") or {}).get("topic_prefix", "otp.activation") + ".requests"
for name, scaled in sorted(by_kind.get("ScaledObject", {}).items()):
    spec = scaled["spec"]
    target = spec["scaleTargetRef"]["name"]
    problems = [] if target in deployments else [f"scaleTargetRef names no Deployment ({target})"]
    partitions = int(scaled["metadata"].get("annotations", {}).get("otppool.io/request-topic-partitions", 0))
    low, high = spec.get("minReplicaCount", 0), spec.get("maxReplicaCount", 100)
    if not partitions:
        problems.append("annotation otppool.io/request-topic-partitions is missing")
    elif high > partitions:
        problems.append(f"maxReplicaCount {high} > {partitions} partitions: the extra workers would sit idle")
    if low > high:
        problems.append(f"minReplicaCount {low} > maxReplicaCount {high}")
    brokers = env_of(deployments[target]).get("OTPPOOL_KAFKA_BROKERS") if target in deployments else None
    # Both groups a worker consumes in must drive it: requests and commands, and the follow-up tiers.
    wanted_groups = {group, f"{group}.followups"}
    seen_groups = set()
    for trigger in spec.get("triggers", []):
        if trigger.get("type") != "kafka":
            continue
        meta = trigger["metadata"]
        seen_groups.add(meta.get("consumerGroup"))
        if meta.get("consumerGroup") not in wanted_groups:
            problems.append(f"consumerGroup {meta.get('consumerGroup')} is none of the workers' groups {sorted(wanted_groups)}")
        if meta.get("consumerGroup") == group and meta.get("topic") not in (None, requests_topic):
            problems.append(f"topic {meta.get('topic')} is neither {requests_topic} nor unset (all of the group's topics)")
        if meta.get("consumerGroup") == f"{group}.followups" and "topic" in meta:
            problems.append("the follow-up trigger names one topic; leave `topic` unset so every tier counts")
        if brokers and meta.get("bootstrapServers") != brokers:
            problems.append(f"bootstrapServers {meta.get('bootstrapServers')} differ from the workers' OTPPOOL_KAFKA_BROKERS")
    problems += [f"no kafka trigger for consumer group {g}" for g in sorted(wanted_groups - seen_groups)]
    check(f"ScaledObject {name}: target, both consumer groups, brokers, replicas {low}..{high} ≤ {partitions} partitions", problems)

# ── Compose: the depends_on graph ─────────────────────────────────────────────────────────────────────────
compose_path = deploy / "compose.yaml"
compose = (documents.get(compose_path) or [None])[0]
if isinstance(compose, dict):
    services = compose.get("services", {})
    problems = []
    for name, service in services.items():
        depends = service.get("depends_on") or {}
        for other, condition in (depends.items() if isinstance(depends, dict) else [(d, {}) for d in depends]):
            wanted = (condition or {}).get("condition", "service_started")
            if other not in services:
                problems.append(f"{name} depends on unknown service {other}")
            elif wanted == "service_healthy" and "healthcheck" not in services[other]:
                problems.append(f"{name} waits for {other} to be healthy, but {other} has no healthcheck")
            elif wanted == "service_completed_successfully" and services[other].get("restart", "no") != "no":
                problems.append(f"{name} waits for {other} to complete, but {other} restarts")
        if "image" not in service and "build" not in service:
            problems.append(f"{name} has neither image nor build")
    check(f"compose.yaml: depends_on graph of {len(services)} services", problems)

# ── Grafana dashboard ─────────────────────────────────────────────────────────────────────────────────────
# Every metric name the processes export, read from the sources (counters end in _total; histograms are used
# through _bucket): a panel may plot any of them.
exported = set()
for source in (repo / "Sources").rglob("*.swift"):
    exported |= set(re.findall(r'label: "(otppool_[a-z_]+)"', source.read_text(encoding="utf-8")))
# The ones the dashboard must show.
METRICS = {
    "otppool_requests_consumed_total", "otppool_activations", "otppool_events_published_total",
    "otppool_supplier_calls_total", "otppool_supplier_call_duration_seconds", "otppool_followup_lateness_seconds",
    "otppool_in_flight", "otppool_admission_held", "otppool_consumer_lag", "otppool_dlq_total", "otppool_postgres_pool_connections",
    "otppool_escalation_events_total", "otppool_escalations_recorded_total", "otppool_escalation_skipped_total",
    "otppool_request_wait_seconds", "otppool_admission_wait_seconds",
}
HISTOGRAMS = {
    "otppool_supplier_call_duration_seconds", "otppool_followup_lateness_seconds", "otppool_request_wait_seconds",
    "otppool_admission_wait_seconds",
}
for path, dashboard in sorted(parsed_json.items()):
    if not path.is_relative_to(deploy / "grafana"):
        continue
    problems = []
    if dashboard.get("schemaVersion") != 39:
        problems.append(f"schemaVersion {dashboard.get('schemaVersion')}, expected 39")
    if "DS_PROMETHEUS" not in {i.get("name") for i in dashboard.get("__inputs", [])}:
        problems.append("no DS_PROMETHEUS datasource input")
    panels = [p for p in dashboard.get("panels", [])]
    panels += [inner for p in panels for inner in p.get("panels", [])]
    ids = [p.get("id") for p in panels]
    if len(ids) != len(set(ids)):
        problems.append("duplicate panel ids")
    used = set()
    for panel in panels:
        if panel.get("type") == "row":
            continue
        if (panel.get("datasource") or {}).get("uid") != "${DS_PROMETHEUS}":
            problems.append(f"panel '{panel.get('title')}' does not use ${{DS_PROMETHEUS}}")
        for target in panel.get("targets", []):
            for metric in re.findall(r"\botppool_[a-z_]+", target.get("expr", "")):
                base = metric
                for suffix in ("_bucket", "_sum", "_count"):
                    if metric.endswith(suffix) and metric.removesuffix(suffix) in HISTOGRAMS:
                        base = metric.removesuffix(suffix)
                if base not in exported:
                    problems.append(f"panel '{panel.get('title')}' uses unknown metric {metric}")
                elif base in HISTOGRAMS and metric == base:
                    problems.append(f"panel '{panel.get('title')}' uses histogram {metric} without _bucket/_sum/_count")
                used.add(base)
    problems += [f"no panel shows {m}" for m in sorted(METRICS - used)]
    check(f"dashboard {rel(path)}: {len(panels)} panels, datasource input, known metric names", problems)

# ── Prometheus alerting rules ─────────────────────────────────────────────────────────────────────────────
# Every metric an alert uses must be one the processes export (`exported`, read from the sources above).
for path in sorted((deploy / "prometheus").glob("*.yaml")):
    problems = []
    rules = [r for g in ((documents.get(path) or [{}])[0] or {}).get("groups", []) for r in g.get("rules", [])]
    if not rules:
        problems.append("no groups with rules")
    for rule in rules:
        name = rule.get("alert") or rule.get("record")
        if not name or not rule.get("expr"):
            problems.append(f"a rule without alert/record name or expr: {rule}")
            continue
        if "alert" in rule:
            if (rule.get("labels") or {}).get("severity") not in ("warning", "critical"):
                problems.append(f"{name}: severity must be warning or critical")
            if not (rule.get("annotations") or {}).get("summary") or not (rule.get("annotations") or {}).get("runbook"):
                problems.append(f"{name}: needs summary and runbook annotations")
        for metric in set(re.findall(r"\botppool_[a-z_]+", rule["expr"])):
            base = re.sub(r"_(bucket|sum|count)$", "", metric)
            if metric not in exported and base not in exported:
                problems.append(f"{name} uses {metric}, which no process exports")
    check(f"alert rules {rel(path)}: {len(rules)} rules, severities, runbooks, exported metric names", problems)

print(counts["ok"], counts["FAIL"], counts["skip"], file=os.fdopen(3, "w"))
PY
)" || { echo "FAIL  the Python checks stopped with an error (traceback above)"; exit 1; }
read -r passed failed skipped <<<"$counts"

# ── docker compose ────────────────────────────────────────────────────────────────────────────────────────
if docker compose version >/dev/null 2>&1; then
    if output="$(docker compose -f "$repo/deploy/compose.yaml" config -q 2>&1)"; then
        echo "ok    docker compose config -q deploy/compose.yaml"
        passed=$((passed + 1))
    else
        echo "FAIL  docker compose config -q deploy/compose.yaml: $(echo "$output" | tr '\n' ' ')"
        failed=$((failed + 1))
    fi
else
    echo "skip  docker compose config: \`docker compose\` is not available on this machine (deploy/compose.yaml was parsed and cross-checked above only)"
    skipped=$((skipped + 1))
fi

# ── promtool ──────────────────────────────────────────────────────────────────────────────────────────────
if command -v promtool >/dev/null 2>&1; then
    for rules in "$repo"/deploy/prometheus/*.yaml; do
        if output="$(promtool check rules "$rules" 2>&1)"; then
            echo "ok    promtool check rules ${rules#"$repo"/}"
            passed=$((passed + 1))
        else
            echo "FAIL  promtool check rules ${rules#"$repo"/}: $(echo "$output" | tr '\n' ' ')"
            failed=$((failed + 1))
        fi
    done
else
    echo "skip  promtool check rules: promtool is not installed (apt-get install prometheus); the rules were parsed and cross-checked above only"
    skipped=$((skipped + 1))
fi

echo "check-deploy: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
