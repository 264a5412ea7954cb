"""Azure Monitor managed service for Prometheus: the recording rules Azure's own onboarding installs and the
recommended alert rules this platform sends to its action group, each with its source.

Recording rules: the `NodeRecordingRulesRuleGroup-<cluster>` and `KubernetesRecordingRulesRuleGroup-<cluster>`
groups of Azure's onboarding template, rule for rule: Azure/prometheus-collector
AddonBicepTemplate/FullAzureMonitorMetricsProfile.bicep at commit fecaefdafc99bc6ec4e514d5dcc318d87a121620
(the template Learn "Enable Prometheus metrics for AKS" points to; MIT licence). Its UX and Windows groups are
not reproduced: the UX group feeds the portal's own views, the Windows groups need Windows nodes' exporter.

Alert rules: Learn "Recommended alert rules for Kubernetes clusters" (Prometheus community alert rules,
https://learn.microsoft.com/azure/azure-monitor/containers/kubernetes-metric-alerts), whose expressions,
`for` durations and severities are those of Azure/prometheus-collector AddonBicepTemplate/
recommendedMetricAlerts.bicep at commit 4cee2ef5105576640bf3f995ebd3ea32458a522e; where a rule is not in that
set its own source is named beside it. A rule's threshold, where it has one, is a setting
(`aks-platform:alerts.rules.<name>.threshold`), rendered into the expression as `{value}` (the setting
itself) or `{ratio}` (a percentage setting divided by 100, where Azure's expression compares a ratio).
"""
from __future__ import annotations

from dataclasses import dataclass, field

# The stream Managed Prometheus sends and its data collection rule routes to an Azure Monitor workspace.
# Source: the onboarding template above (dataFlows.streams, dataSources.prometheusForwarder.streams).
PROMETHEUS_STREAM = "Microsoft-PrometheusMetrics"
# How often a rule group is evaluated: "between 1 and 15 minutes" (PrometheusRuleGroup.interval, REST spec
# Microsoft.AlertsManagement 2023-03-01); Azure's own groups use PT1M.
RULE_GROUP_INTERVAL = "PT1M"
# An alert rule's severity: "Must be between 0 and 4" (PrometheusRule.severity, same spec); 0 is the most severe.
ALERT_SEVERITY_LIMITS = (0, 4)
# Azure's recommended rules resolve themselves 10 minutes after the condition clears (resolveConfiguration
# in recommendedMetricAlerts.bicep).
TIME_TO_RESOLVE = "PT10M"


@dataclass(frozen=True)
class RecordingRule:
    record: str
    expression: str
    labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Threshold:
    """A rule's configurable threshold: its default (sourced beside the rule), the range the settings accept
    (inclusive) and its unit, as the stack file states it."""

    default: float
    low: float
    high: float
    unit: str


PERCENT = "percent"
COUNT = "count"


@dataclass(frozen=True)
class AlertRule:
    name: str
    # PromQL; `{value}`/`{ratio}` stand for the threshold (see the module docstring).
    expression: str
    for_: str
    severity: int
    description: str
    threshold: Threshold | None = None

    def render(self, threshold: float | None) -> str:
        """The expression with the threshold filled in (the default when `threshold` is None)."""
        if self.threshold is None:
            return self.expression
        value = self.threshold.default if threshold is None else threshold
        return self.expression.replace("{value}", f"{value:g}").replace("{ratio}", f"{value / 100:g}")


# Percentages: 1-100 (a usage above 100 % never happens, 0 would fire always).
def _percent(default: float) -> Threshold:
    return Threshold(default, 1, 100, PERCENT)


# Counts: 0 (any) up to a ceiling of our choosing, only there to catch a typo such as 1000 for 10.
def _count(default: int) -> Threshold:
    return Threshold(default, 0, 100, COUNT)


