"""`roadcarbon lca`, `compare`, `presets` and `demo`: the life-cycle engine from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from roadcarbon.cli._common import (
    console,
    err_console,
    fail,
    print_csv,
    print_json,
    read_stdin_document,
    user_errors,
)
from roadcarbon.countries import to_alpha2
from roadcarbon.io.specs import (
    is_market_average,
    list_presets,
    load_preset,
    load_vehicle,
    market_average_id,
    spec_from_mapping,
)
from roadcarbon.services.assessment import compare_document, lca_document, run_assessment
from roadcarbon.services.exports import TIDY_COLUMNS, tidy_stage_rows
from roadcarbon.specs import VehicleSpec
from roadcarbon.types import STAGES

DEMO_VEHICLES = ("car-medium-bev", "car-medium-hev", "car-medium-petrol")
DEMO_COUNTRIES = ("ID", "CN", "TH", "SG", "IN", "CL", "BR", "DE")

CountryOpt = Annotated[
    str, typer.Option("--country", "-c", help="Country of use: ISO alpha-2/alpha-3 or English name.")
]
YearOpt = Annotated[int, typer.Option("--year", "-y", help="First year of use.")]
SeriesOpt = Annotated[
    str | None,
    typer.Option("--grid-series", help="production (Ember, default) or consumption (Electricity Maps)."),
]
ProjectionOpt = Annotated[
    str | None,
    typer.Option(
        "--grid-projection",
        help="After the last grid data year: a scenario of the projections package, or constant (default: the data's default).",
    ),
]
GwpOpt = Annotated[
    str | None,
    typer.Option(
        "--gwp",
        help="GWP100 metric of the gases roadcarbon converts (tailpipe CH4, N2O): AR5 (default) or AR6; "
        "other factors keep their source's metric.",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
CsvOpt = Annotated[
    bool, typer.Option("--csv", help="Print tidy CSV: vehicle, country, year, stage, value, unit.")
]


def _vehicle(
    arg: str, field: str = "vehicle", *, country: str | None = None, powertrain: str | None = None
) -> VehicleSpec:
    """A preset id, a spec file, ``-`` (a YAML/JSON spec read from standard input), or ``average[-…]``:
    the market-average new car of the country of use (``avg-*`` presets)."""
    if arg == "-":
        return spec_from_mapping(read_stdin_document(field), field=field)
    if country is not None and is_market_average(arg) and not Path(arg).exists():
        return load_preset(market_average_id(arg, to_alpha2(country, field="--country"), powertrain))
    if powertrain is not None:
        fail("--powertrain applies only to the vehicle `average` (a market's average new car)")
    return load_vehicle(arg)


def _with_places(spec: VehicleSpec, battery_country: str | None, assembly_country: str | None) -> VehicleSpec:
    changes: dict[str, Any] = {}
    if battery_country:
        changes["battery_production_country"] = to_alpha2(battery_country, field="--battery-country")
    if assembly_country:
        changes["assembly_country"] = to_alpha2(assembly_country, field="--assembly-country")
    return spec.model_copy(update=changes) if changes else spec


def _write_exports(doc: dict[str, Any], name: str, olca: Path | None, brightway: Path | None) -> None:
    """Write the requested interchange files; a path that cannot be written is a one-line error."""
    targets: list[tuple[str, Path, bytes]] = []
    if olca is not None:
        from roadcarbon.services.exports import olca_package

        targets.append(("--olca", olca, olca_package(doc, vehicle_name=name)))
    if brightway is not None:
        from roadcarbon.io.brightway import brightway_csv

        targets.append(("--brightway", brightway, brightway_csv(doc, vehicle_name=name).encode("utf-8")))
    for option, path, content in targets:
        try:
            path.write_bytes(content)
        except OSError as exc:
            fail(f"{option}: cannot write {path}: {exc.strerror}")
        err_console.print(f"wrote {path}", markup=False, highlight=False)


def _err_status(message: str) -> Any:
    """A spinner with the elapsed time on stderr (stdout stays clean for --json/--csv; hidden when not a terminal)."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(
        SpinnerColumn(), TextColumn(escape(message)), TimeElapsedColumn(), console=err_console, transient=True
    )
    progress.add_task(message, total=None)
    return progress


