"""Attachment images drawn with Pillow: business licences (landscape 2019 layout, older
portrait layout, 个体工商户), 事业单位法人证书, 高新技术企业证书, a contract's first page,
a lease and a customer's evaluation letter, each with red seals.

Every renderer takes a plain ``fields`` dict of printed strings (missing keys fall back to
``DEFAULT_LICENSE`` and friends) and a ``dpi``; sizes are laid out at 200 dpi and scaled.
The samples builder uses these for the sample folders and the benchmark degrades them.
"""

from __future__ import annotations

import datetime as dt
import random
from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from samples.gen.data import make_uscc, person
from samples.gen.seal import render_seal, stamp

FONT_DIR = "/usr/share/fonts/truetype/wqy/"
INK = (20, 20, 20)
PAPER = (252, 250, 244)

DEFAULT_LICENSE: dict[str, str] = {
    "uscc": "91140100MA0K5C4U17",
    "name": "山西智造云服务科技有限公司",
    "type": "有限责任公司(自然人投资或控股)",
    "legal_rep": "王建国",
    "registered_capital": "伍佰万圆整",
    "established": "2015年06月18日",
    "term": "2015年06月18日至长期",
    "address": "山西示范区太原学府园区长治路345号高新国际大厦15层1503室",
    "scope": (
        "工业互联网平台技术开发、技术服务、技术咨询；软件开发；信息系统集成服务；"
        "数据处理和存储服务；工业设计服务；机械设备租赁；计算机软硬件及辅助设备销售；"
        "企业管理咨询。（依法须经批准的项目，经相关部门批准后方可开展经营活动）"
    ),
    "authority": "山西转型综合改革示范区行政审批服务管理局",
    "issued": "2020年05月12日",
    "form": "个人经营",
}


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ((1000, "仟"), (100, "佰"), (10, "拾"), (1, ""))
_ORG_WORDS = ["智造云", "恒润", "晋联", "汾河", "博远", "中科瑞达", "华晟", "太行数智", "龙城精工"]
_ORG_TRADES = ["服务科技", "信息技术", "装备制造", "工业设计", "供应链管理", "智能科技"]
_STREETS = ["长治路", "学府街", "平阳路", "南内环街", "迎宾街", "顺城街", "晋祠路", "并州北路"]


def capital_words(wan: int) -> str:
    """An amount of 万元 (1–9999) in 大写 as licences print it: 1050 → 壹仟零伍拾万圆整."""
    out, zero = "", False
    for unit, name in _PLACES:
        digit = wan // unit % 10
        if digit:
            out += ("零" if zero and out else "") + _DIGITS[digit] + name
            zero = False
        else:
            zero = True
    return out + "万圆整"


def sample_license_fields(seed: int) -> dict[str, str]:
    """Plausible, varied licence fields (valid credit code) for tests and the benchmark."""
    rng = random.Random(seed)
    start = dt.date(rng.randint(2003, 2019), rng.randint(1, 12), rng.randint(1, 28))
    issued = start + dt.timedelta(days=rng.randint(0, 700))
    wan = rng.choice([50, 100, 300, 500, 1000, 1050, 2000, 5800])
    city = rng.choice(["太原市", "大同市", "晋中市", "长治市"])
    name = f"山西{rng.choice(_ORG_WORDS)}{rng.choice(_ORG_TRADES)}有限公司"
    long_term = rng.random() < 0.6
    end = "长期" if long_term else f"{start.year + 30}年{start.month:02d}月{start.day:02d}日"
    ymd = f"{start.year}年{start.month:02d}月{start.day:02d}日"
    return {
        **DEFAULT_LICENSE,
        "uscc": make_uscc(rng, "140100"),
        "name": name,
        "legal_rep": person(rng),
        "registered_capital": rng.choice([capital_words(wan), f"人民币{wan}万元", f"{wan}万元"]),
        "established": ymd,
        "term": f"{ymd}至{end}",
        "address": f"山西省{city}{rng.choice(_STREETS)}{rng.randint(1, 399)}号{rng.randint(1, 20)}层",
        "issued": f"{issued.year}年{issued.month:02d}月{issued.day:02d}日",
    }


