# rtvirt_config: the user-facing rtvirt settings, their defaults and their checks.
#
# Every rtvirt recipe that depends on a setting inherits this class, so a wrong value stops
# bitbake while it parses, with a message naming the variable, instead of on the board.
#
#   RTVIRT_MACHINE_CPUS     number of CPUs of the machine (used to check the lists below)
#   RTVIRT_ISOLATED_CPUS    CPUs reserved for real-time work, kernel CPU list ("" = none)
#   RTVIRT_AGENT_TTY        tty the rtvirt agent serves (name under /dev, e.g. ttymxc2)
#   RTVIRT_AGENT_MODE       "serial": the agent owns RTVIRT_AGENT_TTY (started at boot, no getty
#                           there); "console": the board's one UART keeps its getty, the host's
#                           console: target logs in and starts the agent on demand
#   RTVIRT_BLOCKSYS_ENABLE  "1": install blocksys and allow the agent's BLOCKSYS op
#   RTVIRT_JAILHOUSE_MACHINES  machines that have rtvirt Jailhouse cells

RTVIRT_MACHINE_CPUS ??= "4"

RTVIRT_ISOLATED_CPUS ??= "2-3"

# Defaults per machine live in *_DEFAULT, so that a plain assignment in local.conf wins.
RTVIRT_AGENT_TTY_DEFAULT = "ttyS1"
RTVIRT_AGENT_TTY_DEFAULT:imx8mp-lpddr4-evk = "ttymxc2"
# With Jailhouse, UART1 of qemuarm64 belongs to the Linux inmate: the agent shares the console.
RTVIRT_AGENT_TTY_DEFAULT:qemuarm64 = "${@bb.utils.contains('DISTRO_FEATURES', 'jailhouse', 'ttyAMA0', 'ttyAMA1', d)}"
RTVIRT_AGENT_TTY ??= "${RTVIRT_AGENT_TTY_DEFAULT}"

RTVIRT_AGENT_MODE ??= "serial"

RTVIRT_BLOCKSYS_ENABLE ??= "0"

RTVIRT_JAILHOUSE_MACHINES ??= "imx8mp-lpddr4-evk qemuarm64 genericx86-64 qemux86-64"

RTVIRT_ISOLATION_ARGS = "${@rtvirt_isolation_args(d)}"

def rtvirt_isolation_args(d):
    from rtvirt_layer.cpulist import CpuListError, isolation_args, parse_cpu_count
    try:
        cpu_count = parse_cpu_count(d.getVar('RTVIRT_MACHINE_CPUS'))
    except CpuListError as error:
        bb.fatal('RTVIRT_MACHINE_CPUS: %s' % error)
    try:
        return isolation_args(d.getVar('RTVIRT_ISOLATED_CPUS'), cpu_count)
    except CpuListError as error:
        bb.fatal('RTVIRT_ISOLATED_CPUS = "%s": %s (MACHINE %s, RTVIRT_MACHINE_CPUS = %d)'
                 % (d.getVar('RTVIRT_ISOLATED_CPUS'), error, d.getVar('MACHINE'), cpu_count))

def rtvirt_check_agent_tty(d):
    import re
    tty = d.getVar('RTVIRT_AGENT_TTY')
    if not re.fullmatch(r'tty[A-Za-z0-9_.]+', tty or ''):
        bb.fatal('RTVIRT_AGENT_TTY = "%s": give the tty name without /dev/, e.g. ttyS1 '
                 'or ttymxc2' % (tty or ''))

def rtvirt_check_jailhouse(d):
    if not bb.utils.contains('DISTRO_FEATURES', 'jailhouse', True, False, d):
        return
    machine = d.getVar('MACHINE')
    if machine not in d.getVar('RTVIRT_JAILHOUSE_MACHINES').split():
        bb.fatal('DISTRO_FEATURES has "jailhouse" but MACHINE %s has no rtvirt Jailhouse '
                 'cells (RTVIRT_JAILHOUSE_MACHINES = "%s"): remove the feature with '
                 'DISTRO_FEATURES:remove = "jailhouse"'
                 % (machine, d.getVar('RTVIRT_JAILHOUSE_MACHINES')))

def rtvirt_check_agent_mode(d):
    if d.getVar('RTVIRT_AGENT_MODE') not in ('serial', 'console'):
        bb.fatal('RTVIRT_AGENT_MODE = "%s": use "serial" (the agent owns RTVIRT_AGENT_TTY) or '
                 '"console" (started on demand on the console\'s login shell)'
                 % d.getVar('RTVIRT_AGENT_MODE'))

def rtvirt_check_blocksys(d):
    if d.getVar('RTVIRT_BLOCKSYS_ENABLE') not in ('0', '1'):
        bb.fatal('RTVIRT_BLOCKSYS_ENABLE = "%s": use "1" or "0"'
                 % d.getVar('RTVIRT_BLOCKSYS_ENABLE'))

python __anonymous() {
    rtvirt_isolation_args(d)
    rtvirt_check_agent_tty(d)
    rtvirt_check_agent_mode(d)
    rtvirt_check_jailhouse(d)
    rtvirt_check_blocksys(d)
}
