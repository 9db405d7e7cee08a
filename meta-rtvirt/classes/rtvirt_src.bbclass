# rtvirt_src: build sources of the rtvirt repository, never copies of them.
#
# A recipe names the repository paths it needs in RTVIRT_SRC_PATHS and the directory it builds
# in RTVIRT_SUBDIR. Two ways to get them, chosen at parse time:
#  - local (default): RTVIRT_SRC_DIR is a checkout of the repository (layer.conf points it at
#    the repository that contains this layer); each path becomes a file:// entry, so bitbake
#    checksums the files and rebuilds when they change.
#  - git: when RTVIRT_SRC_DIR holds no checkout, RTVIRT_GIT_URI (a bitbake git URL without
#    branch) and RTVIRT_SRCREV (a full commit id) fetch one pinned revision.

RTVIRT_SRC_DIR ??= ""
RTVIRT_GIT_URI ??= ""
RTVIRT_GIT_BRANCH ??= "main"
RTVIRT_SRCREV ??= ""
RTVIRT_SRC_PATHS ??= "LICENSE ${RTVIRT_SUBDIR}"

FILESEXTRAPATHS:prepend := "${RTVIRT_SRC_DIR}:"

RTVIRT_SRC_URI = "${@rtvirt_src_uri(d)}"
# The top of the unpacked repository, whichever way it came. License files are named from here
# (LIC_FILES_CHKSUM = "file://${RTVIRT_SRC_TOP}/LICENSE;md5=..."), so they do not depend on
# how deep RTVIRT_SUBDIR (and S) lies.
RTVIRT_SRC_TOP = "${@'${UNPACKDIR}' if rtvirt_src_is_local(d) else '${UNPACKDIR}/${BB_GIT_DEFAULT_DESTSUFFIX}'}"
RTVIRT_S = "${RTVIRT_SRC_TOP}/${RTVIRT_SUBDIR}"

def rtvirt_src_is_local(d):
    import os
    src_dir = d.getVar('RTVIRT_SRC_DIR')
    return bool(src_dir) and os.path.isdir(os.path.join(src_dir, 'agent'))

def rtvirt_src_uri(d):
    if rtvirt_src_is_local(d):
        return ' '.join('file://' + path for path in d.getVar('RTVIRT_SRC_PATHS').split())
    return '${RTVIRT_GIT_URI};branch=${RTVIRT_GIT_BRANCH}'

python __anonymous() {
    import re
    if rtvirt_src_is_local(d):
        return
    if not d.getVar('RTVIRT_GIT_URI'):
        bb.fatal('RTVIRT_SRC_DIR (%s) is not an rtvirt checkout (no agent/ in it) and '
                 'RTVIRT_GIT_URI is empty: set one of them (docs/yocto.md)'
                 % d.getVar('RTVIRT_SRC_DIR'))
    if not re.fullmatch('[0-9a-f]{40}', d.getVar('RTVIRT_SRCREV') or ''):
        bb.fatal('RTVIRT_SRCREV must be the full commit id to build when RTVIRT_GIT_URI is '
                 'used, not "%s"' % d.getVar('RTVIRT_SRCREV'))
    d.setVar('SRCREV', d.getVar('RTVIRT_SRCREV'))
}
