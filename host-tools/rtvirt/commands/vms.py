"""``rtvirt vms list``: the KVM guests the target's agent relays to (docs/kvm.md).

The host's agent reads /etc/rtvirt/vms.toml: each VM's name, its state (from its QEMU's pid
file and QMP), its agent's channel and its vCPU threads (where they run, how they are
scheduled: what libvirt's vcpupin and vcpusched made of them). ``rtvirt measure --vm NAME``
measures inside one.
"""

import json

from rtvirt_agent.wire.vms import checked_vms

from rtvirt import session

NAME = "vms"
HELP = "KVM guests on the target: which run, and which rtvirt measure --vm can reach"


def setup_parser(parser):
    sub = parser.add_subparsers(dest="vms_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="the VMs the target's agent knows, with their state",
                             description="The VMs named in the target's /etc/rtvirt/vms.toml "
                                         "as its agent sees them: name, state, agent channel.")
    listing.add_argument("--json", action="store_true", help="print the VMs as JSON")


def vcpu_text(vcpus):
    """"0→2 fifo 1, 1→3 fifo 1": each vCPU, the CPUs it may run on, its scheduling."""
    return ", ".join(f"{v['vcpu']}→{v['cpus']} {v['policy']} {v['priority']}"
                     for v in vcpus) or "-"


def run(args):
    with session.target(args) as (client, _hello):
        vms = checked_vms(client.call("vms"))
    if args.json:
        print(json.dumps(vms, indent=2))
        return 0
    print(f"{'name':<20} {'state':<10} {'vCPU→CPU, scheduling':<28} agent")
    for vm in vms:
        print(f"{vm['name']:<20} {vm['state']:<10} {vcpu_text(vm['vcpus']):<28} {vm['agent']}")
    return 0
