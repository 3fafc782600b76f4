"""Relevance of `search` on judged queries, on the real January 2026 release.

Run from anywhere (the paths come from this file's location):

    .venv/bin/python bench/relevance.py [--db FILE] [--json OUT] [--failures]

Each judgment is a text a coder would type and the codes they would accept among the first K
hits (written from the descriptions of the January 2026 file). The script runs every text
through the API (`schema.execute`, as of 2026-01-15) and reports, overall and by group: the
pass rate (an accepted code in the first K), MRR@10 (the mean of 1/rank of the first accepted
code in the first ten, 0 when none is) and how often a discontinued code comes first while an
active code is among the hits. It is a benchmark, not a test: it prints numbers and fails on
none. A few of its cases are kept as regression tests in tests/schema/test_search_ranking.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from hcpcs_graphql.db.connection import connect_read_only  # noqa: E402
from hcpcs_graphql.db.loader import load  # noqa: E402
from hcpcs_graphql.ingest.sources import find_releases  # noqa: E402
from hcpcs_graphql.schema.schema import schema  # noqa: E402
from hcpcs_graphql.services.catalog import Catalog  # noqa: E402
from hcpcs_graphql.services.context import make_context  # noqa: E402

JANUARY_2026 = REPOSITORY.parent / "shared" / "data" / "hcpcs" / "2026-01_JAN"
AS_OF = "2026-01-15"
TOP = 10

SEARCH = """
query Judge($text: String!, $asOf: Date!) {
  search(text: $text, asOf: $asOf, first: 10) {
    edges { node { code status(on: $asOf) { status } } }
  }
}
"""


@dataclass(frozen=True)
class Judgment:
    group: str
    text: str
    accepted: tuple[str, ...]
    k: int = 3


def _group(group: str, k: int, *cases: tuple[str, str]) -> list[Judgment]:
    return [Judgment(group, text, tuple(codes.split()), k) for text, codes in cases]


JUDGMENTS: list[Judgment] = [
    *_group(
        "drug",
        3,
        ("pembrolizumab", "J9271"),
        ("nivolumab", "J9299 J9289 J9298"),
        ("rituximab", "J9312 J9311 Q5115 Q5119 Q5123"),
        ("infliximab", "J1745 Q5103 Q5104 Q5121 J1748"),
        ("bevacizumab", "J9035 Q5107 Q5118 Q5126 Q5129 Q5160 C9257"),
        ("ondansetron", "J2405 Q0162 S0119"),
        ("ceftriaxone", "J0696"),
        ("methylprednisolone", "J1010 J2919 J7509"),
        ("triamcinolone", "J3300 J3301 J3302 J3303 J3299 J3304"),
        ("ketorolac", "J1885"),
        ("dexamethasone", "J1100 J1095 J1096 J7312 J8540 J8541 J7637 J7638"),
        ("epinephrine", "J0165 J0162 J0163 J0164 J0166 J0167"),
        ("naloxone", "G2215 G2216 G1028"),
        ("testosterone", "J1071 J3121 J3145 J1072 J1073"),
        ("medroxyprogesterone", "J1050"),
        ("cyanocobalamin", "J3420"),
        ("heparin", "J1644 J1642 J1643"),
        ("enoxaparin", "J1650"),
        ("morphine", "J2270 J2274 J2272"),
        ("hydromorphone", "J1171 S0092"),
        ("fentanyl", "J3010"),
        ("promethazine", "J2550 Q0169"),
        ("diphenhydramine", "J1200 Q0163"),
        ("famotidine", "J1308"),
        ("vancomycin", "J3373 J3374 J3375 J3376"),
        ("cefazolin", "J0690 J0687 J0688 J0689"),
        ("aflibercept", "J0178 J0177 Q5147 Q5149 Q5150"),
        ("ranibizumab", "J2778 J2779 Q5124 Q5128"),
        ("onabotulinumtoxina", "J0585"),
        ("hyaluronidase", "J3470 J3471 J3472 J3473"),
        ("zoledronic acid", "J3489"),
        ("iron sucrose", "J1756"),
        ("ferumoxytol", "Q0138 Q0139"),
        ("epoetin alfa", "J0885 Q4081"),
        ("pegfilgrastim", "J2506 Q5108 Q5111 Q5120 Q5122 Q5127"),
        ("filgrastim", "J1442 Q5101 Q5110"),
        ("paclitaxel", "J9267 J9264"),
        ("carboplatin", "J9045 C9308"),
        ("cisplatin", "J9060"),
        ("oxaliplatin", "J9263"),
        ("gemcitabine", "J9201 J9198 J9184 J9196"),
        ("docetaxel", "J9171 J9172 J9174"),
        ("fluorouracil", "J9190"),
        ("leucovorin", "J0640"),
        ("ocrelizumab", "J2350 J2351"),
        ("durvalumab", "J9173"),
        ("atezolizumab", "J9022 J9024"),
        ("trastuzumab", "J9355 J9356 Q5112 Q5113 Q5114 Q5116 Q5117"),
        ("denosumab", "J0897 Q5136 Q5157 Q5158 Q5159"),
        ("adalimumab", "J0139 Q5140 Q5141 Q5142"),
        ("ipilimumab", "J9228"),
        ("cetuximab", "J9055"),
        ("lidocaine", "J2003 J2004 J2002"),
        ("cefepime", "J0692 J0701 J0703"),
        ("acetaminophen injection", "J0131 J0134 J0136 J0137"),
        ("ibuprofen", "J1741"),
        ("magnesium sulfate", "J3475"),
        ("potassium chloride", "J3480"),
        ("methotrexate", "J8610 J9260 J9255 J8611 J8612"),
        ("vitamin b12", "J3420"),
        ("vitamin b-12", "J3420"),
    ),
    *_group(
        "equipment",
        3,
        ("walker", "E0130 E0135 E0140 E0141 E0143 E0144 E0147 E0148 E0149 E0152"),
        ("hearing aid", "V5030 V5040 V5050 V5060 V5070 V5080 V5100 V5120"),
        ("cane", "E0100 E0105"),
        ("crutches", "E0110 E0111 E0112 E0113 E0114 E0116"),
        ("commode chair", "E0163 E0165 E0170 E0171"),
        ("hospital bed", "E0250 E0251 E0255 E0256 E0260 E0261 E0265 E0266"),
        ("oxygen concentrator", "E1390 E1391 E1392"),
        ("nebulizer", "E0570 E0572 E0574 E0575 E0580 A7017"),
        ("apnea monitor", "E0618 E0619"),
        ("patient lift", "E0630 E0635 E0639 E0640 E0625"),
        ("home ventilator", "E0465 E0466 E0467 E0468"),
        ("tens unit", "E0720 E0730"),
        ("transcutaneous electrical nerve stimulation", "E0720 E0730"),
        ("standard wheelchair", "K0001 E1130 K0002"),
        ("insulin pump", "E0784 E0787"),
        ("breast pump", "E0602 E0603 E0604"),
        ("blood pressure monitor", "A4670"),
        ("sphygmomanometer", "A4660"),
        ("bath chair", "E0240"),
        ("urinal", "E0325 E0326"),
        ("air pressure mattress", "E0186 E0277"),
        ("pessary", "A4561 A4562 A4564"),
        ("cervical traction", "E0840 E0849 E0850 E0855 E0856"),
        ("suction pump", "E0600 K0743 E2000 E2001"),
        ("knee orthosis", "L1810 L1812 L1820 L1830 L1832 L1833 L1843 L1845 L1851 L1852"),
        ("ankle foot orthosis", "L1900 L1902 L1906 L1910 L1920 L1930 L1932 L1940 L1945"),
        ("lumbar sacral orthosis", "L0625 L0626 L0627 L0628 L0629 L0630 L0631 L0632 L0633"),
        ("breast prosthesis", "L8000 L8001 L8002 L8020 L8030 L8031 L8032 L8035"),
        ("wig", "A9282"),
        ("apnea", "E0618 E0619"),
    ),
    *_group(
        "supply",
        3,
        (
            "ostomy pouch",
            "A4375 A4376 A4377 A4378 A4379 A4380 A4381 A4382 A4383 A5051 A5052 "
            "A5053 A5054 A5056 A5057 A5061 A5062 A5063",
        ),
        ("lancets", "A4259"),
        ("syringe with needle", "A4206 A4207 A4208 A4209"),
        ("gauze", "A6216 A6217 A6218 A6219 A6220 A6221 A6402 A6403 A6404"),
        ("alginate dressing", "A6196 A6197 A6198 A6199"),
        ("enteral formula", "B4102 B4103 B4149 B4150 B4152 B4153 B4154 B4155 B4157"),
        ("eye pad", "A6410 A6411"),
        ("eye patch", "A6412"),
        ("condom", "A4267 A4268"),
        ("male external catheter", "A4326 A4349"),
        ("incontinence garment", "A4520"),
        ("enema bag", "A4458"),
        ("tracheostomy care kit", "A4625 A4629"),
        ("contact lens", "V2500 V2501 V2502 V2503 V2510 V2511 V2512 V2513 S0500 S0512"),
        ("nicotine patches", "S4990 S4991"),
        ("foley catheter", "A4338 A4340 A4344 A4346 A4311 A4312 A4313 A4314 A4315 A4316"),
        ("splint", "A4570"),
        (
            "cast supplies",
            "A4580 A4590 Q4002 Q4003 Q4004 Q4005 Q4006 Q4007 Q4008 Q4009 Q4010 "
            "Q4011 Q4012 Q4013 Q4014 Q4015 Q4016 Q4017 Q4018 Q4019 Q4020 Q4021 "
            "Q4022 Q4023 Q4024 Q4025 Q4026 Q4027 Q4028 Q4029 Q4030 Q4031 Q4032 "
            "Q4033 Q4034 Q4035 Q4036 Q4037 Q4038 Q4039 Q4040 Q4041 Q4042 Q4043 "
            "Q4044 Q4045 Q4046 Q4047 Q4048 Q4050",
        ),
        ("compression stocking", "A6530 A6531 A6532 A6533 A6534 A6535 A6536 A6537 A6538"),
        ("surgical stockings", "A4490 A4495 A4500 A4510"),
        ("infusion set insulin pump", "A4230 A4231"),
        ("test strips", "A4772 A4253 A9275"),
    ),
    *_group(
        "service",
        3,
        ("ambulance", "A0426 A0427 A0428 A0429 A0430 A0431 A0433 A0434 A0225 A0021"),
        ("ground mileage", "A0425"),
        ("als mileage", "A0390"),
        ("wheelchair van", "A0130"),
        ("taxi", "A0100"),
        ("annual wellness visit", "G0438 G0439"),
        ("depression screening", "G0444"),
        ("flu shot administration", "G0008"),
        ("administration of influenza vaccine", "G0008"),
        ("pneumococcal vaccine administration", "G0009"),
        ("hepatitis b vaccine administration", "G0010"),
        ("covid vaccine", "M0201"),
        ("screening colonoscopy", "G0105 G0121"),
        ("flexible sigmoidoscopy", "G0104"),
        ("home health aide", "T1021 S9122"),
        ("personal care services", "T1019 T1020"),
        ("chiropractic", "G0065"),
        ("hearing aid dispensing fee", "V5090 V5160 V5200 V5240"),
        ("hearing aid assessment", "V5010"),
        ("audiometry", "S0618 V5008"),
    ),
    *_group(
        "modifier",
        3,
        ("left side", "LT"),
        ("right side", "RT"),
        ("waiver of liability", "GA GU"),
        ("separate encounter", "XE"),
        ("separate structure", "XS"),
        ("separate practitioner", "XP"),
        ("unusual non-overlapping service", "XU"),
        ("physical therapist assistant", "CQ"),
        ("purchase and rental options", "BP BR BU"),
        ("progressive addition lenses", "PL"),
    ),
    *_group(
        "code",
        1,
        ("J9035", "J9035"),
        ("j9035", "J9035"),
        ("J-9035", "J9035"),
        ("j 9035", "J9035"),
        ("J9035-JW", "J9035"),
        ("J9035 JW", "J9035"),
        ("J9035 bevacizumab", "J9035"),
        ("j9o3", "J9030 J9032 J9033 J9034 J9035 J9036 J9039"),
        ("E0I30", "E0130"),
        ("e 0130", "E0130"),
        ("a-0428", "A0428"),
        ("K0001", "K0001"),
        ("LT", "LT"),
        ("jw", "JW"),
        ("g0008", "G0008"),
        ("j3420 b12", "J3420"),
        ("a9597", "A9597"),
        ("J12", "J1200 J1201 J1205 J1212"),
        ("E01", "E0100 E0105 E0110 E0111 E0112 E0113 E0114 E0116 E0117 E0118"),
        ("v5", "V5 V5008 V5010 V5011 V5014 V5020 V5030 V5040 V5050 V5060 V5070"),
    ),
    *_group(
        "plural",
        3,
        (
            "wheelchairs",
            "K0001 E1130 K0002 K0003 K0004 K0005 K0006 K0007 E1161 E1170 E1221 "
            "E1222 E1223 E1224 E1140 E1150 E1160 E1229 E1231 E1232 E1233 E1234 "
            "E1235 E1236 E1237 E1238",
        ),
        ("insulin pumps", "E0784 E0787 A4230 A4231"),
        ("diabetic shoes", "A5500 A5501 A5503 A5504 A5505 A5506 A5508"),
        ("walkers", "E0130 E0135 E0140 E0141 E0143 E0144 E0147 E0148 E0149 E0152"),
        ("hearing aids", "V5030 V5040 V5050 V5060 V5070 V5080 V5100 V5120"),
        ("canes", "E0100 E0105"),
        ("crutch", "E0110 E0111 E0112 E0113 E0114 E0116"),
        ("lancet", "A4259"),
        ("nebulizers", "E0570 E0572 E0574 E0575 E0580 A7017"),
        ("oxygen concentrators", "E1390 E1391 E1392"),
        ("hospital beds", "E0250 E0251 E0255 E0256 E0260 E0261 E0265 E0266"),
        (
            "ostomy pouches",
            "A4375 A4376 A4377 A4378 A4379 A4380 A4381 A4382 A4383 A5051 A5052 "
            "A5053 A5054 A5056 A5057 A5061 A5062 A5063",
        ),
        ("breast prostheses", "L8000 L8001 L8002 L8020 L8030 L8031 L8032 L8035"),
        ("syringes", "A4206 A4207 A4208 A4209 A4213 A4215"),
        ("knee orthoses", "L1810 L1812 L1820 L1830 L1832 L1833 L1843 L1845 L1851 L1852"),
        ("mattresses", "E0184 E0185 E0186 E0187 E0196 E0197 E0198 E0199 E0277"),
        ("urinals", "E0325 E0326"),
        ("contact lenses", "V2500 V2501 V2502 V2503 V2510 V2511 V2512 V2513 S0500 S0512"),
    ),
    *_group(
        "typo",
        3,
        ("oxygen concentrater", "E1390 E1391 E1392"),
        ("pembrolizamab", "J9271"),
        ("nebuliser", "E0570 E0572 E0574 E0575 E0580 A7017"),
        ("bevacizimab", "J9035 Q5107 Q5118 Q5126 Q5129 Q5160 C9257"),
        ("ritusimab", "J9312 J9311 Q5115 Q5119 Q5123"),
        (
            "wheelchiar",
            "K0001 E1130 K0002 K0003 K0004 K0005 K0006 K0007 E1161 E1170 E1221 "
            "E1222 E1223 E1224 E1140 E1150 E1160 E1229 E1231 E1232 E1233 E1234 "
            "E1235 E1236 E1237 E1238",
        ),
        ("hospitol bed", "E0250 E0251 E0255 E0256 E0260 E0261 E0265 E0266"),
        ("ondansatron", "J2405 Q0162 S0119"),
        ("cefazoline", "J0690 J0687 J0688 J0689"),
        ("vancomicin", "J3373 J3374 J3375 J3376"),
        ("denosumub", "J0897 Q5136 Q5157 Q5158 Q5159"),
        ("heparine", "J1644 J1642 J1643"),
        ("ambulence", "A0426 A0427 A0428 A0429 A0430 A0431 A0433 A0434 A0225 A0021"),
        ("diabetic shoos", "A5500 A5501 A5503 A5504 A5505 A5506 A5508"),
        ("pessery", "A4561 A4562 A4564"),
        ("tracheostemy", "A4623 A4625 A4626 A4629"),
        ("infliximap", "J1745 Q5103 Q5104 Q5121 J1748"),
        ("testosterone cypionat", "J1071 J1072"),
    ),
    *_group(
        "pair",
        3,
        ("folding walker", "E0135 E0143"),
        ("wheeled walker", "E0141 E0143 E0148 E0149"),
        ("portable oxygen", "E0430 E0431 E0433 E0434 E0435 E0443 E0444 E0447 E1392 K0738"),
        ("liquid oxygen", "E0433 E0434 E0435 E0439 E0440 E0442"),
        (
            "power wheelchair",
            "E1239 K0813 K0814 K0815 K0816 K0820 K0821 K0822 K0823 K0824 K0825 "
            "K0826 K0827 K0828 K0829 K0830 K0831 K0835 K0836 K0837 K0838 K0839 "
            "K0840 K0841 K0842 K0843 K0848 K0849 K0850 K0851 K0852 K0853 K0854 "
            "K0855 K0856 K0857 K0858 K0859 K0860 K0861 K0862 K0863 K0864 K0868 "
            "K0869 K0870 K0871 K0877 K0878 K0879 K0880 K0884 K0885 K0886 K0890 "
            "K0891",
        ),
        ("manual wheelchair", "K0001 K0002 K0003 K0004 K0005 K0006 K0007 E1161"),
        ("diabetic shoe", "A5500 A5501 A5503 A5504 A5505 A5506 A5508"),
        ("ostomy belt", "A4367"),
        ("hearing aid battery", "V5266"),
        ("quad cane", "E0105"),
        ("forearm crutches", "E0110 E0111"),
        ("underarm crutches", "E0112 E0113 E0114 E0116"),
        ("nasal naloxone", "G2215 G1028"),
        ("oral ondansetron", "Q0162 S0119"),
        (
            "immune globulin",
            "J0850 J1459 J1551 J1552 J1554 J1555 J1556 J1557 J1558 J1559 J1561 "
            "J1566 J1568 J1569 J1571 J1572 J1573 J1575 J1576 J1599 J1670 J2788 "
            "J2790 J2791 J2792 J7504 J7511 Q2052",
        ),
        ("rituximab biosimilar", "Q5115 Q5119 Q5123"),
        ("infliximab biosimilar", "Q5103 Q5104 Q5121"),
        ("testosterone cypionate", "J1071 J1072"),
        ("pediatric enteral formula", "B4103 B4158 B4159 B4160 B4161 B4162"),
        ("semi-electric hospital bed", "E0260 E0261 E0294 E0295"),
        ("unlisted ambulance", "A0999"),
        ("not otherwise classified drug", "J3490 J3590 J9999 C9399 J7599 J7699 J7799 J8499"),
    ),
]


@dataclass
class Outcome:
    group: str
    text: str
    passed: bool
    reciprocal_rank: float
    discontinued_first: bool
    hits: list[str]


@dataclass
class Summary:
    queries: int
    pass_rate: float
    mrr: float
    discontinued_first: int


def _summary(outcomes: list[Outcome]) -> Summary:
    count = len(outcomes)
    return Summary(
        count,
        sum(o.passed for o in outcomes) / count,
        sum(o.reciprocal_rank for o in outcomes) / count,
        sum(o.discontinued_first for o in outcomes),
    )


async def judge(db: Path) -> list[Outcome]:
    connection = await connect_read_only(db)
    try:
        catalog = await Catalog.read(connection)
        outcomes = []
        for judgment in JUDGMENTS:
            context = make_context(connection, catalog)
            result = await schema.execute(
                SEARCH,
                variable_values={"text": judgment.text, "asOf": AS_OF},
                context_value=context,
            )
            edges: list[dict[str, Any]] = []
            if result.errors is None and result.data is not None:
                edges = result.data["search"]["edges"]
            codes = [edge["node"]["code"] for edge in edges]
            statuses = [edge["node"]["status"]["status"] for edge in edges]
            rank = next(
                (i + 1 for i, code in enumerate(codes[:TOP]) if code in judgment.accepted), None
            )
            outcomes.append(
                Outcome(
                    judgment.group,
                    judgment.text,
                    rank is not None and rank <= judgment.k,
                    0.0 if rank is None else 1 / rank,
                    bool(statuses) and statuses[0] != "ACTIVE" and "ACTIVE" in statuses,
                    codes[:5] if result.errors is None else [str(result.errors[0])],
                )
            )
        return outcomes
    finally:
        await connection.close()


def report(outcomes: list[Outcome], failures: bool) -> dict[str, Any]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.group].append(outcome)
    rows = {name: _summary(found) for name, found in groups.items()}
    rows["all"] = _summary(outcomes)
    print(f"{'group':<10} {'queries':>7} {'pass':>7} {'MRR@10':>7} {'disc. first':>11}")
    for name, row in rows.items():
        print(
            f"{name:<10} {row.queries:>7} {row.pass_rate:>7.1%} {row.mrr:>7.3f}"
            f" {row.discontinued_first:>11}"
        )
    missed = [o for o in outcomes if not o.passed or o.discontinued_first]
    if failures:
        for outcome in missed:
            print(f"  FAIL {outcome.group:<9} {outcome.text!r:<36} got {' '.join(outcome.hits)}")
    return {
        "rows": {name: asdict(row) for name, row in rows.items()},
        "failures": [asdict(o) for o in missed],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a database holding January 2026 (reused)")
    parser.add_argument("--json", type=Path, help="also write the numbers as JSON here")
    parser.add_argument("--failures", action="store_true", help="list the failed judgments")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hcpcs-relevance-") as work:
        db = args.db or Path(work) / "hcpcs.db"
        if not db.exists():
            load(db, find_releases(JANUARY_2026))
        outcomes = asyncio.run(judge(db))
    found = report(outcomes, args.failures)
    if args.json is not None:
        args.json.write_text(json.dumps(found, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
