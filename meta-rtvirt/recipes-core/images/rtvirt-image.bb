SUMMARY = "rtvirt target image: PREEMPT_RT kernel, isolated CPUs, rtvirt agent and core"
DESCRIPTION = "Headless image qualified by the rtvirt host tool through the agent on RTVIRT_AGENT_TTY."

SECTION = "images"

require rtvirt-image.inc
