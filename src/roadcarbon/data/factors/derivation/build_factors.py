"""Build the reference-data CSVs of ``roadcarbon/data/factors`` from the sourced research tables.

This is a *build-time* script, never imported by the package.  It reads the
research tables (``--shared``, the programme's reviewed research folder, whose
every value carries a source address) and writes the CSV files beside
``datapackage.json``.  The output is committed and reviewed; the package never
reads the research folder at run time.

Hand-entered values (parameters.csv, sources.csv, fuel_blends.csv) are written
from the literal rows below, each with its source id, locator and, where it is
not a copy of a published number, ``assumption=true`` and the reason (the
arithmetic or the bracketing sources).  Rows of other derivation modules are
taken from them, not copied: the grid history 2010 onwards
(``build_grid_history.splice``) and the two-wheeler, van/pickup and bus-occupancy
rows and their sources (``vehicle_classes.all_rows`` / ``SOURCES``, written last).

Every committed CSV/JSON of the package is this script's output byte for byte
(``tests/unit/data/test_build_reproduces_package.py``): change data here (or in
the module that owns it) and rebuild, never in the CSVs by hand.

Usage::

    python src/roadcarbon/data/factors/derivation/build_factors.py --shared /work/shared/data
    python src/roadcarbon/data/factors/derivation/build_factors.py --shared /work/shared/data --out /tmp/factors

``--out`` writes into another folder (default: the package folder) and leaves the package untouched.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import math
import statistics
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pycountry

HERE = Path(__file__).resolve().parent
OUT = HERE.parent

CO2JS = "https://github.com/thegreenwebfoundation/co2.js"
OWID_COPY = "https://github.com/rosieneville1/rosieneville1.github.io/blob/66c7704a68cc0956b962fa0e07e55ea6438a8b09/share-elec-by-source.csv"
CARC_UTILS = "https://pypi.org/project/carculator-utils/1.3.5/"
CARC = "https://pypi.org/project/carculator/1.9.5/"
CARC_BUS = "https://pypi.org/project/carculator-bus/0.1.0/"
PMBUSCH = "https://github.com/pmbusch/USA-EV-Lithium-GHG/blob/c82f0963f59fce5402be5fa0e7a10e7fa29906ab"

# --------------------------------------------------------------------------------------------
# Sources registry: source_id, title, publisher, year, url, licence, quality, notes
# --------------------------------------------------------------------------------------------
SOURCES: list[tuple[str, str, str, str, str, str, str, str]] = [
    (
        "ember_yearly_co2js",
        "Ember Yearly Electricity Data: carbon intensity of generation (country_overview_yearly API), as mirrored monthly in co2.js data/output/average-intensities.json",
        "Ember; mirror by The Green Web Foundation (co2.js)",
        "2025",
        "https://ember-climate.org/data/",
        "CC-BY-4.0 (Ember data); co2.js code Apache-2.0",
        "good",
        "Life-cycle, production-based (domestic generation, excludes imports), GWP100 AR5. One value per country-year recovered from the co2.js git history, newest vintage first; commit URL per row in grid_intensity.locator.",
    ),
    (
        "electricitymaps_yearly_co2js",
        "Electricity Maps yearly average carbon intensity 2021-2025, as mirrored in co2.js data/output/electricity-maps/yearly_YYYY.json (commit df82c78)",
        "Electricity Maps; mirror by The Green Web Foundation (co2.js)",
        "2026",
        f"{CO2JS}/tree/df82c78e7e52f74a8e413846504b517a63a0ab52/data/output/electricity-maps",
        "ODbL-1.0 (annual grid intensity republished by co2.js from Electricity Maps under the Open Database License: attribute Electricity Maps, share-alike for derived databases; stated in the co2.js data docs https://github.com/thegreenwebfoundation/developer-docs/blob/14e671599f43dcd3891c56699e80302b813fa6da/src/docs/co2js/data/electricity-maps.md)",
        "good (machine data)",
        "Life-cycle (Electricity Maps default factors = IPCC AR5 medians), consumption-based, flow-traced incl. imports.",
    ),
    (
        "owid_share_elec_by_source",
        "Our World in Data: share of electricity generation by source (Ember + Energy Institute Statistical Review), copy committed 2024-06-13",
        "Our World in Data",
        "2024",
        "https://ourworldindata.org/grapher/share-elec-by-source",
        "CC-BY-4.0",
        "good",
        f"Copy read: {OWID_COPY}",
    ),
    (
        "ipcc_ar5_wg3_annex3",
        "IPCC AR5 WG3 Annex III, Table A.III.2: life-cycle emissions of electricity supply technologies (medians)",
        "IPCC",
        "2014",
        "https://www.ipcc.ch/site/assets/uploads/2018/02/ipcc_wg3_ar5_annex-iii.pdf#page=7",
        "IPCC (reproduction for non-commercial/research use with attribution)",
        "good (secondary transcription at wikicarbon.org, identical to Electricity Maps defaults)",
        "Medians: coal PC 820, gas CC 490, dedicated biomass 230, PV utility 48 / rooftop 41, geothermal 38, hydro 24, nuclear 12, wind onshore 11 gCO2e/kWh.",
    ),
    (
        "electricitymaps_defaults",
        "Electricity Maps config/defaults.yaml (default life-cycle emission factors: oil 650 from UK POST, solar 45, unknown 700)",
        "Electricity Maps (electricitymaps-contrib, commit 9225a1f)",
        "2024",
        "https://github.com/electricitymaps/electricitymaps-contrib/blob/9225a1f/config/defaults.yaml",
        "AGPL-3.0 repository; factual values cited",
        "good",
        "",
    ),
    (
        "carculator_utils_1_3_5",
        "carculator_utils 1.3.5 package data: cumulative electricity losses, fuel specifications, HBEFA 4.2 fitted exhaust coefficients",
        "Paul Scherrer Institute (R. Sacchi)",
        "2024",
        CARC_UTILS,
        "BSD-3-Clause",
        "medium (upstream origin of T&D losses not documented; presumably ecoinvent markets)",
        "",
    ),
    (
        "carculator_1_9_5",
        "carculator 1.9.5 default_parameters.json and documentation (modeling.rst)",
        "Paul Scherrer Institute (R. Sacchi)",
        "2024",
        CARC,
        "BSD-3-Clause",
        "good (machine-readable model defaults)",
        "Model defaults with min/max; each parameter cites its own literature in the package.",
    ),
    (
        "carculator_bus_0_1_0",
        "carculator_bus 0.1.0 default parameters and model outputs for 13 m city buses",
        "Paul Scherrer Institute (R. Sacchi)",
        "2021",
        CARC_BUS,
        "BSD-3-Clause",
        "good (machine-readable model defaults); model outputs are modelled values",
        "",
    ),
    (
        "desnz_2025",
        "UK Government GHG Conversion Factors for Company Reporting 2025 (WTT- fuels; WTT- bioenergy)",
        "UK Department for Energy Security and Net Zero (DESNZ)",
        "2025",
        "https://www.gov.uk/government/collections/government-conversion-factors-for-company-reporting",
        "OGL-UK-3.0",
        "good (official factors; public copy read in scope3emissiontest-oss/JulesProject defra_factors_2025_v2)",
        "UK supply chains.",
    ),
    (
        "ipcc_2006_vol2_ch3",
        "2006 IPCC Guidelines for National Greenhouse Gas Inventories, Vol. 2 Ch. 3 (Mobile Combustion), Table 3.2.1 default CO2 emission factors",
        "IPCC",
        "2006",
        "https://www.ipcc-nggip.iges.or.jp/public/2006gl/vol2.html",
        "IPCC (reproduction with attribution)",
        "good (secondary transcription at transitionelements.org)",
        "Gasoline 69.3, diesel 74.1, LPG 63.1, natural gas 56.1 t CO2/TJ.",
    ),
    (
        "gwp_openclimatedata",
        "globalwarmingpotentials 0.13.2: GWP100 values by IPCC assessment report",
        "openclimatedata",
        "2023",
        "https://pypi.org/project/globalwarmingpotentials/0.13.2/",
        "CC0-1.0",
        "good",
        "AR5 GWP100 (no climate-carbon feedback): CH4 28, N2O 265.",
    ),
    (
        "greet_2024_pmbusch",
        "ANL GREET 2024 (LIB_BoM, LIB_Assembly, Vehi_Prod, LIB_Recycling sheets) as extracted in pmbusch/USA-EV-Lithium-GHG",
        "Argonne National Laboratory; extraction by P. Busch",
        "2024",
        f"{PMBUSCH}/Inputs",
        "GREET: free public model (ANL); repository licence UNVERIFIED",
        "good (machine-readable extract; AR6 GWPs CH4 29.8, N2O 273)",
        "GREET uses AR6 GWPs and US supply chains.",
    ),
    (
        "batpac_5_2_pmbusch",
        "ANL BatPaC 5.2 pack masses for 100 kWh packs, as coded in pmbusch/EoL-LIB (pack kg per kWh by chemistry)",
        "Argonne National Laboratory; code by P. Busch",
        "2023",
        "https://github.com/pmbusch/EoL-LIB",
        "BatPaC: free public model (ANL); repository licence UNVERIFIED",
        "good-medium",
        "",
    ),
    (
        "degen_2023",
        "Degen, Winter, Bendig, Tuebke (2023) Energy consumption of current and future production of lithium-ion and post lithium-ion battery cells. Nature Energy 8:1284-1295",
        "Nature Energy",
        "2023",
        "https://doi.org/10.1038/s41560-023-01355-z",
        "paper (facts cited)",
        "secondary excerpt of paper text; abstract verified",
        "Current LIB cells 20.3-37.5 kWh_prod per kWh_cell (NMC900 lowest, LFP highest).",
    ),
    (
        "degen_schuette_2022",
        "State-of-the-art LIB factory energy model: 41.48 kWh per kWh_cell of which 52 % natural gas (drying, dry rooms); attributed to Degen & Schuette 2022, J. Cleaner Production",
        "J. Cleaner Production (attribution UNVERIFIED)",
        "2022",
        "https://doi.org/10.1016/j.jclepro.2022.131120",
        "paper (facts cited)",
        "tertiary mirror; attribution unverified",
        "Electricity about 20.1 and gas heat 21.38 kWh per kWh_cell (derived from the 52 % share).",
    ),
    (
        "dai_2019",
        "Dai, Kelly, Gaines, Wang (2019) Life cycle analysis of lithium-ion batteries for automotive applications. Batteries 5(2):48 (GREET)",
        "MDPI Batteries",
        "2019",
        "https://doi.org/10.3390/batteries5020048",
        "CC-BY-4.0 (MDPI open access)",
        "secondary quote of the table",
        "Cell manufacturing in a ~2 GWh/yr plant in China: 170 MJ per kWh_cell = 140 MJ steam + 30 MJ electricity.",
    ),
    (
        "sullivan_2012",
        "Sullivan, Burnham, Wang (2012) Model for the part manufacturing and vehicle assembly component of the vehicle life cycle inventory. J. Industrial Ecology (ANL/ESD)",
        "J. Industrial Ecology",
        "2012",
        "https://doi.org/10.1111/j.1530-9290.2012.00515.x",
        "paper (facts cited)",
        "abstract",
        "Part manufacturing + vehicle assembly (VMA) of a conventional mid-size car: 34 GJ and about 2 t CO2 per vehicle; mass term + plant overhead.",
    ),
    (
        "nrc_2010_hidden_costs",
        "National Research Council (2010) Hidden Costs of Energy, Appendix D (description of GREET 2.7a vehicle-manufacturing emissions, which include disposal)",
        "National Academies Press",
        "2010",
        "http://www.nap.edu/openbook.php?record_id=12794&page=435",
        "NAP (facts cited)",
        "good",
        "States that GREET 2.7a vehicle-cycle results cover material inputs through assembly and that disposal is included.",
    ),
    (
        "icct_2024_lab_to_road",
        "ICCT press release 31 Jan 2024: gap between real-world and official CO2/fuel values grows again despite new test procedure (From laboratory to road)",
        "ICCT",
        "2024",
        "https://theicct.org/pr-en-gap-between-real-world-and-official-values-for-co2-emissions-and-fuel-consumption-grows-again-despite-new-test-procedure-jan24/",
        "ICCT (facts cited)",
        "good",
        "EU: NEDC gap 33 % (2018); WLTP gap 8 % (2018) rising to 14 % (2022).",
    ),
    (
        "icct_2017_lab_to_road",
        "Tietge et al. (2017) From laboratory to road: a 2017 update (ICCT)",
        "ICCT",
        "2017",
        "https://theicct.org/publication/from-laboratory-to-road-a-2017-update-of-official-and-real-world-fuel-consumption-and-co2-values-for-passenger-cars-in-europe/",
        "ICCT (facts cited)",
        "good",
        "EU NEDC gap 9 % (2001) to 42 % (2016).",
    ),
    (
        "icct_2021_china_gap",
        "ICCT (2021) Evaluation of real-world fuel consumption of light-duty vehicles in China (2021 update)",
        "ICCT",
        "2021",
        "https://theicct.org/publication/evaluation-of-real-world-fuel-consumption-of-light-duty-vehicles-in-china-2021-update/",
        "ICCT (facts cited)",
        "good",
        "Gap 14 % (MY2007) to 37 % (MY2021), NEDC/WLTC-era type approval; no CLTC-specific gap.",
    ),
    (
        "vanderwerp_2023_sae",
        "VanderWerp & Pannone (2023) SAE WCX paper on EV highway range vs EPA labels (Car and Driver 75 mph test)",
        "SAE International",
        "2023",
        "https://www.caranddriver.com/news/a43346522/evs-fall-short-epa-range-testing-sae/",
        "facts cited",
        "good (paper summary)",
        "BEVs 12.5 % short of EPA range at 75 mph; >350 ICEVs 4 % better than EPA highway label.",
    ),
    (
        "plotz_2020_icct_phev",
        "Ploetz, Moll, Bieker, Mock, Li (2020) Real-world usage of plug-in hybrid electric vehicles (ICCT white paper), utility factor by charge-depleting range for private cars in Germany, as tabulated in carculator docs Table 11",
        "ICCT / Fraunhofer ISI",
        "2020",
        "https://theicct.org/publication/real-world-usage-of-plug-in-hybrid-electric-vehicles-fuel-consumption-electric-driving-and-co2-emissions/",
        "ICCT (facts cited)",
        "good (secondary table in carculator docs, BSD-3)",
        "",
    ),
    (
        "icct_2022_phev_eu",
        "Ploetz et al. (2022) Real-world usage of plug-in hybrid vehicles in Europe: a 2022 update (ICCT / Fraunhofer ISI)",
        "ICCT",
        "2022",
        "https://theicct.org/publication/real-world-phev-use-jun22/",
        "ICCT (facts cited)",
        "good",
        "",
    ),
    (
        "wevj_2021_china_uf",
        "World Electric Vehicle Journal 12(4):169 (2021): PHEV utility factor under actual charging in seven Chinese cities",
        "MDPI WEVJ",
        "2021",
        "https://doi.org/10.3390/wevj12040169",
        "CC-BY-4.0",
        "good",
        "",
    ),
    (
        "adac_2022_charging",
        "ADAC (2022) charging-loss test of four BEVs (household socket vs wallbox)",
        "ADAC",
        "2022",
        "https://www.adac.de/rund-ums-fahrzeug/elektromobilitaet/laden/ladeverluste-elektroauto-studie/",
        "facts cited",
        "good (press copies)",
        "2.3 kW socket: 12.7-24.2 % loss (mean 16.4 %); 11 kW wallbox 6.3-9.7 %.",
    ),
    (
        "adac_2024_charging",
        "ADAC EcoTest (2024): average charging loss over more than 90 EVs",
        "ADAC",
        "2024",
        "https://www.adac.de/rund-ums-fahrzeug/tests/ecotest/",
        "facts cited",
        "medium (press copy)",
        "Mean 14.5 %, range 8-30 %.",
    ),
    (
        "nhtsa_lu_2006",
        "Lu (2006) Vehicle survivability and travel mileage schedules, NHTSA Technical Report DOT HS 809 952",
        "US NHTSA",
        "2006",
        "https://crashstats.nhtsa.dot.gov/Api/Public/ViewPublication/809952",
        "US government work (public domain)",
        "good",
        "Passenger-car lifetime mileage 152,137 mi = 244,843 km.",
    ),
    (
        "liu_2015_china_vkt",
        "Liu H. et al. (Tsinghua): average Chinese car travels 18,900 km per year (2015), as reported by New Geography",
        "New Geography (secondary)",
        "2015",
        "http://www.newgeography.com/content/006420-average-chinese-car-travels-much-american-car",
        "facts cited",
        "medium (secondary)",
        "",
    ),
    (
        "fta_2020_useful_life",
        "US FTA (2020) Revenue vehicle useful-life benchmark: 14 years for transit buses; US BTS ~18,000 mi/yr per bus (via ClimateView docs)",
        "US Federal Transit Administration / BTS",
        "2020",
        "https://www.transit.dot.gov/TAM/ULBcalculator",
        "US government work (public domain)",
        "medium (secondary)",
        "14 yr x 29,000 km/yr = 406,000 km (derived).",
    ),
    (
        "hao_2011_survival",
        "Hao, Wang, Ouyang, Cheng (2011) Vehicle survival patterns in China. Science China Technological Sciences",
        "Science China",
        "2011",
        "http://en.cnki.com.cn/Article_en/CJFDTOTAL-JEXG201103015.htm",
        "facts cited",
        "good (abstract)",
        "Mean lifespans: private cars 14.5 yr, transit buses 9 yr.",
    ),
    (
        "aichberger_2020",
        "Aichberger & Jungmeier (2020) Environmental life cycle impacts of automotive batteries based on a literature review. Energies 13:6345",
        "MDPI Energies",
        "2020",
        "https://doi.org/10.3390/en13236345",
        "CC-BY-4.0",
        "good (abstract)",
        "Pack production median 120 (IQR 70-175) kgCO2e/kWh; recycling credit median 20 (IQR 5-29) kgCO2e/kWh.",
    ),
    (
        "llamas_orozco_2023",
        "Llamas-Orozco et al. (2023) Estimating the environmental impacts of global lithium-ion battery supply chain. PNAS Nexus 2(11):pgad361",
        "PNAS Nexus",
        "2023",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC10683946/",
        "CC-BY-4.0",
        "good",
        "Recycled materials cut GHG by 61 % (direct), 51 % (hydro), 17 % (pyro).",
    ),
    (
        "patel_2024_h2",
        "Patel et al. (2024) Climate change performance of hydrogen production based on life cycle assessment. Green Chemistry, doi:10.1039/d3gc02410e",
        "Royal Society of Chemistry",
        "2024",
        "https://doi.org/10.1039/d3gc02410e",
        "CC-BY-3.0 (RSC open access)",
        "good",
        "kgCO2e/kgH2: grey 12.3 (pipeline NG) / 13.9 (LNG), blue 7.6 / 9.3, turquoise 6.1 / 8.3, green wind 0.6, PV 2.5; production only (compression/dispensing likely excluded).",
    ),
    (
        "wei_2024_h2",
        "Wei, Sacchi, Tukker, Suh, Steubing (2024) Future environmental impacts of global hydrogen production. Energy & Environmental Science",
        "Royal Society of Chemistry",
        "2024",
        "https://pubs.rsc.org/en/content/articlehtml/2024/ee/d3ee03875k",
        "CC-BY-3.0 (RSC open access)",
        "good",
        "Global average production ~14 kgCO2e/kgH2 today.",
    ),
    (
        "seabra_2011",
        "Seabra, Macedo, Chum, Faroni, Sarto (2011) Life cycle assessment of Brazilian sugarcane products. Biofuels Bioprod. Bioref. 5:519-532",
        "Wiley",
        "2011",
        "https://doi.org/10.1002/bbb.289",
        "paper (facts cited)",
        "good",
        "Centre-South ethanol 21.3 gCO2e/MJ excl. LUC.",
    ),
    (
        "macedo_2008",
        "Macedo, Seabra, Silva (2008) Green house gases emissions in the production and use of ethanol from sugarcane in Brazil. Biomass & Bioenergy 32:582-595",
        "Elsevier",
        "2008",
        "https://doi.org/10.1016/j.biombioe.2007.12.006",
        "paper (facts cited)",
        "medium (mirror)",
        "436 kgCO2e/m3 anhydrous ethanol (2005/06), 345 in the 2020 scenario.",
    ),
    (
        "hbefa_4_2",
        "HBEFA 4.2 fitted CH4/N2O exhaust coefficients (g per MJ fuel) as shipped in carculator_utils 1.3.5",
        "INFRAS / HBEFA; via PSI carculator_utils",
        "2022",
        CARC_UTILS,
        "BSD-3-Clause (carculator_utils); HBEFA coefficients as published in the package",
        "good (machine-readable)",
        "",
    ),
    (
        "ifeu_2003_bus",
        "IFEU (2003) exemplification for standard diesel city bus based on operator data: 40 L/100 km, net weight 15 t",
        "IFEU Heidelberg",
        "2003",
        "https://www.ifeu.de/",
        "facts cited",
        "medium",
        "",
    ),
    (
        "jive_fcev_bus",
        "JIVE/JIVE2 fuelcellbuses.eu wiki, Regular operations (Aug 2023): 12 m FCEV buses 8-10 kg H2/100 km (previous generation), some new fleets below 7",
        "Fuel Cells and Hydrogen Joint Undertaking projects JIVE/JIVE2",
        "2023",
        "https://fuelcellbuses.eu/wiki/deployment-and-operations-start-implement/regular-operations",
        "facts cited",
        "good",
        "",
    ),
    (
        "bogota_bus_test_2015",
        "Sistemas Sustentables & ISSRC route test of a 12 m BYD battery-electric bus for TransMilenio (2015): 1.13 km/kWh",
        "Sistemas Sustentables / ISSRC",
        "2015",
        "https://www.transmilenio.gov.co/",
        "facts cited",
        "medium",
        "0.885 kWh/km derived.",
    ),
    (
        "icct_2019_wltp_eu",
        "ICCT (2019) On the way to real-world CO2 values: the European passenger car market in its first year after introducing the WLTP",
        "ICCT",
        "2019",
        "https://theicct.org/publication/on-the-way-to-real-world-co2-values-the-european-passenger-car-market-in-its-first-year-after-introducing-the-wltp/",
        "ICCT (facts cited)",
        "good",
        "WLTP/NEDC CO2 = 1.21 on 2018 EU monitoring data.",
    ),
    (
        "te_2019_wltp_review",
        "Transport & Environment (2019) response to HM Treasury 'Review of WLTP and vehicle taxes'",
        "Transport & Environment",
        "2019",
        "https://readkong.com/page/review-of-wltp-and-vehicle-taxes-response-to-uk-hm-6914186",
        "facts cited",
        "medium (mirror)",
        "WLTP/NEDC 1.23-1.36 (24 models); 1.01-1.25 across other studies.",
    ),
    (
        "icct_2014_mock_wltp",
        "Mock et al. (2014) ICCT working paper on WLTP-equivalent targets, as reported by Green Car Congress",
        "ICCT",
        "2014",
        "https://www.greencarcongress.com/2014/11/20141103-icct.html",
        "facts cited",
        "medium (secondary)",
        "95 g/km NEDC target = 100 (102 incl. 14 degC correction) g/km WLTP.",
    ),
    (
        "icct_cycles_blog",
        "ICCT blog: Which vehicle emissions test cycle is most demanding?",
        "ICCT",
        "2014",
        "https://theicct.org/which-vehicle-emissions-test-cycle-is-most-demanding/",
        "ICCT (facts cited)",
        "good",
        "Cycle-only simulation for gasoline/diesel cars.",
    ),
    (
        "epa_range_derating",
        "EPA BEV range derating (0.7 x raw UDDS/HWFET range, 55/45 weighting) as explained by Capital One Auto",
        "Capital One Auto (secondary of 40 CFR 600 / SAE J1634)",
        "2023",
        "https://capitalone.com/cars/learn/finding-the-right-car/how-does-the-epa-calculate-ev-range",
        "facts cited",
        "medium (secondary)",
        "",
    ),
    (
        "pcauto_cltc_nedc",
        "PCauto user note: CLTC range usually 5-10 % higher than NEDC",
        "PCauto (consumer media)",
        "2022",
        "https://m.pcauto.com.cn/note/858345316429075125.html",
        "facts cited",
        "weak (consumer media)",
        "",
    ),
    (
        "tesla_m3_cltc_51774",
        "Tesla Model 3 Performance China re-declaration: 605 km NEDC -> 675 km CLTC (51774.com)",
        "51774.com (consumer media)",
        "2022",
        "https://51774.com/kexuetansuo/47966.html",
        "facts cited",
        "weak (single vehicle)",
        "",
    ),
    (
        "freshmotors_cltc_wltp",
        "FreshMotors explainer: CLTC 100 % -> WLTP ~85 % -> EPA ~75 % (rule of thumb)",
        "FreshMotors (consumer media)",
        "2024",
        "https://www.freshmotors.net/articles/ev-range-cltc-wltp-epa-nedc-explained",
        "facts cited",
        "weak (rule of thumb)",
        "",
    ),
    (
        "newthingstoday_ranges",
        "newthingstoday: EV range ratings WLTP vs EPA vs CLTC",
        "newthingstoday (consumer media)",
        "2024",
        "https://newthingstoday.com/ev-range-ratings-wltp-epa-cltc",
        "facts cited",
        "weak",
        "",
    ),
    (
        "circulux_leaf",
        "Nissan Leaf 40 kWh: EPA 151 mi vs WLTP 170 mi (thecirculux.com reprint)",
        "thecirculux.com (consumer media)",
        "2019",
        "http://thecirculux.com/index-270.html",
        "facts cited",
        "weak (single vehicle)",
        "",
    ),
    (
        "cal53_cltc_wltp",
        "cal53.calculator.city CLTC vs WLTP calculator (web tool)",
        "web tool",
        "2024",
        "https://cal53.calculator.city/cltc-vs-wltp-calculator/",
        "facts cited",
        "weak (low credibility; kept to show the spread)",
        "",
    ),
    (
        "carculator_1_9_5_outputs_2020",
        "carculator 1.9.5 CarModel outputs for 2020 cars (static default parameters, WLTC): curb mass, tank-to-wheel energy, plug electricity, battery energy, PHEV utility factor",
        "Paul Scherrer Institute (model); run by roadcarbon (derivation/carculator_outputs.py)",
        "2024",
        "https://pypi.org/project/carculator/1.9.5/",
        "BSD-3-Clause",
        "model output (simulation), reproducible",
        "Outputs in src/roadcarbon/data/factors/derivation/carculator_2020_outputs.json; segment mapping small=Small, medium=Lower medium, large=Large, suv=Medium SUV.",
    ),
    (
        "carculator_bus_0_1_0_outputs_2020",
        "carculator_bus 0.1.0 BusModel outputs for a 2020 13 m city bus (static default parameters, default urban cycle)",
        "Paul Scherrer Institute (model); run by roadcarbon (derivation/carculator_outputs.py)",
        "2021",
        "https://pypi.org/project/carculator-bus/0.1.0/",
        "BSD-3-Clause",
        "model output (simulation), reproducible",
        "FCEV hydrogen use (4.1 kg/100 km) is about half the JIVE in-service 8-10 kg/100 km.",
    ),
    (
        "hdmotori_atto3_2023",
        "BYD Atto 3 test: consumption, range, charging (spec sheet)",
        "HDmotori.it",
        "2023",
        "https://www.hdmotori.it/prove/byd-recensioni-n578212-byd-atto-3-consumi-autonomia-ricarica-inverno",
        "facts cited",
        "medium (media spec sheet quoting WLTP)",
        "160 Wh/km WLTP, 420 km, 60.48 kWh LFP, 1,750 kg kerb, GVW 2,160 kg, battery 420 kg.",
    ),
    (
        "topgear_atto3",
        "TopGear review: BYD Atto 3",
        "TopGear",
        "2023",
        "https://www.topgear.com/car-reviews/byd/atto-3/driving",
        "facts cited",
        "medium (media)",
        "1,750 kg kerb.",
    ),
    (
        "pushevs_dolphin_miit_2021",
        "BYD Dolphin gets its third version homologated (MIIT filing)",
        "PushEVs",
        "2021",
        "https://pushevs.com/2021/08/11/byd-dolphin-gets-its-third-version-homologated/",
        "facts cited",
        "medium (media quoting MIIT)",
        "30.72 kWh: 301 km NEDC, 10.3 kWh/100 km, 1,285 kg; 44.928 kWh: 405 km, 11.0 kWh/100 km, 1,405 kg.",
    ),
    (
        "drivolution_dolphin_2024",
        "Test review DrivOlution: BYD Dolphin Design 62 kWh",
        "DrivOlution",
        "2024",
        "https://drivolution.be/nl/nieuws/test-review-drivolution-byd-dolphin-design-62-kwh",
        "facts cited",
        "medium (media)",
        "427 km WLTP, 15.9 kWh/100 km, 1,733 kg in running order, 62.0/60.5 kWh.",
    ),
    (
        "italy24_mg4_2023",
        "MG4 Electric 64 kWh specifications (mass, chemistry)",
        "Italy24 press",
        "2023",
        "https://news.italy24.press/technology/1598392.html",
        "facts cited",
        "medium (media)",
        "1,726 kg running weight, 104 NCM cells, WLTP 435-450 km.",
    ),
    (
        "indonewyork_mg4",
        "MG4 Electric: 16.6 kWh/100 km WLTP",
        "indonewyork",
        "2023",
        "https://indonewyork.com/?p=109348",
        "facts cited",
        "weak-medium (media)",
        "",
    ),
    (
        "carsradars_corolla_2020",
        "2020 Toyota Corolla hybrid fuel economy rivals Prius (EPA estimates)",
        "CarsRadars",
        "2020",
        "http://carsradars.com/car-reviews/2020-toyota-corolla-hybrids-fuel-economy-rivals-prius-other-models-less-impressive/",
        "facts cited",
        "medium (media quoting EPA)",
        "EPA combined: Corolla 1.8 33 mpg, Corolla Hybrid 52 mpg.",
    ),
    (
        "paultan_city_ehev_2020",
        "Honda City e:HEV RS launched in Thailand, 27.8 km/L NEDC",
        "paultan.org",
        "2020",
        "https://paultan.org/2020/11/24/honda-city-ehev-rs-launched-in-thailand-first-in-asean-27-3-km-l-new-obsidian-blue-pearl-rm113100/",
        "facts cited",
        "medium (media quoting Honda)",
        "",
    ),
    (
        "carculator_utils_1_3_5_lcia",
        "carculator_utils 1.3.5 aggregated life-cycle impact scores of background activities (data/IAM/B_matrix_recipe_midpoint_static.npz, IPCC 2021 GWP100), e.g. 'maintenance, passenger car', 'maintenance, bus'",
        "Paul Scherrer Institute (derived from ecoinvent 3.x datasets)",
        "2024",
        "https://pypi.org/project/carculator-utils/1.3.5/",
        "BSD-3-Clause (package); redistribution terms of the ecoinvent-derived aggregated scores UNVERIFIED",
        "good (machine-readable); AR6 (IPCC 2021) GWP100",
        "maintenance, passenger car (RER) 1018.2 kg CO2e/unit; maintenance, bus (CH) 7913.6; market for glider, passenger car 6.47 kg CO2e/kg. Extracted by derivation/carculator_outputs.py.",
    ),
    (
        "this_package_derivation",
        "roadcarbon reference data: values derived in this package from the sources named in each row (see the row's reason/locator and README.md)",
        "roadcarbon developers",
        "2026",
        "src/roadcarbon/data/factors/README.md",
        "CC-BY-4.0",
        "derived",
        "Used only together with the bracketing sources named in the row.",
    ),
    (
        "roadcarbon_definitions",
        "roadcarbon definitions: values that follow from the definition of a quantity, not from measurement (e.g. a consumption already measured or simulated on a real-world duty cycle needs no real-world correction: factor 1)",
        "roadcarbon developers",
        "2026",
        "https://www.apache.org/licenses/LICENSE-2.0",
        "Apache-2.0",
        "definition",
        "See docs/methodology.md (use phase: real-world consumption).",
    ),
    (
        "uk_vca_car_fuel_data_2025",
        "UK Vehicle Certification Agency (VCA) Car fuel and CO2 emissions data, Euro 6 download (Euro_6_latest.csv): WLTP CO2 and fuel consumption and type-approval exhaust emissions CO, THC, NOx [mg/km] and particulates [mg/km] per variant, rows dated Jun 2024 - Sep 2025",
        "Vehicle Certification Agency (UK Department for Transport)",
        "2025",
        "https://carfueldata.vehicle-certification-agency.gov.uk/",
        "UNVERIFIED: assumed Open Government Licence v3.0 (Crown copyright data) - not confirmed for this download",
        "good (official type-approval data); read via a third-party copy",
        "Copy read: https://github.com/damian2551/Predictive-Modelling-of-Gas-Emissions-from-Cars/blob/bb4f3d9b72fb04d0d3777173976acbd64f5e6113/Euro_6_latest.csv (header and rows as published by VCA, incl. 'Date of change'). A blank particulates cell means not reported (no PM figure), not zero.",
    ),
    (
        "worldbank_2015_lao_grid",
        "Lao PDR to Improve Electricity Network with World Bank Support (press release on the Power Grid Improvement Project, 23 June 2015)",
        "World Bank",
        "2015",
        "https://www.worldbank.org/en/news/press-release/2015/06/23/lao-pdr-to-improve-electricity-network-with-world-bank-support",
        "World Bank terms of use (factual figure cited)",
        "good (primary press release)",
        '"Xaythany suffered a distribution loss of around 24 percent in 2014 (higher than the national average of 13 percent)": national average distribution loss 13 % in 2014.',
    ),
    (
        "ipcc_ar6_wg1_gwp100",
        "IPCC AR6 WGI Chapter 7, Table 7.15: GWP100 of CH4 from non-fossil sources / combustion (27.0, i.e. without the CO2 of its oxidation) and N2O (273)",
        "IPCC (Forster et al. 2021)",
        "2021",
        "https://www.ipcc.ch/report/ar6/wg1/chapter/chapter-7/",
        "IPCC (reproduction with attribution)",
        "good (primary table); values read via GHG Protocol GWP values v2.0 (Aug 2024) as quoted in the programme's research notes, N2O 273 also in globalwarmingpotentials 0.13.2",
        "CH4 non-fossil 27.0 (fossil 29.8 includes the CO2 of oxidation, which a combustion CO2 factor already counts); N2O 273.",
    ),
    (
        "gfei_2019_fig37",
        "Fuel Economy in Major Car Markets: Technology and Policy Drivers 2005-2017 (GFEI Working Paper 19), data underlying Figure 37 'Fuel consumption range by type of powertrain and vehicle size, 2017': sales-weighted new-registration fuel consumption by country and powertrain, WLTP-calibrated, Lge/100 km",
        "IEA / Global Fuel Economy Initiative (with ICCT); data file as shipped in iiasa/message-ix-models (message_ix_models/data/transport/GFEI_FE_by_Powertrain_2017.csv)",
        "2019",
        "https://www.iea.org/reports/fuel-economy-in-major-car-markets",
        "IEA terms of use (figures cited); message-ix-models Apache-2.0",
        "good (IEA/GFEI)",
        "Cars newly registered in 2017, every size together; the report calibrates all results to WLTP. Used for the market-average presets (avg-*). Poland's Electric (20.6) and Hybrid (11.3) values are implausible and not used.",
    ),
    (
        "owid_carbon_intensity_elec",
        "Our World in Data: carbon intensity of electricity generation (carbon_intensity_elec / grapher carbon-intensity-electricity), Ember Yearly Electricity Data + Energy Institute Statistical Review of World Energy",
        "Our World in Data (data: Ember; Energy Institute)",
        "2024",
        "https://ourworldindata.org/grapher/carbon-intensity-electricity",
        "CC-BY-4.0",
        "good (compiled; copy read from a third-party repository, values cross-checked)",
        "Generation-based life-cycle intensity, g CO2e/kWh, GWP100 (Ember: IPCC AR5 medians by fuel). Copy read: https://github.com/twsaf1-sys/math_331_cryptocurrency_project/blob/7149bf49f9cf7031d71e6293ef4af0c3419cf98f/carbon-intensity-electricity.csv (OWID grapher export, years 2000-2024). Cross-check against owid/energy-data owid-energy-data.csv at commit e7897aed55b514b8d16e0a3d8f1518789ac3de31 (carbon_intensity_elec, 0.01 g/kWh): Benin 2010/2015/2021 and Argentina 2010-2021 equal in both; later years differ by Ember revisions (Argentina 2023: 353.96 here, 350.90 there). Used for grid_intensity history 2010-2020 (spliced, see derivation/build_grid_history.py).",
    ),
    (
        "aalto_2018_ebus_energy_uncertainty",
        "Energy Uncertainty Analysis of Electric Buses (Energies 2018, 11(12), 3267): six electric buses on three routes in southern Finland measured with an IoT system, Feb 2016 - Dec 2017; average 0.78 kWh/km, trips varying by more than 1 kWh/km, suburban route 15 % below city routes",
        "Aalto University and University of Helsinki (MDPI Energies)",
        "2018",
        "https://doi.org/10.3390/en11123267",
        "CC-BY-4.0 (MDPI open access)",
        "good (peer-reviewed measurement)",
        "Route-to-route spread of measured bus energy use (real_world_consumption_factor for test_cycle measured).",
    ),
    (
        "icct_zebra_2023_cdmx",
        "Analysis of electric bus performance monitoring in Mexico City (ZEBRA): Yutong E18 articulated e-buses, energy use per day and by load",
        "ICCT / ZEBRA",
        "2023",
        "https://theicct.org/publication/Mexico-hvs-zebra-analysis-elec-bus-performance-cdmx-jan23/",
        "ICCT publication (figures cited)",
        "good (ICCT)",
        "0.93 kWh/km average, 0.86-1.00 on 99 % of days; 0.92 empty to 1.23 kWh/km at 105 % load. Cross-check of the measured-consumption spread.",
    ),
    (
        "cgee_2008_bioetanol",
        "Bioetanol de cana-de-acucar: energia para o desenvolvimento sustentavel (BNDES and CGEE), section 2.1 Dimensoes tecnicas e ambientais do uso do etanol",
        "BNDES; Centro de Gestao e Estudos Estrategicos (CGEE)",
        "2008",
        "https://www.yumpu.com/pt/document/view/50406838/bioetanol-de-cana-de-aaacar-cgee/41",
        "facts cited (publication)",
        "good (official report; copy read on yumpu)",
        "Anhydrous ethanol (AEAC) < 0.6 % water by mass; hydrous ethanol (AEHC) 6.2-7.4 % by mass (Res. ANP 36/2005). Basis of the derived hydrous-ethanol LHV.",
    ),
    (
        "greencarcongress_2010_br_e20",
        "Brazil Temporarily Reduces Ethanol Content in Gasoline from 25% to 20% (13 January 2010)",
        "Green Car Congress",
        "2010",
        "https://www.greencarcongress.com/2010/01/brazil-20100113.html",
        "facts cited (news)",
        "fair (trade press reporting the CIMA decision)",
        "E25 -> E20 for 90 days effective 1 February 2010; E25 had been reinstated in July 2007; legal range 20-25 %.",
    ),
    (
        "fuelsandlubes_2013_br_e25",
        "Brazil's mandatory ethanol blend to rise to 25% (18 January 2013)",
        "Fuels and Lubes International",
        "2013",
        "https://fuelsandlubes.com/knowledge-base/brazils-mandatory-ethanol-blend-to-rise-to-25",
        "facts cited (news)",
        "fair (trade press quoting ANP)",
        "E25 -> E20 on 1 October 2011; return to E25 scheduled after the end of the 2012/13 crop year in April 2013.",
    ),
    (
        "fuelsandlubes_2015_br_e27",
        "Brazil raises ethanol blend from 25% to 27% (2015)",
        "Fuels and Lubes International",
        "2015",
        "https://www.fuelsandlubes.com/brazil-raises-ethanol-blend-from-25-to-27-2/",
        "facts cited (news)",
        "fair (trade press quoting the energy minister)",
        "E25 -> E27 beginning 16 March 2015.",
    ),
    (
        "estadao_2025_br_e30",
        "Governo eleva mistura do etanol na gasolina a 30% e do biodiesel no diesel a 15% (Agencia Estado, 25 June 2025)",
        "Agencia Estado (UOL)",
        "2025",
        "https://noticias.uol.com.br/ultimas-noticias/agencia-estado/2025/06/25/governo-eleva-mistura-do-etanol-na-gasolina-a-30-e-do-biodiesel-no-diesel-a-15.htm",
        "facts cited (news)",
        "fair (news agency reporting the CNPE decision)",
        "CNPE extraordinary meeting of 25 June 2025: anhydrous ethanol in gasoline C from 27 % to 30 % (E30) from 1 August 2025, under Lei 14.993/2024.",
    ),
    (
        "lei_14993_2024",
        "Lei no 14.993, de 8 de outubro de 2024 (Combustivel do Futuro)",
        "Presidencia da Republica / Camara dos Deputados (Brazil)",
        "2024",
        "https://www2.camara.leg.br/legin/fed/lei/2024/lei-14993-8-outubro-2024-796443-norma-pl.html",
        "public law (facts cited)",
        "good (primary legal text; ranges as reported by the press, text not re-read here)",
        "Ethanol in gasoline C: 22-27 %, up to 35 % by CNPE decision (before: 18-27.5 %); biodiesel +1 point a year to B20 in 2030.",
    ),
    (
        "eia_faq_27_ethanol",
        "How much ethanol is in gasoline, and how does it affect fuel economy? (FAQ 27; 2016 and 2023 editions)",
        "U.S. Energy Information Administration (EIA)",
        "2024",
        "https://www.eia.gov/tools/faqs/faq.php?id=27&t=10",
        "facts cited (US government, public domain)",
        "good (official statistics)",
        "2016: 14.4 of 143.4 billion gallons of finished motor gasoline were fuel ethanol (about 10 %); 2023: 13.73 of 137.11 billion gallons (10.0 %). Fuel ethanol holds at least 2 % denaturant (not separated here).",
    ),
    (
        "scully_2021_corn_ethanol",
        "Scully, Norris, Alarcon Falconi, MacIntosh (2021) Carbon intensity of corn ethanol in the United States: state of the science. Environ. Res. Lett. 16 043001",
        "IOP Publishing",
        "2021",
        "https://doi.org/10.1088/1748-9326/abde08",
        "paper (facts cited; open access CC BY 4.0)",
        "good (peer-reviewed review of well-to-wheel LCAs)",
        "Central best estimate 51.4 gCO2e/MJ (range 37.6-65.1) including land-use change 3.9 g/MJ; ethanol production 29.6, farming net of co-product credit 13.2 g/MJ.",
    ),
    (
        "hansindia_2025_in_ethanol",
        "Supply of ethanol-blended petrol jumps more than 4-fold in four years (28 July 2025; Rajya Sabha written reply of the Minister of State for Petroleum)",
        "The Hans India",
        "2025",
        "https://www.thehansindia.com/business/supply-of-ethanol-blended-petrol-jumps-more-than-4-fold-in-four-years-991804",
        "facts cited (news)",
        "fair (press report of a written parliamentary reply)",
        "Ethanol Supply Year (November-October): 5 % in ESY 2019-20, about 14.6 % in 2023-24; 1.53 % in 2014; 19.92 % in June 2025; all public-sector outlets dispense E20.",
    ),
    (
        "chinimandi_2021_in_ethanol",
        "Ethanol blending in petrol increases to 8.1 per cent (2021)",
        "ChiniMandi",
        "2021",
        "https://www.chinimandi.com/ethanol-blending-in-petrol-increases-to-8-1-per-cent/",
        "facts cited (news)",
        "fair (trade press)",
        "8.1 % in 2020-21, 5 % in 2019-20, 1.5 % in 2013-14.",
    ),
    (
        "rajyasabha_2025_in_esy2425",
        "India ethanol blending crosses 1,000 crore litres in ESY 2024-25 (Rajya Sabha written reply, December 2025)",
        "The Wave Andaman (reporting the Ministry of Petroleum and Natural Gas reply)",
        "2025",
        "https://thewaveandaman.com/india-ethanol-blending-1000-crore-litres-2024-25",
        "facts cited (news)",
        "fair (press report of a written parliamentary reply)",
        "10 % reached in June 2022 (ESY 2021-22); 12.06 % ESY 2022-23; 14.60 % ESY 2023-24; 19.24 % ESY 2024-25 (average); 20 % target for ESY 2025-26.",
    ),
    (
        "goldenagri_id_biodiesel",
        "B20 biodiesel mandate a lifeline for Indonesia's palm oil sector: development of biodiesel mandates",
        "Golden Agri-Resources",
        "2019",
        "https://goldenagri.com.sg/b20-biodiesel-mandate-a-lifeline-for-indonesias-palm-oil-sector/",
        "facts cited (company publication)",
        "fair (industry summary of the decrees)",
        "2010-2012 B2.5; B10 mandate issued 1 September 2013; 2015 B15; B20 from 2016, nationwide (non-subsidised diesel too) from 1 September 2018.",
    ),
    (
        "yosefardi_2018_id_b25",
        "Indonesia to implement biodiesel B25 by 2019 (May 2018)",
        "yosefardi.com (summary of ESDM statements)",
        "2018",
        "http://yosefardi.com/2018/05/indonesia-to-implement-biodiesel-b25-by-2019/",
        "facts cited (blog)",
        "poor (blog summarising ministry statements; dates agree with Reuters 2018)",
        "15 % mix for SMEs, fisheries, agriculture and transport in April 2015; 20 % mandatory in January 2016.",
    ),
    (
        "reuters_2018_id_b25",
        "Indonesia to roll out 25 pct biodiesel rule from 2019 - official (24 May 2018)",
        "Reuters",
        "2018",
        "https://www.reuters.com/article/indonesia-biodiesel-rules/indonesia-to-roll-out-25-pct-biodiesel-rule-from-2019-official-idUSJ9N1PE01P",
        "facts cited (news)",
        "good (news agency)",
        "Rules introduced in 2015 require 20 % bio content for land transport from January 2016 to January 2020, 30 % after.",
    ),
    (
        "kontan_2022_id_b35",
        "Indonesia to implement mandatory 35% biodiesel blending starting Jan 1, 2023",
        "Kontan (English)",
        "2022",
        "https://english.kontan.co.id/news/indonesia-to-implement-mandatory-35-biodiesel-blending-starting-jan-1-2023",
        "facts cited (news)",
        "fair (news quoting the ESDM spokesperson)",
        "B30 since 2020; B35 from 1 January 2023 (announced).",
    ),
    (
        "biobased_diesel_2025_id_b40",
        "Indonesia's B40 biodiesel mandate goes into effect, B50 planned for 2026 (January 2025)",
        "Biobased Diesel Daily",
        "2025",
        "https://biobased-diesel.com/post/indonesia-s-b40-biodiesel-mandate-goes-into-effect-b50-planned-for-2026",
        "facts cited (trade press)",
        "fair (trade press quoting the ESDM minister)",
        "B35 -> B40 in effect from 1 January 2025 (press conference 3 January 2025).",
    ),
    (
        "ofimagazine_2018_my_b10",
        "Malaysian PM launches B10 biodiesel programme (December 2018)",
        "OFI Magazine",
        "2018",
        "https://www.ofimagazine.com/news/malaysian-pm-launches-b10-biodiesel-programme",
        "facts cited (trade press)",
        "fair (trade press)",
        "B5 programme initiated in 2011, B7 from November 2014, B10 for transport mandatory from 1 February 2019.",
    ),
    (
        "kpk_2020_my_b20",
        "Palm oil: MBA lauds implementation of B20 biodiesel scheme for transport sector (20 February 2020)",
        "Ministry of Plantation and Commodities Malaysia (KPK), Bernama archive",
        "2020",
        "https://www.kpk.gov.my/kpk/en/menu-arkib?view=article&id=488:palm-oil-mba-lauds-implementation-of-b20-biodiesel-scheme-for-transport-sector&catid=84",
        "facts cited (ministry archive)",
        "good (ministry site)",
        "B10 mandated in the transport sector on 1 February 2019; B20 only in Langkawi, Labuan (January 2020) and later Sarawak; national mandate stayed B10 (Reuters, May 2025).",
    ),
    (
        "fuelsandlubes_2010_th_b3",
        "Diesel must contain 3% biodiesel in Thailand (23 April 2010)",
        "Fuels and Lubes International",
        "2010",
        "https://fuelsandlubes.com/knowledge-base/diesel-must-contain-3-biodiesel-in-thailand",
        "facts cited (news)",
        "fair (trade press quoting the energy minister)",
        "B3 compulsory by June 2010 (then 2 %); B5 planned for 2011.",
    ),
    (
        "entec_2021_th_b10",
        "Pushing forward policies on biodiesel (B10) usage as conventional diesel in the country (Annual report 2021)",
        "National Energy Technology Center (ENTEC), NSTDA Thailand",
        "2021",
        "https://www.entec.or.th/annual-report2021/en/tire-development_en/",
        "facts cited (government research centre)",
        "good (government agency report)",
        "B10 set as conventional diesel in Thailand from 1 October 2020.",
    ),
    (
        "pattayamail_2022_th_b5",
        "Thailand terminates biodiesel B10 on expensive palm oil (TNA, February 2022)",
        "Pattaya Mail (Thai News Agency)",
        "2022",
        "https://pattayamail.com/?p=388186",
        "facts cited (news)",
        "fair (news agency report of the EPAC decision)",
        "Methyl ester content of diesel cut to 5 % from 5 February to 31 March 2022; B10 terminated.",
    ),
    (
        "nation_2023_th_b7",
        "B10 diesel to be discontinued, B7 and B20 remain (December 2023)",
        "The Nation Thailand",
        "2023",
        "https://nationthailand.com/thailand/general/40033888",
        "facts cited (news)",
        "fair (news quoting the Department of Energy Business director-general)",
        "From 1 May 2024 B7 must hold 6.6-7 % biodiesel; B10 discontinued.",
    ),
    (
        "fuelsandlubes_2009_ph_b2",
        "Philippines may boost biodiesel blend by year-end (13 March 2009)",
        "Fuels and Lubes International",
        "2009",
        "https://fuelsandlubes.com/knowledge-base/philippines-may-boost-biodiesel-blend-by-year-end",
        "facts cited (news)",
        "fair (trade press)",
        "Biodiesel (coconut methyl ester) blend raised from 1 % to 2 % in February 2009 under RA 9367.",
    ),
    (
        "autoblog_2007_ph_ra9367",
        "Biodiesel blends now mandatory in the Philippines (24 January 2007)",
        "Autoblog (after Green Car Congress)",
        "2007",
        "https://www.autoblog.com/2007/01/24/biodiesel-blends-now-mandatory-in-the-philippines/",
        "facts cited (news)",
        "fair (press summary of Republic Act 9367)",
        "RA 9367: 5 % ethanol in all gasoline by 2009 and 10 % by 2011; 1 % biodiesel within three months, 2 % within two years.",
    ),
    (
        "phoenixfuels_ph_e10",
        "E10 and the Biofuels Act",
        "Phoenix Petroleum Philippines",
        "2013",
        "http://www.phoenixfuels.ph/fuels/e10-and-biofuels/",
        "facts cited (company page)",
        "fair (fuel retailer summarising the DOE implementation)",
        "On 1 April 2013 the Department of Energy implemented the 10 % ethanol requirement of the Biofuels Act of 2006.",
    ),
    (
        "berst_br_biodiesel",
        "Factsheet: Mandatory Biodiesel Requirement (Brazil)",
        "BERST (VITO)",
        "2014",
        "https://berst.vito.be/node/2274",
        "facts cited (research factsheet)",
        "fair (EU research project factsheet)",
        "B2 2008, B3 July 2008, B4 July 2009, B5 January 2010, B7 from 1 November 2014.",
    ),
    (
        "brazilmonitor_2017_br_b8",
        "Biofuel mix to diesel increased to 8 percent (6 March 2017, after Agencia Brasil)",
        "Brazil Monitor",
        "2017",
        "http://www.brazilmonitor.com/index.php/2017/03/06/biofuel-mix-to-diesel-increased-to-8-percent/",
        "facts cited (news)",
        "fair (news after Agencia Brasil)",
        "B8 from 1 March 2017 (CNPE Resolution 11); 9 % in March 2018 and 10 % in March 2019 scheduled.",
    ),
    (
        "dieselnet_2019_br_b11",
        "Brazil raises biodiesel mandate to B11 (9 August 2019)",
        "DieselNet",
        "2019",
        "https://www.dieselnet.com/news/2019/08anp.php",
        "facts cited (trade press)",
        "good (technical news service citing ANP)",
        "Minimum biodiesel content from 10 to 11 % effective 1 September 2019.",
    ),
    (
        "biodieselmagazine_2020_br_b12",
        "Brazil diesel fuel now contains minimum of 12 percent biodiesel (ANP, March 2020)",
        "Biodiesel Magazine (ANP release)",
        "2020",
        "http://biodieselmagazine.com/articles/2516932/brazil-diesel-fuel-now-contains-minimum-of-12-percent-biodiesel",
        "facts cited (agency release)",
        "good (ANP release reprinted)",
        "Minimum biodiesel content from 11 to 12 % on 1 March 2020.",
    ),
    (
        "ognnews_2023_br_b12",
        "Brazil raises biodiesel blend to 12% (Reuters via OGN, March 2023)",
        "OGN (Reuters)",
        "2023",
        "https://ognnews.com/ArticleMG/27202",
        "facts cited (news)",
        "fair (news agency copy)",
        "Blend held at 10 % throughout 2022; about 65 % of biodiesel from soy oil in 2022.",
    ),
    (
        "bnamericas_2023_br_b12",
        "CNPE approves resolution that establishes increase of biodiesel in diesel blend to 12% from April (MME release, 17 March 2023)",
        "BNamericas (Ministry of Mines and Energy release)",
        "2023",
        "https://www.bnamericas.com/en/news/cnpe-approves-resolution-that-establishes-increase-biodiesel-in-diesel-blend-to-12-from-april",
        "facts cited (ministry release)",
        "good (ministry release, automated translation)",
        "B10 -> B12 from April 2023.",
    ),
    (
        "agricensus_2023_br_b14",
        "Brazil to speed up increases in biodiesel mandate, set 14% from March 2024 (December 2023)",
        "Agricensus",
        "2023",
        "https://agricensus.com/Article/Brazil-to-speed-up-increases-in-biodiesel-mandate-set-14-from-March-2024-32711.html",
        "facts cited (trade press)",
        "fair (trade press quoting the minister)",
        "B12 -> B14 from March 2024; soy oil about 70 % of biodiesel feedstock.",
    ),
    (
        "lexology_2016_br_law13263",
        "Brazil: minimum percentage of biodiesel will increase to 10% by 2019 (Law 13,263/2016)",
        "Lexology (copy on incbio)",
        "2016",
        "https://incbio.wordpress.com/2016/04/11/brazil-minimum-percentage-of-biodiesel-in-brazil-will-increase-to-10-by-2019/",
        "facts cited (legal news)",
        "fair (law firm summary of the law)",
        "Law 13,263 of 23 March 2016: 8 % by March 2017, 9 % by March 2018, 10 % by March 2019.",
    ),
    (
        "cerri_2017_br_soy_biodiesel",
        "Cerri et al. (2017) Assessing the greenhouse gas emissions of Brazilian soybean biodiesel production. PLoS ONE 12(5): e0176948",
        "Public Library of Science",
        "2017",
        "https://doi.org/10.1371/journal.pone.0176948",
        "paper (facts cited; CC BY 4.0)",
        "good (peer-reviewed, industry data)",
        "Domestic soybean biodiesel (B100) 23.1-25.8 gCO2eq/MJ, excluding land-use change, biogenic CO2 neutral; 26.5-29.2 exported to the EU.",
    ),
    (
        "pehnelt_vietze_2013_palm",
        "Pehnelt and Vietze (2013) Recalculating GHG emissions saving of palm oil biodiesel. Environ. Dev. Sustain. 15:429-479",
        "Springer (open access)",
        "2013",
        "https://doi.org/10.1007/s10668-012-9387-z",
        "paper (facts cited; open access)",
        "good (peer-reviewed; quotes the RED Annex V values)",
        "RED (2009/28/EC) palm oil biodiesel: typical saving 36 %, default 19 %; their recalculation for transport biodiesel 38.5-41 % saving depending on the fossil comparator.",
    ),
    (
        "red_2009_28_ec",
        "Directive 2009/28/EC on the promotion of the use of energy from renewable sources, Annex V (typical and default values; methodology, fossil fuel comparator)",
        "European Parliament and Council (EUR-Lex; UK legislation.gov.uk copy)",
        "2009",
        "https://www.legislation.gov.uk/eudr/2009/28/annex/V",
        "public law (facts cited)",
        "good (primary legal text)",
        "Annex V C point 19: fossil fuel comparator for biofuels 83.8 gCO2eq/MJ, against which the Part A savings are stated.",
    ),
    (
        "dir_2015_1513_iluc",
        "Directive (EU) 2015/1513 amending Directives 98/70/EC and 2009/28/EC, Annex (provisional estimated indirect land-use change emissions)",
        "European Parliament and Council (UK legislation.gov.uk copy of Directive 98/70/EC Annex V Part A)",
        "2015",
        "https://legislation.gov.uk/eudr/1998/70/annex/V/part/1",
        "public law (facts cited)",
        "good (primary legal text)",
        "ILUC gCO2eq/MJ, mean (5th-95th percentile): cereals and other starch-rich crops 12 (8-16); sugars 13 (4-17); oil crops 55 (33-66). Not included in roadcarbon's factors (documented).",
    ),
    (
        "bdbe_2019_de_ethanol",
        "Share of ethanol in Germany's gasoline sales 6.3% in 2018 (BDBe overview, via Renewables Now)",
        "Essentica (Renewables Now, reporting the German Bioethanol Industry Association BDBe)",
        "2019",
        "https://essentica.eu/news/about-the-industry/dolq-Zhtanola-v-germanii-sostavila-6-3-v-2018",
        "facts cited (news)",
        "fair (trade press reporting the industry association's BAFA-based figures)",
        "Bioethanol share of gasoline sales 6.3 % in 2018, 6 % in 2017 (6.3 % also in 2014); ethanol sales 1.19 Mt in 2018.",
    ),
    (
        "dpa_2022_de_e10",
        "Anteil von E10-Benzin am Verbrauch steigt (dpa-AFX, April 2022)",
        "onvista (dpa-AFX, quoting BDBe)",
        "2022",
        "https://www.onvista.de/news/anteil-von-e10-benzin-am-verbrauch-steigt-532221885",
        "facts cited (news)",
        "fair (news agency quoting the industry association)",
        "E10 17.1 % of the petrol market in 2021 (13.9 % in 2020); bioethanol 6.6 % of the petrol sold in Germany in 2021.",
    ),
    (
        "ufop_2023_de_bafa2022",
        "German biodiesel consumption remains unchanged (BAFA preliminary statistics 2022, via UFOP)",
        "Biofuels International (biofuels-news.com)",
        "2023",
        "https://biofuels-news.com/news/german-biodiesel-consumption-remains-unchanged/",
        "facts cited (trade press)",
        "fair (trade press reporting official BAFA statistics)",
        "2022: biodiesel 2.516 Mt, bioethanol 1.186 Mt; incorporation 7.2 % (biodiesel) and 7 % (bioethanol); 34.7 Mt diesel (B7) and about 17 Mt petrol (E5/E10).",
    ),
    (
        "ccfa_2015_fr_e10",
        "Les ventes d'essence SP95-E10 ont progresse de 10 % en 2014 (AFP, 11 February 2015)",
        "Comite des constructeurs francais d'automobiles (CCFA), AFP",
        "2015",
        "https://www.ccfa.fr/Les-ventes-d-essence-SP95-E10-ont-144937",
        "facts cited (news)",
        "fair (AFP quoting the bioethanol producers' federation)",
        "SP95-E10 32 % of petrol sold in France in 2014 (SP95 48 %, SP98 20 %).",
    ),
    (
        "bfm_2018_fr_e10",
        "Le sans plomb 95 E10, essence la plus consommee en France (2018)",
        "BFM Business",
        "2018",
        "https://auto.bfmtv.com/actualite/le-sans-plomb-95-e10-essence-la-plus-consommee-en-france-1362851.html",
        "facts cited (news)",
        "fair (news quoting the French bioethanol industry)",
        "SP95-E10 38.8 % of petrol sales in 2017, 35.5 % in 2016; SP95 and SP98 contain up to 5 % ethanol.",
    ),
    (
        "rtl_2011_fr_e10",
        "Le biocarburant E10 represente 13% des ventes d'essence en France (2011)",
        "RTL Info (AFP)",
        "2011",
        "http://rtlinfo.be/info/monde/economie/le-biocarburant-e10-represente-13-des-ventes-d-essence-en-france-213253.aspx",
        "facts cited (news)",
        "fair (news quoting the bioethanol industry)",
        "SP95-E10 launched April 2009; 6.5 % of petrol sales on average in 2009, more than 13 % at the end of 2010.",
    ),
    (
        "dir_2009_30_ec_fqd",
        "Directive 2009/30/EC amending Directive 98/70/EC (Fuel Quality Directive), Annexes I and II: petrol and diesel specifications",
        "European Parliament and Council (UK legislation.gov.uk copy)",
        "2009",
        "https://www.legislation.gov.uk/eudr/2009/30/annex",
        "public law (facts cited)",
        "good (primary legal text)",
        "Petrol: ethanol at most 10.0 % v/v (E10; a grade with at most 5 % kept where needed); diesel: FAME at most 7.0 % v/v (B7). Legal maxima, not the shares sold.",
    ),
    (
        "ngl_2023_pl_e10",
        "Energy Weekly Publications #36: E10 petrol and fuel quality requirements (23 October 2023)",
        "NGL Legal (Poland)",
        "2023",
        "https://www.ngllegal.com/energy-weekly-publications-36-e10-petrol-and-fuel-quality-requirements/",
        "facts cited (law firm publication)",
        "fair (law firm summary of Polish fuel quality rules)",
        "From 1 January 2024 95-octane petrol may hold up to 10 % bioethanol (E10), before E5; diesel B7 or B10 are maxima; the National Indicative Target makes blends below the maxima less and less likely.",
    ),
    (
        "ingeniomayaguez_2012_co_d4892",
        "Gobierno establece reglamentacion para el uso de biocombustibles (Decreto 4892 de 2011)",
        "Ingenio Mayaguez (Colombia)",
        "2012",
        "https://ingeniomayaguez.com/inicio/2012/03/28/gobierno-establece-reglamentacion-para-el-uso-de-biocombustibles",
        "facts cited (company news)",
        "fair (sugar mill summarising the decree)",
        "Decree 4892 of December 2011: mandatory 8-10 % fuel alcohol by volume in motor gasoline.",
    ),
    (
        "eltiempo_2022_co_mezclas",
        "Norma ajusta mezcla de etanol y biodiesel al 10 por ciento en el pais (January 2022)",
        "El Tiempo (Colombia)",
        "2022",
        "https://www.eltiempo.com/economia/sectores/norma-ajusta-mezcla-de-etanol-y-biodiesel-al-10-por-ciento-en-el-pais-643126",
        "facts cited (news)",
        "fair (newspaper quoting the minister of mines and energy)",
        "August 2018: 10 % ethanol and 10 % biodiesel; Resolution 40421 of 2021: ethanol 7 %, 6 % February-June, 8 % July, 10 % from August (2022); biodiesel 12 %, 11 % January-February, 10 % from March (2022).",
    ),
    (
        "ren21_gsr2015_mandates",
        "Renewables 2015 Global Status Report, Table R18: National and state/provincial biofuel blend mandates",
        "REN21",
        "2015",
        "https://www.ren21.net/Portals/0/documents/e-paper/GSR2015/page156.html",
        "facts cited (report)",
        "good (international report table)",
        "Argentina E10 and B10; Colombia E8; Thailand E5 and B5; Philippines E10 and B2 (as of 2015).",
    ),
    (
        "exame_2016_ar_e12",
        "Argentina elevara mistura obrigatoria de etanol na gasolina (5 February 2016)",
        "Exame (Reuters)",
        "2016",
        "https://exame.com/mundo/argentina-elevara-mistura-obrigatoria-de-etanol-na-gasolina",
        "facts cited (news)",
        "fair (news agency copy quoting President Macri)",
        "Mandatory ethanol in gasoline from 10 to 12 % (announced 5 February 2016).",
    ),
    (
        "ubrabio_2013_ar_b10",
        "Argentina eleva mistura obrigatoria de biodiesel ao diesel para 10% (2 December 2013)",
        "Ubrabio (Reuters)",
        "2013",
        "https://ubrabio.com.br/2013/12/02/argentina-eleva-mistura-obrigatoria-de-biodiesel-ao-diesel-para-10/",
        "facts cited (news)",
        "fair (association repost of a news agency report)",
        "Mandatory biodiesel in diesel from 8 % to 10 % (announced 2 December 2013).",
    ),
    (
        "edicionrural_2021_ar_law27640",
        "Promulgaron la nueva ley de biocombustibles (4 August 2021)",
        "Edicion Rural (Argentina)",
        "2021",
        "https://www.edicionrural.com/2021/08/04/promulgaron-la-nueva-ley-de-biocombustibles/",
        "facts cited (news)",
        "fair (agricultural press; Reuters 2021-07-16 agrees)",
        "Law 27,640: biodiesel in diesel from 10 to 5 % by volume; bioethanol 12 % in gasoline (6 % cane, 6 % maize).",
    ),
    (
        "compliancepeople_2021_gb_e10",
        "The Motor Fuel (Composition and Content) and the Biofuel (Labelling) (Amendment) Regulations 2021",
        "The Compliance People (summary of the GB regulations)",
        "2021",
        "https://thecompliancepeople.co.uk/updates/legal/the-motor-fuel-composition-and-content-and-the-biofuel-labelling-amendment-regulations-2021/",
        "facts cited (regulatory summary)",
        "fair (compliance service summarising the statutory instrument)",
        "From 1 September 2021 95-octane petrol in Great Britain must be E10 grade (5.5-10 % ethanol); the super grade stays E5 (at most 5 %).",
    ),
    (
        "greencarcongress_2021_gb_e10",
        "UK to introduce E10 gasoline in September 2021 (27 February 2021)",
        "Green Car Congress",
        "2021",
        "https://www.greencarcongress.com/2021/02/20210227-uke10.html",
        "facts cited (news)",
        "fair (trade press quoting the Department for Transport)",
        "The two petrol blends widely available in the UK contain no more than 5 % ethanol (E5); E10 from September 2021.",
    ),
]

# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def derivation_module(name: str) -> ModuleType:
    """Load a sibling derivation script (``derivation/<name>.py``) as a module, wherever this one is run from."""
    spec = importlib.util.spec_from_file_location(f"_roadcarbon_derivation_{name}", HERE / f"{name}.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load derivation/{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def alpha2(alpha3: str) -> str:
    """ISO alpha-3 -> alpha-2 with pycountry (raises on an unknown code)."""
    country = pycountry.countries.get(alpha_3=alpha3)
    if country is None:
        raise SystemExit(f"unknown alpha-3 code {alpha3}")
    return str(country.alpha_2)


def write_csv(out: Path, name: str, header: list[str], rows: list[dict[str, Any]]) -> None:
    """Write one CSV into ``out`` (LF line ends, minimal quoting)."""
    path = out / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n", extrasaction="raise")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: fmt(row.get(k, "")) for k in header})
    sys.stdout.write(f"wrote {path.name}: {len(rows)} rows\n")


def fmt(value: Any) -> str:
    """Render numbers without float noise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = f"{value:.10g}"
        return text
    return "" if value is None else str(value)


