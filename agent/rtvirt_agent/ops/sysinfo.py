"""SYSINFO: the target's facts (rtvirt_agent.sysinfo.collect; docs/agent.md lists the keys)."""

from rtvirt_agent.sysinfo import collect

from .args import ArgReader


def handlers(agent):
    def sysinfo(args, ctx):
        ArgReader("sysinfo", args)
        return collect(agent.sysroot)

    return {"sysinfo": sysinfo}
