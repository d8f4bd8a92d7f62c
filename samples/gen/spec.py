"""One planned submission (``Spec``) and the form values each kind fills in.

A spec says who applies, through whom, in which shape the material arrives (Word book, PDF
book, .doc, scanned bound book, loose files), which attachments come with it, what was
planted, and which findings a correct reviewer would raise.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from samples.gen.content import main_content
from samples.gen.data import Company, financials, fmt_num, staff

# attachment kinds a spec can ask for (besides the licence)
TECH_EVAL = "tech_evaluation_certificate"
HIGH_TECH = "high_tech_certificate"
CONTRACT = "project_contract"
ACCEPTANCE = "acceptance_opinion"
PREMISES = "premises_proof"
SERVICE = "service_evidence"
EVALUATION = "customer_evaluation"
POLICY = "policy_document"
LEGAL_PERSON = "legal_person_certificate"

PLANT_KEYS = (
    "tech_eval_holder",  # 完成单位 printed on the technology evaluation certificate
    "tech_eval_uscc",  # a credit code printed under the 完成单位
    "lease_tenant",  # 承租方 of the lease
    "lease_end",  # the lease's last day (a date)
    "lease_tenant_uscc",  # a credit code printed under the 承租方
    "evaluations",  # the customers who wrote an evaluation, one letter each
    "contract_contractor",  # 乙方 of the project contract
    "acceptance_date",  # date of the acceptance opinion (a date)
    "avoid_words",  # words the body leaves out (共享: a project without shared content)
    "seam_skip",  # scanned book: 1-based pages the 骑缝章 missed
    "no_commitment",  # the book leaves out the 填报单位意见及真实性承诺 block
)
"""Keys of ``Spec.plants``: how an attachment or the book departs from the applicant's data."""


@dataclass
class Spec:
    key: str
    recommender: str
    kind: str
    company: Company  # the applicant (enterprise, operator, contractor); a city's bureau
    where: str  # folder of its files, relative to the round folder
    values: dict[str, Any]  # canonical form values as meant (numbers, strings)
    prefix: str = ""  # loose files: "公司名-" before each file name
    book: str = "docx"  # docx | pdf | doc | scan | none
    printed: dict[str, str] = field(default_factory=dict)  # cell text overriding the value
    licence: dict[str, Any] | None = field(default_factory=dict)  # overrides; None: absent
    licence_variant: str = "landscape"
    licence_copy: str = "正本"
    licence_ext: str = "jpg"
    licence_look: str = "clean"  # clean | scan | photo | heavy
    attachments: list[str] = field(default_factory=list)
    cert_issued: dt.date | None = None  # 高新技术企业证书 发证时间
    seals: tuple[str, ...] = ("applicant", "recommender")
    seam_seal: bool = False  # scanned book: the applicant's 骑缝章 across the pages' right edges
    drop_sections: tuple[str, ...] = ()
    deviant_format: bool = False
    findings: list[dict[str, str]] = field(default_factory=list)
    summary_phone: str | None = None  # phone on the 汇总表 when it differs from the form
    in_summary: bool = True
    mode: str = "全生命周期管理"
    notes: str = ""
    extra_files: list[tuple[str, bytes]] = field(default_factory=list)
    # what the attachments print when it is planted (see ``Plant``)
    plants: dict[str, Any] = field(default_factory=dict)

    @property
    def applicant(self) -> str:
        """申报单位 as on the cover: the company, or the city for 表4."""
        return self.values["name"] if self.kind == "city" else self.company.name

    def cell_texts(self) -> dict[str, str]:
        """What each form cell prints."""
        out = {
            k: (fmt_num(v) if isinstance(v, float | int) else str(v)) for k, v in self.values.items() if v is not None
        }
        out.update(self.printed)
        if self.kind == "project":
            out["years_text"] = f"{fmt_num(self.values['start_year'])} 年至 {fmt_num(self.values['end_year'])} 年"
        if self.kind == "city":
            for key in ("gdp", "manufacturing_value_added", "producer_services_value_added", "industrial_revenue"):
                if key in self.values and key not in self.printed:
                    out[key] = f"{fmt_num(round(self.values[key] / 10000, 2))}亿元"
        return out

    def truth_form(self) -> dict[str, Any]:
        """The form's values as a correct reader reports them (blank or text → null)."""
        out: dict[str, Any] = {}
        for key, value in self.values.items():
            if key in self.printed:
                text = self.printed[key].strip()
                try:
                    value = float(text) if isinstance(value, float | int) else (text or None)
                except ValueError:
                    value = None
            out[key] = float(value) if isinstance(value, int) else value
        return out


def contact_values(c: Company) -> dict[str, Any]:
    return {
        "legal_rep": c.legal_rep,
        "reg_address": c.address,
        "main_business": c.main_business,
        "contact": c.contact,
        "title": c.title,
        "phone": c.phone,
        "fax": c.fax,
        "email": c.email,
    }