# --------------------------------------------------------------------------------------------
# grid
# --------------------------------------------------------------------------------------------

MIX_FACTORS: dict[str, tuple[float, str, str]] = {
    # technology: (gCO2e/kWh, source_id, locator)
    "coal": (820.0, "ipcc_ar5_wg3_annex3", "Table A.III.2, coal PC median"),
    "gas": (490.0, "ipcc_ar5_wg3_annex3", "Table A.III.2, gas combined cycle median"),
    "oil": (
        650.0,
        "electricitymaps_defaults",
        "config/defaults.yaml oil (UK POST); IPCC AR5 gives no oil median",
    ),
    "hydro": (24.0, "ipcc_ar5_wg3_annex3", "Table A.III.2, hydropower median"),
    "nuclear": (12.0, "ipcc_ar5_wg3_annex3", "Table A.III.2, nuclear median"),
    "wind": (11.0, "ipcc_ar5_wg3_annex3", "Table A.III.2, wind onshore median"),
    "solar": (
        45.0,
        "electricitymaps_defaults",
        "config/defaults.yaml solar (between AR5 PV rooftop 41 and utility 48)",
    ),
    "bio": (230.0, "ipcc_ar5_wg3_annex3", "Table A.III.2, dedicated biomass median"),
    "other_renewables": (38.0, "ipcc_ar5_wg3_annex3", "Table A.III.2, geothermal median"),
}