# Rule groups as Azure's recommended set arranges them: cluster, node and pod level.
ALERT_GROUPS: dict[str, tuple[AlertRule, ...]] = {
    "Cluster-level": (
        AlertRule(
            "KubeContainerOOMKilledCount",
            'sum by (cluster,container,controller,namespace)(kube_pod_container_status_last_terminated_reason'
            '{reason="OOMKilled"} * on(cluster,namespace,pod) group_left(controller) label_replace(kube_pod_owner, '
            '"controller", "$1", "owner_name", "(.*)")) > {value}',
            "PT5M", 4, "Containers of {{ $labels.controller }} in {{ $labels.namespace }} were killed for running "
            "out of memory (OOMKilled).", _count(0)),
    ),
    "Node-level": (
        # Not in Azure's Prometheus set: Learn's platform metric alert "Node cpu percentage is greater than 95%"
        # (threshold 95, 5 minutes), written on Azure's recording rule instance:node_cpu_utilisation:rate5m.
        AlertRule("NodeCPUUsageHigh", 'instance:node_cpu_utilisation:rate5m{job="node"} > {ratio}', "PT5M", 3,
                  "Node {{ $labels.instance }} in {{ $labels.cluster }} uses more CPU than the threshold.",
                  _percent(95)),
        # Not in Azure's Prometheus set: Learn's platform metric alert "Node memory working set percentage"
        # (its description says 95 %; its threshold column 100, on a working-set measure that can exceed the
        # node's allocatable memory), written on Azure's recording rule instance:node_memory_utilisation:ratio,
        # which cannot pass 100 %: 95 is taken.
        AlertRule("NodeMemoryUsageHigh", 'instance:node_memory_utilisation:ratio{job="node"} > {ratio}', "PT5M", 3,
                  "Node {{ $labels.instance }} in {{ $labels.cluster }} uses more memory than the threshold.",
                  _percent(95)),
        AlertRule("KubeNodeDiskUsageHigh",
                  '100 - ((node_filesystem_avail_bytes{mountpoint="/"} / node_filesystem_size_bytes{mountpoint="/"})'
                  ' * 100) > {value}', "PT15M", 3,
                  "The OS disk of node {{ $labels.instance }} in {{ $labels.cluster }} is fuller than the threshold "
                  "(disk pressure evicts pods).", _percent(80)),
        # Not in Azure's Prometheus set: the kubernetes-mixin's KubeNodeNotReady (Azure/prometheus-collector
        # mixins/kubernetes/alerts/kubelet.libsonnet at the same commit), 15 minutes, warning.
        AlertRule("KubeNodeNotReady",
                  'kube_node_status_condition{job="kube-state-metrics",condition="Ready",status="true"} == 0',
                  "PT15M", 3, "Node {{ $labels.node }} in {{ $labels.cluster }} has been NotReady for 15 minutes."),
        AlertRule("KubeNodeUnreachable",
                  '(kube_node_spec_taint{job="kube-state-metrics",key="node.kubernetes.io/unreachable",'
                  'effect="NoSchedule"} unless ignoring(key,value) kube_node_spec_taint{job="kube-state-metrics",'
                  'key=~"ToBeDeletedByClusterAutoscaler|cloud.google.com/impending-node-termination|'
                  'aws-node-termination-handler/spot-itn"}) == 1',
                  "PT15M", 3, "Node {{ $labels.node }} in {{ $labels.cluster }} is unreachable; its workloads may "
                  "be rescheduled."),
        AlertRule("KubeNodeReadinessFlapping",
                  'sum(changes(kube_node_status_condition{status="true",condition="Ready"}[15m])) by (cluster, node)'
                  ' > {value}', "PT15M", 3,
                  "The readiness of node {{ $labels.node }} in {{ $labels.cluster }} changed more often than the "
                  "threshold in 15 minutes.", _count(2)),
    ),
    "Pod-level": (
        AlertRule("KubePodCrashLooping",
                  'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", '
                  'job="kube-state-metrics"}[5m]) >= 1', "PT15M", 4,
                  "Pod {{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is in CrashLoopBackOff."),
        AlertRule("KubePodContainerRestart",
                  'sum by (namespace, controller, container, cluster)(increase(kube_pod_container_status_restarts_total'
                  '{job="kube-state-metrics"}[1h])* on(namespace, pod, cluster) group_left(controller) '
                  'label_replace(kube_pod_owner, "controller", "$1", "owner_name", "(.*)")) > {value}',
                  "PT15M", 4, "Containers of {{ $labels.controller }} in {{ $labels.namespace }} restarted more "
                  "often than the threshold in the last hour.", _count(0)),
        AlertRule("KubePVUsageHigh",
                  'avg by (namespace, controller, container, cluster)(((kubelet_volume_stats_used_bytes{job="kubelet"}'
                  ' / on(namespace,cluster,pod,container) group_left kubelet_volume_stats_capacity_bytes{job="kubelet"})'
                  ' * on(namespace, pod, cluster) group_left(controller) label_replace(kube_pod_owner, "controller", '
                  '"$1", "owner_name", "(.*)"))) > {ratio}', "PT15M", 3,
                  "A persistent volume of {{ $labels.controller }} in {{ $labels.namespace }} is fuller than the "
                  "threshold.", _percent(80)),
        AlertRule("KubeJobFailed", 'kube_job_failed{job="kube-state-metrics"}  > 0', "PT15M", 3,
                  "Job {{ $labels.namespace }}/{{ $labels.job_name }} failed."),
    ),
}
ALERT_RULES: dict[str, AlertRule] = {rule.name: rule for rules in ALERT_GROUPS.values() for rule in rules}

