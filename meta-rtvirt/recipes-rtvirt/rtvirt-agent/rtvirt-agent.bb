SUMMARY = "rtvirt agent: answers the rtvirt host over a serial line, stdio or ivshmem"
SUMMARY:${PN}-cell-init = "rtvirt Jailhouse Linux inmate init: the agent on the cell's UART and link"
DESCRIPTION = "Runs rtvirt-measure, stress-ng loads and blocksys for the rtvirt host; keeps the results."
SECTION = "console/tools"
LICENSE = "MIT"
LIC_FILES_CHKSUM = "file://${RTVIRT_SRC_TOP}/LICENSE;md5=2a2178665e16555ebd132d6a1c385aec"

RTVIRT_SUBDIR = "agent"
RTVIRT_SRC_PATHS = "\
    LICENSE \
    agent/pyproject.toml \
    agent/rtvirt_agent \
    agent/systemd/rtvirt-agent@.service \
    agent/cell/rtvirt-cell-init \
"

inherit rtvirt_src rtvirt_config python_setuptools_build_meta systemd features_check

REQUIRED_DISTRO_FEATURES = "systemd"

SRC_URI = "${RTVIRT_SRC_URI}"
S = "${RTVIRT_S}"

SYSTEMD_SERVICE:${PN} = "rtvirt-agent@${RTVIRT_AGENT_TTY}.service"
# RTVIRT_AGENT_MODE = "console": nothing starts at boot; the host logs in on the console and
# runs rtvirt-agent --stdio --idle-exit S, which exits when the host is done or gone.
SYSTEMD_AUTO_ENABLE:${PN} = "${@'enable' if d.getVar('RTVIRT_AGENT_MODE') == 'serial' else 'disable'}"

do_install:append() {
    install -D -m 0644 ${S}/systemd/rtvirt-agent@.service \
        ${D}${systemd_system_unitdir}/rtvirt-agent@.service
    # The agent owns its tty: no login prompt may answer there (unless it shares the console).
    install -d ${D}${sysconfdir}/systemd/system
    if [ "${RTVIRT_AGENT_MODE}" = serial ]; then
        ln -sf /dev/null ${D}${sysconfdir}/systemd/system/serial-getty@${RTVIRT_AGENT_TTY}.service
    fi
    install -D -m 0755 ${S}/cell/rtvirt-cell-init ${D}/init
}

python rtvirt_write_agent_toml() {
    import os
    from rtvirt_layer.agentconf import agent_toml
    confdir = d.expand('${D}${sysconfdir}/rtvirt')
    os.makedirs(confdir, exist_ok=True)
    with open(os.path.join(confdir, 'agent.toml'), 'w') as config:
        config.write(agent_toml(d.getVar('RTVIRT_BLOCKSYS_ENABLE') == '1'))
}
rtvirt_write_agent_toml[doc] = "Writes /etc/rtvirt/agent.toml from RTVIRT_BLOCKSYS_ENABLE"
do_install[postfuncs] += "rtvirt_write_agent_toml"

# ${PN}-cell-init: /init of the Jailhouse Linux inmate's initramfs (rtvirt-image-inmate), a
# busybox script that starts the agent on the cell's UART and on its ivshmem link.
PACKAGES =+ "${PN}-cell-init"

CONFFILES:${PN} = "${sysconfdir}/rtvirt/agent.toml"
FILES:${PN}-cell-init += "/init"
FILES:${PN} += "${systemd_system_unitdir} ${sysconfdir}/systemd/system"

RDEPENDS:${PN}-cell-init = "${PN} busybox"

# The packages of the standard-library modules the agent imports (oe-core's python3 manifest:
# concurrent.futures is in asyncio, hashlib in crypt, secrets in netclient, queue in threading,
# termios in io, tty in terminal; tests/yocto checks the list against the agent's imports), its
# two dependencies, and the programs it runs. The inmate's initramfs has nothing more.
RDEPENDS:${PN} = "\
    python3-asyncio \
    python3-construct \
    python3-core \
    python3-crypt \
    python3-io \
    python3-json \
    python3-logging \
    python3-mmap \
    python3-netclient \
    python3-pyserial \
    python3-terminal \
    python3-threading \
    python3-tomllib \
    rtvirt-measure \
    stress-ng \
"
