"""Turn a ``Spec`` into files under the round folder and return its truth entry.

Books come as .docx, digital .pdf, .doc (LibreOffice) or a scanned bound PDF; attachments
as JPEG/PNG images from ``samples.gen.attachments`` or short digital PDFs.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image

from samples.gen import attachments as att
from samples.gen import scans
from samples.gen.content import Book, body_text
from samples.gen.pdf_book import write_image_pdf, write_pdf_book, write_plain_pdf
from samples.gen.seal import seal_png, seam_slices
from samples.gen.spec import (
    ACCEPTANCE,
    CONTRACT,
    PREMISES,
    SERVICE,
    TECH_EVAL,
    Spec,
)

DPI = 150  # pages of a scanned book, and the heavily degraded licence before degrading
ATTACH_DPI = 100  # attachment images: a colour copy at 100 dpi (JPEG of sharp text costs ~2x at 150)
JPEG_QUALITY = 55
BW_THRESHOLD = 170  # grey level below which a black-and-white scan prints black
_CN_DIGITS = "〇一二三四五六七八九"


@dataclass
class RoundStyle:
    id: str
    round_title: str
    issuer_line: str
    commit_date: str
    recommend_date: str
    province: str  # for certificate authorities


def ymd(day: dt.date | None) -> str:
    return "长期" if day is None else f"{day.year}年{day.month:02d}月{day.day:02d}日"


def cn_numeral_date(day: dt.date) -> str:
    """二〇一九年十二月二日, as certificates print dates."""

    def small(n: int) -> str:
        if n < 10:
            return _CN_DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")

    year = "".join(_CN_DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{small(day.month)}月{small(day.day)}日"


def save_image(img: Image.Image, path: Path, quality: int = JPEG_QUALITY) -> None:
    """PNG as a 64-colour palette; JPEG baseline with 4:2:0 chroma (grey pages stay L)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".png":
        img.convert("RGB").quantize(64).save(path, optimize=True)
    else:
        img.convert("RGB" if img.mode not in ("L", "RGB") else img.mode).save(
            path, "JPEG", quality=quality, subsampling=2, optimize=True
        )


def rasterise(pdf_path: Path, dpi: int = DPI) -> list[Image.Image]:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in pdf]
    finally:
        pdf.close()


