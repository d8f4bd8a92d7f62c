"""The Guangxi 2021 round (national third batch: registered anywhere in China; deadline
2021-05-15; service share "30%以上" → error; quotas per city: enterprise 2, project 1,
platform 4, city 1)."""

from __future__ import annotations

import datetime as dt
import random

from samples.gen.data import make_company, spoil_uscc, with_division
from samples.gen.spec import (
    ACCEPTANCE,
    CONTRACT,
    EVALUATION,
    HIGH_TECH,
    POLICY,
    PREMISES,
    SERVICE,
    TECH_EVAL,
    Spec,
    city_values,
    enterprise_values,
    platform_values,
    project_values,
)
from samples.gen.truth import finding

NN = "南宁市工业和信息化局"
LZ = "柳州市工业和信息化局"
GL = "桂林市工业和信息化局"
WZ = "梧州市工业和信息化局"
RECOMMENDERS = [NN, LZ, GL, WZ]


def specs() -> list[Spec]:
    rng = random.Random(2021_05_15)
    out: list[Spec] = []

    def ent(key: str, rec: str, where: str, name: str, region: str, share: float = 36.0, **kw) -> Spec:
        c = make_company(rng, name, region, **kw.pop("company", {}))
        v = enterprise_values(rng, c, rng.uniform(6000, 60000), share)
        spec = Spec(
            key=key,
            recommender=rec,
            kind="enterprise",
            company=c,
            where=where,
            values=v,
            attachments=kw.pop("attachments", [TECH_EVAL]),
            cert_issued=kw.pop("cert_issued", dt.date(2019, 10, 14)),
            **kw,
        )
        out.append(spec)
        return spec

    # 南宁: two enterprises (one below 30%), a project with a wrong patent total, two
    # platforms (one without customer evaluation, one registered in Guangdong), the city
    ent(
        "gx-nn-01",
        NN,
        f"{NN}/广西南宁邕江机电设备有限公司",
        "广西南宁邕江机电设备有限公司",
        "450107",
        attachments=[HIGH_TECH, TECH_EVAL],
        notes="clean; Word book",
    )
    ent(
        "gx-nn-02",
        NN,
        f"{NN}/广西绿城智能制造有限公司",
        "广西绿城智能制造有限公司",
        "450103",
        share=22.0,
        book="pdf",
        plants={"no_commitment": True},
        findings=[
            finding("SERVICE_SHARE_BELOW_THRESHOLD", "financials.2020.service_revenue", "error", "22% against 30%以上"),
            finding("ACCIDENT_COMMITMENT", "commitment", "warning", "no 填报单位意见及真实性承诺 block"),
        ],
        notes="service share 22% → error in Guangxi; the book leaves out the 真实性承诺",
    )
    c = make_company(rng, "广西东盟智造科技有限公司", "450103", main_business="智能产线改造与运维服务")
    proj = Spec(
        key="gx-nn-03",
        recommender=NN,
        kind="project",
        company=c,
        where=f"{NN}/南宁东盟智造中心技术改造项目",
        values=project_values(
            rng, c, "南宁东盟智造中心技术改造项目", "南宁高新技术产业开发区管理委员会", patents=(9, 3, 4, 1)
        ),
        attachments=[CONTRACT, ACCEPTANCE],
        mode="共享制造",
        plants={
            "avoid_words": ("共享", "共性", "协同"),
            "contract_contractor": "广西华蓝建设工程有限公司",
            "acceptance_date": dt.date(2021, 6, 10),
        },
        findings=[
            finding("TOTAL_MISMATCH", "patents.total", note="总数9 ≠ 3+4+1"),
            finding("NOT_SHARED_MANUFACTURING", "name", "warning", "no 共享 in form or body"),
            finding("CONTRACT_NOT_APPLICANT", "project_contract.parties", "warning", "乙方 another company"),
            finding("ACCEPTANCE_DATE_INVALID", "acceptance_opinion.date", note="2021-06-10 after the deadline"),
        ],
        notes="patent total 9, parts add up to 8; a technical upgrade with no shared-manufacturing content; "
        "the contract's 乙方 is another company; accepted after the deadline",
    )
    out.append(proj)
    customers = [
        ("广西南南铝加工有限公司", "黄慧敏", "0771-4012345", "工业设计外包"),
        ("南宁富桂精密工业有限公司", "梁振宇", "0771-3216677", "产品造型设计"),
        ("广西建工轨道装配式建筑产业有限公司", "韦德明", "0771-5678123", "设计仿真"),
    ]
    pc = make_company(
        rng, "广西桂工设计科技有限公司", "450103", established=dt.date(2015, 8, 20), main_business="工业设计服务"
    )
    out.append(
        Spec(
            key="gx-nn-04",
            recommender=NN,
            kind="platform",
            company=pc,
            where=f"{NN}/广西工业设计云服务平台",
            book="pdf",
            values=platform_values(rng, pc, "广西工业设计云服务平台", "professional", customers),
            licence_copy="副本",
            attachments=[PREMISES, SERVICE],
            mode="专业平台",
            plants={"lease_tenant": "南宁市青秀区万达商贸有限公司", "lease_end": dt.date(2021, 3, 31)},
            findings=[
                finding("ATTACHMENT_MISSING", "customer_evaluation"),
                finding("PREMISES_NOT_APPLICANT", "premises_proof.parties", "warning", "承租方 another company"),
                finding("PREMISES_TERM_SHORT", "premises_proof.end", note="lease ends 2021-03-31"),
            ],
            notes="no customer evaluation; the lease is another company's and ends before the deadline",
        )
    )
    sz = make_company(
        rng, "深圳华测智检科技有限公司", "440305", established=dt.date(2012, 4, 9), main_business="检验检测认证服务"
    )
    out.append(
        Spec(
            key="gx-nn-05",
            recommender=NN,
            kind="platform",
            company=sz,
            where=f"{NN}/南宁检验检测共享服务平台",
            values=platform_values(rng, sz, "南宁检验检测共享服务平台", "regional", customers[1:] + customers[:1]),
            licence_copy="副本",
            attachments=[PREMISES, SERVICE, EVALUATION],
            mode="区域平台",
            notes="clean; near miss: operator registered in Guangdong (national round)",
        )
    )
    bureau = make_company(rng, NN, "450103")
    out.append(
        Spec(
            key="gx-nn-06",
            recommender=NN,
            kind="city",
            company=bureau,
            where=f"{NN}/南宁市（示范城市）",
            book="pdf",
            values=city_values("南宁市", 4726.34, bureau),
            licence=None,
            attachments=[POLICY],
            seals=("city_government",),
            mode="",
            notes="clean city book as a digital PDF",
        )
    )

    # 柳州: three enterprises (quota 2), 汇总表 .docx forgets one; a scanned project book
    ent(
        "gx-lz-01",
        LZ,
        f"{LZ}/柳州柳江汽车零部件有限公司",
        "柳州柳江汽车零部件有限公司",
        "450205",
        licence={"name": "柳州柳江汽车零配件有限公司"},
        company={"type": "有限责任公司分公司"},
        findings=[
            finding("NAME_MISMATCH", "name", note="licence: 零配件 / form: 零部件"),
            finding("LEGAL_PERSON_INELIGIBLE", "business_license.type", note="类型 有限责任公司分公司"),
        ],
        notes="licence name differs by one character; the licence is a branch's (有限责任公司分公司)",
    )
    ent(
        "gx-lz-02",
        LZ,
        f"{LZ}/广西柳工智能装备（柳州）有限公司",
        "广西柳工智能装备（柳州）有限公司",
        "450205",
        book="pdf",
        company={"address": "柳州市柳北区跃进路8号"},
        licence={"name": "广西柳工智能装备(柳州)有限公司", "address": "广西壮族自治区柳州市柳北区跃进路8号"},
        notes="near misses only: （）vs () in the name, province prefix on the licence address",
    )
    ent(
        "gx-lz-03",
        LZ,
        f"{LZ}/柳州鱼峰重型机械有限公司",
        "柳州鱼峰重型机械有限公司",
        "450202",
        licence={"legal_rep": "覃国庆"},
        in_summary=False,
        licence_look="scan",
        plants={"tech_eval_holder": "广西玉柴机器股份有限公司"},
        findings=[
            finding("LEGAL_REP_MISMATCH", "legal_rep", note="licence 法定代表人 覃国庆"),
            finding("SUMMARY_MISMATCH", "name", note="汇总表 leaves it out"),
            finding("TECH_EVAL_NOT_APPLICANT", "tech_evaluation_certificate.parties", "warning"),
        ],
        notes="licence names another legal representative; missing from 汇总表; the evaluation certificate "
        "names another 完成单位",
    )
    c = make_company(rng, "柳州螺霸王食品机械有限公司", "450202", main_business="食品机械制造及共享生产线服务")
    out.append(
        Spec(
            key="gx-lz-04",
            recommender=LZ,
            kind="project",
            company=c,
            where=LZ,
            book="scan",
            values=project_values(rng, c, "柳州螺蛳粉产业共享工厂项目", "柳州市螺蛳粉产业协会"),
            attachments=[CONTRACT, ACCEPTANCE],
            mode="共享制造",
            seam_seal=True,
            plants={"seam_skip": (4, 5)},
            findings=[finding("SEAL_MISSING", "seal.seam", "warning", "pages 4–5 without a 骑缝章 slice")],
            notes="scanned bound book with contract and acceptance pages and a 骑缝章 that missed pages 4–5",
        )
    )

    # 桂林: bad credit code + blank contact; a barely legible licence photo
    k1 = ent(
        "gx-gl-01",
        GL,
        f"{GL}/桂林漓江光电仪器有限公司",
        "桂林漓江光电仪器有限公司",
        "450305",
        printed={"contact": ""},
        findings=[
            finding("USCC_INVALID", "uscc", note="check character altered"),
            finding("FORM_FIELD_MISSING", "contact"),
        ],
        notes="licence credit code has a wrong check character; 联系人 blank",
    )
    k1.licence = {"uscc": spoil_uscc(k1.company.uscc)}
    ent(
        "gx-gl-02",
        GL,
        f"{GL}/桂林优利精密机械有限公司",
        "桂林优利精密机械有限公司",
        "450305",
        licence_look="heavy",
        findings=[finding("LOW_CONFIDENCE", "business_license", note="heavily degraded photo")],
        notes="licence photo barely legible",
    )

    # 梧州: numeric problems and an address with another house number
    w1 = ent(
        "gx-wz-01",
        WZ,
        f"{WZ}/梧州岭南精密铸造有限公司",
        "梧州岭南精密铸造有限公司",
        "450405",
        printed={"financials.2018.revenue": "见审计报告", "financials.2019.debt_ratio": "120", "bachelor_ratio": "112"},
        findings=[
            finding("VALUE_NOT_NUMERIC", "financials.2018.revenue"),
            finding("PERCENT_OUT_OF_RANGE", "bachelor_ratio"),
            finding("FINANCIAL_RISK", "financials.2019.debt_ratio", "warning", "资产负债率 120"),
        ],
        extra_files=[("梧州市工信局报送函.ofd", b"")],
        notes="见审计报告 in a revenue cell; 资产负债率 120 (insolvent: a warning, not out of range); 本科以上 112%",
    )
    w1.values["financials.2019.debt_ratio"] = 120.0
    w1.plants["tech_eval_uscc"] = with_division(w1.company.uscc, "450403")
    w1.findings.append(finding("USCC_MISMATCH", "tech_evaluation_certificate.uscc", "warning", "code under 完成单位"))
    w2 = ent(
        "gx-wz-02",
        WZ,
        f"{WZ}/广西梧州恒达电力设备有限公司",
        "广西梧州恒达电力设备有限公司",
        "450405",
        book="pdf",
        printed={"financials.2019.total_assets": ""},
        company={"address": "梧州市长洲区新兴二路138号"},
        licence={"address": "梧州市长洲区新兴二路136号"},
        findings=[
            finding("FORM_FIELD_MISSING", "financials.2019.total_assets"),
            finding("SERVICE_REVENUE_EXCEEDS_TOTAL", "financials.2019.service_revenue"),
            finding("ADDRESS_MISMATCH", "reg_address", note="138号 vs 136号"),
        ],
        notes="blank 2019 cell; 2019 service revenue > revenue; licence house number differs",
    )
    w2.values["financials.2019.service_revenue"] = round(w2.values["financials.2019.revenue"] * 1.08, 2)
    w2.company.uscc = with_division(w2.company.uscc, "450499")
    w2.findings.append(finding("USCC_DIVISION_UNKNOWN", "business_license.uscc", "warning", "division 450499"))

    # clean projects and platforms so that precision can be measured
    for key, rec, region, company, project, client in (
        (
            "gx-gl-03",
            GL,
            "450305",
            "桂林电科装备有限公司",
            "桂林电子信息产业共享检测中心项目",
            "桂林国家高新技术产业开发区管理委员会",
        ),
        ("gx-wz-03", WZ, "450405", "梧州神冠机械有限公司", "梧州食品装备共享工厂项目", "梧州市长洲区人民政府"),
    ):
        c = make_company(rng, company, region, main_business="共享制造服务")
        out.append(
            Spec(
                key=key,
                recommender=rec,
                kind="project",
                company=c,
                where=f"{rec}/{project}",
                book="docx" if rec == GL else "pdf",
                values=project_values(rng, c, project, client),
                attachments=[CONTRACT, ACCEPTANCE],
                mode="共享制造",
                notes="clean",
            )
        )
    for key, rec, region, company, platform in (
        ("gx-gl-04", GL, "450305", "桂林智慧工业服务有限公司", "桂林工业互联网综合服务平台"),
        ("gx-wz-04", WZ, "450405", "梧州云制造科技有限公司", "梧州工业云服务平台"),
    ):
        pc = make_company(rng, company, region, established=dt.date(2016, 6, 1), main_business="工业互联网平台运营")
        out.append(
            Spec(
                key=key,
                recommender=rec,
                kind="platform",
                company=pc,
                where=f"{rec}/{platform}",
                book="pdf" if rec == GL else "docx",
                values=platform_values(rng, pc, platform, "regional", customers),
                licence_copy="副本",
                attachments=[PREMISES, SERVICE, EVALUATION],
                mode="区域平台" if key == "gx-gl-04" else "",
                plants={}
                if key == "gx-gl-04"
                else {"evaluations": [customers[0][0], customers[0][0], "广西玉柴机器股份有限公司"]},
                findings=[]
                if key == "gx-gl-04"
                else [
                    finding(
                        "EVALUATION_DUPLICATE", "customer_evaluation.customer", "warning", "two letters, one customer"
                    ),
                    finding("EVALUATION_NOT_LISTED", "customer_evaluation.customer", "warning", "not in 表3"),
                    finding("PLATFORM_TYPE_UNKNOWN", "platform.category", "warning", "汇总表 gives no 类别"),
                ],
                notes="clean"
                if key == "gx-gl-04"
                else "two evaluations from one customer and one from a customer 表3 does not list; the 汇总表 "
                "gives no platform category",
            )
        )
    # a county-level city where only 设区市 may apply (appended last: the specs above keep their values)
    county = make_company(rng, WZ, "450405")
    out.append(
        Spec(
            key="gx-wz-05",
            recommender=WZ,
            kind="city",
            company=county,
            where=f"{WZ}/岑溪市（示范城市）",
            values=city_values("岑溪市", 251.37, county),
            licence=None,
            attachments=[POLICY],
            seals=("city_government",),
            mode="",
            findings=[finding("CITY_NOT_ELIGIBLE", "name", note="a county-level city, not a 设区市")],
            notes="city book of 岑溪市 (县级市): not a 设区市",
        )
    )
    for key, rec, city, gdp, region in (
        ("gx-lz-05", LZ, "柳州市", 3176.94, "450202"),
        ("gx-gl-05", GL, "桂林市", 2130.41, "450305"),
    ):
        bureau = make_company(rng, rec, region)
        out.append(
            Spec(
                key=key,
                recommender=rec,
                kind="city",
                company=bureau,
                where=f"{rec}/{city}（示范城市）",
                book="docx",
                values=city_values(city, gdp, bureau),
                licence=None,
                attachments=[POLICY],
                seals=("city_government",),
                mode="",
                notes="clean city book",
            )
        )
    return out
