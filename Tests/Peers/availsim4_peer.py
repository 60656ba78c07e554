#!/usr/bin/env python3
"""Run CERN's AvailSim4 on a Nines system, side by side with Nines' Monte Carlo engine.

AvailSim4 (PyPI `availsim4`, pure Python) is a discrete-event Monte Carlo availability
simulator whose input is two Excel workbooks: a *system* (a tree of BASIC and COMPOUND
components with children logic such as AND or 2OO4, failure modes, ...) and a *simulation*
(number of runs, duration, seed, diagnostics). This script

1. translates a system written in the Nines model format (docs: shared/spec/model-format.md)
   into those two workbooks, in a temporary directory;
2. runs AvailSim4's own command line (`availsim4core.main.main`) in a child Python process,
   timing the Monte Carlo loop from inside that child and the whole child from outside;
3. reads AvailSim4's own result workbook and prints one JSON object on stdout.

    python3 Tests/Peers/availsim4_peer.py --system three-tier --years 1000 --seed 1
    python3 Tests/Peers/availsim4_peer.py --system license-plate-ha --seed 1
    python3 Tests/Peers/availsim4_peer.py --system models/k8s-service.yaml --runs 4

Systems: `three-tier` (built in), `license-plate-ha` (models/license-plate-ha.yaml), or the
path of any Nines model file (that needs PyYAML). Needs `pip install availsim4` (which brings
openpyxl). Time unit given to AvailSim4: hours. On any failure the JSON object has an "error"
key and the exit status is 3.

How events are counted (the "events" key): the failures plus the repair completions of every
BASIC component (replica failure modes, failure domains, and the failover stand-ins described
below), the same definition as Nines' Monte Carlo engine (failures and repairs of replicas and
domains). They are read from AvailSim4's own RESULTS sheet, which counts the records of every
timeline: a basic component's failure is its record with status FAILED and the description
"<mode> failure mode of component <it>", a repair completion is its record with status RUNNING
and the description "REPAIRED - component <it>" (records of parent components caused by the
same event are not counted). AvailSim4 processes three scheduled ("B") events per failure
(failure, start of repair, end of repair); its own count, number_of_b_events_executed from the
RESULTS_EXECUTION_METRICS sheet, is reported as "availsim4_b_events".

How time is measured: "cpu_seconds" is the CPU time of AvailSim4's Monte Carlo loop alone
(MonteCarlo.run: every run's discrete-event simulation plus the statistics AvailSim4 draws from
each run's timeline), measured with time.process_time inside the child; "process_cpu_seconds"
is the whole child from outside (resource.getrusage(RUSAGE_CHILDREN)), which adds about 3 s of
importing pandas/scipy, reading the workbooks and writing the results. "wall_seconds" is the
wall time of the whole child. events_per_cpu_second = events / cpu_seconds.
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from typing import Any

HOURS_PER_YEAR = 8760.0
CHILD_FLAG = "--availsim4-child"  # internal: this script re-invoked as the AvailSim4 child
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


# --------------------------------------------------------------------------------------------
# The systems
# --------------------------------------------------------------------------------------------

# `three-tier` in the Nines model format (as the parsed YAML would be): service up iff all
# three tiers are up; every replica repaired independently (no repair_crews: unlimited).
THREE_TIER: dict[str, Any] = {
    "nines": 1,
    "name": "Three-tier web service",
    "entry": "service",
    "components": {
        "service": {"depends_on": ["lb", "app", "db"]},
        "lb": {"replicas": 2, "need": 1, "mtbf": "20000h", "mttr": "30m"},
        "app": {"replicas": 4, "need": 2, "mtbf": "2000h", "mttr": "15m"},
        "db": {"replicas": 2, "need": 1, "mtbf": "8760h", "mttr": "2h"},
    },
}

# name -> (model loader, default simulated years per run: a few CPU-seconds of AvailSim4)
SYSTEMS = {
    "three-tier": (lambda: THREE_TIER, 300.0),
    "license-plate-ha": (lambda: load_yaml(os.path.join(REPO_ROOT, "models", "license-plate-ha.yaml")), 100.0),
}
DEFAULT_YEARS_FOR_FILES = 100.0


class PeerError(Exception):
    """Anything that stops the comparison: reported as {"error": ...} with exit status 3."""


def load_yaml(path: str) -> dict[str, Any]:
    try:
        import yaml  # only needed for model files; the built-in systems need no YAML
    except ImportError as error:
        raise PeerError(f"reading {path} needs PyYAML (pip install pyyaml): {error}") from error
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


# --------------------------------------------------------------------------------------------
# Quantities of the Nines format (durations in hours)
# --------------------------------------------------------------------------------------------

_UNIT_HOURS = {"ms": 1 / 3.6e6, "s": 1 / 3600, "m": 1 / 60, "min": 1 / 60, "h": 1.0,
               "d": 24.0, "w": 168.0, "mo": 730.0, "y": HOURS_PER_YEAR}


def hours(value: Any) -> float:
    """A Nines duration ("30m", "2h", "5y", or a bare number of hours) in hours."""
    if isinstance(value, (int, float)):
        return float(value)
    match = re.fullmatch(r"\s*([0-9.eE+-]+)\s*([a-z]*)\s*", str(value))
    if not match or match.group(2) not in _UNIT_HOURS | {"": 1.0}:
        raise PeerError(f"not a duration: {value!r}")
    return float(match.group(1)) * _UNIT_HOURS.get(match.group(2), 1.0)


def fraction(value: Any) -> float:
    if isinstance(value, dict):
        return nominal(value, fraction)
    text = str(value).strip()
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


def nominal(spec: dict[str, Any], read: Any = None) -> float:
    """The value Nines analyses a range at ({low, high[, distribution, mode]}): its median —
    the midpoint (uniform), the geometric mean (loguniform) or the triangle's median."""
    read = read or hours
    low, high = read(spec["low"]), read(spec["high"])
    kind = str(spec.get("distribution", "uniform")).lower()
    if kind == "loguniform":
        return math.sqrt(low * high)
    if kind == "triangular":
        mode = read(spec["mode"])
        if mode >= (low + high) / 2:
            return low + math.sqrt((high - low) * (mode - low) / 2)
        return high - math.sqrt((high - low) * (high - mode) / 2)
    return (low + high) / 2