PLAUSIBILITY_REL_TOL = 0.40
PLAUSIBILITY_ABS_TOL = 100.0


def build_grid(
    shared: Path,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], float]:
    """grid_intensity rows, grid_mix rows, excluded rows, relative uncertainty."""
    mix_rows: list[dict[str, Any]] = []
    implied: dict[tuple[str, int], float] = {}
    with (shared / "grid_mix.csv").open(encoding="utf-8") as handle:
        for rec in csv.DictReader(handle):
            cc = alpha2(rec["country_iso3"])
            year = int(rec["year"])
            shares = {k: (float(rec[f"{k}_pct"]) / 100.0 if rec[f"{k}_pct"] else 0.0) for k in MIX_FACTORS}
            total = sum(shares.values())
            row: dict[str, Any] = {"country": cc, "year": year}
            for k, v in shares.items():
                row[f"{k}_share"] = round(v, 5)
            row["source_id"] = "owid_share_elec_by_source"
            row["locator"] = f"{OWID_COPY} (Entity={rec['country_iso3']}, Year={year})"
            mix_rows.append(row)
            implied[(cc, year)] = sum(shares[k] * MIX_FACTORS[k][0] for k in MIX_FACTORS) / total
    last_mix = {}
    for cc, year in implied:
        last_mix[cc] = max(last_mix.get(cc, 0), year)

    grid: list[dict[str, Any]] = []
    excluded: list[dict[str, Any]] = []
    pairs: dict[tuple[str, int], dict[str, float]] = {}
    with (shared / "grid_intensity.csv").open(encoding="utf-8") as handle:
        for rec in csv.DictReader(handle):
            cc = alpha2(rec["country_iso3"])
            year = int(rec["year"])
            ember = "Ember" in rec["source"]
            series = "production" if ember else "consumption"
            value = float(rec["gco2e_per_kwh"])
            key = f"{cc},{year},{series}"
            notes = []
            if rec["scope"] == "lifecycle?":
                notes.append(
                    "scope=lifecycle? (older Ember vintage via co2.js before 2023-07; methodology may differ)"
                )
            notes.append(f"vintage {rec['vintage']}")
            if not ember and rec["notes"]:
                notes.append(rec["notes"].replace(";", ","))
            mix_year = min(year, last_mix.get(cc, 0))
            if (cc, mix_year) not in implied:
                excluded.append(
                    {
                        "table": "grid_intensity",
                        "key": key,
                        "reason": f"{value:g} g/kWh: no generation mix for {year} to check plausibility against (mix data start 2015); isolated year outside the 2021+ series",
                    }
                )
                continue
            expected = implied[(cc, mix_year)]
            tol = max(PLAUSIBILITY_REL_TOL * expected, PLAUSIBILITY_ABS_TOL)
            if abs(value - expected) > tol:
                excluded.append(
                    {
                        "table": "grid_intensity",
                        "key": key,
                        "reason": (
                            f"{value:g} g/kWh fails the mix plausibility check: the {mix_year} OWID mix with IPCC AR5 "
                            f"life-cycle medians implies {expected:.0f} g/kWh (tolerance max(40 %, 100 g) = {tol:.0f}); "
                            + (
                                "Electricity Maps gives ~470 for the same years and the mix is 88 % gas (gas CC median 490): the Ember series (1121-1177) is not credible"
                                if cc == "UZ"
                                else "inconsistent with the same year's Ember/OWID generation shares; the revision behind it could not be verified"
                            )
                        ),
                    }
                )
                continue
            grid.append(
                {
                    "country": cc,
                    "year": year,
                    "series": series,
                    "g_co2e_per_kwh": value,
                    "scope": "lifecycle",
                    "source_id": "ember_yearly_co2js" if ember else "electricitymaps_yearly_co2js",
                    "locator": rec["source_url"],
                    "note": "; ".join(notes),
                }
            )
            pairs.setdefault((cc, year), {})[series] = value
    diffs = [
        (p["production"] - p["consumption"]) / ((p["production"] + p["consumption"]) / 2)
        for p in pairs.values()
        if len(p) == 2
    ]
    rel_unc = statistics.stdev(diffs) / math.sqrt(2)
    sys.stdout.write(
        f"grid: {len(diffs)} country-years with both series; mean rel. difference {statistics.mean(diffs):.3f}, sd {statistics.stdev(diffs):.3f}, sd/sqrt2 {rel_unc:.3f}\n"
    )
    grid.sort(key=lambda r: (r["country"], r["series"], r["year"]))
    mix_rows.sort(key=lambda r: (r["country"], r["year"]))
    return grid, mix_rows, excluded, rel_unc