def _stage_table(title: str, docs: list[dict[str, Any]]) -> Table:
    table = Table(title=escape(title), title_justify="left")
    table.add_column("stage [g CO2e/km]")
    for d in docs:
        table.add_column(escape(d["vehicle"]), justify="right")
    for stage in STAGES:
        table.add_row(stage, *(f"{d['stages_g_co2e_per_km'][stage]:,.1f}" for d in docs))
    table.add_row("[bold]total[/bold]", *(f"[bold]{d['total_g_co2e_per_km']:,.1f}[/bold]" for d in docs))
    if any("uncertainty" in d for d in docs):
        table.add_row(
            "p05 – p95",
            *(
                f"{d['uncertainty']['p05']:,.0f} – {d['uncertainty']['p95']:,.0f}"
                if "uncertainty" in d
                else ""
                for d in docs
            ),
        )
    table.add_row("recycling credit (apart)", *(f"−{d['recycling_credit_g_co2e_per_km']:,.1f}" for d in docs))
    table.add_row("lifetime km", *(f"{d['lifetime_km']:,.0f}" for d in docs))
    table.add_row("t CO2e per vehicle", *(f"{d['total_t_co2e']:,.1f}" for d in docs))
    if any("per_passenger" in d for d in docs):
        table.add_row(
            "[bold]total per passenger-km[/bold] [g CO2e/pkm]",
            *(
                f"[bold]{d['per_passenger']['total_g_co2e_per_pkm']:,.1f}[/bold]"
                if "per_passenger" in d
                else ""
                for d in docs
            ),
        )
        table.add_row(
            "average occupancy [passengers]",
            *(
                f"{d['per_passenger']['occupancy_passengers']:,.1f}" if "per_passenger" in d else ""
                for d in docs
            ),
        )
    return table


def _occupancy_line(doc: dict[str, Any]) -> str | None:
    """One sentence on the per-passenger-km figure and where its occupancy comes from (None if none)."""
    pp = doc.get("per_passenger")
    if not pp:
        return None
    src = pp.get("occupancy_source") or {}
    where = src.get("source_id", "")
    region = (src.get("applies_to") or {}).get("region")
    basis = (
        "set in the vehicle spec"
        if where == "vehicle spec"
        else f"{'national average for ' + region if region else 'default, no national figure (assumption)'}; source {where}"
    )
    return (
        f"{doc['vehicle']}: {pp['total_g_co2e_per_pkm']:,.1f} g CO2e per passenger-km at "
        f"{pp['occupancy_passengers']:g} passengers on average ({basis})"
    )


