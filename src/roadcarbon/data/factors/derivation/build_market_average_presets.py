"""Write the market-average presets ``data/presets/avg-<cc>-medium-<powertrain>.yaml`` (issue 12).

Run from the repository root: ``python src/roadcarbon/data/factors/derivation/build_market_average_presets.py``.

Consumption: the sales-weighted average of the cars newly registered in 2017 in each market, by
powertrain, calibrated to WLTP, in litres of gasoline equivalent per 100 km (Lge/100 km): IEA / GFEI
(2019), "Fuel Economy in Major Car Markets: Technology and Policy Drivers 2005-2017", data underlying
Figure 37 ("Fuel consumption range by type of powertrain and vehicle size, 2017"), as shipped in
iiasa/message-ix-models ``message_ix_models/data/transport/GFEI_FE_by_Powertrain_2017.csv``
(source id ``gfei_2019_fig37``).

Conversions (arithmetic only, with this package's own fuel energy contents, parameters.csv):
  petrol [L/100 km]   = Lge/100 km                       (a litre of gasoline equivalent is a litre of petrol)
  diesel [L/100 km]   = Lge/100 km x 31.95 / 35.69 MJ/L  (petrol / diesel lower heating values)
  electricity [kWh]   = Lge/100 km x 31.95 MJ/L / 3.6 MJ/kWh = x 8.875 kWh/Lge

The body (curb mass, power, battery capacity and chemistry) is the generic medium preset of the same
powertrain (carculator 2020 lower-medium): GFEI gives no mass or battery size by powertrain.
Values the source gives that are physically implausible are not shipped (listed in SKIPPED).
"""

from __future__ import annotations

from pathlib import Path

import yaml

PETROL_MJ_PER_L = 31.95
DIESEL_MJ_PER_L = 35.69
MJ_PER_KWH = 3.6

GFEI_2017_LGE_PER_100KM = {
    # market: {GFEI FuelTypeReduced: Lge/100 km}; (name in GFEI file)
    "US": ("USA", {"Petrol": 8.6, "Diesel": 9.1, "Hybrid": 4.7, "Electric": 1.9}),
    "CN": ("China", {"Petrol": 7.8, "Diesel": 8.5, "Hybrid": 5.1, "Electric": 1.6}),
    "IN": ("India", {"Petrol": 5.5, "Diesel": 5.8, "Hybrid": 9.3, "Electric": 1.8}),
    "ID": ("Indonesia", {"Petrol": 7.4, "Diesel": 9.2, "Hybrid": 6.5}),
    "TH": ("Thailand", {"Petrol": 6.8, "Diesel": 8.4, "Hybrid": 7.1, "Electric": 2.3}),
    "DE": ("Germany", {"Petrol": 6.3, "Diesel": 5.6, "Hybrid": 4.4, "Electric": 1.7}),
    "FR": ("France", {"Petrol": 5.7, "Diesel": 5.0, "Hybrid": 4.4, "Electric": 1.8}),
    "GB": ("United Kingdom", {"Petrol": 6.1, "Diesel": 5.6, "Hybrid": 4.4, "Electric": 1.9}),
    "PL": ("Poland", {"Petrol": 6.2, "Diesel": 5.7}),
}
SKIPPED = {
    "PL Electric 20.6 Lge/100 km": "= 183 kWh/100 km, ten times any car's consumption: a data error in the source",
    "PL Hybrid 11.3 Lge/100 km": "above the Polish petrol average (6.2) by 82 %: implausible, not shipped",
}
NOTES = {
    (
        "IN",
        "Hybrid",
    ): "India's 2017 hybrid sales were few and large (luxury D/E-segment hybrids): the average is "
    "above the petrol average, a segment-mix effect, not a worse technology.",
    (
        "TH",
        "Hybrid",
    ): "Thailand's 2017 hybrid sales were mostly D-segment sedans: the average is above the petrol "
    "average, a segment-mix effect.",
}
GENERIC = {
    "Petrol": "car-medium-petrol",
    "Diesel": "car-medium-diesel",
    "Hybrid": "car-medium-hev",
    "Electric": "car-medium-bev",
}
SLUG = {"Petrol": "petrol", "Diesel": "diesel", "Hybrid": "hev", "Electric": "bev"}


def main() -> None:
    presets = Path(__file__).resolve().parents[2] / "presets"
    for cc, (gfei_name, values) in GFEI_2017_LGE_PER_100KM.items():
        for kind, lge in values.items():
            generic_id = GENERIC[kind]
            generic = yaml.safe_load((presets / f"{generic_id}.yaml").read_text(encoding="utf-8"))
            lines = [
                f"# Market-average new car, {cc}: sales-weighted average fuel/electricity consumption of the cars",
                f"# newly registered in 2017 ({kind}), calibrated to WLTP: IEA/GFEI 2019, Figure 37 data ({gfei_name},",
                f"# {kind}, 2017) = {lge} Lge/100 km [gfei_2019_fig37]. Written by",
                "# data/factors/derivation/build_market_average_presets.py; see docs/methodology.md 'Market-average cars'.",
            ]
            spec: dict[str, object] = {
                "name": f"Market-average new car, {cc}, {SLUG[kind]} (GFEI 2017, WLTP-calibrated)",
                "category": "passenger_car",
                "segment": "medium",
                "powertrain": generic["powertrain"],
                "fuel": generic["fuel"],
                "curb_mass_kg": generic["curb_mass_kg"],
            }
            if "engine_power_kw" in generic:
                spec["engine_power_kw"] = generic["engine_power_kw"]
            if generic.get("battery_capacity_kwh"):
                spec["battery_capacity_kwh"] = generic["battery_capacity_kwh"]
                spec["battery_chemistry"] = generic["battery_chemistry"]
            if kind == "Electric":
                kwh = round(lge * PETROL_MJ_PER_L / MJ_PER_KWH, 2)
                spec["electricity_consumption_kwh_per_100km"] = kwh
                lines.append(
                    f"#   electricity_consumption_kwh_per_100km: {lge} Lge x {PETROL_MJ_PER_L} MJ/L / {MJ_PER_KWH} MJ/kWh = {kwh}"
                )
            elif kind == "Diesel":
                litres = round(lge * PETROL_MJ_PER_L / DIESEL_MJ_PER_L, 2)
                spec["fuel_consumption_l_per_100km"] = litres
                lines.append(
                    f"#   fuel_consumption_l_per_100km: {lge} Lge x {PETROL_MJ_PER_L} / {DIESEL_MJ_PER_L} MJ/L (petrol/diesel LHV) = {litres}"
                )
            else:
                spec["fuel_consumption_l_per_100km"] = lge
                lines.append(
                    f"#   fuel_consumption_l_per_100km: {lge} (a litre of gasoline equivalent is a litre of petrol)"
                )
            lines.append(
                f"#   curb_mass_kg, engine_power_kw{', battery' if generic.get('battery_capacity_kwh') else ''}: "
                f"ASSUMPTION, the generic {generic_id} preset (GFEI gives no mass or battery by powertrain)"
            )
            lines.append(
                "#   segment 'medium': the GFEI figure averages all sizes sold; the body is the lower-medium class."
            )
            if (cc, kind) in NOTES:
                lines.append(f"# NOTE: {NOTES[(cc, kind)]}")
            spec["test_cycle"] = "WLTP"
            spec["sources"] = ["gfei_2019_fig37", *generic.get("sources", [])]
            text = "\n".join(lines) + "\n" + yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)
            (presets / f"avg-{cc.lower()}-medium-{SLUG[kind]}.yaml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
