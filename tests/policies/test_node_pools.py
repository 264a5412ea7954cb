"""The node pool policies (policies/node_pools.py), on the second inline pool (not only the first) and on
the standalone AgentPool, rule by rule (the checks are in resource_cases.py)."""
from __future__ import annotations

from .helpers import DELETE
from .resource_cases import checks_for

CASES = [
    ("aks-pool-ephemeral-os-disk", "aks", {"agentPoolProfiles.1.osDiskType": "Managed"},
     "pool 'batch' agentPoolProfiles[1].osDiskType is 'Managed'", None),
    ("aks-pool-ephemeral-os-disk", "apps", {"osDiskType": DELETE}, "osDiskType is absent", None),
    ("aks-pool-encryption-at-host", "aks", {"agentPoolProfiles.1.enableEncryptionAtHost": False},
     "pool 'batch' agentPoolProfiles[1].enableEncryptionAtHost is false", None),
    ("aks-pool-encryption-at-host", "apps", {"enableEncryptionAtHost": DELETE}, "enableEncryptionAtHost is absent", None),
    ("aks-pool-no-public-ip", "aks", {"agentPoolProfiles.1.enableNodePublicIP": True},
     "pool 'batch' agentPoolProfiles[1].enableNodePublicIP is true", None),
    ("aks-pool-no-public-ip", "apps", {"enableNodePublicIP": True}, "enableNodePublicIP is true", None),
    ("aks-pool-ssh-disabled", "aks", {"agentPoolProfiles.1.securityProfile": DELETE},
     "pool 'batch' agentPoolProfiles[1].securityProfile.sshAccess is absent (Azure then uses 'LocalUser')", None),
    ("aks-pool-ssh-disabled", "apps", {"securityProfile.sshAccess": "LocalUser"},
     "securityProfile.sshAccess is 'LocalUser'", None),
    ("aks-pool-min-max-pods", "aks", {"agentPoolProfiles.1.maxPods": 30.0},
     "pool 'batch' agentPoolProfiles[1].maxPods is 30; want at least 50", None),
    ("aks-pool-min-max-pods", "apps", {"maxPods": 110.0}, "maxPods is 110; want at least 120", {"minimum": 120}),
    ("aks-pool-vm-scale-sets", "aks", {"agentPoolProfiles.1.type": "AvailabilitySet"},
     "pool 'batch' agentPoolProfiles[1].type is 'AvailabilitySet'", None),
    ("aks-pool-vm-scale-sets", "apps", {"type": "AvailabilitySet"}, "type is 'AvailabilitySet'", None),
    ("aks-pool-zones", "aks", {"agentPoolProfiles.1.availabilityZones": ["1"]},
     "pool 'batch' agentPoolProfiles[1].availabilityZones is ['1']; want at least 3 zones", None),
    ("aks-pool-zones", "apps", {"availabilityZones": DELETE}, "availabilityZones is absent", None),
    ("aks-system-pool-tainted", "aks", {"agentPoolProfiles.0.nodeTaints": DELETE},
     "pool 'system' agentPoolProfiles[0].nodeTaints is absent on a System pool", None),
    ("aks-system-pool-tainted", "apps", {"mode": "System", "nodeTaints": ["CriticalAddonsOnly=true:PreferNoSchedule"]},
     "nodeTaints is ['CriticalAddonsOnly=true:PreferNoSchedule'] on a System pool", None),
]
test_known_good_resources_pass, test_flipped_property_is_reported, test_unknown_value_does_not_crash_or_report = \
    checks_for(CASES)
