#!/usr/bin/env python3
"""Writes a stream of alerts as JSON lines, shaped like what Prometheus pushes.

10,000 distinct alerts (realistic label sets: 60 alert names over 8 teams, 3 clusters, hosts,
jobs, namespaces), each re-sent the way Prometheus re-sends firing alerts, interleaved in rounds,
until the total count is reached. Deterministic for a given --seed.

usage: gen_alerts.py [--total 1000000] [--distinct 10000] [--seed 1] > alerts.jsonl
"""
import argparse
import json
import random
from datetime import datetime, timedelta, timezone

NAMES = [
    "HighCPU", "HighMemory", "DiskAlmostFull", "DiskWillFillIn4Hours", "HostDown",
    "TargetMissing", "HighLatencyP99", "HighErrorRate", "PodCrashLooping", "PodNotReady",
    "DeploymentReplicasMismatch", "JobFailed", "CertificateExpiringSoon", "NodeNotReady",
    "ReplicationLag", "TooManyConnections", "SlowQueries", "DeadlockDetected", "QueueBacklog",
    "ConsumerLagHigh", "BackupFailed", "NTPSkew", "OOMKilled", "ThrottlingHigh", "ApiServerDown",
    "EtcdNoLeader", "IngressErrors", "TLSHandshakeErrors", "DNSFailures", "PacketLoss",
    "NetworkSaturation", "RaidDegraded", "SmartFailure", "FanFailure", "PowerSupplyFailed",
    "TemperatureHigh", "SwapUsageHigh", "InodeExhaustion", "FileDescriptorsHigh",
    "ProcessRestarting", "CacheHitRateLow", "GCPauseLong", "ThreadPoolExhausted",
    "CircuitBreakerOpen", "RateLimited", "PaymentFailures", "CheckoutSlow", "LoginFailures",
    "SearchDegraded", "CDNErrors", "StorageLatency", "BucketQuota", "ClockDrift",
    "KafkaUnderReplicated", "ZookeeperDown", "RedisEvictions", "MemcachedMisses",
    "ElasticsearchRed", "PostgresDown", "MySQLDown",
]
TEAMS = ["web", "db", "payments", "platform", "search", "storage", "network", "identity"]
SEVERITIES = ["critical", "warning", "warning", "info"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--total", type=int, default=1_000_000)
    ap.add_argument("--distinct", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    alerts = []
    for i in range(args.distinct):
        name = NAMES[i % len(NAMES)]
        team = TEAMS[(i // len(NAMES)) % len(TEAMS)]
        host = f"{team}-{i % 97:02d}.{['eu-1', 'us-1', 'ap-1'][i % 3]}.example.com"
        labels = {
            "alertname": name,
            "cluster": ["eu-1", "us-1", "ap-1"][i % 3],
            "instance": f"{host}:9100",
            "job": f"{team}-exporter",
            "namespace": f"{team}-prod",
            "pod": f"{team}-{i:05d}",
            "severity": SEVERITIES[i % len(SEVERITIES)],
            "team": team,
            "monitor": "prometheus-1",
        }
        started = now - timedelta(seconds=rnd.randint(60, 86400))
        alerts.append({
            "annotations": {
                "summary": f"{name} on {host}",
                "description": f"{name} has been active on {host} (pod {labels['pod']}) "
                               f"for a while; value is {rnd.random() * 100:.1f}.",
                "runbook_url": f"https://runbooks.example.com/{name.lower()}",
            },
            "startsAt": started.isoformat().replace("+00:00", "Z"),
            "endsAt": (now + timedelta(hours=2)).isoformat().replace("+00:00", "Z"),
            "generatorURL": f"http://prometheus-1:9090/graph?g0.expr={name}&g0.tab=1",
            "labels": labels,
        })
    encoded = [json.dumps(a, separators=(",", ":")) for a in alerts]
    out = []
    written = 0
    while written < args.total:
        order = list(range(len(encoded)))
        rnd.shuffle(order)  # each resend round comes in a different order
        for i in order:
            if written == args.total:
                break
            out.append(encoded[i])
            written += 1
            if len(out) >= 10000:
                print("\n".join(out))
                out.clear()
    if out:
        print("\n".join(out))


if __name__ == "__main__":
    main()
