/* SPDX-License-Identifier: MIT */
/*
 * rtvirt - bare-metal measurement inmate on CPU 3 of QEMU arm64 virt
 * (rtvirt-arm64-baremetal.h).
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

#include "rtvirt-qemu-arm64.h"
#include "rtvirt-arm64-baremetal.h"