def is_range(spec: Any) -> bool:
    return isinstance(spec, dict) and "low" in spec and "high" in spec


# --------------------------------------------------------------------------------------------
# Nines model -> AvailSim4 system
# --------------------------------------------------------------------------------------------

class AvailSim4System:
    """The rows of an AvailSim4 system workbook, built from a Nines model.

    Mapping (each line says what AvailSim4 cannot do and how it is approximated):
    - a replica failure mode -> a BASIC component with one failure mode (AvailSim4 allows
      one failure mode per component), exponential failure and repair laws (FIX and WEIBULL
      for other Nines distributions; lognormal becomes exponential with the same mean);
      a replica with several modes -> a COMPOUND AND of one basic per mode. The modes of
      one replica then fail independently, even while another mode has it down (Nines: a
      down replica does not fail again); the difference is of the order of the replica's
      unavailability.
    - a failure domain -> a BASIC component; a domain `within` another -> COMPOUND AND of
      its own basic and the enclosing domain; each domain is a *shared child* (AvailSim4's
      `NAME(SCOPE)` syntax) of every replica placed in it, so one zone outage takes down
      every replica there while their own failures and repairs go on: Nines' semantics.
    - a component -> COMPOUND AND of its replica group (kOOn over replicas, each replica an
      AND of its modes and its domain) and its dependencies (shared children, so a
      dependency DAG stays a DAG); {any: ...} and {at_least: k, of: ...} -> 1OOn and kOOn.
    - standby components: AvailSim4 has no standby, primary or failover. The replicas are
      simulated as an active 1OOn group (exact for `standby: hot`; warm and cold standbys
      fail at the full rate here), and the outage of each failover is approximated by two
      stand-in basics in series with the group: FAILOVER_AUTO, failing at coverage x the
      rate at which the primary loses eligibility (its failure modes plus the failures of
      the domains not shared by every replica) and repaired after the fixed
      detect + switchover, and FAILOVER_MANUAL at (1 - coverage) x that rate, repaired
      after the fixed `manual` delay. Their outages are independent of the real replica
      failures, so the time spent failing over is right on average but its timing is not.
    - repair_crews: AvailSim4 repairs every failed basic at once (unlimited crews).
    - replication (lost writes), degraded state, cost and business: not simulated (they do
      not change the events).
    """

    ROOT = "SYSTEM"

    def __init__(self, model: dict[str, Any]):
        self.model = model
        self.architecture: list[list[str]] = []   # rows of the ARCHITECTURE sheet
        self.failure_modes: list[list[str]] = []  # rows of the FAILURE_MODES sheet
        self.assignments: list[list[str]] = []    # rows of the FAILURE_MODE_ASSIGNMENTS sheet
        self.approximations: list[str] = []
        self.laws: set[str] = set()  # AvailSim4 laws used, for the notes
        self.components = model.get("components") or {}
        self.domains = model.get("domains") or {}
        self._domain_nodes: dict[str, str | None] = {}
        self._component_nodes: dict[str, str | None] = {}
        if model.get("entry") not in self.components:
            raise PeerError(f"entry {model.get('entry')!r} is not a component")
        # The entry's node is the root, named ROOT (the scope of every shared child); AvailSim4
        # takes the first row of the architecture sheet as the root.
        if self._component(model["entry"]) != self.ROOT:
            raise PeerError("the entry can never fail: nothing to simulate")
        self.architecture.sort(key=lambda row: row[0] != self.ROOT)

    # -- rows -------------------------------------------------------------------------------

    @staticmethod
    def _name(prefix: str, *parts: str) -> str:
        return prefix + "_" + "_".join(re.sub(r"[^A-Za-z0-9]", "_", p).upper() for p in parts)

    def _shared(self, name: str) -> str:
        """A reference to `name` as a child shared across the whole system."""
        return f"{name}({self.ROOT})"

    @staticmethod
    def _row(name: str, kind: str, number: int, children: list[str], logic: str) -> list[str]:
        children_text = "[" + ", ".join(children) + "]" if children else ""
        return [name, kind, str(number), children_text, logic, "", "", ""]

    def _basic(self, name: str, number: int, failure: tuple[str, list[float]],
               repair: tuple[str, list[float]], comment: str) -> str:
        mode = name + "_FM"
        self.laws.update((failure[0], repair[0]))
        self.architecture.append(self._row(name, "BASIC", number, [], ""))
        self.failure_modes.append([mode, failure[0], _params(failure[1]), repair[0], _params(repair[1]),
                                   "DETECTABLE", "", "", "", "", "", "", comment])
        self.assignments.append([name, mode, ""])
        return name

    def _law(self, spec: Any, what: str) -> tuple[str, list[float]]:
        """An AvailSim4 law from a Nines mean (duration) or {distribution: ...} block."""
        if is_range(spec):
            return "EXP", [nominal(spec)]
        if not isinstance(spec, dict):
            return "EXP", [hours(spec)]
        kind = str(spec.get("distribution", "exponential")).lower()
        mean = hours(spec["mean"])
        if kind == "exponential":
            return "EXP", [mean]
        if kind == "fixed":
            return "FIX", [mean]
        if kind == "weibull":
            shape = float(spec["shape"])
            return "WEIBULL", [mean / math.gamma(1 + 1 / shape), shape]
        self.approximations.append(f"{what}: {kind} law approximated by an exponential of the same mean")
        return "EXP", [mean]

    def _modes(self, name: str, spec: dict[str, Any]) -> list[tuple[str, Any, Any]]:
        """(mode name, failure spec, repair spec) of a component or domain; [] if it never fails."""
        if "modes" in spec:
            return [(m.get("name", f"mode{i}"), _failure_spec(m), m.get("repair", m.get("mttr")))
                    for i, m in enumerate(spec["modes"])]
        failure = _failure_spec(spec)
        if failure is None:
            return []
        repair = spec.get("repair", spec.get("mttr"))
        if repair is None:
            raise PeerError(f"{name}: failure data without mttr or repair")
        return [("node", failure, repair)]

    # -- domains ----------------------------------------------------------------------------

    def _domain(self, name: str) -> str | None:
        """The node that is down exactly while domain `name` is down (None: never down)."""
        if name in self._domain_nodes:
            return self._domain_nodes[name]
        spec = self.domains.get(name)
        if spec is None:
            raise PeerError(f"unknown domain {name!r}")
        self._domain_nodes[name] = None  # guards against a `within` cycle
        own = None
        modes = self._modes(f"domain {name}", spec)
        if modes:
            _, failure, repair = modes[0]
            own = self._basic(self._name("D", name), 1, self._law(failure, f"domain {name}"),
                              self._law(repair, f"domain {name}"), f"domain {name}")
        enclosing = self._domain(spec["within"]) if spec.get("within") else None
        if own and enclosing:
            node = self._name("D", name, "ALL")
            self.architecture.append(self._row(node, "COMPOUND", 1, [own, self._shared(enclosing)], "AND"))
        else:
            node = own or enclosing
        self._domain_nodes[name] = node
        return node

    def _chain(self, name: str | None) -> list[str]:
        """The domain and every domain it is within."""
        chain = []
        while name:
            chain.append(name)
            name = self.domains[name].get("within")
        return chain

    # -- components -------------------------------------------------------------------------

    def _component(self, name: str) -> str | None:
        """The node that is up exactly while component `name` is up (None: never down)."""
        if name in self._component_nodes:
            return self._component_nodes[name]
        spec = self.components.get(name)
        if spec is None:
            raise PeerError(f"unknown component {name!r}")
        self._component_nodes[name] = None  # a dependency cycle ends here instead of looping
        node = self.ROOT if name == self.model["entry"] else self._name("C", name)
        others = self._dependencies(name, spec.get("depends_on"))
        if spec.get("mode", "active") == "standby":
            others += self._failover_stand_ins(name, spec)
        # The leanest tree (every compound costs AvailSim4 time at each event): a component that
        # is only its replica group is that group's node.
        group = self._replica_group(name, spec, node if not others else node + "_REPLICAS")
        if group and not others:
            self._component_nodes[name] = group
            return group
        children = ([group] if group else []) + others
        if not children:
            return None
        self.architecture.append(self._row(node, "COMPOUND", 1, children, "AND"))
        self._component_nodes[name] = node
        return node

    def _replica_group(self, name: str, spec: dict[str, Any], group: str) -> str | None:
        """The kOOn group of the replicas of `name`, as node `group` (None: they never fail)."""
        replicas = int(spec.get("replicas", 1))
        standby = spec.get("mode", "active") == "standby"
        need = 1 if standby else int(spec.get("need", 1))
        modes = self._modes(name, spec)
        if spec.get("repair_crews") is not None:
            self.approximations.append(f"{name}: repair_crews {spec['repair_crews']} -> unlimited")
        if standby and spec.get("standby", "hot") != "hot":
            self.approximations.append(f"{name}: {spec['standby']} standby replicas fail at the full rate")
        mode_basics = [(self._name("C", name, mode_name), self._law(failure, f"{name}.{mode_name}"),
                        self._law(repair, f"{name}.{mode_name}")) for mode_name, failure, repair in modes]
        # Replicas per domain, replica i in placement[i mod len] (None: no domain).
        placement = spec.get("placement") or [None]
        per_domain: dict[str | None, int] = {}
        for i in range(replicas):
            where = placement[i % len(placement)]
            per_domain[where] = per_domain.get(where, 0) + 1
        members = []
        for domain, count in per_domain.items():
            domain_node = self._domain(domain) if domain else None
            if domain_node is None and len(mode_basics) == 1:
                # One mode and no failing domain: the replicas are basics themselves (the
                # cheapest tree).
                basic, failure, repair = mode_basics[0]
                members.append(self._basic(basic + ("_" + self._name("IN", domain) if domain else ""),
                                           count, failure, repair, f"replica of {name}"))
                continue
            replica_children = [self._basic(f"{basic}_{self._name('IN', domain) if domain else 'R'}", 1,
                                            failure, repair, f"failure mode of {name}")
                                for basic, failure, repair in mode_basics]
            if domain_node:
                replica_children.append(self._shared(domain_node))
            if not replica_children:
                continue  # a perfect replica in a perfect domain
            replica = self._name("C", name, "REPLICA", *([domain] if domain else []))
            self.architecture.append(self._row(replica, "COMPOUND", count, replica_children, "AND"))
            members.append(replica)
        if not members:
            return None
        if len(members) < len(per_domain) and need > 0:
            raise PeerError(f"{name}: some replicas can never fail, others can: not supported")
        self.architecture.append(self._row(group, "COMPOUND", 1, members, f"{need}OO{replicas}"))
        return group

    def _failover_stand_ins(self, name: str, spec: dict[str, Any]) -> list[str]:
        failover = spec.get("failover")
        if not failover:
            return []  # Nines: instantaneous, covered failover: nothing to add
        placement = spec.get("placement") or [None]
        replicas = int(spec.get("replicas", 1))
        chains = [set(self._chain(placement[i % len(placement)])) for i in range(replicas)]
        private_domains = chains[0] - set.intersection(*chains)
        rate = sum(1 / _mean_hours(failure) for _, failure, _ in self._modes(name, spec))
        rate += sum(1 / _mean_hours(_failure_spec(self.domains[d])) for d in private_domains
                    if _failure_spec(self.domains[d]) is not None)
        if rate == 0:
            return []
        coverage = fraction(failover.get("coverage", 1))
        automatic = hours(failover.get("detect", 0)) + hours(failover.get("switchover", 0))
        manual = hours(failover.get("manual", 0))
        stand_ins = []
        for suffix, share, duration in (("AUTO", coverage, automatic), ("MANUAL", 1 - coverage, manual)):
            if share > 0 and duration > 0:
                stand_ins.append(self._basic(self._name("C", name, "FAILOVER", suffix), 1,
                                             ("EXP", [1 / (share * rate)]), ("FIX", [duration]),
                                             f"stand-in for the {suffix.lower()} failovers of {name}"))
        self.approximations.append(
            f"{name}: standby with failover simulated as active 1OO{replicas} plus failover stand-ins "
            f"(primary loses eligibility every {1 / rate:.0f} h; coverage {coverage:g}, "
            f"{automatic * 3600:g} s automatic, {manual * 60:g} min manual)")
        return stand_ins

    def _dependencies(self, name: str, depends_on: Any) -> list[str]:
        if not depends_on:
            return []
        if isinstance(depends_on, list):
            return [self._shared(n) for n in map(self._component, depends_on) if n]
        if "any" in depends_on:
            need, names = 1, depends_on["any"]
        else:
            need, names = int(depends_on["at_least"]), depends_on["of"]
        nodes = [self._component(n) for n in names]
        if any(n is None for n in nodes):  # a perfect alternative: the dependency always holds
            return []
        group = self._name("C", name, "DEPENDENCIES")
        self.architecture.append(self._row(group, "COMPOUND", 1, [self._shared(n) for n in nodes],
                                           f"{need}OO{len(nodes)}"))
        return [group]

    def basic_count(self) -> int:
        return sum(int(row[2]) for row in self.architecture if row[1] == "BASIC")


