# rtvirt: PREEMPT_RT fragment, CPU isolation and genericx86-64 support; only with the rtvirt
# distro feature, so the layer changes nothing in builds that do not ask for it.
require ${@bb.utils.contains('DISTRO_FEATURES', 'rtvirt', 'linux-yocto-rt-rtvirt.inc', '', d)}