LA_TD_WORLD_BANK: dict[str, Any] = {
    # Not in carculator_utils: national average distribution loss 13 % in 2014 (World Bank 2015).
    "country": "LA",
    "lv_multiplier": round(1 / (1 - 0.13), 6),
    "mv_multiplier": round(1 / (1 - 0.13), 6),
    "hv_multiplier": 1.0,
    "source_id": "worldbank_2015_lao_grid",
    "assumption": True,
    "reason": "LV: national average distribution loss 13 % in 2014 (World Bank 2015) -> 1/(1-0.13) = 1.1494; transmission losses are not included (none published), so LV is a lower bound. MV: no separate figure, taken equal to LV (upper bound for factories taking MV power). HV: 1.0, no figure (not used by the engine).",
}


def build_td(shared: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """T&D loss multipliers; countries without data go to excluded."""
    rows: list[dict[str, Any]] = []
    excluded: list[dict[str, Any]] = []
    with (shared / "td_losses.csv").open(encoding="utf-8") as handle:
        for rec in csv.DictReader(handle):
            cc = alpha2(rec["country_iso3"])
            if not rec["lv_multiplier"] and cc == LA_TD_WORLD_BANK["country"]:
                rows.append(dict(LA_TD_WORLD_BANK))
                continue
            if not rec["lv_multiplier"]:
                excluded.append(
                    {
                        "table": "td_losses",
                        "key": cc,
                        "reason": "not in carculator_utils 1.3.5 cumulative_electricity_losses.csv; no national T&D loss percentage found (World Bank EG.ELC.LOSS.ZS not retrievable here; project documents only say >20 % lost in some areas); left out rather than invented",
                    }
                )
                continue
            rows.append(
                {
                    "country": cc,
                    "lv_multiplier": round(float(rec["lv_multiplier"]), 6),
                    "mv_multiplier": round(float(rec["mv_multiplier"]), 6),
                    "hv_multiplier": round(float(rec["hv_multiplier"]), 6),
                    "source_id": "carculator_utils_1_3_5",
                    "assumption": False,
                    "reason": "",
                }
            )
    rows.sort(key=lambda r: r["country"])
    return rows, excluded


# --------------------------------------------------------------------------------------------
# parameters
# --------------------------------------------------------------------------------------------

PARAM_HEADER = [
    "parameter",
    "segment",
    "powertrain",
    "fuel",
    "chemistry",
    "test_cycle",
    "region",
    "gwp",
    "value",
    "low",
    "high",
    "distribution",
    "unit",
    "year",
    "source_id",
    "locator",
    "assumption",
    "reason",
]
CAR_SEGMENTS = ("small", "medium", "large", "suv")


def p(
    parameter: str, value: float, unit: str, year: int, source_id: str, locator: str, **kw: Any
) -> dict[str, Any]:
    """One parameters.csv row."""
    row: dict[str, Any] = {
        "parameter": parameter,
        "value": value,
        "unit": unit,
        "year": year,
        "source_id": source_id,
        "locator": locator,
        "distribution": kw.pop("distribution", "none"),
        "assumption": kw.pop("assumption", False),
        "reason": kw.pop("reason", ""),
    }
    for key in ("low", "high", "segment", "powertrain", "fuel", "chemistry", "test_cycle", "region", "gwp"):
        row[key] = kw.pop(key, "")
    if kw:
        raise SystemExit(f"unknown keys {kw}")
    return row


def build_parameters(rel_unc: float) -> list[dict[str, Any]]:
    """All parameter rows (literal, sourced)."""
    rows: list[dict[str, Any]] = []
    add = rows.append

    # ---- glider materials --------------------------------------------------------------
    greet_ice_car_kg = (
        6162.169  # GREET 2024 Vehi_Prod ICE CAR, GHGs row, kg CO2e per vehicle (excl. traction battery)
    )
    vma_kg = 2000.0  # Sullivan 2012: part manufacturing + assembly ~2 t CO2 per mid-size car
    ref_mass, ref_low, ref_high = 1400.0, 1300.0, 1700.0
    glider = (greet_ice_car_kg - vma_kg) / ref_mass
    add(
        p(
            "glider_materials_kg_co2e_per_kg",
            round(glider, 3),
            "kg CO2e/kg",
            2024,
            "greet_2024_pmbusch",
            "Inputs/Prod_Veh.csv, ICE CAR GHGs = 6,162,169 g/vehicle-life; minus Sullivan 2012 VMA 2 t; divided by an assumed reference curb mass",
            low=round((greet_ice_car_kg - vma_kg) / ref_high, 3),
            high=round((greet_ice_car_kg - vma_kg) / ref_low, 3),
            distribution="triangular",
            assumption=True,
            reason=(
                "GREET 2024 ICE car without traction battery 6.162 t CO2e (materials + part manufacturing + assembly + disposal) "
                "minus the part-manufacturing-and-assembly (VMA) term of about 2 t from Sullivan, Burnham & Wang 2012 "
                "(the GREET VMA model; carried here by the assembly stage) = 4.162 t, divided by a reference curb mass of 1,400 kg "
                "(range 1,300-1,700 kg) because GREET's own reference masses were not retrieved: (6162-2000)/1400 = 2.97 kg/kg. "
                "Cross-check: GREET BEV car without battery is 5.198 t, i.e. 16 % lower in absolute terms, consistent with a per-kg "
                "factor applied to a lighter battery-less BEV body. Same factor for all powertrains. A higher estimate: ecoinvent's "
                "'glider, passenger car' as aggregated in carculator_utils is 6.47 kg CO2e/kg of glider including its manufacture."
            ),
        )
    )
    add(
        p(
            "glider_materials_kg_co2e_per_kg",
            round(glider, 3),
            "kg CO2e/kg",
            2024,
            "greet_2024_pmbusch",
            "car-derived factor applied to the 12 m bus",
            low=round(glider * 0.7, 3),
            high=round(glider * 1.3, 3),
            segment="bus_12m",
            distribution="triangular",
            assumption=True,
            reason="No bus materials factor sourced: the GREET-derived car factor (2.97 kg CO2e/kg) is applied per kg of bus mass with a +/-30 % triangular range (bus bodies are steel/aluminium-framed like cars but with different material shares; carculator_bus models the bus glider from an EU 2010 study, not retrieved as GHG per kg).",
        )
    )

    # ---- battery -----------------------------------------------------------------------
    pack = {
        "NMC": (
            5.23,
            4.99,
            6.38,
            "BatPaC 5.2 NMC622 100 kWh pack 5.23 kg/kWh (NMC811 4.99); high = GREET 2024 NMC111 150-mile pack 156.8 Wh/kg = 6.38 kg/kWh",
        ),
        "LFP": (
            6.66,
            6.66,
            7.75,
            "BatPaC 5.2 LFP 100 kWh pack 6.66 kg/kWh; high = GREET 2024 LFP 150-mile pack 129 Wh/kg = 7.75 kg/kWh (300-mile 142.9 Wh/kg = 7.00)",
        ),
        "NCA": (
            5.11,
            5.11,
            5.96,
            "BatPaC 5.2 NCA 100 kWh pack 5.11 kg/kWh; high = GREET 2024 NCA 150-mile pack 167.7 Wh/kg = 5.96 kg/kWh",
        ),
        "LMO": (
            6.85,
            6.85,
            7.59,
            "GREET 2024 LMO 300-mile pack 145.9 Wh/kg = 6.85 kg/kWh; 150-mile 131.8 Wh/kg = 7.59 kg/kWh (BatPaC LMO/LTO 10.73 is an LTO-anode pack, not used)",
        ),
    }
    for chem, (val, lo, hi, loc) in pack.items():
        add(
            p(
                "battery_pack_mass_kg_per_kwh",
                val,
                "kg/kWh",
                2024 if chem == "LMO" else 2023,
                "greet_2024_pmbusch" if chem == "LMO" else "batpac_5_2_pmbusch",
                loc,
                low=lo,
                high=hi,
                chemistry=chem,
                distribution="triangular",
            )
        )
    bom = {
        "NMC": (
            50.53,
            49.84,
            55.31,
            "LIB_BoM: NMC622 300-mile 50.53; spread over NMC111/532/622/811 and 150/300-mile packs 49.84-55.31",
        ),
        "LFP": (41.79, 41.79, 45.17, "LIB_BoM: LFP 300-mile 41.79, 150-mile 45.17"),
        "NCA": (54.15, 54.15, 57.70, "LIB_BoM: NCA 300-mile 54.15, 150-mile 57.70"),
        "LMO": (33.07, 33.07, 36.41, "LIB_BoM: LMO 300-mile 33.07, 150-mile 36.41"),
    }
    for chem, (val, lo, hi, loc) in bom.items():
        add(
            p(
                "battery_materials_kg_co2e_per_kwh",
                val,
                "kg CO2e/kWh",
                2024,
                "greet_2024_pmbusch",
                loc,
                low=lo,
                high=hi,
                chemistry=chem,
                distribution="triangular",
                reason="GREET 2024 bill of materials (cell and pack materials, excl. cell manufacturing and pack assembly energy), US default supply chain, AR6 GWPs; the range covers GREET's own pack variants only and understates supply-chain spread (reviews give 34-394 kgCO2e/kWh for whole packs).",
            )
        )
    add(
        p(
            "battery_manufacturing_electricity_kwh_per_kwh",
            14.2,
            "kWh/kWh",
            2023,
            "degen_2023",
            "midpoint of Dai 2019 (30 MJ = 8.3 kWh electricity per kWh_cell) and Degen & Schuette 2022 (41.48 kWh/kWh_cell x 48 % electricity = 20.1)",
            low=8.3,
            high=20.1,
            distribution="uniform",
            assumption=True,
            reason=(
                "Electricity for cell manufacturing and pack assembly per kWh of capacity. Two sourced splits: Dai et al. 2019 (GREET, "
                "~2 GWh/yr plant in China) 170 MJ/kWh_cell = 140 MJ steam + 30 MJ (8.3 kWh) electricity; Degen & Schuette 2022 "
                "gigafactory model 41.48 kWh/kWh_cell of which 52 % natural gas -> 20.1 kWh electricity. Degen et al. 2023 give "
                "20.3-37.5 kWh total per kWh_cell (NMC900 lowest, LFP highest). Uniform 8.3-20.1, value = midpoint; kWh_cell taken "
                "equal to kWh pack capacity; one row for all chemistries (LFP likely at the upper end per Degen 2023)."
            ),
        )
    )
    add(
        p(
            "battery_manufacturing_heat_mj_per_kwh",
            108.5,
            "MJ/kWh",
            2019,
            "dai_2019",
            "midpoint of Degen & Schuette 2022 gas 21.38 kWh = 77 MJ and Dai 2019 steam 140 MJ per kWh_cell",
            low=77.0,
            high=140.0,
            distribution="uniform",
            assumption=True,
            reason="Thermal energy (natural gas / steam) for drying and dry rooms per kWh of capacity: Degen & Schuette 2022 21.38 kWh gas = 77 MJ; Dai et al. 2019 140 MJ steam. Uniform 77-140 MJ/kWh, value = midpoint. Dai's figure is delivered steam, Degen's is gas input; both are treated as heat delivered.",
        )
    )
    add(
        p(
            "process_heat_kg_co2e_per_mj",
            round((56.1 + 11.66) / 0.9 / 1000, 5),
            "kg CO2e/MJ",
            2025,
            "ipcc_2006_vol2_ch3",
            "(IPCC 2006 natural gas 56.1 gCO2/MJ + DESNZ 2025 WTT natural gas (CNG row) 11.66 gCO2e/MJ) / boiler efficiency 0.9",
            low=round((56.1 + 11.66) / 0.95 / 1000, 5),
            high=round((56.1 + 11.66) / 0.80 / 1000, 5),
            distribution="triangular",
            assumption=True,
            reason="Natural-gas process heat including upstream per MJ of heat delivered = (combustion 56.1 + well-to-tank 11.66 g/MJ fuel) / boiler efficiency. Efficiency 0.9 (range 0.80-0.95) is an assumption: no sourced industrial boiler efficiency was retrieved; the WTT uses DESNZ's CNG row (the only natural-gas WTT row extracted, includes compression so slightly high). CH4/N2O from combustion (<1 %) omitted.",
        )
    )

    # ---- assembly ------------------------------------------------------------------------
    heat_mj = round(2000.0 / 3 / ((56.1 + 11.66) / 0.9 / 1000), -1)
    elec_kwh = round(2000.0 * 2 / 3 / 0.384, -1)
    add(
        p(
            "assembly_electricity_kwh_per_vehicle",
            elec_kwh,
            "kWh/vehicle",
            2012,
            "sullivan_2012",
            "2/3 of the ~2 t CO2 VMA burden at the US 2024 Ember grid (384 g/kWh)",
            low=round(elec_kwh * 0.5, -1),
            high=round(elec_kwh * 1.5, -1),
            distribution="uniform",
            assumption=True,
            reason=(
                "Part manufacturing + final assembly of a car (Sullivan, Burnham & Wang 2012: 34 GJ and about 2 t CO2 per mid-size car). "
                "The electricity/heat split was not retrieved: 2/3 of the 2 t is assigned to electricity and converted at the US 2024 "
                "Ember intensity (384 g/kWh): 1333 kg / 0.384 = 3,470 kWh; uniform +/-50 %. Paired with assembly_heat_mj_per_vehicle so "
                "that a US-assembled car reproduces Sullivan's ~2 t. Includes part manufacturing (stamping, casting, machining) because "
                "glider_materials excludes GREET's VMA term."
            ),
        )
    )
    add(
        p(
            "assembly_heat_mj_per_vehicle",
            heat_mj,
            "MJ/vehicle",
            2012,
            "sullivan_2012",
            "1/3 of the ~2 t CO2 VMA burden as natural-gas heat at process_heat_kg_co2e_per_mj 0.0753",
            low=round(heat_mj * 0.5, -1),
            high=round(heat_mj * 1.5, -1),
            distribution="uniform",
            assumption=True,
            reason="1/3 of Sullivan 2012's ~2 t CO2 per car as natural-gas heat: 667 kg / 0.0753 kg/MJ = 8,850 MJ; uniform +/-50 %. Split assumed (not retrieved). Total final energy 12.5 + 8.9 GJ is below Sullivan's 34 GJ, which is consistent with 34 GJ being primary energy.",
        )
    )
    bus_scale = 7300.0 / 1350.0
    add(
        p(
            "assembly_electricity_kwh_per_vehicle",
            round(elec_kwh * bus_scale, -2),
            "kWh/vehicle",
            2012,
            "sullivan_2012",
            "car value x carculator_bus 13 m glider base mass 7,300 kg / carculator medium-car glider 1,350 kg",
            low=round(elec_kwh * bus_scale * 0.5, -2),
            high=round(elec_kwh * bus_scale * 1.5, -2),
            segment="bus_12m",
            distribution="uniform",
            assumption=True,
            reason="No bus assembly energy sourced: the car value (3,470 kWh) is scaled by glider mass (carculator_bus 13 m glider 7,300 kg vs carculator 1,350 kg car glider = 5.4x), following Sullivan 2012's mass-proportional term; uniform +/-50 %.",
        )
    )
    add(
        p(
            "assembly_heat_mj_per_vehicle",
            round(heat_mj * bus_scale, -2),
            "MJ/vehicle",
            2012,
            "sullivan_2012",
            "car value x 7,300/1,350 glider-mass ratio",
            low=round(heat_mj * bus_scale * 0.5, -2),
            high=round(heat_mj * bus_scale * 1.5, -2),
            segment="bus_12m",
            distribution="uniform",
            assumption=True,
            reason="Car value (8,850 MJ) scaled by glider mass (5.4x, carculator_bus vs carculator); uniform +/-50 %.",
        )
    )

    # ---- real-world consumption factors ---------------------------------------------------
    add(
        p(
            "real_world_consumption_factor",
            1.37,
            "1",
            2021,
            "icct_2021_china_gap",
            "China gap 37 % (MY2021); EU NEDC gap 33 % (2018, ICCT 2024 PR) to 42 % (2016, ICCT 2017)",
            low=1.33,
            high=1.42,
            test_cycle="NEDC",
            distribution="triangular",
            reason="Combustion fuels (empty fuel = all non-electric fuels, incl. hydrogen): mode = China MY2021 gap (largest target market), bounds = EU NEDC gaps 2018 and 2016.",
        )
    )
    add(
        p(
            "real_world_consumption_factor",
            1.37,
            "1",
            2021,
            "icct_2021_china_gap",
            "combustion NEDC gap applied to electricity",
            low=1.20,
            high=1.50,
            test_cycle="NEDC",
            fuel="electricity",
            distribution="triangular",
            assumption=True,
            reason="No sourced BEV real-world gap vs NEDC: the combustion NEDC gap (1.37) is used, with a wider range 1.20-1.50 because BEV consumption is more sensitive to heating/cooling and speed (SAE 2023: BEVs 12.5 % short of EPA range at 75 mph while ICEVs beat theirs).",
        )
    )
    add(
        p(
            "real_world_consumption_factor",
            1.14,
            "1",
            2022,
            "icct_2024_lab_to_road",
            "EU WLTP gap 8 % (2018) -> 14 % (2022)",
            low=1.08,
            high=1.14,
            test_cycle="WLTP",
            distribution="triangular",
            reason="Combustion fuels on WLTP: ICCT EU fleet (>160,000 cars): 14 % in 2022 (mode, latest), 8 % in 2018 (low).",
        )
    )
    add(
        p(
            "real_world_consumption_factor",
            1.14,
            "1",
            2022,
            "icct_2024_lab_to_road",
            "combustion WLTP gap applied to electricity",
            low=1.08,
            high=1.30,
            test_cycle="WLTP",
            fuel="electricity",
            distribution="triangular",
            assumption=True,
            reason="No sourced BEV gap vs WLTP: the ICE WLTP gap (1.14) is used, high end widened to 1.30 (BEV highway shortfall 12.5 % vs EPA labels that already include a 0.7 derating, SAE 2023).",
        )
    )
    clt_lo, clt_mid, clt_hi = 1 / 0.91, 1 / 0.85, 1 / 0.80
    add(
        p(
            "real_world_consumption_factor",
            round(clt_mid * 1.14, 3),
            "1",
            2022,
            "freshmotors_cltc_wltp",
            "(1 / WLTP-CLTC range ratio 0.85, band 0.80-0.91; cycle_conversion.csv) x WLTP electricity gap 1.14 (1.08-1.30)",
            low=round(clt_lo * 1.08, 3),
            high=round(clt_hi * 1.30, 3),
            test_cycle="CLTC",
            fuel="electricity",
            distribution="triangular",
            assumption=True,
            reason="No sourced real-world gap for CLTC exists. Derived: CLTC->WLTP kWh/100 km = 1/0.85 = 1.176 (inverse of the WLTP/CLTC range ratio; consumer-media rule of thumb, band 0.80-0.91) times the WLTP electricity gap 1.14 = 1.341; low 1.099 x 1.08, high 1.25 x 1.30.",
        )
    )
    add(
        p(
            "real_world_consumption_factor",
            1.14,
            "1",
            2022,
            "icct_2024_lab_to_road",
            "WLTP combustion gap; GB 19578-2021 moved ICE/PHEV fuel type approval to WLTC",
            low=1.08,
            high=1.14,
            test_cycle="CLTC",
            distribution="triangular",
            assumption=True,
            reason="CLTC-P is used in China only for BEV energy/range (GB/T 18386.1-2021); ICE and PHEV fuel consumption is type-approved on WLTC since GB 19578-2021. A combustion figure labelled CLTC is therefore treated as WLTC-based and gets the WLTP combustion gap.",
        )
    )
    add(
        p(
            "real_world_consumption_factor",
            1.0,
            "1",
            2023,
            "vanderwerp_2023_sae",
            "EPA labels include the real-world adjustment (5-cycle / 0.7 derating); >350 ICEVs 4 % better than label at 75 mph",
            low=0.96,
            high=1.0,
            test_cycle="EPA",
            distribution="triangular",
            assumption=True,
            reason="EPA label values already include the real-world adjustment, so the factor is 1.0; the SAE 2023 75 mph test found ICEVs 4 % better than their highway labels (low 0.96).",
        )
    )
    add(
        p(
            "real_world_consumption_factor",
            1.0,
            "1",
            2023,
            "vanderwerp_2023_sae",
            "EPA label incl. 0.7 derating; BEVs 12.5 % short of EPA range at 75 mph -> 1/0.875 = 1.143",
            low=1.0,
            high=1.143,
            test_cycle="EPA",
            fuel="electricity",
            distribution="triangular",
            assumption=True,
            reason="EPA BEV labels include the 0.7 derating of raw dyno range, so the factor is 1.0; high = sustained 75 mph highway driving (12.5 % range shortfall -> 1/0.875).",
        )
    )
    # measured in service: central 1 by definition, spread = route-to-route variation (issue 12)
    for fuel, reason in (
        (
            "",
            "A figure measured in service is real-world for its own route, so the central factor is 1 (no correction). Used for another route or fleet it carries the route-to-route variation: triangular 0.85-1.15 (mode 1), the 15 % gap between suburban and city routes measured by the source, in either direction because the measured route is not known relative to the user's. Measured on battery-electric buses; applied to combustion fuels as well (speed, stops, grades, load and HVAC act on both; no diesel route study was retrieved). Cross-check: ICCT/ZEBRA Mexico City 2023, 18 m e-buses 0.93 kWh/km with 99 % of days within 0.86-1.00 (about +/-7.5 %) on one corridor, and 0.92 (empty) to 1.23 kWh/km (105 % load).",
        ),
        (
            "electricity",
            "A figure measured in service is real-world for its own route, so the central factor is 1 (no correction). Used for another route or fleet it carries the route-to-route variation: triangular 0.85-1.15 (mode 1), the 15 % gap between suburban and city routes measured by the source, in either direction because the measured route is not known relative to the user's. Cross-check: ICCT/ZEBRA Mexico City 2023, 18 m e-buses 0.93 kWh/km with 99 % of days within 0.86-1.00 (about +/-7.5 %) on one corridor, and 0.92 (empty) to 1.23 kWh/km (105 % load).",
        ),
    ):
        add(
            p(
                "real_world_consumption_factor",
                1.0,
                "1",
                2018,
                "aalto_2018_ebus_energy_uncertainty",
                "test_cycle = measured: central 1 (already real-world); spread = route-to-route: 6 e-buses on 3 routes in southern Finland, 2016-2017: suburban route 15 % below the city routes (Energies 11(12) 3267, abstract)",
                test_cycle="measured",
                fuel=fuel,
                low=0.85,
                high=1.15,
                distribution="triangular",
                assumption=True,
                reason=reason,
            )
        )

    # ---- fuels -----------------------------------------------------------------------------
    lhv = {
        "petrol": (
            round(42.6 * 0.75, 3),
            "MJ/L",
            "carculator_utils fuel_specs: LHV 42.6 MJ/kg x density 0.75 kg/L",
        ),
        "diesel": (
            round(43.0 * 0.83, 3),
            "MJ/L",
            "carculator_utils fuel_specs: LHV 43 MJ/kg x density 0.83 kg/L",
        ),
        "cng": (47.5, "MJ/kg", "carculator_utils fuel_specs: methane LHV 47.5 MJ/kg"),
        "ethanol": (
            round(26.5 * 1.5386 / 1.96, 3),
            "MJ/L",
            "carculator_utils fuel_specs: LHV 26.5 MJ/kg x density 0.785 kg/L (density = 1.5386 kgCO2/L / 1.96 kgCO2/kg)",
        ),
        "hydrogen": (120.0, "MJ/kg", "carculator_utils fuel_specs: LHV 120 MJ/kg"),
    }
    for fuel, (val, unit, loc) in lhv.items():
        add(p("fuel_energy_mj_per_unit", val, unit, 2024, "carculator_utils_1_3_5", loc, fuel=fuel))
        if fuel == "ethanol":
            # hydrous ethanol (Brazil's E100 at the pump, fuel blends issue)
            add(
                p(
                    "fuel_energy_mj_per_unit",
                    19.7,
                    "MJ/L",
                    2008,
                    "cgee_2008_bioetanol",
                    "Section 2.1 (p. 41 of the 2008 edition): water content of hydrous ethanol 6.2-7.4 % by mass (Res. ANP 36/2005)",
                    low=19.4,
                    high="20.0",
                    fuel="ethanol_hydrous",
                    distribution="triangular",
                    assumption=True,
                    reason="Derived, no published LHV per litre found: hydrous ethanol holds 6.2-7.4 % water by mass (Res. ANP 36/2005 as summarised in CGEE 2008); LHV = (1 - w) x 26.5 MJ/kg (ethanol LHV, carculator_utils) - w x 2.44 MJ/kg (latent heat of the water, 25 C) = 24.36-24.71 MJ/kg; density 0.797 kg/L (ideal mixing of 0.785 ethanol and 0.998 water) to 0.809 (with volume contraction): 19.4-20.0 MJ/L, mode the midpoint.",
                )
            )
    lpg_mj_per_l = round(0.18551 / 0.0076, 2)
    add(
        p(
            "fuel_energy_mj_per_unit",
            lpg_mj_per_l,
            "MJ/L",
            2025,
            "desnz_2025",
            "WTT- fuels LPG: 0.18551 kgCO2e/L and 7.6 gCO2e/MJ -> 24.41 MJ/L (net CV implied by DESNZ's two units)",
            fuel="lpg",
            assumption=True,
            reason="No LPG LHV per litre extracted directly; derived from the ratio of DESNZ's per-litre and per-MJ WTT factors for LPG.",
        )
    )
    add(
        p(
            "fuel_energy_mj_per_unit",
            33.44,
            "MJ/L",
            2024,
            "carculator_utils_1_3_5",
            "carculator_utils fuel_specs: biodiesel LHV 38 MJ/kg x density 0.88 kg/L",
            fuel="biodiesel",
            reason="FAME (fatty-acid methyl ester), the bio component of blended diesel (fuel_blends.csv).",
        )
    )
    wtt = [
        (
            "petrol",
            0.60664,
            "kg CO2e/L",
            "WTT- fuels, Petrol (100 % mineral petrol), kgCO2e per litre",
            "",
            "",
            "none",
            False,
            "",
        ),
        (
            "diesel",
            0.62409,
            "kg CO2e/L",
            "WTT- fuels, Diesel (100 % mineral diesel), kgCO2e per litre",
            "",
            "",
            "none",
            False,
            "",
        ),
        (
            "cng",
            round(11.66 * 47.5 / 1000, 4),
            "kg CO2e/kg",
            "WTT- fuels, CNG 11.66 gCO2e/MJ x 47.5 MJ/kg",
            "",
            "",
            "none",
            False,
            "",
        ),
        ("lpg", 0.18551, "kg CO2e/L", "WTT- fuels, LPG, kgCO2e per litre", "", "", "none", False, ""),
        (
            "ethanol",
            0.61516,
            "kg CO2e/L",
            "WTT- bioenergy, Bioethanol (UK supply mix), kgCO2e per litre",
            "",
            "",
            "none",
            False,
            "UK supply mix (not a producing-country value); Brazil has its own row.",
        ),
    ]
    for fuel, val, unit, loc, lo, hi, dist, asm, reason in wtt:
        add(
            p(
                "fuel_well_to_tank_kg_co2e_per_unit",
                val,
                unit,
                2025,
                "desnz_2025",
                loc,
                fuel=fuel,
                low=lo,
                high=hi,
                distribution=dist,
                assumption=asm,
                reason=reason,
            )
        )
    eth_l = lhv["ethanol"][0]
    add(
        p(
            "fuel_well_to_tank_kg_co2e_per_unit",
            round(21.3 * eth_l / 1000, 4),
            "kg CO2e/L",
            2011,
            "seabra_2011",
            "21.3 gCO2e/MJ (Centre-South, excl. LUC) x 20.8 MJ/L; Macedo 2008: 0.436 kg/L (2005/06), 0.345 (2020 scenario)",
            low=0.345,
            high=round(21.3 * eth_l / 1000, 4),
            fuel="ethanol",
            region="BR",
            distribution="triangular",
            reason="Brazilian sugarcane ethanol life cycle excl. land-use change (Seabra 2011, mode and maximum; Macedo 2008 gives 0.436 kg/L for 2005/06 and 0.345 for its 2020 scenario, the minimum); tailpipe CO2 is biogenic (counted 0), so the whole life-cycle burden is well-to-tank.",
        )
    )
    add(
        p(
            "fuel_well_to_tank_kg_co2e_per_unit",
            0.4196,
            "kg CO2e/L",
            2011,
            "seabra_2011",
            "21.3 gCO2e/MJ (Centre-South, excl. LUC) x 19.7 MJ/L (hydrous LHV row); minimum: Macedo 2008 2020 scenario 0.345 kg/L anhydrous = 16.6 g/MJ x 19.7",
            low=0.327,
            high=0.4196,
            fuel="ethanol_hydrous",
            region="BR",
            distribution="triangular",
            assumption=True,
            reason="Per-MJ life-cycle burden of Brazilian sugarcane ethanol (Seabra 2011, excl. land-use change; Macedo 2008 2020 scenario the minimum) times the derived hydrous LHV; dehydration energy of anhydrous ethanol is not subtracted (conservative). Tailpipe CO2 is biogenic (counted 0), so the whole life-cycle burden is well-to-tank.",
        )
    )
    add(
        p(
            "fuel_well_to_tank_kg_co2e_per_unit",
            12.3,
            "kg CO2e/kg",
            2024,
            "patel_2024_h2",
            "grey SMR, pipeline natural gas 12.3 kgCO2e/kgH2; blue (pipeline) 7.6; Wei 2024 global average ~14",
            low=7.6,
            high=14.0,
            fuel="hydrogen",
            distribution="triangular",
            reason="Default hydrogen = grey SMR (Patel 2024), wide range from blue SMR+CCS (7.6) to today's global average (~14, Wei 2024). Production only: compression, transport and dispensing are likely excluded (would add).",
        )
    )
    # biodiesel (FAME) and US corn ethanol (fuel blends)
    add(
        p(
            "fuel_well_to_tank_kg_co2e_per_unit",
            0.39508,
            "kg CO2e/L",
            2025,
            "desnz_2025",
            "WTT- bioenergy, Biodiesel ME (UK supply mix), kgCO2e per litre",
            fuel="biodiesel",
            assumption=True,
            reason="UK supply mix (largely waste-oil FAME), not a producing-country value; used only where the country of use has no row of its own (the Philippines' coconut methyl ester): probably low for FAME from virgin vegetable oil.",
        )
    )
    add(
        p(
            "fuel_well_to_tank_kg_co2e_per_unit",
            0.8176,
            "kg CO2e/L",
            2017,
            "cerri_2017_br_soy_biodiesel",
            "domestic soybean biodiesel (B100) 23.1-25.8 gCO2eq/MJ excl. land-use change x 33.44 MJ/L; mode = midpoint",
            low=0.7725,
            high=0.8628,
            fuel="biodiesel",
            region="AR",
            distribution="triangular",
            assumption=True,
            reason="Brazilian soybean FAME (Cerri et al. 2017, excluding land-use change) used as a proxy for Argentina's soybean FAME (soy is Argentina's biodiesel feedstock; no Argentine factor sourced here): same crop, similar farming; transport distances differ. Indirect land-use change for oil crops (55 gCO2e/MJ, Directive (EU) 2015/1513) is not included. Tailpipe CO2 is biogenic (counted 0).",
        )
    )
    add(
        p(
            "fuel_well_to_tank_kg_co2e_per_unit",
            0.8176,
            "kg CO2e/L",
            2017,
            "cerri_2017_br_soy_biodiesel",
            "domestic soybean biodiesel (B100) 23.1-25.8 gCO2eq/MJ excl. land-use change x 33.44 MJ/L; mode = midpoint",
            low=0.7725,
            high=0.8628,
            fuel="biodiesel",
            region="BR",
            distribution="triangular",
            assumption=True,
            reason="Brazilian soybean FAME excluding land-use change (Cerri et al. 2017, range as minimum and maximum, midpoint as mode); soy oil is about 65-70 % of Brazil's biodiesel feedstock (ognnews_2023_br_b12, agricensus_2023_br_b14), the rest (mostly beef tallow) is given the soy value. Indirect land-use change for oil crops (55 gCO2e/MJ, Directive (EU) 2015/1513) is not included. Tailpipe CO2 is biogenic (counted 0).",
        )
    )
    for region in ("CO", "ID", "MY", "TH"):  # palm-oil FAME: one value for the four palm markets
        add(
            p(
                "fuel_well_to_tank_kg_co2e_per_unit",
                1.7935,
                "kg CO2e/L",
                2013,
                "pehnelt_vietze_2013_palm",
                "RED Annex V palm oil biodiesel (process not specified): 83.8 x (1 - 0.36) = 53.6 g/MJ (mode), 83.8 x (1 - 0.19) = 67.9 (max), 83.8 x (1 - 0.41) = 49.4 (min); x 33.44 MJ/L",
                low=1.6533,
                high=2.2698,
                fuel="biodiesel",
                region=region,
                distribution="triangular",
                assumption=True,
                reason="Palm-oil FAME excluding land-use change: EU RED (2009/28/EC) Annex V value for palm oil biodiesel with the oil-mill process not specified (typical 36 % saving = mode, default 19 % = maximum) and the recalculation by Pehnelt and Vietze 2013 (41 % = minimum), each applied to the RED fossil comparator 83.8 gCO2e/MJ; the 'process not specified' value is used because the share of mills capturing effluent methane is not known here. Indirect land-use change is NOT included: Directive (EU) 2015/1513 estimates 55 (33-66) gCO2e/MJ for oil crops, which would add about 1.84 kg CO2e/L and put palm FAME (about 109 g/MJ) above fossil diesel (about 92 g/MJ well-to-wheel). Tailpipe CO2 of FAME is biogenic (counted 0), so its whole life-cycle burden is well-to-tank.",
            )
        )
    add(
        p(
            "fuel_well_to_tank_kg_co2e_per_unit",
            0.9881,
            "kg CO2e/L",
            2021,
            "scully_2021_corn_ethanol",
            "central 51.4 (37.6-65.1) gCO2e/MJ well-to-wheel minus land-use change 3.9 g/MJ = 47.5 (33.7-61.2) x 20.803 MJ/L",
            low=0.7011,
            high=1.2731,
            fuel="ethanol",
            region="US",
            distribution="triangular",
            assumption=True,
            reason="US corn (maize) ethanol excluding land-use change, for consistency with the other biofuel rows: the review's central value and range shifted by its central land-use-change term (3.9 g/MJ; derived). The review's total includes denaturant and tailpipe CH4/N2O, a small overlap with the engine's own tailpipe CH4/N2O. Tailpipe CO2 is biogenic (counted 0), so the whole life-cycle burden is well-to-tank.",
        )
    )
    ipcc = {"petrol": 69.3, "diesel": 74.1, "cng": 56.1, "lpg": 63.1}
    carc = {"petrol": 2.355, "diesel": 2.6145, "cng": 2.68}
    for fuel, ef in ipcc.items():
        energy = lhv[fuel][0] if fuel in lhv else lpg_mj_per_l
        unit = "kg CO2/kg" if fuel == "cng" else "kg CO2/L"
        val = round(ef * energy / 1000, 4)
        if fuel in carc:
            lo, hi = sorted((val, carc[fuel]))
            add(
                p(
                    "fuel_combustion_kg_co2_per_unit",
                    val,
                    unit,
                    2006,
                    "ipcc_2006_vol2_ch3",
                    f"Table 3.2.1 {ef} tCO2/TJ x {energy} MJ/unit (carculator_utils LHV); other bound = carculator_utils carbon content {carc[fuel]}",
                    low=lo,
                    high=hi,
                    fuel=fuel,
                    distribution="uniform",
                    reason="Value = IPCC 2006 default x LHV; uniform between the IPCC-based and carculator_utils (carbon-content based) figures.",
                )
            )
        else:
            add(
                p(
                    "fuel_combustion_kg_co2_per_unit",
                    val,
                    unit,
                    2006,
                    "ipcc_2006_vol2_ch3",
                    f"Table 3.2.1 {ef} tCO2/TJ x {energy} MJ/L (DESNZ-implied LHV)",
                    fuel=fuel,
                )
            )
    add(
        p(
            "fuel_combustion_kg_co2_per_unit",
            0.0,
            "kg CO2/L",
            2024,
            "carculator_utils_1_3_5",
            "fuel_specs: bioethanol CO2 is biogenic",
            fuel="ethanol",
            reason="Biogenic CO2 (1.54 kg/L) counted as zero; its upstream is in fuel_well_to_tank.",
        )
    )
    add(
        p(
            "fuel_combustion_kg_co2_per_unit",
            0.0,
            "kg CO2/L",
            2024,
            "carculator_utils_1_3_5",
            "fuel_specs: bioethanol CO2 is biogenic",
            fuel="ethanol_hydrous",
            reason="Biogenic CO2 (1.96 kg CO2/kg ethanol x 0.93 x 0.80 kg/L = about 1.46 kg/L of hydrous ethanol) counted as zero, as for ethanol; its upstream is in fuel_well_to_tank.",
        )
    )
    add(
        p(
            "fuel_combustion_kg_co2_per_unit",
            0.0,
            "kg CO2/kg",
            2024,
            "carculator_utils_1_3_5",
            "fuel_specs: hydrogen CO2 = 0",
            fuel="hydrogen",
        )
    )
    add(
        p(
            "fuel_combustion_kg_co2_per_unit",
            0.0,
            "kg CO2/L",
            2024,
            "carculator_utils_1_3_5",
            "fuel_specs: biodiesel CO2 is biogenic",
            fuel="biodiesel",
            reason="Biogenic CO2 (2.79 kg CO2/kg x 0.88 kg/L = 2.46 kg/L) counted as zero; its upstream is in fuel_well_to_tank.",
        )
    )

    # tailpipe CH4/N2O: HBEFA 4.2 g/MJ x GWP100 of the chosen IPCC report. CH4 uses the value without the
    # CO2 of its oxidation (AR5 28; AR6 non-fossil 27.0), since the combustion CO2 factor already counts
    # all fuel carbon as CO2. One row per metric; the engine selects with the `gwp` selector.
    gwp_sets = {
        "AR5": (28.0, 265.0, "globalwarmingpotentials 0.13.2"),
        "AR6": (27.0, 273.0, "ipcc_ar6_wg1_gwp100: IPCC AR6 WGI Table 7.15, CH4 non-fossil"),
    }
    for metric, (gwp_ch4, gwp_n2o, gwp_ref) in gwp_sets.items():

        def co2e(ch4: float, n2o: float, gwp_ch4: float = gwp_ch4, gwp_n2o: float = gwp_n2o) -> float:
            return (ch4 * gwp_ch4 + n2o * gwp_n2o) / 1000

        pet = co2e(0.001264816, 0.000178048)
        pet_lo = co2e(0.000428354, 0.000164489)
        pet_hi = co2e(0.001821936, 0.000184372)
        dsl = co2e(0.007003119, 0.005019042)
        dsl_lo = co2e(0.000629558, 0.001786539)
        dsl_hi = co2e(0.007003119, 0.005019042)
        cng = co2e(0.01315704, 0.000221108)
        cng_lo = co2e(0.01315704, 0.000169139)
        cng_hi = co2e(0.018706699, 0.000221108)
        hb = f"HBEFA 4.2 coefficients in carculator_utils 1.3.5 x {metric} GWP100 (CH4 {gwp_ch4:g}, N2O {gwp_n2o:g}; {gwp_ref})"
        add(
            p(
                "tailpipe_ch4_n2o_kg_co2e_per_mj",
                round(pet, 10),
                "kg CO2e/MJ",
                2022,
                "hbefa_4_2",
                f"{hb}: petrol car Euro 6 CH4 0.001265 + N2O 0.000178 g/MJ; range Euro 4-6.x",
                low=round(pet_lo, 10),
                high=round(pet_hi, 10),
                fuel="petrol",
                gwp=metric,
                distribution="triangular",
            )
        )
        add(
            p(
                "tailpipe_ch4_n2o_kg_co2e_per_mj",
                round(dsl, 10),
                "kg CO2e/MJ",
                2022,
                "hbefa_4_2",
                f"{hb}: diesel car Euro 6 CH4 0.00700 + N2O 0.00502 g/MJ; low = Euro 4",
                low=round(dsl_lo, 10),
                high=round(dsl_hi, 10),
                fuel="diesel",
                gwp=metric,
                distribution="triangular",
            )
        )
        add(
            p(
                "tailpipe_ch4_n2o_kg_co2e_per_mj",
                round(cng, 10),
                "kg CO2e/MJ",
                2022,
                "hbefa_4_2",
                f"{hb}: CNG car Euro 6 CH4 0.01316 + N2O 0.000221 g/MJ; high = Euro 4 CH4",
                low=round(cng_lo, 10),
                high=round(cng_hi, 10),
                fuel="cng",
                gwp=metric,
                distribution="triangular",
            )
        )
        busd = co2e(5.32e-06, 0.000230547)
        busc = co2e(0.011069845, 0.0)
        add(
            p(
                "tailpipe_ch4_n2o_kg_co2e_per_mj",
                round(busd, 10),
                "kg CO2e/MJ",
                2022,
                "hbefa_4_2",
                f"{hb}: diesel city bus 13 m Euro VI CH4 5.3e-6 + N2O 0.000231 g/MJ",
                segment="bus_12m",
                fuel="diesel",
                gwp=metric,
            )
        )
        add(
            p(
                "tailpipe_ch4_n2o_kg_co2e_per_mj",
                round(busc, 10),
                "kg CO2e/MJ",
                2022,
                "hbefa_4_2",
                f"{hb}: CNG city bus 13 m Euro VI CH4 0.01107 g/MJ (no N2O given)",
                segment="bus_12m",
                fuel="cng",
                gwp=metric,
                reason="N2O not given for the CNG bus in HBEFA 4.2 as shipped; CH4 only (N2O of the CNG car is 0.06 g CO2e/MJ, small).",
            )
        )
        for fuel in ("lpg", "ethanol"):
            add(
                p(
                    "tailpipe_ch4_n2o_kg_co2e_per_mj",
                    round(pet, 10),
                    "kg CO2e/MJ",
                    2022,
                    "hbefa_4_2",
                    "petrol car Euro 6 value used as proxy",
                    low=round(pet_lo, 10),
                    high=round(pet_hi * 2, 10),
                    fuel=fuel,
                    gwp=metric,
                    distribution="triangular",
                    assumption=True,
                    reason=f"No HBEFA coefficient for {fuel} cars in the extract: spark-ignition petrol Euro 6 value used as proxy, upper bound doubled.",
                )
            )
        add(
            p(
                "tailpipe_ch4_n2o_kg_co2e_per_mj",
                round(pet, 10),
                "kg CO2e/MJ",
                2022,
                "hbefa_4_2",
                "petrol car Euro 6 value used as proxy",
                low=round(pet_lo, 10),
                high=round(pet_hi * 2, 10),
                fuel="ethanol_hydrous",
                gwp=metric,
                distribution="triangular",
                assumption=True,
                reason="No HBEFA coefficient for ethanol cars (anhydrous or hydrous) in the extract: spark-ignition petrol Euro 6 value used as proxy, upper bound doubled.",
            )
        )
    add(
        p(
            "tailpipe_ch4_n2o_kg_co2e_per_mj",
            0.0,
            "kg CO2e/MJ",
            2024,
            "carculator_utils_1_3_5",
            "fuel cell: no combustion",
            fuel="hydrogen",
            reason="Hydrogen is not burnt in an FCEV: no CH4/N2O at the tailpipe.",
        )
    )

    # ---- charging, lifetimes, use ----------------------------------------------------------
    add(
        p(
            "charging_efficiency",
            0.85,
            "1",
            2020,
            "carculator_1_9_5",
            "default_parameters.json 'battery charge efficiency' 0.8517 (0.8-0.9); ADAC 2024 mean loss 14.5 % (0.855)",
            low=0.80,
            high=0.90,
            distribution="triangular",
            reason="Plug-to-battery efficiency; cross-check ADAC EcoTest 2024 (>90 EVs) mean loss 14.5 %, range 8-30 %.",
        )
    )
    for seg in CAR_SEGMENTS:
        add(
            p(
                "lifetime_km",
                200000.0,
                "km",
                2020,
                "carculator_1_9_5",
                "default_parameters.json 'lifetime kilometers' 200,000 (80,000-300,000)",
                low=80000.0,
                high=300000.0,
                segment=seg,
                distribution="triangular",
            )
        )
        add(
            p(
                "lifetime_km",
                244843.0,
                "km",
                2006,
                "nhtsa_lu_2006",
                "passenger-car lifetime mileage 152,137 mi",
                low=200000.0,
                high=300000.0,
                segment=seg,
                region="US",
                distribution="triangular",
                assumption=True,
                reason="Value sourced (NHTSA 2006); the range (200,000-300,000 km) is an assumption bracketing it with the carculator default and its upper bound.",
            )
        )
        add(
            p(
                "annual_km",
                12000.0,
                "km/year",
                2020,
                "carculator_1_9_5",
                "default_parameters.json 'kilometers per year' 12,000 (8,000-15,000)",
                low=8000.0,
                high=15000.0,
                segment=seg,
                distribution="triangular",
                reason="European (Swiss) typical value used as the generic default.",
            )
        )
        add(
            p(
                "annual_km",
                18900.0,
                "km/year",
                2015,
                "liu_2015_china_vkt",
                "national average light-duty passenger vehicle, 2015",
                low=15000.0,
                high=26910.0,
                segment=seg,
                region="CN",
                distribution="triangular",
                assumption=True,
                reason="Value sourced; bounds are assumptions: MESSAGEix R12_CHN LDV 15,000 km/yr (low) and the 2007 survey 26,910 km/yr (high).",
            )
        )
        add(
            p(
                "battery_life_km",
                200000.0,
                "km",
                2020,
                "carculator_1_9_5",
                "default_parameters.json 'battery lifetime kilometers' 200,000 (100,000-300,000)",
                low=100000.0,
                high=300000.0,
                segment=seg,
                distribution="triangular",
            )
        )
    add(
        p(
            "lifetime_km",
            700000.0,
            "km",
            2020,
            "carculator_bus_0_1_0",
            "default_parameters.json 'lifetime kilometers' 13m-city 700,000 (630,000-770,000); FTA 14 yr x 29,000 km/yr = 406,000",
            low=406000.0,
            high=770000.0,
            segment="bus_12m",
            distribution="triangular",
            assumption=True,
            reason="Mode = carculator_bus (Swiss MOFIS data); low widened to the US FTA benchmark (14 yr x 29,000 km = 406,000 km) because bus lives in target markets are shorter (China transit buses 9 yr, Hao 2011).",
        )
    )
    add(
        p(
            "annual_km",
            50000.0,
            "km/year",
            2020,
            "carculator_bus_0_1_0",
            "default_parameters.json 'kilometers per year' 50,000 (45,000-55,000)",
            low=45000.0,
            high=55000.0,
            segment="bus_12m",
            distribution="triangular",
        )
    )
    add(
        p(
            "annual_km",
            29000.0,
            "km/year",
            2019,
            "fta_2020_useful_life",
            "US BTS ~18,000 mi per transit bus per year (pre-pandemic)",
            segment="bus_12m",
            region="US",
        )
    )
    add(
        p(
            "battery_life_km",
            545000.0,
            "km",
            2021,
            "carculator_bus_0_1_0",
            "NMC cycle life 3,000 (2,250-3,750) x DoD 0.8 x 250 kWh / 1.10 kWh/km at the battery (carculator_bus CN 2025 BEV-depot output); LFP 7,000 cycles -> 1.27 M km",
            low=409000.0,
            high=1270000.0,
            segment="bus_12m",
            distribution="triangular",
            assumption=True,
            reason="No bus battery life in km was sourced: derived from carculator_bus cycle life x depth of discharge x pack size / consumption (250 kWh x 0.8 / 1.10 kWh/km = 182 km per full cycle; x 3,000 NMC cycles = 545,000 km; x 2,250 = 409,000; x 7,000 LFP cycles = 1.27 M km).",
        )
    )

    # ---- maintenance -----------------------------------------------------------------------
    carc = json.loads((HERE / "carculator_2020_outputs.json").read_text(encoding="utf-8"))
    gwp = carc["background_gwp100_kg_co2e_per_unit"]
    car_maint = gwp["maintenance, passenger car"]  # kg CO2e per unit (a 1,240 kg car over 150,000 km)
    per_kg_km = car_maint / 1240 / 150000
    carc_size = {"small": "Small", "medium": "Lower medium", "large": "Large", "suv": "Medium SUV"}
    for seg in CAR_SEGMENTS:
        for powertrain, carc_pt, share in (("", "ICEV-p", 1.0), ("BEV", "BEV", 0.5)):
            mass = carc["cars"][f"{carc_size[seg]}|{carc_pt}"]["curb mass"]
            val = per_kg_km * mass * share
            add(
                p(
                    "maintenance_kg_co2e_per_km",
                    round(val, 6),
                    "kg CO2e/km",
                    2024,
                    "carculator_utils_1_3_5_lcia",
                    f"'maintenance, passenger car' (RER) {car_maint:.1f} kg CO2e/unit (IPCC 2021 GWP100); carculator 1.9.5 "
                    f"inventory: curb mass / 1240 / 150,000 units per km{' x 1/2 for BEVs' if share < 1 else ''}; "
                    f"carculator 2020 {carc_size[seg]} {carc_pt} curb mass {mass:.0f} kg",
                    low=round(val * 0.5, 6),
                    high=round(val * 1.5, 6),
                    segment=seg,
                    powertrain=powertrain,
                    distribution="triangular",
                    assumption=True,
                    reason=(
                        f"Derived: {car_maint:.1f} kg CO2e per ecoinvent car-maintenance unit / 1,240 kg / 150,000 km x "
                        f"{mass:.0f} kg (carculator's class curb mass){' x 0.5 (carculator: BEV maintenance half that of ICEVs)' if share < 1 else ''} "
                        f"= {val * 1000:.2f} g/km. Tyres, fluids, parts as in ecoinvent's VW-Golf-based dataset (carculator_utils "
                        "aggregated scores, GWP100 IPCC 2021). Bounds +/-50 % are an assumption (vehicle mass spread, "
                        "dataset age)."
                    ),
                )
            )
    bus_maint = gwp["maintenance, bus"]
    bus_val = bus_maint * 19000 / 19000 / 700000
    add(
        p(
            "maintenance_kg_co2e_per_km",
            round(bus_val, 6),
            "kg CO2e/km",
            2024,
            "carculator_utils_1_3_5_lcia",
            f"'maintenance, bus' (CH) {bus_maint:.1f} kg CO2e/unit; carculator_bus 0.1.0 inventory: gross mass / 19,000 "
            "units per bus (13 m gross mass 19,000 kg) over 700,000 km",
            low=round(bus_val * 0.5, 6),
            high=round(bus_val * 2.0, 6),
            segment="bus_12m",
            distribution="triangular",
            assumption=True,
            reason=(
                f"Derived: {bus_maint:.1f} kg CO2e per bus-life of maintenance x (19,000 / 19,000) / 700,000 km "
                f"(carculator_bus lifetime) = {bus_val * 1000:.2f} g/km; high bound doubled because the shorter bus lives in "
                "target markets (406,000 km FTA) spread the same maintenance over fewer km; low -50 % assumed."
            ),
        )
    )

    # ---- end of life -----------------------------------------------------------------------
    add(
        p(
            "vehicle_end_of_life_kg_co2e_per_kg",
            0.0,
            "kg CO2e/kg",
            2010,
            "nrc_2010_hidden_costs",
            "GREET vehicle-cycle results include disposal (NRC 2010 App. D description of GREET 2.7a)",
            low=0.0,
            high=0.1,
            distribution="uniform",
            assumption=True,
            reason="Dismantling/shredding per kg was not found with numbers (Accardo 2023 qualitative). glider_materials is derived from GREET vehicle-cycle totals, which already include disposal, so this stage is 0 to avoid double counting; the upper bound 0.1 kg/kg is a placeholder for Monte Carlo.",
        )
    )
    add(
        p(
            "battery_end_of_life_kg_co2e_per_kwh",
            7.6,
            "kg CO2e/kWh",
            2024,
            "greet_2024_pmbusch",
            "Inputs/LIBRec_GWP.csv NMC622 2.909 t CO2e per ton (basis ambiguous) x 5.23 kg/kWh = 15.2 kg/kWh if per ton of pack",
            low=0.0,
            high=15.2,
            distribution="uniform",
            assumption=True,
            reason="GREET 2024 LIB_Recycling burdens (2.6-12.4 t CO2e 'per ton') have an ambiguous basis (per ton of pack or of recovered material). Read per ton of pack, NMC622 gives 2.909 x 5.23 = 15.2 kg CO2e/kWh (upper bound); lower bound 0; value = midpoint. One row for all chemistries.",
        )
    )
    add(
        p(
            "battery_recycling_credit_kg_co2e_per_kwh",
            20.0,
            "kg CO2e/kWh",
            2020,
            "aichberger_2020",
            "meta-review of 50 LCAs: recycling credit median 20, IQR 5-29 kgCO2e/kWh",
            low=5.0,
            high=29.0,
            distribution="triangular",
            reason="Avoided primary production, reported apart, never netted. The source gives quartiles; they are used as triangular bounds (narrower than the full spread).",
        )
    )
    add(
        p(
            "grid_intensity_relative_uncertainty",
            round(rel_unc, 3),
            "1",
            2025,
            "this_package_derivation",
            "grid_intensity.csv: country-years with both series",
            assumption=True,
            reason=(
                "Derived from the spread between the two shipped series: d = (production - consumption) / mean over all country-years "
                f"having both; if each series has an independent relative error s, sd(d) = s*sqrt(2), so s = sd(d)/sqrt(2) = {rel_unc:.3f}. "
                "The two series also differ systematically (production is on average ~10 % higher: imports, factor choices), which this "
                "relative standard uncertainty absorbs only partly."
            ),
        )
    )
    for row in rows:
        if row["assumption"] and not row["reason"]:
            raise SystemExit(f"assumption without reason: {row['parameter']}")
    return rows


# --------------------------------------------------------------------------------------------
# PHEV UF, cycle conversion
# --------------------------------------------------------------------------------------------

UF = [(20, 0.30), (30, 0.41), (40, 0.50), (50, 0.58), (60, 0.65), (70, 0.71), (80, 0.75)]


def build_uf() -> list[dict[str, Any]]:
    """ICCT 2020 real-world UF curve (private cars, Germany)."""
    return [
        {
            "electric_range_km": km,
            "utility_factor": uf,
            "basis": "real-world, private PHEVs in Germany (~6,000 vehicles), charge-depleting range",
            "source_id": "plotz_2020_icct_phev",
            "locator": "carculator docs modeling.rst Table 11 (from ICCT 2020)",
        }
        for km, uf in UF
    ]


def build_cycle_conversion() -> list[dict[str, Any]]:
    """Type-approval conversions from the standards research (cycle_conversion_factors.csv, ids CFxx)."""
    rows = [
        (
            "NEDC",
            "WLTP",
            "co2",
            "ICEV",
            1.21,
            1.01,
            1.36,
            "icct_2019_wltp_eu",
            "CF01 (2018 EU monitoring data); band CF02/CF03 (T&E 2019)",
            "procedure ratio for petrol+diesel fleet; falls as CO2 falls; HEVs: lower end",
        ),
        (
            "NEDC",
            "WLTP",
            "co2_target",
            "",
            1.053,
            1.053,
            1.074,
            "icct_2014_mock_wltp",
            "CF07",
            "ex-ante conversion of a 95 g/km NEDC target; 1.074 incl. 14 degC correction",
        ),
        (
            "NEDC",
            "WLTC",
            "co2",
            "ICEV",
            1.13,
            "",
            "",
            "icct_cycles_blog",
            "CF08",
            "cycle-only simulation, gasoline; not the full WLTP procedure",
        ),
        (
            "NEDC",
            "WLTC",
            "co2",
            "ICEV-diesel",
            1.0,
            "",
            "",
            "icct_cycles_blog",
            "CF11",
            "diesel, low-efficiency vehicles; high-efficiency diesels: WLTC ~ US combined",
        ),
        (
            "FTP",
            "WLTC",
            "co2",
            "ICEV",
            1.15,
            "",
            "",
            "icct_cycles_blog",
            "CF09",
            "FTP = unadjusted US 2-cycle (FTP-75/HWFET 55/45), not the EPA label; gasoline",
        ),
        ("JC08", "WLTC", "co2", "ICEV", 1.18, "", "", "icct_cycles_blog", "CF10", "gasoline"),
        (
            "JC08",
            "NEDC",
            "co2",
            "ICEV",
            1.05,
            "",
            "",
            "icct_cycles_blog",
            "CF12",
            "new gasoline; diesel 0.98",
        ),
        (
            "FTP",
            "EPA",
            "ev_range",
            "BEV",
            0.7,
            "",
            "",
            "epa_range_derating",
            "CF15",
            "raw UDDS/HWFET dyno range x 0.7, weighted 55 % highway / 45 % city",
        ),
        (
            "NEDC",
            "CLTC",
            "ev_range",
            "BEV",
            1.116,
            1.05,
            1.116,
            "tesla_m3_cltc_51774",
            "CF17 (single vehicle); band CF16 (consumer media 1.05-1.10)",
            "weak: consumer media; loud uncertainty",
        ),
        (
            "CLTC",
            "WLTP",
            "ev_range",
            "BEV",
            0.85,
            0.80,
            0.91,
            "freshmotors_cltc_wltp",
            "CF18 (rule of thumb); band CF26",
            "weak: consumer media / web tool; loud uncertainty",
        ),
        (
            "CLTC",
            "EPA",
            "ev_range",
            "BEV",
            0.75,
            0.75,
            0.83,
            "freshmotors_cltc_wltp",
            "CF19",
            "weak: consumer media",
        ),
        (
            "WLTP",
            "EPA",
            "ev_range",
            "BEV",
            0.888,
            0.83,
            0.91,
            "circulux_leaf",
            "CF21 (Nissan Leaf 40 kWh, 151/170 mi); band CF20",
            "weak: single vehicle + media band",
        ),
        (
            "CLTC",
            "WLTP",
            "ev_energy",
            "BEV",
            round(1 / 0.85, 3),
            round(1 / 0.91, 3),
            round(1 / 0.80, 3),
            "freshmotors_cltc_wltp",
            "inverse of CF18/CF26",
            "derived assumption: same usable energy, both cycles count AC grid energy -> kWh/100 km ratio = 1 / range ratio",
        ),
        (
            "NEDC",
            "CLTC",
            "ev_energy",
            "BEV",
            round(1 / 1.116, 3),
            round(1 / 1.116, 3),
            round(1 / 1.05, 3),
            "tesla_m3_cltc_51774",
            "inverse of CF16/CF17",
            "derived assumption: inverse of the range ratio",
        ),
        (
            "WLTP",
            "EPA",
            "ev_energy",
            "BEV",
            round(1 / 0.888, 3),
            round(1 / 0.91, 3),
            round(1 / 0.83, 3),
            "circulux_leaf",
            "inverse of CF20/CF21",
            "derived assumption: inverse of the range ratio",
        ),
    ]
    out = []
    for fr, to, qty, pt, fac, lo, hi, src, loc, note in rows:
        out.append(
            {
                "from_cycle": fr,
                "to_cycle": to,
                "quantity": qty,
                "powertrain": pt,
                "factor": fac,
                "low": lo,
                "high": hi,
                "source_id": src,
                "locator": loc,
                "note": note,
            }
        )
    return out


# --------------------------------------------------------------------------------------------
# datapackage.json
# --------------------------------------------------------------------------------------------

# --------------------------------------------------------------------------------------------
# fuel blends: mandated bio share by volume from a date (literal, each row with its source and the
# passage quoted; shares kept as published text, e.g. 0.10)
# --------------------------------------------------------------------------------------------

FUEL_BLEND_HEADER = [
    "country",
    "fuel",
    "valid_from",
    "bio_component",
    "bio_share_volume",
    "source_id",
    "locator",
    "note",
]
FUEL_BLENDS: list[tuple[str, str, str, str, str, str, str, str]] = [
    (
        "AR",
        "diesel",
        "2013-01-01",
        "biodiesel",
        "0.08",
        "ubrabio_2013_ar_b10",
        "ante 8 por cento atualmente",
        "B8 in force in 2013 (start date not given: 1 January 2013 assumed, held before)",
    ),
    (
        "AR",
        "diesel",
        "2013-12-02",
        "biodiesel",
        "0.10",
        "ubrabio_2013_ar_b10",
        "vai aumentar para 10 por cento, ante 8 por cento atualmente, a proporcao obrigatoria de biodiesel",
        "day of the announcement (effective date not given); REN21 GSR 2015 lists Argentina B10",
    ),
    (
        "AR",
        "diesel",
        "2021-08-01",
        "biodiesel",
        "0.05",
        "edicionrural_2021_ar_law27640",
        "reduce a la mitad el corte obligatorio de biodiesel para gasoil que pasara del 10 al 5%",
        "Law 27,640 promulgated at the start of August 2021 (day assumed 1 August); later temporary raises (7.5 %) are not sourced here",
    ),
    (
        "AR",
        "petrol",
        "2015-01-01",
        "ethanol",
        "0.10",
        "ren21_gsr2015_mandates",
        "Argentina E10 and B10",
        "as of the GSR 2015 table; day assumed 1 January 2015; held before (earlier lower blends not sourced)",
    ),
    (
        "AR",
        "petrol",
        "2016-02-05",
        "ethanol",
        "0.12",
        "exame_2016_ar_e12",
        "elevara a mistura obrigatoria de etanol na gasolina vendida no pais de 10 para 12 por cento",
        "day of the announcement (the effective date is not given); kept at 12 % by Law 27,640 of 2021 (edicionrural_2021_ar_law27640)",
    ),
    (
        "BR",
        "diesel",
        "2010-01-01",
        "biodiesel",
        "0.05",
        "berst_br_biodiesel",
        "mandatory biodiesel blending content was increased ... further to 5% (B5 biodiesel) as of January 2010",
        "B5; the July 2014 step (B6) is misprinted in the source and not modelled",
    ),
    (
        "BR",
        "diesel",
        "2014-11-01",
        "biodiesel",
        "0.07",
        "berst_br_biodiesel",
        "7% from 1st November 2014",
        "",
    ),
    (
        "BR",
        "diesel",
        "2017-03-01",
        "biodiesel",
        "0.08",
        "brazilmonitor_2017_br_b8",
        "Since March 1st the mandatory share of biodiesel ... has been increased to 8% percent",
        "CNPE Resolution 11",
    ),
    (
        "BR",
        "diesel",
        "2018-03-01",
        "biodiesel",
        "0.09",
        "lexology_2016_br_law13263",
        "9% by March 2018",
        "schedule of Law 13,263/2016; day assumed 1 March as for the other steps",
    ),
    (
        "BR",
        "diesel",
        "2019-03-01",
        "biodiesel",
        "0.10",
        "lexology_2016_br_law13263",
        "10% by March 2019",
        "schedule of Law 13,263/2016 (B10 before B11 per dieselnet_2019_br_b11); day assumed 1 March",
    ),
    (
        "BR",
        "diesel",
        "2019-09-01",
        "biodiesel",
        "0.11",
        "dieselnet_2019_br_b11",
        "increased the minimum biodiesel content in commercial diesel fuel from 10 to 11% (B11), effective September 1, 2019",
        "",
    ),
    (
        "BR",
        "diesel",
        "2020-03-01",
        "biodiesel",
        "0.12",
        "biodieselmagazine_2020_br_b12",
        "On March 1, the minimum percentage of biodiesel added to diesel fuel went from 11 to 12 percent",
        "held through 2021 (the 2021 auctions varied between 10 and 13 %; not modelled)",
    ),
    (
        "BR",
        "diesel",
        "2022-01-01",
        "biodiesel",
        "0.10",
        "ognnews_2023_br_b12",
        "the biofuel blend in diesel was held at 10 per cent throughout 2022",
        "",
    ),
    (
        "BR",
        "diesel",
        "2023-04-01",
        "biodiesel",
        "0.12",
        "bnamericas_2023_br_b12",
        "will increase by two percentage points from April this year ... from the current level of 10% (blend B10) to 12%",
        "day assumed 1 April",
    ),
    (
        "BR",
        "diesel",
        "2024-03-01",
        "biodiesel",
        "0.14",
        "agricensus_2023_br_b14",
        "a 14% blending (B14) valid from March",
        "day assumed 1 March; B15 of March 2025 suspended (B14 kept) until August 2025",
    ),
    (
        "BR",
        "diesel",
        "2025-08-01",
        "biodiesel",
        "0.15",
        "estadao_2025_br_e30",
        "e do biodiesel no diesel a 15%",
        "B15 from 1 August 2025 with E30; held after 2025 (the +1 point a year of Lei 14.993/2024 is not yet decreed)",
    ),
    (
        "BR",
        "petrol",
        "2007-07-01",
        "ethanol",
        "0.25",
        "greencarcongress_2010_br_e20",
        "E25 … fully reinstated at 25% in July of 2007",
        "gasoline C (gasolina comum); anhydrous ethanol",
    ),
    (
        "BR",
        "petrol",
        "2010-02-01",
        "ethanol",
        "0.20",
        "greencarcongress_2010_br_e20",
        "from 25% to 20% for a period of 90 days, effective 1 February",
        "temporary E20",
    ),
    (
        "BR",
        "petrol",
        "2010-05-01",
        "ethanol",
        "0.25",
        "greencarcongress_2010_br_e20",
        "end of the 90-day period announced for 1 February 2010",
        "return to E25 dated 90 days after 1 February (1 May 2010): the end date is read from the announced period",
    ),
    (
        "BR",
        "petrol",
        "2011-10-01",
        "ethanol",
        "0.20",
        "fuelsandlubes_2013_br_e25",
        "On October 1, 2011, the government reduced anhydrous ethanol content in petrol from 25% to 20%",
        "",
    ),
    (
        "BR",
        "petrol",
        "2013-05-01",
        "ethanol",
        "0.25",
        "fuelsandlubes_2013_br_e25",
        "scheduled after the end of the local 2012-2013 sugar cane crop year in April",
        "day assumed: 1 May 2013, the first day after the announced April",
    ),
    (
        "BR",
        "petrol",
        "2015-03-16",
        "ethanol",
        "0.27",
        "fuelsandlubes_2015_br_e27",
        "raise ethanol blends in gasoline to 27% from the current 25% beginning 16 March",
        "E27 (premium gasoline stayed E25; not modelled)",
    ),
    (
        "BR",
        "petrol",
        "2025-08-01",
        "ethanol",
        "0.30",
        "estadao_2025_br_e30",
        "passara dos atuais 27% para 30% (E30) … a partir de 1o de agosto",
        "E30 under Lei 14.993/2024 (lei_14993_2024: 22-35 % allowed); held at 30 % after 2025 (no later decision)",
    ),
    (
        "CO",
        "diesel",
        "2018-08-01",
        "biodiesel",
        "0.10",
        "eltiempo_2022_co_mezclas",
        "En agosto del 2018, la mezcla era del 10 % ... y el 10 % para biodiesel",
        "palm-oil FAME; held before 2018 (earlier blends not sourced); the later 12 % (date not given) and the pandemic reductions are not modelled",
    ),
    (
        "CO",
        "diesel",
        "2022-01-01",
        "biodiesel",
        "0.11",
        "eltiempo_2022_co_mezclas",
        "entre enero y febrero bajarlo al 11 %",
        "Resolution 40421 of 2021",
    ),
    (
        "CO",
        "diesel",
        "2022-03-01",
        "biodiesel",
        "0.10",
        "eltiempo_2022_co_mezclas",
        "desde marzo que el nivel se ajuste al 10 %",
        "held after",
    ),
    (
        "CO",
        "petrol",
        "2012-01-01",
        "ethanol",
        "0.08",
        "ingeniomayaguez_2012_co_d4892",
        "gasolina motor con porcentajes de mezcla obligatoria que varian entre el 8% y el 10%",
        "lower end of Decree 4892/2011's 8-10 % (REN21 GSR 2015 lists Colombia E8); day assumed 1 January 2012",
    ),
    (
        "CO",
        "petrol",
        "2018-08-01",
        "ethanol",
        "0.10",
        "eltiempo_2022_co_mezclas",
        "En agosto del 2018, la mezcla era del 10 % para etanol",
        "held to December 2021; the pandemic-era reductions (2020-2021) are not dated in the source (overstated)",
    ),
    (
        "CO",
        "petrol",
        "2022-01-01",
        "ethanol",
        "0.07",
        "eltiempo_2022_co_mezclas",
        "el del etanol dejarlo en el 7 %",
        "Resolution 40421 of 2021; day assumed 1 January 2022",
    ),
    (
        "CO",
        "petrol",
        "2022-02-01",
        "ethanol",
        "0.06",
        "eltiempo_2022_co_mezclas",
        "para despues disminuirlo al 6 % entre febrero y junio",
        "",
    ),
    (
        "CO",
        "petrol",
        "2022-07-01",
        "ethanol",
        "0.08",
        "eltiempo_2022_co_mezclas",
        "e incrementarlo al 8 % en julio",
        "",
    ),
    (
        "CO",
        "petrol",
        "2022-08-01",
        "ethanol",
        "0.10",
        "eltiempo_2022_co_mezclas",
        "a partir de agosto que el nivel quede definitivamente en el 10 %",
        "held after",
    ),
    (
        "DE",
        "diesel",
        "2022-01-01",
        "biodiesel",
        "0.0687",
        "ufop_2023_de_bafa2022",
        "2.516 million tonnes of biodiesel ... 34.7 million tonnes of diesel (B7)",
        "2.516 / 34.7 = 7.25 % by mass = 6.87 % by volume (densities FAME 0.88, diesel 0.83 kg/L; derived); the only year found: held before and after",
    ),
    (
        "DE",
        "petrol",
        "2017-01-01",
        "ethanol",
        "0.0575",
        "bdbe_2019_de_ethanol",
        "the share of the green fuel in gasoline sales grew to 6.3% from 6% in 2017",
        "6.0 % read as a mass share (BAFA statistics are in tonnes; assumption) and converted to volume with the densities of ethanol 0.785 and petrol 0.75 kg/L; held before 2017",
    ),
    (
        "DE",
        "petrol",
        "2018-01-01",
        "ethanol",
        "0.0604",
        "bdbe_2019_de_ethanol",
        "the share of the green fuel in gasoline sales grew to 6.3%",
        "6.3 % by mass (assumption, as above) = 6.04 % by volume",
    ),
    (
        "DE",
        "petrol",
        "2021-01-01",
        "ethanol",
        "0.0632",
        "dpa_2022_de_e10",
        "Insgesamt machte Bioethanol letztes Jahr dabei 6,6 Prozent des in Deutschland verkauften Benzins aus",
        "6.6 % by mass (assumption, as above) = 6.32 % by volume; 2019-2020 not found (6.3 % held)",
    ),
    (
        "DE",
        "petrol",
        "2022-01-01",
        "ethanol",
        "0.0669",
        "ufop_2023_de_bafa2022",
        "bioethanol ... 1.186 million tonnes ... approximately 17 million tonnes of petrol (E5/E10)",
        "1.186 / 17 = 6.98 % by mass = 6.69 % by volume (derived); held after 2022",
    ),
    (
        "FR",
        "diesel",
        "2011-01-01",
        "biodiesel",
        "0.07",
        "dir_2009_30_ec_fqd",
        "FAME content ... 7,0 % v/v (maximum)",
        "legal maximum B7 used as the share (assumption): no French sales share found; Germany's BAFA 2022 figure under the same limit is 6.87 % by volume, so the maximum is close to what is sold; 1 January 2011 = the transposition deadline of the directive",
    ),
    (
        "FR",
        "petrol",
        "2010-01-01",
        "ethanol",
        "0.0565",
        "rtl_2011_fr_e10",
        "Fin 2010, le SP95-E10 representait plus de 13% des essences commercialisees",
        "upper bound from the legal maxima (assumption): 13 % of sales as E10 at 10 % + 87 % at the E5 maximum of 5 % (dir_2009_30_ec_fqd); the grades' actual ethanol contents are not published per grade",
    ),
    (
        "FR",
        "petrol",
        "2014-01-01",
        "ethanol",
        "0.066",
        "ccfa_2015_fr_e10",
        "Le sans-plomb E10 a represente en moyenne 32 % de l'essence vendue en France",
        "upper bound from the legal maxima (assumption, as above): 0.32 x 10 % + 0.68 x 5 %",
    ),
    (
        "FR",
        "petrol",
        "2016-01-01",
        "ethanol",
        "0.0678",
        "bfm_2018_fr_e10",
        "le SP95-E10 s'etait deja approche du SP95 classique ... avec une part de marche de 35,5%",
        "upper bound from the legal maxima (assumption): 0.355 x 10 % + 0.645 x 5 %",
    ),
    (
        "FR",
        "petrol",
        "2017-01-01",
        "ethanol",
        "0.0694",
        "bfm_2018_fr_e10",
        "le SP95-E10 voit sa part de marche annuelle progresser de 3,3 points en 2017 a 38,8%",
        "upper bound from the legal maxima (assumption): 0.388 x 10 % + 0.612 x 5 %; later years not found (held; E10's share kept rising, which this understates)",
    ),
    (
        "GB",
        "diesel",
        "2011-01-01",
        "biodiesel",
        "0.07",
        "dir_2009_30_ec_fqd",
        "FAME content ... 7,0 % v/v (maximum)",
        "legal maximum B7 used as the share (assumption, as for France and Poland; retained in GB law)",
    ),
    (
        "GB",
        "petrol",
        "2011-01-01",
        "ethanol",
        "0.05",
        "greencarcongress_2021_gb_e10",
        "The 2 gasoline blends that are currently widely available in the UK contain no more than 5% ethanol, known as E5",
        "legal maximum E5 used as the share (assumption, as for Poland; no sold share found); held before 2011",
    ),
    (
        "GB",
        "petrol",
        "2021-09-01",
        "ethanol",
        "0.10",
        "compliancepeople_2021_gb_e10",
        "petrol stations in Great Britain are required to only sell 95 octane premium petrol that meets an E10 grade specification ... between 5.5% and 10%",
        "legal maximum of the standard grade (assumption); the super grade stays E5, which this overstates by its share; a 2-month transition from 1 September 2021",
    ),
    (
        "ID",
        "diesel",
        "2010-01-01",
        "biodiesel",
        "0.025",
        "goldenagri_id_biodiesel",
        "2010-2012 : B2.5",
        "year only: 1 January assumed",
    ),
    (
        "ID",
        "diesel",
        "2013-09-01",
        "biodiesel",
        "0.10",
        "goldenagri_id_biodiesel",
        "2013-2014 : B10 mandate issued 1 September 2013",
        "",
    ),
    (
        "ID",
        "diesel",
        "2015-04-01",
        "biodiesel",
        "0.15",
        "yosefardi_2018_id_b25",
        "It started with 15% biodiesel mix for SMEs, fisheries, agriculture, and transportation in April 2015",
        "day assumed 1 April",
    ),
    (
        "ID",
        "diesel",
        "2016-01-01",
        "biodiesel",
        "0.20",
        "reuters_2018_id_b25",
        "require a 20 percent bio content in biodiesel for land transportation from January 2016 to January 2020",
        "subsidised (PSO) diesel from 2016; all diesel from 1 September 2018 (goldenagri_id_biodiesel): 2016-2018 share overstated for non-subsidised diesel",
    ),
    (
        "ID",
        "diesel",
        "2020-01-01",
        "biodiesel",
        "0.30",
        "reuters_2018_id_b25",
        "from January 2016 to January 2020, after which a 30 percent bio content would be mandatory",
        "B30 in force from January 2020 (kontan_2022_id_b35: since 2020 implemented the B30 programme)",
    ),
    (
        "ID",
        "diesel",
        "2023-01-01",
        "biodiesel",
        "0.35",
        "kontan_2022_id_b35",
        "raise mandatory biodiesel blending to 35% starting January 1, 2023",
        "date as announced; a later start (February 2023) is reported elsewhere and not sourced here",
    ),
    (
        "ID",
        "diesel",
        "2025-01-01",
        "biodiesel",
        "0.40",
        "biobased_diesel_2025_id_b40",
        "increase biodiesel from B35 to B40 ... in effect starting Jan. 1, 2025",
        "transition allowed until 28 February 2025; B50 deferred (held at B40)",
    ),
    (
        "IN",
        "petrol",
        "2013-12-01",
        "ethanol",
        "0.0153",
        "hansindia_2025_in_ethanol",
        "a significant rise from 1.53 per cent in 2014",
        "ethanol supply year 2013-14 (December-November); later years until 2018-19 not found: 1.53 % is held to November 2019 (understates 2015-2019)",
    ),
    (
        "IN",
        "petrol",
        "2019-12-01",
        "ethanol",
        "0.05",
        "hansindia_2025_in_ethanol",
        "blending percentage from 5 per cent in ESY 2019-20",
        "ESY 2019-20",
    ),
    (
        "IN",
        "petrol",
        "2020-12-01",
        "ethanol",
        "0.081",
        "chinimandi_2021_in_ethanol",
        "achieved the benchmark figure of 8.1% in 2020-21",
        "ESY 2020-21 (December-November)",
    ),
    (
        "IN",
        "petrol",
        "2021-12-01",
        "ethanol",
        "0.10",
        "rajyasabha_2025_in_esy2425",
        "The 10 per cent ethanol blending target was achieved in June 2022, five months ahead of schedule during ESY 2021-22",
        "ESY 2021-22 average read as 10 % (assumption: the source gives the month the target was reached)",
    ),
    (
        "IN",
        "petrol",
        "2022-11-01",
        "ethanol",
        "0.1206",
        "rajyasabha_2025_in_esy2425",
        "12.06 per cent blending in ESY 2022-23",
        "ESY November-October from 2022-23",
    ),
    (
        "IN",
        "petrol",
        "2023-11-01",
        "ethanol",
        "0.146",
        "rajyasabha_2025_in_esy2425",
        "14.60 per cent in ESY 2023-24",
        "",
    ),
    (
        "IN",
        "petrol",
        "2024-11-01",
        "ethanol",
        "0.1924",
        "rajyasabha_2025_in_esy2425",
        "achieving an average blending rate of 19.24 per cent",
        "ESY 2024-25",
    ),
    (
        "IN",
        "petrol",
        "2025-11-01",
        "ethanol",
        "0.20",
        "hansindia_2025_in_ethanol",
        "All retail outlets of Public Sector Oil Marketing Companies ... dispense E20 petrol",
        "E20 target for ESY 2025-26 (rajyasabha_2025_in_esy2425); held after",
    ),
    (
        "MY",
        "diesel",
        "2011-07-01",
        "biodiesel",
        "0.05",
        "ofimagazine_2018_my_b10",
        "The country's palm biodiesel programme was initiated in 2011 with the B5 programme",
        "year only: 1 July assumed (mid-year; the roll-out was regional)",
    ),
    (
        "MY",
        "diesel",
        "2014-11-01",
        "biodiesel",
        "0.07",
        "ofimagazine_2018_my_b10",
        "increased to B7 from November 2014",
        "day assumed 1 November",
    ),
    (
        "MY",
        "diesel",
        "2019-02-01",
        "biodiesel",
        "0.10",
        "kpk_2020_my_b20",
        "mandated the B10 programme in the transport sector on Feb 1 last year",
        "national B10; B20 only in Langkawi, Labuan and Sarawak (not modelled)",
    ),
    (
        "PH",
        "diesel",
        "2009-02-01",
        "biodiesel",
        "0.02",
        "fuelsandlubes_2009_ph_b2",
        "mandated the biodiesel blend to increase from the initial 1% to 2% in February 2009",
        "coconut methyl ester; day assumed 1 February; later B3 (2024) not sourced here, B2 held",
    ),
    (
        "PH",
        "petrol",
        "2009-01-01",
        "ethanol",
        "0.05",
        "autoblog_2007_ph_ra9367",
        "mandates five percent ethanol be blended into all gasoline by 2009",
        "RA 9367; year only: 1 January assumed",
    ),
    (
        "PH",
        "petrol",
        "2013-04-01",
        "ethanol",
        "0.10",
        "phoenixfuels_ph_e10",
        "On April 1, 2013, the Department of Energy implemented the 10% requirement of ethanol in gasoline fuel",
        "",
    ),
    (
        "PL",
        "diesel",
        "2011-01-01",
        "biodiesel",
        "0.07",
        "ngl_2023_pl_e10",
        "symbols B7 or B10, indicating respectively up to 7% or up to 10% of bio-components",
        "legal maximum B7 of the standard diesel used as the share (assumption, as for France)",
    ),
    (
        "PL",
        "petrol",
        "2011-01-01",
        "ethanol",
        "0.05",
        "ngl_2023_pl_e10",
        "Currently, petrol is marked with an octane number (95 or 98) and the symbol E5",
        "legal maximum E5 used as the share (assumption): the National Indicative Target pushes blends to the maxima (ngl_2023_pl_e10); no sold share found",
    ),
    (
        "PL",
        "petrol",
        "2024-01-01",
        "ethanol",
        "0.10",
        "ngl_2023_pl_e10",
        "From 1 January 2024 ... up to 10% bioethanol in 95-octane petrol",
        "legal maximum E10 of the 95-octane grade (assumption, as above); 98-octane stays E5, which this overstates by 98's unknown share",
    ),
    (
        "TH",
        "diesel",
        "2010-06-01",
        "biodiesel",
        "0.03",
        "fuelsandlubes_2010_th_b3",
        "Thailand will make 3% biodiesel blended in petroleum diesel fuel or B3 compulsory by June 2010",
        "the later B5 and B7 steps (2011-2014) were not found in a source: B3 is held to September 2020, which understates 2011-2020",
    ),
    (
        "TH",
        "diesel",
        "2020-10-01",
        "biodiesel",
        "0.10",
        "entec_2021_th_b10",
        "setting the B10 as conventional diesel in Thailand from October 1, 2020 onwards",
        "",
    ),
    (
        "TH",
        "diesel",
        "2022-02-05",
        "biodiesel",
        "0.05",
        "pattayamail_2022_th_b5",
        "reduced the content of palm oil-based methyl ester in diesel to 5% from Feb 5 to March 31",
        "B5 held until the next sourced row (May 2024); the intermediate return to B7 is not dated in a source here",
    ),
    (
        "TH",
        "diesel",
        "2024-05-01",
        "biodiesel",
        "0.07",
        "nation_2023_th_b7",
        "As of May 1, regulatory changes require B7 diesel to contain between 6.6% and 7% biodiesel",
        "B10 discontinued; B20 an optional grade (not modelled)",
    ),
    (
        "US",
        "petrol",
        "2016-01-01",
        "ethanol",
        "0.10",
        "eia_faq_27_ethanol",
        "in 2016, the 143.4 billion gallons of finished motor gasoline ... contained about 14.4 billion gallons of fuel ethanol, or about 10%",
        "held before 2016 (EIA, Dec 2011: ethanol's share topped 10 % in August 2011, E10 well over 90 % of the market)",
    ),
    (
        "US",
        "petrol",
        "2023-01-01",
        "ethanol",
        "0.10",
        "eia_faq_27_ethanol",
        "In 2023, about 0.33 billion barrels (13.73 billion gallons) of fuel ethanol were blended into the 3.26 billion barrels (137.11 billion gallons)",
        "13.73 / 137.11 = 10.0 %; held after 2023; denaturant (at least 2 %) not separated",
    ),
]


VERSION = "2026.11.1"
SEGMENTS = [
    "small",
    "medium",
    "large",
    "suv",
    "bus_12m",
    "motorcycle",
    "scooter",
    "van",
    "pickup",
    "tricycle",
]
POWERTRAINS = ["ICEV", "HEV", "MHEV", "PHEV", "BEV", "FCEV"]
FUELS = [
    "petrol",
    "diesel",
    "cng",
    "lpg",
    "ethanol",
    "ethanol_hydrous",
    "biodiesel",
    "electricity",
    "hydrogen",
]
CHEMISTRIES = ["NMC", "LFP", "NCA", "LMO"]
CYCLES = ["NEDC", "WLTP", "CLTC", "EPA", "measured"]
GWP_METRICS = ["AR5", "AR6"]
CONVERSION_CYCLES = ["NEDC", "WLTP", "WLTC", "CLTC", "EPA", "FTP", "JC08"]


def f(
    name: str, ftype: str, description: str, *, unit: str | None = None, **constraints: Any
) -> dict[str, Any]:
    """One Table Schema field."""
    field: dict[str, Any] = {"name": name, "type": ftype, "description": description}
    if unit:
        field["unit"] = unit
    if ftype == "number":
        field["bareNumber"] = True
    if constraints:
        field["constraints"] = constraints
    return field


SOURCE_FK = {"fields": "source_id", "reference": {"resource": "sources", "fields": "source_id"}}
COUNTRY = {"pattern": "^[A-Z]{2}$"}


def descriptor() -> dict[str, Any]:
    """The Frictionless Data Package descriptor (v1 tabular-data-package profile)."""
    src = f("source_id", "string", "Key into sources.csv.", required=True, pattern="^[a-z0-9_]+$")
    loc = f("locator", "string", "Where in the source: table, sheet, page, row or commit URL.")
    resources = [
        {
            "name": "sources",
            "path": "sources.csv",
            "title": "Bibliographic registry of every source used in the package",
            "schema": {
                "fields": [
                    f(
                        "source_id",
                        "string",
                        "Unique snake_case key.",
                        required=True,
                        unique=True,
                        pattern="^[a-z0-9_]+$",
                    ),
                    f("title", "string", "Title of the publication or dataset.", required=True),
                    f("publisher", "string", "Author(s) or publisher.", required=True),
                    f("year", "integer", "Publication year.", required=True, minimum=1990, maximum=2030),
                    f("url", "string", "Address (DOI, landing page or commit-pinned file).", required=True),
                    f(
                        "licence",
                        "string",
                        "Licence of the source's data as far as verified; 'UNVERIFIED' says so.",
                        required=True,
                    ),
                    f("quality", "string", "How close our copy is to the primary source.", required=True),
                    f("notes", "string", "Key numbers quoted and caveats."),
                ],
                "primaryKey": ["source_id"],
            },
        },
        {
            "name": "grid_intensity",
            "path": "grid_intensity.csv",
            "title": "Average life-cycle carbon intensity of electricity by country, year and series",
            "licenses": [
                {
                    "name": "ODbL-1.0",
                    "path": "https://opendatacommons.org/licenses/odbl/1-0/",
                    "title": "Open Database License 1.0: the consumption series is Electricity Maps data (ODbL, "
                    "share-alike); the production series is Ember data (CC BY 4.0, attribution kept)",
                }
            ],
            "schema": {
                "fields": [
                    f("country", "string", "ISO 3166-1 alpha-2.", required=True, **COUNTRY),
                    f("year", "integer", "Calendar year.", required=True, minimum=2010, maximum=2030),
                    f(
                        "series",
                        "string",
                        "production = Ember (domestic generation, excludes imports); consumption = Electricity Maps (flow-traced, includes imports).",
                        required=True,
                        enum=["production", "consumption"],
                    ),
                    f(
                        "g_co2e_per_kwh",
                        "number",
                        "Life-cycle GHG per kWh generated (production) or consumed (consumption), GWP100.",
                        unit="g CO2e/kWh",
                        required=True,
                        minimum=0,
                        maximum=1500,
                    ),
                    f("scope", "string", "Emission scope of the factor.", required=True, enum=["lifecycle"]),
                    src,
                    loc,
                    f(
                        "note",
                        "string",
                        "Vintage, flags (scope=lifecycle? for older Ember vintages), renewable shares.",
                    ),
                ],
                "primaryKey": ["country", "year", "series"],
                "foreignKeys": [SOURCE_FK],
            },
        },
        {
            "name": "grid_mix",
            "path": "grid_mix.csv",
            "title": "Electricity generation shares by source (used for the grid plausibility check)",
            "schema": {
                "fields": [
                    f("country", "string", "ISO 3166-1 alpha-2.", required=True, **COUNTRY),
                    f("year", "integer", "Calendar year.", required=True, minimum=2000, maximum=2030),
                    *[
                        f(
                            f"{k}_share",
                            "number",
                            f"Share of generation from {k.replace('_', ' ')}.",
                            unit="1",
                            minimum=0,
                            maximum=1,
                        )
                        for k in MIX_FACTORS
                    ],
                    src,
                    loc,
                ],
                "primaryKey": ["country", "year"],
                "foreignKeys": [SOURCE_FK],
            },
        },
        {
            "name": "generation_lca_factors",
            "path": "generation_lca_factors.csv",
            "title": "Life-cycle emission factor per generation technology (IPCC AR5 medians)",
            "schema": {
                "fields": [
                    f(
                        "technology",
                        "string",
                        "Generation technology, matching a *_share column of grid_mix.",
                        required=True,
                        enum=list(MIX_FACTORS),
                    ),
                    f(
                        "g_co2e_per_kwh",
                        "number",
                        "Life-cycle GHG per kWh generated.",
                        unit="g CO2e/kWh",
                        required=True,
                        minimum=0,
                    ),
                    src,
                    loc,
                ],
                "primaryKey": ["technology"],
                "foreignKeys": [SOURCE_FK],
            },
        },
        {
            "name": "td_losses",
            "path": "td_losses.csv",
            "title": "Cumulative transmission and distribution losses: kWh generated per kWh delivered",
            "schema": {
                "fields": [
                    f("country", "string", "ISO 3166-1 alpha-2.", required=True, **COUNTRY),
                    f(
                        "lv_multiplier",
                        "number",
                        "kWh generated per kWh delivered at low voltage.",
                        unit="kWh/kWh",
                        required=True,
                        minimum=1,
                    ),
                    f(
                        "mv_multiplier",
                        "number",
                        "kWh generated per kWh delivered at medium voltage.",
                        unit="kWh/kWh",
                        required=True,
                        minimum=1,
                    ),
                    f(
                        "hv_multiplier",
                        "number",
                        "kWh generated per kWh delivered at high voltage.",
                        unit="kWh/kWh",
                        required=True,
                        minimum=1,
                    ),
                    src,
                    f(
                        "assumption",
                        "boolean",
                        "true if the value is not a copy of a published number.",
                        required=True,
                    ),
                    f("reason", "string", "Required when assumption is true."),
                ],
                "primaryKey": ["country"],
                "foreignKeys": [SOURCE_FK],
            },
        },
        {
            "name": "parameters",
            "path": "parameters.csv",
            "title": "Life-cycle factors read by the engine, with selectors, distributions and provenance",
            "schema": {
                "fields": [
                    f(
                        "parameter",
                        "string",
                        "Factor name; its unit is fixed in roadcarbon/data/quantities.csv.",
                        required=True,
                        pattern="^[a-z0-9_]+$",
                    ),
                    f("segment", "string", "Selector (empty = all segments).", enum=SEGMENTS),
                    f("powertrain", "string", "Selector (empty = all powertrains).", enum=POWERTRAINS),
                    f("fuel", "string", "Selector (empty = all fuels).", enum=FUELS),
                    f("chemistry", "string", "Selector (empty = all battery chemistries).", enum=CHEMISTRIES),
                    f("test_cycle", "string", "Selector (empty = all test cycles).", enum=CYCLES),
                    f("region", "string", "Selector, ISO 3166-1 alpha-2 (empty = everywhere).", **COUNTRY),
                    f(
                        "gwp",
                        "string",
                        "Selector: the GWP100 metric a value was converted with by this package (empty = the "
                        "value is as published, in its source's own CO2e metric).",
                        enum=GWP_METRICS,
                    ),
                    f(
                        "value",
                        "number",
                        "Central value (mode, mean or median, see distribution), in `unit`.",
                        required=True,
                    ),
                    f(
                        "low",
                        "number",
                        "Lower bound (triangular min, uniform min, or 2.5 % quantile for normal/lognormal).",
                    ),
                    f(
                        "high",
                        "number",
                        "Upper bound (triangular max, uniform max, or 97.5 % quantile for normal/lognormal).",
                    ),
                    f(
                        "distribution",
                        "string",
                        "Uncertainty distribution for Monte Carlo.",
                        required=True,
                        enum=["none", "triangular", "uniform", "normal", "lognormal"],
                    ),
                    f(
                        "unit",
                        "string",
                        "Unit string; must be the registry unit of the parameter.",
                        required=True,
                    ),
                    f(
                        "year",
                        "integer",
                        "Year the value refers to (or of its source).",
                        required=True,
                        minimum=1990,
                        maximum=2030,
                    ),
                    src,
                    loc,
                    f(
                        "assumption",
                        "boolean",
                        "true if the value is derived or assumed rather than copied from the source.",
                        required=True,
                    ),
                    f("reason", "string", "Derivation or reason; required when assumption is true."),
                ],
                "primaryKey": [
                    "parameter",
                    "segment",
                    "powertrain",
                    "fuel",
                    "chemistry",
                    "test_cycle",
                    "region",
                    "gwp",
                ],
                "foreignKeys": [SOURCE_FK],
            },
        },
        {
            "name": "phev_utility_factor",
            "path": "phev_utility_factor.csv",
            "title": "PHEV real-world utility factor by charge-depleting range (engine interpolates linearly, clamps at the ends)",
            "schema": {
                "fields": [
                    f(
                        "electric_range_km",
                        "number",
                        "Charge-depleting (electric) range.",
                        unit="km",
                        required=True,
                        minimum=0,
                    ),
                    f(
                        "utility_factor",
                        "number",
                        "Share of km driven electrically.",
                        unit="1",
                        required=True,
                        minimum=0,
                        maximum=1,
                    ),
                    f("basis", "string", "Population and method behind the value.", required=True),
                    src,
                    loc,
                ],
                "primaryKey": ["electric_range_km"],
                "foreignKeys": [SOURCE_FK],
            },
        },
        {
            "name": "cycle_conversion",
            "path": "cycle_conversion.csv",
            "title": "Type-approval test-cycle conversion factors (value on to_cycle = factor x value on from_cycle)",
            "schema": {
                "fields": [
                    f(
                        "from_cycle",
                        "string",
                        "Cycle the figure was measured on.",
                        required=True,
                        enum=CONVERSION_CYCLES,
                    ),
                    f("to_cycle", "string", "Cycle to convert to.", required=True, enum=CONVERSION_CYCLES),
                    f(
                        "quantity",
                        "string",
                        "co2 (g/km or L/100 km), co2_target, ev_range (km), ev_energy (kWh/100 km).",
                        required=True,
                        enum=["co2", "co2_target", "ev_range", "ev_energy"],
                    ),
                    f("powertrain", "string", "Scope of the factor (ICEV, ICEV-diesel, BEV; empty = fleet)."),
                    f("factor", "number", "Multiplier.", unit="1", required=True, minimum=0),
                    f("low", "number", "Lower end of the band.", unit="1"),
                    f("high", "number", "Upper end of the band.", unit="1"),
                    src,
                    loc,
                    f("note", "string", "Basis and caveats (S-weak sources are flagged)."),
                ],
                "primaryKey": ["from_cycle", "to_cycle", "quantity", "powertrain"],
                "foreignKeys": [SOURCE_FK],
            },
        },
        {
            "name": "fuel_blends",
            "path": "fuel_blends.csv",
            "title": "Mandated biofuel share of road fuels by country and date",
            "description": "Volume share of the bio component in the fuel sold at the pump, from the date a mandate took effect until the next row; the engine averages it over the years of use (docs/methodology.md, Fuel blends).",
            "schema": {
                "fields": [
                    f("country", "string", "ISO 3166-1 alpha-2.", required=True, **COUNTRY),
                    f(
                        "fuel",
                        "string",
                        "Fuel code of the vehicle (the blend sold under that name).",
                        required=True,
                        enum=["petrol", "diesel"],
                    ),
                    f("valid_from", "date", "First day the share applies.", required=True),
                    f(
                        "bio_component",
                        "string",
                        "Fuel code whose factors (LHV, well-to-tank, combustion) the bio share takes.",
                        required=True,
                        enum=["ethanol", "biodiesel"],
                    ),
                    # no bareNumber here (as committed with the table)
                    {
                        "name": "bio_share_volume",
                        "type": "number",
                        "description": "Bio component share of the blend by volume.",
                        "unit": "1",
                        "constraints": {"required": True, "minimum": 0, "maximum": 1},
                    },
                    src,
                    f("locator", "string", "Where in the source (quoted passage)."),
                    f("note", "string", "Assumptions (a day read from an announced period) and scope."),
                ],
                "primaryKey": ["country", "fuel", "valid_from"],
                "foreignKeys": [SOURCE_FK],
            },
        },
        {
            "name": "excluded",
            "path": "excluded.csv",
            "title": "Source values deliberately not shipped, with the reason",
            "schema": {
                "fields": [
                    f("table", "string", "Table the value would belong to.", required=True),
                    f("key", "string", "Its key (comma-separated key columns).", required=True),
                    f("reason", "string", "Why it is not shipped.", required=True),
                ],
                "primaryKey": ["table", "key"],
            },
        },
    ]
    for res in resources:
        res["profile"] = "tabular-data-resource"
        res["format"] = "csv"
        res["mediatype"] = "text/csv"
        res["encoding"] = "utf-8"
    return {
        "profile": "tabular-data-package",
        "name": "roadcarbon-reference-factors",
        "title": "roadcarbon reference data: grid intensity, fuels, batteries, vehicle manufacturing, use and end of life",
        "version": VERSION,
        "description": "Factors read by the roadcarbon life-cycle engine. Every row carries a source_id into sources.csv, a unit and a year; derived or assumed values say so (assumption=true) with the reason. See README.md.",
        "homepage": "src/roadcarbon/data/factors/README.md",
        "created": "2026-11-28T00:00:00Z",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 (this data package; the roadcarbon code is Apache-2.0)",
            }
        ],
        "attribution": (
            "Contains data from Ember (Yearly Electricity Data, CC BY 4.0, ember-climate.org) and Our World in Data "
            "(share of electricity by source, CC BY 4.0, ourworldindata.org); Electricity Maps yearly averages via co2.js "
            "(Open Database License 1.0, which is why the grid_intensity resource is ODbL); carculator, carculator_bus and "
            "carculator_utils (Paul Scherrer Institute, BSD-3-Clause); UK Government GHG Conversion Factors 2025 "
            "(DESNZ, Open Government Licence v3.0); IPCC AR5 and 2006 Guidelines; Argonne GREET 2024 and BatPaC 5.2; "
            "openclimatedata globalwarmingpotentials (CC0); ICCT publications. Full list with licences in sources.csv."
        ),
        "sources": [
            {"title": "Ember Yearly Electricity Data (CC BY 4.0)", "path": "https://ember-climate.org/data/"},
            {
                "title": "Our World in Data, share of electricity by source (CC BY 4.0)",
                "path": "https://ourworldindata.org/grapher/share-elec-by-source",
            },
            {"title": "Electricity Maps yearly averages via co2.js (licence UNVERIFIED)", "path": f"{CO2JS}"},
            {
                "title": "carculator / carculator_bus / carculator_utils (BSD-3-Clause)",
                "path": "https://github.com/romainsacchi/carculator",
            },
            {
                "title": "UK DESNZ GHG Conversion Factors 2025 (OGL v3.0)",
                "path": "https://www.gov.uk/government/collections/government-conversion-factors-for-company-reporting",
            },
            {
                "title": "ANL GREET 2024 via pmbusch/USA-EV-Lithium-GHG",
                "path": "https://github.com/pmbusch/USA-EV-Lithium-GHG",
            },
            {"title": "IPCC AR5 WG3 Annex III; 2006 IPCC Guidelines Vol. 2", "path": "https://www.ipcc.ch/"},
            {"title": "All other sources: sources.csv", "path": "sources.csv"},
        ],
        "resources": resources,
    }


