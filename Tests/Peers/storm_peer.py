#!/usr/bin/env python3
"""Run the Storm model checker (PyPI `stormpy`) on CTMCs whose steady state is known exactly.

Storm is measured side by side with Nines' Markov engine on the same machine. This script
writes a CTMC in Storm's PRISM dialect, lets Storm build it (sparse engine, explicit state
space) and check one steady-state query `S=? [ "label" ]`, and prints ONE JSON object on
stdout with the timings, the peak memory, Storm's value and its relative error against the
closed form.

    python3 Tests/Peers/storm_peer.py --case birth-death --states 1000
    python3 Tests/Peers/storm_peer.py --case pairs --pairs 10
    python3 Tests/Peers/storm_peer.py --case pairs --pairs 10 --lumped
    python3 Tests/Peers/storm_peer.py --case pairs --pairs 30 --symmetric
    python3 Tests/Peers/storm_peer.py --case birth-death --states 50 --defaults --timeout 60
    python3 Tests/Peers/storm_peer.py --case pairs --pairs 8 --storm-args="--eqsolver gmm++"
    python3 Tests/Peers/storm_peer.py --case explicit --chain chains/standby-cluster-db

Cases
  birth-death  N states 0..K (K = N-1), birth rate lambda (default 1), death rate mu (default
               2), rho = lambda/mu, start in 0. Query: long-run probability of the top state K
               (`--target top`, default) or of state 0 (`--target bottom`). Exact:
               pi_i = (1-rho) rho^i / (1-rho^(K+1)). With rho = 0.5, pi_K ~ 2^-N is below the
               smallest double once N > ~1075: the exact value is then also given as a log10.
  pairs        M independent redundant pairs in series; a pair is 2 identical units, each
               failing at 1e-4/h and repaired at 0.5/h (independent repairs, one crew per
               unit). Query: steady-state unavailability, "down" = some pair has both units
               failed. Exact: q = lambda/(lambda+mu), U = 1 - (1 - q^2)^M. Encodings:
                 default      every unit its own 2-state module      4^M = 2^(2M) states
                 --lumped     every pair a count 0..2 of failed units 3^M states
                 --symmetric  one module counting the pairs with one / two units failed
                              (lumping across pairs too)           (M+1)(M+2)/2 states
  explicit     a chain Nines wrote (`nines analyze --export-chain DIR`, or `nines bench --peers`)
               in Storm's explicit format: `--chain DIR/NAME` reads NAME.tra and NAME.lab, and
               DIR/index.json for the state count and the probability Nines found for the
               label (`--label`, default `down`). There is no closed form: "reference" is
               Nines' value and "relative_error" the relative difference from it.

Solver settings (reported in "settings"; `--profile`, default `fast`)
  Storm answers S=? on a CTMC through its long-run-average helper: one bottom SCC here (the
  whole chain), whose gain is the answer; by default it solves the gain-bias equations of that
  BSCC with a linear equation solver. Measured on this machine (stormpy 2.0.0):
  direct        gain-bias equations (`--lra:detmethod gb`) solved by Eigen's sparse LU
                (`--eqsolver eigen --eigen:method sparselu`): no iteration, no threshold,
                exact to rounding; the fastest on a birth-death chain (tridiagonal, no fill-in),
                hopeless on the pairs (the LU of a hypercube fills in: M=10 lumped, 59,049
                states, ran for minutes).
  gauss-seidel  gain-bias equations solved by Storm's native Gauss-Seidel with the LRA
                precision tightened to 1e-12 relative (`--eqsolver native --native:method
                gaussseidel --lra:precision 1e-12`): the fastest accurate choice on the pairs;
                slow on a long birth-death chain when the queried state is at the bottom (the
                bias grows along the chain: N=1e4 3 s, N=1e5 over 120 s).
  fast          `direct` for birth-death, `gauss-seidel` for pairs and explicit chains (Eigen's
                LU came out 2.5e-10 off on a 36-state chain of probability 1.4e-12, and slower
                on standby clusters): what a user who knows
                both Storm and the chain would pick (chosen here, not by Storm).
  stormpy-default  (`--defaults`) stormpy 2.x's own default, `stormpy.environments.default`:
                the *sound* environment, which makes Storm use value iteration for long-run
                averages (precision 1e-6 relative).
  storm-cli-default  the Storm command line's defaults: topological solver, gain-bias
                equations solved by gmm++ GMRES + ILU, precision 1e-6 relative. Its stopping
                test is a relative residual of a system whose unknowns are mostly O(1) bias
                values, so a small gain (a small probability) can come out far off.
  `--storm-args="..."` applies any Storm command-line settings on top of the Storm CLI
  defaults instead of a profile, e.g. --storm-args="--eqsolver gmm++ --lra:precision 1e-12"
  (with the `=`, since the value starts with dashes).

Measurement
  Storm runs in a forked child (so that a time-out, Storm's own exit on a fatal error, or the
  kernel's OOM killer still leaves this process to print the JSON object). The child limits
  its address space (`--max-memory-gb`, default 80% of physical memory) so that an allocation
  beyond it fails with MemoryError instead of swapping or being killed.
  build_seconds  parsing the PRISM text + the property, and building the sparse model
  check_seconds  model checking the steady-state property (only the initial state's value)
  peak_rss_mb    resource.getrusage(RUSAGE_SELF).ru_maxrss of the child after checking; it
                 includes the Python interpreter and the stormpy import, reported separately
                 as baseline_rss_mb (peak after import, before parsing)
  wall time with time.perf_counter. The state count is predicted from the case and the run is
  refused before building when it exceeds --max-states (default 2e7).

On failure (stormpy missing, out of memory, time-out, Storm error, too many states) the JSON
object has an "error" key and the exit status is 3. Storm's own log (which it prints on
stdout) is redirected to stderr, so stdout carries only the JSON object.

Needs `pip install stormpy` (binary wheel; tested with stormpy 2.0.0). Storm's PRISM parser
requires Markovian commands (`<> guard -> rate : update;`) in CTMCs; the classic PRISM form
`[] guard -> rate : update;` is only accepted in its PRISM-compatibility mode.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import resource
import sys
import tempfile
import time
import traceback
from typing import Any

PEER = "storm"

# Redundant-pair parameters (per hour), fixed by the benchmark definition.
PAIR_FAILURE_RATE = 1e-4
PAIR_REPAIR_RATE = 0.5

# Settings profiles: name -> (Storm command-line settings, human-readable description).
# None as settings means "do not touch Storm's settings, pass environment=None to stormpy".
PROFILES: dict[str, tuple[list[str] | None, str]] = {
    "direct": (
        ["--lra:detmethod", "gb", "--eqsolver", "eigen", "--eigen:method", "sparselu"],
        "sparse engine; long-run average of the BSCC by gain-bias equations "
        "(--lra:detmethod gb) solved directly by Eigen SparseLU "
        "(--eqsolver eigen --eigen:method sparselu)",
    ),
    "gauss-seidel": (
        ["--lra:detmethod", "gb", "--eqsolver", "native", "--native:method", "gaussseidel",
         "--lra:precision", "1e-12"],
        "sparse engine; long-run average of the BSCC by gain-bias equations "
        "(--lra:detmethod gb) solved by native Gauss-Seidel to 1e-12 relative "
        "(--eqsolver native --native:method gaussseidel --lra:precision 1e-12)",
    ),
    "stormpy-default": (
        None,
        "sparse engine; stormpy default environment (stormpy.environments.default = sound: "
        "forced soundness, LRA by value iteration, precision 1e-6 relative)",
    ),
    "storm-cli-default": (
        [],
        "sparse engine; Storm command-line defaults (topological solver; LRA by gain-bias "
        "equations solved with gmm++ GMRES + ILU; precision 1e-6 relative)",
    ),
}

# The `fast` profile: the quickest accurate settings measured for each case (see above).
FAST = {"birth-death": "direct", "pairs": "gauss-seidel", "explicit": "gauss-seidel"}


class PeerError(Exception):
    """A failure reported as {"error": ...} with exit status 3."""


# --------------------------------------------------------------------------------------------
# Cases: PRISM text, label, predicted state count and the exact value.
# --------------------------------------------------------------------------------------------

class Case:
    """One CTMC: its PRISM source (or explicit files), the label queried by S=? and the exact
    answer (for an explicit chain, Nines' value)."""

    def __init__(self, name: str, prism: str, label: str, states: int,
                 exact_ln: float, description: str,
                 explicit: tuple[str, str] | None = None) -> None:
        self.name = name
        self.prism = prism
        self.explicit = explicit        # (.tra, .lab) paths, instead of the PRISM text
        self.label = label
        self.states = states            # predicted number of reachable states
        self.exact_ln = exact_ln        # natural log of the exact steady-state probability
        self.description = description

    @property
    def exact(self) -> float:
        """The exact value as a double (0.0 when it underflows)."""
        return math.exp(self.exact_ln) if self.exact_ln > -745.2 else 0.0


def birth_death_case(states: int, birth: float, death: float, target: str) -> Case:
    """Birth-death CTMC on 0..K (K = states-1), birth `birth`, death `death`, from 0."""
    if states < 2:
        raise PeerError("birth-death needs --states >= 2")
    k = states - 1
    rho = birth / death
    # ln pi_K from pi_i = (1-rho) rho^i / (1-rho^(K+1)), written so that nothing overflows
    # or cancels: for rho > 1 divide numerator and denominator by rho^(K+1).
    if rho < 1:
        ln_top = math.log1p(-rho) + k * math.log(rho) - math.log1p(-math.exp((k + 1) * math.log(rho)))
    elif rho > 1:
        ln_top = math.log1p(-1 / rho) - math.log1p(-math.exp(-(k + 1) * math.log(rho)))
    else:
        ln_top = -math.log(states)
    exact_ln = ln_top if target == "top" else ln_top - k * math.log(rho)   # pi_0 = pi_K / rho^K
    guard = f"s={k}" if target == "top" else "s=0"
    prism = "\n".join([
        "// Birth-death CTMC (M/M/1/K-like), generated by Tests/Peers/storm_peer.py",
        "ctmc",
        f"const int K = {k};",
        f"const double lambda = {birth!r};",
        f"const double mu = {death!r};",
        "module bd",
        "  s : [0..K] init 0;",
        "  <> s<K -> lambda : (s'=s+1);",
        "  <> s>0 -> mu : (s'=s-1);",
        "endmodule",
        f'label "{target}" = {guard};',
        "",
    ])
    return Case("birth-death", prism, target, states, exact_ln,
                f"birth-death N={states} lambda={birth!r} mu={death!r} target={target}")


def explicit_case(stem: str, label: str) -> Case:
    """A chain in Storm's explicit format, written by Nines with its index.json beside it."""
    directory, name = os.path.split(stem)
    index_path = os.path.join(directory, "index.json")
    try:
        with open(index_path, encoding="utf-8") as handle:
            index = json.load(handle)
    except (OSError, ValueError) as error:
        raise PeerError(f"cannot read {index_path}: {error}") from error
    for chain in index.get("chains", []):
        if chain.get("transitions_file") == name + ".tra":
            break
    else:
        raise PeerError(f"{index_path} lists no chain {name}.tra")
    reference = next((entry["probability"] for entry in chain["labels"] if entry["name"] == label), None)
    if reference is None:
        raise PeerError(f"chain {name} has no label {label!r}")
    if reference <= 0:
        raise PeerError(f"chain {name}: Nines found {label!r} of probability 0; nothing to compare")
    return Case("explicit", "", label, int(chain["states"]), math.log(reference),
                f"{chain['name']} ({index.get('model', '?')}), label {label}",
                explicit=(stem + ".tra", stem + ".lab"))


def pairs_case(pairs: int, lumped: bool, symmetric: bool) -> Case:
    """M redundant pairs in series; unavailability = P(some pair has both units failed)."""
    if pairs < 1:
        raise PeerError("pairs needs --pairs >= 1")
    lam, mu = PAIR_FAILURE_RATE, PAIR_REPAIR_RATE
    q = lam / (lam + mu)                                   # one unit's unavailability
    exact_ln = math.log(-math.expm1(pairs * math.log1p(-q * q)))   # 1 - (1 - q^2)^M
    lines = ["// Redundant pairs in series, generated by Tests/Peers/storm_peer.py", "ctmc",
             f"const double lambda = {lam!r};", f"const double mu = {mu!r};"]
    if symmetric:
        # One module: k1 pairs with one unit failed, k2 pairs with both failed, M-k1-k2 intact.
        encoding, states = "symmetric", (pairs + 1) * (pairs + 2) // 2
        lines += [f"const int M = {pairs};",
                  "module pairs",
                  "  k1 : [0..M] init 0;",
                  "  k2 : [0..M] init 0;",
                  "  <> k1+k2<M -> 2*lambda*(M-k1-k2) : (k1'=k1+1);",
                  "  <> k1>0 -> lambda*k1 : (k1'=k1-1) & (k2'=k2+1);",
                  "  <> k1>0 -> mu*k1 : (k1'=k1-1);",
                  "  <> k2>0 -> 2*mu*k2 : (k2'=k2-1) & (k1'=k1+1);",
                  "endmodule",
                  'label "down" = k2>0;']
    elif lumped:
        # Pair i is a count n_i of failed units (0..2); each failed unit has its own repair.
        encoding, states = "lumped", 3 ** pairs
        for i in range(1, pairs + 1):
            lines += [f"module pair{i}",
                      f"  n{i} : [0..2] init 0;",
                      f"  <> n{i}<2 -> (2-n{i})*lambda : (n{i}'=n{i}+1);",
                      f"  <> n{i}>0 -> n{i}*mu : (n{i}'=n{i}-1);",
                      "endmodule"]
        lines.append('label "down" = ' + " | ".join(f"n{i}=2" for i in range(1, pairs + 1)) + ";")
    else:
        # Every unit (pair i, unit a or b) is its own 2-state module: f=1 means failed.
        encoding, states = "unlumped", 4 ** pairs
        for i in range(1, pairs + 1):
            for unit in "ab":
                v = f"f{i}{unit}"
                lines += [f"module unit{i}{unit}",
                          f"  {v} : [0..1] init 0;",
                          f"  <> {v}=0 -> lambda : ({v}'=1);",
                          f"  <> {v}=1 -> mu : ({v}'=0);",
                          "endmodule"]
        lines.append('label "down" = '
                     + " | ".join(f"(f{i}a=1 & f{i}b=1)" for i in range(1, pairs + 1)) + ";")
    lines.append("")
    return Case("pairs", "\n".join(lines), "down", states, exact_ln,
                f"pairs M={pairs} {encoding}")


# --------------------------------------------------------------------------------------------
# The child: import stormpy, build, check, measure. Runs in a forked process.
# --------------------------------------------------------------------------------------------

def rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def relative_error(value: float, exact_ln: float) -> float:
    """|value - exact| / exact, also when the exact value underflows a double."""
    exact = math.exp(exact_ln) if exact_ln > -708 else 0.0   # normal doubles only
    if exact > 0:
        return abs(value - exact) / exact
    if value > 0:
        return abs(math.expm1(math.log(value) - exact_ln))
    return 1.0   # value <= 0 while the true value is positive


def run_storm(case: Case, storm_args: list[str] | None, settings: str,
              max_memory_gb: float, verbose: bool) -> dict[str, Any]:
    """Build and check `case` with Storm; returns the report (raises on failure)."""
    # Storm logs on stdout; keep our stdout for the JSON object only.
    sys.stdout.flush()
    os.dup2(2, 1)
    if max_memory_gb > 0:
        limit = int(max_memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        import stormpy
        import stormpy.developer
        import stormpy.info
    except ImportError as error:
        raise PeerError(f"stormpy is not importable ({error}); pip install stormpy") from error
    baseline = rss_mb()
    if verbose:   # Storm's INFO log names the solver and method actually used
        stormpy.developer.set_log_level(stormpy.developer.LogLevel.INFO)

    if storm_args is None:
        environment = None          # stormpy chooses: stormpy.environments.default(model)
    else:
        # Settings are process-global in Storm; an environment built afterwards reads them.
        stormpy.developer.set_from_exploded_string(storm_args)
        environment = stormpy.developer.EnvironmentBuilder.build_environment()

    with tempfile.TemporaryDirectory(prefix="storm-peer-") as directory:
        path = os.path.join(directory, "model.prism")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(case.prism)

        start = time.perf_counter()
        if case.explicit is not None:
            model = stormpy.build_model_from_explicit(*case.explicit)
            properties = stormpy.parse_properties(f'S=? [ "{case.label}" ]')
        else:
            program = stormpy.parse_prism_program(path)
            properties = stormpy.parse_properties(f'S=? [ "{case.label}" ]', program)
            model = stormpy.build_model(program, properties)
        built = time.perf_counter()
    build_rss = rss_mb()

    result = stormpy.model_checking(model, properties[0], only_initial_states=True,
                                    environment=environment)
    checked = time.perf_counter()

    initial = list(model.initial_states)
    if len(initial) != 1:
        raise PeerError(f"expected one initial state, got {len(initial)}")
    value = float(result.get_value(initial[0]))
    if model.nr_states != case.states:
        raise PeerError(f"Storm built {model.nr_states} states, {case.states} were expected")

    if environment is None:
        environment = stormpy.environments.default(model)
    solver = environment.solver()
    used = (f"{settings} [environment: linear equation solver "
            f"{solver.get_linear_equation_solver_type().name}, "
            f"force_soundness={solver.force_soundness}]")

    exact_log10 = case.exact_ln / math.log(10)
    return {
        "peer": PEER,
        "version": stormpy.__version__,
        "storm_version": stormpy.info.storm_version(),
        "case": case.description,
        "states": model.nr_states,
        "transitions": model.nr_transitions,
        "build_seconds": built - start,
        "check_seconds": checked - built,
        "total_seconds": checked - start,
        "peak_rss_mb": round(rss_mb(), 1),
        "build_peak_rss_mb": round(build_rss, 1),
        "baseline_rss_mb": round(baseline, 1),
        "value": value,
        ("reference" if case.explicit else "exact"): case.exact,
        ("reference_log10" if case.explicit else "exact_log10"): exact_log10,
        "relative_error": relative_error(value, case.exact_ln),
        "settings": used,
    }


def child(connection: Any, case: Case, storm_args: list[str] | None, settings: str,
          max_memory_gb: float, verbose: bool) -> None:
    """Entry point of the forked child: send back a report or an error message."""
    try:
        report: dict[str, Any] = run_storm(case, storm_args, settings, max_memory_gb, verbose)
    except MemoryError:
        report = {"error": f"out of memory (address-space limit {max_memory_gb:g} GiB)"}
    except PeerError as error:
        report = {"error": str(error)}
    except BaseException as error:   # Storm errors arrive as RuntimeError with its message
        traceback.print_exc(file=sys.stderr)
        report = {"error": f"{type(error).__name__}: {error}"}
    connection.send(report)
    connection.close()


# --------------------------------------------------------------------------------------------
# The parent: arguments, guards, the child, the JSON object.
# --------------------------------------------------------------------------------------------

def default_memory_gb() -> float:
    """80% of physical memory, in GiB."""
    try:
        return 0.8 * os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        return 0.0


def make_case(arguments: argparse.Namespace) -> Case:
    if arguments.case == "explicit":
        if arguments.chain is None:
            raise PeerError("--case explicit needs --chain DIR/NAME")
        return explicit_case(arguments.chain, arguments.label)
    if arguments.case == "birth-death":
        if arguments.states is None:
            raise PeerError("--case birth-death needs --states N")
        return birth_death_case(arguments.states, arguments.birth, arguments.death,
                                arguments.target)
    if arguments.pairs is None:
        raise PeerError("--case pairs needs --pairs M")
    if arguments.lumped and arguments.symmetric:
        raise PeerError("--lumped and --symmetric are exclusive")
    return pairs_case(arguments.pairs, arguments.lumped, arguments.symmetric)


def run_peer(arguments: argparse.Namespace) -> dict[str, Any]:
    case = make_case(arguments)
    if case.states > arguments.max_states:
        raise PeerError(f"{case.description}: {case.states:.4g} states exceed --max-states "
                        f"{arguments.max_states:.4g}; refused before building")

    if arguments.storm_args is not None:
        storm_args: list[str] | None = arguments.storm_args.split()
        settings = "custom: sparse engine; Storm CLI defaults + " + arguments.storm_args
    else:
        profile = "stormpy-default" if arguments.defaults else arguments.profile
        chosen = FAST[arguments.case] if profile == "fast" else profile
        storm_args, description = PROFILES[chosen]
        settings = (f"fast ({chosen} for {arguments.case}): " if profile == "fast"
                    else f"{profile}: ") + description

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=child,
                              args=(sender, case, storm_args, settings, arguments.max_memory_gb,
                                    arguments.verbose))
    process.start()
    sender.close()
    try:
        if not receiver.poll(arguments.timeout if arguments.timeout > 0 else None):
            raise PeerError(f"time-out after {arguments.timeout:g} s ({settings})")
        report = receiver.recv()
    except EOFError:
        process.join()
        raise PeerError(f"Storm's process ended without a result (exit code {process.exitcode}; "
                        "a negative code is the signal, e.g. -9 from the OOM killer)") from None
    finally:
        if process.is_alive():
            process.kill()          # only our own child, by its handle
        process.join()
    if "error" in report:
        raise PeerError(report["error"])
    # JSON has no NaN or infinity (Storm can return NaN): report those as null.
    return {key: None if isinstance(value, float) and not math.isfinite(value) else value
            for key, value in report.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Benchmark Storm (stormpy) on a CTMC steady-state query (one JSON object out).")
    parser.add_argument("--case", required=True, choices=["birth-death", "pairs", "explicit"])
    parser.add_argument("--chain", metavar="DIR/NAME",
                        help="explicit: the chain's files without .tra/.lab, index.json beside them")
    parser.add_argument("--label", default="down", help="explicit: the label queried (down)")
    parser.add_argument("--states", type=int, help="birth-death: number of states N")
    parser.add_argument("--birth", type=float, default=1.0, help="birth-death: birth rate (1)")
    parser.add_argument("--death", type=float, default=2.0, help="birth-death: death rate (2)")
    parser.add_argument("--target", choices=["top", "bottom"], default="top",
                        help="birth-death: state whose long-run probability is asked (top)")
    parser.add_argument("--pairs", type=int, help="pairs: number of redundant pairs M")
    parser.add_argument("--lumped", action="store_true", help="pairs: each pair a count (3^M)")
    parser.add_argument("--symmetric", action="store_true",
                        help="pairs: count pairs by state, (M+1)(M+2)/2 states")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--profile", choices=["fast", *PROFILES], default="fast",
                       help="solver settings (fast: direct for birth-death, gauss-seidel for pairs)")
    group.add_argument("--defaults", action="store_true",
                       help="stormpy's default (sound) environment, i.e. --profile stormpy-default")
    group.add_argument("--storm-args", metavar="ARGS",
                       help='Storm command-line settings instead of a profile, given with "=", e.g. '
                            '--storm-args="--eqsolver gmm++ --lra:precision 1e-12"')
    parser.add_argument("--max-states", type=float, default=2e7,
                        help="refuse larger models before building (2e7)")
    parser.add_argument("--max-memory-gb", type=float, default=default_memory_gb(),
                        help="address-space limit of Storm's process, 0 = none "
                             "(80%% of physical memory)")
    parser.add_argument("--timeout", type=float, default=0,
                        help="wall seconds before Storm's process is killed, 0 = none")
    parser.add_argument("--verbose", action="store_true",
                        help="Storm's INFO log on stderr (shows the solver and method used)")
    arguments = parser.parse_args()
    try:
        report = run_peer(arguments)
    except Exception as error:   # every failure is reported the same way: JSON, status 3
        message = str(error) if isinstance(error, PeerError) else f"{type(error).__name__}: {error}"
        print(json.dumps({"peer": PEER, "case": arguments.case, "error": message}))
        sys.exit(3)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
