# rtvirt: PREEMPT_RT fragment and CPU isolation for the i.MX kernel (NXP BSP), only with the
# rtvirt distro feature.
require ${@bb.utils.contains('DISTRO_FEATURES', 'rtvirt', 'recipes-kernel/linux/linux-rtvirt.inc', '', d)}