LAW_NAMES = {"EXP": "exponential", "FIX": "fixed-duration", "WEIBULL": "Weibull"}


def _failure_spec(spec: dict[str, Any]) -> Any:
    if "failure" in spec:
        return spec["failure"]
    if "mtbf" in spec:
        return spec["mtbf"]
    if "afr" in spec:  # annual failure rate: lambda = -ln(1 - afr) / 8760 h
        return HOURS_PER_YEAR / -math.log(1 - fraction(spec["afr"]))
    return None


def _mean_hours(spec: Any) -> float:
    if is_range(spec):
        return nominal(spec)
    return hours(spec["mean"]) if isinstance(spec, dict) else hours(spec)


def _params(values: list[float]) -> str:
    return "[" + ", ".join(repr(float(v)) for v in values) + "]"


# --------------------------------------------------------------------------------------------
# Workbooks
# --------------------------------------------------------------------------------------------

SYSTEM_SHEETS = {  # sheet -> header; every sheet must exist, even empty
    "ARCHITECTURE": ["COMPONENT_NAME", "COMPONENT_TYPE", "COMPONENT_NUMBER", "CHILDREN_NAME",
                     "CHILDREN_LOGIC", "IN_MRU", "TRIGGER_MRU", "COMMENTS"],
    "FAILURE_MODES": ["FAILURE_MODE_NAME", "FAILURE_LAW", "FAILURE_PARAMETERS", "REPAIR_LAW",
                      "REPAIR_PARAMETERS", "TYPE_OF_FAILURE", "HELD_BEFORE_REPAIR", "INSPECTION_NAME",
                      "PHASE_NAME", "NEXT_PHASE_IF_FAILURE", "PHASE_CHANGE_TRIGGER", "HELD_AFTER_REPAIR",
                      "COMMENTS"],
    "FAILURE_MODE_ASSIGNMENTS": ["COMPONENT_NAME", "FAILURE_MODE_NAME", "COMMENTS"],
    "MRU": ["MRU_NAME", "MRU_LAW", "MRU_PARAMETERS", "MRU_SCHEDULE", "LOWEST_COMMON_ANCESTOR_SCOPE",
            "TRIGGERING_STATUS", "COMMENTS"],
    "INSPECTIONS": ["INSPECTION_NAME", "INSPECTION_PERIOD", "INSPECTION_DURATION", "COMMENTS"],
    "PHASES": ["PHASE_NAME", "PHASE_LAW", "PHASE_PARAMETERS", "NEXT_DEFAULT_PHASE", "FIRST_PHASE",
               "NEXT_DEFAULT_PHASE_IF_FAILURE", "COMMENTS"],
    "ROOT_CAUSE_ANALYSIS": ["TRIGGERING_COMPONENT_NAME", "TRIGGERED_BY_COMPONENT_STATUS",
                            "TRIGGERED_IN_PHASE", "COMMENTS"],
    "PHASE_JUMP": ["TRIGGERING_COMPONENT_NAME", "TRIGGERED_BY_COMPONENT_STATUS", "FROM_PHASE",
                   "TO_PHASE", "COMMENTS"],
}