class Builder:
    """Writes one round's submissions; ``cache`` holds seals and intermediate files."""

    def __init__(self, root: Path, style: RoundStyle, cache: Path) -> None:
        self.root, self.style, self.cache = root, style, cache
        self.pdf_books = 0

    def embed_fonts(self) -> bool:
        """The round's first digital PDF book embeds its fonts (as Word's PDF export does);
        the others use the standard STSong-Light, which keeps the folders small."""
        self.pdf_books += 1
        return self.pdf_books == 1

    @staticmethod
    def dpi(spec: Spec) -> int:
        """Attachment images bound into a scanned book are pages of that scan."""
        return DPI if spec.book == "scan" else ATTACH_DPI

    def seal(self, name: str) -> Path:
        return seal_png(name, self.cache / "seals")

    # ---- attachments -------------------------------------------------------------------
    def licence(self, spec: Spec) -> tuple[Image.Image, dict[str, Any]]:
        c = spec.company
        dpi = DPI if spec.licence_look == "heavy" else self.dpi(spec)
        over = dict(spec.licence or {})
        issued = over.pop("issued", max(c.established, dt.date(2019, 3, 12)))
        fields: dict[str, Any] = {
            "uscc": c.uscc,
            "name": c.name,
            "type": c.type,
            "legal_rep": c.legal_rep,
            "registered_capital": att.capital_words(int(c.capital)),
            "established": ymd(c.established),
            "address": c.address,
            "scope": c.scope,
            "authority": c.authority,
            "issued": ymd(issued),
            "term_end": c.term_end,
        }
        fields.update(over)
        fields["term"] = f"{fields['established']}至{ymd(fields['term_end'])}"
        if spec.company.dept == "12":
            img = att.render_legal_person_certificate(
                {
                    **fields,
                    "valid": f"自{ymd(issued)}至{ymd(issued.replace(year=issued.year + 5))}",
                    "capital": att.capital_words(int(c.capital)).replace("圆整", "元"),
                },
                dpi=dpi,
            )
            truth = {
                "name": fields["name"],
                "uscc": fields["uscc"],
                "legal_rep": fields["legal_rep"],
                "address": fields["address"],
                "valid_until": issued.replace(year=issued.year + 5).isoformat(),
                "authority": fields["authority"],
            }
        else:
            img = att.render_license(fields, variant=spec.licence_variant, copy=spec.licence_copy, dpi=dpi)
            truth = {
                "name": fields["name"],
                "uscc": fields["uscc"],
                "type": fields["type"],
                "legal_rep": fields["legal_rep"],
                "registered_capital": c.capital,
                "established": c.established.isoformat(),
                "term_end": fields["term_end"].isoformat() if fields["term_end"] else None,
                "address": fields["address"],
                "authority": fields["authority"],
                "issued": issued.isoformat(),
                "copy": spec.licence_copy,
                "variant": "company",
            }
        # the applicant stamps its own copy (营业执照复印件加盖申报单位公章)
        w, h = img.size
        img = scans.seal_over_text(img, c.name, (int(w * 0.30), int(h * 0.78)), int(dpi * 1.6), angle=14)
        look = spec.licence_look
        if look == "scan":
            img = scans.scan_page(img, seed=len(c.name), grey=False)
        elif look == "photo":
            img = scans.phone_photo(img, seed=len(c.name), strength=0.7)
        elif look == "heavy":
            img = scans.heavy_degrade(scans.phone_photo(img, seed=3, strength=1.0), seed=5)
        return img, truth

    def high_tech(self, spec: Spec) -> tuple[Image.Image, dict[str, Any]]:
        c = spec.company
        issued = spec.cert_issued or dt.date(2019, 12, 2)
        number = f"GR{issued.year}{c.region[:2]}{sum(map(ord, c.name)) % 90000 + 10000:05d}"
        province = c.province if c.province != "广西壮族自治区" else "广西壮族自治区"
        img = att.render_high_tech_certificate(
            {
                "name": c.name,
                "number": number,
                "issued": cn_numeral_date(issued),
                "valid": "三年",
                "province": province,
            },
            dpi=self.dpi(spec),
        )
        until = issued.replace(year=issued.year + 3)
        return img, {"name": c.name, "number": number, "issued": issued.isoformat(), "valid_until": until.isoformat()}

    def plain_pdf(self, spec: Spec, kind: str, path: Path) -> dict[str, Any]:
        """Digital PDFs: technology evaluation, acceptance, service evidence, policy. Those
        bound into a scanned book embed their font, so that the page renders the same anywhere."""
        c, s = spec.company, self.style
        embed = spec.book == "scan"
        if kind == TECH_EVAL:
            agency = f"{s.province}生产力促进中心"
            holder = spec.plants.get("tech_eval_holder", c.name)
            code = spec.plants.get("tech_eval_uscc")
            write_plain_pdf(
                path,
                "科学技术成果评价证书",
                [
                    f"成果名称：{c.main_business}关键技术及远程运维服务系统",
                    f"完成单位：{holder}",
                    *([f"统一社会信用代码：{code}"] if code else []),
                    "评价方式：会议评价。评价专家组听取了汇报，审查了技术资料，经质询和讨论，形成如下评价意见：",
                    "该成果技术资料齐全，数据翔实，整体技术达到国内领先水平，同意通过评价。",
                    "证书编号：JP-2020-0" + str(100 + len(c.name)),
                ],
                seal=self.seal(agency),
                seal_label=f"评价机构（盖章）：{agency}",
                date="2020年9月18日",
                embed=embed,
            )
            return {
                "parties": [holder, agency],
                "date": "2020-09-18",
                "party.holder": holder,
                "party.issuer": agency,
                **({"uscc.holder": code} if code else {}),
            }
        if kind == ACCEPTANCE:
            client = spec.values.get("client", "")
            day = spec.plants.get("acceptance_date", dt.date(2021, 3, 26))
            write_plain_pdf(
                path,
                "项目验收意见",
                [
                    f"{day.year}年{day.month}月{day.day}日，{client}组织专家对{c.name}承担的"
                    f"“{spec.values['name']}”进行了验收。",
                    "专家组听取了项目实施情况汇报，查阅了相关资料并进行了现场考察，认为项目完成了合同"
                    "规定的建设内容，各项指标达到设计要求，同意通过验收。",
                ],
                table=[
                    ["专家姓名", "工作单位", "职称"],
                    ["张国庆", "太原理工大学", "教授"],
                    ["刘丽华", "机械工业第六设计研究院", "正高级工程师"],
                    ["陈立新", "省生产力促进中心", "研究员"],
                ],
                seal=self.seal(client),
                seal_label="验收组织单位（盖章）",
                date=f"{day.year}年{day.month}月{day.day}日",
                embed=embed,
            )
            return {"parties": [client, c.name], "date": day.isoformat()}
        if kind == SERVICE:
            write_plain_pdf(
                path,
                "开展相关服务的证明材料",
                [
                    f"一、服务开展情况：{c.name}依托{spec.values.get('name', '平台')}，2020年累计为"
                    f"{int(spec.values.get('financials.2020.served_companies', 120))}家制造业企业提供服务。",
                    "二、活动通知：关于举办2020年度中小企业数字化转型公益培训的通知（附件略）。",
                    "三、服务总结：平台线上注册企业持续增长，线下服务满意度保持在95%以上。",
                ],
                seal=self.seal(c.name),
                seal_label="申报单位（盖章）",
                date="2021年4月20日",
                embed=embed,
            )
            return {"parties": [c.name]}
        # policy document of a city
        city = spec.values["name"]
        write_plain_pdf(
            path,
            f"{city}人民政府办公室关于推动服务型制造发展的实施意见",
            [
                "各县（市、区）人民政府，市直各有关单位：",
                "为贯彻落实《发展服务型制造专项行动指南》，加快制造业服务化转型，经市人民政府同意，"
                "现提出如下实施意见。",
                "一、重点方向：全生命周期管理、总集成总承包、供应链管理、检验检测认证服务。",
                "二、支持措施：市财政每年安排服务型制造专项资金，对认定的示范企业、平台给予奖励。",
            ],
            seal=self.seal(f"{city}人民政府办公室"),
            seal_label=f"{city}人民政府办公室",
            date="2020年6月8日",
            embed=embed,
        )
        return {"parties": [f"{city}人民政府办公室"], "date": "2020-06-08"}

    def letter_image(self, spec: Spec, kind: str, customer: str | None = None) -> tuple[Image.Image, dict[str, Any]]:
        """Contract, lease and customer evaluation pages (raster, sealed); ``customer``: who
        wrote the evaluation (default: 表3's first typical customer)."""
        c = spec.company
        if kind == CONTRACT:
            client = spec.values["client"]
            contractor = spec.plants.get("contract_contractor", c.name)
            img = att.render_contract(
                {
                    "title": f"{spec.values['name']}建设合同书",
                    "client": client,
                    "contractor": contractor,
                    "start": "2019年04月01日",
                    "end": "2021年03月31日",
                    "date": "2019年03月20日",
                },
                dpi=self.dpi(spec),
            )
            return img, {
                "parties": [client, contractor],
                "start": "2019-04-01",
                "end": "2021-03-31",
                "date": "2019-03-20",
                "party.client": client,
                "party.contractor": contractor,
            }
        if kind == PREMISES:
            landlord = f"{c.city}高新区建设投资有限公司"
            tenant = spec.plants.get("lease_tenant", c.name)
            end = spec.plants.get("lease_end", dt.date(2023, 12, 31))
            code = spec.plants.get("lease_tenant_uscc")
            img = att.render_lease(
                {
                    "landlord": landlord,
                    "tenant": tenant,
                    "address": c.address,
                    "start": "2019年01月01日",
                    "end": end,
                    "date": "2018年12月15日",
                    **({"tenant_uscc": code} if code else {}),
                },
                dpi=self.dpi(spec),
            )
            fields = {
                "parties": [landlord, tenant],
                "start": "2019-01-01",
                "end": end.isoformat(),
                "party.lessor": landlord,
                "party.lessee": tenant,
            }
            return img, fields | ({"uscc.lessee": code} if code else {})
        customer = customer or spec.values.get("customers.0.name", "某制造企业")
        img = att.render_customer_evaluation(
            {"customer": customer, "provider": c.name, "date": "2021年04月15日"}, dpi=self.dpi(spec)
        )
        return img, {"parties": [customer, c.name], "date": "2021-04-15", "party.customer": customer}

    # ---- the book ----------------------------------------------------------------------
    def book(self, spec: Spec) -> Book:
        s = self.style
        seals = {role: self.seal(self._seal_name(spec, role)) for role in spec.seals}
        title_name = spec.values["name"]
        business = spec.company.main_business if spec.kind != "city" else "先进制造业"
        return Book(
            kind=spec.kind,
            applicant=spec.applicant,
            recommender=spec.recommender,
            round_title=s.round_title,
            issuer_line=s.issuer_line,
            values=spec.cell_texts(),
            body=body_text(
                spec.kind,
                title_name,
                business,
                len(spec.key) * 31 + sum(map(ord, spec.key)),
                spec.drop_sections,
                tuple(spec.plants.get("avoid_words", ())),
            ),
            seals=seals,
            commit_date=s.commit_date,
            recommend_date=s.recommend_date,
            deviant_format=spec.deviant_format,
            commitment=not spec.plants.get("no_commitment", False),
        )

    def _seal_name(self, spec: Spec, role: str) -> str:
        if role == "recommender":
            return spec.recommender
        if role == "city_government":
            return f"{spec.values['name']}人民政府"
        return spec.company.name

    def to_doc(self, docx: Path, target: Path) -> None:
        """Convert through LibreOffice with a private profile (other jobs may run soffice)."""
        out = self.cache / "doc"
        out.mkdir(parents=True, exist_ok=True)
        profile = (self.cache / "lo-profile").resolve().as_uri()
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "doc",
                "--outdir",
                str(out),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(out / (docx.stem + ".doc")), target)

    def scanned_book(self, spec: Spec, target: Path, pages: list[Image.Image]) -> None:
        """Print the digital book, scan every page with the attachments, bind as one PDF."""
        tmp = self.cache / f"scan-{spec.key}"
        tmp.mkdir(parents=True, exist_ok=True)
        write_pdf_book(self.book(spec), tmp / "book.pdf")
        images = rasterise(tmp / "book.pdf") + pages
        if spec.seam_seal:
            seam = Image.open(self.seal(spec.company.name))
            skip = set(spec.plants.get("seam_skip", ()))
            images = [
                img if i + 1 in skip else seam_slices(img, seam, i, len(images), int(DPI * 42 / 25.4))
                for i, img in enumerate(images)
            ]
        paths = []
        for i, img in enumerate(images):
            # the scanner's automatic colour mode: pages with a seal or an emblem in colour
            # (JPEG), the others in black and white (1 bit)
            colour = scans.has_red(img)
            page = scans.scan_page(img, seed=i + len(spec.key), grey=not colour, skew=0.9, sigma=2.0)
            if colour:
                p = tmp / f"p{i:03d}.jpg"
                save_image(page, p, quality=50)
            else:
                p = tmp / f"p{i:03d}.png"
                page.point(lambda v: 255 if v > BW_THRESHOLD else 0).convert("1").save(p, optimize=True)
            paths.append(p)
        write_image_pdf(target, paths, dpi=DPI)