def build(shared: Path, out: Path = OUT) -> None:
    """Write every file of the package from the research folder ``shared`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    grid, mix, excluded_grid, rel_unc = build_grid(shared)
    # history 2010 onwards (OWID carbon_intensity_elec) spliced on, superseded 2021 vintage dropped
    grid, _ = derivation_module("build_grid_history").splice(grid)
    write_csv(
        out,
        "grid_intensity.csv",
        ["country", "year", "series", "g_co2e_per_kwh", "scope", "source_id", "locator", "note"],
        grid,
    )
    write_csv(
        out,
        "grid_mix.csv",
        ["country", "year", *[f"{k}_share" for k in MIX_FACTORS], "source_id", "locator"],
        mix,
    )
    write_csv(
        out,
        "generation_lca_factors.csv",
        ["technology", "g_co2e_per_kwh", "source_id", "locator"],
        [
            {"technology": k, "g_co2e_per_kwh": v[0], "source_id": v[1], "locator": v[2]}
            for k, v in MIX_FACTORS.items()
        ],
    )
    td, excluded_td = build_td(shared)
    write_csv(
        out,
        "td_losses.csv",
        ["country", "lv_multiplier", "mv_multiplier", "hv_multiplier", "source_id", "assumption", "reason"],
        td,
    )
    vehicle_classes = derivation_module("vehicle_classes")
    if vehicle_classes.HEADER != PARAM_HEADER:
        raise SystemExit("derivation/vehicle_classes.py HEADER differs from PARAM_HEADER")
    # two-wheelers, vans and pickups, bus occupancy: rows of derivation/vehicle_classes.py, last
    # (as its --write leaves them)
    write_csv(out, "parameters.csv", PARAM_HEADER, build_parameters(rel_unc) + vehicle_classes.all_rows())
    write_csv(
        out,
        "phev_utility_factor.csv",
        ["electric_range_km", "utility_factor", "basis", "source_id", "locator"],
        build_uf(),
    )
    write_csv(
        out,
        "cycle_conversion.csv",
        [
            "from_cycle",
            "to_cycle",
            "quantity",
            "powertrain",
            "factor",
            "low",
            "high",
            "source_id",
            "locator",
            "note",
        ],
        build_cycle_conversion(),
    )
    write_csv(
        out,
        "fuel_blends.csv",
        FUEL_BLEND_HEADER,
        [dict(zip(FUEL_BLEND_HEADER, r, strict=True)) for r in FUEL_BLENDS],
    )
    write_csv(out, "excluded.csv", ["table", "key", "reason"], excluded_grid + excluded_td)
    write_csv(
        out,
        "sources.csv",
        ["source_id", "title", "publisher", "year", "url", "licence", "quality", "notes"],
        [
            dict(
                zip(
                    ["source_id", "title", "publisher", "year", "url", "licence", "quality", "notes"],
                    s,
                    strict=True,
                )
            )
            for s in SOURCES
        ]
        # then the sources of derivation/vehicle_classes.py, last (as its --write appends them)
        + [dict(s) for s in vehicle_classes.SOURCES],
    )
    path = out / "datapackage.json"
    path.write_text(json.dumps(descriptor(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {path.name}\n")


def main(argv: list[str] | None = None) -> None:
    """Build every CSV (into the package folder, or ``--out``)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--shared", type=Path, required=True, help="research data folder (with grid_intensity.csv ...)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=OUT,
        help="folder to write into (default: the package folder src/roadcarbon/data/factors)",
    )
    args = parser.parse_args(argv)
    build(args.shared, args.out)


if __name__ == "__main__":
    main()