def write_workbook(path: str, sheets: dict[str, tuple[list[str], list[list[str]]]]) -> None:
    # Every cell is text: AvailSim4 reads the sheets with pandas as strings (dtype=str), and
    # an integer written as a number could come back as "1.0".
    import openpyxl
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append([str(cell) for cell in row])
    workbook.save(path)


def write_inputs(directory: str, system: AvailSim4System, years: float, runs: int, seed: int) -> tuple[str, str]:
    rows = {"ARCHITECTURE": system.architecture, "FAILURE_MODES": system.failure_modes,
            "FAILURE_MODE_ASSIGNMENTS": system.assignments}
    system_path = os.path.join(directory, "system.xlsx")
    write_workbook(system_path, {sheet: (header, rows.get(sheet, [])) for sheet, header in SYSTEM_SHEETS.items()})
    # MONTE_CARLO, exactly `runs` runs of `years` each; run i is seeded with seed + i by
    # AvailSim4. SUMMARY gives the RESULTS and RESULTS_ROOT_SUMMARY sheets, EXECUTION_METRICS
    # the event counts. (MAX_EXECUTION_TIME only matters on HTCondor.)
    simulation_path = os.path.join(directory, "simulation.xlsx")
    write_workbook(simulation_path, {"SIMULATION": (
        ["SIMULATION_TYPE", "MIN_NUMBER_OF_SIMULATION", "MAX_NUMBER_OF_SIMULATION", "CONVERGENCE_MARGIN",
         "MAX_EXECUTION_TIME", "SEED", "DIAGNOSTICS", "SIMULATION_DURATION"],
        [["MONTE_CARLO", runs, runs, 0, 1e12, seed, "[SUMMARY, EXECUTION_METRICS]", repr(years * HOURS_PER_YEAR)]])})
    return simulation_path, system_path


