"""Benchmark of the pure matching engine on a seeded synthetic market.

    python bench/bench_engine.py --workers 1000000 --vacancies 100000 --seed 1 --corr typical

Prints the work (pairs after blocking, and without), time per stage, pairs/s per
core and in total, JIT time apart, peak RSS, the plain reference scorer on a sample
with the ratio, the incremental path and the assignment step; the last line is the
same as JSON. Threads: numba's prange over ranges of equal work (NUMBA_NUM_THREADS,
default all cores).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching import assignment, engine  # noqa: E402
from matching.engine import kernels  # noqa: E402
from matching.engine.synthetic import generate  # noqa: E402
from matching.reference import score_pair  # noqa: E402

N_LANGS = engine.N_LANGS
N_REGIONS = engine.N_REGIONS


def cold_jit_seconds() -> float:
    """Compile every kernel from scratch in a child process with an empty numba cache."""
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        code = (
            "import time; t = time.perf_counter();"
            "from matching.engine import warm_up; warm_up();"
            "from matching import assignment; import numpy as np;"
            "p = np.zeros((1, 1), np.int32); s = np.ones((1, 1), np.float32);"
            "assignment.deferred_acceptance(p, s, np.ones(1)); assignment.greedy(p, s, np.ones(1));"
            "print(time.perf_counter() - t)"
        )
        out = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
            [sys.executable, "-c", code],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return float(out.stdout.strip().splitlines()[-1])


def median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return float(np.median(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--vacancies", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corr", choices=["typical", "worst"], default="typical")
    parser.add_argument("--k-vacancy", type=int, default=50)
    parser.add_argument("--k-worker", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3, help="full runs; the median is kept")
    parser.add_argument("--sample", type=int, default=20_000, help="pairs for the reference")
    parser.add_argument("--no-cold-jit", action="store_true", help="skip the cold compile")
    args = parser.parse_args()
    import numba

    threads = numba.get_num_threads()
    report: dict = {
        "engine_version": engine.ENGINE_VERSION,
        "workers": args.workers,
        "vacancies": args.vacancies,
        "seed": args.seed,
        "corr": args.corr,
        "k_vacancy": args.k_vacancy,
        "k_worker": args.k_worker,
        "threads": threads,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numba": numba.__version__,
        "machine": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
    }

    def say(label, value):
        print(f"{label:<44} {value}", flush=True)

    say("threads (numba prange)", f"{threads} of {os.cpu_count()} cores")
    if not args.no_cold_jit:
        report["jit_cold_s"] = cold_jit_seconds()
        say("JIT, cold compile of all kernels", f"{report['jit_cold_s']:.1f} s")
    started = time.perf_counter()
    engine.warm_up()
    p = np.zeros((1, 1), np.int32)
    assignment.deferred_acceptance(p, np.ones((1, 1), np.float32), np.ones(1))
    assignment.greedy(p, np.ones((1, 1), np.float32), np.ones(1))
    report["jit_warm_s"] = time.perf_counter() - started
    say("JIT, warm-up from numba's cache", f"{report['jit_warm_s']:.2f} s")

    started = time.perf_counter()
    workers, vacancies, positions = generate(args.workers, args.vacancies, args.seed, args.corr)
    report["generate_s"] = time.perf_counter() - started
    say("generate", f"{report['generate_s']:.2f} s")

    started = time.perf_counter()
    index = engine.build_index(workers, vacancies)
    report["block_s"] = time.perf_counter() - started
    say("validate + sort/block", f"{report['block_s']:.2f} s ({index.n_entries:,} worker entries)")
    report["pairs_unblocked"] = len(workers) * len(vacancies)
    report["pairs_unblocked_eligible"] = int(workers.ok.sum()) * int(vacancies.ok.sum())
    report["pairs_blocked"] = index.pairs()
    say(
        "pairs without blocking (all / eligible)",
        f"{report['pairs_unblocked']:.3e} / {report['pairs_unblocked_eligible']:.3e}",
    )
    say("pairs after blocking (ISCO minor group)", f"{report['pairs_blocked']:.3e}")

    runs = []
    for _ in range(args.repeat):
        result = engine.top_k(
            workers,
            vacancies,
            k_per_vacancy=args.k_vacancy,
            k_per_worker=args.k_worker,
            index=index,
        )
        runs.append(result.timings)
    timing = {key: float(np.median([run[key] for run in runs])) for key in runs[0]}
    pairs = result.pairs_scored
    both = timing["score_pairs"] + timing["merge_vacancies"] + timing["merge_workers"]
    report["score_pairs_s"] = timing["score_pairs"]
    report["merge_s"] = timing["merge_vacancies"] + timing["merge_workers"]
    report["score_both_sides_s"] = both
    report["pairs_per_s"] = pairs / both
    say(
        f"score each pair once, top-{args.k_vacancy} per vacancy and top-{args.k_worker} per worker",
        f"{timing['score_pairs']:.2f} s, then merging the lists {report['merge_s']:.2f} s",
    )
    say(
        "both sides, scoring + top-K (median of runs)",
        f"{both:.2f} s over {args.repeat} run(s); {pairs / both / 1e6:.0f} M pairs/s, "
        f"{pairs / both / threads / 1e6:.0f} per core",
    )

    # Reference scorer on a sample of blocked, eligible pairs, plus agreement.
    rng = np.random.default_rng(args.seed + 1)
    E, V = index.E, index.V
    positions_v = rng.integers(0, V[kernels.V_INDEX].shape[0], args.sample * 2)
    g = V[kernels.V_MINOR][positions_v]
    size = index.e_hi[g] - index.e_lo[g]
    keep = size > 0
    entries = index.e_lo[g[keep]] + (rng.random(keep.sum()) * size[keep]).astype(np.int64)
    sample = list(
        zip(E[kernels.E_WORKER][entries], V[kernels.V_INDEX][positions_v[keep]], strict=True)
    )
    sample = sample[: args.sample]
    started = time.perf_counter()
    for i, j in sample:
        score_pair(workers, vacancies, int(i), int(j))
    ref_s = time.perf_counter() - started
    ref_rate = len(sample) / ref_s
    kernel_rate_core = report["pairs_per_s"] / threads
    report["reference_pairs_per_s"] = ref_rate
    report["reference_ratio_per_core"] = kernel_rate_core / ref_rate
    report["reference_full_run_extrapolated_s"] = pairs / ref_rate
    say(
        f"reference scorer, {len(sample):,} pairs",
        f"{ref_rate / 1e3:.1f} k pairs/s; kernel is {kernel_rate_core / ref_rate:,.0f}x per core; "
        f"all pairs would take {pairs / ref_rate / 3600:.1f} h",
    )
    worst = 0.0
    rows = rng.integers(0, len(vacancies), 400)
    for j in rows:
        for i, s in zip(result.vacancy_idx[j][:5], result.vacancy_scores[j][:5], strict=True):
            if i >= 0:
                worst = max(worst, abs(score_pair(workers, vacancies, int(i), int(j)).total - s))
    report["max_abs_diff_vs_reference"] = float(worst)
    say("max |engine - reference| on returned pairs", f"{worst:.2e}")

    # Incremental: the vacancy with the largest worker block, and a busy worker.
    work = index.e_hi[V[kernels.V_MINOR]] - index.e_lo[V[kernels.V_MINOR]]
    p_big = int(np.argmax(work))
    j_big = int(V[kernels.V_INDEX][p_big])
    t_vac = median_seconds(
        lambda: engine.score_one_vacancy(workers, vacancies, j_big, k=args.k_vacancy, index=index),
        200,
    )
    t_vac_scan = median_seconds(
        lambda: engine.score_one_vacancy(workers, vacancies, j_big, k=args.k_vacancy), 5
    )
    v_work = (index.v_hi - index.v_lo)[E[kernels.E_MINOR]]
    i_big = int(E[kernels.E_WORKER][int(np.argmax(v_work))])
    t_wrk = median_seconds(
        lambda: engine.score_one_worker(workers, vacancies, i_big, k=args.k_worker, index=index),
        200,
    )
    report.update(
        incremental_vacancy_block=int(work[p_big]),
        incremental_vacancy_ms=t_vac * 1e3,
        incremental_vacancy_without_index_ms=t_vac_scan * 1e3,
        incremental_worker_vacancies=int(v_work.max()),
        incremental_worker_ms=t_wrk * 1e3,
    )
    say(
        f"one vacancy vs its block of {work[p_big]:,} workers",
        f"{t_vac * 1e3:.2f} ms with the index ({t_vac_scan * 1e3:.1f} ms scanning the arrays)",
    )
    say(f"one worker vs {v_work.max():,} vacancies in its blocks", f"{t_wrk * 1e3:.3f} ms")

    # Assignment on the per-worker top-K graph, capacities = open positions.
    edges = int((result.worker_idx >= 0).sum())
    report["assignment_edges"] = edges
    report["positions"] = int(positions[vacancies.ok].sum())
    capacity = np.where(vacancies.ok, positions, 0)
    say("assignment graph", f"{edges:,} edges, {report['positions']:,} positions")
    for name, fn in (
        ("deferred_acceptance", assignment.deferred_acceptance),
        ("greedy", assignment.greedy),
    ):
        started = time.perf_counter()
        assigned = fn(result.worker_idx, result.worker_scores, capacity)
        seconds = time.perf_counter() - started
        matched = assigned >= 0
        rank = np.argmax(result.worker_idx == assigned[:, None], axis=1)
        total = float(result.worker_scores[np.flatnonzero(matched), rank[matched]].sum())
        report[f"{name}_s"] = seconds
        report[f"{name}_matched"] = int(matched.sum())
        report[f"{name}_score_sum"] = total
        say(f"{name}", f"{seconds:.2f} s, {matched.sum():,} matched, score sum {total:,.0f}")

    report["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    say("peak RSS", f"{report['peak_rss_mib']:.0f} MiB")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
