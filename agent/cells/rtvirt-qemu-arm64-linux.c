/* SPDX-License-Identifier: MIT */
/*
 * rtvirt - PREEMPT_RT Linux inmate on CPU 2 of QEMU arm64 virt
 * (rtvirt-arm64-linux.h), device tree rtvirt-qemu-arm64-linux.dts.
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

#include "rtvirt-qemu-arm64.h"
#include "rtvirt-arm64-linux.h"