# --------------------------------------------------------------------------------------------
# The child: AvailSim4's own command line, with its Monte Carlo loop timed
# --------------------------------------------------------------------------------------------

def child_main(timing_path: str, availsim4_arguments: list[str]) -> None:
    from availsim4core import main as availsim4_main
    from availsim4core.src.simulation.monte_carlo import MonteCarlo

    timing = {"simulation_cpu_seconds": 0.0, "simulation_wall_seconds": 0.0}
    run = MonteCarlo.run

    def timed_run(self, context):
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return run(self, context)
        finally:
            timing["simulation_cpu_seconds"] += time.process_time() - cpu
            timing["simulation_wall_seconds"] += time.perf_counter() - wall

    MonteCarlo.run = timed_run
    sys.argv = ["availsim4", *availsim4_arguments]
    availsim4_main.main()
    with open(timing_path, "w", encoding="utf-8") as handle:
        json.dump(timing, handle)


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------

def read_sheets(path: str, names: list[str]) -> dict[str, list[dict[str, Any]]]:
    import openpyxl
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheets = {}
    for name in names:
        if name not in workbook.sheetnames:
            raise PeerError(f"AvailSim4's result {os.path.basename(path)} has no sheet {name}")
        rows = list(workbook[name].iter_rows(values_only=True))
        header = [str(cell) for cell in rows[0]]
        sheets[name] = [dict(zip(header, row)) for row in rows[1:]]
    workbook.close()
    return sheets