@lru_cache(maxsize=32)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "wqy-zenhei.ttc" if bold else "wqy-microhei.ttc"
    return ImageFont.truetype(FONT_DIR + name, size)


class Canvas:
    """A page at ``dpi`` whose drawing calls take 200-dpi coordinates."""

    def __init__(self, width: int, height: int, dpi: int) -> None:
        self.k = dpi / 200
        self.img = Image.new("RGB", (self.px(width), self.px(height)), PAPER)
        self.draw = ImageDraw.Draw(self.img)

    def px(self, v: float) -> int:
        return round(v * self.k)

    def text(self, x: float, y: float, text: str, size: int, bold: bool = False, **kw: Any) -> None:
        fill = kw.pop("fill", INK)
        self.draw.text((self.px(x), self.px(y)), text, font=font(self.px(size), bold), fill=fill, **kw)

    def spaced(self, x: float, y: float, text: str, width: float, size: int, bold: bool = True) -> None:
        """A label with its characters spread over ``width`` (名　　称)."""
        if len(text) == 1:
            self.text(x, y, text, size, bold)
            return
        step = (width - size) / (len(text) - 1)
        for i, ch in enumerate(text):
            self.text(x + i * step, y, ch, size, bold)

    def wrap(self, x: float, y: float, text: str, width: float, size: int, gap: float = 1.5) -> float:
        """Draw ``text`` wrapped to ``width``; returns the y below the last line."""
        f = font(self.px(size))
        line = ""
        for ch in text:
            if f.getlength(line + ch) > self.px(width) and line:
                self.text(x, y, line, size)
                y += size * gap
                line = ch
            else:
                line += ch
        if line:
            self.text(x, y, line, size)
            y += size * gap
        return y

    def seal(self, name: str, cx: float, cy: float, diameter: float, bottom: str = "", angle: float = 0) -> None:
        seal = render_seal(name, bottom, size=max(self.px(diameter), 80))
        self.img = stamp(self.img, seal, (self.px(cx), self.px(cy)), self.px(diameter), angle)
        self.draw = ImageDraw.Draw(self.img)

    def frame(self, margin: float, color: tuple[int, int, int] = (160, 120, 60)) -> None:
        w, h = self.img.size
        m = self.px(margin)
        for i, width in ((0, 6), (18, 2)):
            d = m + self.px(i)
            self.draw.rectangle((d, d, w - d, h - d), outline=color, width=max(1, self.px(width)))

    def emblem(self, cx: float, cy: float, r: float) -> None:
        """A placeholder for the national emblem: gold ring, red disc, five stars."""
        c = (self.px(cx), self.px(cy))
        rr = self.px(r)
        self.draw.ellipse(
            (c[0] - rr, c[1] - rr, c[0] + rr, c[1] + rr),
            fill=(200, 40, 40),
            outline=(205, 160, 40),
            width=max(2, rr // 8),
        )
        self._star(c[0] - rr * 0.2, c[1] - rr * 0.2, rr * 0.35)
        for dx, dy in ((0.3, -0.55), (0.5, -0.3), (0.5, 0.0), (0.3, 0.25)):
            self._star(c[0] + rr * dx, c[1] + rr * dy, rr * 0.12)

    def _star(self, cx: float, cy: float, r: float) -> None:
        import math

        pts = []
        for i in range(10):
            rad = r if i % 2 == 0 else r * 0.38
            a = -math.pi / 2 + i * math.pi / 5
            pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
        self.draw.polygon(pts, fill=(240, 200, 40))

    def qr(self, x: float, y: float, size: float, seed: str) -> None:
        """A QR-code placeholder: random modules and the three finder squares."""
        rng = random.Random(seed)
        n = 29
        cell = self.px(size) / n
        x0, y0 = self.px(x), self.px(y)
        for i in range(n):
            for j in range(n):
                finder = any(i - a in range(7) and j - b in range(7) for a, b in ((0, 0), (0, n - 7), (n - 7, 0)))
                if finder:
                    a = 0 if i < 7 else n - 7
                    b = 0 if j < 7 else n - 7
                    on = max(abs(i - a - 3), abs(j - b - 3)) in (0, 1, 3)
                else:
                    on = rng.random() < 0.5
                if on:
                    self.draw.rectangle(
                        (x0 + j * cell, y0 + i * cell, x0 + (j + 1) * cell - 1, y0 + (i + 1) * cell - 1), fill=INK
                    )


def _term(f: dict[str, str]) -> str:
    return f.get("term") or f"{f.get('established', '')}至{f.get('term_end') or '长期'}"


def _merge(fields: dict[str, Any], defaults: dict[str, str]) -> dict[str, str]:
    out = dict(defaults)
    for key, value in fields.items():
        if isinstance(value, dt.date):
            value = f"{value.year}年{value.month:02d}月{value.day:02d}日"
        out[key] = "" if value is None else str(value)
    return out


def render_license(
    fields: dict[str, Any], variant: str = "landscape", copy: str = "正本", dpi: int = 200, seal: bool = True
) -> Image.Image:
    """A 营业执照. ``variant``: "landscape" (2019 layout), "portrait" (older layout) or
    "individual" (个体工商户, landscape). ``copy``: "正本" or "副本" (printed under the title)."""
    f = _merge(fields, DEFAULT_LICENSE)
    portrait = variant == "portrait"
    c = Canvas(1654, 2339, dpi) if portrait else Canvas(2339, 1654, dpi)
    width = 1654 if portrait else 2339
    c.frame(40)
    c.emblem(width / 2, 170, 70)
    c.spaced(width / 2 - 260, 265, "营业执照", 520, 110)
    if copy == "副本":
        c.text(width / 2 - 80, 400, "（副 本）", 40, True)
    c.qr(width - 380, 110, 200, f["uscc"])
    for i, line in enumerate(("扫描二维码登录“国家企业", "信用信息公示系统”了解更多", "登记、备案、许可、监管信息")):
        c.text(width - 420, 325 + i * 26, line, 18)
    size = 34
    if portrait:
        c.text(150, 150, "统一社会信用代码", 30, True)
        c.text(420, 150, f["uscc"], 32)
        rows = [
            ("名称", "name"),
            ("类型", "type"),
            ("住所", "address"),
            ("法定代表人", "legal_rep"),
            ("注册资本", "registered_capital"),
            ("成立日期", "established"),
            ("营业期限", "term"),
            ("经营范围", "scope"),
        ]
        y = 520
        for label, key in rows:
            c.spaced(170, y, label, 190, size)
            text = _term(f) if key == "term" else f.get(key, "")
            y = max(y + 80, c.wrap(430, y, text, 1060, size) + 30)
        auth_x, auth_y = 820, 1900
    else:
        c.text(150, 130, "统一社会信用代码", 30, True)
        c.text(150, 175, f["uscc"], 32)
        if variant == "individual":
            left = [("名称", "name"), ("类型", "type"), ("经营者", "legal_rep"), ("经营范围", "scope")]
            right = [("组成形式", "form"), ("注册日期", "established"), ("经营场所", "address")]
            f.setdefault("type", "个体工商户")
            if f["type"].startswith("有限"):
                f["type"] = "个体工商户"
        else:
            left = [("名称", "name"), ("类型", "type"), ("法定代表人", "legal_rep"), ("经营范围", "scope")]
            right = [
                ("注册资本", "registered_capital"),
                ("成立日期", "established"),
                ("营业期限", "term"),
                ("住所", "address"),
            ]
        for col_x, items in ((160, left), (1230, right)):
            y = 520
            for label, key in items:
                c.spaced(col_x, y, label, 190, size)
                text = _term(f) if key == "term" else f.get(key, "")
                y = max(y + 82, c.wrap(col_x + 250, y, text, 700, size, 1.55) + 34)
        auth_x, auth_y = 1480, 1300
    c.spaced(auth_x, auth_y, "登记机关", 190, size)
    c.text(auth_x + 110, auth_y + 150, f["issued"], size)
    if seal:
        c.seal(f["authority"], auth_x + 400, auth_y + 40, 300, angle=-8)
    foot = 2339 - 190 if portrait else 1654 - 170
    c.text(150, foot, "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", 22)
    c.text(150, foot + 40, "市场主体应当于每年1月1日至6月30日通过国家企业信用信息公示系统报送公示年度报告。", 22)
    c.text(width / 2 - 130, foot + 90, "国家市场监督管理总局监制", 22)
    return c.img


def render_legal_person_certificate(fields: dict[str, Any], dpi: int = 200, seal: bool = True) -> Image.Image:
    """事业单位法人证书 (portrait): code, name, 宗旨和业务范围, 住所, 法定代表人, 经费来源,
    开办资金, 举办单位, 有效期 自…至…, 登记管理机关 with its seal."""
    f = _merge(
        fields,
        {
            "uscc": "12140000MB0123456B",
            "name": "山西省工业技术研究院",
            "purpose": "开展工业技术研究与成果转化，为中小企业提供技术咨询、检验检测和培训服务",
            "address": "太原市小店区坞城路92号",
            "legal_rep": "李志强",
            "funding": "财政补助",
            "capital": "伍佰万元",
            "sponsor": "山西省工业和信息化厅",
            "valid": "自2019年01月01日至2024年01月01日",
            "authority": "山西省事业单位登记管理局",
            "issued": "2019年01月01日",
        },
    )
    c = Canvas(1654, 2339, dpi)
    c.frame(40, (180, 30, 30))
    c.emblem(827, 200, 80)
    c.spaced(430, 320, "事业单位法人证书", 800, 80)
    c.text(170, 480, "统一社会信用代码", 32, True)
    c.text(520, 480, f["uscc"], 34)
    rows = [
        ("名称", "name"),
        ("宗旨和业务范围", "purpose"),
        ("住所", "address"),
        ("法定代表人", "legal_rep"),
        ("经费来源", "funding"),
        ("开办资金", "capital"),
        ("举办单位", "sponsor"),
        ("有效期", "valid"),
    ]
    y = 620
    for label, key in rows:
        c.spaced(170, y, label, 260, 34)
        y = max(y + 85, c.wrap(500, y, f[key], 980, 34) + 35)
    c.spaced(900, 1900, "登记管理机关", 240, 34)
    c.text(1000, 2030, f["issued"], 34)
    if seal:
        c.seal(f["authority"], 1250, 1930, 300, angle=5)
    return c.img


def render_high_tech_certificate(fields: dict[str, Any], dpi: int = 200, seal: bool = True) -> Image.Image:
    """高新技术企业证书 (landscape): 企业名称, 证书编号 GR…, 发证时间 in Chinese numerals,
    有效期 三年, and the three approving authorities' seals."""
    f = _merge(
        fields,
        {
            "name": DEFAULT_LICENSE["name"],
            "number": "GR201914000123",
            "issued": "二〇一九年十二月二日",
            "valid": "三年",
            "province": "山西省",
        },
    )
    c = Canvas(2339, 1654, dpi)
    c.frame(50, (190, 150, 60))
    c.spaced(620, 230, "高新技术企业证书", 1100, 110)
    y = 560
    for label, key in (("企业名称", "name"), ("证书编号", "number"), ("发证时间", "issued"), ("有效期", "valid")):
        c.text(420, y, f"{label}：", 44, True)
        c.text(650, y, f[key], 44)
        y += 120
    p = f["province"]
    names = [f"{p}科学技术厅", f"{p}财政厅", f"国家税务总局{p}税务局"]
    c.text(420, 1180, "批准机关：", 36, True)
    for i, name in enumerate(names):
        c.text(620 + i * 520, 1250, name, 32)
        if seal:
            c.seal(name, 760 + i * 520, 1250, 260, angle=(-6, 4, -2)[i])
    return c.img


def _letter(
    title: str,
    paragraphs: list[str],
    sign: list[str],
    seal_name: str | None,
    dpi: int,
    seal: bool,
    top: list[str] | None = None,
) -> Image.Image:
    """An A4 text page: centred title, optional header lines, paragraphs, signature block."""
    c = Canvas(1654, 2339, dpi)
    c.text(827 - 38 * len(title), 200, title, 76, True)
    y = 380.0
    for line in top or []:
        c.text(170, y, line, 36)
        y += 64
    y += 20
    for para in paragraphs:
        y = c.wrap(170, y, "　　" + para, 1310, 34, 1.7) + 14
    y = max(y + 80, 1700)
    for line in sign:
        c.text(650, y, line, 34)
        y += 70
    if seal and seal_name:
        c.seal(seal_name, 1300, y - 90, 280, angle=-10)
    return c.img


def render_contract(fields: dict[str, Any], dpi: int = 200, seal: bool = True) -> Image.Image:
    """A 项目建设合同 first page: 甲方/乙方, contract period 自…起至…止, 签订日期."""
    f = _merge(
        fields,
        {
            "title": "智能工厂改造项目建设合同书",
            "number": "JS-2020-0318",
            "client": "太原重工装备制造有限公司",
            "contractor": DEFAULT_LICENSE["name"],
            "start": "2020年03月01日",
            "end": "2021年02月28日",
            "date": "2020年02月20日",
            "amount": "捌佰陆拾万元整",
        },
    )
    paragraphs = [
        f"根据《中华人民共和国民法典》及有关法律法规，甲乙双方本着平等互利的原则，就甲方委托乙方承担"
        f"{f['title'].removesuffix('书').removesuffix('建设合同')}的设计、建设与运维服务事宜，经友好协商，订立本合同。",
        "第一条 项目内容：生产线数字化改造、工业互联网平台部署、设备联网与数据采集。",
        f"第二条 合同金额：人民币{f['amount']}。",
        f"第三条 合同期限：自{f['start']}起至{f['end']}止。",
        "第四条 验收：项目完成后由甲方组织专家验收，验收合格后支付尾款。",
    ]
    top = [f"合同编号：{f['number']}", f"甲方（委托方）：{f['client']}", f"乙方（承建方）：{f['contractor']}"]
    sign = [f"甲方（盖章）：{f['client']}", f"乙方（盖章）：{f['contractor']}", f"签订日期：{f['date']}"]
    return _letter(f["title"], paragraphs, sign, f["client"], dpi, seal, top)


def render_lease(fields: dict[str, Any], dpi: int = 200, seal: bool = True) -> Image.Image:
    """A 房屋租赁合同: 出租方/承租方, premises, 租赁期限 自…起至…止, rent."""
    f = _merge(
        fields,
        {
            "landlord": "山西高新国际置业有限公司",
            "tenant": DEFAULT_LICENSE["name"],
            "address": DEFAULT_LICENSE["address"],
            "area": "860",
            "start": "2019年01月01日",
            "end": "2023年12月31日",
            "date": "2018年12月15日",
            "rent": "叁拾伍万元整",
        },
    )
    paragraphs = [
        f"甲方将位于{f['address']}的房屋（建筑面积{f['area']}平方米）出租给乙方作为办公及经营服务场所使用。",
        f"租赁期限自{f['start']}起至{f['end']}止。",
        f"年租金为人民币{f['rent']}，按季度支付。租赁期内乙方不得擅自改变房屋用途。",
    ]
    top = [f"出租方（甲方）：{f['landlord']}", f"承租方（乙方）：{f['tenant']}"]
    if f.get("tenant_uscc"):
        top.append(f"统一社会信用代码：{f['tenant_uscc']}")
    sign = [f"甲方（盖章）：{f['landlord']}", f"乙方（盖章）：{f['tenant']}", f"签订日期：{f['date']}"]
    return _letter("房屋租赁合同", paragraphs, sign, f["landlord"], dpi, seal, top)


def render_customer_evaluation(fields: dict[str, Any], dpi: int = 200, seal: bool = True) -> Image.Image:
    """A customer's 客户评价意见 letter about the applicant, signed and sealed by the customer."""
    f = _merge(
        fields,
        {
            "customer": "晋中纺织机械股份有限公司",
            "provider": DEFAULT_LICENSE["name"],
            "service": "设备远程运维与预测性维护服务",
            "date": "2021年09月15日",
        },
    )
    paragraphs = [
        f"{f['provider']}自2019年起为我公司提供{f['service']}。服务期间响应及时、方案专业，"
        "设备非计划停机时间下降百分之三十以上，运维成本明显降低。",
        "我公司对其服务质量、技术能力和服务态度表示满意，评价结果为：优秀。",
    ]
    sign = [f"评价单位（盖章）：{f['customer']}", f"日期：{f['date']}"]
    return _letter("客户评价意见", paragraphs, sign, f["customer"], dpi, seal)