# --- Recording rules (see the module docstring) ------------------------------------------------------------
NODE_RECORDING_RULES: tuple[RecordingRule, ...] = (
    RecordingRule('instance:node_num_cpu:sum',
                  'count without (cpu, mode) (  node_cpu_seconds_total{job="node",mode="idle"})'),
    RecordingRule('instance:node_cpu_utilisation:rate5m',
                  '1 - avg without (cpu) (  sum without (mode) (rate(node_cpu_seconds_total{job="node", mode=~"idle|iowait|steal"}[5m])))'),
    RecordingRule('instance:node_load1_per_cpu:ratio',
                  '(  node_load1{job="node"}/  instance:node_num_cpu:sum{job="node"})'),
    RecordingRule('instance:node_memory_utilisation:ratio',
                  '1 - (  (    node_memory_MemAvailable_bytes{job="node"}    or    (      node_memory_Buffers_bytes{job="node"}      +      node_memory_Cached_bytes{job="node"}      +      node_memory_MemFree_bytes{job="node"}      +      node_memory_Slab_bytes{job="node"}    )  )/  node_memory_MemTotal_bytes{job="node"})'),
    RecordingRule('instance:node_vmstat_pgmajfault:rate5m',
                  'rate(node_vmstat_pgmajfault{job="node"}[5m])'),
    RecordingRule('instance_device:node_disk_io_time_seconds:rate5m',
                  'rate(node_disk_io_time_seconds_total{job="node", device!=""}[5m])'),
    RecordingRule('instance_device:node_disk_io_time_weighted_seconds:rate5m',
                  'rate(node_disk_io_time_weighted_seconds_total{job="node", device!=""}[5m])'),
    RecordingRule('instance:node_network_receive_bytes_excluding_lo:rate5m',
                  'sum without (device) (  rate(node_network_receive_bytes_total{job="node", device!="lo"}[5m]))'),
    RecordingRule('instance:node_network_transmit_bytes_excluding_lo:rate5m',
                  'sum without (device) (  rate(node_network_transmit_bytes_total{job="node", device!="lo"}[5m]))'),
    RecordingRule('instance:node_network_receive_drop_excluding_lo:rate5m',
                  'sum without (device) (  rate(node_network_receive_drop_total{job="node", device!="lo"}[5m]))'),
    RecordingRule('instance:node_network_transmit_drop_excluding_lo:rate5m',
                  'sum without (device) (  rate(node_network_transmit_drop_total{job="node", device!="lo"}[5m]))'),
)