def count_events(results: list[dict[str, Any]], runs: int) -> tuple[int, int]:
    """Failures and repair completions of basic components, over all runs (see the top)."""
    failures = repairs = 0.0
    for row in results:
        component, status = str(row["component"]), str(row["status"]).split(".")[-1]
        description, mean = str(row["description"]), float(row["_MEAN_OCCURRENCES"] or 0)
        if status == "FAILED" and description.endswith(" failure mode of component " + component):
            failures += mean * runs
        elif status == "RUNNING" and description == "REPAIRED - component " + component:
            repairs += mean * runs
    return round(failures), round(repairs)


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def run_peer(arguments: argparse.Namespace) -> dict[str, Any]:
    from importlib import metadata
    try:
        version = metadata.version("availsim4")
        import openpyxl  # noqa: F401  (a dependency of availsim4; the workbooks need it)
    except (metadata.PackageNotFoundError, ImportError) as error:
        raise PeerError(f"availsim4 is not installed (pip install availsim4): {error}") from error

    if arguments.system in SYSTEMS:
        load, default_years = SYSTEMS[arguments.system]
        model = load()
    elif os.path.isfile(arguments.system):
        model, default_years = load_yaml(arguments.system), DEFAULT_YEARS_FOR_FILES
    else:
        raise PeerError(f"unknown system {arguments.system!r}: {', '.join(SYSTEMS)} or a model file")
    years = arguments.years if arguments.years is not None else default_years
    if years <= 0 or arguments.runs < 1:
        raise PeerError("--years must be positive and --runs at least 1")
    system = AvailSim4System(model)

    with tempfile.TemporaryDirectory(prefix="availsim4-peer-") as scratch:
        directory = arguments.keep or scratch
        os.makedirs(directory, exist_ok=True)
        simulation_path, system_path = write_inputs(directory, system, years, arguments.runs, arguments.seed)
        output_folder = os.path.join(directory, "output")
        timing_path = os.path.join(directory, "timing.json")
        log_path = os.path.join(directory, "availsim4-console.log")

        load = os.getloadavg()[0]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.perf_counter()
        with open(log_path, "w", encoding="utf-8") as log:
            child = subprocess.run(
                [sys.executable, os.path.abspath(__file__), CHILD_FLAG, timing_path,
                 "--simulation", simulation_path, "--system", system_path, "--output_folder", output_folder],
                stdout=log, stderr=subprocess.STDOUT, check=False)
        wall = time.perf_counter() - wall
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if child.returncode != 0:
            with open(log_path, encoding="utf-8", errors="replace") as log:
                tail = log.read()[-2000:]
            raise PeerError(f"AvailSim4 exited with status {child.returncode}: {tail}")

        with open(timing_path, encoding="utf-8") as handle:
            timing = json.load(handle)
        result_files = sorted(glob.glob(os.path.join(output_folder, "simulation_result_*.xlsx")))
        if not result_files:
            raise PeerError(f"AvailSim4 wrote no result workbook in {output_folder}")
        sheets = read_sheets(result_files[-1], ["RESULTS", "RESULTS_ROOT_SUMMARY", "RESULTS_EXECUTION_METRICS"])

    failures, repairs = count_events(sheets["RESULTS"], arguments.runs)
    events = failures + repairs
    metrics = sheets["RESULTS_EXECUTION_METRICS"][0]
    b_events = round(float(metrics["number_of_b_events_executed_MEAN"]) * arguments.runs)
    # RESULTS_ROOT_SUMMARY: mean time per run that the root spent up (RUNNING, DEGRADED) and
    # down (FAILED, UNDER_REPAIR, ...); U = down / (up + down), null when no outage was seen.
    root = sheets["RESULTS_ROOT_SUMMARY"][0]
    downtime, total = float(root["downtime_duration"]), float(root["total"])
    unavailability = downtime / total if downtime > 0 and total > 0 else None
    cpu = timing["simulation_cpu_seconds"]
    process_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    simulated_years = years * arguments.runs

    notes = [
        f"events = failures ({failures}) + repair completions ({repairs}) of AvailSim4's basic components, "
        f"from its RESULTS sheet; AvailSim4 itself executed {b_events} B-events (failure, start and end of "
        "each repair).",
        f"cpu_seconds: AvailSim4's Monte Carlo loop only; the whole child process took {process_cpu:.2f} CPU-s "
        "(imports, workbooks, export).",
        f"{arguments.runs} run(s) of {years:g} years, each from everything up; seeds {arguments.seed}.."
        f"{arguments.seed + arguments.runs - 1}; {int(metrics['number_of_basic_components'])} basic and "
        f"{int(metrics['number_of_compound_components'])} compound components; "
        f"{', '.join(LAW_NAMES.get(law, law) for law in sorted(system.laws))} laws.",
        f"Load average when started: {load:.2f} on {os.cpu_count()} CPUs (a busy machine inflates CPU times).",
        "AvailSim4 keeps each run's whole timeline in memory until the run ends (max_rss_mb): split very "
        "long simulations with --runs.",
    ]
    if unavailability is None:
        notes.append(f"no outage observed in {simulated_years:g} simulated years: unavailability null.")
    notes += system.approximations

    return {
        "peer": "availsim4",
        "version": version,
        "system": arguments.system,
        "simulated_years": simulated_years,
        "events": events,
        "cpu_seconds": round(cpu, 3),
        "wall_seconds": round(wall, 3),
        "events_per_cpu_second": round(events / cpu, 1) if cpu > 0 else None,
        "unavailability": unavailability,
        "notes": " ".join(notes),
        "runs": arguments.runs,
        "seed": arguments.seed,
        "failures": failures,
        "repairs": repairs,
        "availsim4_b_events": b_events,
        "process_cpu_seconds": round(process_cpu, 3),
        "events_per_process_cpu_second": round(events / process_cpu, 1) if process_cpu > 0 else None,
        "max_rss_mb": round(after.ru_maxrss / 1024, 1),  # Linux: KiB; the largest child so far
    }


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == CHILD_FLAG:
        child_main(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description="Benchmark AvailSim4 on a Nines system (one JSON object out).")
    parser.add_argument("--system", required=True,
                        help=f"{', '.join(SYSTEMS)}, or the path of a Nines model file")
    parser.add_argument("--years", type=float, default=None,
                        help="simulated years per run (default: a few CPU-seconds' worth for the system)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the first run (run i uses seed + i)")
    parser.add_argument("--runs", type=int, default=1, help="independent runs (default 1)")
    parser.add_argument("--keep", metavar="DIR", help="keep the workbooks, log and results in DIR")
    arguments = parser.parse_args()
    try:
        report = run_peer(arguments)
    except Exception as error:  # any failure is reported the same way: one JSON object, status 3
        message = str(error) if isinstance(error, PeerError) else f"{type(error).__name__}: {error}"
        print(json.dumps({"peer": "availsim4", "system": arguments.system, "error": message}))
        sys.exit(3)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
