/* SPDX-License-Identifier: MIT */
/*
 * rtvirt - PREEMPT_RT Linux inmate on CPU 2 of the i.MX8MP EVK
 * (rtvirt-arm64-linux.h), device tree rtvirt-imx8mp-linux.dts.
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

#include "rtvirt-imx8mp.h"
#include "rtvirt-arm64-linux.h"
