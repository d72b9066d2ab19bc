"""The Markdown ratio table that bench/compare_runs.sh and bench/compare_builds.sh print.

rates maps (name, side) to the rates of that name's rounds in order, side "old" or "new"; each
row gives both medians, their ratio new/old and the per-round ratios.
"""
import statistics


def cpu_name():
    """The CPU's model name from /proc/cpuinfo, or "?"."""
    with open("/proc/cpuinfo") as cpuinfo:
        return next((line.split(":", 1)[1].strip() for line in cpuinfo
                     if line.startswith("model name")), "?")


def print_ratio_table(rates, first_column, digits):
    print(f"| {first_column} | old (median steps/s) | new (median steps/s) | new / old "
          "| per-round new / old |")
    print("|---|---|---|---|---|")
    for name in sorted({n for n, _ in rates}):
        old, new = rates[(name, "old")], rates[(name, "new")]
        per_round = ", ".join(f"{n / o:.2f}" for o, n in zip(old, new))
        ratio = statistics.median(new) / statistics.median(old)
        print(f"| {name} | {statistics.median(old):.{digits}f} | {statistics.median(new):.{digits}f} "
              f"| **{ratio:.2f}×** | {per_round} |")