def register(app: typer.Typer) -> None:
    """Add the engine commands to the app."""

    @app.command()
    def lca(
        vehicle: Annotated[
            str,
            typer.Argument(
                help="Preset id (see `roadcarbon presets`), a YAML/JSON spec file, - to read the spec from stdin, "
                "or `average` (also average-bev, ...): the country's market-average new car."
            ),
        ],
        country: CountryOpt,
        year: YearOpt,
        powertrain: Annotated[
            str | None,
            typer.Option(help="With the vehicle `average`: petrol (default), diesel, hev or bev."),
        ] = None,
        samples: Annotated[int | None, typer.Option(help="Monte Carlo samples (2–100000).")] = None,
        seed: Annotated[int | None, typer.Option(help="Random seed for reproducible samples.")] = None,
        battery_country: Annotated[
            str | None, typer.Option(help="Where the battery is made (overrides the spec).")
        ] = None,
        assembly_country: Annotated[
            str | None, typer.Option(help="Where the vehicle is assembled (overrides the spec).")
        ] = None,
        grid_series: SeriesOpt = None,
        grid_projection: ProjectionOpt = None,
        gwp: GwpOpt = None,
        json_: JsonOpt = False,
        csv_: CsvOpt = False,
        olca: Annotated[
            Path | None,
            typer.Option(
                "--olca",
                help="Also write an openLCA JSON-LD zip (processes by stage and results) to this file.",
            ),
        ] = None,
        brightway: Annotated[
            Path | None,
            typer.Option(
                "--brightway",
                help="Also write the inventory as a bw2io CSV (bw2io.CSVImporter) to this file.",
            ),
        ] = None,
    ) -> None:
        """Cradle-to-grave GHG of one vehicle in one country, by stage."""
        with user_errors():
            if seed is not None and samples is None:
                fail("--seed needs --samples")
            if json_ and csv_:
                fail("--json and --csv: choose one")
            spec = _with_places(
                _vehicle(vehicle, country=country, powertrain=powertrain), battery_country, assembly_country
            )
            options: dict[str, Any] = {
                "grid_series": grid_series,
                "grid_projection": grid_projection,
                "gwp": gwp,
            }
            if samples is not None:
                with _err_status(f"Monte Carlo: {samples:,} samples…"):
                    doc = lca_document(spec, country, year, samples=samples, seed=seed, **options)
            else:
                doc = lca_document(spec, country, year, **options)
            _write_exports(doc, spec.name, olca, brightway)
        if json_:
            print_json(doc)
            return
        if csv_:
            print_csv(
                tidy_stage_rows({"country": doc["country"], "year": doc["year"], "vehicles": [doc]}),
                TIDY_COLUMNS,
            )
            return
        p = doc["places"]
        console.print(
            _stage_table(
                f"{doc['vehicle']} — used in {doc['country']} from {doc['year']} "
                f"(battery made in {p['battery_production_country']}, assembled in {p['assembly_country']})",
                [doc],
            )
        )
        unc = doc.get("uncertainty")
        spread = (
            f" (headline: central values; Monte Carlo p50 {unc['p50']:,.0f}, mean {unc.get('mean', unc['p50']):,.0f}, "
            f"p05–p95 {unc['p05']:,.0f}–{unc['p95']:,.0f}, {unc['samples']:,} samples)"
            if unc
            else ""
        )
        use = doc["use_phase"]
        grid = (
            f"; grid {use['grid_mean_g_co2e_per_kwh']:,.0f} g/kWh ({doc['grid_series']}, "
            f"{use['grid_projected_share']:.0%} projected: {use['projection_method']})"
            if use["grid_mean_g_co2e_per_kwh"] > 0
            else ""
        )
        console.print(
            f"{doc['vehicle']}: {doc['total_g_co2e_per_km']:,.0f} g CO2e/km{spread} over {doc['lifetime_km']:,.0f} km "
            f"= {doc['total_t_co2e']:,.1f} t CO2e{grid}; GWP100 {doc['gwp']['metric']}; data {doc['data_version']}",
            markup=False,
        )
        occupancy = _occupancy_line(doc)
        if occupancy:
            console.print(occupancy, markup=False)

    @app.command()
    def compare(
        vehicles: Annotated[
            list[str], typer.Argument(help="Two or more preset ids or spec files (one may be - for stdin).")
        ],
        country: CountryOpt,
        year: YearOpt,
        grid_series: SeriesOpt = None,
        grid_projection: ProjectionOpt = None,
        gwp: GwpOpt = None,
        json_: JsonOpt = False,
        csv_: CsvOpt = False,
    ) -> None:
        """Footprints side by side and the break-even distance."""
        with user_errors():
            if len(vehicles) < 2:
                fail("give at least two vehicles to compare")
            if vehicles.count("-") > 1:
                fail("vehicles: standard input (-) can be read only once")
            if json_ and csv_:
                fail("--json and --csv: choose one")
            doc = compare_document(
                [_vehicle(v, f"vehicles[{i}]", country=country) for i, v in enumerate(vehicles)],
                country,
                year,
                grid_series=grid_series,
                grid_projection=grid_projection,
                gwp=gwp,
            )
        if json_:
            print_json(doc)
            return
        if csv_:
            print_csv(tidy_stage_rows(doc), TIDY_COLUMNS)
            return
        console.print(_stage_table(f"Used in {doc['country']} from {doc['year']}", doc["vehicles"]))
        for vehicle_doc in doc["vehicles"]:
            occupancy = _occupancy_line(vehicle_doc)
            if occupancy:
                console.print(occupancy, markup=False)
        if not doc["break_even"]:
            console.print("No break-even: one vehicle emits less from the first km on.")
        for pair in doc["break_even"]:
            where = "within" if pair["within_lifetime"] else "beyond"
            console.print(
                f"{pair['vehicle']} falls below {pair['versus']} after {pair['break_even_km']:,.0f} km ({where} its lifetime).",
                markup=False,
            )

    @app.command()
    def presets(json_: JsonOpt = False) -> None:
        """List the packaged vehicle presets."""
        with user_errors():
            specs = [(pid, load_preset(pid)) for pid in list_presets()]
        if json_:
            print_json(
                [{"id": pid, **spec.model_dump(mode="json", exclude_none=True)} for pid, spec in specs]
            )
            return
        wide = console.width >= 120
        table = Table(
            title=f"{len(specs)} presets"
            + ("" if wide else " (names and cycles: widen the terminal or --json)"),
            title_justify="left",
        )
        # ids are what users type: never wrapped or cut, whatever the width (80 columns, a pipe)
        table.add_column("id", no_wrap=True, min_width=max((len(pid) for pid, _ in specs), default=2))
        columns = ("name", "segment", "powertrain", "cycle", "consumption", "battery")
        shown = columns if wide else ("segment", "powertrain", "consumption", "battery")
        for col in shown:
            table.add_column(col, overflow="fold")
        for pid, s in specs:
            consumption = (
                f"{s.electricity_consumption_kwh_per_100km} kWh/100km"
                if s.electricity_consumption_kwh_per_100km
                else ""
            )
            fuel = s.fuel_consumption_l_per_100km or s.fuel_consumption_kg_per_100km
            if fuel:
                unit = "L" if s.fuel_consumption_l_per_100km else "kg"
                consumption = ", ".join(x for x in (consumption, f"{fuel} {unit}/100km") if x)
            battery = (
                f"{s.battery_capacity_kwh} kWh {s.battery_chemistry or ''}" if s.battery_capacity_kwh else ""
            )
            cells = {
                "name": s.name,
                "segment": s.segment.value,
                "powertrain": s.powertrain.value,
                "cycle": s.test_cycle.value,
                "consumption": consumption,
                "battery": battery,
            }
            table.add_row(escape(pid), *(escape(cells[c]) for c in shown))
        console.print(table)

    @app.command()
    def demo(
        year: YearOpt = 2025,
        countries: Annotated[str, typer.Option(help="Comma-separated countries of use.")] = ",".join(
            DEMO_COUNTRIES
        ),
        json_: JsonOpt = False,
    ) -> None:
        """Compare a BEV, a hybrid and a petrol medium car in several countries."""
        with user_errors():
            specs = [load_preset(p) for p in DEMO_VEHICLES]
            codes = [to_alpha2(c.strip()) for c in countries.split(",") if c.strip()]
            a = run_assessment(specs, codes, [year])
        total = a.total_g_co2e_per_km
        if json_:
            print_json(
                {
                    "year": year,
                    "data_version": a.setup.data_version,
                    "unit": "g CO2e/km",
                    "vehicles": [
                        {"id": pid, "name": s.name, "powertrain": s.powertrain.value}
                        for pid, s in zip(DEMO_VEHICLES, specs, strict=True)
                    ],
                    "countries": [
                        {
                            "country": code,
                            "total_g_co2e_per_km": {
                                pid: float(total[v, c, 0]) for v, pid in enumerate(DEMO_VEHICLES)
                            },
                            "bev_vs_petrol": float((total[0, c, 0] - total[2, c, 0]) / total[2, c, 0]),
                        }
                        for c, code in enumerate(a.countries)
                    ],
                }
            )
            return
        table = Table(
            title=f"Life-cycle GHG of a medium car, first used in {year} [g CO2e/km] (data {a.setup.data_version})",
            title_justify="left",
        )
        table.add_column("country")
        for s in specs:
            table.add_column(s.powertrain.value, justify="right")
        table.add_column("BEV vs petrol", justify="right")
        for c, code in enumerate(a.countries):
            bev, _, petrol = (float(total[v, c, 0]) for v in range(3))
            table.add_row(
                code, *(f"{float(total[v, c, 0]):,.0f}" for v in range(3)), f"{(bev - petrol) / petrol:+.0%}"
            )
        console.print(table)
        console.print(
            "Stages, uncertainty and sources: `roadcarbon lca car-medium-bev --country ID --year 2025 --samples 1000`; "
            "break-even: `roadcarbon compare car-medium-bev car-medium-petrol --country ID --year 2025`."
        )
