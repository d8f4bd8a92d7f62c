"""The Shanxi 2021 round (deadline 2021-11-20, region 14, service share "30%左右" → warning;
quotas per recommender: enterprise 5, project 2, platform 2)."""

from __future__ import annotations

import datetime as dt
import random

from samples.gen.data import make_company, with_division
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

TY = "太原市工业和信息化局"
DT = "大同市工业和信息化局"
XQ = "山西省小企业发展促进局"
ZG = "山西转型综合改革示范区管理委员会"
RECOMMENDERS = [TY, DT, XQ, ZG]


def specs() -> list[Spec]:
    rng = random.Random(2021_11_20)
    out: list[Spec] = []

    def ent(key: str, rec: str, where: str, name: str, region: str, share: float = 38.0, **kw) -> Spec:
        c = make_company(rng, name, region, **kw.pop("company", {}))
        v = enterprise_values(rng, c, rng.uniform(6000, 60000), share)
        spec = Spec(
            key=key,
            recommender=rec,
            kind="enterprise",
            company=c,
            where=where,
            values=v,
            attachments=kw.pop("attachments", [HIGH_TECH, TECH_EVAL]),
            **kw,
        )
        out.append(spec)
        return spec

    # 太原: five enterprises, a project, the city; 汇总表 .xlsx lists one phantom applicant
    ent(
        "sx-ty-01",
        TY,
        f"{TY}/01 山西晋安重工装备有限公司",
        "山西晋安重工装备有限公司",
        "140105",
        company={"main_business": "矿山装备制造及全生命周期服务"},
        cert_issued=dt.date(2019, 12, 2),
        notes="clean; Word book, licence JPG, valid high-tech certificate",
    )
    ent(
        "sx-ty-02",
        TY,
        f"{TY}/02 太原精工智能装备股份有限公司",
        "太原精工智能装备股份有限公司",
        "140109",
        share=30.0,
        book="pdf",
        licence_variant="portrait",
        licence_ext="png",
        attachments=[TECH_EVAL],
        company={"type": "股份有限公司（非上市、自然人投资或控股）"},
        notes="clean; service share exactly 30.00% is not below 30%左右",
    )
    short = ent(
        "sx-ty-03",
        TY,
        f"{TY}/03 山西华晟供应链管理有限公司",
        "山西华晟供应链管理有限公司",
        "140106",
        share=25.0,
        attachments=[TECH_EVAL],
        company={"main_business": "工程机械配件供应链管理服务"},
        findings=[
            finding(
                "SERVICE_SHARE_BELOW_THRESHOLD", "financials.2020.service_revenue", "warning", "25% against 30%左右"
            ),
            finding("USCC_DIVISION_UNKNOWN", "business_license.uscc", "warning", "digits 3–8 140199"),
        ],
        notes="service share 25% → warning in Shanxi; credit code of division 140199, which does not exist",
    )
    short.company.uscc = with_division(short.company.uscc, "140199")
    ent(
        "sx-ty-04",
        TY,
        f"{TY}/04 郑州中原重科机械有限公司",
        "郑州中原重科机械有限公司",
        "410105",
        attachments=[TECH_EVAL],
        plants={"no_commitment": True},
        findings=[
            finding("REGISTERED_OUTSIDE_REGION", "uscc", note="credit code 91410105…, 住所 郑州"),
            finding("ACCIDENT_COMMITMENT", "commitment", "warning", "no 填报单位意见及真实性承诺 block"),
        ],
        notes="registered in Henan (41…); form and licence agree with each other; the book leaves out the 真实性承诺",
    )
    dup = ent(
        "sx-ty-05",
        TY,
        f"{TY}/05 山西汾河智联科技有限公司",
        "山西汾河智联科技有限公司",
        "140105",
        attachments=[TECH_EVAL],
        findings=[finding("DUPLICATE_SUBMISSION", note="also via 山西省小企业发展促进局")],
        notes="same company also submitted through 省小企业局",
    )
    c = make_company(rng, "山西龙城数控机床有限公司", "140109", main_business="数控机床制造及共享加工服务")
    out.append(
        Spec(
            key="sx-ty-06",
            recommender=TY,
            kind="project",
            company=c,
            where=f"{TY}/06 龙城数控共享加工中心项目",
            book="pdf",
            values=project_values(rng, c, "龙城数控共享加工中心建设项目", "太原重型机械装备集团有限公司"),
            attachments=[CONTRACT, ACCEPTANCE],
            mode="共享制造",
            notes="clean project; contract as an image-only PDF",
        )
    )
    bureau = make_company(rng, TY, "140105")
    out.append(
        Spec(
            key="sx-ty-07",
            recommender=TY,
            kind="city",
            company=bureau,
            where=f"{TY}/太原市 示范城市",
            values=city_values("太原市", 4153.25, bureau),
            licence=None,
            attachments=[POLICY],
            seals=("city_government",),
            mode="",
            notes="clean city book: 市人民政府 seal, policy document PDF",
        )
    )

    # 大同: 汇总表 .docx with a different phone for one applicant
    expired = ent(
        "sx-dt-01",
        DT,
        f"{DT}/大同云冈新能源装备有限公司",
        "大同云冈新能源装备有限公司",
        "140214",
        attachments=[TECH_EVAL],
        company={"established": dt.date(2001, 7, 1), "term_end": dt.date(2021, 6, 30)},
        findings=[
            finding("LICENSE_EXPIRED", "term_end", note="营业期限至2021年06月30日"),
            finding("FINANCIAL_RISK", "financials.total_profit", "warning", "losses 2018–2020"),
        ],
        notes="licence term ends 2021-06-30, before the deadline; a loss in each of the three years",
    )
    for year, loss in ((2018, -312.4), (2019, -208.77), (2020, -95.1)):
        expired.values[f"financials.{year}.total_profit"] = loss
    ent(
        "sx-dt-02",
        DT,
        f"{DT}/大同煤机智造有限公司",
        "大同煤机智造有限公司",
        "140213",
        book="pdf",
        cert_issued=dt.date(2018, 10, 24),
        plants={"tech_eval_holder": "山西晋阳新材料股份有限公司"},
        findings=[
            finding("CERT_EXPIRED", "high_tech_certificate.valid_until", note="issued 2018-10-24, valid three years"),
            finding("TECH_EVAL_NOT_APPLICANT", "tech_evaluation_certificate.parties", "warning"),
        ],
        notes="high-tech certificate expired 2021-10-24; the evaluation certificate names another 完成单位",
    )
    ent(
        "sx-dt-03",
        DT,
        f"{DT}/山西平城电气股份有限公司",
        "山西平城电气股份有限公司",
        "140213",
        cert_issued=dt.date(2018, 11, 27),
        licence_look="scan",
        notes="clean; near miss: certificate valid until 2021-11-27, a week after the deadline",
    )
    unsealed = ent(
        "sx-dt-04",
        DT,
        f"{DT}/大同恒通物流装备有限公司",
        "大同恒通物流装备有限公司",
        "140213",
        attachments=[TECH_EVAL],
        seals=("recommender",),
        company={"type": "有限责任公司分公司"},
        findings=[
            finding("SEAL_MISSING", "applicant", note="申报单位（章） without seal"),
            finding("SUMMARY_MISMATCH", "phone", note="汇总表 phone differs"),
            finding("LEGAL_PERSON_INELIGIBLE", "business_license.type", note="类型 有限责任公司分公司"),
        ],
        extra_files=[("附件5-补充说明.pdf", b"")],
        notes="commitment not stamped; 汇总表 lists another phone; an empty PDF",
    )
    unsealed.summary_phone = "0352-5108866"
    pc = make_company(
        rng,
        "大同数联科技有限公司",
        "140213",
        established=dt.date(2020, 3, 16),
        main_business="工业互联网平台运营",
        capital=1000,
    )
    customers = [
        ("大同北方机械有限公司", "赵海燕", "0352-6021188", "设备联网与远程运维"),
        ("山西云冈化工有限公司", "周文博", "0352-7123456", "能耗监测服务"),
        ("大同铸锻有限公司", "吴立新", "0352-5566778", "订单协同"),
    ]
    out.append(
        Spec(
            key="sx-dt-05",
            recommender=DT,
            kind="platform",
            company=pc,
            where=f"{DT}/大同智联工业互联网平台",
            values=platform_values(rng, pc, "大同智联工业互联网平台", "regional", customers),
            licence_copy="副本",
            attachments=[PREMISES, SERVICE, EVALUATION],
            mode="区域平台",
            plants={"lease_tenant": "大同市云中商贸有限公司", "evaluations": ["太原钢铁集团有限公司"]},
            findings=[
                finding("PLATFORM_TOO_YOUNG", "established", note="operator established 2020-03-16"),
                finding("PREMISES_NOT_APPLICANT", "premises_proof.parties", "warning", "承租方 another company"),
                finding("EVALUATION_NOT_LISTED", "customer_evaluation.customer", "warning", "not in 表3"),
            ],
            notes="platform operator established 2020-03, less than two years; the lease is another "
            "company's; the customer evaluation comes from a customer 表3 does not list",
        )
    )
    inst = make_company(
        rng,
        "山西省工业技术研究院",
        "140105",
        dept="12",
        established=dt.date(2009, 5, 8),
        legal_rep="李志强",
        main_business="工业技术研究、检验检测与技术咨询",
        capital=500,
    )
    out.append(
        Spec(
            key="sx-dt-06",
            recommender=DT,
            kind="platform",
            company=inst,
            where=f"{DT}/山西工业技术公共服务平台",
            book="pdf",
            values=platform_values(rng, inst, "山西工业技术公共服务平台", "professional", customers[::-1]),
            licence={"issued": dt.date(2019, 1, 1)},
            attachments=[PREMISES, SERVICE, EVALUATION],
            mode="专业平台",
            notes="clean; operator is a 事业单位: 事业单位法人证书 instead of a licence",
        )
    )

    # 省小企业局: scanned bound book, .doc book, two applicants' loose files, the duplicate
    ent(
        "sx-xq-01",
        XQ,
        XQ,
        "山西晋中纺织机械股份有限公司",
        "140702",
        book="scan",
        company={"type": "股份有限公司（非上市）"},
        notes="clean; one scanned bound PDF: cover, form, body, licence, certificates",
    )
    ent(
        "sx-xq-02",
        XQ,
        f"{XQ}/长治潞安智能装备有限公司 申报材料",
        "长治潞安智能装备有限公司",
        "140403",
        book="doc",
        attachments=[TECH_EVAL],
        licence_look="photo",
        notes="clean; .doc book (LibreOffice), licence photographed with a phone",
    )
    ent(
        "sx-xq-03",
        XQ,
        XQ,
        "山西太行数智科技有限公司",
        "140109",
        prefix="山西太行数智科技有限公司-",
        attachments=[TECH_EVAL],
        notes="clean; loose files beside another applicant's",
    )
    ent(
        "sx-xq-04",
        XQ,
        XQ,
        "山西博远工业设计有限公司",
        "140106",
        prefix="山西博远工业设计有限公司-",
        book="pdf",
        licence_ext="png",
        attachments=[TECH_EVAL],
        company={"main_business": "工业设计服务"},
        notes="clean; loose files, PDF book",
    )
    twin = ent(
        "sx-xq-05",
        XQ,
        f"{XQ}/山西汾河智联科技有限公司",
        "山西汾河智联科技有限公司",
        "140105",
        book="pdf",
        attachments=[TECH_EVAL],
        findings=[finding("DUPLICATE_SUBMISSION", note="also via 太原市工业和信息化局")],
        extra_files=[("原始材料.zip", b"")],
        notes="duplicate of sx-ty-05 (same company, same credit code)",
    )
    twin.company = dup.company
    twin.values = dict(dup.values)

    # 综改区: format deviation, missing section, a folder with attachments only
    ent(
        "sx-zg-01",
        ZG,
        f"{ZG}/山西中科瑞达检测技术有限公司",
        "山西中科瑞达检测技术有限公司",
        "140109",
        attachments=[TECH_EVAL],
        deviant_format=True,
        company={"main_business": "检验检测认证服务"},
        findings=[finding("FORMAT_DEVIATION", "body", note="正文 宋体 14pt, 1.5 倍行距")],
        notes="body not in 仿宋 小四 single spacing (info only)",
    )
    declared = ent(
        "sx-zg-02",
        ZG,
        f"{ZG}/山西恒泰节能环保设备有限公司",
        "山西恒泰节能环保设备有限公司",
        "140109",
        attachments=[TECH_EVAL],
        drop_sections=("经验总结",),
        licence=None,
        extra_files=[("附件6-审计报告.pdf", b"")],
        share=27.0,
        mode="信息增值服务",
        findings=[
            finding("SECTION_MISSING", "经验总结", note="三、经验总结 left out"),
            finding("ATTACHMENT_MISSING", "business_license", note="no licence"),
            finding(
                "SERVICE_SHARE_BELOW_THRESHOLD", "financials.2020.service_revenue", "error", "信息增值服务 30%以上"
            ),
        ],
        notes="body without 经验总结; no licence; a truncated PDF beside it; declares 信息增值服务 at 27% "
        "(30%以上 → error)",
    )
    declared.values["content"] = (
        "申报示范模式：信息增值服务。本企业依托设备远程监测平台，为客户提供在线支持和数据增值服务，服务收入稳步增长。"
    )
    ent(
        "sx-zg-03",
        ZG,
        f"{ZG}/山西鑫源铸造有限公司",
        "山西鑫源铸造有限公司",
        "140109",
        book="none",
        attachments=[TECH_EVAL],
        extra_files=[("申报书.docx", b"")],
        findings=[finding("FORM_NOT_FOUND")],
        notes="only attachments; its 申报书.docx is really a JPEG",
    )
    c = make_company(rng, "山西转型智造科技有限公司", "140109", main_business="智能产线集成服务")
    out.append(
        Spec(
            key="sx-zg-04",
            recommender=ZG,
            kind="project",
            company=c,
            where=f"{ZG}/综改区智能产线升级改造项目",
            values=project_values(rng, c, "综改区智能产线升级改造项目", "山西转型综合改革示范区管理委员会"),
            attachments=[CONTRACT, ACCEPTANCE],
            mode="共享制造",
            plants={
                "avoid_words": ("共享", "共性", "协同"),
                "contract_contractor": "山西建投安装工程有限公司",
                "acceptance_date": dt.date(2019, 2, 26),
            },
            findings=[
                finding("NOT_SHARED_MANUFACTURING", "name", "warning", "no 共享 in form or body"),
                finding("CONTRACT_NOT_APPLICANT", "project_contract.parties", "warning", "乙方 another company"),
                finding("ACCEPTANCE_DATE_INVALID", "acceptance_opinion.date", note="2019-02-26 < 2019-03-20"),
            ],
            notes="a production-line upgrade with no shared-manufacturing content; the contract's 乙方 is "
            "another company; the acceptance opinion is dated before the contract",
        )
    )
    pc = make_company(
        rng, "山西数智工业服务有限公司", "140109", established=dt.date(2017, 9, 6), main_business="工业互联网平台运营"
    )
    out.append(
        Spec(
            key="sx-zg-05",
            recommender=ZG,
            kind="platform",
            company=pc,
            where=f"{ZG}/综改区工业互联网公共服务平台",
            book="pdf",
            values=platform_values(rng, pc, "综改区工业互联网公共服务平台", "regional", customers),
            licence_copy="副本",
            attachments=[PREMISES, SERVICE, EVALUATION],
            mode="区域平台",
            plants={
                "lease_tenant_uscc": with_division(pc.uscc, "140105"),
                "lease_end": dt.date(2021, 6, 30),
                "evaluations": [customers[0][0], customers[0][0]],
            },
            findings=[
                finding("USCC_MISMATCH", "premises_proof.uscc", "warning", "code under 承租方 differs"),
                finding("PREMISES_TERM_SHORT", "premises_proof.end", note="lease ends 2021-06-30"),
                finding("EVALUATION_DUPLICATE", "customer_evaluation.customer", "warning", "two letters, one customer"),
            ],
            notes="the lease prints another credit code under the tenant and ends before the deadline; two "
            "evaluations from one customer",
        )
    )
    # a county where only 地级市 may apply (appended last: the specs above keep their values)
    county = make_company(rng, DT, "140213")
    out.append(
        Spec(
            key="sx-dt-07",
            recommender=DT,
            kind="city",
            company=county,
            where=f"{DT}/灵丘县 示范城市",
            values=city_values("灵丘县", 98.45, county),
            licence=None,
            attachments=[POLICY],
            seals=("city_government",),
            mode="",
            findings=[finding("CITY_NOT_ELIGIBLE", "name", note="a county, not a 地级市")],
            notes="city book of a county (灵丘县): not a 地级市",
        )
    )
    return out