KUBERNETES_RECORDING_RULES: tuple[RecordingRule, ...] = (
    RecordingRule('node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate',
                  'sum by (cluster, namespace, pod, container) (  irate(container_cpu_usage_seconds_total{job="cadvisor", image!=""}[5m])) * on (cluster, namespace, pod) group_left(node) topk by (cluster, namespace, pod) (  1, max by(cluster, namespace, pod, node) (kube_pod_info{node!=""}))'),
    RecordingRule('node_namespace_pod_container:container_memory_working_set_bytes',
                  'container_memory_working_set_bytes{job="cadvisor", image!=""}* on (namespace, pod) group_left(node) topk by(namespace, pod) (1,  max by(namespace, pod, node) (kube_pod_info{node!=""}))'),
    RecordingRule('node_namespace_pod_container:container_memory_rss',
                  'container_memory_rss{job="cadvisor", image!=""}* on (namespace, pod) group_left(node) topk by(namespace, pod) (1,  max by(namespace, pod, node) (kube_pod_info{node!=""}))'),
    RecordingRule('node_namespace_pod_container:container_memory_cache',
                  'container_memory_cache{job="cadvisor", image!=""}* on (namespace, pod) group_left(node) topk by(namespace, pod) (1,  max by(namespace, pod, node) (kube_pod_info{node!=""}))'),
    RecordingRule('node_namespace_pod_container:container_memory_swap',
                  'container_memory_swap{job="cadvisor", image!=""}* on (namespace, pod) group_left(node) topk by(namespace, pod) (1,  max by(namespace, pod, node) (kube_pod_info{node!=""}))'),
    RecordingRule('cluster:namespace:pod_memory:active:kube_pod_container_resource_requests',
                  'kube_pod_container_resource_requests{resource="memory",job="kube-state-metrics"}  * on (namespace, pod, cluster)group_left() max by (namespace, pod, cluster) (  (kube_pod_status_phase{phase=~"Pending|Running"} == 1))'),
    RecordingRule('namespace_memory:kube_pod_container_resource_requests:sum',
                  'sum by (namespace, cluster) (    sum by (namespace, pod, cluster) (        max by (namespace, pod, container, cluster) (          kube_pod_container_resource_requests{resource="memory",job="kube-state-metrics"}        ) * on(namespace, pod, cluster) group_left() max by (namespace, pod, cluster) (          kube_pod_status_phase{phase=~"Pending|Running"} == 1        )    ))'),
    RecordingRule('cluster:namespace:pod_cpu:active:kube_pod_container_resource_requests',
                  'kube_pod_container_resource_requests{resource="cpu",job="kube-state-metrics"}  * on (namespace, pod, cluster)group_left() max by (namespace, pod, cluster) (  (kube_pod_status_phase{phase=~"Pending|Running"} == 1))'),
    RecordingRule('namespace_cpu:kube_pod_container_resource_requests:sum',
                  'sum by (namespace, cluster) (    sum by (namespace, pod, cluster) (        max by (namespace, pod, container, cluster) (          kube_pod_container_resource_requests{resource="cpu",job="kube-state-metrics"}        ) * on(namespace, pod, cluster) group_left() max by (namespace, pod, cluster) (          kube_pod_status_phase{phase=~"Pending|Running"} == 1        )    ))'),
    RecordingRule('cluster:namespace:pod_memory:active:kube_pod_container_resource_limits',
                  'kube_pod_container_resource_limits{resource="memory",job="kube-state-metrics"}  * on (namespace, pod, cluster)group_left() max by (namespace, pod, cluster) (  (kube_pod_status_phase{phase=~"Pending|Running"} == 1))'),
    RecordingRule('namespace_memory:kube_pod_container_resource_limits:sum',
                  'sum by (namespace, cluster) (    sum by (namespace, pod, cluster) (        max by (namespace, pod, container, cluster) (          kube_pod_container_resource_limits{resource="memory",job="kube-state-metrics"}        ) * on(namespace, pod, cluster) group_left() max by (namespace, pod, cluster) (          kube_pod_status_phase{phase=~"Pending|Running"} == 1        )    ))'),
    RecordingRule('cluster:namespace:pod_cpu:active:kube_pod_container_resource_limits',
                  'kube_pod_container_resource_limits{resource="cpu",job="kube-state-metrics"}  * on (namespace, pod, cluster)group_left() max by (namespace, pod, cluster) ( (kube_pod_status_phase{phase=~"Pending|Running"} == 1) )'),
    RecordingRule('namespace_cpu:kube_pod_container_resource_limits:sum',
                  'sum by (namespace, cluster) (    sum by (namespace, pod, cluster) (        max by (namespace, pod, container, cluster) (          kube_pod_container_resource_limits{resource="cpu",job="kube-state-metrics"}        ) * on(namespace, pod, cluster) group_left() max by (namespace, pod, cluster) (          kube_pod_status_phase{phase=~"Pending|Running"} == 1        )    ))'),
    RecordingRule('namespace_workload_pod:kube_pod_owner:relabel',
                  'max by (cluster, namespace, workload, pod) (  label_replace(    label_replace(      kube_pod_owner{job="kube-state-metrics", owner_kind="ReplicaSet"},      "replicaset", "$1", "owner_name", "(.*)"    ) * on(replicaset, namespace) group_left(owner_name) topk by(replicaset, namespace) (      1, max by (replicaset, namespace, owner_name) (        kube_replicaset_owner{job="kube-state-metrics"}      )    ),    "workload", "$1", "owner_name", "(.*)"  ))',
                  labels={'workload_type': 'deployment'}),
    RecordingRule('namespace_workload_pod:kube_pod_owner:relabel',
                  'max by (cluster, namespace, workload, pod) (  label_replace(    kube_pod_owner{job="kube-state-metrics", owner_kind="DaemonSet"},    "workload", "$1", "owner_name", "(.*)"  ))',
                  labels={'workload_type': 'daemonset'}),
    RecordingRule('namespace_workload_pod:kube_pod_owner:relabel',
                  'max by (cluster, namespace, workload, pod) (  label_replace(    kube_pod_owner{job="kube-state-metrics", owner_kind="StatefulSet"},    "workload", "$1", "owner_name", "(.*)"  ))',
                  labels={'workload_type': 'statefulset'}),
    RecordingRule('namespace_workload_pod:kube_pod_owner:relabel',
                  'max by (cluster, namespace, workload, pod) (  label_replace(    kube_pod_owner{job="kube-state-metrics", owner_kind="Job"},    "workload", "$1", "owner_name", "(.*)"  ))',
                  labels={'workload_type': 'job'}),
    RecordingRule(':node_memory_MemAvailable_bytes:sum',
                  'sum(  node_memory_MemAvailable_bytes{job="node"} or  (    node_memory_Buffers_bytes{job="node"} +    node_memory_Cached_bytes{job="node"} +    node_memory_MemFree_bytes{job="node"} +    node_memory_Slab_bytes{job="node"}  )) by (cluster)'),
    RecordingRule('cluster:node_cpu:ratio_rate5m',
                  'sum(rate(node_cpu_seconds_total{job="node",mode!="idle",mode!="iowait",mode!="steal"}[5m])) by (cluster) /count(sum(node_cpu_seconds_total{job="node"}) by (cluster, instance, cpu)) by (cluster)'),
)
