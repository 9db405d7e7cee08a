// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/blocksys: block CPUs on request, report what was blocked
 *
 * write("<N>[us|ms|cyc] [cpus=<list>|all]") blocks the listed CPUs (default: the writer's)
 * together with preemption and interrupts off and returns when they are released; read()
 * gives key=value statistics. The ABI is documented in docs/blocksys.md.
 */
#include <linux/capability.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/math64.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "blocksys.h"

static unsigned int max_us = 100000;
module_param(max_us, uint, 0644);
MODULE_PARM_DESC(max_us, "Longest block accepted, in microseconds (default 100000)");

/* Serializes blocks: a write finding it taken fails with -EBUSY. */
static DEFINE_MUTEX(blocksys_block_lock);

/* The statistics read() shows, updated after each successful block. */
static DEFINE_MUTEX(blocksys_stats_lock);
static struct blocksys_stats {
	u64 count;
	u64 last_requested_ns;
	u64 last_actual_ns;
	u64 last_rendezvous_ns;
	struct cpumask last_cpus;
} blocksys_stats;
static DEFINE_PER_CPU(u64, blocksys_last_cpu_actual_ns);

/* get_cycles() rate measured at load; 0 disables the cyc unit. */
static u64 blocksys_cycles_rate;

/* blocksys_requested_ns - the command's duration in ns, or -ERANGE above max_us */
static int blocksys_requested_ns(const struct blocksys_cmd *cmd, u64 *ns)
{
	u64 limit_ns = (u64)READ_ONCE(max_us) * NSEC_PER_USEC;

	switch (cmd->unit) {
	case BLOCKSYS_UNIT_US:
		if (cmd->amount > limit_ns / NSEC_PER_USEC)
			return -ERANGE;
		*ns = cmd->amount * NSEC_PER_USEC;
		return 0;
	case BLOCKSYS_UNIT_MS:
		if (cmd->amount > limit_ns / NSEC_PER_MSEC)
			return -ERANGE;
		*ns = cmd->amount * NSEC_PER_MSEC;
		return 0;
	case BLOCKSYS_UNIT_CYC:
		if (!blocksys_cycles_rate)
			return -EINVAL;
		if (cmd->amount > mul_u64_u64_div_u64(limit_ns, blocksys_cycles_rate,
						      NSEC_PER_MSEC))
			return -ERANGE;
		*ns = mul_u64_u64_div_u64(cmd->amount, NSEC_PER_MSEC, blocksys_cycles_rate);
		return 0;
	}
	return -EINVAL;
}

/* blocksys_record - make a finished block the one read() reports */
static void blocksys_record(const struct blocksys_request *request, u64 requested_ns,
			    const struct blocksys_outcome *outcome)
{
	unsigned int cpu;

	mutex_lock(&blocksys_stats_lock);
	blocksys_stats.count++;
	blocksys_stats.last_requested_ns = requested_ns;
	blocksys_stats.last_actual_ns = outcome->actual_max_ns;
	blocksys_stats.last_rendezvous_ns = outcome->rendezvous_ns;
	cpumask_copy(&blocksys_stats.last_cpus, request->cpus);
	for_each_cpu(cpu, request->cpus)
		per_cpu(blocksys_last_cpu_actual_ns, cpu) = blocksys_cpu_actual_ns(cpu);
	mutex_unlock(&blocksys_stats_lock);
}

/* blocksys_run - block the CPUs of a parsed command, if they are online and none is blocked */
static int blocksys_run(const struct blocksys_cmd *cmd, struct cpumask *cpus)
{
	struct blocksys_request request = {
		.cpus = cpus,
		.on_writer_cpu = cmd->cpus == BLOCKSYS_CPUS_WRITER,
		.unit = cmd->unit,
		.amount = cmd->amount,
	};
	struct blocksys_outcome outcome;
	u64 requested_ns;
	int err;

	err = blocksys_requested_ns(cmd, &requested_ns);
	if (err)
		return err;
	if (cmd->unit != BLOCKSYS_UNIT_CYC)
		request.amount = requested_ns;
	if (!mutex_trylock(&blocksys_block_lock))
		return -EBUSY;
	cpus_read_lock();
	if (cmd->cpus == BLOCKSYS_CPUS_ALL)
		cpumask_copy(cpus, cpu_online_mask);
	if (!cpumask_subset(cpus, cpu_online_mask)) {
		err = -EINVAL;
		goto out_unlock;
	}
	err = blocksys_block(&request, &outcome);
	if (!err)
		blocksys_record(&request, requested_ns, &outcome);
out_unlock:
	cpus_read_unlock();
	mutex_unlock(&blocksys_block_lock);
	return err;
}

static ssize_t blocksys_write(struct file *file, const char __user *buf,
			      size_t len, loff_t *ppos)
{
	char text[BLOCKSYS_CMD_MAX + 1];
	struct blocksys_cmd cmd;
	cpumask_var_t cpus;
	int err;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (!len || len > BLOCKSYS_CMD_MAX)
		return -EINVAL;
	if (copy_from_user(text, buf, len))
		return -EFAULT;
	text[len] = '\0';
	if (!zalloc_cpumask_var(&cpus, GFP_KERNEL))
		return -ENOMEM;
	err = blocksys_cmd_parse(text, &cmd, cpumask_bits(cpus), nr_cpu_ids);
	if (err)
		goto out_free;
	err = blocksys_run(&cmd, cpus);
out_free:
	free_cpumask_var(cpus);
	return err ? err : len;
}

static int blocksys_show(struct seq_file *m, void *unused)
{
	unsigned int cpu;

	mutex_lock(&blocksys_stats_lock);
	seq_printf(m, "count=%llu\n", blocksys_stats.count);
	seq_printf(m, "last_requested_ns=%llu\n", blocksys_stats.last_requested_ns);
	seq_printf(m, "last_actual_ns=%llu\n", blocksys_stats.last_actual_ns);
	seq_printf(m, "last_rendezvous_ns=%llu\n", blocksys_stats.last_rendezvous_ns);
	seq_printf(m, "last_cpus=%*pbl\n", cpumask_pr_args(&blocksys_stats.last_cpus));
	for_each_cpu(cpu, &blocksys_stats.last_cpus)
		seq_printf(m, "cpu%u_actual_ns=%llu\n", cpu,
			   per_cpu(blocksys_last_cpu_actual_ns, cpu));
	mutex_unlock(&blocksys_stats_lock);
	seq_printf(m, "max_us=%u\n", READ_ONCE(max_us));
	seq_printf(m, "cycles_per_ms=%llu\n", blocksys_cycles_rate);
	seq_printf(m, "preempt_rt=%d\n", IS_ENABLED(CONFIG_PREEMPT_RT));
	return 0;
}

static int blocksys_open(struct inode *inode, struct file *file)
{
	/* misc_open() left the miscdevice here; seq_file wants the field for itself. */
	file->private_data = NULL;
	return single_open(file, blocksys_show, NULL);
}

static const struct file_operations blocksys_fops = {
	.owner = THIS_MODULE,
	.open = blocksys_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = blocksys_write,
};

static struct miscdevice blocksys_device = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "blocksys",
	.fops = &blocksys_fops,
	.mode = 0600,
};

static int __init blocksys_init(void)
{
	blocksys_cycles_rate = blocksys_cycles_per_ms();
	return misc_register(&blocksys_device);
}

static void __exit blocksys_exit(void)
{
	misc_deregister(&blocksys_device);
}

module_init(blocksys_init);
module_exit(blocksys_exit);

MODULE_DESCRIPTION("Block CPUs with preemption and interrupts off, on request");
MODULE_LICENSE("GPL");