def enterprise_values(
    rng: random.Random, c: Company, revenue: float, share: float, patents: tuple[int, int, int] = (6, 18, 3)
) -> dict[str, Any]:
    """表1 values; ``share`` is the 2020 service share in percent."""
    v: dict[str, Any] = {
        "name": c.name,
        "nature": c.nature,
        **contact_values(c),
        "mail_address": c.address,
        "postcode": c.postcode,
        "mobile": c.mobile,
        **staff(rng),
    }
    for year, fin in financials(rng, revenue, share).items():
        for key, value in fin.items():
            v[f"financials.{year}.{key}"] = value
    for key, n in zip(("invention", "utility_model", "design"), patents, strict=True):
        v[f"patents.{key}"] = float(n)
    v["content"] = main_content("enterprise", c.name, c.main_business)
    return v


def project_values(
    rng: random.Random, c: Company, name: str, client: str, patents: tuple[int, int, int, int] = (7, 2, 4, 1)
) -> dict[str, Any]:
    """表2 values: the project, and its 实施单位 (the applicant) with its 2020 figures."""
    v: dict[str, Any] = {
        "name": name,
        "client": client,
        "contractor": c.name,
        "industry": "通用设备制造业",
        "investment": float(rng.choice([1860, 2450, 3200])),
        "start_year": 2019.0,
        "end_year": 2021.0,
        "nature": c.nature,
        **contact_values(c),
        **staff(rng),
    }
    v.pop("email")
    fin = financials(rng, rng.uniform(8000, 30000), 32.0)["2020"]
    for key in ("total_assets", "debt_ratio", "revenue", "total_profit", "net_profit_growth", "rd_ratio"):
        v[f"financials.2020.{key}"] = fin[key]
    for key, n in zip(("total", "invention", "utility_model", "design"), patents, strict=True):
        v[f"patents.{key}"] = float(n)
    v["content"] = main_content("project", name, c.main_business)
    return v


def platform_values(
    rng: random.Random, c: Company, name: str, ptype: str, customers: list[tuple[str, str, str, str]]
) -> dict[str, Any]:
    """表3 values: platform, operator, investors, three years, the customer list."""
    v: dict[str, Any] = {
        "name": name,
        "website": f"www.{c.email.split('@')[0]}.cn",
        "operator": c.name,
        "nature": "企业",
        **contact_values(c),
        "registered_capital": c.capital,
        "platform_type": ptype,
        **staff(rng),
        "service_area": float(rng.choice([860, 1200, 2400])),
    }
    v["staff_total"] = float(rng.randint(40, 160))
    shares = [60.0, 25.0, 15.0]
    for i, ratio in enumerate(shares):
        v[f"investors.{i}.name"] = f"{c.legal_rep}" if i == 0 else customers[i][0]
        v[f"investors.{i}.nature"] = "自然人" if i == 0 else "企业法人"
        v[f"investors.{i}.ratio"] = ratio
    for year, fin in financials(rng, rng.uniform(1500, 6000), 72.0).items():
        for key in ("revenue", "service_revenue", "total_assets", "total_profit", "taxes"):
            v[f"financials.{year}.{key}"] = fin[key]
        v[f"financials.{year}.served_companies"] = float(rng.randint(60, 400))
    v["total_assets_last_year"] = v["financials.2020.total_assets"]
    for i, (cname, contact, phone, summary) in enumerate(customers[:5]):
        v[f"customers.{i}.name"] = cname
        v[f"customers.{i}.contact"] = contact
        v[f"customers.{i}.phone"] = phone
        v[f"customers.{i}.summary"] = summary
    return v


def city_values(name: str, gdp_yi: float, contact: Company) -> dict[str, Any]:
    """表4 values; amounts in 万元, growth in percent. The form prints 亿元 to 2 decimals, so
    each amount is a whole number of 百万元: the truth is exactly what the form prints."""

    def wan(yi: float) -> float:
        return round(round(yi, 2) * 10000, 1)

    return {
        "name": name,
        "gdp": wan(gdp_yi),
        "gdp_growth": 3.6,
        "manufacturing_value_added": wan(gdp_yi * 0.24),
        "manufacturing_value_added_growth": 5.2,
        "producer_services_value_added": wan(gdp_yi * 0.31),
        "producer_services_value_added_growth": 4.1,
        "industrial_revenue": wan(gdp_yi * 0.9),
        "industrial_revenue_growth": 6.3,
        "policy_documents": f"《{name}推动服务型制造发展实施方案》：明确全生命周期管理、总集成总承包、"
        "供应链管理等重点方向，设立专项资金。",
        "selection_work": "已开展两批市级服务型制造示范遴选，认定示范企业12家、示范平台4个，安排专项资金1500万元。",
        "promotion_work": "举办政策宣贯会3场、现场观摩会2场，培训企业负责人400余人次。",
    }
