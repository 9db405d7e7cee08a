/* SPDX-License-Identifier: MIT */
/*
 * rtvirt - bare-metal measurement inmate on CPU 3 of the i.MX8MP EVK
 * (rtvirt-arm64-baremetal.h).
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

#include "rtvirt-imx8mp.h"
#include "rtvirt-arm64-baremetal.h"
